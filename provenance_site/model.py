"""What the pages show, computed from the published tables: labels, addresses, links in both
directions, evidence in its sentences. Tables are found by kind (schema.table.TableKind) wherever the
page does not name a particular table; the few sections the site is about by name (claims, relations,
citations, comparisons, meetings) name their tables once, here."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipeline.check.coverage import split_sentences
from schema.table import ARTICLE, LINE, LINE_TEXT, Table, TableKind, date_prefixes, sentence_accounting_tables, table_of_kind
from schema.tables import TABLES

from .load import Package, Row
from .segments import Node, Span, layout, ranges

# The tables whose sections the site names.
CLAIMS, CLAIM_SUBJECTS, RELATIONS, CITATIONS, REFERENCES = "claims", "claim_subjects", "relations", "citations", "external_references"
COMPARISONS, READINGS, MEETINGS = "comparisons", "comparison_readings", "meetings"

TEXT_PATTERN = r"^\S(?:.*\S)?$"  # the pattern of free text (schema.fields.text)
LABEL_LENGTH = 90
SAFE_NAME = re.compile(r"[a-z0-9]+(?:--?[a-z0-9]+)*")  # schema.fields.ID_PATTERN: lower-case words joined by "-" or "--"
FILE_NAME_LENGTH = 100

Key = tuple[str, str]  # (table, primary key)


def file_name(value: Any) -> str:
    """The file name of the page of id ``value``, never a path: an id of the schema's pattern as it is, anything
    else (a damaged or hostile package) as '~' and a SHA-256 of it, which no id of the pattern can equal."""
    text = str(value)
    if len(text) <= FILE_NAME_LENGTH and SAFE_NAME.fullmatch(text):
        return text
    return "~" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def record_tables() -> list[Table]:
    """Every table of annotated records, in declaration order."""
    return [t for t in TABLES.values() if t.kind == TableKind.RECORD]


def humanize(value: str) -> str:
    """'unattributed-preview' -> 'Unattributed preview'; 'rapport_with' -> 'rapport with'."""
    words = value.replace("_", " ").replace("-", " ").split()
    return " ".join(words)


def shorten(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def date_text(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def date_group_fields(table: Table) -> dict[str, str]:
    """Field name -> the date prefix whose group it belongs to (the value and its six companions)."""
    group = {}
    for prefix in date_prefixes(table.model):
        for suffix in ("", "_precision", "_earliest", "_latest", "_basis", "_as_written", "_note"):
            group[prefix + suffix] = prefix
    return group


def label_field(table: Table) -> str | None:
    """The first free-text field after the key that is not a note or part of a date."""
    dates = date_group_fields(table)
    for name, spec in table.fields.items():
        if (name not in table.primary_key and name not in dates and name != "note" and not spec.references
                and not spec.record_key and spec.pattern == TEXT_PATTERN and not spec.derived):
            return name
    return None


@dataclass(frozen=True)
class Link:
    """A pointer from one record's field to another record."""

    field: str
    table: str
    id: str


@dataclass(frozen=True)
class Quote:
    """An evidence span shown within its sentence(s)."""

    evidence: Row
    before: str
    after: str
    sentences: str  # e.g. "sentence 3" or "sentences 3-4"

    @property
    def id(self) -> str:
        return self.evidence["evidence_id"]

    @property
    def quote(self) -> str:
        return self.evidence["quote"]


@dataclass
class Sentence:
    article_id: str
    line: int
    number: int  # 1-based within the line
    start: int
    end: int
    text: str
    nodes: list[Node]
    claimed: bool
    records: list[Key] = field(default_factory=list)  # every record quoting it, in table order

    @property
    def anchor(self) -> str:
        return f"s-{self.line}-{self.number}"


