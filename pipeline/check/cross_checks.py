"""Level 3: rules across tables, vectorized over whole DataFrames.

The generic rules follow from the declarations (keys resolve, including keys into whichever table another
column names; self-references never form a cycle); the rest are the rules each table declares. That every
record has evidence, and that every quote is its line's text at its offsets, holds by construction: the
record model requires evidence, and anchoring computes the offsets from the line itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from japan_us_summit._suggest import did_you_mean
from schema.table import Finding, Frames, Table


@dataclass(frozen=True)
class Unchecked:
    """Records reported invalid already, and tables whose file could not be read: references to them are not reported again."""

    ids: dict[str, set[str]]
    tables: frozenset[str] = frozenset()

    def covers(self, table: str, record_id: Any) -> bool:
        return table in self.tables or record_id in self.ids.get(table, set())


def _isin(values: pd.Series, known: pd.Series) -> np.ndarray:
    """``values.isin(known)`` computed by Arrow (pandas turns Arrow-backed strings into Python objects first)."""
    return pc.is_in(pa.array(values), value_set=pa.array(known)).fill_null(False).to_numpy(zero_copy_only=False)


def _missing(values: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``values`` whose columns, together, match no row of ``known`` (same column order)."""
    if values.shape[1] == 1:
        return values[~_isin(values.iloc[:, 0], known.iloc[:, 0])]
    return values[~pd.MultiIndex.from_frame(values).isin(pd.MultiIndex.from_frame(known.set_axis(values.columns, axis=1)))]


def foreign_keys(tables: dict[str, Table], frames: Frames, unchecked: Unchecked, sources: Frames | None = None) -> Iterator[Finding]:
    """Every reference resolves, except to records whose problems are reported already; ``sources``, when
    given, holds the rows whose references are checked (else ``frames``, which always holds the keys)."""
    for table in tables.values():
        if (frame := (frames if sources is None else sources).get(table.name)) is None:
            continue
        for key in table.foreign_keys:
            target_key = list(tables[key.table].primary_key)
            known = frames[key.table][target_key]
            missing = _missing(frame[list(key.fields)].dropna(), known)
            for index, value in zip(missing.index, zip(*(missing[column].tolist() for column in key.fields))):
                shown = value[0] if len(value) == 1 else value
                if not unchecked.covers(key.table, shown):
                    hint = did_you_mean(shown, known.iloc[:, -1].dropna().unique()) if len(value) == 1 else ""
                    yield Finding(table.name, index, key.fields[-1],
                                  f"{shown!r} does not resolve ({hint + ' ' if hint else ''}expected a {'/'.join(target_key)} of {key.table})")


def record_keys(tables: dict[str, Table], frames: Frames, unchecked: Unchecked, sources: Frames | None = None) -> Iterator[Finding]:
    """A key into whichever record table another column names is a record of that table (rows of ``sources``, if given)."""
    for table in tables.values():
        if (frame := (frames if sources is None else sources).get(table.name)) is None:
            continue
        for table_column, key_column in table.record_keys:
            unresolved = pd.Series(True, index=frame.index)
            for target in frame[table_column].dropna().unique():
                if target in tables and tables[target].annotated:
                    rows = (frame[table_column] == target).fillna(False)
                    unresolved &= ~(rows & _isin(frame[key_column], frames[target][tables[target].primary_key[0]]))
            for index, target, value in zip(frame.index[unresolved.to_numpy()], frame[table_column][unresolved], frame[key_column][unresolved]):
                if not unchecked.covers(target, value):
                    known = frames[target][tables[target].primary_key[0]].dropna().unique() if target in frames else []
                    hint = did_you_mean(value, known)
                    yield Finding(table.name, index, key_column, f"{value!r} is not a record of {target}" + (f" ({hint})" if hint else ""))


def acyclic(table: Table, frame: pd.DataFrame, parent: str) -> Iterator[Finding]:
    """Following ``parent`` from any row never comes back to it; each row on a cycle is reported with the cycle."""
    key = table.primary_key[0]
    parents = {child: value if isinstance(value, str) else None for child, value in zip(frame[key], frame[parent])}
    for index, start in zip(frame.index, frame[key]):
        path, current = [start], parents.get(start)
        while current is not None and current not in path:
            path.append(current)
            current = parents.get(current)
        if current == start:
            cycle = " -> ".join([*path, start])
            yield Finding(table.name, index, parent, f"{start!r} is its own ancestor ({cycle})")


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
