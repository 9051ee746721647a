"""Writes that never leave a file half-written: stage beside the target, fsync, then rename over it.

``stage`` writes the new content to a temporary sibling and syncs it (this is where a full disk or a
missing permission shows, before anything has changed); ``commit`` renames every staged file over its
target, which the file system does atomically, and syncs the folders. A crash leaves each target either
old or new; the leftover temporary files (``.<name>.tmp-*``) are removed by ``clean_leftovers``.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

TEMP_MARK = ".tmp-"
STAGING_PREFIX = "-new-"  # staging folders of a package swap: .<target>-new-XXXX
RENAME_EXCHANGE = 2  # linux/fs.h


def _sync_folder(folder: Path) -> None:
    if os.name == "posix":
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def stage(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to a synced temporary sibling of ``path`` and return it; nothing at ``path`` changes yet."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    handle, name = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", dir=path.parent)
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
        _sync_folder(folder)


def discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        with contextlib.suppress(OSError):
            temporary.unlink()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` by ``data`` in one step: readers and crashes see the old file or the new one, never a part."""
    commit([(stage(path, data), path)])


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
        _sync_folder(first.parent)
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system or kernel cannot exchange
        return False
    raise OSError(error, os.strerror(error), str(second))


def clean_leftovers(folder: Path, package: Path) -> list[str]:
    """Remove what an interrupted write left in ``folder``: temporary files, and staging folders of ``package``.

    A staging folder that still holds the previous package while ``package`` is missing is moved back first.
    Returns a line per thing done, for the command to print.
    """
    done = []
    for path in sorted(folder.glob(f".{package.name}{STAGING_PREFIX}*")):
        previous = path / "previous"
        if not package.exists() and previous.is_dir():
            previous.rename(package)
            done.append(f"restored {package.name}/ from {path.name}, left by an interrupted build")
        shutil.rmtree(path, ignore_errors=True)
        done.append(f"removed {path.name}, left by an interrupted build")
    for path in sorted(p for p in folder.glob(f".*{TEMP_MARK}*") if p.is_file()):
        path.unlink(missing_ok=True)
        done.append(f"removed {path.name}, left by an interrupted write")
    return done
