"""Licences: every file has one (REUSE), and the data package, pyproject.toml and LICENSES/ say the same."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from pipeline.load.yaml_source import load_records
from schema import package

from .conftest import ROOT

pytestmark = pytest.mark.xdist_group("licences")  # its module-scoped fixtures are built once: every test of the module on one xdist worker

DESCRIPTOR = json.loads((ROOT / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
ARTICLES = [dict(a) for a in load_records((ROOT / "annotations" / "articles.yaml").read_bytes())]


def reuse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reuse", *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def reuse_info() -> dict[str, tuple[set[str], list[str]]]:
    """Each file's licence identifiers and copyright notices, as ``reuse lint --json`` reads REUSE.toml."""
    report = json.loads(reuse("lint", "--json").stdout)
    return {
        f["path"]: ({part for e in f["spdx_expressions"] for part in e["value"].split(" AND ")},
                    [c["value"].removeprefix("SPDX-FileCopyrightText: ") for c in f["copyrights"]])
        for f in report["files"]
    }


def test_reuse_lint_passes():
    done = reuse("lint")
    assert done.returncode == 0, done.stdout + done.stderr


def test_each_resource_has_the_licences_reuse_gives_its_file(reuse_info):
    assert reuse_info["datapackage/datapackage.json"][0] == {licence["name"] for licence in DESCRIPTOR["licenses"]}
    for resource in DESCRIPTOR["resources"]:
        assert reuse_info[f"datapackage/{resource['path']}"][0] == {licence["name"] for licence in resource["licenses"]}, resource["path"]
    verbatim = {r["path"] for r in DESCRIPTOR["resources"] if package.SOURCE_TEXT_RIGHTS in r["licenses"]}
    assert {"csv/source_lines.csv", "parquet/source_lines.parquet"} <= verbatim


def test_each_source_carries_its_articles_notice_and_only_the_publishers_licence(reuse_info):
    for article in ARTICLES:
        licences, notices = reuse_info[f"sources/{article['file']}"]
        assert licences == {package.SOURCE_TEXT_RIGHTS["name"]}
        if article.get("rights_notice"):
            assert notices == [article["rights_notice"]]
        else:
            assert len(notices) == 1 and "no notice" in notices[0]


def test_pyproject_declares_exactly_the_licences_in_licenses(reuse_info):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = set(project["license"].split(" AND "))
    shipped = {Path(p).stem for p in project["license-files"]}
    assert declared == shipped and all((ROOT / p).is_file() for p in project["license-files"])
    assert {package.ANNOTATION_LICENSE["name"], package.SOURCE_TEXT_RIGHTS["name"]} <= declared
    # Any other licence text is that of a file outside the wheel (src/ and datapackage/), as REUSE.toml says.
    others = {p.stem for p in (ROOT / "LICENSES").glob("*.txt")} - shipped
    wheel = [path for path in reuse_info if path.startswith(("src/", "datapackage/"))]
    assert wheel and not [path for path in wheel if reuse_info[path][0] & others]
