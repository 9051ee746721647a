"""Rows for people and for other programs: a table that fits the terminal (rich), Markdown, CSV, TSV or JSON Lines."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterable, Sequence
from typing import Any

FORMS = ("table", "md", "csv", "tsv", "json")
NARROWEST = 12  # a column is shown only with at least this many characters (or all of its own); beyond, columns are left out


def width() -> int:
    """The terminal's width: ``COLUMNS`` if set, else the terminal's own, else 80."""
    return shutil.get_terminal_size((80, 24)).columns


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def widths(header: Sequence[str], rows: list[list[str]], room: int) -> list[int]:
    """The width of each leading column shown in ``room`` characters, two apart. A column of single words (ids,
    codes, numbers) is given its full width, up to a quarter of the room; a column of text at least ``NARROWEST`` (or its own width), and
    the room left is shared among those so that none is wider than it needs (water-filling); text wraps at
    spaces. Columns are shown while they fit, at least one."""
    natural = [max([1, len(name), *(len(row[index]) for row in rows)]) for index, name in enumerate(header)]
    words = [not any(" " in row[index] for row in rows) for index in range(len(header))]
    widest_word = max(NARROWEST, room // 4)  # a longer id or code is folded
    need = [max(len(name), min(size, widest_word if word else NARROWEST)) for name, size, word in zip(header, natural, words)]
    count = 1
    while count < len(header) and sum(need[: count + 1]) + 2 * count <= room:
        count += 1
    given = [need[i] if words[i] else 0 for i in range(count)]
    texts = sorted((natural[i], i) for i in range(count) if not words[i])
    left = room - 2 * (count - 1) - sum(given)
    for position, (size, index) in enumerate(texts):
        given[index] = max(need[index], min(size, left // (len(texts) - position)))
        left -= given[index]
    return [max(1, size) for size in given]


def render(header: Sequence[str], rows: Iterable[Sequence[Any]], form: str, *, room: int | None = None) -> tuple[str, list[str]]:
    """The rows as ``form`` and, for the table form, the columns left out for want of room."""
    cells = [[text(value) for value in row] for row in rows]
    if form == "json":
        return "".join(json.dumps(dict(zip(header, row)), ensure_ascii=False) + "\n" for row in rows_as_values(header, cells)), []
    if form in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if form == "csv" else "\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(cells)
        return out.getvalue(), []
    if form == "md":
        def line(values: Sequence[str]) -> str:
            return "| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in values) + " |\n"
        return line(header) + line(["---"] * len(header)) + "".join(line(row) for row in cells), []
    return _table(header, cells, room or width())


def rows_as_values(header: Sequence[str], cells: list[list[str]]) -> list[list[Any]]:
    """For JSON: the empty text of a missing value back to None."""
    return [[value if value != "" else None for value in row] for row in cells]


def _table(header: Sequence[str], cells: list[list[str]], room: int) -> tuple[str, list[str]]:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    given = widths(header, cells, room)
    shown = len(given)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True)
    for name, size in zip(header, given):
        table.add_column(name, overflow="fold", min_width=size, max_width=size)  # longer text wraps: nothing is cut
    for row in cells:
        table.add_row(*row[:shown])
    console = Console(file=io.StringIO(), width=room, color_system=None, highlight=False, emoji=False, markup=False, soft_wrap=False)
    console.print(table)
    lines = [line.rstrip() for line in console.file.getvalue().splitlines()]
    return "\n".join(lines) + "\n", list(header[shown:])
