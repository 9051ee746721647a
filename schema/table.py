"""The table declaration: a pydantic row model plus its kind, keys and table rules, read by every generator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, model_validator

from .field_spec import FieldSpec, field_spec, markers, nullable
from .registry import record_table_names
from .fields import ArticleId, DateValue, Derived, EdtfDate, ExactCopy, LineNumber, RecordKey, RecordTableName, References, text
from .vocabularies import DateBasis, DatePrecision, Vocabulary

if TYPE_CHECKING:
    import polars as pl


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


class TableKind(Vocabulary):
    """Where a table's rows come from; the build treats each kind alike, whatever the table is called."""

    SOURCE = "source"  # annotated: each row describes one file under sources/, which the build reads and checks
    SOURCE_LINES = "source_lines"  # derived: one row per non-blank line of every source
    RECORD = "record"  # annotated: every row is supported by evidence spans and carries its provenance
    EVIDENCE = "evidence"  # derived: one row per evidence span of every record
    LINK = "link"  # written inside a record, as a list under the table's ``written_in`` key: one row per item


@dataclass(frozen=True)
class Finding:
    """A broken table rule: the table, the row index at fault, the column, and what is wrong."""

    table: str
    index: int
    field: str | None
    message: str


Frames = dict[str, "pl.DataFrame"]  # every table, as polars frames of the build's Arrow tables
TableRule = Callable[[Frames], Iterator[Finding]]  # a rule over whole tables, declared beside a table


def choice(vocabulary: type[Vocabulary], what: str) -> Any:
    """A field restricted to a closed vocabulary (its values, as strings, are accepted)."""
    return Annotated[vocabulary, Field(strict=False, description=what)]


def optional(field_type: Any) -> Any:
    """A nullable field; ``row_model`` makes it default to None, so it may be left out."""
    return field_type | None


def derived(field_type: Any) -> Any:
    """A field the build computes."""
    return Annotated[field_type, Derived()]


def _record_table(name: str) -> str:
    names = record_table_names()
    if name not in names:
        raise ValueError(f"{name!r} is not a record table (expected one of: {', '.join(names)})")
    return name


def record_table(what: str) -> Any:
    """A field naming a record table; its vocabulary is derived from the declared tables."""
    return Annotated[
        str,
        Field(description=what, json_schema_extra=lambda schema: schema.update(enum=list(record_table_names()))),
        AfterValidator(_record_table),
        RecordTableName(),
    ]


def record_link(prefix: str, table_what: str, key_what: str, *, computed: bool = False) -> dict[str, Any]:
    """Two columns that point at a record of any annotated table: ``<prefix>_table`` names the table and
    ``<prefix>_id`` holds the record's key (checked to resolve in that table)."""
    wrap = derived if computed else (lambda field_type: field_type)
    return {
        f"{prefix}_table": wrap(record_table(table_what)),
        f"{prefix}_id": wrap(Annotated[str, Field(description=key_what), RecordKey(f"{prefix}_table")]),
    }


def date_fields(prefix: str, what: str) -> dict[str, Any]:
    """The seven columns of a date: value, derived precision and bounds, basis, wording, note."""
    return {
        prefix: optional(Annotated[EdtfDate, Field(description=f"{what}; EDTF at the precision the source supports (YYYY, YYYY-MM or YYYY-MM-DD; ? uncertain, ~ approximate, XX unspecified, A/B interval, [A,B] one of a set)")]),
        f"{prefix}_precision": optional(derived(choice(DatePrecision, f"Precision of {prefix}, derived from its form (the coarsest of the dates it writes)"))),
        f"{prefix}_earliest": optional(derived(Annotated[dt.date, Field(description=f"First day that {prefix} can denote (the edtf package's strict lower bound)")])),
        f"{prefix}_latest": optional(derived(Annotated[dt.date, Field(description=f"Last day that {prefix} can denote (the edtf package's strict upper bound)")])),
        f"{prefix}_basis": optional(choice(DateBasis, f"How {prefix} is known: stated in the text, inferred from it, or external")),
        f"{prefix}_as_written": optional(Annotated[text(f"{prefix} exactly as the text words it; it occurs in one of the row's evidence quotes"), ExactCopy()]),
        f"{prefix}_note": optional(text(f"How {prefix} was inferred, or where an external {prefix} comes from")),
    }


