"""Faults of the persistent state in .cache/validate/: none of them changes a result, ends a run with a
traceback, or touches a file the cache did not write."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

import pipeline.incremental as incremental
from pipeline.incremental import CACHE_DIR, FILES, code_fingerprint, fingerprint_of
from pipeline.state import MANIFEST, State

from .conftest import ROOT, tree_bytes


def _state(project: Path) -> tuple[dict, dict[str, pa.Table]]:
    loaded = State(project, CACHE_DIR, code_fingerprint()).load()
    assert loaded is not None, "the run should have left a whole state"
    return loaded


def _rewrite(project: Path, tables: dict[str, pa.Table]) -> None:
    """Store ``tables`` as a state that passes every check of its own integrity (manifest, sizes, hashes)."""
    State(project, CACHE_DIR, code_fingerprint()).save({}, tables)


def _break(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_a_source_made_unusable_then_restored_builds_the_committed_package(project, run_build):
    committed = tree_bytes(project / "datapackage")
    source = next((project / "sources").glob("000_*.txt"))
    original = source.read_bytes()
    source.write_bytes(original + b"\n")
    code, _, err = run_build(project, "validate")
    assert code == 1 and "has SHA-256" in err
    source.write_bytes(original)
    code, _, err = run_build(project, "build")
    assert code == 0, err
    assert tree_bytes(project / "datapackage") == committed


def test_a_state_of_another_shape_is_rebuilt(project, run_build):
    expected = run_build(project, "--no-cache", "validate")
    assert run_build(project, "validate") == expected
    _, tables = _state(project)
    files = tables[FILES]
    tables[FILES] = files.drop_columns(["dependency"])
    _rewrite(project, tables)
    assert run_build(project, "validate") == expected
    _, tables = _state(project)
    tables["rows/people"] = tables["rows/people"].slice(1)  # the rows no longer add up to the files
    _rewrite(project, tables)
    assert run_build(project, "validate") == expected
    assert _state(project)[1]["rows/people"].num_rows == tables["rows/people"].num_rows + 1


def test_an_entry_moved_under_another_files_key_is_detected(project, run_build):
    meetings = project / "annotations" / "meetings.yaml"
    _break(meetings, "kind: summit", "kind: summmit")
    expected = run_build(project, "--no-cache", "validate")
    assert expected[0] == 1 and "summmit" in expected[2]
    assert run_build(project, "validate") == expected
    _, tables = _state(project)
    entries = tables[FILES].to_pylist()
    clean = next(e for e in entries if e["file"] == "annotations/people.yaml")
    broken = next(e for e in entries if e["file"] == "annotations/meetings.yaml")
    broken.update({key: value for key, value in clean.items() if key not in ("file", "table")})  # people's result, under meetings
    tables[FILES] = pa.Table.from_pylist(entries, schema=tables[FILES].schema)
    _rewrite(project, tables)
    assert run_build(project, "validate") == expected


@pytest.mark.parametrize("kind", ["older code", "foreign pickle", "not json", "wrong types", "unknown format"])
def test_a_state_from_other_code_is_recomputed_never_a_traceback(project, run_build, kind):
    expected = run_build(project, "--no-cache", "validate")
    folder = project / CACHE_DIR
    folder.mkdir(parents=True)
    planted = {}
    if kind == "older code":  # 0.2.1 kept one pickle per file, of classes in modules that have since moved
        planted["0" * 64] = b"\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00\x8c\x10pipeline.records\x8c\nFileResult\x93."
    elif kind == "foreign pickle":
        planted["1" * 64] = b"\x80\x04K\x01."
    elif kind == "not json":
        planted[MANIFEST] = b"\x00\xff not json"
    elif kind == "wrong types":
        planted[MANIFEST] = json.dumps({"format": 2, "fingerprint": code_fingerprint(), "files": ["x"], "pending": 3}).encode()
    else:
        planted[MANIFEST] = json.dumps({"format": 99, "fingerprint": "old", "files": {}}).encode()
    for name, data in planted.items():
        (folder / name).write_bytes(data)
    assert run_build(project, "validate") == expected
    assert run_build(project, "validate") == expected
    for name, data in planted.items():
        if name != MANIFEST:
            assert (folder / name).read_bytes() == data  # not written by this cache: left alone


def test_a_symlinked_cache_folder_is_left_untouched(project, run_build, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("someone else's file", encoding="utf-8")
    (elsewhere / "0123456789abcdef-files.arrow").write_bytes(b"looks like ours, is not")
    (elsewhere / MANIFEST).write_text(json.dumps({"files": {"keep.txt": 1}, "pending": ["0123456789abcdef-files.arrow"]}))
    before = tree_bytes(elsewhere)
    expected = run_build(project, "--no-cache", "validate")
    (project / ".cache").mkdir()
    os.symlink(elsewhere, project / CACHE_DIR)
    assert run_build(project, "validate") == expected
    assert run_build(project, "build")[0] == 0
    assert tree_bytes(elsewhere) == before
    os.unlink(project / CACHE_DIR)
    shutil.rmtree(project / ".cache")
    os.symlink(elsewhere, project / ".cache")  # a folder on the way is a link
    assert run_build(project, "validate") == expected
    assert tree_bytes(elsewhere) == before


def test_pruning_deletes_only_what_the_cache_wrote(project, run_build, monkeypatch):
    folder = project / CACHE_DIR
    assert run_build(project, "validate")[0] == 0
    outside = project / "precious.txt"
    outside.write_text("not the cache's", encoding="utf-8")
    foreign = {folder / "notes.txt": b"mine", folder / "fedcba9876543210-files.arrow": b"named like the cache's"}
    for path, data in foreign.items():
        path.write_bytes(data)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["pending"] = ["../../precious.txt", "notes.txt"]  # names the cache never writes
    (folder / MANIFEST).write_text(json.dumps(manifest))
    monkeypatch.setattr(incremental, "code_fingerprint", lambda: "another version of the code")
    assert run_build(project, "validate")[0] == 0
    _break(project / "annotations" / "people.yaml", "person_id:", "person_id:")  # same bytes: nothing to do
    assert run_build(project, "validate")[0] == 0
    assert outside.read_text(encoding="utf-8") == "not the cache's"
    assert {path: path.read_bytes() for path in foreign} == foreign
    manifest = json.loads((folder / MANIFEST).read_text())
    ours = set(manifest["files"])
    assert {p.name for p in folder.iterdir()} == ours | {MANIFEST} | {p.name for p in foreign}


def test_the_fingerprint_covers_every_module_at_any_depth(tmp_path):
    for package in incremental.CODE:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint_of(tmp_path)
    assert before == fingerprint_of(ROOT)
    nested = tmp_path / "pipeline" / "load" / "records.py"
    nested.write_text(nested.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert fingerprint_of(tmp_path) != before
