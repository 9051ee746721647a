"""The command line as a person reads it: tables that fit the terminal, the other formats, search, one record
with its evidence, claims and relations, and the provenance site."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import japan_us_summit as jus
from japan_us_summit import _site, _terminal
from japan_us_summit._files import DataPackage
from japan_us_summit.cli import cli

from .conftest import ROOT


def invoke(*args: str, columns: int = 80):
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(columns)})
    return result


@pytest.mark.parametrize("table", jus.tables())
def test_show_fits_an_80_column_terminal_and_names_what_it_leaves_out(table: str):
    result = invoke("show", table)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= 80
    names = [field["name"] for field in jus._package().fields(table)]
    shown = lines[0].split()
    assert shown == names[: len(shown)]
    if len(shown) < len(names):
        assert f"did not fit: {', '.join(names[len(shown):])};" in result.stderr


def test_a_wider_terminal_shows_more_columns():
    narrow, wide = (invoke("show", "meetings", columns=width).stdout.splitlines()[0].split() for width in (80, 200))
    assert len(wide) > len(narrow) >= 3


def test_long_text_wraps_within_its_column_and_nothing_is_cut():
    text = "a long sentence " * 20
    out, left = _terminal.render(["id", "text"], [["x-1", text.strip()]], "table", room=40)
    assert left == [] and max(map(len, out.splitlines())) <= 40
    body = " ".join(line[len("x-1") + 2:].strip() for line in out.splitlines()[2:])
    assert body == text.strip()


@pytest.mark.parametrize("form", ["md", "csv", "tsv", "json"])
def test_every_format_holds_the_rows_exactly(form: str):
    result = invoke("show", "people", "--format", form)
    assert result.exit_code == 0, result.stderr
    expected = [{k: (None if v is None else _terminal.text(v)) for k, v in row.items()}
                for row in jus.load("people", backend="arrow").to_pylist()]
    if form == "json":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
    elif form == "md":
        header, rule, *body = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in result.stdout.splitlines()]
        assert set(rule) == {"---"}
        rows = [dict(zip(header, (cell or None for cell in row))) for row in body]
    else:
        rows = [{k: v or None for k, v in row.items()} for row in csv.DictReader(io.StringIO(result.stdout), delimiter="," if form == "csv" else "\t")]
    assert rows == expected


def test_search_finds_records_by_text_across_tables_whole_words_only():
    result = invoke("search", "Abe", "--format", "json")
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"table": "people", "id": "shinzo-abe", "field": "name", "text": "Shinzo Abe"} in hits
    assert {hit["table"] for hit in hits} >= {"people", "claims", "evidence", "source_lines"}
    assert all("abe" in hit["text"].lower() for hit in hits)
    assert not any("label" in hit["text"].lower() and " abe" not in hit["text"].lower() for hit in hits)
    assert jus.search("Abe") == hits


def test_search_of_one_table_and_of_nothing_found():
    hits = [json.loads(line) for line in invoke("search", "tokyo", "-t", "locations", "--format", "json").stdout.splitlines()]
    assert hits and {hit["table"] for hit in hits} == {"locations"} and any(hit["id"] == "tokyo" for hit in hits)
    missing = invoke("search", "no such words anywhere")
    assert missing.exit_code == 1 and missing.stderr == "error: no value contains 'no such words anywhere'\n"


def test_record_shows_the_fields_evidence_claims_and_relations():
    found = jus.record("people", "shinzo-abe")
    assert found.values["name"] == "Shinzo Abe"
    assert list(found.evidence["quote"]) == list(jus.evidence("people", "shinzo-abe")["quote"])
    assert list(found.claims["claim_id"]) == list(jus.claims_about("people", "shinzo-abe")["claim_id"])
    relations = jus.load("relations")
    involved = relations[(relations["subject_id"] == "shinzo-abe") | (relations["object_id"] == "shinzo-abe")]
    assert sorted(found.relations["relation_id"]) == sorted(involved["relation_id"]) and len(involved)
    result = invoke("record", "people", "shinzo-abe")
    assert result.exit_code == 0 and max(map(len, result.stdout.splitlines())) <= 80
    for heading in ("people shinzo-abe", f"evidence ({len(found.evidence)})", f"claims ({len(found.claims)})",
                    f"relations ({len(found.relations)})"):
        assert heading in result.stdout.splitlines()
    as_json = json.loads(invoke("record", "people", "shinzo-abe", "--format", "json").stdout)
    assert as_json["values"]["name"] == "Shinzo Abe" and len(as_json["evidence"]) == len(found.evidence)


def test_an_unknown_record_or_table_names_the_closest():
    result = invoke("record", "people", "shinzo-ab")
    assert result.exit_code == 1 and result.stderr == "error: Table 'people' has no record 'shinzo-ab'. Did you mean 'shinzo-abe'?\n"
    result = invoke("show", "peple")
    assert result.exit_code == 2 and "'peple' is not a table (did you mean 'people'?" in result.stderr


@pytest.fixture
def shipped_site(tmp_path: Path, monkeypatch) -> Path:
    """The site archive a wheel made by `build.py dist` carries, made the same way and put where the package looks."""
    from pipeline.release.distribution import _site_archive
    from provenance_site.load import load_package
    from provenance_site.render import render_site

    package = DataPackage(ROOT / "datapackage")  # the checkout's own data, which its renderer reads
    monkeypatch.setattr(jus, "_package", lambda: package)
    archive = tmp_path / "site.zip"
    _site_archive(lambda folder: render_site(load_package(package.folder), folder), package.descriptor["version"], archive)
    monkeypatch.setattr(_site, "shipped", lambda: archive)
    return archive


def test_site_writes_the_shipped_site_into_a_new_folder(tmp_path: Path, shipped_site: Path):
    result = invoke("site", str(tmp_path / "site"))
    assert result.exit_code == 0, result.stderr
    pages = list((tmp_path / "site").rglob("*.html"))
    assert f"Wrote {len(pages)} pages" in result.stdout and (tmp_path / "site" / "index.html").is_file()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("mine")
    refused = invoke("site", str(tmp_path / "mine"))
    assert refused.exit_code == 1 and "is not an empty folder" in refused.stderr
    assert (tmp_path / "mine" / "thesis.txt").read_text() == "mine"


def test_a_site_of_another_version_or_none_is_refused(tmp_path: Path, shipped_site: Path, monkeypatch):
    with zipfile.ZipFile(shipped_site, "a") as archive:
        archive.comment = _site.comment("0.0.1")
    result = invoke("site", str(tmp_path / "old"))
    assert result.exit_code == 1 and "not of data version" in result.stderr and not (tmp_path / "old").exists()
    monkeypatch.setattr(_site, "shipped", lambda: None)
    result = invoke("site", str(tmp_path / "none"))
    assert result.exit_code == 1 and "carries no site" in result.stderr
