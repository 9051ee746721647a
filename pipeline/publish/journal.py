"""A change of several files and folders, journalled before its first rename, so that the run after a crash
finishes it or undoes it, and says which.

A change goes in three steps, each written to its journal (a JSON file beside what it changes) before it
happens:

1. ``begin`` journals what the change will create: one staging folder per target folder
   (``.<target>-new-<token>``) and one temporary file per target file (``.<target>.tmp-<token>``). Only then
   are they created and written.
2. ``ready`` journals, once all of it is written and synced, the SHA-256 of one file (the *witness*) of each
   new folder: how to tell the new folder from the old one.
3. ``apply`` renames: each new folder in (exchanged with the old one in one step on Linux), then each file,
   in the order given; then it removes what it created and the journal.

``recover`` reads a journal left by a crash: one of state ``prepared`` is undone (what it created is
removed), one of state ``ready`` is finished (every rename not yet made is made). Every path a journal names
is derived from its targets, which must lie inside the journal's folder, and from its token; nothing else is
ever touched, so a command removes only what it wrote.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from japan_us_summit._layout import is_plain_relative

from .atomic import stage, swap_in, sync_folder, write_atomic

TOKEN = re.compile(r"^[0-9a-f]{8}$")
APPLIED: list[str] = []  # the changes this process made, so that an interrupt after one is not said to have changed nothing


@contextlib.contextmanager
def _no_interrupt() -> Iterator[None]:
    """Hold SIGINT back (in the main thread) until the block is done; it is delivered then."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class JournalError(Exception):
    """A journal that cannot be read or names a path outside its folder; the message says what to do."""


class Change:
    """One journalled change of the folders and files under ``journal.parent``; ``action`` names it in messages
    ("release 0.2.2")."""

    def __init__(self, journal: Path, action: str):
        self.journal, self.action, self.token = journal, action, secrets.token_hex(4)
        self.folders: dict[Path, str] = {}
        self.files: list[Path] = []

    def begin(self, folders: dict[Path, str], files: list[Path]) -> None:
        """Journal the change (``folders``: target folder -> its witness file; ``files``: target files, in
        the order they are to be renamed), then create each staging folder."""
        if self.journal.exists():
            raise JournalError(f"{self.journal} exists: an interrupted change is pending; run the command again to finish it")
        self.folders, self.files = dict(folders), list(files)
        self._write("prepared")
        for target in self.folders:
            container(target, self.token).mkdir()

    def new(self, target: Path) -> Path:
        """Where the new content of folder ``target`` is written."""
        return container(target, self.token) / "new"

    def stage(self, target: Path, data: bytes | str) -> None:
        """Write the new content of file ``target`` beside it."""
        stage(target, data, temporary(target, self.token))

    def ready(self) -> None:
        """Journal the witnesses of the new folders: from here on the change is finished, whatever happens."""
        digests = {target: _digest(self.new(target) / witness) for target, witness in self.folders.items()}
        self._write("ready", digests)

    def apply(self) -> None:
        """Make the renames, with Ctrl-C held back until they are done; a folder swap that fails before any rename
        changed a target is undone and re-raised."""
        with _no_interrupt():
            try:
                _swap_folders(self.journal.parent, self._record("ready", {}), self.token, first_only=True)
            except BaseException:
                if all(target.exists() for target in self.folders):  # else the previous folder is in the staging one
                    self.abandon()
                raise
            _finish(self.journal, self._read())
            APPLIED.append(self.action)

    def abandon(self) -> None:
        """Undo a change that is not ready: remove what it created and its journal."""
        _undo(self.journal, self._read() if self.journal.exists() else self._record("prepared"))

    def _record(self, state: str, digests: dict[Path, str] | None = None) -> dict[str, Any]:
        base = self.journal.parent
        return {
            "action": self.action, "state": state, "token": self.token,
            "folders": [{"target": _relative(base, target), "witness": witness,
                         **({"sha256": digests[target]} if digests else {})} for target, witness in self.folders.items()],
            "files": [_relative(base, target) for target in self.files],
        }

    def _write(self, state: str, digests: dict[Path, str] | None = None) -> None:
        write_atomic(self.journal, json.dumps(self._record(state, digests), indent=2) + "\n", fixed=True)

    def _read(self) -> dict[str, Any]:
        return _load(self.journal)


