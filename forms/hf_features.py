"""The dataset card's ``dataset_info``: each table's columns as Hugging Face ``datasets`` features, read off the
Arrow schema the Parquet files are written with, a vocabulary column as a ``class_label`` of its values in
their declared order."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from schema.table import Table

from .arrow_schema import arrow_schema

# The `datasets` dtype of each Arrow type a column is written as (`datasets.Value` names; Arrow calls float64 "double").
DTYPES = {
    pa.string(): "string",
    pa.int64(): "int64",
    pa.float64(): "float64",
    pa.bool_(): "bool",
    pa.date32(): "date32",
}
CLASS_LABEL_STORAGE = pa.int64()  # what `datasets` stores a class label as: the index of its name


def dtype(arrow_type: pa.DataType) -> str:
    try:
        return DTYPES[arrow_type]
    except KeyError:
        raise TypeError(f"no Hugging Face dtype declared for the Arrow type {arrow_type}") from None


def features(table: Table) -> list[dict[str, Any]]:
    """``table``'s columns in the card's YAML form: ``name`` and ``dtype``, a vocabulary column's dtype a
    ``class_label`` whose ``names`` map each index (a string key, as the Hub requires) to its value."""
    specs = table.fields
    return [
        {"name": field.name,
         "dtype": {"class_label": {"names": {str(index): value for index, value in enumerate(specs[field.name].enum)}}}
         if specs[field.name].enum else dtype(field.type)}
        for field in arrow_schema(table)
    ]


def arrow_bytes(table: Table, data: pa.Table) -> int:
    """The split's ``num_bytes``: the Arrow size of ``data`` (as read from its Parquet file) once `datasets`
    has stored each vocabulary value as its index, a missing value kept missing."""
    columns = []
    for spec in table.fields.values():
        column = data.column(spec.name)
        if spec.enum:
            index = {value: position for position, value in enumerate(spec.enum)}
            column = pa.array([None if value is None else index[value] for value in column.to_pylist()], CLASS_LABEL_STORAGE)
        columns.append(column)
    return pa.table(columns, names=list(table.fields)).nbytes


def dataset_info(name: str, table: Table, rows: int, num_bytes: int, download_size: int) -> dict[str, Any]:
    """One config's entry of ``dataset_info``: its features and its one split, ``train``."""
    return {
        "config_name": name,
        "features": features(table),
        "splits": [{"name": "train", "num_bytes": num_bytes, "num_examples": rows}],
        "download_size": download_size,
        "dataset_size": num_bytes,
    }
