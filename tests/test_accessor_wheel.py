"""End to end: build the sdist and the wheel, install the wheel in a fresh virtual environment, use it from outside the repository.

``python -m build`` without ``--sdist``/``--wheel`` builds the sdist and then the wheel *from that sdist*, so
this also proves the sdist is complete. ``--no-isolation`` uses the installed hatchling (no network). The
new venv sees the test interpreter's pandas, pyarrow and polars through a ``.pth`` line naming that
interpreter's site-packages (``--system-site-packages`` would expose the *base* interpreter's packages
instead, which in a plain venv lack them); the wheel is installed into it with ``--no-deps``. Each build step runs outside the repository, whose ``build.py`` would
otherwise shadow PyPA's ``build``.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import site
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.test_accessor_support import BACKENDS, DATA, DESCRIPTOR, ROOT, TABLES, actual_rows, assert_types, expected_rows

pytestmark = pytest.mark.xdist_group("accessor_wheel")  # its module-scoped fixtures are built once: every test of the module on one xdist worker

PROBE = """
import json, pickle, sys
import japan_us_summit as jus

def attempt(read, name):
    try:
        return read()
    except jus.DataFileError as error:
        errors[name] = str(error)

loaded, errors = {}, {}
for name in attempt(jus.tables, "*") or []:
    try:
        loaded[name] = {backend: jus.load(name, backend=backend) for backend in sys.argv[2].split(",")}
    except jus.DataFileError as error:
        errors[name] = str(error)
result = jus.verify()
summary = {
    "file": jus.__file__, "version": attempt(lambda: jus.__version__, "version"), "parquet": attempt(lambda: str(jus.path("people")), "path"),
    "errors": errors, "ok": bool(result), "failures": [[check.path, check.problem] for check in result.failures], "report": str(result),
}
with open(sys.argv[1] + ".pickle", "wb") as file:
    pickle.dump(loaded, file)
with open(sys.argv[1] + ".json", "w") as file:
    json.dump(summary, file)
"""


def run(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel and the sdist, built from the repository."""
    work = tmp_path_factory.mktemp("build")
    done = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"), str(ROOT)], cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,), (sdist,) = (work / "dist").glob("*.whl"), (work / "dist").glob("*.tar.gz")
    return wheel, sdist


@pytest.fixture(scope="module")
def installed(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The python of a fresh venv with the wheel installed, and an empty folder outside the repository to run it in."""
    work = tmp_path_factory.mktemp("venv")
    # Without pip of its own (ensurepip takes seconds): the outer site-packages, joined below, lend it theirs.
    assert run([sys.executable, "-m", "venv", "--without-pip", str(work / "venv")], cwd=work).returncode == 0
    python = work / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work).stdout.strip()
    # A plain path line: the directory joins sys.path, but its own .pth files (this checkout's editable install) are not run.
    (Path(purelib) / "outer-site-packages.pth").write_text("\n".join(dict.fromkeys(site.getsitepackages())) + "\n", encoding="utf-8")
    done = run([str(python), "-m", "pip", "install", "--no-deps", "--force-reinstall", str(built[0])], cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    outside = work / "outside"
    outside.mkdir()
    return python, outside


def probe(python: Path, outside: Path, name: str) -> tuple[dict, dict]:
    """Run PROBE in the venv; return its JSON summary and the tables it loaded."""
    done = run([str(python), "-c", PROBE, str(outside / name), ",".join(BACKENDS)], cwd=outside)
    assert done.returncode == 0, done.stderr
    summary = json.loads((outside / f"{name}.json").read_text())
    with (outside / f"{name}.pickle").open("rb") as file:
        return summary, pickle.load(file)


def test_distributions_ship_the_data_package(built: tuple[Path, Path]):
    wheel, sdist = built
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        shipped = ["datapackage.json", *(resource["path"] for resource in DESCRIPTOR["resources"])]
        for relative in shipped:
            assert archive.read(f"japan_us_summit/data/{relative}") == (DATA / relative).read_bytes(), relative
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "[console_scripts]\njapan-us-summit = japan_us_summit.__main__:main" in entry_points
    assert all(name.startswith("japan_us_summit") for name in names), names
    assert {"japan_us_summit/__main__.py", "japan_us_summit/cli.py", "japan_us_summit/py.typed"} <= set(names)
    assert not any("pipeline/" in n or "tests/" in n for n in names)
    assert f"Version: {DESCRIPTOR['version']}" in metadata and "Requires-Dist: pyarrow" in metadata and "Requires-Dist: click" in metadata
    assert "extra == 'polars'" in metadata or 'extra == "polars"' in metadata
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"datapackage/datapackage.json", "src/japan_us_summit/__init__.py", "pyproject.toml", "CITATION.cff"} <= members


def test_distributions_carry_the_licences(built: tuple[Path, Path]):
    """PEP 639: the licence expression in the metadata, and every licence text in the wheel's .dist-info/licenses/ and the sdist."""
    wheel, sdist = built
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    licences = {relative: (ROOT / relative).read_bytes() for relative in project["license-files"]}
    expression = project["license"]
    assert len(licences) == len(expression.split(" AND "))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        dist_info = next(n for n in names if n.endswith(".dist-info/METADATA")).removesuffix("METADATA")
        for relative, text in licences.items():
            assert archive.read(f"{dist_info}licenses/{relative}") == text, relative
        metadata = archive.read(f"{dist_info}METADATA").decode()
    assert f"License-Expression: {expression}\n" in metadata
    assert all(f"License-File: {relative}\n" in metadata for relative in licences)
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1]: name for name in archive.getnames() if "/" in name}
        for relative, text in licences.items():
            assert archive.extractfile(members[relative]).read() == text, relative
    assert "REUSE.toml" in members


