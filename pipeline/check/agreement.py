"""Agreement of a second, independent annotation with the dataset, table by table.

Records of one table are matched by their evidence: each record is the set of characters its evidence spans
cover (article, line, offset), plus those characters again, marked with the field, for each span that supports
one field (so that two records quoting one phrase, each for a different value, are told apart), and the pairing that maximizes the summed Jaccard index of those sets is found
with the Hungarian method (``scipy.optimize.linear_sum_assignment``); a pair counts as a match when its sets
share more than ``MATCH_THRESHOLD`` of their union (0: at least one character, the "partial match" of span
evaluation). Records of equal overlap (two records quoting the same spans) are told apart by how many of their
fields agree. A record left without a partner counts against precision (a second-annotation record) or recall
(a dataset record); the dataset is the reference.

Matched records are then compared field by field on the fields people write (the key excepted, being a name
each annotator chooses), and on the lists of link items a record carries (as sets): exact equality after
normalizing text (Unicode NFKC, look-alike quotes and dashes made plain, case folded, runs of whitespace made
single); an id of another record is compared through the match (the second annotation's id stands for the
dataset record it was matched with; an unmatched one equals nothing). An empty value equals an empty value.
Cohen's kappa (``statsmodels``) is given for every field drawn from a closed vocabulary, an empty value
being one more category; it is undefined (None) when both annotations use a single category.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from schema.fields import TEXT_PATTERN
from schema.field_spec import FieldSpec
from schema.table import Table, TableKind

MATCH_THRESHOLD = 0.0  # a matched pair's Jaccard index must exceed this
TIE_BREAK = 1e-9  # weight of field likeness in the matching: below any difference of two Jaccard indices of sets under 30,000 characters
DIGITS = 4  # figures are rounded to this many decimals, so that they print and compare stably
EMPTY = "(empty)"  # the category of an empty value, for kappa

VOCABULARY, REFERENCE, VALUE, TEXT, LIST = "vocabulary", "reference", "value", "text", "list"

Span = tuple[str, int, int, int, str | None]  # article, line, char_start, char_end (end-exclusive), the field it supports


@dataclass(frozen=True)
class Record:
    """One record as either annotation has it: its key, its written fields, its link items by list name, its spans."""

    key: str
    values: Mapping[str, Any]
    spans: tuple[Span, ...]
    links: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)

    @cached_property
    def characters(self) -> frozenset[tuple[str, int, int, str | None]]:
        """Every character the spans cover, and again marked with its field where a span supports one."""
        return frozenset((article, line, at, marked) for article, line, start, end, field in self.spans
                         for marked in {None, field} for at in range(start, end))


UNMATCHED = "unmatched"  # a second-annotation id whose record has no partner becomes (UNMATCHED, id): equal to no dataset id


def jaccard(a: frozenset, b: frozenset) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def match(data: Sequence[Record], second: Sequence[Record], threshold: float = MATCH_THRESHOLD,
          likeness: Callable[[Record, Record], float] | None = None) -> dict[str, str]:
    """The second annotation's key -> the dataset key of its partner, for the pairs that match. Pairs of equal
    overlap are told apart by ``likeness`` (second record, dataset record -> 0..1), weighted by ``TIE_BREAK``."""
    from scipy.optimize import linear_sum_assignment  # imported on use (as is statsmodels): validate loads, never scores

    if not data or not second:
        return {}
    where: dict[tuple[str, int], set[int]] = {}
    for column, record in enumerate(data):
        for article, line, *_ in record.spans:
            where.setdefault((article, line), set()).add(column)
    overlap, weights = np.zeros((len(second), len(data))), np.zeros((len(second), len(data)))
    for row, record in enumerate(second):
        for column in sorted({c for article, line, *_ in record.spans for c in where.get((article, line), ())}):
            overlap[row, column] = jaccard(record.characters, data[column].characters)
            weights[row, column] = overlap[row, column] + (TIE_BREAK * likeness(record, data[column]) if likeness and overlap[row, column] else 0)
    rows, columns = linear_sum_assignment(weights, maximize=True)
    return {second[r].key: data[c].key for r, c in zip(rows, columns) if overlap[r, c] > threshold}


def free_text(spec: FieldSpec) -> bool:
    """Whether a field holds the annotator's own words (free text, not a copy of the source)."""
    return spec.pattern == TEXT_PATTERN and not spec.exact_copy


