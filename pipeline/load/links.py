"""Tables of the link kind: the items a record lists under a link table's key, one row each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from schema.annotation import annotation_model
from schema.table import Table

from pipeline.load.annotations import WrittenRecord, well_formed
from pipeline.assembly import Assembly, Where, links


def link_rows(assembly: Assembly, item: WrittenRecord) -> None:
    """Add a row to each link table for every item the valid record ``item`` lists under that table's key."""
    for link, row, where in listed(item):
        assembly.add_row(link, row, where)


def listed(item: WrittenRecord) -> Iterator[tuple[Table, dict[str, Any], Where]]:
    """Each item the record lists under a link table's key, as that table's row with its origin. Of a record
    that failed its model, the items that pass their own (so their references are still checked)."""
    for link in links(item.table):
        table_column, key_column = link.record_keys[0]  # the first record key names the record that lists the item
        mappings = item.mapping.get(link.written_in)
        if item.record is not None:
            entries = zip(getattr(item.record, link.written_in) or [], mappings or [])
        else:
            entries = ((entry, mapping) for _, entry, mapping in well_formed(annotation_model(link), mappings))
        for entry, mapping in entries:
            values = entry.model_dump()
            parts = [item.table.name, str(item.record_id), *(v for k, v in values.items() if isinstance(v, str) and k != "note")]  # its text values: a flag is no part of its identity
            row = {link.primary_key[0]: "/".join(parts), table_column: item.table.name, key_column: item.record_id} | values
            yield link, row, Where(item.file, mapping.line, item.record_id, mapping.key_lines)
