"""Generate the pandera schema that validates a whole table at once (vectorized, lazily)."""

from __future__ import annotations

import pandera.pandas as pa

from .field_spec import FieldSpec
from .table import Table

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": pa.Date}


def column_checks(spec: FieldSpec) -> list[pa.Check]:
    checks = []
    if spec.pattern is not None:
        checks.append(pa.Check.str_matches(spec.pattern))
    if spec.enum is not None:
        checks.append(pa.Check.isin(list(spec.enum)))
    if spec.minimum is not None:
        checks.append(pa.Check.ge(spec.minimum))
    if spec.maximum is not None:
        checks.append(pa.Check.le(spec.maximum))
    if spec.min_length is not None or spec.max_length is not None:
        checks.append(pa.Check.str_length(spec.min_length, spec.max_length))
    return checks


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """Types, nullability, patterns, vocabularies, ranges, and primary-key uniqueness."""
    single_key = table.primary_key[0] if len(table.primary_key) == 1 else None
    columns = {
        name: pa.Column(
            PANDAS_DTYPES[spec.kind],
            checks=column_checks(spec),
            nullable=not spec.required,
            unique=name == single_key,
            description=spec.description,
        )
        for name, spec in table.fields.items()
    }
    return pa.DataFrameSchema(
        columns,
        name=table.name,
        strict=True,
        ordered=True,
        unique=list(table.primary_key) if single_key is None else None,
        report_duplicates="all",
    )
