"""The pre-commit hook: each annotation file against its table's JSON Schema (``schema/json/``), by check-jsonschema.

    python -m pipeline.check.annotation_schemas [FILE ...]    (default: every annotation file)

A file's table comes from its path (``annotations/<table>.yaml``, or any file under ``annotations/<table>/``),
and its first line must name that table's schema, as YAML editors read it. Exits 1 when a file fails.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from forms.json_schemas import annotated_models, modeline, schema_path

from pipeline.project import ANNOTATIONS_DIR, ROOT


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


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    files = sys.argv[1:] if argv is None else argv
    problems, by_schema = check(root, files or annotation_files(root))
    for problem in problems:
        print(problem, file=sys.stderr)
    failed = bool(problems)
    for name, members in by_schema.items():
        done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", schema_path(name), *members],
                              cwd=root, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            failed = True
            print((done.stdout + done.stderr).strip(), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
