"""The state of one validation run: the rows found so far, where each came from, and every problem."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from forms.arrow_schema import arrow_schema
from schema.table import Table, TableKind, table_of_kind
from schema.tables import TABLES

from pipeline.load.annotations import WrittenRecord, load_table
from pipeline.problems import Problem
from pipeline.load.sources import Source


@dataclass(frozen=True)
class Where:
    """Where a published row came from: the file, the record's line, and each field's line."""

    file: str
    line: int | None
    record_id: str | None = None
    field_lines: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, item: WrittenRecord) -> Where:
        return cls(item.file, item.mapping.line, item.record_id, item.mapping.key_lines)


class Origins:
    """Where each row of one table came from, in row order. A file result's origins arrive pickled (``later``)
    and are unpickled only if a problem asks for one of them."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._segments: list[list[Where] | Callable[[], list[Where]]] = []
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, where: Where) -> None:
        if not self._segments or not isinstance(self._segments[-1], list):
            self._starts.append(self._size)
            self._segments.append([])
        self._segments[-1].append(where)
        self._size += 1

    def later(self, count: int, read: Callable[[], list[Where]]) -> None:
        self._starts.append(self._size)
        self._segments.append(read)
        self._size += count

    def __getitem__(self, index: int) -> Where:
        segment = bisect.bisect_right(self._starts, index) - 1
        if not isinstance(self._segments[segment], list):
            self._segments[segment] = self._segments[segment]()
        return self._segments[segment][index - self._starts[segment]]

    def __iter__(self) -> Iterator[Where]:
        return (self[index] for index in range(self._size))

    def kept(self, keep: list[bool]) -> Origins:
        """The origins of the rows ``keep`` marks."""
        kept = Origins()
        for index, flag in enumerate(keep):
            if flag:
                kept.append(self[index])
        return kept


class Assembly:
    """Rows per table (Arrow parts, then dicts not yet converted, in the order found), their origins, and the
    problems found so far."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.parts: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.where: dict[str, Origins] = {name: Origins() for name in TABLES}
        self.written: dict[str, list[WrittenRecord]] = {}  # every record as written, valid or not
        self.invalid_ids: dict[str, set[str]] = {name: set() for name in TABLES}
        self.unreadable: set[str] = set()  # tables whose file cannot be read: references to them go unchecked
        self.sources: dict[str, Source] = {}

    def problem(self, where: Where, table: str, field: str | None, message: str) -> None:
        line = where.field_lines.get(field, where.line) if field else where.line
        self.problems.append(Problem(file=where.file, line=line, table=table, record_id=where.record_id, field=field, message=message))

    def add_row(self, table: Table, values: dict[str, Any], where: Where) -> None:
        """Add a row whose written values passed their model and whose derived values the build computed."""
        self.rows[table.name].append(values)
        self.where[table.name].append(where)

    def add_part(self, name: str, part: pa.Table, origins: Callable[[], list[Where]]) -> None:
        """Add rows already in Arrow form (one file's), with a function that gives the origin of each."""
        self._convert(name)
        self.parts[name].append(part)
        self.where[name].later(part.num_rows, origins)

    def _convert(self, name: str) -> None:
        if self.rows[name]:
            self.parts[name].append(pa.Table.from_pylist(self.rows[name], schema=arrow_schema(TABLES[name])))
            self.rows[name] = []

    def table(self, name: str) -> pa.Table:
        """Every row of the table found so far, as one Arrow table (row i comes from ``where[name][i]``)."""
        self._convert(name)
        parts = self.parts[name] or [arrow_schema(TABLES[name]).empty_table()]
        self.parts[name] = [pa.concat_tables(parts).cast(arrow_schema(TABLES[name]))]
        return self.parts[name][0]

    def drop_records(self, table: Table, ids: set[str]) -> None:
        """Remove the rows of the records ``ids`` of ``table``: their own, their evidence and their link rows."""
        for name, owner in owners(table).items():
            rows = self.table(name)
            if owner[0] is None:
                keep = pc.invert(pc.is_in(rows[owner[1]], pa.array(sorted(ids))))
            else:
                keep = pc.invert(pc.and_(pc.equal(rows[owner[0]], table.name), pc.is_in(rows[owner[1]], pa.array(sorted(ids)))))
            keep = keep.fill_null(True).to_pylist()
            self.parts[name] = [rows.filter(pa.array(keep))]
            self.where[name] = self.where[name].kept(keep)

    def load(self, table: Table) -> list[WrittenRecord]:
        """The records of ``table`` that passed their model and have a unique key; the others are reported and remembered."""
        loaded, problems = load_table(self.root, table)
        self.problems += problems
        if loaded is None:
            self.unreadable.add(table.name)
            return []
        self.written[table.name] = loaded
        key = table.primary_key[0]
        counts = Counter(item.record_id for item in loaded if item.record_id is not None)
        valid = []
        for item in loaded:
            if counts[item.record_id] > 1:  # seen among every record written, valid or not
                self.problem(Where.of(item), table.name, key, duplicate_message(table, item.record_id))
            if item.record is None or counts[item.record_id] > 1:
                self.invalid_ids[table.name].add(item.record_id)
            else:
                valid.append(item)
        return valid


def owners(table: Table) -> dict[str, tuple[str | None, str]]:
    """The tables holding rows of ``table``'s records, each with the columns naming the record: (None, key) for
    the table itself, (table column, key column) for the evidence and link tables."""
    found = {table.name: (None, table.primary_key[0])}
    for other in TABLES.values():
        if other.kind == TableKind.EVIDENCE or other in links(table):
            found[other.name] = other.record_keys[0]
    return found


def duplicate_message(table: Table, value: object) -> str:
    return f"duplicate {'/'.join(table.primary_key)} {value!r} (expected each to be unique)"


@cache
def only(kind: TableKind) -> Table:
    """The one declared table of ``kind``."""
    return table_of_kind(TABLES, kind)


@cache
def links(table: Table) -> tuple[Table, ...]:
    """The link tables whose items a record of ``table`` may list."""
    return tuple(table.links(TABLES))
