"""Generate the dataset card (the package's README.md, in the Hugging Face layout) from the table declarations,
the built package and the hand-written sections in ``forms/card/``."""

from __future__ import annotations

import json
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from japan_us_summit._layout import resource_path

from . import card_text
from .agreement import agreement_section
from .hf_features import dataset_info
from schema import package
from schema.field_spec import FieldSpec
from schema.table import Table, TableKind
from schema.tables import TABLES

TEMPLATE = "dataset_card.md.j2"
SIZE_BOUNDS = ("1K", "10K", "100K", "1M", "10M", "100M", "1B", "10B", "100B", "1T")  # Hugging Face's bins, 10**3 to 10**12


def size_category(rows: int) -> str:
    """Hugging Face's ``size_categories`` bin for ``rows``."""
    for power, bound in enumerate(SIZE_BOUNDS, start=3):
        if rows < 10**power:
            return f"{SIZE_BOUNDS[power - 4]}<n<{bound}" if power > 3 else f"n<{bound}"
    return f"n>{SIZE_BOUNDS[-1]}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(card_text.FOLDER),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["quoted"] = lambda text: json.dumps(text, ensure_ascii=False)  # a YAML (and JSON) string
    env.globals["section"] = card_text.section
    return env


def _values(table: Table, spec: FieldSpec) -> str:
    """What a field's values are drawn from: a vocabulary, or the keys of a table."""
    if spec.vocabulary:
        return f"[{spec.vocabulary}](#vocabularies)"
    if spec.record_key:
        return f"a key of the table `{spec.record_key}` names"
    for key in table.foreign_keys:
        if spec.name == key.fields[-1]:
            together = "".join(f"with `{other}`, " for other in key.fields[:-1])
            return f"{together}a key of `{key.table}`"
    return ""


def _tables(descriptor: dict[str, Any], rows: dict[str, int]) -> list[dict[str, Any]]:
    licenses = {r["name"]: [license["name"] for license in r["licenses"]] for r in descriptor["resources"] if r.get("type") == "table"}
    return [
        {
            "name": name,
            "description": table.description,
            "key": ", ".join(f"`{column}`" for column in table.primary_key),
            "rows": rows[name],
            "licenses": licenses[name],
            "parquet": resource_path(name, "parquet"),
            "fields": [{"spec": spec, "values": _values(table, spec)} for spec in table.fields.values()],
        }
        for name, table in TABLES.items()
    ]


def identifiers(filled: dict[tuple[str, str], int], rows: dict[str, int]) -> list[dict[str, Any]]:
    """Every field of a public identifier or coordinate scheme, with how many of its table's rows give a value."""
    return [{"table": name, "field": field, "scheme": spec.scheme, "filled": filled.get((name, field), 0), "rows": rows[name]}
            for name, table in TABLES.items() for field, spec in table.fields.items() if spec.scheme]


def front_matter_info(descriptor: dict[str, Any], rows: dict[str, int], arrow_sizes: dict[str, int]) -> str:
    """The front matter's ``dataset_info``, as YAML: a config per table, its features and its split's size."""
    parquet_bytes = {r["path"]: r["bytes"] for r in descriptor["resources"] if r.get("format") == "parquet"}
    info = [dataset_info(name, table, rows[name], arrow_sizes[name], parquet_bytes[resource_path(name, "parquet")])
            for name, table in TABLES.items()]
    return yaml.safe_dump({"dataset_info": info}, sort_keys=False, allow_unicode=True, width=1000).rstrip("\n")


def dataset_card(descriptor: dict[str, Any], rows: dict[str, int], released: str | None, languages: list[str],
                 filled: dict[tuple[str, str], int], arrow_sizes: dict[str, int], agreement: dict[str, Any] | None = None) -> str:
    """The card's Markdown, front matter included, for the package described by ``descriptor``, with ``rows`` rows
    per table, released on ``released`` (if it was), whose articles are in ``languages``; ``filled`` counts the
    values of each (table, field); ``arrow_sizes`` gives each table's size in `datasets`' Arrow form
    (``hf_features.arrow_bytes``); ``agreement`` holds the agreement figures (None: not measured)."""
    vocabularies = {spec.vocabulary: spec.enum for table in TABLES.values() for spec in table.fields.values() if spec.vocabulary}
    return _environment().get_template(TEMPLATE).render(
        package=package,
        version=descriptor["version"],
        released=released,
        languages=languages,
        sources=descriptor["sources"],
        tables=_tables(descriptor, rows),
        dataset_info=front_matter_info(descriptor, rows, arrow_sizes),
        example=next(name for name, table in TABLES.items() if table.kind == TableKind.RECORD),
        size_category=size_category(sum(rows.values())),
        license_name=f"{package.ANNOTATION_LICENSE['name']}-and-{package.SOURCE_TEXT_RIGHTS['name']}".lower(),
        verbatim=[name for name, table in TABLES.items() if table.kind in package.VERBATIM_KINDS],
        copied=[f"{name}.{field}" for name, table in TABLES.items() for field, spec in table.fields.items() if spec.exact_copy],
        vocabularies=dict(sorted(vocabularies.items())),
        citation=package.citation(descriptor["version"], released),
        identifiers=identifiers(filled, rows),
        agreement=agreement_section(agreement),
    )
