"""The one registry of declared tables: ``schema.tables`` registers its declarations here once, and the generic
code (``table``, ``field_spec``, ``annotation``) looks them up at call time instead of importing them."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

_declared: dict[str, Any] = {}


def declare(tables: Mapping[str, Any]) -> None:
    """Register the declared tables, by name, in declaration order (done once, by ``schema.tables``)."""
    if _declared and dict(tables) != _declared:
        raise RuntimeError("the tables are declared twice, differently")
    _declared.update(tables)
    record_table_names.cache_clear()


def declared() -> Mapping[str, Any]:
    """Every declared table by name; the declarations must have been imported (``import schema.tables``)."""
    if not _declared:
        raise LookupError("no tables are declared yet: import schema.tables before using the generic schema code")
    return _declared


@cache
def record_table_names() -> tuple[str, ...]:
    """Every table whose rows people write (kinds source and record), in declaration order."""
    return tuple(name for name, table in declared().items() if table.annotated)
