"""The supporting spans of one record, each with the full text of its source line."""

from __future__ import annotations

from typing import Any

from ._errors import UnknownRecordError, UnknownTableError
from ._files import DataPackage
from ._load import load
from ._suggest import did_you_mean

COLUMNS = ["article_id", "line", "char_start", "char_end", "quote", "prefix", "suffix", "field", "basis"]


def evidence(package: DataPackage, table: str, record_id: str) -> Any:
    """A pandas DataFrame: ``COLUMNS`` plus ``line_text``, one row per span, in the evidence table's order."""
    package.resource(table)  # an unknown table name raises here, listing the valid ones
    spans = load(package, "evidence")
    covered = [name for name in spans["record_table"].cat.categories if (spans["record_table"] == name).any()]
    if table not in covered:
        raise UnknownTableError(f"Table {table!r} has no evidence rows; evidence covers: {', '.join(covered)}")
    of_table = spans[spans["record_table"] == table]
    rows = of_table[of_table["record_id"] == record_id]
    if rows.empty:
        hint = did_you_mean(record_id, of_table["record_id"].unique().tolist())
        hint = f" {hint[0].upper()}{hint[1:]}" if hint else ""
        raise UnknownRecordError(f"Table {table!r} has no record {record_id!r}.{hint}")
    lines = load(package, "source_lines").rename(columns={"text": "line_text"})
    return rows[COLUMNS].merge(lines, on=["article_id", "line"], how="left", validate="many_to_one")
