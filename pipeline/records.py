"""Tables of the record kind: each valid record with its derived fields, and its evidence anchored."""

from __future__ import annotations

from schema.annotation import EVIDENCE
from schema.table import ARTICLE, LINE, Table, TableKind
from schema.tables import TABLES

from .assembly import Assembly, Where, only
from .derive import with_dates
from .evidence_rows import anchored_evidence, well_formed_refs
from .links import link_rows


def records(assembly: Assembly, table: Table) -> None:
    """Add the table's valid records and their evidence rows; check exact copies and coded values against the evidence."""
    evidence = only(TableKind.EVIDENCE)
    table_column, key_column = evidence.record_keys[0]
    key = table.primary_key[0]
    for item in assembly.load(table):
        record, mapping = item.record, item.mapping
        where = Where.of(item)
        refs = [(n, ref, m) for n, (ref, m) in enumerate(zip(getattr(record, EVIDENCE), mapping[EVIDENCE]))]
        spans = anchored_evidence(assembly, item, refs)
        if spans is None:
            assembly.invalid_ids[table.name].add(item.record_id)
            continue
        quotes = [span["quote"] for span, _ in spans]
        values = record.model_dump(exclude={EVIDENCE, *(link.written_in for link in table.links(TABLES))})
        supported = {span["field"] for span, _ in spans}
        for name, value in values.items():
            if value is None:
                continue
            if table.fields[name].exact_copy and not any(value in quote for quote in quotes):
                assembly.problem(where, table.name, name, f"{value!r} occurs in none of the record's evidence quotes (expected the words as quoted)")
            if table.fields[name].coded and name not in supported:
                assembly.problem(where, table.name, name, f"code {value!r} has no evidence (expected an evidence item with 'field: {name}' quoting what it codes)")
        first = spans[0][0]
        assembly.add_row(table, with_dates(table, values) | {ARTICLE: first[ARTICLE], LINE: first[LINE]}, where)
        for span, span_where in spans:
            assembly.add_row(evidence, span | {table_column: table.name, key_column: values[key]}, span_where)
        link_rows(assembly, item)
    for item in assembly.written.get(table.name, []):
        if item.record is None:  # its own errors are reported; its evidence is still checked
            anchored_evidence(assembly, item, well_formed_refs(item.mapping.get(EVIDENCE)))
