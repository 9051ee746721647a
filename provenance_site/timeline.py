"""The meetings on a time axis: each a bar over every day its dates can denote, in two panels (the
history before the articles' month, and that month in detail), positioned in percent of the axis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .load import Row
from .model import MEETINGS, Site, date_text

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Bar:
    meeting_id: str
    label: str
    href: str
    start: dt.date  # first day
    end: dt.date  # last day (inclusive)
    left: float  # percent of the axis
    width: float
    precision: str  # the coarsest precision of its dates: day, month or year
    status: str
    kind: str
    when: str  # the dates as text, with precision and basis


@dataclass(frozen=True)
class Tick:
    left: float
    label: str
    minor: bool = False  # may be left out on a narrow screen


@dataclass
class Panel:
    id: str
    title: str
    description: str
    start: dt.date
    stop: dt.date  # the day after the axis ends
    ticks: list[Tick] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)


def span_of(row: Row) -> tuple[dt.date, dt.date] | None:
    """[start_date_earliest, end_date_latest or start_date_latest], or None when the meeting is undated."""
    if row.get("start_date_earliest") is None:
        return None
    return row["start_date_earliest"], row.get("end_date_latest") or row["start_date_latest"]


def when(row: Row) -> str:
    """'28 Oct 2025 (day, external)', '2019 (year, stated)', '31 Oct 2025 – 1 Nov 2025 (day, external)'."""
    def one(prefix: str) -> str:
        precision = row[f"{prefix}_precision"]
        value = row[prefix]
        if precision == "day":
            shown = date_text(row[f"{prefix}_earliest"])
        elif precision == "month":
            shown = f"{row[f'{prefix}_earliest']:%B %Y}"
        else:
            shown = value
        return f"{shown} ({precision}, {row[f'{prefix}_basis']})"

    text = one("start_date")
    if row.get("end_date"):
        text += f" – {one('end_date')}"
    return text


def _percent(day: dt.date, start: dt.date, stop: dt.date) -> float:
    return round(100 * (day - start).days / (stop - start).days, 3)


def _bar(site: Site, row: Row, panel: Panel) -> Bar:
    first, last = span_of(row)
    left = _percent(first, panel.start, panel.stop)
    width = round(_percent(last + DAY, panel.start, panel.stop) - left, 3)
    precisions = [row.get("date_precision"), row.get("end_date_precision")]
    precision = next((p for p in ("year", "month", "day") if p in precisions), "day")
    key = (MEETINGS, row[site.key_column(MEETINGS)])
    return Bar(key[1], site.label(key), site.href(key), first, last, left, width, precision, row["status"], row["kind"], when(row))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def panels(site: Site) -> tuple[list[Panel], list[Row]]:
    """The two panels, and the meetings without a date."""
    rows = site.tables[MEETINGS]
    dated = sorted((r for r in rows if span_of(r)), key=lambda r: (span_of(r), r[site.key_column(MEETINGS)]))
    undated = [r for r in rows if not span_of(r)]
    published = [a["published_date_earliest"] for a in site.tables[site.source_table.name] if a.get("published_date_earliest")]
    focus = _month_start(min(published)) if published else _month_start(max(span_of(r)[1] for r in dated))
    history = [r for r in dated if span_of(r)[1] < focus]
    recent = [r for r in dated if span_of(r)[1] >= focus]
    result = []
    if history:
        first_year = min(span_of(r)[0].year for r in history)
        last_year = max(span_of(r)[1].year for r in history)
        panel = Panel("history", f"History, {first_year}–{last_year}",
                      "Events the articles recall, on a scale of years.",
                      dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1))
        panel.ticks = [Tick(_percent(dt.date(y, 1, 1), panel.start, panel.stop), str(y), minor=(y - first_year) % 2 == 1)
                       for y in range(first_year, last_year + 1)]
        panel.bars = [_bar(site, r, panel) for r in history]
        result.append(panel)
    if recent:
        start = min(focus, min(span_of(r)[0] for r in recent))
        stop = max(span_of(r)[1] for r in recent) + 2 * DAY
        panel = Panel("detail", f"{start:%B %Y} in detail" if stop <= _next_month(start) + 2 * DAY else f"From {start:%B %Y}, in detail",
                      "The events around the talks, on a scale of days.", start, stop)
        day, ticks = start, []
        while day < stop:
            if day.day in (1, 8, 15, 22, 29):
                label = f"{day.day} {day:%b}"
                ticks.append(Tick(_percent(day, start, stop), label, minor=day.day in (8, 22, 29)))
            day += DAY
        panel.ticks = ticks
        panel.bars = [_bar(site, r, panel) for r in recent]
        result.append(panel)
    return result, undated
