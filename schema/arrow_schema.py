"""Generate the Arrow schema used to write Parquet, descriptions kept in field metadata."""

from __future__ import annotations

import pyarrow as pa

from .field_spec import FieldSpec
from .table import Table

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


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema(
        [arrow_field(spec) for spec in table.fields.values()],
        metadata={"table": table.name, "description": table.description, "primary_key": ",".join(table.primary_key)},
    )
