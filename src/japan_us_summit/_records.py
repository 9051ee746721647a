"""One record with everything said about it, and records found by their text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ._errors import UnknownRecordError, UnknownTableError
from ._evidence import evidence
from ._files import DataPackage
from ._load import load
from ._suggest import did_you_mean
from ._views import claims_about

SNIPPET = 40  # characters of context either side of a match


@dataclass(frozen=True)
class Record:
    """Record ``record_id`` of ``table``: its ``values`` (field -> value, in field order), the ``evidence`` that
    supports it (with each source line), the ``claims`` about it, and the ``relations`` it takes part in."""

    table: str
    record_id: str
    values: dict[str, Any]
    evidence: Any
    claims: Any
    relations: Any


def _key(package: DataPackage, table: str) -> str:
    key = package.primary_key(table)
    if len(key) != 1:
        raise UnknownTableError(f"Table {table!r} has a compound key ({', '.join(key)}); a record here has no single id.")
    return key[0]


def record(package: DataPackage, table: str, record_id: str) -> Record:
    """The record, or ``UnknownRecordError`` naming the closest ids."""
    key = _key(package, table)
    rows = load(package, table, "arrow")
    found = rows.filter(pc.equal(rows[key], record_id))
    if found.num_rows == 0:
        hint = did_you_mean(record_id, rows[key].to_pylist())
        raise UnknownRecordError(f"Table {table!r} has no record {record_id!r}." + (f" {hint[0].upper()}{hint[1:]}" if hint else ""))
    values = {name: value for name, value in found.to_pylist()[0].items()}
    relations = load(package, "relations")
    involved = ((relations["subject_table"] == table) & (relations["subject_id"] == record_id)) | (
        (relations["object_table"] == table) & (relations["object_id"] == record_id))
    spans = evidence(package, table, record_id) if _has_evidence(package, table) else None
    return Record(table, record_id, values, spans, claims_about(package, table, record_id),
                  relations[involved.fillna(False)].reset_index(drop=True))


def _has_evidence(package: DataPackage, table: str) -> bool:
    spans = load(package, "evidence", "arrow")
    return bool(pc.any(pc.equal(spans["record_table"].cast(pa.string()), table)).as_py())


def search(package: DataPackage, text: str, tables: list[str] | None = None) -> list[dict[str, Any]]:
    """Every value containing ``text`` (case ignored; a word at either end of ``text`` matches whole words only), in every text column of ``tables`` (default: all), as
    ``{"table", "id", "field", "text"}`` with ``id`` the primary key (parts joined by "/") and ``text`` the
    match in some context, in table order then row order."""
    if not text:
        raise ValueError("search needs some text to look for")
    pattern = _word_pattern(text)
    hits = []
    for table in tables or package.tables():
        rows = load(package, table, "arrow")
        key = package.primary_key(table)
        ids = None
        for name in rows.column_names:
            column = rows[name]
            if pa.types.is_dictionary(column.type):
                column = column.cast(pa.string())
            if not pa.types.is_string(column.type):
                continue
            matched = pc.match_substring_regex(column, pattern, ignore_case=True).fill_null(False)
            if not pc.any(matched).as_py():
                continue
            if ids is None:
                ids = ["/".join(str(part) for part in parts) for parts in zip(*(rows[k].to_pylist() for k in key))]
            for index in pc.indices_nonzero(matched).to_pylist():
                hits.append({"table": table, "id": ids[index], "field": name, "text": _snippet(column[index].as_py(), text)})
    return hits


def _word_pattern(text: str) -> str:
    """A regular expression for ``text``: literal, and bounded where it starts or ends with a word character,
    so "Abe" finds "Shinzo Abe" but not "label"."""
    start = r"\b" if re.match(r"\w", text) else ""
    end = r"\b" if re.search(r"\w$", text) else ""
    return f"{start}{re.escape(text)}{end}"


def _snippet(value: str, text: str) -> str:
    """``value`` around the first match of ``text``, cut to ``SNIPPET`` characters either side."""
    found = re.search(_word_pattern(text), value, re.IGNORECASE)
    at, size = (found.start(), found.end() - found.start()) if found else (0, 0)
    start, end = max(0, at - SNIPPET), min(len(value), at + size + SNIPPET)
    return ("..." if start else "") + value[start:end] + ("..." if end < len(value) else "")
