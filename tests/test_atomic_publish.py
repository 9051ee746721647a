"""Publishing is atomic: a failure at any step of ``build`` leaves the previous datapackage/ intact and no temporary folders.

Failures are injected into ``pipeline.publish.publish``: the Nth table file write (cleanly, or after writing part
of the file), the descriptor, and each rename of the swap. Resource paths are generated from table names;
a name that would lead outside the package folder is refused before anything is written.
"""

from __future__ import annotations

import errno
import hashlib
import json
import threading
import shutil
from pathlib import Path

import pytest

from forms import web_annotations

from pipeline.publish import publish as publishing
from pipeline.publish import atomic
from pipeline.publish.atomic import exchange
from pipeline.publish.journal import recover
from pipeline.dataset import Dataset, assemble
from pipeline.publish.publish import UnsafePath, descriptor_of, journal_of, publish, resource_path, safe_path
from schema.tables import TABLES

from .conftest import ROOT, copy_project, tree_bytes

pytestmark = pytest.mark.xdist_group("atomic_publish")  # its module-scoped fixtures are built once: every test of the module on one xdist worker

FILE_WRITES = 2 * len(TABLES)  # a CSV and a Parquet file per table


class Injected(Exception):
    """The failure a test injects."""


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The validated dataset of a copy of the project (the live annotations may be mid-edit)."""
    root = tmp_path_factory.mktemp("source")
    copy_project(root)
    return assemble(root)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A previous package that differs from the one the dataset gives, so a partial swap would show."""
    folder = tmp_path / "datapackage"
    shutil.copytree(ROOT / "datapackage", folder)
    (folder / "csv" / "people.csv").write_text("person_id\nan-older-build\n", encoding="utf-8")
    return folder


def _leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.glob(f".{target.name}[-.]*"))


def _fail_on_write(monkeypatch: pytest.MonkeyPatch, failing: int, partial: bool) -> None:
    """Make the ``failing``-th table file write raise, after writing part of the file when ``partial``."""
    calls = {"count": 0}

    def wrap(write):
        def counted(table, where, *args, **kwargs):
            calls["count"] += 1
            if calls["count"] == failing:
                if partial:
                    Path(where).write_bytes(b"half a fi")
                raise OSError(errno.ENOSPC, "No space left on device (injected)")
            return write(table, where, *args, **kwargs)

        return counted

    monkeypatch.setattr(publishing.pa_csv, "write_csv", wrap(publishing.pa_csv.write_csv))
    monkeypatch.setattr(publishing.pq, "write_table", wrap(publishing.pq.write_table))


@pytest.mark.parametrize("partial", [False, True], ids=["clean", "partial-file"])
@pytest.mark.parametrize("failing", [1, 2, 7, FILE_WRITES], ids=lambda n: f"write-{n}-of-{FILE_WRITES}")
def test_a_failing_file_write_leaves_the_previous_package(dataset, target, monkeypatch, failing, partial):
    before = tree_bytes(target)
    _fail_on_write(monkeypatch, failing, partial)
    with pytest.raises(OSError, match="injected"):
        publish(dataset, target)
    assert tree_bytes(target) == before
    assert _leftovers(target) == []


def test_a_failing_descriptor_leaves_the_previous_package(dataset, target, monkeypatch):
    before = tree_bytes(target)

    def broken(*args, **kwargs):
        raise Injected("descriptor")

    monkeypatch.setattr(publishing, "descriptor", broken)
    with pytest.raises(Injected):
        publish(dataset, target)
    assert tree_bytes(target) == before
    assert _leftovers(target) == []


