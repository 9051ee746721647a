"""Ctrl-C at any moment (the imports of the first second, the start of the process pool) is one line and exit
status 130, never a traceback; a worker out of memory falls back to working in the main process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline import incremental
from tests.conftest import ROOT, copy_project

DELAYS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5)  # seconds after pyarrow began to load: the heavy imports run meanwhile


def interrupted(command: list[str], cwd: Path, when) -> subprocess.CompletedProcess:
    """Run ``command`` in a session of its own and send SIGINT to its whole process group, as a terminal does,
    once ``when(process)`` returns True."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        while process.poll() is None and not when(process):
            time.sleep(0.002)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def loading_pyarrow(process: subprocess.Popen) -> bool:
    """Whether the process has mapped Arrow's library: its own code runs and its heavy imports have begun. (A
    signal during the interpreter's own start-up, before any of the command's code runs, is Python's to handle.)"""
    try:
        return "libarrow" in Path(f"/proc/{process.pid}/maps").read_text()
    except OSError:
        return False


def after(seconds: float):
    """True from ``seconds`` after pyarrow began to load."""
    began: list[float] = []

    def ready(process: subprocess.Popen) -> bool:
        if not began and loading_pyarrow(process):
            began.append(time.monotonic())
        return bool(began) and time.monotonic() - began[0] >= seconds

    return ready


def assert_one_line(done: subprocess.CompletedProcess, line: str) -> None:
    """Interrupted: exactly ``line`` and status 130 (or finished before the signal came)."""
    assert "Traceback" not in done.stderr, done.stderr
    assert (done.returncode, done.stderr) == (130, f"{line}\n") or done.returncode == 0, (done.returncode, done.stderr)


needs_proc = pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="watches the process through /proc")


@needs_proc
@pytest.mark.parametrize("delay", DELAYS)
def test_ctrl_c_while_build_py_imports_is_one_line(project, delay):
    done = interrupted([sys.executable, "build.py", "--no-cache", "validate"], project, after(delay))
    assert_one_line(done, "interrupted; nothing was changed")


@needs_proc
@pytest.mark.parametrize("delay", DELAYS)
def test_ctrl_c_while_the_command_line_imports_is_one_line(tmp_path, delay):
    done = interrupted([sys.executable, "-m", "japan_us_summit", "tables"], tmp_path, after(delay))
    assert_one_line(done, "interrupted")


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@needs_proc
@pytest.mark.parametrize("started", [1, 2, 3], ids=["first-helper-process", "second", "third"])
def test_ctrl_c_while_the_process_pool_starts_is_one_line(project, started):
    """The pool starts when the Nth child process appears (the resource tracker, the fork server, a worker)."""
    script = ("import pipeline.incremental as i; i.PARALLEL_FROM = 1; import runpy, sys; sys.argv = ['build.py', '--no-cache', 'validate']; "
              "runpy.run_path('build.py', run_name='__main__')")
    done = interrupted([sys.executable, "-c", script], project, lambda process: len(children(process.pid)) >= started)
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert (done.returncode, done.stderr) == (130, "interrupted; nothing was changed\n") or done.returncode == 0, done.stderr


def arrow_out_of_memory(root: Path, name: str, relative: str):
    raise pa.ArrowMemoryError("malloc of size 1048576 failed")


def out_of_memory(root: Path, name: str, relative: str):
    raise MemoryError


def system_error(root: Path, name: str, relative: str):
    raise SystemError("error return without exception set")


@pytest.mark.parametrize("failing", [arrow_out_of_memory, out_of_memory, system_error], ids=lambda f: f.__name__)
def test_a_worker_out_of_memory_falls_back_to_the_main_process(project, run_build, monkeypatch, failing):
    serial = run_build(project, "--no-cache", "validate")
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 1)
    monkeypatch.setattr(incremental, "_work", failing)  # pickled by name: the workers import it from this module
    assert run_build(project, "--no-cache", "validate") == serial
