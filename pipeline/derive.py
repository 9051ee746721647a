"""Compute the fields a person never writes: date precision and bounds, provenance, evidence rows."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from schema.table import Table, date_prefixes
from schema.vocabularies import DatePrecision

from .anchoring import Anchor

PRECISION_BY_LENGTH = {4: DatePrecision.YEAR.value, 7: DatePrecision.MONTH.value, 10: DatePrecision.DAY.value}


def date_bounds(value: str) -> tuple[str, dt.date, dt.date]:
    """Precision, first and last day of an ISO 8601 date of reduced precision."""
    parts = [int(p) for p in value.split("-")]
    year, month, day = parts + [None] * (3 - len(parts))
    if day is not None:
        first = last = dt.date(year, month, day)
    elif month is not None:
        first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    else:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return PRECISION_BY_LENGTH[len(value)], first, last


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
