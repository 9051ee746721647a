"""Views that join tables the way the data model intends: a timeline, the claims about a record, comparisons side by side."""

from __future__ import annotations

from typing import Any

from ._errors import UnknownRecordError, UnknownTableError
from ._files import DataPackage
from ._load import load


def sql_name(record_id: str) -> str:
    """A record id as part of a column name that needs no quoting in SQL: hyphens become underscores."""
    return record_id.replace("-", "_")


def timeline(package: DataPackage) -> Any:
    """One row per meeting or event, ordered by its first possible day, with the range its precision allows."""
    meetings = load(package, "meetings")
    frame = meetings.assign(
        first_day=meetings["start_date_earliest"],
        last_day=meetings["end_date_latest"].fillna(meetings["start_date_latest"]),
    )
    columns = ["meeting_id", "title", "kind", "status", "first_day", "last_day", "start_date", "start_date_precision",
               "start_date_basis", "end_date", "location_id", "parent_meeting_id"]
    return frame[columns].sort_values(["first_day", "last_day", "meeting_id"], na_position="last", kind="stable").reset_index(drop=True)


def claims_about(package: DataPackage, table: str, record_id: str) -> Any:
    """Every claim whose subjects include record ``record_id`` of ``table``, with who asserts it and how."""
    package.resource(table)  # an unknown table name raises here, listing the valid ones
    subjects = load(package, "claim_subjects")
    about = subjects[(subjects["subject_table"] == table) & (subjects["subject_id"] == record_id)]
    key = package.primary_key(table)
    if len(key) != 1:
        raise UnknownTableError(f"Table {table!r} has a compound key ({', '.join(key)}); claims are about records with one id.")
    if not (load(package, table)[key[0]] == record_id).any():
        raise UnknownRecordError(f"Table {table!r} has no record {record_id!r}.")
    claims = load(package, "claims")
    return claims[claims["claim_id"].isin(about["record_id"])].reset_index(drop=True)


def comparisons(package: DataPackage) -> Any:
    """One row per point of comparison, with each article's reading (and whether the dataset follows it) side by side."""
    import pandas as pd

    points = load(package, "comparisons")
    readings = load(package, "comparison_readings")
    articles = list(load(package, "articles")["article_id"])
    frame = points[["comparison_id", "kind", "subject_table", "subject_id", "subject_field", "description", "assessment"]]
    for article in articles:
        own = readings[readings["article_id"] == article][["comparison_id", "reading", "recorded"]]
        own = own.groupby("comparison_id", as_index=False).agg({"reading": " / ".join, "recorded": "first"})
        name = sql_name(article)
        own = own.rename(columns={"reading": f"reading_{name}", "recorded": f"recorded_{name}"})
        frame = frame.merge(own, on="comparison_id", how="left")
    return frame.astype({c: pd.StringDtype() for c in frame.columns if c.startswith("reading_")})
