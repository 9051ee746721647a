"""Editor support: the annotation files' JSON Schemas (generated, current, strict enough), the schema line on
each file, and the pre-commit hooks that check them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
import yaml

from pipeline.check.annotation_schemas import annotation_files, check, schema_name
from forms.json_schemas import SCHEMA_DIR, json_schemas, schema_path
from schema.dates import EDTF_PATTERN

from .conftest import ROOT, copy_project, needs
from .test_bad_input import mutate

FILES = annotation_files(ROOT)
SCHEMA_OF = {file: schema_name(PurePosixPath(file)) for file in FILES}  # annotations/<table>.yaml or annotations/<table>/...


def check_jsonschema(schema: str, *files: Path | str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", schema, *map(str, files)],
                          cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("file", FILES)
def test_every_annotation_file_passes_its_json_schema(file):
    done = check_jsonschema(schema_path(SCHEMA_OF[file]), file)
    assert done.returncode == 0, done.stdout + done.stderr


def test_there_is_a_schema_for_every_annotation_file_and_for_nothing_else():
    assert {schema_path(name) for name in SCHEMA_OF.values()} == set(json_schemas())


def test_the_committed_schemas_are_current():
    on_disk = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in (ROOT / SCHEMA_DIR).glob("*.schema.json")}
    assert on_disk == json_schemas(), "schema/json/ is stale: run `python build.py build`"


def test_check_reports_a_stale_or_outdated_schema_and_build_repairs_both(project, run_build):
    people, outdated = project / schema_path("people"), project / SCHEMA_DIR / "discrepancies.schema.json"
    people.write_text(people.read_text(encoding="utf-8").replace('"person_id"', '"personid"'), encoding="utf-8")
    outdated.write_text("{}\n", encoding="utf-8")
    code, _, err = run_build(project, "check")
    assert code == 1
    assert f"stale: {schema_path('people')} differs from a fresh build" in err
    assert f"stale: {SCHEMA_DIR}/discrepancies.schema.json" in err
    assert run_build(project, "build")[0] == 0
    assert not outdated.exists() and people.read_text(encoding="utf-8") == json_schemas()[schema_path("people")]
    code, _, err = run_build(project, "check")
    assert code == 0, err


@pytest.mark.parametrize(("file", "old", "new", "complaint"), [
    ("annotations/people.yaml", "- person_id: donald-trump\n", "- person_id: donald-trump\n  nickname: The Donald\n",
     "Additional properties are not allowed ('nickname' was unexpected)"),
    ("annotations/locations.yaml", "kind: city", "kind: planet", "'planet' is not one of"),
    ("annotations/meetings.yaml", "status: held", "status: 1", "1 is not of type 'string'"),
], ids=["unknown field", "wrong enum value", "wrong type"])
def test_a_wrong_record_is_rejected_by_the_json_schema(project, file, old, new, complaint):
    mutate(project, file, old, new)
    done = check_jsonschema(str(ROOT / schema_path(Path(file).stem)), project / file)
    assert done.returncode == 1
    assert complaint in done.stdout + done.stderr


def test_dates_are_read_as_the_files_write_them():
    """check-jsonschema reads a YAML date such as 2025-10-28 as text, as the build does: the pattern applies to it."""
    schema = json_schemas()[schema_path("articles")]
    assert f'"pattern": {json.dumps(EDTF_PATTERN)}' in schema
    assert "published_date: 2025-10-28\n" in (ROOT / "annotations/articles.yaml").read_text(encoding="utf-8")


def test_every_annotation_file_names_its_own_schema_on_its_first_line():
    problems, by_schema = check(ROOT, FILES)
    assert problems == []
    assert sorted(f for files in by_schema.values() for f in files) == FILES
    for file in FILES:
        first = (ROOT / file).read_text(encoding="utf-8").splitlines()[0]
        target = (ROOT / file).parent / first.removeprefix("# yaml-language-server: $schema=")
        assert target.resolve() == (ROOT / schema_path(SCHEMA_OF[file])).resolve(), file


def test_the_hook_reports_a_missing_schema_line_a_stray_file_and_a_wrong_record(tmp_path):
    root = copy_project(tmp_path / "project")
    people = root / "annotations" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")  # schema line gone
    mutate(root, "annotations/locations.yaml", "kind: city", "kind: planet")
    (root / "annotations" / "notes.yaml").write_text("[]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline.check.annotation_schemas", "annotations/people.yaml",
                           "annotations/locations.yaml", "annotations/notes.yaml"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 1
    assert ("annotations/people.yaml:1: the first line is '# People the articles mention, named or not. One record per "
            "real person across both articles.' (expected '# yaml-language-server: $schema=../schema/json/people.schema.json'") in done.stderr
    assert "annotations/notes.yaml: not the file of an annotated table" in done.stderr
    assert "'planet' is not one of" in done.stderr
    assert "annotations/people.yaml" not in done.stderr.split("\n", 1)[1]  # its records are valid


@needs("dev", "pre_commit")
def test_the_pre_commit_config_is_valid_and_covers_every_annotation_file():
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert all(re.search(hooks["annotation-schemas"]["files"], file) for file in FILES)
    assert all(re.search(hooks["validate"]["files"], file) for file in FILES)
    assert re.search(hooks["citation-file-format"]["files"], "CITATION.cff")


@needs("dev", "pre_commit")
def test_the_pre_commit_hooks_pass_on_the_project_and_stop_a_wrong_record(tmp_path):
    """pre-commit itself, as a committer runs it, on a git copy of the project (its hooks are local: no network)."""
    root = copy_project(tmp_path / "project")
    for part in (".pre-commit-config.yaml", "REUSE.toml", "LICENSES", "tests/data"):  # tests/data: the SARIF schema's licence
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, root / part)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", *args], cwd=root, env=env, capture_output=True, text=True)

    done = pre_commit("--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    mutate(root, "annotations/locations.yaml", "kind: city", "kind: planet")
    done = pre_commit("annotation-schemas", "--files", "annotations/locations.yaml")
    assert done.returncode == 1 and "'planet' is not one of" in done.stdout