def journal_of(target: Path) -> Path:
    """The journal of a change of folder ``target`` made on its own (``publish.publish``)."""
    return target.parent / f".{target.name}.journal"


def container(target: Path, token: str) -> Path:
    """The staging folder of ``target`` for the change with ``token``."""
    return target.parent / f".{target.name}-new-{token}"


def temporary(target: Path, token: str) -> Path:
    """The temporary file of ``target`` for the change with ``token``."""
    return target.parent / f".{target.name}.tmp-{token}"


def pending(journal: Path) -> bool:
    """Whether an interrupted change left ``journal`` (or the temporary file of its first write)."""
    return journal.exists() or temporary(journal, "journal").exists()


def recover(journal: Path) -> str | None:
    """Finish or undo the change an interrupted run left in ``journal``; the line saying which, or None."""
    leftover = temporary(journal, "journal")
    if not journal.exists():
        if leftover.exists():  # killed while writing the first journal: nothing was created yet
            leftover.unlink()
        return None
    record = _load(journal)
    if record["state"] == "prepared":
        _undo(journal, record)
        return f"undid the interrupted {record['action']} (it had not changed anything yet)"
    _finish(journal, record)
    return f"finished the interrupted {record['action']}"


def _load(journal: Path) -> dict[str, Any]:
    """The journal's record, checked: every path it names is a plain relative path inside its folder."""
    fix = f"inspect it, restore the project from git if need be, and delete {journal.name}"
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        paths = [entry["target"] for entry in record["folders"]] + list(record["files"])
        valid = (record["state"] in ("prepared", "ready") and TOKEN.match(record["token"]) and isinstance(record["action"], str)
                 and all(isinstance(p, str) and is_plain_relative(p) for p in paths)
                 and all(isinstance(e["witness"], str) and is_plain_relative(e["witness"]) for e in record["folders"])
                 and (record["state"] == "prepared" or all(isinstance(e.get("sha256"), str) for e in record["folders"])))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise JournalError(f"{journal} cannot be read ({error}); {fix}") from None
    if not valid:
        raise JournalError(f"{journal} is not a journal this tool wrote; {fix}")
    return record


def _swap_folders(base: Path, record: dict[str, Any], token: str, first_only: bool = False) -> None:
    """Swap in every new folder the journal names whose target does not hold it yet."""
    for entry in record["folders"][:1] if first_only else record["folders"]:
        target = base / PurePosixPath(entry["target"])
        new, held = container(target, token) / "new", container(target, token)
        if "sha256" in entry and _digest(target / entry["witness"]) == entry["sha256"]:
            continue  # already swapped in (the staging folder holds the previous one)
        if new.is_dir():
            swap_in(new, target, held / "previous")
        elif not target.exists() and (held / "previous").is_dir():
            (held / "previous").rename(target)  # neither new nor old in place: put the old one back


def _finish(journal: Path, record: dict[str, Any]) -> None:
    base, token = journal.parent, record["token"]
    _swap_folders(base, record, token)
    targets = [base / PurePosixPath(relative) for relative in record["files"]]
    for target in targets:
        if temporary(target, token).exists():
            os.replace(temporary(target, token), target)
    for folder in dict.fromkeys(target.parent for target in targets):
        sync_folder(folder)
    _undo(journal, record)


def _undo(journal: Path, record: dict[str, Any]) -> None:
    """Remove what the change created (its staging folders and temporary files), then its journal (and the
    temporary file of a journal write that was cut short)."""
    base, token = journal.parent, record["token"]
    for entry in record["folders"]:
        shutil.rmtree(container(base / PurePosixPath(entry["target"]), token), ignore_errors=True)
    for relative in record["files"]:
        temporary(base / PurePosixPath(relative), token).unlink(missing_ok=True)
    temporary(journal, "journal").unlink(missing_ok=True)  # a journal write a crash cut short
    journal.unlink(missing_ok=True)
    sync_folder(base)


def _relative(base: Path, target: Path) -> str:
    relative = target.relative_to(base).as_posix()
    if not is_plain_relative(relative):
        raise ValueError(f"{target} is not inside {base}")
    return relative


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
