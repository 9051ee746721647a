"""Every published table, declared once: its columns (with types, constraints, descriptions) and keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import Field, model_validator

from .fields import (
    CharOffset,
    ExactCopy,
    RecordKey,
    CountryCode,
    CurrencyCode,
    LanguageCode,
    LineNumber,
    References,
    Sha256,
    record_id,
    reference,
    text,
)
from .table import (
    NOTE,
    PROVENANCE,
    Finding,
    Frames,
    RuleError,
    Table,
    TableKind,
    choice,
    date_fields,
    derived,
    optional,
    record_table,
    row_model,
)
from .vocabularies import (
    CommitmentKind,
    CommitmentStatus,
    FigureUnit,
    LocationKind,
    MeetingKind,
    MeetingStatus,
    OrganizationKind,
    ParticipantRole,
    PublisherBasis,
    RoleStatus,
    Scale,
    Topic,
    ValueBasis,
)


def _exactly_one(*names: str) -> Any:
    @model_validator(mode="after")
    def check(row: Any) -> Any:
        given = [n for n in names if getattr(row, n) is not None]
        if len(given) != 1:
            raise RuleError(names[0], f"exactly one of {', '.join(names)} must be given (got {len(given)})")
        return row

    return check


def _at_least_one(*names: str) -> Any:
    @model_validator(mode="after")
    def check(row: Any) -> Any:
        if all(getattr(row, n) is None for n in names):
            raise RuleError(names[0], f"at least one of {', '.join(names)} must be given")
        return row

    return check


def _figure_rules(row: Any) -> Any:
    money = row.unit == FigureUnit.CURRENCY.value
    if money != (row.currency is not None):
        raise RuleError("currency", "currency is required for a money figure (unit 'currency') and only for one")
    if row.value is not None:
        if row.unit in (FigureUnit.PERCENT.value, FigureUnit.PERCENT_OF_GDP.value) and not 0 <= row.value <= 100:
            raise RuleError("value", f"a percentage must lie between 0 and 100 (got {row.value})")
        if row.unit != FigureUnit.PERCENT.value and row.value < 0:
            raise RuleError("value", f"a {row.unit} figure cannot be negative (got {row.value})")
    if row.value is None and row.value_note is None:
        raise RuleError("value_note", "value_note must say why a figure has no value")
    return row


def _target_figures(frames: Frames) -> Iterator[Finding]:
    """A commitment's target figure names that commitment back."""
    commitments, figures = frames["commitments"], frames["figures"]
    owners = {figure: owner if isinstance(owner, str) else None for figure, owner in zip(figures["figure_id"], figures["commitment_id"])}
    for index, commitment, figure in zip(commitments.index, commitments["commitment_id"], commitments["target_figure_id"]):
        if figure in owners and owners[figure] != commitment:
            yield Finding("commitments", index, "target_figure_id", f"figure {figure!r} does not belong to this commitment (its commitment_id must be {commitment!r})")


def _deadline_after_made_date(frames: Frames) -> Iterator[Finding]:
    """A deadline cannot end before the commitment was made."""
    frame = frames["commitments"]
    dated = frame[frame["deadline_latest"].notna() & frame["made_date_earliest"].notna()]
    bad = dated[dated["deadline_latest"] < dated["made_date_earliest"]]
    for index in bad.index:
        yield Finding("commitments", index, "deadline", f"deadline {bad.at[index, 'deadline']} ends before the commitment was made ({bad.at[index, 'made_date']})")


def _subject_field_exists(frames: Frames) -> Iterator[Finding]:
    """A discrepancy's subject field is a field of its subject table."""
    frame = frames["discrepancies"]
    for index, table_name, field in zip(frame.index, frame["subject_table"], frame["subject_field"]):
        if isinstance(field, str) and field not in TABLES[table_name].fields:
            yield Finding("discrepancies", index, "subject_field", f"{field!r} is not a field of {table_name}")