def test_a_descriptor_write_cut_short_leaves_the_previous_package(dataset, target, monkeypatch):
    before = tree_bytes(target)
    write_text = Path.write_text

    def cut_short(self, text, *args, **kwargs):
        if self.name == "datapackage.json":
            write_text(self, text[:100], *args, **kwargs)
            raise KeyboardInterrupt  # not an Exception: cleanup must still run
        return write_text(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", cut_short)
    with pytest.raises(KeyboardInterrupt):
        publish(dataset, target)
    assert tree_bytes(target) == before
    assert _leftovers(target) == []


def _fail_on_rename(monkeypatch: pytest.MonkeyPatch, failing: set[int]) -> None:
    """Make the renames numbered in ``failing`` (1-based, in the order publish makes them) raise; the fallback
    swap (two renames) is forced, as on a system that cannot exchange two folders in one step."""
    monkeypatch.setattr(atomic, "exchange", lambda first, second: False)
    rename, calls = Path.rename, {"count": 0}

    def counted(self, destination):
        calls["count"] += 1
        if calls["count"] in failing:
            raise OSError(errno.EIO, f"rename {calls['count']} failed (injected)")
        return rename(self, destination)

    monkeypatch.setattr(Path, "rename", counted)


@pytest.mark.parametrize("failing", [{1}, {2}], ids=["moving-the-old-package-aside", "moving-the-new-package-in"])
def test_a_failing_swap_leaves_the_previous_package(dataset, target, monkeypatch, failing):
    before = tree_bytes(target)
    _fail_on_rename(monkeypatch, failing)
    with pytest.raises(OSError, match="injected"):
        publish(dataset, target)
    assert tree_bytes(target) == before
    assert _leftovers(target) == []


def test_when_even_restoring_fails_the_previous_package_is_kept(dataset, target, monkeypatch):
    """Renames 2 (new package in) and 3 (old package back) fail: the old package must survive, in the staging folder."""
    before = tree_bytes(target)
    _fail_on_rename(monkeypatch, {2, 3})
    with pytest.raises(OSError, match="injected"):
        publish(dataset, target)
    assert not target.exists()
    (staging,) = target.parent.glob(f".{target.name}-new-*")
    assert tree_bytes(staging / "previous") == before


def test_a_successful_publish_swaps_in_a_complete_package(dataset, target):
    publish(dataset, target)
    assert _leftovers(target) == []
    resources = descriptor_of(target)["resources"]
    assert {r["path"] for r in resources} == {str(p.relative_to(target)) for p in target.rglob("*.*")
                                              if p.parent != target and p.parent.name != web_annotations.FOLDER}  # views, not resources
    assert sorted(p.name for p in (target / web_annotations.FOLDER).iterdir()) == sorted(f"{a}.jsonld" for a in dataset.sources)
    for resource in resources:
        data = safe_path(target, resource["path"]).read_bytes()
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"


@pytest.mark.parametrize("path", ["../evil.csv", "csv/../../evil.csv", "/tmp/evil.csv", "csv//tmp/evil.csv", "csv/./people.csv",
                                  "csv\\..\\..\\evil.csv", ""])
def test_safe_path_refuses_paths_that_leave_the_package(tmp_path, path):
    with pytest.raises(UnsafePath):
        safe_path(tmp_path, path)


def test_safe_path_refuses_a_symlink_out_of_the_package(tmp_path):
    (tmp_path / "package").mkdir()
    (tmp_path / "package" / "csv").symlink_to(tmp_path)
    with pytest.raises(UnsafePath, match="resolves outside"):
        safe_path(tmp_path / "package", "csv/people.csv")


def test_every_published_resource_path_stays_inside_the_package():
    for resource in descriptor_of(ROOT / "datapackage")["resources"]:
        assert safe_path(ROOT / "datapackage", resource["path"]).is_file()
    for name in TABLES:
        for form in publishing.FORMATS:
            safe_path(ROOT / "datapackage", resource_path(name, form))


@pytest.mark.parametrize("name", ["../evil", "../../evil", "/tmp/evil"])
def test_a_table_name_that_would_escape_is_refused_before_anything_is_written(dataset, target, monkeypatch, name):
    before, around = tree_bytes(target), tree_bytes(target.parent)
    renamed = {(name if n == "people" else n): t for n, t in dataset.tables.items()}
    monkeypatch.setattr(publishing, "TABLES", {(name if n == "people" else n): t for n, t in TABLES.items()})
    with pytest.raises(UnsafePath):
        publish(Dataset(renamed, dataset.sources, dataset.version), target)
    assert tree_bytes(target) == before
    assert tree_bytes(target.parent) == around
    assert not Path("/tmp/evil.csv").exists()
    assert _leftovers(target) == []


def test_the_next_build_finishes_a_swap_left_half_done(dataset, target, monkeypatch):
    """The journal says the new package was complete: the next run swaps it in and removes the old one."""
    _fail_on_rename(monkeypatch, {2, 3})
    with pytest.raises(OSError, match="injected"):
        publish(dataset, target)
    monkeypatch.undo()
    assert recover(journal_of(target)) == f"finished the interrupted build of {target.name}/"
    fresh = target.parent / "fresh"
    publish(dataset, fresh)
    assert tree_bytes(target) == tree_bytes(fresh)
    assert _leftovers(target) == []


def test_a_reader_never_sees_the_package_missing_during_rebuilds(dataset, target):
    """With the one-step exchange, a reader polling the descriptor during five rebuilds always finds it."""
    if not exchange_supported(target.parent):
        pytest.skip("this file system cannot exchange two folders in one step (renameat2)")
    missing, stop = [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError) as error:
                missing.append(repr(error))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(5):
            publish(dataset, target)
    finally:
        stop.set()
        reader.join()
    assert missing == []
    assert _leftovers(target) == []


def exchange_supported(folder: Path) -> bool:
    first, second = folder / ".probe-a", folder / ".probe-b"
    first.mkdir(), second.mkdir()
    try:
        return exchange(first, second)
    finally:
        first.rmdir(), second.rmdir()