def field_kind(spec: FieldSpec) -> str:
    if spec.enum:
        return VOCABULARY
    if spec.references or spec.record_key:
        return REFERENCE
    return TEXT if free_text(spec) else VALUE


def compared_fields(table: Table, tables: Mapping[str, Table]) -> dict[str, str]:
    """Every field compared, with its kind: the written fields but the key and those whose values come from outside
    the articles (external fields), then each list of link items, less those that point into a table the second
    annotation does not cover (``tables`` holds only the covered record tables, plus every link table)."""
    fields = {name: field_kind(spec) for name, spec in table.fields.items()
              if table.annotated_field(name) and name not in table.primary_key and not spec.external}
    return fields | {link.written_in: LIST for link in table.links(dict(tables))
                     if all(spec.references in tables for spec in link.fields.values() if spec.references)}


_LOOKALIKES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalized(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFKC", value).translate(_LOOKALIKES).casefold().split())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def _in_dataset_ids(table: Table, values: Mapping[str, Any], mapping: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """``values`` with every id of a record replaced by the id of its dataset partner (the table's own fields only)."""
    result = dict(values)
    for name, spec in table.fields.items():
        target = spec.references or (values.get(spec.record_key) if spec.record_key else None)
        value = values.get(name)
        if value is None or target is None or name not in values:
            continue
        if target in mapping:
            result[name] = mapping[target].get(value, (UNMATCHED, value))
    return result


def _comparable(table: Table, tables: Mapping[str, Table], record: Record, mapping: Mapping[str, Mapping[str, str]] | None) -> dict[str, Any]:
    """The record's compared fields, normalized; ids translated through ``mapping`` when one is given."""
    translate = (lambda t, v: _in_dataset_ids(t, v, mapping)) if mapping is not None else (lambda t, v: dict(v))
    values = translate(table, record.values)
    result = {name: normalized(values.get(name)) for name, kind in compared_fields(table, tables).items() if kind != LIST}
    for link in table.links(dict(tables)):
        items = record.links.get(link.written_in, ())
        fields = [name for name, kind in compared_fields(link, tables).items() if kind != TEXT]
        result[link.written_in] = frozenset(tuple(normalized(translate(link, item).get(name)) for name in fields) for item in items)
    return result


def kappa(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    """Cohen's kappa of paired labels (None is a category of its own); None when only one category occurs."""
    labels = [tuple(EMPTY if v is None else str(v) for v in pair) for pair in pairs]
    categories = sorted({v for pair in labels for v in pair})
    if len(categories) < 2:
        return None
    from statsmodels.stats.inter_rater import cohens_kappa

    index = {category: at for at, category in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for first, second in labels:
        table[index[first], index[second]] += 1
    return float(cohens_kappa(table, return_results=False))


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, DIGITS) if whole else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return round(2 * precision * recall / (precision + recall), DIGITS) if precision + recall else 0.0


def score_table(table: Table, tables: Mapping[str, Table], data: Sequence[Record], second: Sequence[Record],
                mapping: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """The figures of one table, given every table's match (``mapping``: second key -> dataset key, by table)."""
    pairs = [(d, s) for s in second if (d := mapping[table.name].get(s.key)) is not None]
    by_key = {record.key: record for record in data}
    compared = [(_comparable(table, tables, by_key[d], None), _comparable(table, tables, s, mapping)) for d, s in pairs]
    matched = len(pairs)
    precision, recall = _ratio(matched, len(second)), _ratio(matched, len(data))
    fields = {}
    for name, kind in compared_fields(table, tables).items():
        values = [(d[name], s[name]) for d, s in compared]
        agreed = sum(d == s for d, s in values)
        fields[name] = {"kind": kind, "compared": matched, "agreed": agreed, "agreement": _ratio(agreed, matched)}
        if kind == VOCABULARY:
            found = kappa(values)
            fields[name]["kappa"] = None if found is None else round(found, DIGITS)
    counted = [f for f in fields.values() if f["kind"] != TEXT]
    return {
        "dataset_records": len(data),
        "second_records": len(second),
        "matched": matched,
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "field_agreement": _ratio(sum(f["agreed"] for f in counted), sum(f["compared"] for f in counted)),
        "fields": fields,
    }


def _likeness(table: Table, tables: Mapping[str, Table], mapping: Mapping[str, Mapping[str, str]] | None) -> Callable[[Record, Record], float]:
    """The share of compared fields on which two records agree; without a ``mapping``, ids and lists are left out."""
    skipped = (REFERENCE, LIST) if mapping is None else ()
    names = [name for name, kind in compared_fields(table, tables).items() if kind not in skipped]

    seen: dict[tuple[bool, str], dict[str, Any]] = {}

    def comparable(record: Record, is_second: bool) -> dict[str, Any]:
        if (is_second, record.key) not in seen:
            seen[is_second, record.key] = _comparable(table, tables, record, (mapping or {}) if is_second else None)
        return seen[is_second, record.key]

    def likeness(second: Record, data: Record) -> float:
        ours, theirs = comparable(data, False), comparable(second, True)
        return sum(ours[name] == theirs[name] for name in names) / len(names) if names else 0.0

    return likeness


def matches(tables: Mapping[str, Table], data: Mapping[str, Sequence[Record]], second: Mapping[str, Sequence[Record]],
            threshold: float = MATCH_THRESHOLD) -> dict[str, dict[str, str]]:
    """Each table's match (second key -> dataset key). Ties of overlap are broken by the fields, twice: first by
    those that name no other record, then by all, ids read through the first round's match."""
    first = {name: match(data.get(name, ()), records, threshold, _likeness(tables[name], tables, None)) for name, records in second.items()}
    return {name: match(data.get(name, ()), records, threshold, _likeness(tables[name], tables, first)) for name, records in second.items()}


def score(tables: Mapping[str, Table], data: Mapping[str, Sequence[Record]], second: Mapping[str, Sequence[Record]],
          threshold: float = MATCH_THRESHOLD) -> dict[str, Any]:
    """Figures per table, for every table the second annotation covers (``second`` has it, even with no record)."""
    tables = {name: table for name, table in tables.items() if name in second or table.kind == TableKind.LINK}
    mapping = matches(tables, data, second, threshold)
    return {
        "method": {"matching": "Hungarian assignment maximizing the Jaccard index of evidence characters",
                   "match_threshold": threshold, "reference": "dataset"},
        "tables": {name: score_table(tables[name], tables, data.get(name, ()), second[name], mapping)
                   for name in tables if name in second},
    }


def grouped(rows: Iterable[Mapping[str, Any]], table_column: str, key_column: str) -> dict[tuple[str, str], list[Mapping[str, Any]]]:
    """Rows of a derived table (evidence, links) by the (table, key) of the record they belong to."""
    result: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        result.setdefault((row[table_column], row[key_column]), []).append(row)
    return result


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def report(agreement: dict[str, Any] | None) -> str:
    """The figures as text: one line per table, then the kappa of each of its vocabulary fields."""
    if agreement is None:
        return "Not measured: there is no second annotation (write one, blind, into agreement/second_annotation/<table>.yaml)."
    lines = [f"{'table':<22}{'data':>6}{'second':>8}{'matched':>9}{'precision':>11}{'recall':>8}{'F1':>7}{'fields':>8}"]
    for name, t in agreement["tables"].items():
        lines.append(f"{name:<22}{t['dataset_records']:>6}{t['second_records']:>8}{t['matched']:>9}{_shown(t['precision']):>11}"
                     f"{_shown(t['recall']):>8}{_shown(t['f1']):>7}{_shown(t['field_agreement']):>8}")
        kappas = [f"{field} {_shown(f['kappa'])}" for field, f in t["fields"].items() if "kappa" in f]
        if kappas:
            lines.append(f"  kappa: {', '.join(kappas)}")
    lines.append("fields: share of agreeing values over the matched records' fields that are not free text; "
                 "kappa '-': undefined (one category)")
    return "\n".join(lines)