ARTICLES = Table(
    name="articles",
    title="Articles",
    description="The source articles, described once: file, publisher, publication date and how it is known, rights.",
    primary_key=("article_id",),
    kind=TableKind.SOURCE,
    model=row_model(
        "Article",
        {
            "article_id": record_id("Stable id of the article"),
            "file": Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.txt$", description="File name under sources/, as received")],
            "publisher": optional(text("Publisher as the article names it; empty when the article carries no attribution")),
            "publisher_basis": choice(PublisherBasis, "Whether the article itself states its publisher"),
            "publisher_note": optional(text("Where in the article the publisher is named, or why it is unknown")),
            **date_fields("published_date", "When the article was published"),
            "language": LanguageCode,
            "rights_notice": optional(text("Copyright or rights notice exactly as the article gives it; empty when it has none")),
            "sha256": Sha256,
            "line_count": derived(Annotated[int, Field(ge=1, description="Number of lines in the file")]),
            **NOTE,
        },
    ),
)

SOURCE_LINES = Table(
    name="source_lines",
    title="Source lines",
    description="Every non-blank line of every article, verbatim: the target of every provenance link.",
    primary_key=("article_id", "line"),
    kind=TableKind.SOURCE_LINES,
    model=row_model(
        "SourceLine",
        {
            "article_id": derived(reference("articles", "The article the line belongs to")),
            "line": derived(Annotated[LineNumber, Field(description="1-based line number in the article's file")]),
            "text": derived(Annotated[str, Field(min_length=1, description="The line's text, verbatim, without its line break")]),
        },
    ),
)

PEOPLE = Table(
    name="people",
    title="People",
    description="Every person the articles mention, named or not; one row per real person across both articles.",
    primary_key=("person_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Person",
        {
            "person_id": record_id("Stable id of the person"),
            "name": text("The person's full name as the articles give it, or a description when unnamed"),
            "named_in_text": Annotated[bool, Field(description="Whether any article gives the person's name")],
            "country_code": optional(CountryCode),
            **NOTE,
            **PROVENANCE,
        },
    ),
)

ORGANIZATIONS = Table(
    name="organizations",
    title="Organizations",
    description="Parties, parliaments, governments, armed forces, intergovernmental bodies and news agencies.",
    primary_key=("organization_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Organization",
        {
            "organization_id": record_id("Stable id of the organization"),
            "name": text("Name of the organization as the articles give it (the fuller form where they differ)"),
            "kind": choice(OrganizationKind, "What kind of organization it is"),
            "country_code": optional(CountryCode),
            "parent_organization_id": optional(reference("organizations", "The organization this one is part of")),
            **NOTE,
            **PROVENANCE,
        },
    ),
)

PERSON_ROLES = Table(
    name="person_roles",
    title="Person roles",
    description="Each title or role a person holds, as each article states it (one row per article and wording).",
    primary_key=("role_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "PersonRole",
        {
            "role_id": record_id("Stable id of the role statement"),
            "person_id": reference("people", "The person who holds the role"),
            "title": text("The role, normalized (e.g. 'Prime Minister of Japan')"),
            "title_as_written": Annotated[text("The role exactly as the article words it; it occurs in the row's evidence"), ExactCopy()],
            "status": choice(RoleStatus, "Whether the article presents the role as current, former or future"),
            "organization_id": optional(reference("organizations", "The organization the role belongs to")),
            "country_code": optional(CountryCode),
            **NOTE,
            **PROVENANCE,
        },
    ),
)

LOCATIONS = Table(
    name="locations",
    title="Locations",
    description="Countries, cities, venues, bases, seas, regions, vessels and aircraft, each inside its parent.",
    primary_key=("location_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Location",
        {
            "location_id": record_id("Stable id of the location"),
            "name": text("Name of the location as the articles give it, or a description when unnamed"),
            "kind": choice(LocationKind, "What kind of place it is"),
            "country_code": optional(CountryCode),
            "parent_location_id": optional(reference("locations", "The location that contains this one")),
            **NOTE,
            **PROVENANCE,
        },
    ),
)

