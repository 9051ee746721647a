"""The house, drawn from the code's own imports (``ast``, every import statement, function-level ones included):
no module imports one that imports it back, ``schema/`` declares and derives nothing, and the floors only
import downwards."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.xdist_group("layout")  # its module-scoped fixtures are built once: every test of the module on one xdist worker

PACKAGES = ("schema", "forms", "pipeline", "provenance_site", "benchmarks")
ACCESSOR = ROOT / "src" / "japan_us_summit"
# Libraries that only a generated form needs; a declaration module importing one is a generator.
FORM_LIBRARIES = {"pyarrow", "pandera", "frictionless", "jinja2", "mlcroissant", "datasets"}
# Each floor may import only the floors listed after it (build.py on top, the accessor at the bottom).
FLOORS = ["build", "provenance_site", "pipeline", "forms", "schema", "japan_us_summit"]


def _modules() -> dict[str, Path]:
    """Every first-party module by dotted name."""
    found = {"build": ROOT / "build.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in sorted(ACCESSOR.rglob("*.py")):
        parts = path.relative_to(ACCESSOR.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> tuple[set[str], set[str]]:
    """The first-party modules and the third-party top-level names that module ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    first, third = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
            # `from . import x` of a submodule reaches the submodule; any other name is the package's own
            targets = submodules + ([base] if len(submodules) < len(node.names) else [])
        else:
            continue
        for target in targets:
            while target and target not in modules:
                if "." not in target:
                    break
                target = target.rpartition(".")[0]
            if target in modules and target != name:
                first.add(target)
            elif target and target.split(".")[0] not in {m.split(".")[0] for m in modules}:
                third.add(target.split(".")[0])
    return first, third


@pytest.fixture(scope="module")
def graph() -> dict[str, tuple[set[str], set[str]]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_graph_is_read_from_the_code(graph):
    """The reader sees the imports it must see (a guard against a reader that finds nothing)."""
    assert "schema.tables" in graph["forms.croissant"][0] and "schema.table" in graph["schema.tables"][0]
    assert "pyarrow" in graph["forms.arrow_schema"][1]
    assert len(graph) > 60


def test_no_module_imports_one_that_imports_it_back(graph):
    sorter = graphlib.TopologicalSorter({name: first for name, (first, _) in graph.items()})
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import circle: {' -> '.join(error.args[1])}")


def test_schema_holds_declarations_only(graph):
    for name, (first, third) in graph.items():
        if name.split(".")[0] == "schema":
            assert not {m for m in first if m.split(".")[0] != "schema"}, f"{name} imports from outside schema/"
            assert not third & FORM_LIBRARIES, f"{name} generates a form ({sorted(third & FORM_LIBRARIES)}): move it to forms/"


def test_floors_import_only_downwards(graph):
    def floor(module: str) -> int | None:
        top = module.split(".")[0]
        return FLOORS.index(top) if top in FLOORS else None

    for name, (first, _) in graph.items():
        if floor(name) is None:
            continue
        for target in first:
            if floor(target) is not None:
                assert floor(target) >= floor(name), f"{name} imports {target}, a floor above it"
