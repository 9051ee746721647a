"""Files read as what they are: every encoding or parse fault of a project file is one line naming it (and, under
``validate --format json``, a JSON problem on stdout); only the files a table declares are read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project, run_build_process
from pipeline.project import version
from tests.test_faults import next_minor, repo, stale  # noqa: F401 (a fixture)


def one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.strip().splitlines() if not line.endswith("problem(s); nothing was published.")]
    assert len(lines) == 1, err
    return lines[0]


def test_a_comment_after_the_citation_version_is_a_comment(repo, run_build):
    citation = repo / "CITATION.cff"
    current, new = version(repo), next_minor(repo)
    citation.write_text(citation.read_text(encoding="utf-8").replace(f"version: {current}\n", f"version: {current}  # the data version\n"), encoding="utf-8")
    code, _, err = run_build(repo, "validate")
    assert code == 0, err
    stale(repo)
    code, _, err = run_build(repo, "release", "minor")
    assert code == 0, err
    assert f"version: {new}  # the data version\n" in citation.read_text(encoding="utf-8")
    assert run_build(repo, "validate")[0] == 0


BROKEN = {
    "CITATION.cff": lambda text: text.replace("Hand-annotated", "Hand-annotated caf\udce9", 1).encode("utf-8", "surrogateescape"),
    "CHANGELOG.md": lambda text: (text + "\ncaf\udce9\n").encode("utf-8", "surrogateescape"),
    "pyproject.toml": lambda text: (text + "\n[project\n").encode("utf-8"),
}
EXPECTED = {"CITATION.cff": "is not valid UTF-8", "CHANGELOG.md": "is not valid UTF-8", "pyproject.toml": "is not valid TOML"}


@pytest.mark.parametrize("command", ["validate", "check", "release minor"])
@pytest.mark.parametrize("name", list(BROKEN))
def test_a_file_that_is_not_utf_8_or_not_its_format_is_one_line(repo, run_build, name, command):
    path = repo / name
    path.write_bytes(BROKEN[name](path.read_text(encoding="utf-8")))
    before = path.read_bytes()
    code, _, err = run_build(repo, *command.split())
    line = one_line(err)
    assert code == 1 and name in line and EXPECTED[name] in line, line
    assert path.read_bytes() == before


def json_problems(out: str) -> list[dict]:
    problems = json.loads(out)
    assert isinstance(problems, list) and problems
    return problems


@pytest.mark.parametrize("name", list(BROKEN))
def test_validate_json_reports_a_broken_project_file_as_json(repo, run_build, name):
    path = repo / name
    path.write_bytes(BROKEN[name](path.read_text(encoding="utf-8")))
    code, out, err = run_build(repo, "validate", "--format", "json")
    assert code == 1
    assert [p["file"] for p in json_problems(out)] == [name]


def test_validate_json_reports_a_damaged_release_snapshot(repo, run_build):
    (repo / "releases" / "0.2.1.json").write_text('{"cut short', encoding="utf-8")
    code, out, err = run_build(repo, "validate", "--format", "json")
    assert code == 1
    (problem,) = json_problems(out)
    assert problem["file"] == "releases/0.2.1.json" and "restore it from git" in problem["message"]


def _capsh_works() -> bool:
    return shutil.which("capsh") is not None and subprocess.run(
        ["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _capsh_works(), reason="needs capsh, to drop root's power to read any file")
def test_validate_json_reports_an_unreadable_annotation_file(project):
    """Root reads any file: the command runs without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH."""
    (project / "annotations" / "figures.yaml").chmod(0)
    command = f"{sys.executable} build.py --no-cache validate --format json"
    done = subprocess.run(["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", command], cwd=project,
                          capture_output=True, text=True)
    assert done.returncode == 1
    (problem,) = json_problems(done.stdout)
    assert problem["file"].endswith("annotations/figures.yaml") and "Permission denied" in problem["message"]
    assert "Permission denied" in one_line(done.stderr)


def test_a_plain_file_named_for_a_table_is_reported_not_read(project, run_build):
    (project / "annotations" / "people").write_text((project / "annotations" / "people.yaml").read_text(encoding="utf-8")
                                                     .replace("donald-trump", "donald-trump-again"), encoding="utf-8")
    before = (project / "datapackage" / "csv" / "people.csv").read_bytes()
    code, _, err = run_build(project, "build")
    assert code == 1
    assert "annotations/people: nothing reads this file (a table's records go in annotations/people.yaml" in one_line(err)
    assert (project / "datapackage" / "csv" / "people.csv").read_bytes() == before


def test_a_file_name_that_is_not_utf_8_is_reported_not_read(tmp_path):
    root = copy_project(tmp_path / "project")
    folder = root / "annotations" / "people"
    folder.mkdir()
    name = (bytes(folder) + b"/caf\xe9.yaml")
    Path(name.decode("utf-8", "surrogateescape")).write_text("[]\n", encoding="utf-8")
    code, out, err = run_build_process(root, "validate")
    assert code == 1
    assert one_line(err) == "annotations/people/caf\\xe9.yaml: nothing reads this file: its name is not valid UTF-8 (rename it, e.g. to plain ASCII)"
    code, out, err = run_build_process(root, "validate", "--format", "json")
    assert [p["file"] for p in json_problems(out)] == ["annotations/people/caf\\xe9.yaml"]
