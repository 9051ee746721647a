"""Anchor each evidence item a record lists in its source line, as a row of the evidence table."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from japan_us_summit._suggest import did_you_mean
from schema.annotation import EvidenceRef
from schema.table import ARTICLE, LINE, TableKind

from pipeline.load.anchoring import AnchorError, anchor
from pipeline.load.annotations import WrittenRecord, well_formed
from pipeline.assembly import Assembly, Where, only
from pipeline.load.derive import evidence_id
from pipeline.load.yaml_source import Located

Span = tuple[dict[str, Any], Where]


def anchored_evidence(assembly: Assembly, item: WrittenRecord, refs: list[tuple[int, EvidenceRef, Located]]) -> list[Span] | None:
    """Each evidence item (numbered as written) anchored in its source line, or None after reporting why one cannot be."""
    table, sources = item.table, only(TableKind.SOURCE).name
    spans, ok, seen = [], True, {}
    for number, ref, mapping in refs:
        where = Where(item.file, mapping.line, item.record_id, {f"evidence[{number}].{k}": v for k, v in mapping.key_lines.items()})

        def fail(name: str, message: str) -> None:
            assembly.problem(where, table.name, f"evidence[{number}].{name}", message)

        source = assembly.sources.get(ref.article)
        if source is None:
            if ref.article not in assembly.invalid_ids[sources] and sources not in assembly.unreadable:
                hint = did_you_mean(ref.article, assembly.sources)
                fail("article", f"unknown article {ref.article!r} ({hint + ' ' if hint else ''}expected one of: {', '.join(sorted(assembly.sources))})")
            ok = False  # a source that is there but unusable is reported once, at its row
            continue
        text = source.line(ref.line)
        if text is None:
            fail("line", f"line {ref.line} is outside {ref.article} (expected 1 to {len(source.lines)})")
            ok = False
            continue
        if ref.field is not None and not table.annotated_field(ref.field):
            annotated = [name for name in table.fields if table.annotated_field(name)]
            hint = did_you_mean(ref.field, annotated)
            fail("field", f"{ref.field!r} is not an annotated field of {table.name} ({hint + ' ' if hint else ''}expected one of: {', '.join(annotated)})")
            ok = False
        try:
            found = anchor(text, ref.quote, ref.occurrence)
        except AnchorError as error:
            fail("quote", str(error))
            ok = False
            continue
        span_id = evidence_id(table.name, str(item.record_id), ref.article, ref.line, found, ref.field)
        if span_id in seen:
            assembly.problem(where, table.name, f"evidence[{number}]", f"repeats evidence[{seen[span_id]}] (same article, line, span and field; remove one)")
            ok = False
            continue
        seen[span_id] = number
        row = {
            "evidence_id": span_id,
            "field": ref.field,
            "basis": ref.basis,
            ARTICLE: ref.article,
            LINE: ref.line,
            "char_start": found.char_start,
            "char_end": found.char_end,
            "quote": ref.quote,
            "prefix": found.prefix,
            "suffix": found.suffix,
            "note": ref.note,
        }
        spans.append((row, Where(item.file, mapping.line, item.record_id, {})))
    return spans if ok else None


def well_formed_refs(items: Any) -> list[tuple[int, EvidenceRef, Located]]:
    """The evidence items of an invalid record that are themselves well formed (their errors are reported already)."""
    return well_formed(EvidenceRef, items)
