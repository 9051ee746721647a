"""Tables of the record kind: each valid record with its derived fields, and its evidence anchored.

Each annotation file is worked through alone (``file_result``): what it contributes to every table, where each
row came from, and the problems in it. That makes files cacheable and parallel; what needs every file at once
(a record id written twice) is settled when the results are put together (``records``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from schema.annotation import EVIDENCE
from forms.arrow_schema import bare_schema
from schema.table import ARTICLE, LINE, Table, TableKind
from schema.tables import TABLES

from pipeline.load.annotations import WrittenRecord, clean_fields, load_file
from pipeline.assembly import Assembly, Where, duplicate_message, links, only
from pipeline.load.derive import with_dates
from pipeline.load.evidence_rows import anchored_evidence, well_formed_refs
from pipeline.load.links import link_rows, listed
from pipeline.problems import Problem
from pipeline.load.sources import Source


Unpublished = tuple[str, dict[str, Any], Where]  # a row of a record that has a problem: table, values, origin


@dataclass(frozen=True)
class SourceState:
    """What a file's evidence is anchored against: the usable sources, and the ones reported unusable already."""

    sources: dict[str, Source]
    unusable: frozenset[str]
    unreadable: bool  # the source table's own file could not be read


@dataclass
class FileResult:
    """Everything one annotation file contributes. ``written`` lists every record written, valid or not, as (id, where)."""

    table: str
    file: str
    readable: bool
    problems: list[Problem]
    invalid_ids: set[str]
    written: list[tuple[str | None, Where]]
    parts: dict[str, pa.Table]
    where: str  # the origin of each row of ``parts``, as JSON: read only when a problem needs it
    articles: list[str]  # every article the file's evidence names, usable or not
    unpublished: list[Unpublished] = field(default_factory=list)

    def origins(self, name: str) -> Callable[[], list[Where]]:
        """A function giving the origin of each of this file's rows of table ``name``."""
        return lambda: [Where(*where) for where in json.loads(self.where)[name]]


def file_result(root: Path, table: Table, relative: str, state: SourceState) -> FileResult:
    """Load, validate and anchor one file of ``table``, alone."""
    scratch = Assembly(root)
    scratch.sources = state.sources
    sources = only(TableKind.SOURCE).name
    scratch.invalid_ids[sources] |= state.unusable
    if state.unreadable:
        scratch.unreadable.add(sources)
    items, problems = load_file(root, table, relative)
    scratch.problems += problems
    unpublished: list[Unpublished] = []
    for item in items or []:
        unpublished += record_rows(scratch, table, item)
    named = {ref.get("article") for item in items or [] if isinstance(item.mapping.get(EVIDENCE), list)
             for ref in item.mapping[EVIDENCE] if isinstance(ref, dict) and isinstance(ref.get("article"), str)}
    return FileResult(
        table=table.name,
        file=relative,
        readable=items is not None,
        problems=scratch.problems,
        invalid_ids=scratch.invalid_ids[table.name],
        written=[(item.record_id, Where.of(item)) for item in items or []],
        parts={name: pa.Table.from_pylist(rows, schema=bare_schema(TABLES[name])) for name, rows in scratch.rows.items() if rows},
        where=json.dumps({name: [(w.file, w.line, w.record_id, w.field_lines) for w in origins] for name, origins in scratch.where.items() if len(origins)}),
        articles=sorted(named),
        unpublished=unpublished,
    )


def record_rows(assembly: Assembly, table: Table, item: WrittenRecord) -> list[Unpublished]:
    """Check a record's evidence, exact copies and coded values; add a record that passes everything as its row,
    its evidence rows and its link rows. A record with a problem is not published, but every part of it that
    passes its own checks is still checked (its evidence anchored, its values against the quotes as written)
    and returned as rows whose references are checked with the published ones (``unpublished_findings``)."""
    record, mapping = item.record, item.mapping
    where = Where.of(item)
    if record is None:  # its own errors are reported already
        refs = well_formed_refs(mapping.get(EVIDENCE))
        values = clean_fields(item)
    else:
        refs = [(n, ref, m) for n, (ref, m) in enumerate(zip(getattr(record, EVIDENCE), mapping[EVIDENCE]))]
        values = record.model_dump(exclude={EVIDENCE, *(link.written_in for link in links(table))})
    spans = anchored_evidence(assembly, item, refs)
    written = mapping.get(EVIDENCE)
    formed = isinstance(written, list) and len(refs) == len(written)  # else a broken item may be what was missing
    quotes, supported = [ref.quote for _, ref, _ in refs], {ref.field for _, ref, _ in refs}
    for name, value in values.items():
        if value is None or not formed:
            continue
        if table.fields[name].exact_copy and spans is not None and not any(value in quote for quote in quotes):
            assembly.problem(where, table.name, name, f"{value!r} occurs in none of the record's evidence quotes (expected the words as quoted)")
        if table.fields[name].coded and name not in supported:
            assembly.problem(where, table.name, name, f"code {value!r} has no evidence (expected an evidence item with 'field: {name}' quoting what it codes)")
    if record is None or spans is None:
        assembly.invalid_ids[table.name].add(item.record_id)
        return [(table.name, values, where), *((link.name, row, origin) for link, row, origin in listed(item))]
    evidence = only(TableKind.EVIDENCE)
    table_column, key_column = evidence.record_keys[0]
    first = spans[0][0]
    assembly.add_row(table, with_dates(table, values) | {ARTICLE: first[ARTICLE], LINE: first[LINE]}, where)
    for span, span_where in spans:
        assembly.add_row(evidence, span | {table_column: table.name, key_column: values[table.primary_key[0]]}, span_where)
    link_rows(assembly, item)
    return []


def records(assembly: Assembly, table: Table, results: list[FileResult]) -> list[Unpublished]:
    """Put the file results of ``table`` together; a record id written more than once is reported at each place
    and its rows are dropped. Returns the rows of the records that have a problem, whose references are still checked."""
    unpublished = [row for result in results for row in result.unpublished]
    for result in results:
        assembly.problems += result.problems
        assembly.invalid_ids[table.name] |= result.invalid_ids
        if not result.readable:
            assembly.unreadable.add(table.name)
        for name, part in result.parts.items():
            assembly.add_part(name, part, result.origins(name))
    counts = Counter(record_id for result in results for record_id, _ in result.written if record_id is not None)
    repeated = {record_id for record_id, count in counts.items() if count > 1}
    if not repeated:
        return unpublished
    for result in results:
        for record_id, where in result.written:
            if record_id in repeated:
                assembly.problem(where, table.name, table.primary_key[0], duplicate_message(table, record_id))
    assembly.invalid_ids[table.name] |= repeated
    assembly.drop_records(table, repeated)
    return unpublished
