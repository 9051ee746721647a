"""The state of one validation run: the rows found so far, where each came from, and every problem."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schema.table import Table, TableKind, table_of_kind
from schema.tables import TABLES

from .annotations import WrittenRecord, load_table
from .problems import Problem
from .sources import Source


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


class Assembly:
    """Rows per table (as dicts, in the order found), their origins, and the problems found so far."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.where: dict[str, list[Where]] = {name: [] for name in TABLES}
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


def duplicate_message(table: Table, value: object) -> str:
    return f"duplicate {'/'.join(table.primary_key)} {value!r} (expected each to be unique)"


def only(kind: TableKind) -> Table:
    """The one declared table of ``kind``."""
    return table_of_kind(TABLES, kind)
