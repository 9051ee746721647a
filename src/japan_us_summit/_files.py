"""Find the shipped data package, resolve its files safely, and check them against ``datapackage.json``.

Where the data is. A wheel carries the built ``datapackage/`` folder as ``japan_us_summit/data``
(hatch ``force-include``), found with ``importlib.resources.files("japan_us_summit") / "data"``.
An editable install (``pip install -e .``) runs the code from ``src/`` and copies nothing, so that
folder does not exist. For that case only, the distribution's PEP 610 ``direct_url.json`` (read with
``importlib.metadata``; an editable install records ``{"url": "file:///<checkout>", "dir_info":
{"editable": true}}``) names the checkout, and the data is its ``datapackage/`` folder, the very
folder the wheel would ship. Both lookups go through installation metadata, never through the
working directory or this file's place in the repository; a source tree that was never installed
finds no data and says so.

Safety. A resource path must be a plain relative POSIX path: no ``..``, no absolute path or drive,
no backslash, and no symlink on the way, so nothing outside the data folder is ever read.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from ._errors import REINSTALL, DataFileError, UnknownTableError, UnsafePathError
from ._layout import DESCRIPTOR, FORMATS, PACKAGE_DIR, is_plain_relative
from ._suggest import did_you_mean

DISTRIBUTION = "japan-us-summit"
CONSISTENT_TRIES = 5
Stamp = tuple[int, int, int]
T = TypeVar("T")


def data_folder() -> Path:
    """The folder holding ``datapackage.json``: in the installed package, else in the editable checkout."""
    shipped = resources.files("japan_us_summit") / "data"
    if isinstance(shipped, Path) and shipped.is_dir():
        return shipped
    checkout = _running_checkout() or _editable_checkout()
    if checkout is None:
        raise DataFileError(f"The japan-us-summit data folder {shipped} is missing. {REINSTALL}")
    if not (checkout / PACKAGE_DIR).is_dir():
        raise DataFileError(f"This editable install reads {checkout / PACKAGE_DIR}, which is missing; run: python build.py build")
    return checkout / PACKAGE_DIR


def _running_checkout() -> Path | None:
    """The checkout this module runs from (``src/japan_us_summit`` on ``PYTHONPATH``), if it is one: its data
    is the data that goes with this code, whichever checkout the editable install points at."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / PACKAGE_DIR).is_dir() else None


def _editable_checkout() -> Path | None:
    """The project folder of an editable install, from its PEP 610 ``direct_url.json``."""
    from importlib import metadata  # imported on use (slow to import): `import japan_us_summit` stays quick
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    info = json.loads(text) if text else {}
    url = urlparse(info.get("url", ""))
    if not info.get("dir_info", {}).get("editable") or url.scheme != "file":
        return None
    return Path(url2pathname(url.path))


@dataclass(frozen=True)
class FileCheck:
    """One file of the package: ``problem`` is None when its size and hash match the descriptor."""

    resource: str
    path: str
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Verification:
    """The outcome of ``verify()``. True (``ok``) when every file matches; ``failures`` lists those that do not."""

    folder: Path
    checks: tuple[FileCheck, ...]

    @property
    def failures(self) -> tuple[FileCheck, ...]:
        return tuple(check for check in self.checks if not check.ok)

    @property
    def ok(self) -> bool:
        return not self.failures

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if self.ok:
            return f"OK: all {len(self.checks)} files in {self.folder} match {DESCRIPTOR}"
        lines = [f"FAILED: {len(self.failures)} of {len(self.checks)} files in {self.folder} differ from {DESCRIPTOR}:"]
        lines += [f"  {check.path}: {check.problem}" for check in self.failures]
        return "\n".join([*lines, REINSTALL])


