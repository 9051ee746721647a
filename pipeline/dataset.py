"""Assemble the dataset from annotations and sources, validating each level once; raise with every problem."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from forms.arrow_schema import arrow_schema
from schema.table import Table, TableKind
from schema.tables import TABLES

from pipeline.load.annotations import NO_FACT_FILE, unknown_files
from pipeline.assembly import Assembly
from pipeline.check.agreement import score
from pipeline.check.cross_checks import Unchecked, all_findings
from pipeline.check.unpublished import unpublished_findings
from pipeline.problems import InvalidInput
from pipeline.progress import bar
from pipeline.project import version
from pipeline.incremental import ResultStore, record_results
from pipeline.load.records import records
from pipeline.load.second_annotation import dataset_records, second_records
from pipeline.release.releases import changelog_date
from pipeline.load.source_files import read_sources, source_lines
from pipeline.load.sources import Source


@dataclass
class Dataset:
    """The validated tables, in publishing order, as Arrow tables; the version, and the day it was released (if it was)."""

    tables: dict[str, pa.Table]
    sources: dict[str, Source]
    version: str
    released: str | None = None
    agreement: dict[str, Any] | None = None  # the second annotation's agreement with the data; None when there is none

    def row_counts(self) -> dict[str, int]:
        return {name: table.num_rows for name, table in self.tables.items()}


def assemble(root: Path, use_cache: bool = True, score_agreement: bool = True) -> Dataset:
    """Load, derive and validate everything under ``root``; raise ``InvalidInput`` listing every problem.

    Level 1, each written record against its model (once, as it is loaded); level 2, each table as a whole
    (pandera); level 3, the rules across tables. ``use_cache=False`` ignores the persistent state. The second
    annotation, if there is one, is checked too, and scored against the data unless ``score_agreement`` is False.
    """
    collecting = gc.isenabled()
    gc.disable()  # millions of long-lived objects, almost no cycles: the collector would rescan them again and again
    try:
        return _assemble(root, use_cache, score_agreement)
    finally:
        if collecting:
            gc.enable()


def _assemble(root: Path, use_cache: bool, score_agreement: bool) -> Dataset:
    assembly = Assembly(root)
    annotated = [t for t in TABLES.values() if t.annotated]
    assembly.problems += unknown_files(root, {t.name for t in annotated}, {Path(NO_FACT_FILE).name})
    for table in TABLES.values():
        if table.kind == TableKind.SOURCE:
            read_sources(assembly, table)
    source_lines(assembly)
    store = ResultStore(root, use_cache)
    unpublished = []
    for name, results in record_results(assembly, store).items():
        unpublished += records(assembly, TABLES[name], results)
    key = store.levels_key(root)
    known = store.level_problems(key)
    if known is None:
        found = len(assembly.problems)
        _check_tables(assembly, unpublished)
        store.keep_level_problems(key, assembly.problems[found:])
    else:  # the same inputs as the run that stored them: the table and cross-table levels would find the same
        assembly.problems += known
    if assembly.problems:
        raise InvalidInput(assembly.problems)
    current = version(root)
    published = {name: _published(TABLES[name], assembly.table(name)) for name in TABLES}
    return Dataset(published, assembly.sources, current, changelog_date(root, current),
                   _agreement(root, published, assembly.sources, score_agreement))


def _agreement(root: Path, published: dict[str, pa.Table], sources: dict[str, Source], scored: bool) -> dict[str, Any] | None:
    """The second annotation, checked (raising ``InvalidInput``), and scored against the published tables when
    ``scored``; None when there is no second annotation or it is not scored."""
    second = second_records(root, TABLES, sources)
    if second is None or not scored:
        return None
    return score(TABLES, dataset_records(TABLES, {name: table.to_pylist() for name, table in published.items()}), second)


def _check_tables(assembly: Assembly, unpublished: list) -> None:
    """Level 2, each table against its pandera schema; level 3, the rules across tables, and the references of
    the records that have a problem (``unpublished``). Imported here: a run whose findings are all from the
    state needs no pandera."""
    from pipeline.check.table_checks import table_problems

    frames = {}
    for table in bar(TABLES.values(), len(TABLES), "checking tables", unit="table"):
        frames[table.name] = pl.from_arrow(assembly.table(table.name))
        table_problems(assembly, table, frames[table.name])
    unchecked = Unchecked(assembly.invalid_ids, frozenset(assembly.unreadable))
    for finding in all_findings(TABLES, frames, unchecked):
        assembly.problem(assembly.where[finding.table][finding.index], finding.table, finding.field, finding.message)
    for where, finding in unpublished_findings(TABLES, frames, unpublished, unchecked):
        assembly.problem(where, finding.table, finding.field, finding.message)


def _published(table: Table, rows: pa.Table) -> pa.Table:
    """The table in publishing order: by primary key; evidence by record, keeping each record's order (a stable sort)."""
    if table.kind == TableKind.EVIDENCE:
        table_column, key_column = table.record_keys[0]
        position = pc.index_in(rows[table_column], value_set=pa.array(list(TABLES)))
        keys = pa.table({"_t": position, "_k": rows[key_column]})
        order = pc.sort_indices(keys, sort_keys=[("_t", "ascending"), ("_k", "ascending")])
    else:
        order = pc.sort_indices(rows, sort_keys=[(name, "ascending") for name in table.primary_key])
    return rows.take(order).combine_chunks()
