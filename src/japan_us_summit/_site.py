"""The provenance site, shipped with the package as one archive (``site.zip``, built from the same data by
``python build.py dist``), and written out by ``japan-us-summit site``.

The archive's comment names the data version it was built from; a site of another version is refused. A
checkout has no archive (``python build.py site`` renders one there).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from ._errors import REINSTALL, DataFileError
from ._files import DataPackage
from ._layout import is_plain_relative

ARCHIVE = "site.zip"  # beside this module in the wheel


def comment(version: str) -> bytes:
    """The archive comment that says which data version a site shows."""
    return f"japan-us-summit site {version}".encode()


def shipped() -> Path | None:
    """The site archive installed with the package, if there is one."""
    path = Path(str(resources.files("japan_us_summit") / ARCHIVE))
    return path if path.is_file() else None


def write(package: DataPackage, out: Path) -> int:
    """Write the site into ``out`` (new, or an empty folder), complete or not at all; the number of pages."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DataFileError(f"{out} exists and is not an empty folder; name a new folder for the site")
    archive = shipped()
    if archive is None:
        raise DataFileError(f"this installation carries no site ({ARCHIVE}): install a wheel made by "
                            "`python build.py dist`, or run `python build.py site` in a checkout")
    version = package.descriptor["version"]
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        with zipfile.ZipFile(archive) as zipped:
            if zipped.comment != comment(version):
                raise DataFileError(f"{archive} holds a site of {zipped.comment.decode(errors='replace')!r}, not of data "
                                    f"version {version}. {REINSTALL}")
            names = zipped.namelist()
            unsafe = [name for name in names if not is_plain_relative(name.removesuffix("/"))]
            if unsafe:
                raise DataFileError(f"{archive} names a file outside the site ({unsafe[0]!r}). {REINSTALL}")
            zipped.extractall(staging)
        os.chmod(staging, 0o755)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sum(name.endswith(".html") for name in names)
