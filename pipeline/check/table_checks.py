"""Level 2: each table as a whole, with pandera (types, keys, uniqueness), reported at the rows' origins."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pandera

from forms.pandera_schema import pandera_schema
from schema.table import Table

from pipeline.assembly import Assembly, Where, duplicate_message
from pipeline.problems import shown
from pipeline.project import ANNOTATIONS_DIR


def table_problems(assembly: Assembly, table: Table, frame: pd.DataFrame) -> None:
    """Check ``frame`` against the table's pandera schema; written values were checked by their model already."""
    try:
        pandera_schema(table, written_checked=True).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples():
            column = case.column if isinstance(case.column, str) else None
            index = case.index if pd.notna(case.index) else None
            where = assembly.where[table.name][int(index)] if index is not None else Where(f"{ANNOTATIONS_DIR}/{table.name}.yaml", None)
            check = str(case.check)
            message = duplicate_message(table, case.failure_case) if "uniqueness" in check else f"fails {check} (got {shown(case.failure_case)})"
            assembly.problem(where, table.name, column, message)