class DataPackage:
    """The data package in ``folder``: its descriptor, its tables' files, and their integrity."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._descriptor: tuple[Stamp, dict[str, Any], str | None] | None = None  # (stamp, parsed, RECORD mismatch)
        self._verified: set[tuple[str, Stamp, str]] = set()  # (path, stamp, hash) checked already

    @property
    def descriptor(self) -> dict[str, Any]:
        """The parsed ``datapackage.json``, checked against the installer's RECORD, and read again whenever the
        file changes (a rebuilt package)."""
        _, parsed, problem = self._load()
        if problem is not None:
            raise DataFileError(f"{self.folder / DESCRIPTOR} was changed after installation: it {problem}. {REINSTALL}")
        return parsed

    def _load(self) -> tuple[Stamp, dict[str, Any], str | None]:
        path = self.folder / DESCRIPTOR
        try:
            stamp = _stamp(path)
            if self._descriptor is None or self._descriptor[0] != stamp:
                data = path.read_bytes()
                parsed = json.loads(data.decode("utf-8"))
                problem = _shape_problem(parsed)
                if problem is not None:
                    raise DataFileError(f"{path} is malformed: {problem}. {REINSTALL}")
                self._descriptor = (stamp, parsed, _record_mismatch(self.folder, DESCRIPTOR, data))
                self._verified.clear()
        except FileNotFoundError:
            raise DataFileError(f"{path} is missing. {REINSTALL}") from None
        except OSError as error:
            if isinstance(error, DataFileError):
                raise
            raise DataFileError(f"{path} cannot be read ({error.strerror}). {REINSTALL}") from None
        except ValueError as error:
            raise DataFileError(f"{path} cannot be read ({error}). {REINSTALL}") from None
        return self._descriptor

    def consistently(self, read: Callable[[], T]) -> T:
        """``read()``, made again when the package was rebuilt while it ran (its descriptor changed), so that all
        it read comes from one version of the package."""
        for _ in range(CONSISTENT_TRIES):
            before = self._load()[0]
            try:
                result = read()
            except DataFileError:
                if self._load()[0] == before:
                    raise
                continue
            if self._load()[0] == before:
                return result
        raise DataFileError(f"{self.folder} changed during {CONSISTENT_TRIES} reads in a row (is a build running?); try again once it is done")

    def tables(self) -> list[str]:
        """Names of the tabular resources, in descriptor order."""
        return [resource["name"] for resource in self.descriptor["resources"] if resource.get("type") == "table"]

    def resource(self, table: str, format: str = "csv") -> dict[str, Any]:
        """The resource holding ``table`` as ``format``: the table resource itself, or ``<table>-parquet``."""
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))}, not {format!r}")
        names = self.tables()
        if table not in names:
            hint = did_you_mean(table, names)
            hint = f" {hint[0].upper()}{hint[1:]}" if hint else ""
            raise UnknownTableError(f"No table named {table!r}.{hint} Valid tables: {', '.join(names)}")
        wanted = table if format == "csv" else f"{table}-{format}"
        for resource in self.descriptor["resources"]:
            if resource["name"] == wanted:
                return resource
        raise DataFileError(f"{self.folder / DESCRIPTOR} lists no {format} file for table {table!r}. {REINSTALL}")

    def primary_key(self, table: str) -> list[str]:
        """The primary key columns of ``table``, as the descriptor states them."""
        key = self.resource(table)["schema"]["primaryKey"]
        return [key] if isinstance(key, str) else list(key)

    def fields(self, table: str) -> list[dict[str, Any]]:
        """The Table Schema fields of ``table``, as the descriptor states them."""
        return self.resource(table)["schema"]["fields"]

    def file(self, resource: dict[str, Any]) -> Path:
        """The file of ``resource``, guaranteed to lie inside the data folder."""
        relative = resource.get("path")
        if not isinstance(relative, str) or not is_plain_relative(relative):
            raise UnsafePathError(
                f"{self.folder / DESCRIPTOR} gives resource {resource.get('name')!r} the path {relative!r}, "
                f"which is not a relative path inside the data folder. {REINSTALL}"
            )
        path = self.folder
        for part in PurePosixPath(relative).parts:
            path = path / part
            if path.is_symlink():
                raise UnsafePathError(f"{path} is a symlink; the data folder must hold its own files. {REINSTALL}")
        return path

    def read(self, resource: dict[str, Any]) -> bytes:
        """The bytes of ``resource``'s file, checked against the descriptor's size and hash and the installer's
        RECORD once per process (again only when the file changes)."""
        path = self.file(resource)
        try:
            stamp = _stamp(path)
            data = path.read_bytes()
        except FileNotFoundError:
            raise DataFileError(f"{path} is missing. {REINSTALL}") from None
        except OSError as error:
            raise DataFileError(f"{path} cannot be read ({error.strerror}). {REINSTALL}") from None
        checked = (str(path), stamp, str(resource.get("hash")))
        if checked not in self._verified:
            problem = hash_mismatch(resource, data) or _record_mismatch(self.folder, resource["path"], data)
            if problem is not None:
                raise DataFileError(f"{path} is corrupted: {problem}. {REINSTALL}")
            self._verified.add(checked)
        return data

    def verify(self) -> Verification:
        """Check the descriptor against the installer's RECORD, and every file it lists against its ``bytes`` and
        ``hash`` and RECORD."""
        _, parsed, problem = self._load()
        described = [FileCheck(DESCRIPTOR, DESCRIPTOR, problem)] if _recorded(self.folder, DESCRIPTOR) else []
        return Verification(self.folder, (*described, *(self._check(resource) for resource in parsed["resources"])))

    def _check(self, resource: dict[str, Any]) -> FileCheck:
        path = self.file(resource)
        try:
            data = path.read_bytes()
            problem = hash_mismatch(resource, data) or _record_mismatch(self.folder, resource["path"], data)
        except FileNotFoundError:
            problem = "missing"
        except OSError as error:
            problem = f"unreadable ({error.strerror})"
        return FileCheck(resource["name"], resource["path"], problem)


def _shape_problem(descriptor: Any) -> str | None:
    """What makes ``descriptor`` unusable as a data package descriptor, or None."""
    if not isinstance(descriptor, dict):
        return f"expected a JSON object, found {type(descriptor).__name__}"
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return "'resources' is not a non-empty list"
    for number, resource in enumerate(resources):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            return f"resource {number} has no name"
        name = resource["name"]
        if not isinstance(resource.get("path"), str):
            return f"resource {name!r} has no path"
        digest = resource.get("hash")
        if digest is not None and not isinstance(digest, str):
            return f"resource {name!r} has a hash that is not text"
        if isinstance(digest, str) and digest.rpartition(":")[0] not in ("", *hashlib.algorithms_available):
            return f"resource {name!r} names an unknown hash algorithm {digest.rpartition(':')[0]!r}"
        if "bytes" in resource and (not isinstance(resource["bytes"], int) or isinstance(resource["bytes"], bool)):
            return f"resource {name!r} has a size that is not a whole number"
        if resource.get("type") == "table" and not isinstance((resource.get("schema") or {}).get("fields"), list):
            return f"table {name!r} has no schema fields"
    return None


def _record_mismatch(folder: Path, relative: str, data: bytes) -> str | None:
    """How ``data`` differs from the hash the installer recorded for the file (the wheel's ``RECORD``), or None.

    This is what keeps ``verify()`` from trusting a descriptor that was changed together with the data. An
    editable install records no data files, so there it has nothing to compare with.
    """
    recorded = _recorded(folder, relative)
    if recorded is None:
        return None
    algorithm, digest = recorded
    actual = base64.urlsafe_b64encode(hashlib.new(algorithm, data).digest()).rstrip(b"=").decode()
    return None if actual == digest else f"differs from the {algorithm} the installer recorded (RECORD)"


def _recorded(folder: Path, relative: str) -> tuple[str, str] | None:
    """The (algorithm, digest) the installer recorded for ``folder/relative``, if it recorded one."""
    return _recorded_hashes().get((folder.resolve() / relative).as_posix())


@lru_cache(maxsize=1)
def _recorded_hashes() -> dict[str, tuple[str, str]]:
    """Absolute path -> (algorithm, digest) for every installed file of the distribution that RECORD hashes."""
    from importlib import metadata

    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return {}
    return {
        Path(str(distribution.locate_file(file))).resolve().as_posix(): (file.hash.mode, file.hash.value)
        for file in distribution.files or []
        if file.hash is not None
    }


def _stamp(path: Path) -> Stamp:
    """The inode, size and modification time of ``path``: what changes when a build replaces it."""
    status = path.stat()
    return status.st_ino, status.st_size, status.st_mtime_ns


def hash_mismatch(resource: dict[str, Any], data: bytes) -> str | None:
    """How ``data`` differs from the size and hash the descriptor records, or None."""
    expected_bytes, expected_hash = resource.get("bytes"), resource.get("hash")
    if expected_hash is None:
        return f"{DESCRIPTOR} records no hash for it"
    if expected_bytes is not None and len(data) != expected_bytes:
        return f"{len(data)} bytes where {DESCRIPTOR} says {expected_bytes}"
    algorithm, _, digest = expected_hash.rpartition(":")
    actual = hashlib.new(algorithm or "md5", data).hexdigest()  # Data Package: a bare hash is MD5
    if actual != digest:
        return f"{algorithm or 'md5'} {actual} where {DESCRIPTOR} says {digest}"
    return None
