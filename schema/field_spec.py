"""Read a row model's fields into plain ``FieldSpec`` facts: the single input of every generator."""

from __future__ import annotations

import datetime as dt
import enum
import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types as at
from pydantic.fields import FieldInfo

from .registry import record_table_names
from .fields import Coded, DateValue, Derived, ExactCopy, External, RecordKey, RecordTableName, References, Scheme

KINDS = {str: "string", int: "integer", float: "number", bool: "boolean", dt.date: "date"}
RECORD_TABLE_VOCABULARY = "RecordTable"  # the vocabulary of a column naming a record table: every declared one


@dataclass(frozen=True)
class FieldSpec:
    """One column, as every schema form needs it."""

    name: str
    kind: str  # a Table Schema type: string, integer, number, boolean or date
    required: bool
    description: str
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    references: str | None = None
    derived: bool = False
    date_value: bool = False
    coded: bool = False
    exact_copy: bool = False
    external: bool = False  # a value from outside the articles: the record cites a reference for it
    scheme: Scheme | None = None  # the public identifier or coordinate scheme its values belong to
    record_key: str | None = None  # the column naming the record table this key points into
    vocabulary: str | None = None  # the name of the closed vocabulary ``enum`` comes from


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """Return the base type, whether None is allowed, and the metadata of every Annotated layer."""
    nullable, metadata = False, []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata = [*extra, *metadata]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                raise TypeError(f"unsupported union {annotation!r}")
            nullable, annotation = True, members[0]
        else:
            return annotation, nullable, metadata


def nullable(annotation: Any) -> bool:
    """Whether a field type allows None."""
    return _unwrap(annotation)[1]


def markers(info: FieldInfo) -> list[Any]:
    """All metadata of a field, including that inside ``X | None``."""
    return [*_unwrap(info.annotation)[2], *info.metadata]


def field_spec(name: str, info: FieldInfo) -> FieldSpec:
    """Describe the model field ``name``."""
    base, nullable, inner = _unwrap(info.annotation)
    facts: dict[str, Any] = {}
    for item in [*inner, info, *info.metadata]:
        if isinstance(item, FieldInfo):
            if item.description:
                facts["description"] = item.description
            for constraint in item.metadata:
                _read_constraint(constraint, facts)
        else:
            _read_constraint(item, facts)
    if facts.pop("record_table", False):
        facts["enum"], facts["vocabulary"] = tuple(record_table_names()), RECORD_TABLE_VOCABULARY
    if isinstance(base, type) and issubclass(base, enum.Enum):
        facts["enum"], facts["vocabulary"] = tuple(member.value for member in base), base.__name__
        kind = "string"
    else:
        kind = KINDS[base]
    if "description" not in facts:
        raise ValueError(f"field {name!r} has no description")
    return FieldSpec(name=name, kind=kind, required=not nullable, **facts)


def _read_constraint(item: Any, facts: dict[str, Any]) -> None:
    if isinstance(item, References):
        facts["references"] = item.table
    elif isinstance(item, RecordKey):
        facts["record_key"] = item.table_field
    elif isinstance(item, RecordTableName):
        facts["record_table"] = True
    elif isinstance(item, ExactCopy):
        facts["exact_copy"] = True
    elif isinstance(item, Derived):
        facts["derived"] = True
    elif isinstance(item, DateValue):
        facts["date_value"] = True
    elif isinstance(item, Coded):
        facts["coded"] = True
    elif isinstance(item, External):
        facts["external"] = True
    elif isinstance(item, Scheme):
        facts["scheme"] = item
    elif isinstance(item, at.Ge):
        facts["minimum"] = item.ge
    elif isinstance(item, at.Le):
        facts["maximum"] = item.le
    elif isinstance(item, at.MinLen):
        facts["min_length"] = item.min_length
    elif isinstance(item, at.MaxLen):
        facts["max_length"] = item.max_length
    elif getattr(item, "pattern", None) is not None:
        facts["pattern"] = item.pattern
    elif isinstance(item, (at.Gt, at.Lt)):
        raise TypeError("use ge/le: Table Schema has no exclusive bounds")
