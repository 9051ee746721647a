"""Fuzzing: random damage to valid annotations ends valid or in a clean listing of problems, never a traceback.

Each example copies a pristine project, damages one annotation file (structurally, or as bytes), and runs
``build`` in-process. Exit 0 must leave a complete package; exit 1 must list problems as
``file:line: ...`` and leave ``datapackage/`` byte for byte as it was. Any exception other than the
pipeline's ``InvalidInput`` (which ``build`` turns into exit 1) fails the test. ``FUZZ_EXAMPLES`` sets the
number of examples per test (default 25).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.publish.publish import descriptor_of
from pipeline.load.yaml_source import Located, YamlError, load_records, plain
from schema.tables import TABLES

from .conftest import copy_project, load_build_cli, tree_bytes

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None)
ANNOTATED = sorted(name for name, table in TABLES.items() if table.annotated)
PROBLEM = re.compile(r"^(annotations/[^:]+\.yaml|sources/[^:]+)(?P<line>:[1-9][0-9]*)?: (?P<what>\S.*)$")
WHOLE_FILE = re.compile(r"file is empty|file is missing|nothing reads this file|no row of annotations")  # have no line
CLI = load_build_cli()

TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), TEXT,
    st.lists(TEXT, max_size=3), st.dictionaries(TEXT, st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One valid copy of the project's inputs and package; each example works on its own copy of it."""
    root = tmp_path_factory.mktemp("pristine")
    copy_project(root)
    code, _, err = _run(root, "validate")
    assert code == 0, f"the project itself is invalid, nothing to fuzz:\n{err}"
    return root


@contextlib.contextmanager
def _copy_of(pristine: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(pristine, root)
        yield root


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    """The CLI in-process; an exception escaping it (anything but InvalidInput, which it reports) fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = CLI.main(list(args), root=root)
    return code, out.getvalue(), err.getvalue()


def _listed(problem: str) -> bool:
    """A problem line names its file, and its line unless it is about the file as a whole."""
    match = PROBLEM.match(problem)
    return bool(match and (match["line"] or WHOLE_FILE.search(match["what"])))


def _check_build(root: Path, before: dict[str, bytes]) -> None:
    """Run ``build`` and check the outcome: a complete new package, or a clean listing and the old package."""
    code, _, err = _run(root, "build")
    assert code in (0, 1)
    assert not list(root.glob(".datapackage-*")), "temporary folders left behind"
    if code == 1:
        *problems, summary = err.splitlines()
        assert summary.endswith("nothing was published."), err
        assert problems and all(_listed(p) for p in problems), err
        assert tree_bytes(root / "datapackage") == before
        return
    package = root / "datapackage"
    for resource in descriptor_of(package)["resources"]:
        data = (package / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data) and resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"


def _slots(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value inside a record: its fields, evidence items and their keys."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    found = []
    for key, value in children:
        found += [(*path, key), *_slots(value, (*path, key))]
    return found


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


def _damage(data: st.DataObject, records: list[Any], fields: list[str]) -> list[Any]:
    """One random structural change: drop, duplicate, retype, rename or truncate a record or a value."""
    operation = data.draw(st.sampled_from(["drop record", "duplicate record", "truncate records", "drop", "duplicate",
                                           "retype", "rename", "truncate", "swap"]))
    if not records or operation == "truncate records":
        return records[: data.draw(st.integers(0, len(records)))]
    index = data.draw(st.integers(0, len(records) - 1))
    if operation == "drop record":
        return records[:index] + records[index + 1 :]
    if operation == "duplicate record":
        return [*records[: index + 1], copy.deepcopy(records[index]), *records[index + 1 :]]
    slots = _slots(records[index])
    if not slots:
        return records
    path = data.draw(st.sampled_from(slots))
    parent, key = _at(records[index], path[:-1]), path[-1]
    value = parent[key]
    if operation == "drop":
        del parent[key]
    elif operation == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(value))
    elif operation == "retype":
        parent[key] = data.draw(VALUES)
    elif operation == "rename" and isinstance(parent, dict):
        new = data.draw(st.one_of(st.sampled_from(fields), st.from_regex(r"[a-z_]{1,12}", fullmatch=True)))
        parent[new] = parent.pop(key)
    elif operation == "truncate" and isinstance(value, (str, list)):
        parent[key] = value[: data.draw(st.integers(0, max(len(value) - 1, 0)))]
    elif operation == "swap" and len(path) == 1:
        other = records[data.draw(st.integers(0, len(records) - 1))]
        if isinstance(other, dict) and key in other:
            parent[key] = copy.deepcopy(other[key])
    return records


@pytest.mark.slow
@FUZZ
@given(data=st.data(), table=st.sampled_from(ANNOTATED))
def test_structural_damage_ends_valid_or_cleanly_rejected(pristine, data, table):
    path = f"annotations/{table}.yaml"
    records = plain(load_records((pristine / path).read_bytes()))
    fields = [*TABLES[table].fields, "evidence", "article", "line", "quote", "occurrence", "field", "basis", "note"]
    for _ in range(data.draw(st.integers(1, 3))):
        records = _damage(data, records, fields)
    with _copy_of(pristine) as root:
        (root / path).write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), encoding="utf-8")
        _check_build(root, tree_bytes(pristine / "datapackage"))


@pytest.mark.slow
@FUZZ
@given(data=st.data(), table=st.sampled_from(ANNOTATED))
def test_byte_damage_ends_valid_or_cleanly_rejected(pristine, data, table):
    path = f"annotations/{table}.yaml"
    raw = (pristine / path).read_bytes()
    at = data.draw(st.integers(0, len(raw)))
    damage = data.draw(st.sampled_from(["truncate", "insert", "overwrite", "delete"]))
    if damage == "truncate":
        raw = raw[:at]
    elif damage == "insert":
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    elif damage == "overwrite":
        patch = data.draw(st.binary(min_size=1, max_size=8))
        raw = raw[:at] + patch + raw[at + len(patch) :]
    else:
        raw = raw[:at] + raw[at + data.draw(st.integers(1, 64)) :]
    with _copy_of(pristine) as root:
        (root / path).write_bytes(raw)
        _check_build(root, tree_bytes(pristine / "datapackage"))


@settings(max_examples=EXAMPLES * 8, deadline=None, database=None)
@given(raw=st.one_of(st.binary(max_size=200), st.text(st.sampled_from("-:[]{}&*!|>'\"#%@`?,\t\n abc019.~"), max_size=120).map(str.encode)))
def test_the_yaml_loader_returns_records_or_a_located_error(raw):
    try:
        records = load_records(raw)
    except YamlError as error:
        assert error.message and (error.line is not None or "file is empty" in error.message)
        return
    assert isinstance(records, list) and all(isinstance(r, Located) for r in records)
