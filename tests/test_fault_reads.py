"""Every read the accessor serves is checked against what the installer recorded (the wheel's RECORD, the
descriptor included), and sees one version of the package even while it is rebuilt."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import japan_us_summit as jus
from japan_us_summit import _files
from japan_us_summit._files import DataPackage
from pipeline.publish.atomic import exchange
from tests.conftest import ROOT

PACKAGE = ROOT / "datapackage"


def record_of(folder: Path) -> dict[str, tuple[str, str]]:
    """What a wheel's RECORD says of every file under ``folder``: absolute path -> (algorithm, urlsafe base64 digest)."""
    return {path.resolve().as_posix(): ("sha256", base64.urlsafe_b64encode(hashlib.sha256(path.read_bytes()).digest()).rstrip(b"=").decode())
            for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def installed(tmp_path, monkeypatch) -> DataPackage:
    """A copy of the package as a wheel installs it: RECORD holds every file's hash as installed."""
    folder = tmp_path / "site-packages" / "japan_us_summit" / "data"
    shutil.copytree(PACKAGE, folder)
    recorded = record_of(folder)
    monkeypatch.setattr(_files, "_recorded_hashes", lambda: recorded)
    package = DataPackage(folder)
    monkeypatch.setattr(jus, "_package", lambda: package)
    return package


def rehash(folder: Path, descriptor: dict) -> None:
    """Write ``descriptor`` with each resource's size and hash made to match its file again."""
    for resource in descriptor["resources"]:
        data = (folder / resource["path"]).read_bytes()
        resource["bytes"], resource["hash"] = len(data), f"sha256:{hashlib.sha256(data).hexdigest()}"
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def test_rows_rewritten_with_their_hash_are_not_served(installed):
    folder = installed.folder
    people = folder / "parquet" / "people.parquet"
    pq.write_table(pq.read_table(people).slice(1), people)
    rehash(folder, json.loads((folder / "datapackage.json").read_text(encoding="utf-8")))
    with pytest.raises(jus.DataFileError, match="datapackage.json was changed after installation"):
        jus.load("people")
    result = jus.verify()
    assert not result and {check.path for check in result.failures} == {"datapackage.json", "parquet/people.parquet"}


def test_a_descriptor_that_swaps_two_tables_is_caught(installed):
    folder = installed.folder
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {resource["name"]: resource for resource in descriptor["resources"]}
    for form in ("", "-parquet"):
        first, second = by_name[f"people{form}"], by_name[f"organizations{form}"]
        first["path"], second["path"] = second["path"], first["path"]
    rehash(folder, descriptor)
    result = jus.verify()
    assert [check.path for check in result.failures] == ["datapackage.json"]
    assert "RECORD" in str(result)
    with pytest.raises(jus.DataFileError, match="was changed after installation"):
        jus.tables()


def test_an_untouched_installation_reads_and_verifies(installed):
    assert jus.verify() and len(jus.load("people")) == len(pq.read_table(PACKAGE / "parquet" / "people.parquet"))


def test_a_read_across_a_rebuild_sees_the_new_package_not_a_mix(tmp_path, monkeypatch):
    """The package is swapped for a rebuilt one after the descriptor was read and before the file is."""
    folder, rebuilt = tmp_path / "datapackage", tmp_path / "rebuilt"
    shutil.copytree(PACKAGE, folder)
    shutil.copytree(PACKAGE, rebuilt)
    people = rebuilt / "parquet" / "people.parquet"
    pq.write_table(pq.read_table(people).slice(1), people)
    rehash(rebuilt, json.loads((rebuilt / "datapackage.json").read_text(encoding="utf-8")))
    package = DataPackage(folder)
    monkeypatch.setattr(jus, "_package", lambda: package)
    real_read, swaps = DataPackage.read, []

    def read_during_a_rebuild(self, resource):
        if not swaps:
            swaps.append(exchange(rebuilt, folder) or (shutil.rmtree(folder), shutil.copytree(rebuilt, folder)))
        return real_read(self, resource)

    package.descriptor  # read before the rebuild
    monkeypatch.setattr(DataPackage, "read", read_during_a_rebuild)
    assert len(jus.load("people")) == len(pq.read_table(PACKAGE / "parquet" / "people.parquet")) - 1


def test_the_command_line_with_standard_output_closed_says_so(tmp_path):
    done = subprocess.run(f"{sys.executable} -m japan_us_summit tables >&-", shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == ["error: standard output is closed; give the command somewhere to write to (e.g. > file)"]
