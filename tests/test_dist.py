"""`python build.py dist` writes what a release publishes; its checksums verify, twine accepts the package, and
the wheel alone, in a fresh virtual environment, gives a working `japan-us-summit site` and `record`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import PROJECT_PARTS, ROOT

pytestmark = pytest.mark.xdist_group("dist")  # its module-scoped fixtures are built once: every test of the module on one xdist worker

PARTS = (*PROJECT_PARTS, "src", "LICENSES", "README.md", "REUSE.toml")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("dist") / "project"
    copy.mkdir()
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__", "site.zip", "*.egg-info"))
        else:
            shutil.copy2(source, copy / part)
    env = {**os.environ, "PYTHONPATH": f"{copy / 'src'}{os.pathsep}{copy}"}
    done = subprocess.run([sys.executable, "build.py", "dist"], cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert not (copy / "src/japan_us_summit/site.zip").exists()  # the wheel's copy is not left in the checkout
    return copy / "dist"


def test_dist_holds_every_release_file_and_the_checksums_verify(dist: Path):
    version = json.loads((ROOT / "datapackage/datapackage.json").read_text())["version"]
    expected = {f"japan_us_summit-{version}-py3-none-any.whl", f"japan_us_summit-{version}.tar.gz",
                f"japan-us-summit-{version}-datapackage.zip", f"japan-us-summit-{version}.sqlite",
                f"japan-us-summit-{version}-site.zip", ".zenodo.json"}
    sums = dict(reversed(line.split("  ", 1)) for line in (dist / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == expected == {p.name for p in dist.iterdir()} - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name
    with zipfile.ZipFile(dist / f"japan-us-summit-{version}-datapackage.zip") as archive:
        assert archive.read("datapackage/datapackage.json") == (ROOT / "datapackage/datapackage.json").read_bytes()
    zenodo = json.loads((dist / ".zenodo.json").read_text())
    assert zenodo["version"] == version and zenodo["upload_type"] == "dataset" and zenodo["license"] == "cc-by-4.0"


def test_twine_accepts_the_wheel_and_the_sdist(dist: Path):
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, sorted(dist.glob("japan_us_summit-*")))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_the_wheel_alone_in_a_fresh_venv_gives_site_and_record(dist: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)  # no ensurepip: seconds saved
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    wheel = next(dist.glob("*.whl"))
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PIP_USER")}
    # this interpreter's pip installs into the venv's interpreter (pip --python), the wheel with its dependencies
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install", "-q", str(wheel)], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    command = str(bin_dir / "japan-us-summit")
    site = subprocess.run([command, "site", str(tmp_path / "site")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert site.returncode == 0, site.stderr
    assert (tmp_path / "site/index.html").is_file() and (tmp_path / "site/records/people/shinzo-abe.html").is_file()
    record = subprocess.run([command, "record", "people", "shinzo-abe", "--format", "json"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300)
    assert record.returncode == 0, record.stderr
    assert json.loads(record.stdout)["values"]["name"] == "Shinzo Abe"
