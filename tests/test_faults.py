"""Faults of the machine, not of the input: each gives one line and an exit code, and changes nothing."""

from __future__ import annotations

import errno
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

import pipeline.publish.journal
from pipeline.project import version
from pipeline.release import data_diff
from tests.conftest import copy_project, load_build_cli, tree_bytes

OUTPUTS = ("datapackage", "DATA.md", "schema/json", "CHANGELOG.md", "pyproject.toml", "CITATION.cff", "releases")


def outputs(root: Path) -> dict[str, bytes]:
    found = {}
    for name in OUTPUTS:
        path = root / name
        if path.is_dir():
            found |= {f"{name}/{k}": v for k, v in tree_bytes(path).items()}
        elif path.exists():
            found[name] = path.read_bytes()
    return found


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".") and ("-new-" in p.name or ".tmp-" in p.name or "journal" in p.name))


@pytest.fixture
def repo(warm_project: Path) -> Path:
    """A project copy under git, its last release committed (its validate state, as a checkout's, ignored by git)."""
    root = warm_project
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, capture_output=True)
    (root / ".git" / "info" / "exclude").write_text(".cache/\n", encoding="utf-8")
    for args in (["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def next_minor(root: Path) -> str:
    """The version a `release minor` makes (a minor step is enough for any change while the major version is 0)."""
    major, minor, _ = version(root).split(".")
    return f"{major}.{int(minor) + 1}.0"


def stale(root: Path) -> None:
    """An annotation change, so that build and release have something to write."""
    path = root / "annotations" / "figures.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "measure: Number of countries on Trump's Asian tour", "measure: Number of nations on Trump's Asian tour"), encoding="utf-8")


def test_ctrl_c_says_so_exits_130_and_changes_nothing(repo, run_build, monkeypatch):
    stale(repo)
    before = outputs(repo)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("pipeline.publish.publish.write_tables", interrupted)
    code, out, err = run_build(repo, "build")
    assert (code, err.strip().splitlines()[-1]) == (130, "interrupted; nothing was changed")
    assert "Traceback" not in err
    assert outputs(repo) == before and leftovers(repo) == []


def test_a_full_disk_during_release_changes_nothing(repo, run_build, monkeypatch):
    stale(repo)
    assert run_build(repo, "build")[0] == 0
    before = outputs(repo)
    real_stage = pipeline.publish.journal.stage

    def disk_full(path: Path, data, temporary=None):
        if path.name == "CHANGELOG.md":  # one of the last files release writes
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_stage(path, data, temporary)

    cli = load_build_cli()
    monkeypatch.setattr(pipeline.publish.journal, "stage", disk_full)
    code = cli.main(["release", "minor"], root=repo)
    assert code == 1
    assert outputs(repo) == before, "a failed release changed files"
    assert leftovers(repo) == []


def test_a_file_size_limit_gives_one_line_and_leaves_the_package(repo):
    """A real EFBIG from the kernel (RLIMIT_FSIZE), in a process of its own."""
    stale(repo)
    before = outputs(repo)
    script = (
        "import resource, runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000)); sys.argv = ['build.py', 'build']; "
        "runpy.run_path('build.py', run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: ") and "File too large" in line and line.endswith("nothing was changed")
    assert outputs(repo) == before and leftovers(repo) == []


def test_a_second_writer_is_refused_with_a_clear_line(repo, run_build):
    with FileLock(repo / ".build.lock"):
        code, _, err = run_build(repo, "build")
    assert code == 1
    assert "another build or release is running" in err and "Traceback" not in err


def test_a_journalled_release_is_finished_by_the_next_command(repo, run_build, monkeypatch):
    """Interrupted after the package was swapped in and before any file was renamed (as a crash would leave it)."""
    stale(repo)
    real_finish = pipeline.publish.journal._finish
    calls = []

    def crash(journal, record):
        calls.append(journal)
        if len(calls) == 1:
            raise SystemExit("killed")  # the journal and the staged files stay, as after a SIGKILL
        return real_finish(journal, record)

    monkeypatch.setattr(pipeline.publish.journal, "_finish", crash)
    new, old = next_minor(repo), version(repo)
    with pytest.raises(SystemExit):
        run_build(repo, "release", "minor")
    assert (repo / ".build-journal.json").exists() and version(repo) == old
    code, _, err = run_build(repo, "validate")
    assert code == 0, err
    assert err.splitlines()[0] == f"finished the interrupted release {new}"
    assert version(repo) == new and (repo / "releases" / f"{new}.json").exists()
    assert leftovers(repo) == []


def test_a_journal_that_is_not_one_is_refused_and_left_alone(repo, run_build):
    (repo / ".build-journal.json").write_text('{"action": "x", "state": "ready", "token": "00000000", "folders": [], "files": ["../../etc/passwd"]}', encoding="utf-8")
    code, _, err = run_build(repo, "validate")
    assert code == 1 and "is not a journal this tool wrote" in err and len(err.strip().splitlines()) == 1
    assert (repo / ".build-journal.json").exists()


def test_a_damaged_descriptor_never_blocks_the_build_that_repairs_it(repo, run_build):
    (repo / "datapackage" / "datapackage.json").write_text('{"truncated', encoding="utf-8")
    code, _, err = run_build(repo, "validate")
    assert code == 1 and "datapackage/datapackage.json: version is unreadable" in err
    assert run_build(repo, "build")[0] == 0
    assert run_build(repo, "check")[0] == 0


def test_diff_refuses_an_unknown_ref(repo, run_build):
    code, out, err = run_build(repo, "diff", "no-such-ref")
    assert (code, out) == (1, "")
    assert "'no-such-ref' is not a commit of this repository" in err


def test_diff_without_git_says_so(repo, run_build, monkeypatch):
    def no_git(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "git")

    monkeypatch.setattr(data_diff.subprocess, "run", no_git)
    code, _, err = run_build(repo, "diff", "HEAD")
    assert code == 1 and "git is not installed" in err


def test_release_outside_git_changes_nothing(tmp_path, run_build):
    root = copy_project(tmp_path / "project")
    stale(root)
    assert run_build(root, "build")[0] == 0
    before = outputs(root)
    code, _, err = run_build(root, "release", "minor")
    assert code == 1 and "is not a git repository" in err
    assert outputs(root) == before


@pytest.mark.parametrize("command", ["coverage", "validate --format json", "diff"])
def test_a_piped_command_ends_quietly_when_the_reader_stops(repo, command: str):
    done = subprocess.run(f"{sys.executable} build.py {command} | head -1", shell=True, cwd=repo, capture_output=True, text=True)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def _nobody_can_run_python() -> bool:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    done = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c", "import filelock, pandas"],
                          capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(not _nobody_can_run_python(), reason="needs root, setpriv and a Python that user nobody can run")
def test_permission_denied_is_one_line_as_another_user(tmp_path):
    """Root bypasses file permissions, so the build runs as user nobody against a package it may not replace."""
    work = tmp_path / "open"
    work.mkdir()
    for folder in [work, *work.parents]:
        if folder == Path("/"):
            break
        folder.chmod(folder.stat().st_mode | 0o011)
    root = copy_project(work / "project")
    nobody = pwd.getpwnam("nobody")
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o044 | (0o011 if path.is_dir() else 0))
    stale(root)
    os.chown(root, nobody.pw_uid, nobody.pw_gid)  # nobody may write here, but not into the root-owned files
    before = outputs(root)
    done = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "build.py", "build"],
                          cwd=root, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "Permission denied" in line and "check the permissions" in line
    assert outputs(root) == before
