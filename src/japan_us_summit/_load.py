"""Read a table from its verified Parquet file, typed as its Table Schema says.

Every backend gets the same types: closed vocabularies (fields with an ``enum`` constraint) become
categoricals whose categories are the enum in declared order (Arrow dictionary, pandas
``CategoricalDtype``, polars ``Enum``); dates are calendar dates (Arrow ``date32``, pandas
``ArrowDtype(date32)``, polars ``Date``); pandas columns are nullable extension types (``string``,
``Int64``, ``Float64``, ``boolean``), so missing values are ``pd.NA`` and integers stay integers.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ._errors import REINSTALL, DataFileError, MissingBackendError
from ._files import DataPackage
from ._layout import pandas_types

BACKENDS = ("pandas", "arrow", "polars")


def load(package: DataPackage, name: str, backend: str = "pandas") -> Any:
    """Table ``name`` of ``package`` as a pandas DataFrame, a pyarrow Table or a polars DataFrame."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}, not {backend!r}")
    polars = _polars() if backend == "polars" else None
    fields = package.fields(name)
    table = _read_parquet(package, name, fields)
    if backend == "arrow":
        return table
    if polars is not None:
        enums = [polars.col(field["name"]).cast(polars.Enum(categories)) for field, categories in _vocabularies(fields)]
        return polars.from_arrow(table).with_columns(enums)
    return _pandas(table)


def _read_parquet(package: DataPackage, name: str, fields: list[dict[str, Any]]) -> pa.Table:
    resource = package.resource(name, "parquet")
    data = package.read(resource)
    try:
        return _typed(pq.read_table(pa.BufferReader(data)), fields)
    except (pa.ArrowException, OSError, ValueError) as error:
        raise DataFileError(f"{package.file(resource)} cannot be read as table {name!r} ({error}). {REINSTALL}") from None


def _vocabularies(fields: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[Any]]]:
    return [(field, field["constraints"]["enum"]) for field in fields if "enum" in field.get("constraints", {})]


def _typed(table: pa.Table, fields: list[dict[str, Any]]) -> pa.Table:
    """``table`` with each vocabulary column dictionary-encoded over its declared categories."""
    if table.column_names != [field["name"] for field in fields]:
        raise ValueError("its columns differ from the fields in datapackage.json")
    for field, categories in _vocabularies(fields):
        index = table.schema.get_field_index(field["name"])
        column = table.column(index)
        dictionary = pa.array(categories, type=column.type)
        codes = pc.index_in(column, value_set=dictionary)
        if codes.null_count != column.null_count:
            raise ValueError(f"column {field['name']!r} holds a value outside its declared vocabulary")
        encoded_type = pa.dictionary(pa.int32(), column.type)
        encoded = pa.chunked_array(
            [pa.DictionaryArray.from_arrays(chunk.cast(pa.int32()), dictionary) for chunk in codes.chunks], type=encoded_type
        )
        table = table.set_column(index, table.schema.field(index).with_type(encoded_type), encoded)
    return table


def _pandas(table: pa.Table) -> Any:
    return table.to_pandas(types_mapper=pandas_types().get)


def _polars() -> Any:
    try:
        import polars
    except ImportError:
        raise MissingBackendError("backend='polars' needs polars: pip install 'japan-us-summit[polars]'") from None
    return polars
