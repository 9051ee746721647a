"""A SIGKILL at every rename of `release` and of `site` (strace holds the process at the entry of that system call,
and it is killed there, before the rename happens): the next command finishes or undoes the interrupted change,
says which, and leaves the project as before or as after, never between."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
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


def _seccomp() -> list[str]:
    """``--seccomp-bpf`` where strace and the kernel have it: the process then stops only at the traced calls, not at
    every system call (which made a traced release take twice as long, a traced site three times)."""
    probe = ["strace", "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null", "-e", "trace=rename", "true"]
    return ["--seccomp-bpf"] if _strace_works() and subprocess.run(probe, capture_output=True).returncode == 0 else []


pytestmark = [pytest.mark.skipif(not _strace_works(), reason="needs strace, allowed to trace (apt-get install strace)"), pytest.mark.slow]
SECCOMP = _seccomp()
HOLD = 600_000_000  # microseconds strace holds the process at the entry of the call it is to be killed at


def traced(cwd: Path, args: list[str], log: Path | None = None, kill: tuple[str, int] | None = None) -> subprocess.CompletedProcess:
    """Run ``python build.py ARGS`` under strace, logging its renames to ``log``, or SIGKILLing it at ``kill``: the
    entry of the Nth call of that rename system call, where strace holds it (strace's own signal injection does not
    fire under --seccomp-bpf, its delay does), so the rename never happens."""
    with tempfile.TemporaryDirectory() as folder:
        log = log or Path(folder) / "renames.log"
        hold = ["-e", f"inject={kill[0]}:delay_enter={HOLD}:when={kill[1]}"] if kill else []
        command = ["strace", "-f", *SECCOMP, "-qq", "-o", str(log), "-e", f"trace={','.join(RENAMES)}", "-e", "signal=none",
                   *hold, sys.executable, "build.py", "--no-cache", *args]
        with open(Path(folder) / "out", "w+") as out, open(Path(folder) / "err", "w+") as err:
            process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=out, stderr=err, text=True)
            try:
                code = _kill_when_held(process, log, kill) if kill else process.wait(timeout=600)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            out.seek(0), err.seek(0)
            return subprocess.CompletedProcess(command, code, out.read(), err.read())


def _kill_when_held(process: subprocess.Popen, log: Path, kill: tuple[str, int]) -> int:
    """Wait until the traced process enters the Nth call of ``kill`` (strace logs the entry, then holds it there), SIGKILL
    it, end strace and wait until the process is dead; -9 then, else strace's status (the call never came)."""
    deadline = time.monotonic() + 600
    call, n = kill
    while process.poll() is None and time.monotonic() < deadline:
        entries = re.findall(rf"^(\d+) +{call}\(", log.read_text(encoding="utf-8") if log.exists() else "", re.M)
        if len(entries) >= n:
            held = int(entries[n - 1])
            while _state(held) not in ("t", "T", None) and time.monotonic() < deadline:  # at the entry stop
                time.sleep(0.001)
            os.kill(held, signal.SIGKILL)
            process.kill()  # strace: with it gone the process leaves the stop, and dies of the SIGKILL, the rename undone
            process.wait()
            while not _dead(held) and time.monotonic() < deadline:
                time.sleep(0.001)
            assert _dead(held), f"{held} survived a SIGKILL"
            return -9
        time.sleep(0.005)
    return process.wait(timeout=max(1.0, deadline - time.monotonic()))


def _dead(pid: int) -> bool:
    """Whether every thread of process ``pid`` has exited, so that its files, and the locks on them, are closed (the
    first thread becomes a zombie before the others have finished exiting)."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return True
    return threads == [str(pid)] and _state(pid) in ("Z", "X", None)


def _state(pid: int) -> str | None:
    """The state letter of process ``pid`` (t: stopped by its tracer, Z: dead, not yet reaped), None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


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
