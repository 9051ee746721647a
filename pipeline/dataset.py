"""Assemble the dataset from annotations and sources, validating at every level; raise with every problem."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa_
import pyarrow as pa
from pydantic import ValidationError

from schema.annotation import EvidenceRef
from schema.arrow_schema import arrow_schema
from schema.pandera_schema import pandera_schema
from schema.table import Table
from schema.tables import TABLES

from .anchoring import AnchorError, anchor
from .annotations import NO_FACT_FILE, Annotated, load_table, unknown_files
from .cross_checks import Unchecked, all_findings
from .derive import evidence_id, with_dates
from .problems import InvalidInput, Problem
from .project import version
from .sources import Source, SourceError, read_source
from .yaml_source import Located

SOURCES_DIR = "sources"
PANDAS_TYPES = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.float64(): pd.Float64Dtype()}


@dataclass(frozen=True)
class Where:
    """Where a published row came from: the file, the record's line, and each field's line."""

    file: str
    line: int | None
    record_id: str | None = None
    field_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Dataset:
    """The validated tables, in publishing order, as Arrow tables."""

    tables: dict[str, pa.Table]
    sources: dict[str, Source]
    version: str

    def row_counts(self) -> dict[str, int]:
        return {name: table.num_rows for name, table in self.tables.items()}


def to_frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=PANDAS_TYPES.get)


class _Assembly:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.where: dict[str, list[Where]] = {name: [] for name in TABLES}
        self.written: dict[str, list[Annotated]] = {}  # every record as written, valid or not
        self.invalid_ids: dict[str, set[str]] = {name: set() for name in TABLES}
        self.unreadable: set[str] = set()  # tables whose file cannot be read: references to them go unchecked
        self.sources: dict[str, Source] = {}

    def problem(self, where: Where, table: str, field: str | None, message: str) -> None:
        line = where.field_lines.get(field, where.line) if field else where.line
        self.problems.append(Problem(where.file, line, table, where.record_id, field, message))

    def add_row(self, table: Table, values: dict[str, Any], where: Where) -> None:
        try:
            row = table.model.model_validate(values)
        except ValidationError as error:
            for detail in error.errors():
                column = str(detail["loc"][0]) if detail["loc"] else None
                self.problem(where, table.name, column, detail["msg"])
            return
        self.rows[table.name].append(row.model_dump())
        self.where[table.name].append(where)

    def load(self, table: Table) -> list[Annotated]:
        """The valid records of ``table``; invalid ones are reported, and their evidence still checked."""
        loaded, problems = load_table(self.root, table)
        self.problems += problems
        if loaded is None:
            self.unreadable.add(table.name)
            return []
        self.written[table.name] = loaded
        key = table.primary_key[0]
        counts = Counter(item.record_id for item in loaded if item.record_id is not None)
        for item in loaded:
            if counts[item.record_id] > 1:
                self.problem(Where(item.file, item.mapping.line, item.record_id, item.mapping.key_lines), table.name, key,
                             _duplicate_message(table, item.record_id))
        valid = []
        for item in loaded:
            if item.record is not None and counts[item.record_id] == 1:
                valid.append(item)
                continue
            self.invalid_ids[table.name].add(item.record_id)
            if table.has_evidence:
                self.anchored_evidence(item, _valid_refs(item.mapping.get("evidence")))
        return valid

    def articles(self) -> None:
        """Read and check each article's source; an article whose source is unusable is reported once, here."""
        table = TABLES["articles"]
        files: dict[str, str] = {}
        for item in self.load(table):
            where = Where(item.file, item.mapping.line, item.record_id, item.mapping.key_lines)
            record = item.record
            source = self._source(item, where, files.get(record.file))
            files.setdefault(record.file, record.article_id)
            if source is None:
                self.invalid_ids[table.name].add(record.article_id)
                continue
            self.sources[record.article_id] = source
            self.add_row(table, with_dates(table, record.model_dump() | {"line_count": len(source.lines)}), where)
        described = {item.mapping.get("file") for item in self.written.get(table.name, [])}
        for path in sorted((self.root / SOURCES_DIR).glob("*")):
            if path.name not in described and table.name not in self.unreadable:
                self.problems.append(Problem(f"{SOURCES_DIR}/{path.name}", None, None, None, None,
                                             "no row of annotations/articles.yaml describes this source"))

    def _source(self, item: Annotated, where: Where, described_by: str | None) -> Source | None:
        """The article's source, checked; None after reporting why it cannot be used."""
        record, table = item.record, item.table.name
        if described_by is not None:
            self.problem(where, table, "file", f"{record.file} is already described by article {described_by!r} (expected one article per file)")
            return None
        path = self.root / SOURCES_DIR / record.file
        if not path.is_file():
            self.problem(where, table, "file", f"{SOURCES_DIR}/{record.file} does not exist")
            return None
        try:
            source = read_source(path, record.article_id)
        except SourceError as error:
            self.problems.append(Problem(f"{SOURCES_DIR}/{record.file}", error.line, table, record.article_id, None, error.message))
            return None
        if source.sha256 != record.sha256:
            self.problem(where, table, "sha256",
                         f"{SOURCES_DIR}/{record.file} has SHA-256 {source.sha256}, not the recorded one "
                         "(expected the file unchanged since annotation; restore it, or re-check every quote and update sha256)")
            return None
        return source

    def source_lines(self) -> None:
        table = TABLES["source_lines"]
        for article_id, source in self.sources.items():
            for number, text in enumerate(source.lines, start=1):
                if text.strip():
                    self.add_row(table, {"article_id": article_id, "line": number, "text": text},
                                 Where(f"{SOURCES_DIR}/{source.file}", number))

    def records(self, table: Table) -> None:
        key = table.primary_key[0]
        for item in self.load(table):
            record, mapping = item.record, item.mapping
            where = Where(item.file, mapping.line, item.record_id, mapping.key_lines)
            spans = self.anchored_evidence(item, [(n, ref, m) for n, (ref, m) in enumerate(zip(record.evidence, mapping["evidence"]))])
            if spans is None:
                self.invalid_ids[table.name].add(item.record_id)
                continue
            quotes = [span["quote"] for span, _ in spans]
            values = record.model_dump(exclude={"evidence"})
            supported = {span["field"] for span, _ in spans}
            for name, value in values.items():
                if value is None:
                    continue
                if name.endswith("as_written") and not any(value in quote for quote in quotes):
                    self.problem(where, table.name, name, f"{value!r} occurs in none of the record's evidence quotes (expected the words as quoted)")
                if table.fields[name].coded and name not in supported:
                    self.problem(where, table.name, name, f"code {value!r} has no evidence (expected an evidence item with 'field: {name}' quoting what it codes)")
            first = spans[0][0]
            self.add_row(table, with_dates(table, values) | {"article_id": first["article_id"], "line": first["line"]}, where)
            for span, span_where in spans:
                self.add_row(TABLES["evidence"], span | {"record_table": table.name, "record_id": values[key]}, span_where)

    def anchored_evidence(self, item: Annotated, refs: list[tuple[int, EvidenceRef, Located]]) -> list[tuple[dict[str, Any], Where]] | None:
        """Each evidence item (numbered as written) anchored in its source line, or None after reporting why one cannot be."""
        table = item.table
        spans, ok, seen = [], True, {}
        for number, ref, mapping in refs:
            where = Where(item.file, mapping.line, item.record_id,
                          {f"evidence[{number}].{k}": v for k, v in mapping.key_lines.items()})

            def fail(name: str, message: str) -> None:
                self.problem(where, table.name, f"evidence[{number}].{name}", message)

            source = self.sources.get(ref.article)
            if source is None:
                if ref.article not in self.invalid_ids["articles"] and "articles" not in self.unreadable:
                    fail("article", f"unknown article {ref.article!r} (expected one of: {', '.join(sorted(self.sources))})")
                ok = False  # an article that is there but unusable is reported once, at the article
                continue
            text = source.line(ref.line)
            if text is None:
                fail("line", f"line {ref.line} is outside {ref.article} (expected 1 to {len(source.lines)})")
                ok = False
                continue
            if ref.field is not None and (ref.field not in table.fields or ref.field in table.derived_fields):
                fail("field", f"{ref.field!r} is not an annotated field of {table.name}")
                ok = False
            try:
                found = anchor(text, ref.quote, ref.occurrence)
            except AnchorError as error:
                fail("quote", str(error))
                ok = False
                continue
            span_id = evidence_id(table.name, str(item.record_id), ref.article, ref.line, found, ref.field)
            if span_id in seen:
                self.problem(where, table.name, f"evidence[{number}]",
                             f"repeats evidence[{seen[span_id]}] (same article, line, span and field; remove one)")
                ok = False
                continue
            seen[span_id] = number
            spans.append((
                {
                    "evidence_id": span_id,
                    "field": ref.field,
                    "basis": ref.basis,
                    "article_id": ref.article,
                    "line": ref.line,
                    "char_start": found.char_start,
                    "char_end": found.char_end,
                    "quote": ref.quote,
                    "prefix": found.prefix,
                    "suffix": found.suffix,
                    "note": ref.note,
                },
                Where(item.file, mapping.line, item.record_id, {}),
            ))
        return spans if ok else None


