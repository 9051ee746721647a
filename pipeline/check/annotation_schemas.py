"""The pre-commit hook: each annotation file against its table's JSON Schema (``schema/json/``), with jsonschema.

    python -m pipeline.check.annotation_schemas [FILE ...]    (default: every annotation file)

A file's table comes from its path (``annotations/<table>.yaml``, or any file under ``annotations/<table>/``),
and its first line must name that table's schema, as YAML editors read it. Each problem is one line,
``file:line: table[id].field: message``, read with the build's own YAML loader so the lines are the same as
``validate``'s. Exits 1 when a file fails.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from jsonschema import Draft202012Validator, ValidationError

from forms.json_schemas import annotated_models, modeline, schema_path
from japan_us_summit._suggest import did_you_mean
from schema.tables import TABLES

from pipeline.problems import Problem
from pipeline.project import ANNOTATIONS_DIR, ROOT
from pipeline.load.yaml_source import YamlError, field_label, line_at, load_records


def schema_name(relative: PurePosixPath) -> str | None:
    """The schema an annotation file at ``relative`` (to the project root) is written to, or None if none is."""
    parts = relative.parts
    if len(parts) < 2 or parts[0] != ANNOTATIONS_DIR or relative.suffix != ".yaml":
        return None
    name = PurePosixPath(parts[1]).stem if len(parts) == 2 else parts[1]
    return name if name in annotated_models() else None


def annotation_files(root: Path) -> list[str]:
    """Every YAML file under annotations/, relative to ``root``."""
    return sorted(p.relative_to(root).as_posix() for p in (root / ANNOTATIONS_DIR).rglob("*.yaml"))


def check(root: Path, files: Iterable[str]) -> tuple[list[str], dict[str, list[str]]]:
    """One line per file that names no schema, or not its own on its first line; and the files of each schema."""
    problems, by_schema = [], {}
    for file in files:
        relative = PurePosixPath(Path(file).resolve().relative_to(root.resolve()).as_posix())
        name = schema_name(relative)
        if name is None:
            problems.append(f"{relative}: not the file of an annotated table (expected annotations/<table>.yaml or "
                            f"annotations/<table>/..., with <table> one of: {', '.join(annotated_models())})")
            continue
        expected = modeline(str(relative), name)
        with (root / relative).open(encoding="utf-8", errors="replace") as text:
            first = text.readline().rstrip("\n")
        if first != expected:
            problems.append(f"{relative}:1: the first line is {first!r} (expected {expected!r}, which tells editors the schema)")
        by_schema.setdefault(name, []).append(str(relative))
    return problems, by_schema


def _message(error: ValidationError) -> str:
    """jsonschema's message, with the closest valid names for a value outside a vocabulary or an unknown field."""
    if error.validator == "enum":
        hint = did_you_mean(error.instance, error.validator_value)
        return f"{error.message}" + (f" ({hint})" if hint else "")
    return error.message


def _unknown_keys(error: ValidationError) -> list[tuple[str, str]]:
    """For an object with fields its schema does not allow: each such field, and a message naming the closest."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    known = list(error.schema.get("properties", {}))
    return [(key, f"unknown field ({(did_you_mean(key, known) + ' ') if did_you_mean(key, known) else ''}expected one of: {', '.join(known)})")
            for key in error.instance if key not in known]


def schema_problems(root: Path, file: str, name: str) -> Iterator[Problem]:
    """Every place where ``file`` breaks the JSON Schema of ``name``, at its line."""
    schema = json.loads((root / schema_path(name)).read_text(encoding="utf-8"))
    try:
        records = load_records((root / file).read_bytes())
    except YamlError as error:
        yield Problem(file=file, line=error.line, table=name, field=error.field, message=error.message)
        return
    key = TABLES[name].primary_key[0] if name in TABLES else None
    for error in sorted(Draft202012Validator(schema).iter_errors(records), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(error.absolute_path)
        if not path:
            yield Problem(file=file, line=1, table=name, message=error.message)
            continue
        record = records[path[0]]
        record_id = record.get(key) if key and isinstance(record.get(key), str) else None
        for unknown, message in _unknown_keys(error):
            at = (*path[1:], unknown)
            yield Problem(file=file, line=line_at(record, at), table=name, record_id=record_id, field=field_label(at), message=message)
        if _unknown_keys(error):
            continue
        yield Problem(file=file, line=line_at(record, path[1:]), table=name, record_id=record_id,
                      field=field_label(path[1:]) or None, message=_message(error))


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    files = sys.argv[1:] if argv is None else argv
    problems, by_schema = check(root, files or annotation_files(root))
    for problem in problems:
        print(problem, file=sys.stderr)
    failed = bool(problems)
    for name, members in by_schema.items():
        for member in members:
            for problem in schema_problems(root, member, name):
                failed = True
                print(problem, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
