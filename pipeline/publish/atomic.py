"""Writes that never leave a file half-written: stage beside the target, fsync, then rename over it.

``stage`` writes the new content to a temporary sibling and syncs it (this is where a full disk or a
missing permission shows, before anything has changed); ``commit`` renames every staged file over its
target, which the file system does atomically, and syncs the folders. A crash leaves each target either
old or new. A change of several files is journalled (``journal``), so that the next run can finish it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
import tempfile
from pathlib import Path

TEMP_MARK = ".tmp-"
RENAME_EXCHANGE = 2  # linux/fs.h


def sync_folder(folder: Path) -> None:
    if os.name == "posix":
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def stage(path: Path, data: bytes | str, temporary: Path | None = None) -> Path:
    """Write ``data`` to a synced temporary sibling of ``path`` (``temporary``, else a fresh name) and return
    it; nothing at ``path`` changes yet."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if temporary is None:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", dir=path.parent)
    else:
        handle, name = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), str(temporary)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            os.chmod(name, path.stat().st_mode & 0o777)
        else:
            os.chmod(name, 0o666 & ~_umask())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def commit(staged: list[tuple[Path, Path]]) -> None:
    """Rename each staged temporary file over its target (in order), then sync their folders."""
    for temporary, target in staged:
        os.replace(temporary, target)
    for folder in dict.fromkeys(target.parent for _, target in staged):
        sync_folder(folder)


def discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        with contextlib.suppress(OSError):
            temporary.unlink()


def write_atomic(path: Path, data: bytes | str, fixed: bool = False) -> None:
    """Replace ``path`` by ``data`` in one step: readers and crashes see the old file or the new one, never a part.
    With ``fixed``, the temporary file is ``.<name>.tmp-journal``, a name a crash can be recovered from."""
    temporary = path.parent / f".{path.name}{TEMP_MARK}journal" if fixed else None
    commit([(stage(path, data, temporary), path)])


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), RENAME_EXCHANGE) == 0:
        sync_folder(first.parent)
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system or kernel cannot exchange
        return False
    raise OSError(error, os.strerror(error), str(second))


def swap_in(new: Path, target: Path, aside: Path) -> None:
    """Put folder ``new`` at ``target``. On Linux the two are exchanged in one step (``new`` then holds the
    previous folder); elsewhere the previous folder is moved to ``aside`` first, and moved back if ``new``
    cannot be moved in."""
    if target.exists() and exchange(new, target):
        return
    if target.exists():
        target.rename(aside)
    try:
        new.rename(target)
    except BaseException:
        if aside.exists() and not target.exists():
            aside.rename(target)
        raise
    sync_folder(target.parent)
