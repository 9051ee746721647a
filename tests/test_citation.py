"""CITATION.cff: valid Citation File Format, and stating what the data package and the annotations state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.load.yaml_source import load_records
from schema import package
from schema.dates import date_bounds

from .conftest import ROOT

CITATION = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
DESCRIPTOR = json.loads((ROOT / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
ARTICLES = [dict(a) for a in load_records((ROOT / "annotations" / "articles.yaml").read_bytes())]


def validate_cff(path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with its copy of the official CFF 1.2.0 schema (cffconvert, which pins jsonschema<4, cannot share an environment with frictionless)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.citation-file-format", str(path)],
                          capture_output=True, text=True, check=False)


def test_citation_file_is_valid_cff(tmp_path):
    done = validate_cff(ROOT / "CITATION.cff")
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "CITATION.cff"
    broken.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("type: dataset", "type: database"), encoding="utf-8")
    done = validate_cff(broken)
    assert done.returncode == 1 and "'database' is not one of ['dataset', 'software']" in done.stdout


CFFCONVERT = os.environ.get("CFFCONVERT")  # cffconvert in an environment of its own: .ci/run makes one


@pytest.mark.skipif(not CFFCONVERT, reason="set CFFCONVERT to a cffconvert executable (its jsonschema<4 pin conflicts with frictionless); .ci/run does")
def test_cffconvert_accepts_the_citation_and_refuses_a_broken_one(tmp_path):
    done = subprocess.run([CFFCONVERT, "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "valid" in done.stdout, done.stdout + done.stderr
    broken = tmp_path / "CITATION.cff"
    broken.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("type: dataset", "type: database"), encoding="utf-8")
    assert subprocess.run([CFFCONVERT, "--validate", "-i", str(broken)], capture_output=True, text=True, check=False).returncode != 0


def test_citation_states_what_the_data_package_states():
    assert CITATION["title"] == DESCRIPTOR["title"] == package.TITLE
    assert str(CITATION["version"]) == DESCRIPTOR["version"]
    assert " ".join(CITATION["abstract"].split()) == DESCRIPTOR["description"]
    assert CITATION["keywords"] == DESCRIPTOR["keywords"]
    assert [a["name"] for a in CITATION["authors"]] == [c["title"] for c in DESCRIPTOR["contributors"] if "author" in c["roles"]]
    assert CITATION["license"] == DESCRIPTOR["licenses"][0]["name"]
    assert "repository-code" not in CITATION and "url" not in CITATION  # the project has no public address


def test_references_state_of_each_article_what_its_annotation_states():
    references = {r["filename"]: r for r in CITATION["references"]}
    assert sorted(references) == sorted(f"sources/{a['file']}" for a in ARTICLES)
    for article in ARTICLES:
        reference = references[f"sources/{article['file']}"]
        assert reference["title"].startswith("[") and reference["title"].endswith("]")  # a description: no headline is known
        assert article["article_id"] in reference["notes"]
        assert reference["languages"] == [article["language_code"]]
        assert reference.get("publisher", {}).get("name") == article.get("publisher")
        assert reference.get("copyright") == article.get("rights_notice")
        assert "url" not in reference
        _, first, last = date_bounds(article["published_date"])
        if first == last:
            assert reference["date-published"] == first.isoformat()
        else:  # CFF holds no "one of two days": the month both bounds share
            assert "date-published" not in reference
            assert (reference["year"], reference["month"]) == (first.year, first.month) == (last.year, last.month)
