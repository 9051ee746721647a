"""Written dates in the Library of Congress Extended Date/Time Format (EDTF, ISO 8601-2).

Accepted: a plain ISO 8601 date at year, month or day precision (``2025``, ``2025-10``, ``2025-10-28``) and the
EDTF level 1 forms built on it, a closed interval (``2025-10-27/2025-10-29``), a qualified date (``2025-10-27?``
uncertain, ``2025-10-27~`` approximate, ``%`` both) and unspecified digits (``2025-10-XX``), plus the level 2 set
``[2025-10-26,2025-10-27]`` ("one of these days"). The first and last day a value can denote are the ``edtf``
package's strict bounds: a qualifier says how sure the value is, it does not widen the days it names (the
package's "fuzzy" bounds pad by configurable amounts, so they are not used). Open intervals, seasons and
partly unspecified digits (``2025-10-2X``) are refused: their bounds are unbounded or not computable.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException

from .vocabularies import DatePrecision

_DAY = r"[0-9]{4}(?:-(?:[0-9]{2}|XX)(?:-(?:[0-9]{2}|XX))?)?"
_QUALIFIED = rf"{_DAY}[?~%]?"
EDTF_PATTERN = rf"^(?:{_QUALIFIED}(?:/{_QUALIFIED})?|\[{_QUALIFIED}(?:,{_QUALIFIED})+\])$"
_PARTS = re.compile(r"[0-9X]{4}(?:-[0-9X]{2}){0,2}")
_PRECISIONS = (DatePrecision.YEAR.value, DatePrecision.MONTH.value, DatePrecision.DAY.value)


EARLIEST_YEAR, LATEST_YEAR = 1800, 2200  # a plausible range, inside what every backend's date type holds


class DateError(ValueError):
    """A written date that is not one of the accepted EDTF forms."""


def calendar_date(value: str) -> str:
    """``value`` (YYYY, YYYY-MM or YYYY-MM-DD, or with XX for an unspecified part) names a plausible calendar day."""
    year, month, day = (value.split("-") + [None, None])[:3]
    try:
        dt.date(int(year), int(month) if month not in (None, "XX") else 1, int(day) if day not in (None, "XX") else 1)
    except ValueError as error:
        raise DateError(f"{value!r} is not a calendar date ({error})") from None
    if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
        raise DateError(f"{value!r} lies outside {EARLIEST_YEAR} to {LATEST_YEAR} (expected a plausible date)")
    return value


def date_precision(value: str) -> str:
    """The coarsest precision among the dates ``value`` writes: digits given before the first unspecified part."""
    specified = [len([p for p in part.split("-") if "X" not in p]) for part in _PARTS.findall(value)]
    return _PRECISIONS[min(specified) - 1]


@functools.lru_cache(maxsize=4096)  # parse_edtf (pyparsing) takes 10 to 50 ms a value; a build bounds each date three times
def date_bounds(value: str) -> tuple[str, dt.date, dt.date]:
    """Precision, first and last day of an accepted EDTF value (bounds from the ``edtf`` package)."""
    if not re.fullmatch(EDTF_PATTERN, value):
        raise DateError(f"{value!r} is not an accepted date (expected YYYY, YYYY-MM, YYYY-MM-DD, optionally with ?, ~ "
                        "or %, XX for unspecified digits, an interval A/B, or a set [A,B])")
    for part in _PARTS.findall(value):
        calendar_date(part)
    try:
        parsed = parse_edtf(value)
        first, last = struct_time_to_date(parsed.lower_strict()), struct_time_to_date(parsed.upper_strict())
    except (EDTFParseException, ValueError, TypeError) as error:
        raise DateError(f"{value!r} is not a date the edtf package can bound ({type(error).__name__})") from None
    if last < first:
        raise DateError(f"{value!r} ends before it begins (expected an interval from the earlier to the later date)")
    return date_precision(value), first, last
