"""The site writes only what it owns: a folder its manifest shows it wrote, never the data package, never a
path made from a record id; and it reads the package only once its hashes check out."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from provenance_site import SiteError, build
from tests.conftest import ROOT, tree_bytes

PACKAGE = ROOT / "datapackage"


def around(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``'s parent, OUT excluded: what a site build must not touch."""
    return {k: v for k, v in tree_bytes(folder.parent).items() if not k.startswith(f"{folder.name}/")}


def test_a_folder_with_only_the_manifest_s_name_in_it_is_not_the_site_s(tmp_path, run_build):
    out = tmp_path / "o"
    out.mkdir()
    (out / ".provenance-site").touch()
    (out / "thesis.txt").write_text("mine\n", encoding="utf-8")
    code, _, err = run_build(ROOT, "site", str(out))
    assert code == 1 and "is not a site written by `build.py site`" in err
    assert (out / "thesis.txt").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_a_file_added_to_or_changed_in_a_site_is_never_deleted(tmp_path, run_build):
    out = tmp_path / "site"
    assert run_build(ROOT, "site", str(out))[0] == 0
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, _, err = run_build(ROOT, "site", str(out))
    assert code == 1 and "holds notes.txt, which `build.py site` did not write" in err
    (out / "notes.txt").unlink()
    (out / "index.html").write_text("edited by hand\n", encoding="utf-8")
    code, _, err = run_build(ROOT, "site", str(out))
    assert code == 1 and "holds index.html, changed since `build.py site` wrote it" in err
    assert (out / "index.html").read_text(encoding="utf-8") == "edited by hand\n"


@pytest.mark.parametrize("where", ["datapackage/site", "datapackage", "."])
def test_the_site_never_writes_into_the_package(project, run_build, where):
    before = tree_bytes(project / "datapackage")
    code, _, err = run_build(project, "site", str(project / where))
    assert code == 1 and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert tree_bytes(project / "datapackage") == before


def _rewrite(package: Path, table: str, change) -> None:
    """Rewrite ``table``'s Parquet file with ``change`` applied to its rows, and its size and hash in the descriptor."""
    path = package / "parquet" / f"{table}.parquet"
    rows = pq.read_table(path)
    pq.write_table(pa.Table.from_pylist(change(rows.to_pylist()), schema=rows.schema), path)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == f"{table}-parquet":
            data = path.read_bytes()
            resource["bytes"], resource["hash"] = len(data), f"sha256:{hashlib.sha256(data).hexdigest()}"
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_a_record_id_never_becomes_a_path(tmp_path):
    package = tmp_path / "deep" / "er" / "still" / "package"
    shutil.copytree(PACKAGE, package)
    hostile = "../../../../escaped-person"
    _rewrite(package, "people", lambda rows: [{**rows[0], "person_id": hostile}, *rows[1:]])
    out = tmp_path / "deep" / "er" / "still" / "out"
    pages = build(package, out)
    outside = [p for p in tmp_path.rglob("*escaped*")]
    assert outside == [], f"wrote outside OUT: {outside}"
    assert all(p.resolve().is_relative_to(out) for p in pages)
    assert (out / "records" / "people" / f"~{hashlib.sha256(hostile.encode()).hexdigest()[:32]}.html").is_file()


def test_a_package_whose_file_does_not_match_its_hash_is_not_read(tmp_path, run_build):
    package = tmp_path / "project" / "datapackage"
    shutil.copytree(PACKAGE, package)
    path = package / "parquet" / "people.parquet"
    rows = pq.read_table(path)
    pq.write_table(rows.slice(1), path)  # a row gone, the descriptor not told
    code, _, err = run_build(tmp_path / "project", "site", str(tmp_path / "out"))
    assert code == 1
    (line,) = err.strip().splitlines()
    assert "people.parquet does not match datapackage.json" in line and "run `python build.py build`" in line
    assert not (tmp_path / "out").exists()


def test_a_failed_build_leaves_the_previous_site_and_nothing_beside_it(tmp_path, monkeypatch):
    out = tmp_path / "site"
    build(PACKAGE, out)
    before, beside = tree_bytes(out), around(out)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("provenance_site.render.write_manifest", broken)
    with pytest.raises(OSError):
        build(PACKAGE, out)
    assert tree_bytes(out) == before and around(out) == beside
    with pytest.raises(SiteError, match="overlaps the data package"):
        build(PACKAGE, PACKAGE / "site")
