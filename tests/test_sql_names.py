"""No published table or column name, and no column of an accessor view, is a reserved word in SQL:2016,
DuckDB or SQLite, so each can be written in a query without quoting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pytest

import japan_us_summit as jus
from schema.tables import TABLES

DATA = Path(__file__).parent / "data"


def word_list(name: str) -> set[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


SQL2016 = word_list("sql2016_reserved.txt")
SQLITE = word_list("sqlite_keywords.txt")
DUCKDB = {name: category for name, category in duckdb.sql("SELECT keyword_name, keyword_category FROM duckdb_keywords()").fetchall()}
# DuckDB's categories: "unreserved" words are identifiers anywhere; "column_name" ones may name a column but not
# a table or function; "type_function" ones may name a function or type but not a column; "reserved" ones nothing.
NOT_A_TABLE = {"reserved", "column_name", "type_function"}
NOT_A_COLUMN = {"reserved", "type_function"}


def views() -> dict[str, list[str]]:
    """The columns of every accessor view, from the published package."""
    first_claimed = jus.load("claim_subjects").iloc[0]
    return {
        "timeline": list(jus.timeline().columns),
        "comparisons": list(jus.comparisons().columns),
        "evidence": list(jus.evidence("people", "donald-trump").columns),
        "describe": list(jus.describe("people").columns),
        "claims_about": list(jus.claims_about(first_claimed["subject_table"], first_claimed["subject_id"]).columns),
        "facts": list(jus.facts("relations").columns),
    }


def reserved_in(name: str, duckdb_forbidden: set[str]) -> list[str]:
    found = [label for label, words in (("SQL:2016", SQL2016), ("SQLite", SQLITE)) if name.lower() in words]
    if DUCKDB.get(name.lower()) in duckdb_forbidden:
        found.append(f"DuckDB ({DUCKDB[name.lower()]})")
    return found


def test_the_keyword_lists_are_the_real_ones():
    assert {"references", "date", "value", "position", "language", "start", "end"} <= SQL2016 and len(SQL2016) > 300
    assert {"references", "key", "plan", "query", "without"} <= SQLITE and len(SQLITE) >= 147
    assert DUCKDB["references"] == "reserved" and DUCKDB["position"] == "column_name"


def test_no_table_name_is_reserved():
    bad = {name: reserved_in(name, NOT_A_TABLE) for name in TABLES}
    assert {name: where for name, where in bad.items() if where} == {}


def test_no_column_name_is_reserved():
    bad = {f"{table.name}.{column}": reserved_in(column, NOT_A_COLUMN) for table in TABLES.values() for column in table.fields}
    assert {name: where for name, where in bad.items() if where} == {}


def test_no_view_column_is_reserved_or_needs_quoting():
    bad = {f"{view}.{column}": reserved_in(column, NOT_A_COLUMN) or (["not an identifier"] if not column.isidentifier() else [])
           for view, columns in views().items() for column in columns}
    assert {name: where for name, where in bad.items() if where} == {}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_and_column_is_usable_unquoted(name):
    """Each table is a DuckDB view and a SQLite table, created and queried with no name quoted."""
    columns = ", ".join(TABLES[name].fields)
    connection = duckdb.connect()
    connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{jus.path(name).as_posix()}')")
    assert connection.execute(f"SELECT {columns} FROM {name}").fetchall() == connection.execute(f"SELECT * FROM {name}").fetchall()
    lite = sqlite3.connect(":memory:")
    lite.execute(f"CREATE TABLE {name} ({columns})")
    lite.execute(f"SELECT {columns} FROM {name}")
