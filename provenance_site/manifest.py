"""What a site folder holds, as the build wrote it: a manifest of every file with its SHA-256, so that a rebuild
replaces only a folder it can show it wrote, file by file, and never a folder that merely has the manifest's
name in it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = ".provenance-site"
HEADER = "Written by `python build.py site`: every file of this folder with its SHA-256. A rebuild replaces the folder only while it holds exactly these files."


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink() and p.name != MANIFEST}


def write_manifest(folder: Path) -> None:
    """Record every file under ``folder`` (written by the build) in ``folder/.provenance-site``."""
    text = json.dumps({"about": HEADER, "files": _files(folder)}, indent=1, sort_keys=True, ensure_ascii=True)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def not_owned(folder: Path) -> str | None:
    """Why ``folder`` may not be replaced, or None: it is missing, empty, or holds only files its manifest lists,
    unchanged."""
    if not folder.exists():
        return None
    if not folder.is_dir() or folder.is_symlink():
        return f"{folder} exists and is not a folder; choose another folder or remove it"
    if not any(folder.iterdir()):
        return None
    advice = "move your files out of it, or choose another folder"
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
        valid = isinstance(recorded, dict)
    except (OSError, ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        return f"{folder} exists and is not a site written by `build.py site` (it has no readable {MANIFEST} manifest); {advice}"
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink() or (not path.is_dir() and not path.is_file()):
            return f"{folder} holds {relative}, which `build.py site` does not write (a link or special file); {advice}"
        if path.is_file() and path.name != MANIFEST:
            if relative not in recorded:
                return f"{folder} holds {relative}, which `build.py site` did not write; {advice}"
            if hashlib.sha256(path.read_bytes()).hexdigest() != recorded[relative]:
                return f"{folder} holds {relative}, changed since `build.py site` wrote it; {advice}"
    return None
