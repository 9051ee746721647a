"""Generate the Arrow schema used to write Parquet, descriptions kept in field metadata."""

from __future__ import annotations

from functools import cache

import pyarrow as pa

from schema.field_spec import FieldSpec
from schema.table import Table

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


def arrow_field(spec: FieldSpec) -> pa.Field:
    metadata = {"description": spec.description}
    if spec.enum:
        metadata["enum"] = ",".join(spec.enum)
    return pa.field(spec.name, ARROW_TYPES[spec.kind], nullable=not spec.required, metadata=metadata)


@cache
def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema(
        [arrow_field(spec) for spec in table.fields.values()],
        metadata={"table": table.name, "description": table.description, "primary_key": ",".join(table.primary_key)},
    )


@cache
def bare_schema(table: Table) -> pa.Schema:
    """``arrow_schema`` without its descriptions: for intermediate tables, cheap to pickle; cast back before use."""
    return pa.schema([pa.field(field.name, field.type, field.nullable) for field in arrow_schema(table)])
