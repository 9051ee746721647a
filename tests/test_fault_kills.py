"""A SIGKILL at every rename of `release` and of `site` (injected by strace at the system call): the next command
finishes or undoes the interrupted change, says which, and leaves the project as before or as after, never between."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from provenance_site import build
from tests.conftest import copy_project, tree_bytes
from tests.test_faults import next_minor, outputs, stale

RENAMES = ("rename", "renameat", "renameat2")
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # Python's own .pyc writes are renames too


def _strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    return subprocess.run(["strace", "-qq", "-o", "/dev/null", "true"], capture_output=True).returncode == 0


pytestmark = [pytest.mark.skipif(not _strace_works(), reason="needs strace, allowed to trace (apt-get install strace)"), pytest.mark.slow]


def traced(cwd: Path, args: list[str], log: Path | None = None, kill: tuple[str, int] | None = None) -> subprocess.CompletedProcess:
    """Run ``python build.py ARGS`` under strace, logging its renames to ``log``, or SIGKILLing it at ``kill``: the
    Nth call of that rename system call."""
    inject = ["-e", f"inject={kill[0]}:signal=SIGKILL:when={kill[1]}"] if kill else []
    command = ["strace", "-f", "-qq", "-o", str(log or "/dev/null"), "-e", f"trace={','.join(RENAMES)}", "-e", "signal=none",
               *inject, sys.executable, "build.py", "--no-cache", *args]
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)


def kill_points(log: Path) -> list[tuple[str, int]]:
    """Each rename the run made, as (system call, its ordinal among calls of that name)."""
    seen: dict[str, int] = {}
    points = []
    for line in log.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\d+ +(rename(?:at2?)?)\(", line)
        if match:
            seen[match[1]] = seen.get(match[1], 0) + 1
            points.append((match[1], seen[match[1]]))
    return points


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True, capture_output=True)


def hidden(folder: Path) -> list[str]:
    """What a command may have left in ``folder``: hidden names other than git's, the lock and the cache."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name not in (".git", ".build.lock", ".cache"))


def test_a_kill_at_every_rename_of_release_is_finished_or_undone_by_the_next_command(tmp_path, run_build):
    root = copy_project(tmp_path / "project")
    git(root, "init", "-q"), git(root, "add", "-A"), git(root, "commit", "-qm", "release 0.2.1")
    stale(root)
    git(root, "commit", "-qam", "an edit to release")
    before = outputs(root)
    log = tmp_path / "renames.log"
    new = next_minor(root)
    done = traced(root, ["release", "minor"], log=log)
    assert done.returncode == 0, done.stderr
    after, points = outputs(root), kill_points(log)
    assert after != before and len(points) >= 5, points  # journal twice, the package, the files
    for point in points:
        git(root, "reset", "-q", "--hard"), git(root, "clean", "-qfdx")
        killed = traced(root, ["release", "minor"], kill=point)
        assert killed.returncode == -9 or killed.returncode == 137, (point, killed.stderr)
        # any command recovers first; `diff HEAD` is a quick one (the states compared below both validate); the
        # process that was killed is a real one, the next command runs in this one
        code, _, said = run_build(root, "diff", "HEAD")
        assert code == 0, (point, said)
        state = outputs(root)
        assert state in (before, after), f"killed at {point}: the project is neither as before nor as after the release"
        if state == after:
            assert f"finished the interrupted release {new}" in said, (point, said)
        elif point != points[0]:  # killed while writing the first journal: nothing to say, nothing was made
            assert f"undid the interrupted release {new}" in said, (point, said)
        assert "Traceback" not in said and hidden(root) == [], (point, hidden(root))


def _site_run(root: Path, out: Path, log: Path | None = None, kill: tuple[str, int] | None = None) -> subprocess.CompletedProcess:
    return traced(root, ["site", str(out)], log=log, kill=kill)


def test_a_kill_at_every_rename_of_site_is_finished_or_undone_by_the_next_site(tmp_path, run_build):
    root = copy_project(tmp_path / "project")
    old_package = tmp_path / "old" / "datapackage"
    shutil.copytree(root / "datapackage", old_package)
    descriptor = old_package / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"title": "', '"title": "Old: ', 1), encoding="utf-8")
    out = tmp_path / "out" / "site"
    old_site = tmp_path / "old-site"
    build(old_package, old_site)
    new_site = tmp_path / "new-site"
    build(root / "datapackage", new_site)
    old, new = tree_bytes(old_site), tree_bytes(new_site)
    assert old != new
    log = tmp_path / "renames.log"
    shutil.copytree(old_site, out)
    assert _site_run(root, out, log=log).returncode == 0
    assert tree_bytes(out) == new
    points = kill_points(log)
    assert len(points) >= 3, points  # journal twice, the swap
    for point in points:
        shutil.rmtree(out.parent)
        shutil.copytree(old_site, out)
        killed = _site_run(root, out, kill=point)
        assert killed.returncode in (-9, 137), (point, killed.stderr)
        assert tree_bytes(out) in (old, new), f"killed at {point}: OUT is missing or neither the old site nor the new one"
        code, _, said = run_build(root, "site", str(out))  # the next site, in this process
        assert code == 0, (point, said)
        assert tree_bytes(out) == new and hidden(out.parent) == [], (point, hidden(out.parent))
        if point != points[0]:
            assert re.search(r"(finished|undid) the interrupted site build in ", said), (point, said)
