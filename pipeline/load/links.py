"""Tables of the link kind: the items a record lists under a link table's key, one row each."""

from __future__ import annotations

from pipeline.load.annotations import WrittenRecord
from pipeline.assembly import Assembly, Where, links


def link_rows(assembly: Assembly, item: WrittenRecord) -> None:
    """Add a row to each link table for every item the valid record ``item`` lists under that table's key."""
    for link in links(item.table):
        table_column, key_column = link.record_keys[0]  # the first record key names the record that lists the item
        written = getattr(item.record, link.written_in) or []
        mappings = item.mapping.get(link.written_in) or []
        for entry, mapping in zip(written, mappings):
            values = entry.model_dump()
            parts = [item.table.name, str(item.record_id), *(str(v) for k, v in values.items() if v is not None and k != "note")]
            row = {link.primary_key[0]: "/".join(parts), table_column: item.table.name, key_column: item.record_id} | values
            assembly.add_row(link, row, Where(item.file, mapping.line, item.record_id, mapping.key_lines))