# Columns that a kind implies, named once here; the build reads them through these names.
ARTICLE, LINE = "article_id", "line"  # provenance: a record's first evidence; a source line's key
SOURCE_FILE, SOURCE_SHA256, SOURCE_LINE_COUNT = "file", "sha256", "line_count"  # a source row's file and its facts
LINE_TEXT = "text"  # a source line's verbatim text

NOTE = {"note": optional(text("Annotator's remark on the record: a caveat, an ambiguity or a decision"))}
PROVENANCE = {
    ARTICLE: derived(ArticleId),
    LINE: derived(Annotated[LineNumber, References("source_lines")]),
}


@cache
def date_prefixes(model: type[BaseModel]) -> list[str]:
    """Names of the date-valued fields of ``model``; each heads a group made by ``date_fields``."""
    return [name for name, info in model.model_fields.items() if any(isinstance(m, DateValue) for m in markers(info))]


def row_model(name: str, fields: dict[str, Any], *, validators: dict[str, Any] | None = None) -> type[Row]:
    """Make a row model whose columns are ``fields`` in order (nullable ones default to None); its direct base holds the row rules."""
    rules = create_model(f"{name}Rules", __base__=Row, __validators__=validators or {})
    columns = {field: (kind, None) if nullable(kind) else kind for field, kind in fields.items()}
    return create_model(name, __base__=rules, **columns)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str


@dataclass(frozen=True)
class Table:
    """A published table, declared completely: its kind, row model, keys and table rules."""

    name: str
    title: str
    description: str
    kind: TableKind
    model: type[Row]
    primary_key: tuple[str, ...]
    rules: tuple[TableRule, ...] = ()  # cross-row and cross-table rules; generic ones (keys, cycles) are derived
    written_in: str | None = None  # link kind: the key under which a record lists this table's items
    link_of: tuple[str, ...] | None = None  # link kind: the record tables that may list items (None: every one)
    accounts_for_sentences: bool = False  # a sentence counts as annotated when a row of such a table quotes it

    @property
    def annotated(self) -> bool:
        """Whether people write its rows (in ``annotations/``); other kinds are computed by the build."""
        return self.kind in (TableKind.SOURCE, TableKind.RECORD)

    @property
    def has_evidence(self) -> bool:
        return self.kind == TableKind.RECORD

    def annotated_field(self, name: str) -> bool:
        """Whether ``name`` is a field people write (not one the build derives)."""
        return name in self.fields and name not in self.derived_fields

    def links(self, tables: dict[str, Table]) -> list[Table]:
        """The link tables whose items a record of this table may list."""
        if not self.annotated:
            return []
        return [t for t in tables.values() if t.kind == TableKind.LINK and (t.link_of is None or self.name in t.link_of)]

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
            ForeignKey((ARTICLE, name) if spec.references == "source_lines" else (name,), spec.references)
            for name, spec in self.fields.items()
            if spec.references
        )

    @cached_property
    def parent_keys(self) -> tuple[str, ...]:
        """Columns that point back into this same table: following them must never form a cycle."""
        return tuple(key.fields[0] for key in self.foreign_keys if key.table == self.name and len(key.fields) == 1)

    @cached_property
    def record_keys(self) -> tuple[tuple[str, str], ...]:
        """(table column, key column) pairs: the key is a primary key of the record table the other column names."""
        return tuple((spec.record_key, name) for name, spec in self.fields.items() if spec.record_key)


def sentence_accounting_tables(tables: dict[str, Table]) -> list[str]:
    """The tables whose rows account for a sentence they quote (``accounts_for_sentences``)."""
    return [name for name, table in tables.items() if table.accounts_for_sentences]


def table_of_kind(tables: dict[str, Table], kind: TableKind) -> Table:
    """The one table of ``kind`` among ``tables`` (the source, source-lines and evidence kinds have one each)."""
    (table,) = [t for t in tables.values() if t.kind == kind]
    return table
