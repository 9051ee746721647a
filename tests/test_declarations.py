"""A table is one declaration: adding one in schema/tables.py is all it takes, and pipeline/ names no table."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pyarrow.parquet as pq

from schema.tables import TABLES
from tests.conftest import ROOT, copy_project, run_build_process, tree_bytes

NEW_TABLE = '''
MENTORSHIPS = Table(
    name="mentorships",
    title="Mentorships",
    description="Who is regarded as whose protege, and which mentorship continues which.",
    kind=TableKind.RECORD,
    primary_key=("mentorship_id",),
    model=row_model(
        "Mentorship",
        {
            "mentorship_id": record_id("Stable id of the mentorship"),
            "protege_id": reference("people", "The protege"),
            "continues_id": optional(reference("mentorships", "The mentorship this one continues")),
            **NOTE,
            **PROVENANCE,
        },
    ),
)

'''
ANNOTATION = """\
- mentorship_id: abe-takaichi
  protege_id: sanae-takaichi
  evidence:
    - {article: kyodo-summit-report, line: 3, quote: "widely regarded as a protege of Shinzo Abe"}
- mentorship_id: abe-takaichi-today
  protege_id: sanae-takaichi
  continues_id: abe-takaichi
  evidence:
    - {article: kyodo-summit-report, line: 3, quote: "a protege of Shinzo Abe"}
"""


def declare_new_table(root: Path) -> None:
    tables = root / "schema" / "tables.py"
    text = tables.read_text(encoding="utf-8")
    text = text.replace("\nTABLES: dict[str, Table] = {", NEW_TABLE + "TABLES: dict[str, Table] = {", 1)
    text = text.replace("    EVIDENCE, CITATIONS,", "    MENTORSHIPS, EVIDENCE, CITATIONS,", 1)
    tables.write_text(text, encoding="utf-8")
    (root / "annotations" / "mentorships.yaml").write_text(ANNOTATION, encoding="utf-8")


def test_a_new_table_declared_in_one_place_is_validated_published_and_documented(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    pipeline_before = tree_bytes(root / "pipeline")
    declare_new_table(root)

    code, out, err = run_build_process(root, "build")
    assert code == 0, err
    assert "mentorships                2 rows" in out
    assert tree_bytes(root / "pipeline") == pipeline_before

    descriptor = json.loads((root / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "mentorships")
    assert {json.dumps(k, sort_keys=True) for k in resource["schema"]["foreignKeys"]} >= {
        json.dumps({"fields": ["protege_id"], "reference": {"resource": "people", "fields": ["person_id"]}}, sort_keys=True),
        json.dumps({"fields": ["continues_id"], "reference": {"resource": "", "fields": ["mentorship_id"]}}, sort_keys=True),
    }
    parquet = pq.read_table(root / "datapackage" / "parquet" / "mentorships.parquet")
    assert parquet.column("continues_id").to_pylist() == [None, "abe-takaichi"]
    assert parquet.schema.field("protege_id").metadata[b"description"] == b"The protege"
    evidence = pq.read_table(root / "datapackage" / "parquet" / "evidence.parquet").to_pylist()
    assert {e["record_id"] for e in evidence if e["record_table"] == "mentorships"} == {"abe-takaichi", "abe-takaichi-today"}
    assert "## mentorships" in (root / "DATA.md").read_text(encoding="utf-8")

    # its derived rules: the self-reference may not form a cycle, the foreign key must resolve, the key is unique
    broken = ANNOTATION.replace("  protege_id: sanae-takaichi\n  evidence", "  protege_id: sanae-takaichi\n  continues_id: abe-takaichi-today\n  evidence", 1)
    broken = broken.replace("protege_id: sanae-takaichi\n  continues_id: abe-takaichi\n", "protege_id: no-such-person\n  continues_id: abe-takaichi\n")
    (root / "annotations" / "mentorships.yaml").write_text(broken, encoding="utf-8")
    code, _, err = run_build_process(root, "validate")
    assert code == 1
    assert "mentorships[abe-takaichi].continues_id: 'abe-takaichi' is its own ancestor (abe-takaichi -> abe-takaichi-today -> abe-takaichi)" in err
    assert "annotations/mentorships.yaml:7: mentorships[abe-takaichi-today].protege_id: 'no-such-person' does not resolve (expected a person_id of people)" in err


def _string_literals(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


# Words that are a table's name and also another format's own: SARIF's result property "locations".
OTHER_MEANINGS = {"pipeline/report_formats.py": {"locations"}}


def test_pipeline_names_no_table():
    named = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        named[relative] = _string_literals(path) & set(TABLES) - OTHER_MEANINGS.get(relative, set())
    assert len(named) > 20  # every stage's modules, not only the top level
    assert {name: tables for name, tables in named.items() if tables} == {}
