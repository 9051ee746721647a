"""The table and cross-table levels over polars frames of the build's Arrow tables: the messages a person
reads, and the vectorized cycle search against a plain walk."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
from hypothesis import given, settings, strategies as st

from forms.arrow_schema import arrow_schema
from pipeline.assembly import Assembly, Where
from pipeline.check.cross_checks import on_cycles
from pipeline.check.table_checks import table_problems
from schema.tables import TABLES


def test_table_level_problems_name_the_row_the_column_and_the_value(tmp_path: Path):
    table = TABLES["source_lines"]
    rows = [{"article_id": "a", "line": 1, "text": "x"}, {"article_id": "a", "line": 1, "text": "y"},
            {"article_id": "b", "line": None, "text": ""}]
    assembly = Assembly(tmp_path)
    for number in range(len(rows)):
        assembly.where[table.name].append(Where("sources/a.txt", number + 1))
    table_problems(assembly, table, pl.from_arrow(pa.Table.from_pylist(rows, schema=arrow_schema(table))))
    assert sorted(map(str, assembly.problems)) == [
        "sources/a.txt:1: source_lines.article_id: duplicate article_id/line 'a' (expected each to be unique)",
        "sources/a.txt:1: source_lines.line: duplicate article_id/line 1 (expected each to be unique)",
        "sources/a.txt:2: source_lines.article_id: duplicate article_id/line 'a' (expected each to be unique)",
        "sources/a.txt:2: source_lines.line: duplicate article_id/line 1 (expected each to be unique)",
        "sources/a.txt:3: source_lines.line: fails not_nullable (got <NA>)",
        "sources/a.txt:3: source_lines.text: fails str_length(1, None) (got '')",
    ]


def _walked(parents: dict[str, str | None]) -> set[str]:
    """The keys a plain walk finds on a cycle."""
    found = set()
    for start in parents:
        path, current = [start], parents[start]
        while current is not None and current not in path:
            path.append(current)
            current = parents.get(current)
        if current == start:
            found.add(start)
    return found


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefghij"), st.none() | st.sampled_from("abcdefghijk"), max_size=10))
def test_the_vectorized_cycle_search_finds_what_a_walk_finds(parents):
    keys = pl.Series(list(parents), dtype=pl.String)
    assert on_cycles(keys, pl.Series(list(parents.values()), dtype=pl.String)) == _walked(parents)