def test_installed_wheel_loads_every_table_like_the_csv(installed: tuple[Path, Path]):
    python, outside = installed
    summary, loaded = probe(python, outside, "intact")
    venv = python.parent.parent
    assert Path(summary["file"]).is_relative_to(venv) and not Path(summary["file"]).is_relative_to(ROOT)
    assert Path(summary["parquet"]).is_relative_to(venv)
    assert summary["version"] == DESCRIPTOR["version"]
    assert summary["ok"] and summary["failures"] == [] and summary["errors"] == {}
    assert list(loaded) == TABLES
    for table in TABLES:
        for backend in BACKENDS:
            assert actual_rows(loaded[table][backend], table) == expected_rows(table), (table, backend)
            assert_types(loaded[table][backend], table)


def script(python: Path) -> Path:
    """The ``japan-us-summit`` console script the wheel installed beside ``python``."""
    return python.parent / ("japan-us-summit.exe" if os.name == "nt" else "japan-us-summit")


def test_installed_command_line(installed: tuple[Path, Path]):
    python, outside = installed
    for command in ([str(python), "-m", "japan_us_summit"], [str(script(python))]):
        done = run(command, cwd=outside)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"japan-us-summit {DESCRIPTOR['version']}:")
        assert all(table in done.stdout for table in TABLES) and "CC-BY-4.0" in done.stdout
    done = run([str(script(python)), "verify"], cwd=outside)
    assert done.returncode == 0 and done.stdout.startswith("OK: ") and str(python.parent.parent) in done.stdout


def test_installed_verify_names_a_changed_byte(installed: tuple[Path, Path]):
    python, outside = installed
    summary, _ = probe(python, outside, "before")
    target = Path(summary["parquet"])  # site-packages/japan_us_summit/data/parquet/people.parquet
    original = target.read_bytes()
    damaged = bytearray(original)
    damaged[100] ^= 0x01
    target.write_bytes(bytes(damaged))
    try:
        summary, loaded = probe(python, outside, "damaged")
        cli = run([str(python), "-m", "japan_us_summit"], cwd=outside)
        verified = run([str(script(python)), "verify"], cwd=outside)
    finally:
        target.write_bytes(original)
    assert not summary["ok"]
    assert [path for path, _ in summary["failures"]] == ["parquet/people.parquet"]
    assert "parquet/people.parquet" in summary["report"] and "--force-reinstall" in summary["report"]
    assert list(summary["errors"]) == ["people"] and "people.parquet is corrupted" in summary["errors"]["people"]
    assert set(loaded) == set(TABLES) - {"people"}
    assert cli.returncode == 1 and "people.parquet is corrupted" in cli.stderr and "Traceback" not in cli.stderr
    assert verified.returncode == 1 and "parquet/people.parquet: " in verified.stdout and "--force-reinstall" in verified.stdout


def test_installed_verify_does_not_trust_a_descriptor_changed_with_its_data(installed: tuple[Path, Path]):
    """Data changed together with its hash in datapackage.json still fails: the wheel's RECORD disagrees."""
    python, outside = installed
    summary, _ = probe(python, outside, "before-rehash")
    data = Path(summary["parquet"]).parent.parent
    csv, descriptor_file = data / "csv" / "people.csv", data / "datapackage.json"
    originals = {csv: csv.read_bytes(), descriptor_file: descriptor_file.read_bytes()}
    changed = originals[csv].replace(b"Donald Trump", b"Donald J. Trump")
    descriptor = json.loads(originals[descriptor_file])
    resource = next(r for r in descriptor["resources"] if r["name"] == "people")
    resource["bytes"], resource["hash"] = len(changed), "sha256:" + hashlib.sha256(changed).hexdigest()
    csv.write_bytes(changed)
    descriptor_file.write_text(json.dumps(descriptor), encoding="utf-8")
    try:
        summary, loaded = probe(python, outside, "rehashed")
        shown = [run([str(script(python)), *command, "people"], cwd=outside) for command in (["show"], ["export"])]
    finally:
        for path, content in originals.items():
            path.write_bytes(content)
    assert not summary["ok"]
    failures = dict(summary["failures"])
    assert failures["csv/people.csv"] == failures["datapackage.json"] == "differs from the sha256 the installer recorded (RECORD)"
    assert loaded == {} and "datapackage.json was changed after installation" in summary["errors"]["*"]
    for done in shown:  # nothing is served from a descriptor the installer did not write
        assert done.returncode in (1, 2) and "datapackage.json was changed after installation" in done.stderr and done.stdout == ""
