"""Read ``annotations/*.yaml`` and validate each record against its annotation model (level 1: pydantic)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schema.annotation import annotation_model
from schema.table import Row, Table

from .problems import Problem
from .yaml_source import Located, YamlError, load_records

ANNOTATIONS_DIR = "annotations"
NO_FACT_FILE = f"{ANNOTATIONS_DIR}/no_fact_sentences.yaml"  # read by the coverage report


@dataclass(frozen=True)
class Annotated:
    """One record as written: where it is, and the validated record (None when invalid)."""

    table: Table
    file: str
    mapping: Located
    record: Row | None

    @property
    def record_id(self) -> str | None:
        value = self.mapping.get(self.table.primary_key[0])
        return value if isinstance(value, str) else None

    def line_of(self, loc: tuple[Any, ...]) -> int:
        """The line of the value at ``loc`` (a pydantic error location) within this record."""
        node, line = self.mapping, self.mapping.line
        for step in loc:
            if isinstance(node, Located) and isinstance(step, str) and step in node.key_lines:
                line, node = node.key_lines[step], node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
                line = getattr(node, "line", line)
            else:
                break
        return line


def field_label(loc: tuple[Any, ...]) -> str:
    label = ""
    for step in loc:
        label += f"[{step}]" if isinstance(step, int) else (f".{step}" if label else str(step))
    return label


def _explain(error: dict[str, Any], model: type[Row]) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        info = model.model_fields.get(str(loc[-1]))
        return f"missing required field (expected: {info.description})" if info and info.description else "missing required field"
    if kind == "extra_forbidden":
        return f"unknown field (expected one of: {', '.join(model.model_fields)})"
    if kind == "string_type" and isinstance(error["input"], (int, float, bool)):
        return f"got {error['input']!r}, which YAML reads as a number or boolean (expected text: put it in quotes, \"{error['input']}\")"
    message = error["msg"].removeprefix("Value error, ")
    if not loc or repr(error["input"]) in message:
        return message
    return f"{message} (got {error['input']!r})"


def load_table(root: Path, table: Table) -> tuple[list[Annotated], list[Problem]]:
    """Every record of one table's annotation file, and the problems found in it."""
    relative = f"{ANNOTATIONS_DIR}/{table.name}.yaml"
    path = root / relative
    if not path.exists():
        return [], []
    try:
        mappings = load_records(path.read_bytes())
    except YamlError as error:
        return [], [Problem(relative, error.line, table.name, None, None, error.message)]
    model, loaded, problems = annotation_model(table), [], []
    for mapping in mappings:
        try:
            record = model.model_validate(dict(mapping))
        except ValidationError as error:
            record = None
            item = Annotated(table, relative, mapping, None)
            for detail in error.errors():
                loc = tuple(detail["loc"])
                problems.append(
                    Problem(relative, item.line_of(loc), table.name, item.record_id, field_label(loc) or None, _explain(detail, model))
                )
        loaded.append(Annotated(table, relative, mapping, record))
    return loaded, problems


def unknown_files(root: Path, known: set[str]) -> list[Problem]:
    """Files in annotations/ that nothing reads."""
    return [
        Problem(f"{ANNOTATIONS_DIR}/{path.name}", None, None, None, None,
                f"nothing reads this file (expected one of: {', '.join(sorted(known))})")
        for path in sorted((root / ANNOTATIONS_DIR).iterdir())
        if path.name not in known and not path.name.startswith(".")
    ]