class Site:
    """The published package, indexed for the pages."""

    def __init__(self, package: Package):
        self.package = package
        self.tables = package.tables
        self.evidence_table = table_of_kind(TABLES, TableKind.EVIDENCE)
        self.source_table = table_of_kind(TABLES, TableKind.SOURCE)
        self.lines_table = table_of_kind(TABLES, TableKind.SOURCE_LINES)
        self.record_tables = record_tables()
        self.rows: dict[str, dict[str, Row]] = {}
        for table in [self.source_table, *self.record_tables]:
            (key,) = table.primary_key
            self.rows[table.name] = {row[key]: row for row in self.tables[table.name]}
        self.table_order = {name: index for index, name in enumerate(TABLES)}
        self.line_text = {(r[ARTICLE], r[LINE]): r[LINE_TEXT] for r in self.tables[self.lines_table.name]}
        self.sentence_bounds = {key: split_sentences(text) for key, text in self.line_text.items()}
        (self.evidence_key,) = self.evidence_table.primary_key
        self.evidence_table_column, self.evidence_id_column = self.evidence_table.record_keys[0]
        self.evidence = {row[self.evidence_key]: row for row in self.tables[self.evidence_table.name]}
        self.evidence_of: dict[Key, list[Row]] = defaultdict(list)
        self.evidence_on: dict[tuple[str, int], list[Row]] = defaultdict(list)
        for row in self.tables[self.evidence_table.name]:
            self.evidence_of[self.record_of(row)].append(row)
            self.evidence_on[(row[ARTICLE], row[LINE])].append(row)
        self._index_links()

    # --- records -------------------------------------------------------------------------------

    def record_of(self, evidence: Row) -> Key:
        return evidence[self.evidence_table_column], evidence[self.evidence_id_column]

    def exists(self, key: Key) -> bool:
        return key[0] in self.rows and key[1] in self.rows[key[0]]

    def row(self, key: Key) -> Row:
        return self.rows[key[0]][key[1]]

    def href(self, key: Key) -> str | None:
        """The record's page, relative to the site root (articles have article pages)."""
        if not self.exists(key):
            return None
        if key[0] == self.source_table.name:
            return f"articles/{file_name(key[1])}.html"
        return f"records/{key[0]}/{file_name(key[1])}.html"  # key[0] is a declared table: exists() says so

    def title(self, table: str) -> str:
        return TABLES[table].title

    def label(self, key: Key, depth: int = 0) -> str:
        """A readable name: the record's first free-text field; for a record without one, the records
        and values it joins ('Sanae Takaichi · rapport with · Shinzo Abe'); else its id."""
        if not self.exists(key):
            return key[1]
        table, row = TABLES[key[0]], self.row(key)
        name = label_field(table)
        if name and row.get(name):
            return shorten(str(row[name]))
        if table.kind == TableKind.SOURCE:
            return humanize(key[1]).capitalize()
        if depth == 0:
            parts = []
            table_columns = {column for column, _ in table.record_keys}
            for link in self.links_from(key):
                parts.append(self.label((link.table, link.id), depth + 1))
            dates = date_group_fields(table)
            enums = [humanize(str(row[n])) for n, spec in table.fields.items()
                     if spec.enum and n not in table_columns and n not in dates and row.get(n) is not None]
            if parts:
                # keep the order of the fields: the first link, the vocabulary values, the other links
                return shorten(" · ".join([parts[0], *enums, *parts[1:]]))
        return key[1]

    def key_column(self, table: str) -> str:
        return TABLES[table].primary_key[0]

    def links_from(self, key: Key) -> list[Link]:
        """The records this record's fields point to: foreign keys and keys into a named table."""
        table, row = TABLES[key[0]], self.row(key)
        links = []
        key_columns = {column: table_column for table_column, column in table.record_keys}
        for name in table.fields:
            if name == ARTICLE and table.kind == TableKind.RECORD:
                continue  # provenance: shown as the record's first evidence
            value = row.get(name)
            if value is None:
                continue
            target = next((fk.table for fk in table.foreign_keys if fk.fields == (name,)), None)
            if target is None and name in key_columns:
                target = row.get(key_columns[name])
            if target is not None and self.exists((target, value)):
                links.append(Link(name, target, value))
        return links

    def _index_links(self) -> None:
        self.links_to: dict[Key, list[tuple[Key, str]]] = defaultdict(list)
        for table in self.record_tables:
            for record_id in self.rows[table.name]:
                for link in self.links_from((table.name, record_id)):
                    self.links_to[(link.table, link.id)].append(((table.name, record_id), link.field))
        self.claims_about: dict[Key, list[str]] = defaultdict(list)
        self.subjects_of: dict[str, list[Key]] = defaultdict(list)
        subject_links = TABLES[CLAIM_SUBJECTS]
        (claim_columns, subject_columns) = subject_links.record_keys
        for row in self.tables[CLAIM_SUBJECTS]:
            claim = row[claim_columns[1]]
            subject = (row[subject_columns[0]], row[subject_columns[1]])
            self.claims_about[subject].append(claim)
            self.subjects_of[claim].append(subject)
        self.citations_of: dict[Key, list[Row]] = defaultdict(list)
        self.cited_by: dict[str, list[Row]] = defaultdict(list)
        (citing_columns,) = TABLES[CITATIONS].record_keys
        for row in self.tables[CITATIONS]:
            self.citations_of[(row[citing_columns[0]], row[citing_columns[1]])].append(row)
            self.cited_by[row["reference_id"]].append(row)
        self.relations_of: dict[Key, list[tuple[str, Row]]] = defaultdict(list)
        subject, obj = TABLES[RELATIONS].record_keys
        for row in self.tables[RELATIONS]:
            self.relations_of[(row[subject[0]], row[subject[1]])].append(("subject", row))
            self.relations_of[(row[obj[0]], row[obj[1]])].append(("object", row))

    # --- sentences and evidence -----------------------------------------------------------------

    def rank(self, evidence: Row) -> tuple:
        """How specific an evidence row is, after its length: entity tables first (declaration order)."""
        table, record = self.record_of(evidence)
        return (self.table_order.get(table, 99), record, evidence.get("field") or "")

    def spans(self, article_id: str, line: int) -> list[Span]:
        return [Span(e[self.evidence_key], e["char_start"], e["char_end"], self.rank(e))
                for e in self.evidence_on[(article_id, line)]]

    @cached_property
    def sentence_accounting_tables(self) -> set[str]:
        return set(sentence_accounting_tables(TABLES))

    def sentences(self, article_id: str, line: int) -> list[Sentence]:
        """The line's sentences, each with its highlight nodes and the records that quote it."""
        text = self.line_text[(article_id, line)]
        bounds = self.sentence_bounds[(article_id, line)] or [(0, len(text))]
        spans = self.spans(article_id, line)
        evidence = self.evidence_on[(article_id, line)]
        result = []
        for number, ((start, end), (lo, hi)) in enumerate(zip(bounds, ranges(len(text), bounds)), start=1):
            quoting = [e for e in evidence if e["char_start"] < end and e["char_end"] > start]
            records = sorted({self.record_of(e) for e in quoting}, key=lambda k: (self.table_order[k[0]], k[1]))
            claimed = any(k[0] in self.sentence_accounting_tables for k in records)
            result.append(Sentence(article_id, line, number, start, end, text[start:end], layout(text, lo, hi, spans), claimed, records))
        return result

    def quote(self, evidence: Row) -> Quote:
        """The evidence with the rest of the sentence(s) it lies in."""
        text = self.line_text[(evidence[ARTICLE], evidence[LINE])]
        start, end = evidence["char_start"], evidence["char_end"]
        bounds = self.sentence_bounds[(evidence[ARTICLE], evidence[LINE])] or [(0, len(text))]
        numbers = [n for n, (s, e) in enumerate(bounds, start=1) if s < end and e > start] or [1]
        lo = min(start, bounds[numbers[0] - 1][0])
        hi = max(end, bounds[numbers[-1] - 1][1])
        which = f"sentence {numbers[0]}" if len(numbers) == 1 else f"sentences {numbers[0]}–{numbers[-1]}"
        return Quote(evidence, text[lo:start], text[end:hi], which)

    def quotes(self, key: Key, field_name: str | None = None, *, any_field: bool = False) -> list[Quote]:
        rows = self.evidence_of.get(key, [])
        if not any_field:
            rows = [e for e in rows if e.get("field") == field_name]
        return [self.quote(e) for e in rows]

    def evidence_on_article(self, article_id: str) -> list[Row]:
        return [e for (article, _), rows in sorted(self.evidence_on.items()) if article == article_id for e in rows]

    def article_label(self, article_id: str) -> str:
        return self.label((self.source_table.name, article_id))


def display(value: Any) -> str:
    """A value as text: booleans as yes/no, whole floats without '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