def _duplicate_message(table: Table, value: Any) -> str:
    return f"duplicate {'/'.join(table.primary_key)} {value!r} (expected each to be unique)"


def _valid_refs(items: Any) -> list[tuple[int, EvidenceRef, Located]]:
    """The evidence items of an invalid record that are themselves well formed (their errors are reported already)."""
    refs = []
    for number, mapping in enumerate(items if isinstance(items, list) else []):
        if not isinstance(mapping, Located):
            continue
        try:
            refs.append((number, EvidenceRef.model_validate(dict(mapping)), mapping))
        except ValidationError:
            continue
    return refs


def _frame(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return to_frame(pa.Table.from_pylist(rows, schema=arrow_schema(table)))


def _pandera_problems(assembly: _Assembly, table: Table, frame: pd.DataFrame) -> None:
    """Level 2: the table as a whole (types, nullability, vocabularies, ranges, uniqueness)."""
    try:
        pandera_schema(table).validate(frame, lazy=True)
    except pa_.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples():
            column = case.column if isinstance(case.column, str) else None
            index = case.index if pd.notna(case.index) else None
            where = assembly.where[table.name][int(index)] if index is not None else Where(f"annotations/{table.name}.yaml", None)
            check = str(case.check)
            if "uniqueness" in check:
                message = _duplicate_message(table, case.failure_case)
            else:
                message = f"fails {check} (got {case.failure_case!r})"
            assembly.problem(where, table.name, column, message)


def assemble(root: Path) -> Dataset:
    """Load, derive and validate everything under ``root``; raise ``InvalidInput`` listing every problem."""
    assembly = _Assembly(root)
    assembly.problems += unknown_files(root, {f"{t.name}.yaml" for t in TABLES.values() if t.annotated} | {Path(NO_FACT_FILE).name})
    assembly.articles()
    assembly.source_lines()
    for table in TABLES.values():
        if table.annotated and table.has_evidence:
            assembly.records(table)
    frames = {}
    for table in TABLES.values():
        frames[table.name] = _frame(table, assembly.rows[table.name])
        _pandera_problems(assembly, table, frames[table.name])
    for finding in all_findings(TABLES, frames, Unchecked(assembly.invalid_ids, frozenset(assembly.unreadable))):
        assembly.problem(assembly.where[finding.table][finding.index], finding.table, finding.field, finding.message)
    if assembly.problems:
        raise InvalidInput(assembly.problems)
    return Dataset({name: _published(TABLES[name], frames[name]) for name in TABLES}, assembly.sources, version(root))


def _published(table: Table, frame: pd.DataFrame) -> pa.Table:
    """The table in publishing order: by primary key; evidence by record, keeping each record's order."""
    if table.name == "evidence":
        order = {name: position for position, name in enumerate(TABLES)}
        frame = frame.assign(_t=frame["record_table"].map(order)).sort_values(["_t", "record_id"], kind="stable").drop(columns="_t")
    else:
        frame = frame.sort_values(list(table.primary_key), kind="stable")
    return pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)