MEETINGS = Table(
    name="meetings",
    title="Meetings and dated events",
    description="Summits, talks, audiences, calls, visits and other dated events, with place, date and status.",
    primary_key=("meeting_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Meeting",
        {
            "meeting_id": record_id("Stable id of the meeting or event"),
            "title": text("Short descriptive title"),
            "kind": choice(MeetingKind, "What kind of meeting or event it is"),
            "status": choice(MeetingStatus, "Whether it was held, is scheduled or expected, or is recalled history, as of the latest article"),
            "location_id": optional(reference("locations", "Where it takes place")),
            "parent_meeting_id": optional(reference("meetings", "The larger visit, tour or event it is part of")),
            **date_fields("date", "When it takes place"),
            **NOTE,
            **PROVENANCE,
        },
    ),
)

MEETING_PARTICIPANTS = Table(
    name="meeting_participants",
    title="Meeting participants",
    description="Who takes part in each meeting or event, and in what role: a person or an organization.",
    primary_key=("participant_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "MeetingParticipant",
        {
            "participant_id": record_id("Stable id of the participation"),
            "meeting_id": reference("meetings", "The meeting or event"),
            "person_id": optional(reference("people", "The participating person (or give organization_id)")),
            "organization_id": optional(reference("organizations", "The participating organization (or give person_id)")),
            "role": choice(ParticipantRole, "The participant's role in it"),
            **NOTE,
            **PROVENANCE,
        },
        validators={"_one_participant": _exactly_one("person_id", "organization_id")},
    ),
)

COMMITMENTS = Table(
    name="commitments",
    title="Commitments",
    description="Pledges, agreements, demands, expectations and plans: who, to whom, on what, by when, and status.",
    primary_key=("commitment_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Commitment",
        {
            "commitment_id": record_id("Stable id of the commitment"),
            "kind": choice(CommitmentKind, "Pledge, agreement, demand, expectation or plan"),
            "topic": choice(Topic, "What the commitment is about"),
            "description": text("One-sentence summary in the annotator's words; the evidence holds the article's words"),
            "status": choice(CommitmentStatus, "Its state as of the latest article that reports it"),
            "actor_person_id": optional(reference("people", "The person who makes, demands or is expected to make it")),
            "actor_organization_id": optional(reference("organizations", "The organization that makes it")),
            "actor_country_code": optional(CountryCode),
            "counterpart_person_id": optional(reference("people", "The person it is made to or demanded of")),
            "counterpart_organization_id": optional(reference("organizations", "The organization it is made to")),
            "counterpart_country_code": optional(CountryCode),
            "meeting_id": optional(reference("meetings", "The meeting or event where it was or is to be made")),
            "part_of_commitment_id": optional(reference("commitments", "The agreement or larger commitment it is part of")),
            "target_figure_id": optional(reference("figures", "The figure it aims at (its own figures name it back)")),
            **date_fields("made_date", "When it was made or struck"),
            **date_fields("deadline", "The deadline for meeting it"),
            **NOTE,
            **PROVENANCE,
        },
        validators={"_some_actor": _at_least_one("actor_person_id", "actor_organization_id", "actor_country_code")},
    ),
    rules=(_target_figures, _deadline_after_made_date),
)

FIGURES = Table(
    name="figures",
    title="Figures",
    description="Every number the articles use as a measure: percentages, money, counts, durations.",
    primary_key=("figure_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Figure",
        {
            "figure_id": record_id("Stable id of the figure"),
            "measure": text("What the number measures"),
            "value": optional(Annotated[float, Field(allow_inf_nan=False, description="The number in its unit, scale applied (550 billion is 550000000000)")]),
            "unit": choice(FigureUnit, "Unit of value; for money, currency names the currency"),
            "currency": optional(CurrencyCode),
            "scale": choice(Scale, "The scale word the text uses ('billion'), or 'one'"),
            "value_as_written": Annotated[text("The number exactly as the text words it; it occurs in the row's evidence"), ExactCopy()],
            "value_basis": choice(ValueBasis, "Whether value is stated as written or normalized from the wording"),
            "value_note": optional(text("How value was normalized, or why it is empty")),
            "commitment_id": optional(reference("commitments", "The commitment the figure belongs to")),
            "meeting_id": optional(reference("meetings", "The meeting or event the figure belongs to")),
            **NOTE,
            **PROVENANCE,
        },
        validators={"_figure_rules": model_validator(mode="after")(_figure_rules)},
    ),
)

