"""``python build.py dist``: everything a release publishes, in ``dist/``, so that uploading is one step.

    japan_us_summit-<v>-py3-none-any.whl, japan_us_summit-<v>.tar.gz   the package (wheel and sdist)
    japan-us-summit-<v>-datapackage.zip                                the Frictionless data package
    japan-us-summit-<v>.sqlite                                         every table with its keys
    japan-us-summit-<v>-site.zip                                       the provenance site (also inside the wheel)
    .zenodo.json                                                       deposit metadata, from CITATION.cff
    SHA256SUMS                                                         `sha256sum -c SHA256SUMS` checks them all

Archives are deterministic (sorted names, fixed times and modes). Files a previous ``dist`` wrote are
replaced; anything else in ``dist/`` is left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import yaml

from japan_us_summit import _export, _site
from japan_us_summit._files import DataPackage

from pipeline.project import PACKAGE_DIR
from pipeline.release.releases import CITATION

SUMS = "SHA256SUMS"
ZENODO = ".zenodo.json"
SITE_ARTIFACT = "src/japan_us_summit/" + _site.ARCHIVE  # shipped in the wheel (a hatch artifact), never committed
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip file can record


class DistError(Exception):
    """The release files cannot be made; the message says why and what to do."""


def deterministic_zip(folder: Path, target: Path, prefix: str = "", comment: bytes = b"") -> None:
    """Zip every file under ``folder`` into ``target``: sorted names under ``prefix``, fixed times and modes."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(prefix + path.relative_to(folder).as_posix(), EPOCH)
            info.external_attr, info.compress_type = 0o644 << 16, zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
        archive.comment = comment


def zenodo(citation: dict) -> dict:
    """Zenodo deposit metadata (the ``.zenodo.json`` its GitHub integration reads) from a CITATION.cff."""
    creators = []
    for author in citation.get("authors", []):
        name = author.get("name") or ", ".join(part for part in (author.get("family-names"), author.get("given-names")) if part)
        creators.append({key: value for key, value in
                         (("name", name), ("affiliation", author.get("affiliation")),
                          ("orcid", str(author["orcid"]).rsplit("/", 1)[-1] if author.get("orcid") else None)) if value})
    metadata = {
        "title": citation["title"],
        "upload_type": "dataset" if citation.get("type") == "dataset" else "software",
        "description": citation.get("abstract", citation["title"]),
        "creators": creators,
        "version": str(citation["version"]),
        "publication_date": str(citation["date-released"]),
        "license": str(citation["license"]).lower(),
        "access_right": "open",
        "keywords": citation.get("keywords", []),
    }
    if citation.get("repository-code"):
        metadata["related_identifiers"] = [{"identifier": citation["repository-code"], "relation": "isSupplementTo", "scheme": "url"}]
    return metadata


def _site_archive(render: Callable[[Path], object], version: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        render(Path(folder))
        deterministic_zip(Path(folder), target, comment=_site.comment(version))


def _build_package(root: Path, out: Path) -> None:
    """The sdist and wheel, built from the checkout without isolation (the build backend is a dev dependency)."""
    # Run outside the checkout, and without it on PYTHONPATH: there `import build` finds this project's build.py.
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and Path(p).resolve() != root.resolve()]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    with tempfile.TemporaryDirectory() as elsewhere:
        done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(out), str(root)],
                              cwd=elsewhere, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise DistError(f"building the wheel and sdist failed ({tail[0]}); install the dev extra: pip install -e '.[dev]'")


def _previous(out: Path) -> list[Path]:
    """The files a previous ``dist`` wrote into ``out``, as its SHA256SUMS lists them."""
    sums = out / SUMS
    if not sums.is_file():
        return []
    names = [line.split("  ", 1)[1] for line in sums.read_text(encoding="utf-8").splitlines() if "  " in line]
    return [out / name for name in names if "/" not in name and name not in ("", ".", "..")] + [sums]


def write_dist(root: Path, version: str, out: Path, render: Callable[[Path], object]) -> list[Path]:
    """Write every release file for ``version`` into ``out``; the files written, SHA256SUMS last. ``render`` writes
    the provenance site into an empty folder (the site's renderer is a floor above this one)."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dist-", dir=out))
    artifact = root / SITE_ARTIFACT
    try:
        site = staging / f"japan-us-summit-{version}-site.zip"
        _site_archive(render, version, site)
        shutil.copyfile(site, artifact)
        try:
            _build_package(root, staging)
        finally:
            artifact.unlink(missing_ok=True)
        deterministic_zip(root / PACKAGE_DIR, staging / f"japan-us-summit-{version}-datapackage.zip", prefix="datapackage/")
        _export.write_sqlite(DataPackage(root / PACKAGE_DIR), staging / f"japan-us-summit-{version}.sqlite")
        citation = yaml.safe_load((root / CITATION).read_text(encoding="utf-8"))
        (staging / ZENODO).write_text(json.dumps(zenodo(citation), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        files = sorted(p for p in staging.iterdir() if p.is_file())
        sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files)
        (staging / SUMS).write_text(sums, encoding="utf-8")
        for old in _previous(out):
            old.unlink(missing_ok=True)
        written = []
        for path in [*files, staging / SUMS]:
            path.replace(out / path.name)
            written.append(out / path.name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
