"""One version everywhere, stale outputs caught, every kind of change classified, releases and diffs."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from pipeline.project import SECOND_ANNOTATION_DIR, version
from pipeline.release.releases import bump_level, bumped, step_needed
from pipeline.release.schema_changes import Level, classify, required_level

from .conftest import ROOT, run_build_process
from .test_bad_input import mutate

RELEASED = json.loads((ROOT / "datapackage" / "datapackage.json").read_text())


def table(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def field(descriptor: dict, table_name: str, name: str) -> dict:
    return next(f for f in table(descriptor, table_name)["schema"]["fields"] if f["name"] == name)


def remove_field(d):
    table(d, "people")["schema"]["fields"].remove(field(d, "people", "note"))


def rename_table(d):
    table(d, "figures")["name"] = "numbers"


def change_type(d):
    field(d, "figures", "number")["type"] = "integer"


def narrow_constraint(d):
    field(d, "people", "country_code")["constraints"] = {"required": True, "pattern": field(d, "people", "country_code")["constraints"]["pattern"]}


def widen_constraint(d):
    del field(d, "people", "name")["constraints"]["maxLength"]


def change_primary_key(d):
    table(d, "people")["schema"]["primaryKey"] = ["person_id", "name"]


def remove_enum_value(d):
    field(d, "locations", "kind")["constraints"]["enum"].remove("sea")


def add_optional_field(d):
    table(d, "people")["schema"]["fields"].append({"name": "born", "type": "date", "description": "Birth date"})


def add_table(d):
    added = copy.deepcopy(table(d, "figures"))
    added["name"] = "quotes"
    added["schema"]["fields"].append({"name": "speaker", "type": "string", "description": "Who said it"})
    d["resources"].append(added)


def change_data_only(d):
    table(d, "people")["hash"] = "sha256:" + "0" * 64


CLASSES = [
    (remove_field, Level.MAJOR, "people: field 'note' removed"),
    (rename_table, Level.MAJOR, "table 'figures' renamed to 'numbers'"),
    (change_type, Level.MAJOR, "figures.number: type number -> integer"),
    (narrow_constraint, Level.MAJOR, "people.country_code: 'required' added"),
    (widen_constraint, Level.MINOR, "people.name: maxLength widened"),
    (change_primary_key, Level.MAJOR, "people: primary key ['person_id'] -> ['person_id', 'name']"),
    (remove_enum_value, Level.MAJOR, "locations.kind: enum values removed ['sea']"),
    (add_optional_field, Level.MINOR, "people: optional field 'born' added"),
    (add_table, Level.MINOR, "table 'quotes' added"),
    (change_data_only, Level.PATCH, "data changed: csv/people.csv"),
]


@pytest.mark.parametrize(("mutation", "level", "message"), CLASSES, ids=[c[0].__name__ for c in CLASSES])
def test_each_kind_of_change_is_classified(mutation, level, message):
    new = copy.deepcopy(RELEASED)
    mutation(new)
    changes = classify(RELEASED, new)
    assert any(message in str(c) and c.level is level for c in changes), [str(c) for c in changes]
    assert required_level(changes) is level


def test_an_unchanged_package_needs_no_release():
    assert classify(RELEASED, copy.deepcopy(RELEASED)) == []


def test_bumps():
    assert bumped("0.1.3", Level.MAJOR) == "1.0.0"
    assert bumped("0.1.3", Level.MINOR) == "0.2.0"
    assert bumped("0.1.3", Level.PATCH) == "0.1.4"
    assert bump_level("0.1.3", "0.2.0") is Level.MINOR
    assert bump_level("0.1.3", "0.1.3") is Level.NONE


def test_a_breaking_change_needs_a_minor_step_only_before_1_0():
    assert step_needed("0.1.0", Level.MAJOR) is Level.MINOR
    assert step_needed("0.1.0", Level.MINOR) is Level.MINOR
    assert step_needed("1.2.0", Level.MAJOR) is Level.MAJOR


def test_changelog_and_pyproject_versions_must_agree(project, run_build):
    current = version(project)
    mutate(project, "pyproject.toml", f'version = "{current}"', 'version = "9.9.9"')
    code, _, err = run_build(project, "validate")
    assert code == 1
    assert f"CHANGELOG.md: newest entry is {current}, but pyproject.toml [project].version is 9.9.9" in err
    assert f"datapackage/datapackage.json: version is {current}, but pyproject.toml [project].version is 9.9.9" in err
    assert f"CITATION.cff: version is {current}, but pyproject.toml [project].version is 9.9.9" in err


def test_a_citation_date_other_than_the_release_date_is_reported(project, run_build):
    current = version(project)
    dated = re.search(rf"^## \[{re.escape(current)}\] - (\S+)$", (project / "CHANGELOG.md").read_text(), re.M).group(1)
    assert run_build(project, "validate")[0] == 0
    mutate(project, "CITATION.cff", f'date-released: "{dated}"', 'date-released: "2001-02-03"')
    code, _, err = run_build(project, "validate")
    assert code == 1
    assert f"CITATION.cff: date-released is 2001-02-03, but CHANGELOG.md dates {current} {dated} (expected the same" in err
    mutate(project, "CITATION.cff", 'date-released: "2001-02-03"\n', "")
    assert f"CITATION.cff: date-released is missing, but CHANGELOG.md dates {current} {dated}" in run_build(project, "validate")[2]


def test_validate_can_print_problems_as_json(project, run_build):
    line = mutate(project, "annotations/people.yaml", "country_code: CN", "country_code: XC")
    code, out, _ = run_build(project, "validate", "--format", "json")
    assert code == 1
    (problem,) = json.loads(out)
    assert problem == {"file": "annotations/people.yaml", "line": line, "table": "people", "record_id": "xi-jinping",
                       "field": "country_code", "message": "'XC' is not an ISO 3166-1 alpha-2 country code"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message)


@pytest.fixture
def repo(warm_project: Path) -> Path:
    """The project copy as a git repository whose first commit is the last release (its validate state, as a
    checkout's, ignored by git)."""
    project = warm_project
    assert (project / "releases").is_dir(), "the repository keeps its released schemas in releases/"
    git(project, "init", "-q")
    (project / ".git" / "info" / "exclude").write_text(".cache/\n", encoding="utf-8")
    commit(project, "release")
    return project


@pytest.mark.slow
def test_stale_outputs_fail_check_until_rebuilt_and_released(repo, run_build):
    assert run_build(repo, "check")[0] == 0
    mutate(repo, "annotations/figures.yaml", "measure: Number of countries on Trump's Asian tour",
           "measure: Number of nations on Trump's Asian tour")
    code, _, err = run_build(repo, "check")
    assert code == 1
    assert "stale: datapackage/csv/figures.csv differs from a fresh build" in err
    assert "run `python build.py build`" in err
    assert run_build(repo, "build")[0] == 0
    code, out, err = run_build(repo, "check")
    assert code == 1
    assert "patch: data changed: csv/figures.csv" in out
    assert "need a patch release: run `python build.py release patch`" in err
    code, out, _ = run_build(repo, "release", "patch")
    assert code == 0, out
    released = re.search(r"Released (\d+\.\d+\.\d+)", out).group(1)
    assert (repo / "releases" / f"{released}.json").exists()
    assert f'version = "{released}"' in (repo / "pyproject.toml").read_text()
    changelog = (repo / "CHANGELOG.md").read_text()
    today = dt.date.today().isoformat()
    assert f"## [{released}] - {today}" in changelog and "figures: 0 added, 0 removed, 1 changed" in changelog
    entry = changelog.split(f"## [{released}]")[1].split("\n## [")[0]
    assert "0 added, 0 removed, 0 changed" not in entry and "people:" not in entry  # unchanged tables are left out
    assert out.rstrip().endswith(f"git tag -a v{released} -m 'Release {released}'")
    citation = (repo / "CITATION.cff").read_text()
    assert f"\nversion: {released}\ndate-released: \"{today}\"\n" in citation
    assert citation.startswith("cff-version: 1.2.0\n") and "# The two source articles" in citation  # the rest is kept
    code, out, err = run_build(repo, "check")
    assert code == 0, err
    commit(repo, "patch release")
    mutate(repo, "annotations/figures.yaml", "measure: Number of nations on Trump's Asian tour", "measure: Countries toured")
    assert run_build(repo, "build")[0] == 0
    code, out, _ = run_build(repo, "diff", "HEAD")
    assert code == 0
    assert "figures: 0 added, 0 removed, 1 changed" in out
    assert "~ asian-tour-nations: measure" in out


def released(repo: Path, run_build) -> Path:
    """``repo`` with whatever the working tree holds released and committed, so that nothing changed since."""
    code, _, err = run_build(repo, "check")
    if code != 0:
        needed = re.search(r"release (major|minor|patch)`", err).group(1)
        assert run_build(repo, "release", needed)[0] == 0
        commit(repo, "release what was pending")
    return repo


def test_a_release_with_no_change_is_refused_and_check_says_so_plainly(repo, run_build):
    released(repo, run_build)
    before = {name: (repo / name).read_bytes() for name in ("pyproject.toml", "CHANGELOG.md", "CITATION.cff")}
    code, out, err = run_build(repo, "release", "patch")
    assert code == 1 and "Nothing changed since release" in err and "no release made" in err
    assert {name: (repo / name).read_bytes() for name in before} == before
    code, out, err = run_build(repo, "check")
    assert code == 0 and "the changes since need no release" in out and "none" not in out + err


def test_check_words_a_version_step_plainly(repo, run_build):
    released(repo, run_build)
    mutate(repo, "annotations/figures.yaml", "measure: Number of countries on Trump's Asian tour", "measure: Countries toured")
    assert run_build(repo, "build")[0] == 0
    code, _, err = run_build(repo, "check")
    assert code == 1 and "is the same version as the last release" in err and "need a patch release" in err


def test_versions_are_parsed_by_packaging_and_must_be_plain():
    from pipeline.release.releases import parse

    assert parse("0.10.2") > parse("0.9.12") and parse("1.2.3").release == (1, 2, 3)
    for text in ("1.2", "1.2.3rc1", "01.2.3", "v1.2.3", "1.2.3.4"):
        with pytest.raises(ValueError, match="not a semantic version"):
            parse(text)


def test_a_release_smaller_than_the_change_is_refused(repo, run_build):
    mutate(repo, "schema/tables.py", '"scale": choice(Scale, ', '"scale_word": choice(Scale, ')
    mutate(repo, "annotations/figures.yaml", "  scale: ", "  scale_word: ", count=-1)
    if (repo / SECOND_ANNOTATION_DIR / "figures.yaml").exists():  # the second annotation is validated too
        mutate(repo, f"{SECOND_ANNOTATION_DIR}/figures.yaml", "  scale: ", "  scale_word: ", count=-1)
    code, _, err = run_build_process(repo, "release", "patch")
    assert code == 1
    assert "major: figures: field 'scale' renamed to 'scale_word'" in err
    assert "A patch release is too small: these changes need minor." in err  # 0.x: a breaking change takes a minor step
