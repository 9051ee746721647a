"""Tables for other tools: plain values, JSON Lines, and every table in one SQLite database with its keys.

The SQLite database takes each table's primary key, its foreign keys (``"resource": ""`` is the table
itself) and its required fields (``NOT NULL``) from the Table Schema in ``datapackage.json``, so tools that
follow foreign keys, such as datasette, link the tables. Dates are ISO 8601 text and booleans 0 or 1,
SQLite having neither type.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from ._files import DataPackage
from ._load import load

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}


def columns(package: DataPackage, name: str, limit: int | None = None) -> list[list[Any]]:
    """The first ``limit`` (default: all) rows of table ``name``, column by column, as text, int, float, bool or
    None; vocabulary values as their text and dates as ISO 8601 text."""
    table = load(package, name, "arrow")
    if limit is not None:
        table = table.slice(0, limit)
    return [(column.cast(pa.string()) if pa.types.is_date(column.type) else column).to_pylist() for column in table.columns]


def json_lines(package: DataPackage, name: str) -> Iterator[bytes]:
    """Table ``name`` as JSON Lines: one UTF-8 object per row, keys in field order, a missing value as null."""
    names = [field["name"] for field in package.fields(name)]
    for row in zip(*columns(package, name)):
        yield json.dumps(dict(zip(names, row)), ensure_ascii=False, allow_nan=False).encode("utf-8") + b"\n"


def create_table(name: str, schema: dict[str, Any]) -> str:
    """The ``CREATE TABLE`` statement of table ``name`` with Table Schema ``schema``."""
    parts = [
        f"{_quoted(field['name'])} {SQL_TYPES[field['type']]}" + (" NOT NULL" if field.get("constraints", {}).get("required") else "")
        for field in schema["fields"]
    ]
    parts.append(f"PRIMARY KEY ({_names(schema['primaryKey'])})")
    for key in schema.get("foreignKeys", []):
        reference = key["reference"]
        parts.append(
            f"FOREIGN KEY ({_names(key['fields'])}) REFERENCES {_quoted(reference['resource'] or name)} ({_names(reference['fields'])})"
        )
    return f"CREATE TABLE {_quoted(name)} (\n  " + ",\n  ".join(parts) + "\n)"


def write_sqlite(package: DataPackage, target: Path) -> dict[str, int]:
    """Write every table of ``package`` into a new SQLite database at ``target``; return each table's row count.

    The database is written beside ``target`` and renamed onto it when complete, so a failure leaves no
    half-written file and an existing one as it was."""
    counts = {}
    try:
        with replacing(target) as temporary, closing(sqlite3.connect(temporary)) as database:
            for name in package.tables():
                schema = package.resource(name)["schema"]
                database.execute(create_table(name, schema))
                marks = ", ".join("?" * len(schema["fields"]))
                rows = list(zip(*columns(package, name)))
                database.executemany(f"INSERT INTO {_quoted(name)} VALUES ({marks})", rows)
                counts[name] = len(rows)
            database.commit()
    except sqlite3.Error as error:  # e.g. "unable to open database file", "database or disk is full"
        raise OSError(f"{target}: cannot write the SQLite database ({error})") from None
    return counts


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A fresh path beside ``target`` to write to; it replaces ``target`` when the block succeeds and is removed
    when it fails."""
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(target.parent))
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _names(fields: str | list[str]) -> str:
    return ", ".join(_quoted(field) for field in ([fields] if isinstance(fields, str) else fields))
