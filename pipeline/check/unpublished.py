"""The references of records that have a problem: such a record is not published, but the parts of it that
pass their own checks are checked against the published tables like any row, so that one run reports every
problem. References to records that have a problem are not reported (that problem is, once)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import polars as pl
import pyarrow as pa

from forms.arrow_schema import bare_schema
from schema.table import Finding, Frames, Table

from pipeline.assembly import Where
from pipeline.check.cross_checks import Unchecked, foreign_keys, record_keys
from pipeline.load.records import Unpublished


def unpublished_findings(tables: dict[str, Table], frames: Frames, rows: list[Unpublished],
                         unchecked: Unchecked) -> Iterator[tuple[Where, Finding]]:
    """Each reference of ``rows`` that resolves to nothing in ``frames``, with the row's origin."""
    values, origins = defaultdict(list), defaultdict(list)
    for name, row, where in rows:
        values[name].append(row)
        origins[name].append(where)
    sources = {name: pl.from_arrow(pa.Table.from_pylist(found, schema=bare_schema(tables[name])))
               for name, found in values.items()}
    for finding in (*foreign_keys(tables, frames, unchecked, sources), *record_keys(tables, frames, unchecked, sources)):
        yield origins[finding.table][finding.index], finding
