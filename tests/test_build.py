"""The published package: deterministic, up to date, valid under frictionless, CSV equal to Parquet, provenance intact."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from forms import web_annotations
from japan_us_summit._layout import AGREEMENT, CARD, CROISSANT, DESCRIPTOR
from forms.arrow_schema import arrow_schema
from forms.data_dictionary import data_dictionary
from pipeline.project import version
from schema.table import TableKind
from schema.tables import TABLES

from .conftest import ROOT, tree_bytes

PACKAGE = ROOT / "datapackage"


def test_build_twice_gives_byte_identical_files_equal_to_the_committed_package(project, run_build):
    code, out, _ = run_build(project, "build")
    assert code == 0, out
    first = tree_bytes(project / "datapackage")
    assert run_build(project, "build")[0] == 0
    assert tree_bytes(project / "datapackage") == first
    assert first == tree_bytes(PACKAGE), "datapackage/ is stale: run `python build.py build` and commit it"


def test_data_dictionary_is_current():
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text())
    counts = {name: pq.read_metadata(PACKAGE / "parquet" / f"{name}.parquet").num_rows for name in TABLES}
    agreement = json.loads((PACKAGE / AGREEMENT).read_text()) if (PACKAGE / AGREEMENT).exists() else None
    expected = data_dictionary(counts, descriptor["version"], agreement)
    assert (ROOT / "DATA.md").read_text(encoding="utf-8") == expected, "DATA.md is stale: run `python build.py build`"
    for name, table in TABLES.items():
        assert f"## {name}" in expected
        for field in table.fields:
            assert f"| `{field}` |" in expected


def test_validate_prints_rows_per_table(project, run_build):
    code, out, err = run_build(project, "validate")
    assert code == 0, err
    for name in TABLES:
        assert name in out
    assert "evidence" in out and "rows" in out


def test_official_frictionless_validate_passes():
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        cwd=PACKAGE, capture_output=True, text=True, check=False,
    )
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    assert result.returncode == 0
    checked = {task["name"] for task in report["tasks"]}
    assert checked == {name for name in TABLES} | {f"{name}-parquet" for name in TABLES}


def test_descriptor_names_every_file_with_its_size_and_hash():
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text())
    assert descriptor["version"] == version(ROOT)
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    for key in ("name", "title", "description", "sources", "contributors", "keywords"):
        assert descriptor[key]
    paths = set()
    for resource in descriptor["resources"]:
        data = (PACKAGE / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["mediatype"] in ("text/csv", "application/vnd.apache.parquet")
        paths.add(resource["path"])
    written = {p for p in tree_bytes(PACKAGE)  # less the metadata and the Web Annotation views beside the data
               if p not in (DESCRIPTOR, CARD, CROISSANT, AGREEMENT) and not p.startswith(f"{web_annotations.FOLDER}/")}
    assert paths == written


@pytest.mark.parametrize("name", list(TABLES))
def test_csv_and_parquet_hold_the_same_rows(name):
    schema = arrow_schema(TABLES[name])
    parquet = pq.read_table(PACKAGE / "parquet" / f"{name}.parquet")
    csv = pa_csv.read_csv(
        PACKAGE / "csv" / f"{name}.csv",
        convert_options=pa_csv.ConvertOptions(column_types=schema, strings_can_be_null=True, quoted_strings_can_be_null=False),
    )
    assert parquet.schema.equals(schema, check_metadata=False)
    assert csv.select(schema.names).cast(schema).to_pylist() == parquet.to_pylist()


def test_every_row_points_at_a_source_line_and_every_quote_matches_it():
    lines = {(r["article_id"], r["line"]): r["text"] for r in pq.read_table(PACKAGE / "parquet" / "source_lines.parquet").to_pylist()}
    for name, table in TABLES.items():
        if table.kind in (TableKind.SOURCE, TableKind.LINK):  # a source is the article itself; a link row's provenance is its record's
            continue
        for row in pq.read_table(PACKAGE / "parquet" / f"{name}.parquet").to_pylist():
            assert (row["article_id"], row["line"]) in lines, (name, row)
    evidence = pq.read_table(PACKAGE / "parquet" / "evidence.parquet").to_pylist()
    assert evidence
    for span in evidence:
        text = lines[(span["article_id"], span["line"])]
        assert text[span["char_start"] : span["char_end"]] == span["quote"]
        assert (span["prefix"] or "") == text[max(0, span["char_start"] - 32) : span["char_start"]]
        assert (span["suffix"] or "") == text[span["char_end"] : span["char_end"] + 32]


def test_every_record_has_evidence_from_its_first_span():
    evidence = pq.read_table(PACKAGE / "parquet" / "evidence.parquet").to_pylist()
    for name, table in TABLES.items():
        if not table.has_evidence:
            continue
        key = table.primary_key[0]
        for row in pq.read_table(PACKAGE / "parquet" / f"{name}.parquet").to_pylist():
            spans = [e for e in evidence if e["record_table"] == name and e["record_id"] == row[key]]
            assert spans, (name, row[key])
            assert (spans[0]["article_id"], spans[0]["line"]) == (row["article_id"], row["line"])


def test_every_date_carries_its_derived_precision_and_bounds():
    from schema.dates import date_bounds
    from schema.table import date_prefixes

    checked = 0
    for name, table in TABLES.items():
        for prefix in date_prefixes(table.model):
            for row in pq.read_table(PACKAGE / "parquet" / f"{name}.parquet").to_pylist():
                derived = (row[f"{prefix}_precision"], row[f"{prefix}_earliest"], row[f"{prefix}_latest"])
                if row[prefix] is None:
                    assert derived == (None, None, None)
                    continue
                assert derived == date_bounds(row[prefix]), (name, row)
                checked += 1
    assert checked >= 20
    assert {prefix for t in TABLES.values() for prefix in date_prefixes(t.model)} == {"published_date", "end_date", "made_date", "deadline", "start_date"}