DISCREPANCIES = Table(
    name="discrepancies",
    title="Discrepancies",
    description="Points where the articles disagree about a record; each reading is in discrepancy_readings.",
    primary_key=("discrepancy_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Discrepancy",
        {
            "discrepancy_id": record_id("Stable id of the discrepancy"),
            "subject_table": record_table("Table of the record the articles disagree about"),
            "subject_id": Annotated[str, Field(description="Primary key of that record"), RecordKey("subject_table")],
            "subject_field": optional(Annotated[str, Field(description="The field whose value is disputed, where it is one field")]),
            "description": text("What the articles disagree about"),
            "assessment": text("Which reading the other article and the dataset support, and why"),
            **NOTE,
            **PROVENANCE,
        },
    ),
    rules=(_subject_field_exists,),
)

DISCREPANCY_READINGS = Table(
    name="discrepancy_readings",
    title="Discrepancy readings",
    description="Each article's reading of a disputed point, with its evidence.",
    primary_key=("reading_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "DiscrepancyReading",
        {
            "reading_id": record_id("Stable id of the reading"),
            "discrepancy_id": reference("discrepancies", "The discrepancy this is one reading of"),
            "reading": text("What this article says, in brief"),
            "recorded": Annotated[bool, Field(description="Whether the dataset's record follows this reading")],
            **NOTE,
            **PROVENANCE,
        },
    ),
)

EVIDENCE = Table(
    name="evidence",
    title="Evidence",
    description=(
        "One row per supporting text span: the record it supports and the exact quote, anchored like a "
        "W3C Web Annotation TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector (start, end)."
    ),
    primary_key=("evidence_id",),
    kind=TableKind.EVIDENCE,
    model=row_model(
        "Evidence",
        {
            "evidence_id": derived(Annotated[str, Field(pattern=r"^[a-z_]+/[a-z0-9-]+/[a-z0-9-]+/[0-9]+/[0-9]+-[0-9]+(?:/[a-z_]+)?$", description="Stable id: table/record/article/line/start-end[/field]")]),
            "record_table": derived(record_table("Table of the supported record")),
            "record_id": derived(Annotated[str, Field(description="Primary key of the supported record"), RecordKey("record_table")]),
            "field": derived(optional(Annotated[str, Field(description="The record field whose value the span supports; empty when it supports the record as a whole")])),
            "basis": derived(choice(ValueBasis, "Whether the span states the value, or the value is normalized or inferred from it")),
            "article_id": derived(reference("articles", "The article the span is in")),
            "line": derived(Annotated[LineNumber, Field(description="1-based line number of the span"), References("source_lines")]),
            "char_start": derived(CharOffset),
            "char_end": derived(Annotated[int, Field(ge=1, description="0-based, end-exclusive character offset within the line")]),
            "quote": derived(Annotated[str, Field(min_length=1, description="The exact text of the span: line[char_start:char_end]")]),
            "prefix": derived(optional(Annotated[str, Field(max_length=32, description="Up to 32 characters before the span on its line")])),
            "suffix": derived(optional(Annotated[str, Field(max_length=32, description="Up to 32 characters after the span on its line")])),
            **NOTE,
        },
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (
    ARTICLES, SOURCE_LINES, PEOPLE, PERSON_ROLES, ORGANIZATIONS, LOCATIONS, MEETINGS, MEETING_PARTICIPANTS,
    COMMITMENTS, FIGURES, DISCREPANCIES, DISCREPANCY_READINGS, EVIDENCE,
)}
