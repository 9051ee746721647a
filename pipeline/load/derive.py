"""Compute the fields a person never writes: date precision and bounds, provenance, evidence rows."""

from __future__ import annotations

from typing import Any

from schema.dates import date_bounds
from schema.table import Table, date_prefixes

from pipeline.load.anchoring import Anchor


def with_dates(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` plus the derived precision and bounds of each of the table's dates."""
    derived = dict(values)
    for prefix in date_prefixes(table.model):
        date = values.get(prefix)
        precision, first, last = date_bounds(date) if date is not None else (None, None, None)
        derived |= {f"{prefix}_precision": precision, f"{prefix}_earliest": first, f"{prefix}_latest": last}
    return derived


def evidence_id(table: str, record_id: str, article: str, line: int, anchor: Anchor, field: str | None) -> str:
    """A stable id that changes only when the span itself changes."""
    base = f"{table}/{record_id}/{article}/{line}/{anchor.char_start}-{anchor.char_end}"
    return f"{base}/{field}" if field else base
