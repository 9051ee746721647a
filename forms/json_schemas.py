"""JSON Schemas of the annotation files, for editors and pre-commit: one per annotated table, generated from the
annotation models. Every file of a table (``annotations/<table>.yaml``, or any file holding that table's
records) names its table's schema on its first line, which YAML editors read::

    # yaml-language-server: $schema=../schema/json/<table>.schema.json

The schemas check what can be checked one file at a time (fields, types, patterns, vocabularies, ranges);
``python build.py validate`` stays the full check (quotes against the text, keys across tables, table rules).
"""

from __future__ import annotations

import json
import os
from pathlib import PurePosixPath

from pydantic import TypeAdapter

from schema.annotation import NoFactSentence, annotation_model
from schema.table import Row
from schema.tables import TABLES

SCHEMA_DIR = "schema/json"  # relative to the project root
NO_FACT = "no_fact_sentences"  # annotations/no_fact_sentences.yaml: not a table, but written like one
DIALECT = "https://json-schema.org/draft/2020-12/schema"  # the dialect pydantic generates


def annotated_models() -> dict[str, tuple[type[Row], str]]:
    """The model of one record and what a record is, for each name an annotation file may carry (every annotated
    table, then no_fact_sentences)."""
    tables = {name: (annotation_model(table), table.description) for name, table in TABLES.items() if table.annotated}
    return {**tables, NO_FACT: (NoFactSentence, "Sentences an annotator read and found to hold no annotatable fact, each with the reason.")}


def schema_path(name: str) -> str:
    """Where the schema of annotation files named ``name`` is written, relative to the project root."""
    return f"{SCHEMA_DIR}/{name}.schema.json"


def file_schema(name: str, model: type[Row], description: str) -> str:
    """The JSON Schema of one annotation file: a list of records, each as ``model`` reads it; deterministic text."""
    schema = TypeAdapter(list[model]).json_schema()
    document = {"$schema": DIALECT, "title": f"annotations/{name}.yaml", "description": description, **schema}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def json_schemas() -> dict[str, str]:
    """Every annotation file schema, by path relative to the project root."""
    return {schema_path(name): file_schema(name, *model) for name, model in annotated_models().items()}


def modeline(annotation_file: str, name: str) -> str:
    """The first line an annotation file at ``annotation_file`` (relative to the root) carries for schema ``name``."""
    relative = os.path.relpath(schema_path(name), PurePosixPath(annotation_file).parent)
    return f"# yaml-language-server: $schema={PurePosixPath(relative)}"
