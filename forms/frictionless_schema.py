"""Generate a Frictionless Table Schema (Data Package v2) from a table declaration."""

from __future__ import annotations

from typing import Any

from schema.field_spec import FieldSpec
from schema.table import Table

TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


def field_descriptor(spec: FieldSpec, *, unique: bool) -> dict[str, Any]:
    """The Table Schema field for one column."""
    constraints: dict[str, Any] = {}
    if spec.required:
        constraints["required"] = True
    if unique:
        constraints["unique"] = True
    for key, value in (
        ("pattern", spec.pattern),
        ("enum", list(spec.enum) if spec.enum else None),
        ("minimum", spec.minimum),
        ("maximum", spec.maximum),
        ("minLength", spec.min_length),
        ("maxLength", spec.max_length),
    ):
        if value is not None:
            constraints[key] = value
    descriptor: dict[str, Any] = {"name": spec.name, "type": spec.kind, "description": spec.description}
    if spec.kind == "boolean":
        descriptor["trueValues"], descriptor["falseValues"] = ["true"], ["false"]
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(table: Table, tables: dict[str, Table]) -> dict[str, Any]:
    """The complete Table Schema: fields, primary key and foreign keys."""
    single_key = table.primary_key[0] if len(table.primary_key) == 1 else None
    foreign_keys = []
    for key in table.foreign_keys:
        reference: dict[str, Any] = {"fields": list(tables[key.table].primary_key)}
        reference["resource"] = "" if key.table == table.name else key.table
        foreign_keys.append({"fields": list(key.fields), "reference": reference})
    schema: dict[str, Any] = {
        "$schema": TABLE_SCHEMA_PROFILE,
        "fields": [field_descriptor(spec, unique=name == single_key) for name, spec in table.fields.items()],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema
