"""Row-level differences between the data at a git ref and the data now, keyed by primary key (via daff)."""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schema.tables import TABLES

from japan_us_summit._layout import DESCRIPTOR, PACKAGE_DIR, resource_path

from pipeline.release.releases import RELEASES_DIR


@dataclass
class TableDiff:
    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # key -> changed fields

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        return f"{self.table}: {len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


class GitError(Exception):
    """git is missing, the folder is not a repository, or a ref names no commit; the message says what to do."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (diff and release compare with a committed release): install git") from None


def resolve(root: Path, ref: str) -> str:
    """The commit ``ref`` names; raises ``GitError`` for an unknown ref or a folder outside git."""
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if result.returncode != 0:
        inside = _git(root, "rev-parse", "--is-inside-work-tree").returncode == 0
        if not inside:
            raise GitError(f"{root} is not a git repository (diff and release compare with a committed release)")
        raise GitError(f"{ref!r} is not a commit of this repository (expected a branch, tag or hash from `git log`)")
    return result.stdout.strip()


def release_commit(root: Path, version: str) -> str:
    """The last commit that wrote releases/<version>.json (the release, or an amendment before it was
    published): the default reference for a diff, and the state ``check`` compares with."""
    result = _git(root, "log", "-n", "1", "--format=%H", "--", f"{RELEASES_DIR}/{version}.json")
    if result.returncode != 0 or not result.stdout.strip():
        resolve(root, "HEAD")  # says so if this is not a repository
        raise GitError(f"no commit adds {RELEASES_DIR}/{version}.json: commit the last release before comparing with it")
    return result.stdout.strip()


def table_at(root: Path, ref: str, name: str) -> pa.Table | None:
    """The published table at git ``ref``; None where it does not exist."""
    relative = f"{PACKAGE_DIR}/{resource_path(name, 'parquet')}"
    result = subprocess.run(["git", "show", f"{ref}:{relative}"], cwd=root, capture_output=True, check=False)
    return pq.read_table(io.BytesIO(result.stdout)) if result.returncode == 0 else None


def _rows(table: pa.Table | None, columns: list[str]) -> list[list]:
    if table is None:
        return [columns]
    present = [c for c in columns if c in table.column_names]
    data = table.select(present).to_pylist()
    return [columns] + [[row.get(c) for c in columns] for row in data]


def diff_table(name: str, old: pa.Table | None, new: pa.Table | None, key: list[str] | None = None) -> TableDiff:
    key = key or list(TABLES[name].primary_key)
    import daff  # imported here: slow to import, and only diff and release need it

    columns = list(dict.fromkeys([*key, *(old.column_names if old is not None else []), *(new.column_names if new is not None else [])]))
    flags = daff.CompareFlags()
    for column in key:
        flags.addPrimaryKey(column)
    flags.show_unchanged_columns = True
    alignment = daff.Coopy.compareTables(daff.PythonTableView(_rows(old, columns)), daff.PythonTableView(_rows(new, columns)), flags).align()
    highlighted: list[list] = []
    daff.TableDiff(alignment, flags).hilite(daff.PythonTableView(highlighted))
    header = highlighted[0][1:] if highlighted else columns
    result = TableDiff(name)
    for row in highlighted[1:]:
        action, cells = row[0], dict(zip(header, row[1:]))
        label = "/".join(str(cells.get(k)) for k in key)
        if action == "+++":
            result.added.append(label)
        elif action == "---":
            result.removed.append(label)
        elif action == "->":
            result.changed[label] = [c for c in header if isinstance(cells[c], str) and "->" in cells[c] and c not in key]
    return result


def diff(root: Path, ref: str | None, package: Path | None = None) -> list[TableDiff]:
    """Per table, the rows added, removed and changed from git ``ref`` (None: nothing) to ``package``
    (by default the one in ``root``)."""
    package = package or root / PACKAGE_DIR
    try:
        diffs = [
            diff_table(name, table_at(root, ref, name) if ref else None, pq.read_table(package / resource_path(name, "parquet")))
            for name in TABLES
        ]
        removed = {name: key for name, key in _tables_at(root, ref).items() if name not in TABLES} if ref else {}
        return diffs + [diff_table(name, table_at(root, ref, name), None, key) for name, key in removed.items()]
    except pa.ArrowException as error:
        raise GitError(f"a Parquet file cannot be read ({error}): run `python build.py build`, or check the ref") from None


def _tables_at(root: Path, ref: str) -> dict[str, list[str]]:
    """Table name -> primary key, from the descriptor at git ``ref``: so a removed table shows its removed rows."""
    result = subprocess.run(["git", "show", f"{ref}:{PACKAGE_DIR}/{DESCRIPTOR}"], cwd=root, capture_output=True, check=False)
    try:
        resources = json.loads(result.stdout)["resources"] if result.returncode == 0 else []
    except (ValueError, KeyError):
        return {}
    return {r["name"]: list(r["schema"]["primaryKey"]) for r in resources if r.get("type") == "table"}


def report(diffs: list[TableDiff], detail: bool = True) -> str:
    """A line per table that changed (with each row when ``detail``), or one line saying no row changed."""
    lines = []
    for d in (d for d in diffs if not d.unchanged):
        lines.append(d.summary())
        if detail:
            lines += [f"  + {k}" for k in d.added]
            lines += [f"  - {k}" for k in d.removed]
            lines += [f"  ~ {k}: {', '.join(fields)}" for k, fields in d.changed.items()]
    return "\n".join(lines) if lines else f"No row changed in any of the {len(diffs)} tables."
