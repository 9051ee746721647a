"""Every example in README.md and CONTRIBUTING.md runs as written: the Python blocks against the installed
package, each `japan-us-summit` command line as a shell command, and the annotation example through the build."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, tree_bytes

DOCUMENTS = ("README.md", "CONTRIBUTING.md")


def blocks(language: str) -> list[tuple[str, str]]:
    """Every fenced block of ``language`` in the documents, with the document's name; indented blocks included."""
    found = []
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for indent, body in re.findall(rf"(?m)^( *)```{language}\n(.*?)^\1```", text, re.S):
            found.append((name, "".join(line[len(indent):] + "\n" for line in body.splitlines())))
    return found


PYTHON = blocks("python")
COMMANDS = [(name, line.split("  #")[0].strip()) for name, body in blocks("bash") for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
# Lines that set up an environment rather than use one: CI runs the set-up pair on a fresh machine, and
# tests/test_accessor_wheel.py installs the wheel and the checkout in fresh virtual environments.
SET_UP = ("pip install ", "python -m pytest ")
# Only a wheel from `build.py dist` carries the site: tests/test_dist.py runs `site` from that wheel.
WHEEL_ONLY = ("japan-us-summit site ",)
CLI = [(name, line) for name, line in COMMANDS if line.startswith("japan-us-summit") and not line.startswith(WHEEL_ONLY)]


def test_the_documents_have_examples():
    assert len(PYTHON) >= 5 and len(CLI) >= 12
    assert any(line.startswith(WHEEL_ONLY) for _, line in COMMANDS)
    assert {name for name, _ in PYTHON} == {"README.md"}


def test_every_shell_line_is_a_command_line_example_or_a_set_up_step():
    others = [line for _, line in COMMANDS if not line.startswith("japan-us-summit") and not line.startswith(SET_UP)]
    assert not others, f"shell examples no test runs: {others}"


@pytest.mark.parametrize("code", [code for _, code in PYTHON], ids=[f"python{n}" for n in range(len(PYTHON))])
def test_python_example_runs(code: str):
    exec(compile(code, "README.md", "exec"), {})


@pytest.mark.parametrize("line", [line for _, line in CLI], ids=[f"cli{n}" for n in range(len(CLI))])
def test_command_line_example_runs(line: str, tmp_path: Path):
    script = Path(sys.executable).with_name("japan-us-summit")
    command = line.replace("japan-us-summit", str(script) if script.exists() else f"{sys.executable} -m japan_us_summit", 1)
    done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"}, check=False)
    assert done.returncode == 0, (line, done.stderr)
    assert done.stdout or any(tmp_path.iterdir()), f"{line} printed and wrote nothing"


def _annotation_example() -> list[dict]:
    (example,) = [body for name, body in blocks("yaml") if name == "CONTRIBUTING.md" and "evidence:" in body]
    return yaml.safe_load(example)


def test_the_annotation_example_is_the_record_it_says_it_is():
    (record,) = _annotation_example()
    stored = yaml.safe_load((ROOT / "annotations" / "list_items.yaml").read_text(encoding="utf-8"))
    assert record in stored


def test_the_annotation_example_added_as_a_file_of_its_own_builds_the_same_package(project, run_build):
    """Take the record out of its file, add it from the example under annotations/list_items/: same bytes."""
    (record,) = _annotation_example()
    table_file = project / "annotations" / "list_items.yaml"
    text = table_file.read_text(encoding="utf-8")
    first_line = f"- item_id: {record['item_id']}\n"
    start = text.index(first_line)
    end = text.find("\n- ", start + 1)
    table_file.write_text(text[:start] + (text[end + 1:] if end != -1 else ""), encoding="utf-8")
    assert record not in yaml.safe_load(table_file.read_text(encoding="utf-8"))
    (project / "annotations" / "list_items").mkdir()
    (project / "annotations" / "list_items" / "readme-example.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/json/list_items.schema.json\n"
        + yaml.safe_dump([record], sort_keys=False, allow_unicode=True), encoding="utf-8")
    before = tree_bytes(ROOT / "datapackage")
    shutil.rmtree(project / "datapackage")
    code, out, err = run_build(project, "build")
    assert code == 0, err
    assert tree_bytes(project / "datapackage") == before


def test_the_schema_line_example_is_the_one_the_files_carry():
    (example,) = [body for _, body in blocks("yaml") if body.startswith("# yaml-language-server")]
    assert (ROOT / "annotations" / "people.yaml").read_text(encoding="utf-8").splitlines()[0] == example.strip()
