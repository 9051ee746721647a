"""Level 3: checks across tables, vectorized over whole DataFrames.

Each check yields ``Finding``s: a table, the row index at fault, the column, and what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from schema.table import Table


@dataclass(frozen=True)
class Finding:
    table: str
    index: int
    field: str | None
    message: str


Frames = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Unchecked:
    """Records reported invalid already, and tables whose file could not be read: references to them are not reported again."""

    ids: dict[str, set[str]]
    tables: frozenset[str] = frozenset()

    def covers(self, table: str, record_id: Any) -> bool:
        return table in self.tables or record_id in self.ids.get(table, set())


def foreign_keys(tables: dict[str, Table], frames: Frames, unchecked: Unchecked) -> Iterator[Finding]:
    """Every reference resolves, except to records whose problems are reported already."""
    for table in tables.values():
        frame = frames[table.name]
        for key in table.foreign_keys:
            target_key = list(tables[key.table].primary_key)
            values = frame[list(key.fields)].dropna()
            known = set(zip(*(frames[key.table][column].tolist() for column in target_key)))
            for index, value in zip(values.index, zip(*(values[column].tolist() for column in key.fields))):
                shown = value[0] if len(value) == 1 else value
                if value in known or unchecked.covers(key.table, shown):
                    continue
                yield Finding(table.name, index, key.fields[-1],
                              f"{shown!r} does not resolve (expected a {'/'.join(target_key)} of {key.table})")


def evidence_quotes(frames: Frames) -> Iterator[Finding]:
    """Every evidence quote equals its source line at its offsets."""
    evidence = frames["evidence"]
    lines = frames["source_lines"].set_index(["article_id", "line"])["text"]
    texts = lines.reindex(pd.MultiIndex.from_frame(evidence[["article_id", "line"]].astype(object)))
    for index, text, start, end, quote in zip(evidence.index, texts, evidence["char_start"], evidence["char_end"], evidence["quote"]):
        if not isinstance(text, str) or text[start:end] != quote:
            yield Finding("evidence", index, "quote", f"quote {quote!r} is not the source text at {start}-{end}")


def record_evidence(tables: dict[str, Table], frames: Frames) -> Iterator[Finding]:
    """Every record row has evidence, every evidence row names a record, and provenance is its first evidence."""
    evidence = frames["evidence"]
    for table in tables.values():
        if not table.has_evidence:
            continue
        key = table.primary_key[0]
        frame = frames[table.name]
        own = evidence[evidence["record_table"] == table.name]
        for index in frame.index[~frame[key].isin(own["record_id"])]:
            yield Finding(table.name, index, None, "record has no evidence (expected at least one quote)")
        for index in own.index[~own["record_id"].isin(frame[key])]:
            yield Finding("evidence", index, "record_id", f"{own.at[index, 'record_id']!r} is not a record of {table.name}")
        first = own.drop_duplicates("record_id")
        first = dict(zip(first["record_id"], zip(first["article_id"], first["line"])))
        for index, record_id, article_id, line in zip(frame.index, frame[key], frame["article_id"], frame["line"]):
            if first.get(record_id, (article_id, line)) != (article_id, line):
                yield Finding(table.name, index, "line", "article_id/line differ from the record's first evidence")


def subjects(tables: dict[str, Table], frames: Frames, unchecked: Unchecked) -> Iterator[Finding]:
    """A discrepancy's subject record and field exist."""
    frame = frames["discrepancies"]
    for index, table_name, record_id, field in zip(frame.index, frame["subject_table"], frame["subject_id"], frame["subject_field"]):
        table = tables[table_name]
        if not frames[table_name][table.primary_key[0]].eq(record_id).any() and not unchecked.covers(table_name, record_id):
            yield Finding("discrepancies", index, "subject_id", f"{record_id!r} is not a record of {table_name}")
        if isinstance(field, str) and field not in table.fields:
            yield Finding("discrepancies", index, "subject_field", f"{field!r} is not a field of {table_name}")


def acyclic(frames: Frames, table: str, key: str, parent: str) -> Iterator[Finding]:
    """Following ``parent`` from any row never comes back to it; each row on a cycle is reported with the cycle."""
    frame = frames[table]
    parents = {child: value if isinstance(value, str) else None for child, value in zip(frame[key], frame[parent])}
    for index, start in zip(frame.index, frame[key]):
        path, current = [start], parents.get(start)
        while current is not None and current not in path:
            path.append(current)
            current = parents.get(current)
        if current == start:
            cycle = " -> ".join([*path, start])
            yield Finding(table, index, parent, f"{start!r} is its own ancestor ({cycle})")


def target_figures(frames: Frames) -> Iterator[Finding]:
    """A commitment's target figure names that commitment back."""
    commitments, figures = frames["commitments"], frames["figures"]
    owners = {figure: owner if isinstance(owner, str) else None for figure, owner in zip(figures["figure_id"], figures["commitment_id"])}
    for index, commitment, figure in zip(commitments.index, commitments["commitment_id"], commitments["target_figure_id"]):
        if figure in owners and owners[figure] != commitment:
            yield Finding("commitments", index, "target_figure_id", f"figure {figure!r} does not belong to this commitment (its commitment_id must be {commitment!r})")


def deadlines(frames: Frames) -> Iterator[Finding]:
    """A deadline cannot end before the commitment was made."""
    frame = frames["commitments"]
    dated = frame[frame["deadline_latest"].notna() & frame["made_date_earliest"].notna()]
    bad = dated[dated["deadline_latest"] < dated["made_date_earliest"]]
    for index in bad.index:
        yield Finding("commitments", index, "deadline", f"deadline {bad.at[index, 'deadline']} ends before the commitment was made ({bad.at[index, 'made_date']})")


def all_findings(tables: dict[str, Table], frames: Frames, unchecked: Unchecked) -> list[Finding]:
    return [
        *foreign_keys(tables, frames, unchecked),
        *evidence_quotes(frames),
        *record_evidence(tables, frames),
        *subjects(tables, frames, unchecked),
        *acyclic(frames, "locations", "location_id", "parent_location_id"),
        *acyclic(frames, "organizations", "organization_id", "parent_organization_id"),
        *acyclic(frames, "meetings", "meeting_id", "parent_meeting_id"),
        *acyclic(frames, "commitments", "commitment_id", "part_of_commitment_id"),
        *target_figures(frames),
        *deadlines(frames),
    ]
