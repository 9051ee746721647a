"""Level 3: rules across tables, as vectorized joins over polars frames of the build's Arrow tables.

The generic rules follow from the declarations (keys resolve, including keys into whichever table another
column names; self-references never form a cycle); the rest are the rules each table declares. That every
record has evidence, and that every quote is its line's text at its offsets, holds by construction: the
record model requires evidence, and anchoring computes the offsets from the line itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from japan_us_summit._suggest import did_you_mean
from schema.table import Finding, Frames, Table

ROW = "_row"  # the column holding each row's index in its table


@dataclass(frozen=True)
class Unchecked:
    """Records reported invalid already, and tables whose file could not be read: references to them are not reported again."""

    ids: dict[str, set[str]]
    tables: frozenset[str] = frozenset()

    def covers(self, table: str, record_id: Any) -> bool:
        return table in self.tables or record_id in self.ids.get(table, set())


def foreign_keys(tables: dict[str, Table], frames: Frames, unchecked: Unchecked, sources: Frames | None = None) -> Iterator[Finding]:
    """Every reference resolves, except to records whose problems are reported already; ``sources``, when
    given, holds the rows whose references are checked (else ``frames``, which always holds the keys)."""
    for table in tables.values():
        if (frame := (frames if sources is None else sources).get(table.name)) is None:
            continue
        for key in table.foreign_keys:
            target_key = list(tables[key.table].primary_key)
            fields = list(key.fields)
            known = frames[key.table].select([pl.col(t).alias(f) for t, f in zip(target_key, fields)]).unique()
            values = frame.with_row_index(ROW).select(ROW, *fields).drop_nulls(fields)
            missing = values.join(known, on=fields, how="anti").sort(ROW)
            for index, *value in missing.iter_rows():
                shown = value[0] if len(value) == 1 else tuple(value)
                if not unchecked.covers(key.table, shown):
                    hint = did_you_mean(shown, frames[key.table][target_key[-1]].drop_nulls().unique(maintain_order=True).to_list()) if len(value) == 1 else ""
                    yield Finding(table.name, index, key.fields[-1],
                                  f"{shown!r} does not resolve ({hint + ' ' if hint else ''}expected a {'/'.join(target_key)} of {key.table})")


def record_keys(tables: dict[str, Table], frames: Frames, unchecked: Unchecked, sources: Frames | None = None) -> Iterator[Finding]:
    """A key into whichever record table another column names is a record of that table (rows of ``sources``, if given)."""
    for table in tables.values():
        if (frame := (frames if sources is None else sources).get(table.name)) is None:
            continue
        for table_column, key_column in table.record_keys:
            named = frame[table_column].drop_nulls().unique().to_list()
            known = [frames[target].select(pl.lit(target).alias(table_column), pl.col(tables[target].primary_key[0]).alias(key_column))
                     for target in sorted(named) if target in tables and tables[target].annotated]
            rows = frame.with_row_index(ROW).select(ROW, table_column, key_column)
            unresolved = rows.join(pl.concat(known), on=[table_column, key_column], how="anti") if known else rows
            for index, target, value in unresolved.sort(ROW).iter_rows():
                if not unchecked.covers(target, value):
                    keys = frames[target][tables[target].primary_key[0]].drop_nulls().unique(maintain_order=True).to_list() if target in frames else []
                    hint = did_you_mean(value, keys)
                    yield Finding(table.name, index, key_column, f"{value!r} is not a record of {target}" + (f" ({hint})" if hint else ""))


def on_cycles(keys: pl.Series, parents: pl.Series) -> set[Any]:
    """The keys on a cycle of the parent relation: after as many steps as there are keys, a walk that has not
    ended is on a cycle, and every key of that cycle is reached so. Vectorized by repeated squaring."""
    step = pl.DataFrame({"key": keys, "next": parents}).unique("key", keep="last", maintain_order=True)
    jump = step
    for _ in range(max(step.height, 1).bit_length()):  # jump covers 2^k steps; 2^k > height ends on a cycle
        jump = jump.join(jump.select(pl.col("key").alias("next"), pl.col("next").alias("after")), on="next", how="left")
        jump = jump.select("key", pl.col("after").alias("next"))
    current = set(jump["next"].drop_nulls().to_list())
    parent_of = dict(step.iter_rows())
    cycle, frontier = set(), current
    while frontier:
        cycle |= frontier
        frontier = {parent_of.get(key) for key in frontier} - cycle - {None}
    return cycle


def acyclic(table: Table, frame: pl.DataFrame, parent: str) -> Iterator[Finding]:
    """Following ``parent`` from any row never comes back to it; each row on a cycle is reported with the cycle."""
    key = table.primary_key[0]
    cycle = on_cycles(frame[key], frame[parent])
    if not cycle:
        return
    parents = dict(zip(frame[key].to_list(), frame[parent].to_list()))
    for index, start in enumerate(frame[key].to_list()):
        if start not in cycle:
            continue
        path, current = [start], parents.get(start)
        while current is not None and current not in path:
            path.append(current)
            current = parents.get(current)
        if current == start:
            yield Finding(table.name, index, parent, f"{start!r} is its own ancestor ({' -> '.join([*path, start])})")


def all_findings(tables: dict[str, Table], frames: Frames, unchecked: Unchecked) -> list[Finding]:
    """Every finding of the generic rules; the declared table rules, which assume complete tables, run only
    when no record is invalid and no file unreadable (else a missing row would be reported twice)."""
    complete = not unchecked.tables and not any(unchecked.ids.values())
    return [
        *foreign_keys(tables, frames, unchecked),
        *record_keys(tables, frames, unchecked),
        *(finding for table in tables.values() for parent in table.parent_keys for finding in acyclic(table, frames[table.name], parent)),
        *(finding for table in tables.values() if complete for rule in table.rules for finding in rule(frames)),
    ]
