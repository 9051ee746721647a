"""Generate the data dictionary (DATA.md) from the table declarations."""

from __future__ import annotations

from typing import Any

from schema.tables import TABLES

from .agreement import agreement_section


def _constraints(spec) -> str:
    parts = []
    if spec.enum:
        parts.append("one of " + ", ".join(f"`{v}`" for v in spec.enum))
    if spec.pattern:
        parts.append(f"pattern `{spec.pattern}`")
    if spec.minimum is not None:
        parts.append(f">= {spec.minimum:g}")
    if spec.maximum is not None:
        parts.append(f"<= {spec.maximum:g}")
    if spec.max_length is not None:
        parts.append(f"at most {spec.max_length} characters")
    if spec.references:
        parts.append(f"references `{spec.references}`")
    if spec.derived:
        parts.append("computed by the build")
    if spec.scheme:
        parts.append(f"scheme {spec.scheme.name} ({spec.scheme.maintainer}); checked: {spec.scheme.checked}")
    if spec.external:
        parts.append("from outside the articles: the record cites a reference for it")
    return "; ".join(parts)


def data_dictionary(row_counts: dict[str, int], version: str, agreement: dict[str, Any] | None = None) -> str:
    """Markdown: every table with its row count and key, every field with type, constraints and description; then
    the agreement with the second annotation (None: not measured)."""
    lines = [
        "# Data dictionary",
        "",
        f"Generated from `schema/` by `python build.py build` for version {version}; do not edit by hand.",
        "",
        "| table | rows | description |",
        "|---|---:|---|",
    ]
    lines += [f"| [`{name}`](#{name}) | {row_counts[name]} | {table.description} |" for name, table in TABLES.items()]
    lines += ["", "## Identifier schemes", "",
              "The fields that hold an identifier or a coordinate of a public scheme, so the rows can be joined with other "
              "datasets; each value says how it is known (its evidence basis) and, where it comes from outside the "
              "articles, cites the page or copy it was read from (`citations`). Empty where no source was found.", "",
              "| field | scheme | maintained by | checked |", "|---|---|---|---|"]
    lines += [f"| `{name}.{field}` | {spec.scheme.name} | {spec.scheme.maintainer} | {spec.scheme.checked} |"
              for name, table in TABLES.items() for field, spec in table.fields.items() if spec.scheme]
    for name, table in TABLES.items():
        lines += [
            "",
            f"## {name}",
            "",
            f"{table.description} Rows: {row_counts[name]}. Primary key: {', '.join(f'`{k}`' for k in table.primary_key)}.",
            "",
            "| field | type | required | constraints | description |",
            "|---|---|---|---|---|",
        ]
        for field, spec in table.fields.items():
            description = spec.description.replace("|", "\\|")
            constraints = _constraints(spec).replace("|", "\\|")
            lines.append(f"| `{field}` | {spec.kind} | {'yes' if spec.required else ''} | {constraints} | {description} |")
    lines += ["", "## Agreement", "", agreement_section(agreement)]
    return "\n".join(lines) + "\n"
