"""Every library the code imports is one the project's own files install: each third-party top-level name
imported anywhere (the build, the accessor, the benchmarks, the tests) belongs to a distribution that
``pyproject.toml`` names itself, not one that only happens to arrive with another."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import ROOT
from tests.test_layout import _imports, _modules

LOCAL = {"tests", "corpus"}  # tests/ itself; benchmarks/ imports its sibling corpus.py by plain name


def _declared() -> set[str]:
    """The distributions pyproject.toml names (dependencies and every extra), normalized."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    return {_normal(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _third_party() -> dict[str, set[str]]:
    """Third-party top-level import names, each with the files that import it."""
    modules = _modules()
    for path in sorted((ROOT / "tests").rglob("*.py")):
        modules["tests." + ".".join(path.relative_to(ROOT / "tests").with_suffix("").parts)] = path
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        for top in _imports(name, path, modules)[1] - LOCAL - set(sys.stdlib_module_names):
            found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_reader_finds_the_libraries():
    found = _third_party()
    assert {"pyarrow", "pydantic", "pytest", "edtf"} <= set(found)


def test_every_imported_library_is_declared_in_pyproject():
    declared, providers = _declared(), packages_distributions()
    missing = {}
    for top, files in sorted(_third_party().items()):
        distributions = {_normal(d) for d in providers.get(top, [top])}
        if not distributions & declared:
            missing[top] = f"{'/'.join(sorted(distributions))} (imported by {', '.join(sorted(files)[:3])})"
    assert not missing, "imported but not declared in pyproject.toml: " + "; ".join(f"{k}: {v}" for k, v in missing.items())
