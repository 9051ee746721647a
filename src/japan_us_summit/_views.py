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


VOICES = ("article", "reported")


def _claimant(kind: str, person: Any, organization: Any, description: Any) -> str:
    who = next((str(v) for v in (person, organization, description) if isinstance(v, str)), None)
    return f"{kind} ({who})" if who else kind


def facts(package: DataPackage, table: str, voice: str | None) -> Any:
    """The records of ``table`` with the voice that asserts each: ``article`` when the article states it (no claim
    asserts it, or a claim in the article's own voice does), ``reported`` when only claims of others assert it."""
    import pandas as pd

    if voice is not None and voice not in VOICES:
        raise ValueError(f"voice must be one of {', '.join(VOICES)} or None (got {voice!r})")
    package.resource(table)
    key = package.primary_key(table)
    if len(key) != 1:
        raise UnknownTableError(f"Table {table!r} has a compound key ({', '.join(key)}); facts are records with one id.")
    records, claims, subjects = load(package, table), load(package, "claims"), load(package, "claim_subjects")
    within = {c: w for c, w in zip(claims["claim_id"], claims["within_claim_id"]) if isinstance(w, str)}
    kinds = dict(zip(claims["claim_id"], claims["claimant_kind"]))
    who = {c: _claimant(*row) for c, *row in zip(claims["claim_id"], claims["claimant_kind"], claims["claimant_person_id"],
                                                  claims["claimant_organization_id"], claims["claimant_description"])}

    def chain(claim: str) -> str:
        """Who reports whom, outermost first (the check refuses cycles, so the walk ends)."""
        steps = [claim]
        while steps[-1] in within:
            steps.append(within[steps[-1]])
        return " > ".join(who[step] for step in reversed(steps))

    asserted = subjects[(subjects["subject_table"] == table) & subjects["asserts"].fillna(False).astype(bool)]
    by: dict[str, list[str]] = {}
    for record, claim in zip(asserted["subject_id"], asserted["record_id"]):
        by.setdefault(record, []).append(claim)
    rows = []
    for record in records[key[0]]:
        asserting = sorted(by.get(record, []))
        own = [record] if table == "claims" else []
        speakers = own or asserting
        reported = [c for c in speakers if kinds[c] != "article_voice"]
        is_reported = bool(speakers) and len(reported) == len(speakers)
        rows.append({"voice": VOICES[is_reported], "asserted_by": "; ".join(asserting) or None,
                     "attribution": "; ".join(chain(c) for c in reported) if is_reported else None})
    extra = pd.DataFrame(rows, index=records.index).astype({"voice": pd.StringDtype(), "asserted_by": pd.StringDtype(), "attribution": pd.StringDtype()})
    frame = pd.concat([records, extra], axis=1)
    if voice is not None:
        frame = frame[frame["voice"] == voice]
    return frame.reset_index(drop=True)
