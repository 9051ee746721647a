"""The table declaration: a pydantic row model plus the keys and metadata every generator reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from .field_spec import FieldSpec, field_spec, markers
from .fields import ArticleId, DateValue, Derived, IsoDate, LineNumber, References, text
from .vocabularies import DateBasis, DatePrecision, Vocabulary


class RuleError(ValueError):
    """A rule on a whole row, broken; ``field`` is the field to correct."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Row(BaseModel):
    """Base of every row model: strict types, no unknown fields, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, use_enum_values=True)

    @model_validator(mode="after")
    def _dates_say_how_they_are_known(self) -> Row:
        for prefix in date_prefixes(type(self)):
            value, basis = getattr(self, prefix), getattr(self, f"{prefix}_basis")
            if value is not None and basis is None:
                raise RuleError(f"{prefix}_basis", f"{prefix}_basis is required when {prefix} is given")
            if value is None and basis is not None:
                raise RuleError(f"{prefix}_basis", f"{prefix}_basis is given but {prefix} is empty")
            if basis in (DateBasis.INFERRED.value, DateBasis.EXTERNAL.value) and getattr(self, f"{prefix}_note") is None:
                raise RuleError(f"{prefix}_note", f"{prefix}_note must say how the {basis} {prefix} was established")
        return self


def choice(vocabulary: type[Vocabulary], what: str) -> Any:
    """A field restricted to a closed vocabulary (its values, as strings, are accepted)."""
    return Annotated[vocabulary, Field(strict=False, description=what)]


def optional(field_type: Any) -> tuple[Any, None]:
    """A nullable field that may be left out."""
    return (field_type | None, None)


def derived(field_type: Any) -> Any:
    """A field the build computes."""
    return Annotated[field_type, Derived()]


def date_fields(prefix: str, what: str) -> dict[str, Any]:
    """The seven columns of a date: value, derived precision and bounds, basis, wording, note."""
    return {
        prefix: optional(Annotated[IsoDate, Field(description=f"{what}; ISO 8601 at the precision the source supports (YYYY, YYYY-MM or YYYY-MM-DD)")]),
        f"{prefix}_precision": optional(derived(choice(DatePrecision, f"Precision of {prefix}, derived from its form"))),
        f"{prefix}_earliest": optional(derived(Annotated[dt.date, Field(description=f"First day that {prefix} can denote")])),
        f"{prefix}_latest": optional(derived(Annotated[dt.date, Field(description=f"Last day that {prefix} can denote")])),
        f"{prefix}_basis": optional(choice(DateBasis, f"How {prefix} is known: stated in the text, inferred from it, or external")),
        f"{prefix}_as_written": optional(text(f"{prefix} exactly as the text words it; it occurs in one of the row's evidence quotes")),
        f"{prefix}_note": optional(text(f"How {prefix} was inferred, or where an external {prefix} comes from")),
    }


NOTE = {"note": optional(text("Annotator's remark on the record: a caveat, an ambiguity or a decision"))}
PROVENANCE = {
    "article_id": derived(ArticleId),
    "line": derived(Annotated[LineNumber, References("source_lines")]),
}


@cache
def date_prefixes(model: type[BaseModel]) -> list[str]:
    """Names of the date-valued fields of ``model``; each heads a group made by ``date_fields``."""
    return [name for name, info in model.model_fields.items() if any(isinstance(m, DateValue) for m in markers(info))]


def row_model(name: str, fields: dict[str, Any], *, validators: dict[str, Any] | None = None) -> type[Row]:
    """Make a row model whose columns are ``fields`` in order; its direct base holds the row rules."""
    rules = create_model(f"{name}Rules", __base__=Row, __validators__=validators or {})
    return create_model(name, __base__=rules, **fields)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str


@dataclass(frozen=True)
class Table:
    """A published table: its row model and the facts about it that a row model cannot carry."""

    name: str
    title: str
    description: str
    model: type[Row]
    primary_key: tuple[str, ...]
    annotated: bool = True  # rows come from annotations/<name>.yaml
    has_evidence: bool = True  # every row is supported by evidence spans and carries article_id and line

    @cached_property
    def fields(self) -> dict[str, FieldSpec]:
        """Every column, in order, as plain facts."""
        return {name: field_spec(name, info) for name, info in self.model.model_fields.items()}

    @cached_property
    def derived_fields(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.fields.items() if spec.derived)

    @cached_property
    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        """Single-field references, and (article_id, line) to source_lines where a row names a line."""
        return tuple(
            ForeignKey(("article_id", name) if spec.references == "source_lines" else (name,), spec.references)
            for name, spec in self.fields.items()
            if spec.references
        )
