"""The persistent state under ``.cache/validate/``: named Arrow tables, trusted only once proven sound.

A state is a manifest, ``state.json``, and one Arrow IPC file per table it names. The manifest records the
fingerprint of the code and libraries that wrote it, and each file's size and SHA-256; a state is read only
when every one of those matches, and anything else about it (missing, damaged, of another shape, from other
code) makes it ignored, never an error. The folder is refused when it, or a folder on the way to it, is a
symlink or lies outside the project. Only files the manifest says this cache wrote are ever deleted: new
files are named in the manifest (as pending) before they are written, and the old ones are removed after the
new manifest is in place. Writing is best effort: a read-only or full disk only makes the next run slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Any

import pyarrow as pa

MANIFEST = "state.json"
FORMAT = 2  # the layout of a state; 0.2.1's cache (one pickle per file) had none
_OWN_NAME = re.compile(r"^[0-9a-f]{16}-[A-Za-z0-9_]+\.arrow$")


def safe_folder(root: Path, relative: str) -> Path | None:
    """``root / relative`` when neither it nor any folder between it and ``root`` is a symlink (or other
    than a folder); None otherwise."""
    path = root
    for part in Path(relative).parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue  # made later, by us
        except OSError:
            return None
        if not stat.S_ISDIR(mode):
            return None
    return path


def _read(folder: Path, name: str) -> bytes:
    """The bytes of a regular file in ``folder``, never through a symlink."""
    descriptor = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        with os.fdopen(descriptor, "rb") as file:
            descriptor = -1
            return file.read()
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _write(folder: Path, name: str, data: bytes) -> None:
    """Create ``name`` in ``folder``; fails if anything is there already (so nothing is written through a link)."""
    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def _listed(value: Any) -> list:
    return list(value) if isinstance(value, (dict, list)) else []


class State:
    """The state in ``root / relative``, for code with ``fingerprint``; disabled, it reads and writes nothing."""

    def __init__(self, root: Path, relative: str, fingerprint: str, enabled: bool = True):
        self.fingerprint = fingerprint
        self.folder = safe_folder(root, relative) if enabled else None
        self._owned: set[str] = set()  # files the previous manifest says this cache wrote
        self._files: dict[str, Any] | None = None  # the files of the state as loaded or saved, once proven whole

    def _manifest(self) -> dict[str, Any] | None:
        try:
            manifest = json.loads(_read(self.folder, MANIFEST))
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict):
            return None
        named = [*_listed(manifest.get("files")), *_listed(manifest.get("pending"))]
        self._owned = {name for name in named if isinstance(name, str) and _OWN_NAME.match(name)}
        return manifest

    def load(self) -> tuple[dict[str, Any], dict[str, pa.Table]] | None:
        """The stored metadata and tables, or None unless the state is whole and was written by this code."""
        if self.folder is None:
            return None
        manifest = self._manifest()
        if manifest is None or manifest.get("format") != FORMAT or manifest.get("fingerprint") != self.fingerprint:
            return None
        try:
            tables = {}
            for name, (table, size, digest) in manifest["files"].items():
                if name not in self._owned:
                    return None
                data = _read(self.folder, name)
                if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
                    return None
                tables[table] = pa.ipc.open_file(pa.py_buffer(data)).read_all()
            self._files = manifest["files"]
            return manifest["meta"], tables
        except Exception:  # noqa: BLE001 - whatever is wrong with a state, it is rebuilt, not trusted
            return None

    def save(self, meta: dict[str, Any], tables: dict[str, pa.Table]) -> None:
        """Replace the state with ``tables`` and ``meta`` (JSON), then delete the files of the previous one."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if safe_folder(self.folder.parent, self.folder.name) is None:
                return
            self._manifest()
            token = secrets.token_hex(8)
            names = {table: f"{token}-{re.sub(r'[^A-Za-z0-9_]', '_', table)}.arrow" for table in tables}
            if len(set(names.values())) != len(names):
                raise ValueError("two tables of the state would share a file name")
            pending = sorted(self._owned | set(names.values()))
            self._commit({"format": FORMAT, "fingerprint": self.fingerprint, "files": {}, "pending": pending, "meta": {}})
            files = {}
            for table, name in names.items():
                sink = pa.BufferOutputStream()
                with pa.ipc.new_file(sink, tables[table].schema) as writer:
                    writer.write_table(tables[table])
                data = sink.getvalue().to_pybytes()
                _write(self.folder, name, data)
                files[name] = (table, len(data), hashlib.sha256(data).hexdigest())
            self._commit({"format": FORMAT, "fingerprint": self.fingerprint, "files": files, "pending": [], "meta": meta})
            self._remove(self._owned - set(names.values()))
            self._owned, self._files = set(names.values()), files
        except (OSError, ValueError, pa.ArrowException):
            return

    def save_meta(self, meta: dict[str, Any]) -> None:
        """Replace the metadata of the state loaded or saved last, keeping its tables."""
        if self.folder is None or self._files is None:
            return
        try:
            self._commit({"format": FORMAT, "fingerprint": self.fingerprint, "files": self._files, "pending": [], "meta": meta})
        except OSError:
            return

    def _commit(self, manifest: dict[str, Any]) -> None:
        temporary = f".{MANIFEST}.{os.getpid()}.{secrets.token_hex(4)}"
        _write(self.folder, temporary, json.dumps(manifest, sort_keys=True).encode())
        os.replace(self.folder / temporary, self.folder / MANIFEST)

    def _remove(self, names: set[str]) -> None:
        for name in names:
            path = self.folder / name
            try:
                if stat.S_ISREG(os.lstat(path).st_mode):
                    path.unlink()
            except OSError:
                pass
