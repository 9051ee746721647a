"""A synthetic corpus: the project with its articles and annotations replicated K times under fresh ids.

Replica 0 is the project as it is. Replica r (1..K-1) copies every source file to ``<name>-r<r>.txt`` and every
annotation file to ``annotations/<table>/r<r>.yaml`` (the split layout: one file per table and replica), with each
record id, and every value that names one, suffixed ``-r<r>``; quotes and other text are left alone, so every
reference and every quote still resolves. A replica's sources are rehashed (their ``sha256`` is recomputed).

    python benchmarks/corpus.py K OUT
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.load.annotations import table_files  # noqa: E402
from pipeline.project import ANNOTATIONS_DIR, SOURCES_DIR  # noqa: E402
from pipeline.load.yaml_source import load_records, plain  # noqa: E402
from schema.annotation import EVIDENCE  # noqa: E402
from schema.fields import ExactCopy  # noqa: E402
from schema.field_spec import markers  # noqa: E402
from schema.table import TableKind  # noqa: E402
from schema.tables import PREDICATES, TABLES  # noqa: E402

PROJECT_PARTS = ("schema", "forms", "pipeline", "src", "build.py", "pyproject.toml", "CHANGELOG.md", "CITATION.cff", "releases", "annotations")
SOURCE = next(t for t in TABLES.values() if t.kind == TableKind.SOURCE)


def _copy_free(table_name: str) -> set[str]:
    """Fields whose text is copied from the source: never renamed."""
    table = TABLES[table_name]
    return {name for name, info in table.model.model_fields.items() if any(isinstance(m, ExactCopy) for m in markers(info))} | {"quote"}


def _renamed(node: Any, ids: set[str], suffix: str, keep: set[str]) -> Any:
    if isinstance(node, dict):
        return {key: node[key] if key in keep else _renamed(node[key], ids, suffix, keep) for key in node}
    if isinstance(node, list):
        return [_renamed(value, ids, suffix, keep) for value in node]
    return f"{node}{suffix}" if isinstance(node, str) and node in ids else node


def _canonical(relation: dict[str, Any]) -> dict[str, Any]:
    """A symmetric relation with its ends swapped where the suffixed ids reverse their order (it is stored once,
    the subject's (table, id) first)."""
    subject, obj = (relation["subject_table"], relation["subject_id"]), (relation["object_table"], relation["object_id"])
    if not PREDICATES[relation["predicate"]].symmetric or subject < obj:
        return relation
    return relation | {"subject_table": obj[0], "subject_id": obj[1], "object_table": subject[0], "object_id": subject[1]}


def generate(replicas: int, out: Path) -> None:
    """Write the project with ``replicas`` copies of its data to ``out`` (which must not exist)."""
    out.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, out / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, out / part)
    shutil.copytree(ROOT / SOURCES_DIR, out / SOURCES_DIR)
    records = {name: [plain(m) for path in table_files(ROOT, table) for m in load_records((ROOT / path).read_bytes())]
               for name, table in TABLES.items() if table.annotated}
    ids = {str(record[table.primary_key[0]]) for name, table in TABLES.items() if table.annotated for record in records[name]}
    keep = {name: _copy_free(name) for name in records}
    for replica in range(1, replicas):
        suffix = f"-r{replica}"
        for name, rows in records.items():
            copies = [_renamed(row, ids, suffix, keep[name]) for row in rows]
            if name == "relations":
                copies = [_canonical(row) for row in copies]
            if name == SOURCE.name:
                for row in copies:
                    stem = row["file"].removesuffix(".txt")
                    row["file"] = f"{stem}{suffix}.txt"
                    text = (ROOT / SOURCES_DIR / f"{stem}.txt").read_bytes()
                    (out / SOURCES_DIR / row["file"]).write_bytes(text)
                    row["sha256"] = hashlib.sha256(text).hexdigest()
            folder = out / ANNOTATIONS_DIR / name
            folder.mkdir(exist_ok=True)
            (folder / f"r{replica:04d}.yaml").write_text(yaml.dump(copies, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=1000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("replicas", type=int, help="K: how many copies of the articles and annotations")
    parser.add_argument("out", type=Path, help="folder to create")
    args = parser.parse_args()
    generate(args.replicas, args.out)


if __name__ == "__main__":
    main()
