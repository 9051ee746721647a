"""The days an ISO 8601 date of reduced precision can denote: used by row rules and by the build's derived bounds."""

from __future__ import annotations

import calendar
import datetime as dt

from .vocabularies import DatePrecision

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
