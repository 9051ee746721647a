"""The annotation format: what a person writes in ``annotations/<table>.yaml``, derived from the row models."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field, create_model, model_validator

from .fields import ID_PATTERN, ExactCopy, text
from .registry import declared
from .table import Row, RuleError, Table, choice, optional
from .vocabularies import ValueBasis


EVIDENCE = "evidence"  # the key under which a record lists its evidence


class EvidenceRef(Row):
    """One supporting span as an annotator writes it; the build finds the quote and computes offsets."""

    article: Annotated[str, Field(pattern=ID_PATTERN, description="article_id of the article quoted")]
    line: Annotated[int, Field(ge=1, description="1-based line number of the quote in that article")]
    quote: Annotated[str, Field(min_length=1, description="Text copied exactly from that line"), ExactCopy()]
    occurrence: Annotated[int, Field(ge=1, description="Which occurrence of the quote in the line, when it occurs more than once")] | None = None
    field: Annotated[str, Field(pattern=r"^[a-z_]+$", description="The field whose value the quote supports, when not the whole record")] | None = None
    basis: choice(ValueBasis, "Whether the quote states the value, or it is normalized or inferred from it") = ValueBasis.STATED.value
    note: optional(text("Why the span supports the record or value")) = None

    @model_validator(mode="after")
    def _inferred_says_how(self) -> EvidenceRef:
        if self.basis == ValueBasis.INFERRED.value and self.note is None:
            raise RuleError("note", "an inferred span needs a note saying how the value follows from it")
        return self


@cache
def annotation_model(table: Table) -> type[Row]:
    """The model of what a person writes for one row: its row model less derived fields, plus evidence and
    the lists of the link tables it may carry (each item: the link table's model less derived fields)."""
    fields = {
        name: (info.annotation, info)
        for name, info in table.model.model_fields.items()
        if name not in table.derived_fields
    }
    if table.has_evidence:
        fields[EVIDENCE] = (
            Annotated[list[EvidenceRef], Field(min_length=1, description="The spans that support the record")],
            ...,
        )
    for link in table.links(declared()):
        fields[link.written_in] = (
            Annotated[list[annotation_model(link)], Field(min_length=1, description=link.description)] | None,
            None,
        )
    return create_model(
        f"{table.model.__name__}Annotation",
        __base__=table.model.__bases__[0],  # the table's rules, shared with the row model
        **fields,
    )


class NoFactSentence(Row):
    """A sentence an annotator read and found to hold no annotatable fact (``annotations/no_fact_sentences.yaml``)."""

    article: Annotated[str, Field(pattern=ID_PATTERN, description="article_id of the article")]
    line: Annotated[int, Field(ge=1, description="1-based line number of the sentence")]
    quote: Annotated[str, Field(min_length=1, description="Text copied exactly from the sentence, enough to find it"), ExactCopy()]
    reason: text("Why the sentence carries no annotatable fact")
