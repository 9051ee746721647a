"""Shared fixtures: a throwaway copy of the project, and the build CLI run in-process against it."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import subprocess
import sys
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("annotations", "agreement", "sources", "schema", "forms", "pipeline", "build.py", "pyproject.toml", "datapackage",
                 "CHANGELOG.md", "DATA.md", "releases", "provenance_site", "CITATION.cff")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked slow first, in their order, the rest after them in theirs: under xdist each long test then
    starts while there is other work for the other workers, instead of holding one worker alone at the end. (With
    ``--dist loadgroup`` an ``xdist_group`` goes to one worker whole; the largest groups are handed out first.)"""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def load_build_cli():
    """build.py as a module (imported by path: the name ``build`` belongs to PyPA's build tool)."""
    spec = importlib.util.spec_from_file_location("build_cli", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def needs(extra: str, *modules: str) -> pytest.MarkDecorator:
    """Skip unless every module in ``modules`` is installed, naming the extra of pyproject.toml that installs it."""
    missing = [module for module in modules if importlib.util.find_spec(module) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)}: pip install -e \".[{extra}]\"")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_project(target: Path) -> Path:
    """Copy the project's inputs and published package into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs and published package, safe to break."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def validated_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project that ``validate`` has run on once, so that its persistent state (.cache/validate/)
    holds every file's result; never changed (one per xdist worker)."""
    root = copy_project(tmp_path_factory.mktemp("validated") / "project")
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = load_build_cli().main(["validate"], root=root)
    assert code == 0, err.getvalue()
    return root


@pytest.fixture
def warm_project(validated_project: Path, tmp_path: Path) -> Path:
    """Like ``project``, a copy safe to break, but with the state of a run on the unbroken inputs: a test that is
    not about cold runs recomputes only the files it changes (the cache tests show that this gives what a run
    without the state gives)."""
    return shutil.copytree(validated_project, tmp_path / "project", symlinks=True)


@pytest.fixture
def run_build(capsys):
    """Run ``python build.py <args>`` in-process against a project folder; return (exit code, stdout, stderr)."""
    cli = load_build_cli()

    def run(root: Path, *args: str) -> tuple[int, str, str]:
        code = cli.main(list(args), root=root)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def run_build_process(root: Path, *args: str) -> tuple[int, str, str]:
    """Run ``python build.py <args>`` as its own process in ``root`` (needed when ``root``'s schema/ differs)."""
    result = subprocess.run([sys.executable, "build.py", *args], cwd=root, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout, result.stderr
