"""The one schema definition and every form generated from it agree, field by field.

Pydantic's own JSON Schema of each row model is the reference; the Frictionless Table Schema, the
Arrow schema and the pandera schema are each read back into the same plain facts and compared.
"""

from __future__ import annotations

import inspect

import pyarrow as pa
import pytest

from schema import vocabularies
from schema.annotation import annotation_model
from forms.arrow_schema import arrow_schema
from forms.frictionless_schema import table_schema
from forms.pandera_schema import pandera_schema
from schema.tables import TABLES
from schema.vocabularies import Vocabulary

JSON_KINDS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
ARROW_KINDS = {pa.string(): "string", pa.int64(): "integer", pa.float64(): "number", pa.bool_(): "boolean", pa.date32(): "date"}
PANDERA_KINDS = {"string": "string", "Int64": "integer", "Float64": "number", "boolean": "boolean", "date32": "date",
                 "String": "string", "Boolean": "boolean", "Date": "date"}  # pandas dtypes, then polars'


def from_pydantic(model) -> dict[str, dict]:
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})
    facts = {}
    for name, prop in schema["properties"].items():
        branches = prop.get("anyOf", [prop])
        nullable = {"type": "null"} in branches
        (branch,) = [b for b in branches if b != {"type": "null"}]
        enum = branch.get("enum")  # inline: a vocabulary derived from the declarations (record table names)
        if "$ref" in branch:
            enum = definitions[branch["$ref"].split("/")[-1]]["enum"]
            kind = "string"
        else:
            kind = "date" if branch.get("format") == "date" else JSON_KINDS[branch["type"]]
        facts[name] = {
            "kind": kind,
            "required": not nullable,
            "description": prop.get("description") or branch.get("description"),
            "enum": enum,
            "pattern": branch.get("pattern"),
            "minimum": branch.get("minimum"),
            "maximum": branch.get("maximum"),
            "min_length": branch.get("minLength"),
            "max_length": branch.get("maxLength"),
        }
    return facts


def from_frictionless(schema: dict) -> dict[str, dict]:
    facts = {}
    for field in schema["fields"]:
        constraints = field.get("constraints", {})
        facts[field["name"]] = {
            "kind": field["type"],
            "required": constraints.get("required", False),
            "description": field["description"],
            "enum": constraints.get("enum"),
            "pattern": constraints.get("pattern"),
            "minimum": constraints.get("minimum"),
            "maximum": constraints.get("maximum"),
            "min_length": constraints.get("minLength"),
            "max_length": constraints.get("maxLength"),
        }
    return facts


def from_arrow(schema: pa.Schema) -> dict[str, dict]:
    facts = {}
    for field in schema:
        metadata = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
        facts[field.name] = {
            "kind": ARROW_KINDS[field.type],
            "required": not field.nullable,
            "description": metadata["description"],
            "enum": metadata["enum"].split(",") if "enum" in metadata else None,
        }
    return facts


def from_pandera(schema) -> dict[str, dict]:
    facts = {}
    for name, column in schema.columns.items():
        stats, lengths = {}, {}
        for check in column.checks:
            (lengths if check.name == "str_length" else stats).update(check.statistics)
        facts[name] = {
            "kind": PANDERA_KINDS[str(column.dtype).split("[")[0]],  # string[pyarrow] or string[python]
            "required": not column.nullable,
            "description": column.description,
            "enum": stats.get("allowed_values"),
            "pattern": stats.get("pattern"),
            "minimum": stats.get("min_value"),
            "maximum": stats.get("max_value"),
            "min_length": lengths.get("min_value"),
            "max_length": lengths.get("max_value"),
        }
    return facts


def subset(facts: dict[str, dict], keys) -> dict[str, dict]:
    return {name: {k: v for k, v in fact.items() if k in keys} for name, fact in facts.items()}


@pytest.mark.parametrize("name", list(TABLES))
def test_frictionless_form_agrees_with_pydantic(name):
    table = TABLES[name]
    reference = from_pydantic(table.model)
    generated = from_frictionless(table_schema(table, TABLES))
    assert list(generated) == list(reference)
    assert generated == reference


@pytest.mark.parametrize("name", list(TABLES))
def test_arrow_form_agrees_with_pydantic(name):
    table = TABLES[name]
    keys = ("kind", "required", "description", "enum")
    generated = from_arrow(arrow_schema(table))
    assert list(generated) == list(table.model.model_fields)
    assert generated == subset(from_pydantic(table.model), keys)


@pytest.mark.parametrize("backend", ["pandas", "polars"])
@pytest.mark.parametrize("name", list(TABLES))
def test_pandera_form_agrees_with_pydantic(name, backend):
    table = TABLES[name]
    keys = ("kind", "required", "description", "enum", "pattern", "minimum", "maximum", "min_length", "max_length")
    schema = pandera_schema(table, backend=backend)
    assert schema.strict and schema.ordered
    generated = from_pandera(schema)
    assert list(generated) == list(table.model.model_fields)
    assert generated == subset(from_pydantic(table.model), keys)


@pytest.mark.parametrize("name", list(TABLES))
def test_keys_agree_across_forms(name):
    table = TABLES[name]
    schema = table_schema(table, TABLES)
    assert schema["primaryKey"] == list(table.primary_key)
    assert arrow_schema(table).metadata[b"primary_key"].decode().split(",") == list(table.primary_key)
    for pandera in (pandera_schema(table), pandera_schema(table, backend="polars")):
        if len(table.primary_key) == 1:
            assert pandera.columns[table.primary_key[0]].unique
        else:
            assert pandera.unique == list(table.primary_key)
    for key in schema.get("foreignKeys", []):
        target = key["reference"]["resource"] or name
        assert key["reference"]["fields"] == list(TABLES[target].primary_key)


def test_every_vocabulary_is_used_by_some_field():
    declared = {cls.__name__ for _, cls in inspect.getmembers(vocabularies, inspect.isclass)
                if issubclass(cls, Vocabulary) and cls is not Vocabulary}
    used = set()
    for table in TABLES.values():
        for prop in table.model.model_json_schema().get("$defs", {}):
            used.add(prop)
    assert declared <= used, f"unused vocabularies: {declared - used}"


def test_annotation_models_are_the_row_models_less_derived_fields():
    for table in TABLES.values():
        if not table.annotated:
            continue
        fields = set(annotation_model(table).model_fields)
        expected = set(table.model.model_fields) - set(table.derived_fields)
        if table.has_evidence:
            expected.add("evidence")
        expected |= {link.written_in for link in table.links(TABLES)}
        assert fields == expected, table.name
