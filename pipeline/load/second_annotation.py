"""The two annotations to compare, as agreement records: the dataset's (from its published tables) and the
second annotation's (``agreement/second_annotation/<table>.yaml``, written like ``annotations/`` and anchored alike)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schema.annotation import EVIDENCE
from schema.table import ARTICLE, LINE, Table, TableKind, table_of_kind

from pipeline.check.agreement import Record, Span, grouped
from pipeline.load.anchoring import AnchorError, anchor
from pipeline.load.annotations import WrittenRecord, load_file
from pipeline.load.sources import Source
from pipeline.problems import InvalidInput, Problem
from pipeline.project import SECOND_ANNOTATION_DIR


def _written(table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: values.get(name) for name in table.fields if table.annotated_field(name)}


def dataset_records(tables: Mapping[str, Table], rows: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[Record]]:
    """Every record of every table with evidence, from the published rows of each table (``rows`` by table name)."""
    evidence = table_of_kind(dict(tables), TableKind.EVIDENCE)
    spans = grouped(rows[evidence.name], *evidence.record_keys[0])
    result = {}
    for name, table in tables.items():
        if not table.has_evidence:
            continue
        key = table.primary_key[0]
        links = {link.written_in: grouped(rows[link.name], *link.record_keys[0]) for link in table.links(dict(tables))}
        result[name] = [
            Record(
                key=row[key],
                values=_written(table, row),
                spans=tuple((s[ARTICLE], s[LINE], s["char_start"], s["char_end"], s["field"]) for s in spans.get((name, row[key]), [])),
                links={list_name: tuple(items.get((name, row[key]), ())) for list_name, items in links.items()},
            )
            for row in rows[name]
        ]
    return result


def _spans(item: WrittenRecord, sources: Mapping[str, Source], problems: list[Problem]) -> tuple[Span, ...]:
    """The record's evidence anchored in its lines; a quote that cannot be is a problem."""
    spans = []
    for number, (ref, mapping) in enumerate(zip(getattr(item.record, EVIDENCE), item.mapping[EVIDENCE])):
        def fail(name: str, message: str) -> None:
            problems.append(Problem(file=item.file, line=mapping.line, table=item.table.name, record_id=item.record_id,
                                    field=f"evidence[{number}].{name}", message=message))

        source = sources.get(ref.article)
        if source is None:
            fail("article", f"unknown article {ref.article!r} (expected one of: {', '.join(sorted(sources))})")
            continue
        line = source.line(ref.line)
        if line is None:
            fail("line", f"line {ref.line} is outside {ref.article} (expected 1 to {len(source.lines)})")
            continue
        try:
            found = anchor(line, ref.quote, ref.occurrence)
        except AnchorError as error:
            fail("quote", str(error))
            continue
        spans.append((ref.article, ref.line, found.char_start, found.char_end, ref.field))
    return tuple(spans)


def _links(table: Table, tables: Mapping[str, Table], item: WrittenRecord) -> dict[str, tuple[dict[str, Any], ...]]:
    return {link.written_in: tuple(entry.model_dump() for entry in getattr(item.record, link.written_in) or ())
            for link in table.links(dict(tables))}


def second_records(root: Path, tables: Mapping[str, Table], sources: Mapping[str, Source]) -> dict[str, list[Record]] | None:
    """The second annotation's records, for each table it has a file for; None when there is no second annotation.
    Raises ``InvalidInput`` listing every problem: a record its model refuses, a quote not in its line, a key
    written twice, a file no table reads."""
    folder = root / SECOND_ANNOTATION_DIR
    if not folder.is_dir():
        return None
    names = [name for name, table in tables.items() if table.has_evidence]
    problems = [Problem(file=path.relative_to(root).as_posix(), message=f"nothing reads this file (expected <table>.yaml, one of: {', '.join(names)})")
                for path in sorted(folder.iterdir()) if not path.name.startswith(".") and (path.suffix != ".yaml" or path.stem not in names)]
    result = {}
    for name in names:
        relative = f"{SECOND_ANNOTATION_DIR}/{name}.yaml"
        if not (root / relative).exists():
            continue
        table = tables[name]
        items, found = load_file(root, table, relative)
        problems += found
        valid = [item for item in items or [] if item.record is not None]
        for key, count in Counter(item.record_id for item in valid).items():
            if count > 1:
                problems.append(Problem(file=relative, table=name, record_id=key, field=table.primary_key[0],
                                        message=f"{table.primary_key[0]} {key!r} is written {count} times (expected one record per key)"))
        result[name] = [Record(key=item.record_id, values=_written(table, item.record.model_dump()),
                               spans=_spans(item, sources, problems), links=_links(table, tables, item)) for item in valid]
    if problems:
        raise InvalidInput(problems)
    return result
