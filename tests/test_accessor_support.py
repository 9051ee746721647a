"""Helpers shared by the accessor tests: the expected rows from the CSV files, and type checks per backend.

Named ``test_accessor_*`` to follow the project's rule for test files; it holds no tests itself.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "datapackage"
BACKENDS = ("pandas", "arrow", "polars")
DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
TABLES = [resource["name"] for resource in DESCRIPTOR["resources"] if resource["type"] == "table"]

Row = tuple[str | None, ...]


def fields(table: str) -> list[dict[str, Any]]:
    return next(r for r in DESCRIPTOR["resources"] if r["name"] == table)["schema"]["fields"]


def enum_of(field: dict[str, Any]) -> list[str] | None:
    return field.get("constraints", {}).get("enum")


def expected_rows(table: str) -> list[Row]:
    """The rows of ``datapackage/csv/<table>.csv``, each cell canonical text or None (an unquoted empty cell)."""
    names = [field["name"] for field in fields(table)]
    options = pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in names}, strings_can_be_null=True, quoted_strings_can_be_null=False
    )
    csv = pa_csv.read_csv(DATA / "csv" / f"{table}.csv", convert_options=options)
    assert csv.column_names == names
    columns = [[_from_csv(text, field["type"]) for text in csv.column(field["name"]).to_pylist()] for field in fields(table)]
    return list(zip(*columns))


def actual_rows(frame: Any, table: str) -> list[Row]:
    """The rows of a loaded table (pandas, arrow or polars), each cell canonical text or None; checks Python types."""
    names = [field["name"] for field in fields(table)]
    if isinstance(frame, pa.Table):
        assert frame.column_names == names
        columns = [frame.column(name).to_pylist() for name in names]
    elif isinstance(frame, pl.DataFrame):
        assert frame.columns == names
        columns = [frame.get_column(name).to_list() for name in names]
    else:
        assert list(frame.columns) == names
        columns = [frame[name].tolist() for name in names]
    canonical = [[_canonical(value, field["type"]) for value in column] for column, field in zip(columns, fields(table))]
    return list(zip(*canonical))


def _from_csv(text: str | None, kind: str) -> str | None:
    if text is None:
        return None
    if kind == "integer":
        return str(int(text))
    if kind == "number":
        return repr(float(text))
    if kind == "boolean":
        assert text in ("true", "false"), text
    if kind == "date":
        return dt.date.fromisoformat(text).isoformat()
    return text


def _canonical(value: Any, kind: str) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    expected = {"string": str, "integer": int, "number": float, "boolean": bool, "date": dt.date}[kind]
    assert isinstance(value, expected) and not (kind == "integer" and isinstance(value, bool)), (kind, value)
    assert not isinstance(value, dt.datetime), value
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number":
        return repr(value)
    if kind == "date":
        return value.isoformat()
    return str(value)


PANDAS_DTYPES = {
    "string": pd.StringDtype(),
    "integer": pd.Int64Dtype(),
    "number": pd.Float64Dtype(),
    "boolean": pd.BooleanDtype(),
    "date": pd.ArrowDtype(pa.date32()),
}
ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32()}
POLARS_TYPES = {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean, "date": pl.Date}


def assert_types(frame: Any, table: str) -> None:
    """Every column has the type its Table Schema field implies, vocabularies as categoricals in declared order."""
    for field in fields(table):
        name, kind, enum = field["name"], field["type"], enum_of(field)
        if isinstance(frame, pa.Table):
            actual = frame.schema.field(name).type
            if enum:
                assert pa.types.is_dictionary(actual), (name, actual)
                assert frame.column(name).combine_chunks().dictionary.to_pylist() == enum, name
            else:
                assert actual == ARROW_TYPES[kind], (name, actual)
        elif isinstance(frame, pl.DataFrame):
            expected = pl.Enum(enum) if enum else POLARS_TYPES[kind]
            assert frame.schema[name] == expected, (name, frame.schema[name])
            if enum:
                assert frame.schema[name].categories.to_list() == enum, name
        else:
            actual = frame[name].dtype
            if enum:
                assert isinstance(actual, pd.CategoricalDtype), (name, actual)
                assert list(actual.categories) == enum and not actual.ordered, name
            else:
                assert actual == PANDAS_DTYPES[kind], (name, actual)
