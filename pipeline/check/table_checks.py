"""Level 2: each table as a whole, with pandera's polars backend (types, keys, uniqueness) over the Arrow
table as it is (no pandas copy), reported at the rows' origins."""

from __future__ import annotations

import polars as pl

from forms.pandera_schema import import_checks_without_strategies, pandera_schema

import_checks_without_strategies()  # the build synthesizes no data: pandera need not import hypothesis
import pandera.polars as pandera  # noqa: E402 - after the checks are imported with hypothesis hidden
from schema.table import Table

from pipeline.assembly import Assembly, Where, duplicate_message
from pipeline.problems import shown
from pipeline.project import ANNOTATIONS_DIR


def table_problems(assembly: Assembly, table: Table, frame: pl.DataFrame) -> None:
    """Check ``frame`` against the table's pandera schema; written values were checked by their model already."""
    try:
        pandera_schema(table, written_checked=True, backend="polars").validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        for case in errors.failure_cases.iter_rows(named=True):
            column = case["column"] if case["column"] in frame.columns else None
            index = case["index"]
            where = assembly.where[table.name][index] if index is not None else Where(f"{ANNOTATIONS_DIR}/{table.name}.yaml", None)
            check = str(case["check"])
            if check == "multiple_fields_uniqueness":  # reported at each column of the key, as for one column
                for name in table.primary_key:
                    assembly.problem(where, table.name, name, duplicate_message(table, frame[name][index]))
                continue
            value = frame[column][index] if column is not None and index is not None else case["failure_case"]  # typed, as written
            message = duplicate_message(table, value) if "uniqueness" in check else f"fails {check} (got {_shown(value)})"
            assembly.problem(where, table.name, column, message)


def _shown(value: object) -> str:
    return "<NA>" if value is None else shown(value)  # a missing value, said as pandas says it
