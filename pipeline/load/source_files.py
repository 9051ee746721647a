"""Tables of the source kinds: each source row's file read and checked, and every line of every source."""

from __future__ import annotations

from schema.table import LINE_TEXT, SOURCE_FILE, SOURCE_LINE_COUNT, SOURCE_SHA256, Table, TableKind

from pipeline.load.annotations import WrittenRecord
from pipeline.assembly import Assembly, Where, links, only
from pipeline.load.derive import with_dates
from pipeline.load.links import link_rows
from pipeline.problems import Problem
from pipeline.project import ANNOTATIONS_DIR, SOURCES_DIR
from pipeline.load.sources import Source, SourceError, read_source


def read_sources(assembly: Assembly, table: Table) -> None:
    """Read and check the file of each row of a source table; a source that is unusable is reported once, here."""
    files: dict[str, str | None] = {}
    for item in assembly.load(table):
        where = Where.of(item)
        record = item.record
        file = getattr(record, SOURCE_FILE)
        source = _source(assembly, item, where, files.get(file))
        files.setdefault(file, item.record_id)
        if source is None:
            assembly.invalid_ids[table.name].add(item.record_id)
            continue
        assembly.sources[item.record_id] = source
        values = record.model_dump(exclude={link.written_in for link in links(table)})
        assembly.add_row(table, with_dates(table, values | {SOURCE_LINE_COUNT: len(source.lines)}), where)
        link_rows(assembly, item)
    described = {item.mapping.get(SOURCE_FILE) for item in assembly.written.get(table.name, [])}
    for path in sorted((assembly.root / SOURCES_DIR).glob("*")):
        if path.name not in described and table.name not in assembly.unreadable:
            assembly.problems.append(Problem(file=f"{SOURCES_DIR}/{path.name}",
                                             message=f"no row of {ANNOTATIONS_DIR}/{table.name}.yaml describes this source"))


def _source(assembly: Assembly, item: WrittenRecord, where: Where, described_by: str | None) -> Source | None:
    """The row's source, checked; None after reporting why it cannot be used."""
    record, table = item.record, item.table.name
    file, recorded = getattr(record, SOURCE_FILE), getattr(record, SOURCE_SHA256)
    if described_by is not None:
        assembly.problem(where, table, SOURCE_FILE, f"{file} is already described by {table} row {described_by!r} (expected one row per file)")
        return None
    path = assembly.root / SOURCES_DIR / file
    if not path.is_file():
        assembly.problem(where, table, SOURCE_FILE, f"{SOURCES_DIR}/{file} does not exist")
        return None
    try:
        source = read_source(path, item.record_id)
    except SourceError as error:
        assembly.problems.append(Problem(file=f"{SOURCES_DIR}/{file}", line=error.line, table=table, record_id=item.record_id, message=error.message))
        return None
    if source.sha256 != recorded:
        assembly.problem(where, table, SOURCE_SHA256,
                         f"{SOURCES_DIR}/{file} has SHA-256 {source.sha256}, not the recorded one "
                         "(expected the file unchanged since annotation; restore it, or re-check every quote and update sha256)")
        return None
    return source


def source_lines(assembly: Assembly) -> None:
    """One row per non-blank line of every source read."""
    table = only(TableKind.SOURCE_LINES)
    source_key, line_key = table.primary_key
    for source_id, source in assembly.sources.items():
        for number, text in enumerate(source.lines, start=1):
            if text.strip():
                assembly.add_row(table, {source_key: source_id, line_key: number, LINE_TEXT: text},
                                 Where(f"{SOURCES_DIR}/{source.file}", number))
