"""Corruption suite: every kind of bad input is refused with file, line and field, and costs no published data.

Each case mutates a copy of the real annotations or sources (located by structure, not by fixed text, so
the cases survive edits to the data) and says which problem must be reported. Both ``validate`` and
``build`` must exit 1, and ``datapackage/`` must stay byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.load.yaml_source import YamlError, load_records
from schema.tables import TABLES

from .conftest import tree_bytes


@dataclass(frozen=True)
class Expect:
    """The problem a corruption must produce: file, line and field exactly, the message by regex."""

    file: str
    line: int | None
    field: str | None
    message: str
    table: str | None = None
    record_id: str | None = None


@dataclass(frozen=True)
class Raw:
    """YAML text written as is (not quoted) into an evidence item."""

    text: str


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _render(value: Any) -> str:
    return value.text if isinstance(value, Raw) else json.dumps(value, ensure_ascii=False)


class AnnotationFile:
    """One annotation file of a project copy, edited at its YAML nodes so that layout and comments survive."""

    def __init__(self, root: Path, table: str):
        self.table = table
        self.name = f"annotations/{table}.yaml"
        self.path = root / self.name
        self.text = self.path.read_text(encoding="utf-8")
        self.key = TABLES[table].primary_key[0]

    def records(self) -> list[dict[str, Any]]:
        return load_records(self.text.encode("utf-8"))

    def _record_node(self, index: int) -> yaml.MappingNode:
        return yaml.compose(self.text, Loader=yaml.SafeLoader).value[index]

    def _pair(self, index: int, field: str) -> tuple[yaml.Node, yaml.Node]:
        return next((k, v) for k, v in self._record_node(index).value if k.value == field)

    def find(self, where: Callable[[dict[str, Any]], bool] = lambda r: True) -> int:
        """The index of the first record for which ``where`` holds."""
        index = next((i for i, r in enumerate(self.records()) if where(r)), None)
        if index is None:
            pytest.fail(f"no record of {self.name} fits this case")
        return index

    def id(self, index: int) -> str:
        return self.records()[index][self.key]

    def line(self, index: int, field: str | None = None) -> int:
        """The line of ``field``'s key in a record, or of the record itself."""
        node = self._record_node(index) if field is None else self._pair(index, field)[0]
        return node.start_mark.line + 1

    def _splice(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]

    def set(self, index: int, field: str, value: str) -> int:
        """Write YAML ``value`` as the field's value (adding the field when absent); return its line."""
        if field not in self.records()[index]:
            first_key = self._record_node(index).value[0][0]
            at = self.text.index("\n", first_key.start_mark.index) + 1
            self._splice(at, at, f"{' ' * first_key.start_mark.column}{field}: {value}\n")
            return first_key.start_mark.line + 2
        key, node = self._pair(index, field)
        old = self.text[node.start_mark.index : node.end_mark.index]
        self._splice(node.start_mark.index, node.end_mark.index, value + old[len(old.rstrip()) :])
        return key.start_mark.line + 1

    def drop(self, index: int, field: str) -> None:
        key, node = self._pair(index, field)
        start = self.text.rindex("\n", 0, key.start_mark.index) + 1
        end = node.end_mark.index
        if self.text[end - 1] != "\n":
            end = self.text.index("\n", end) + 1
        self._splice(start, end, "")

    def item(self, index: int, number: int) -> dict[str, Any]:
        return dict(self.records()[index]["evidence"][number])

    def set_item(self, index: int, number: int, **changes: Any) -> int:
        """Rewrite evidence item ``number`` with ``changes`` (None removes a key); return its line."""
        node = self._pair(index, "evidence")[1].value[number]
        item = {k: v for k, v in (self.item(index, number) | changes).items() if v is not None}
        self._splice(node.start_mark.index, node.end_mark.index,
                     "{" + ", ".join(f"{k}: {_render(v)}" for k, v in item.items()) + "}")
        return node.start_mark.line + 1

    def add_item(self, index: int, item: dict[str, Any]) -> int:
        """Append an evidence item to a record; return its line."""
        last = self._pair(index, "evidence")[1].value[-1]
        at = self.text.index("\n", last.end_mark.index) + 1
        self._splice(at, at, f"{' ' * (last.start_mark.column - 2)}- {{{', '.join(f'{k}: {_render(v)}' for k, v in item.items())}}}\n")
        return last.start_mark.line + 2

    def append(self, text: str) -> None:
        self.text = self.text.rstrip("\n") + "\n\n" + text

    def save(self) -> None:
        self.path.write_text(self.text, encoding="utf-8")


class Project:
    """A project copy with the helpers the cases need."""

    def __init__(self, root: Path):
        self.root = root

    def edit(self, table: str) -> AnnotationFile:
        return AnnotationFile(self.root, table)

    def article(self) -> tuple[str, str, int]:
        """(article_id, source path, line of its sha256 in articles.yaml) of the first article."""
        articles = self.edit("articles")
        index = 0
        record = articles.records()[index]
        return record["article_id"], f"sources/{record['file']}", articles.line(index, "sha256")

    def lines(self, article_id: str) -> list[str]:
        for record in self.edit("articles").records():
            if record["article_id"] == article_id:
                return (self.root / "sources" / record["file"]).read_text(encoding="utf-8").split("\n")
        raise KeyError(article_id)

    def append_source_line(self, article_id: str, text: str) -> int:
        """Add a line to an article, record the file's new SHA-256, and return the new line's number."""
        articles = self.edit("articles")
        index = articles.find(lambda r: r["article_id"] == article_id)
        path = self.root / "sources" / articles.records()[index]["file"]
        old = path.read_bytes().removesuffix(b"\n")
        path.write_bytes(old + b"\n" + text.encode("utf-8") + b"\n")
        articles.set(index, "sha256", hashlib.sha256(path.read_bytes()).hexdigest())
        articles.save()
        return old.count(b"\n") + 2


CASES: dict[str, Callable[[Project], Expect]] = {}


def case(name: str) -> Callable:
    def register(make: Callable[[Project], Expect]) -> Callable[[Project], Expect]:
        CASES[name] = make
        return make

    return register


def field_case(name: str, table: str, field: str, value: str, message: str,
               where: Callable[[dict[str, Any]], bool] | None = None, parsed: bool = True) -> None:
    """A case that writes ``value`` into ``field`` of the first record of ``table`` (that ``where`` accepts).

    The problem names the record, unless ``parsed`` is false: the file then fails as YAML, before records exist.
    """

    def make(p: Project) -> Expect:
        f = p.edit(table)
        index = f.find(where or (lambda r: True))
        line = f.set(index, field, value)
        f.save()
        return Expect(f.name, line, field, message, table, f.id(index) if parsed and field != f.key else None)

    CASES[name] = make


def item_case(name: str, table: str, message: str, reported: str, **changes: Any) -> None:
    """A case that rewrites the first evidence item of the first record of ``table``; ``reported`` is the item's key at fault."""

    def make(p: Project) -> Expect:
        f = p.edit(table)
        line = f.set_item(0, 0, **changes)
        f.save()
        return Expect(f.name, line, f"evidence[0].{reported}", message, table, f.id(0))

    CASES[name] = make


# -- wrong types -------------------------------------------------------------------------------------------
field_case("wrong-type-text-for-boolean", "people", "named_in_text", q("yes"), r"valid boolean")
field_case("wrong-type-yaml-1.1-boolean", "people", "named_in_text", "yes", r"valid boolean")
field_case("wrong-type-number-for-text", "people", "name", "42", r"got 42, which YAML reads as a number .*put it in quotes")
field_case("wrong-type-list-for-text", "locations", "name", "[Tokyo, Japan]", r"valid string")
field_case("wrong-type-mapping-for-text", "locations", "name", "{en: Tokyo}", r"valid string")
field_case("wrong-type-text-for-number", "figures", "number", q("2"), r"valid number", lambda r: "number" in r)
field_case("wrong-type-unquoted-year", "commitments", "made_date", "2025", r"YAML reads as a number")
field_case("wrong-type-evidence-not-a-list", "people", "evidence", "{article: x, line: 1, quote: y}", r"valid list")


@case("wrong-type-evidence-item-not-a-mapping")
def _(p: Project) -> Expect:
    f = p.edit("people")
    line = f.set(0, "evidence", '["a quote"]')
    f.save()
    return Expect(f.name, line, "evidence[0]", r"valid dictionary", "people", f.id(0))


item_case("wrong-type-evidence-line-as-text", "people", r"valid integer", "line", line="3")
item_case("wrong-type-evidence-line-as-float", "people", r"valid integer", "line", line=3.0)

# -- YAML 1.1 number forms are not numbers here ------------------------------------------------------------
field_case("yaml-1.1-binary-number", "figures", "number", "0b10", r"valid number \(got '0b10'\)", lambda r: "number" in r)
field_case("yaml-1.1-octal-number", "figures", "number", "010", r"valid number \(got '010'\)", lambda r: "number" in r)
field_case("yaml-1.1-sexagesimal-number", "figures", "number", "1:30", r"valid number \(got '1:30'\)", lambda r: "number" in r)
field_case("yaml-explicit-int-tag", "figures", "number", "!!int 0x1G", r"'0x1G' is not a decimal integer", lambda r: "number" in r,
           parsed=False)
field_case("yaml-explicit-null-tag", "people", "note", "!!null A note that would vanish", r"'A note that would vanish' is not null",
           parsed=False)

# -- missing, unknown, derived fields -------------------------------------------------------------------------


@case("missing-required-field")
def _(p: Project) -> Expect:
    f = p.edit("people")
    f.drop(0, "name")
    f.save()
    return Expect(f.name, f.line(0), "name", r"missing required field", "people", f.id(0))


@case("missing-evidence-key")
def _(p: Project) -> Expect:
    f = p.edit("locations")
    f.drop(0, "evidence")
    f.save()
    return Expect(f.name, f.line(0), "evidence", r"missing required field", "locations", f.id(0))


field_case("empty-evidence-list", "locations", "evidence", "[]", r"at least 1 item")
field_case("unknown-field", "locations", "depth", "deep", r"unknown field \((?:did you mean [^?]*\? )?expected one of: location_id")
field_case("derived-precision-written", "meetings", "start_date_precision", "month", r"unknown field",
           lambda r: "start_date" in r)
field_case("derived-provenance-written", "people", "article_id", "kyodo-summit-report", r"unknown field")
item_case("unknown-evidence-key", "people", r"unknown field", "page", page=3)
item_case("evidence-missing-quote", "people", r"missing required field", "quote", quote=None)

# -- text ------------------------------------------------------------------------------------------------------
field_case("empty-text", "people", "name", q(""), r"at least 1 character")
field_case("whitespace-only-text", "people", "name", q("   "), r"expected text that neither starts nor ends with a space")
field_case("padded-text", "people", "name", q(" Sanae Takaichi"), r"expected text that neither starts nor ends with a space")
field_case("text-not-nfc", "people", "name", q(unicodedata.normalize("NFD", "Café Owner")),
           r"not in Unicode NFC form")
field_case("text-with-tab", "people", "note", q("two\tcolumns"), r"control character U\+0009")
field_case("text-with-line-break", "people", "note", "|\n    one\n    two", r"control character U\+000A")

# -- ids and duplicates ----------------------------------------------------------------------------------------
field_case("id-breaks-pattern", "locations", "location_id", "Tokyo_City", r"expected an id of lowercase letters and digits")
field_case("id-too-long", "locations", "location_id", "-".join(["tokyo"] * 14), r"at most 80 characters")
field_case("id-not-text", "people", "person_id", "7", r"which YAML reads as a number")


@case("duplicate-id-in-file")
def _(p: Project) -> Expect:
    f = p.edit("locations")
    line = f.set(1, "location_id", f.id(0))
    f.save()
    return Expect(f.name, line, "location_id", r"duplicate location_id", "locations", f.id(0))


@case("duplicate-key-in-record")
def _(p: Project) -> Expect:
    f = p.edit("people")
    line = f.set(0, "name", "Sanae Takaichi\n  name: Sanae")
    f.save()
    return Expect(f.name, line + 1, "name", r"duplicate key 'name' \(first at line \d+\)", "people")


@case("duplicate-key-in-evidence-item")
def _(p: Project) -> Expect:
    f = p.edit("people")
    line = f.set_item(0, 0, quote=Raw(f"{q(f.item(0, 0)['quote'])}, quote: \"other\""))
    f.save()
    return Expect(f.name, line, "evidence[0].quote", r"duplicate key 'quote'", "people")


@case("duplicate-evidence")
def _(p: Project) -> Expect:
    f = p.edit("people")
    number = len(f.records()[0]["evidence"])
    line = f.add_item(0, f.item(0, 0))
    f.save()
    return Expect(f.name, line, f"evidence[{number}]", r"repeats evidence\[0\]", "people", f.id(0))


@case("evidence-numbering-in-an-invalid-record")
def _(p: Project) -> Expect:
    f = p.edit("people")
    index = f.find(lambda r: len(r["evidence"]) > 1)
    f.set_item(index, 0, quote=None)
    line = f.set_item(index, 1, quote=f.item(index, 1)["quote"] + " xyzzy")
    f.save()
    return Expect(f.name, line, "evidence[1].quote", r"is not in the line", "people", f.id(index))


# -- references ------------------------------------------------------------------------------------------------
REFERENCES = [(t.name, fk.fields[0]) for t in TABLES.values() if t.annotated for fk in t.foreign_keys
              if fk.fields[0] not in t.derived_fields]


DANGLING_FITS = {"within_claim_id": lambda r: r.get("claimant_kind") != "article_voice"}  # a record where the field may be given


def _dangling(table: str, field: str) -> Callable[[Project], Expect]:
    def make(p: Project) -> Expect:
        f = p.edit(table)
        records = f.records()
        fits = DANGLING_FITS.get(field, lambda r: True)
        index = next((i for i, r in enumerate(records) if r.get(field)), next(i for i, r in enumerate(records) if fits(r)))
        line = f.set(index, field, "no-such-record")
        f.save()
        return Expect(f.name, line, field, r"'no-such-record' does not resolve", table, f.id(index))

    return make


for _table, _field in REFERENCES:
    CASES[f"dangling-{_table}.{_field}"] = _dangling(_table, _field)
field_case("dangling-comparison-subject", "comparisons", "subject_id", "no-such-record", r"is not a record of")
field_case("unknown-comparison-subject-field", "comparisons", "subject_field", "depth", r"'depth' is not a field of")
item_case("unknown-article", "people", r"unknown article 'no-such-article'", "article", article="no-such-article")



@case("target-figure-of-no-commitment")
def _(p: Project) -> Expect:
    commitments, figures = p.edit("commitments"), p.edit("figures")
    index = commitments.find(lambda r: "target_figure_id" in r)
    figure = commitments.records()[index]["target_figure_id"]
    figures.drop(figures.find(lambda r: r["figure_id"] == figure), "commitments")
    figures.save()
    return Expect(commitments.name, commitments.line(index, "target_figure_id"), "target_figure_id",
                  rf"figure '{figure}' does not belong to this commitment", "commitments", commitments.id(index))


HIERARCHIES = {"locations": "parent_location_id", "organizations": "parent_organization_id",
               "meetings": "parent_meeting_id", "commitments": "part_of_commitment_id"}


def _self_loop(table: str, field: str) -> Callable[[Project], Expect]:
    def make(p: Project) -> Expect:
        f = p.edit(table)
        line = f.set(0, field, f.id(0))
        f.save()
        return Expect(f.name, line, field, rf"'{f.id(0)}' is its own ancestor \({f.id(0)} -> {f.id(0)}\)", table, f.id(0))

    return make


def _two_cycle(table: str, field: str) -> Callable[[Project], Expect]:
    def make(p: Project) -> Expect:
        f = p.edit(table)
        child = f.find(lambda r: r.get(field))
        parent = f.records()[child][field]
        f.set(f.find(lambda r: r[f.key] == parent), field, f.id(child))
        f.save()
        cycle = rf"{f.id(child)} -> {parent} -> {f.id(child)}"
        return Expect(f.name, f.line(child, field), field, rf"'{f.id(child)}' is its own ancestor \({cycle}\)", table, f.id(child))

    return make


for _table, _field in HIERARCHIES.items():
    CASES[f"cycle-self-{_table}"] = _self_loop(_table, _field)
    CASES[f"cycle-two-{_table}"] = _two_cycle(_table, _field)

# -- vocabularies and codes --------------------------------------------------------------------------------------
field_case("enum-outside-vocabulary", "locations", "kind", "planet", r"'planet' is not in the vocabulary \(expected one of: 'continent'")
field_case("enum-wrong-case", "locations", "kind", "City", r"'City' is not in the vocabulary \(did you mean 'city'\? expected one of: 'continent'")
field_case("enum-date-basis", "meetings", "start_date_basis", "assumed", r"is not in the vocabulary \(.*expected one of: 'stated'", lambda r: "start_date" in r)
item_case("enum-evidence-basis", "people", r"is not in the vocabulary \(.*expected one of: 'stated'", "basis", basis="guessed")
field_case("invalid-country-code", "people", "country_code", "XC", r"'XC' is not an ISO 3166-1 alpha-2 country code")
field_case("lowercase-country-code", "people", "country_code", "jp", r"expected a two-letter ISO 3166-1 country code in capitals")
field_case("invalid-currency-code", "figures", "currency", "XYZ", r"'XYZ' is not an ISO 4217 currency code",
           lambda r: "currency" in r)
field_case("invalid-language-code", "articles", "language_code", "xx", r"not an ISO 639-1 language code")

# -- dates -------------------------------------------------------------------------------------------------------
field_case("impossible-date", "meetings", "start_date", q("2025-02-30"), r"not a calendar date", lambda r: "start_date" in r)
field_case("impossible-month", "meetings", "start_date", q("2025-13"), r"not a calendar date", lambda r: "start_date" in r)
field_case("date-not-iso", "meetings", "start_date", "October 2025", r"expected a date written YYYY, YYYY-MM or YYYY-MM-DD", lambda r: "start_date" in r)


@case("date-basis-without-note")
def _(p: Project) -> Expect:
    f = p.edit("meetings")
    index = f.find(lambda r: r.get("start_date_basis") == "inferred" and "start_date_note" in r)
    f.drop(index, "start_date_note")
    f.save()
    return Expect(f.name, f.line(index), "start_date_note", r"start_date_note must say how the inferred start_date", "meetings", f.id(index))



@case("date-basis-without-date")
def _(p: Project) -> Expect:
    f = p.edit("meetings")
    index = f.find(lambda r: "start_date" in r)
    f.drop(index, "start_date")
    f.save()
    return Expect(f.name, f.line(index, "start_date_basis"), "start_date_basis", r"start_date_basis is given but start_date is empty", "meetings", f.id(index))


@case("date-without-basis")
def _(p: Project) -> Expect:
    f = p.edit("meetings")
    index = f.find(lambda r: "start_date" in r and "start_date_as_written" not in r)
    for field in ("start_date_basis", "start_date_note"):
        if field in f.records()[index]:
            f.drop(index, field)
    f.save()
    return Expect(f.name, f.line(index), "start_date_basis", r"start_date_basis is required when start_date is given", "meetings", f.id(index))


@case("deadline-before-made-date")
def _(p: Project) -> Expect:
    f = p.edit("commitments")
    index = f.find(lambda r: "made_date" in r and "deadline" in r)
    line = f.set(index, "deadline", q("2001"))
    f.save()
    return Expect(f.name, line, "deadline", r"deadline 2001 ends before the commitment was made", "commitments", f.id(index))


# -- numbers -----------------------------------------------------------------------------------------------------
def _figure(unit: str) -> Callable[[dict[str, Any]], bool]:
    return lambda r: r.get("unit") == unit and "number" in r


field_case("negative-count", "figures", "number", "-3", r"a count figure cannot be negative", _figure("count"))
field_case("infinite-value", "figures", "number", ".inf", r"finite number", _figure("count"))
field_case("nan-value", "figures", "number", ".nan", r"finite number", _figure("count"))
field_case("percentage-out-of-range", "figures", "number", "150", r"a percentage must lie between 0 and 100", _figure("percent"))
field_case("currency-on-a-count", "figures", "currency", "USD", r"currency is required for a money figure", _figure("count"))

# -- evidence anchoring ------------------------------------------------------------------------------------------


def _quote_case(name: str, change: Callable[[str, str], str | None], message: str) -> None:
    """Rewrite the first evidence quote for which ``change(quote, line)`` gives a new quote."""

    def make(p: Project) -> Expect:
        f = p.edit("people")
        for index, record in enumerate(f.records()):
            for number, item in enumerate(record["evidence"]):
                new = change(item["quote"], p.lines(item["article"])[item["line"] - 1])
                if new is not None:
                    line = f.set_item(index, number, quote=new)
                    f.save()
                    return Expect(f.name, line, f"evidence[{number}].quote", message, "people", f.id(index))
        pytest.fail("no evidence quote fits this case")

    CASES[name] = make


def _repeated_word(quote: str, line: str) -> str | None:
    return next((w for w in re.findall(r"[a-z]{3,}", line) if line.count(w) > 1), None)


def _trailing_space(quote: str, line: str) -> str | None:
    end = line.find(quote) + len(quote)
    return quote + " " if line.count(quote) == 1 and line[end : end + 1] != " " else None


_quote_case("quote-not-in-line", lambda quote, line: quote + " xyzzy", r"is not in the line \(expected an exact copy")
_quote_case("quote-twice-without-occurrence", _repeated_word, r"occurs \d+ times in the line \(expected 'occurrence: N'")
_quote_case("quote-trailing-whitespace", _trailing_space, r"matches once leading/trailing whitespace is removed")
_quote_case("quote-double-space", lambda quote, line: quote.replace(" ", "  ", 1) if " " in quote else None,
            r"matches once runs of whitespace are made single spaces")
_quote_case("quote-curly-apostrophe", lambda quote, line: quote.replace("'", "\u2019") if "'" in quote else None,
            r"matches only if curly quotes")
_quote_case("quote-non-breaking-space", lambda quote, line: quote.replace(" ", "\u00a0", 1) if " " in quote else None,
            r"matches only if curly quotes, dashes or non-breaking spaces")
_quote_case("quote-zero-width-space", lambda quote, line: quote[:2] + "\u200b" + quote[2:], r"invisible character U\+200B")
_quote_case("quote-case-differs", lambda quote, line: quote.upper() if quote.upper() != quote else None,
            r"matches only when case is ignored")


@case("quote-nfd-for-nfc-source")
def _(p: Project) -> Expect:
    article, _, _ = p.article()
    number = p.append_source_line(article, "Caf\u00e9 talks ended.")
    f = p.edit("people")
    line = f.add_item(0, {"article": article, "line": number, "quote": unicodedata.normalize("NFD", "Caf\u00e9 talks")})
    f.save()
    return Expect(f.name, line, f"evidence[{len(f.records()[0]['evidence']) - 1}].quote",
                  r"matches only after Unicode normalization", "people", f.id(0))


item_case("occurrence-out-of-range", "people", r"occurrence 99 asked for, but the quote occurs 1 time", "quote", occurrence=99)
item_case("occurrence-zero", "people", r"greater than or equal to 1", "occurrence", occurrence=0)
item_case("line-zero", "people", r"greater than or equal to 1", "line", line=0)
item_case("line-past-end", "people", r"line 999 is outside", "line", line=999)
item_case("empty-quote", "people", r"at least 1 character", "quote", quote="")
item_case("evidence-field-unknown", "people", r"'depth' is not an annotated field of people", "field", field="depth")
item_case("evidence-field-derived", "people", r"'article_id' is not an annotated field of people", "field", field="article_id")
field_case("as-written-not-in-quotes", "commitments", "made_date_as_written", "a fortnight ago",
           r"occurs in none of the record's evidence quotes", lambda r: "made_date_as_written" in r)



@case("yaml-syntax-error")
def _(p: Project) -> Expect:
    f = p.edit("people")
    line = f.set(0, "name", "Sanae: Takaichi")
    f.save()
    return Expect(f.name, line, None, r"YAML syntax error: mapping values are not allowed here", "people")


# -- YAML files --------------------------------------------------------------------------------------------------


def _file_case(name: str, table: str, content: Callable[[str], bytes], line: int | None | Callable[[str], int], message: str,
               field: str | None = None) -> None:
    """A case that rewrites a whole annotation file from its text."""

    def make(p: Project) -> Expect:
        path = p.root / "annotations" / f"{table}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_bytes(content(text))
        return Expect(f"annotations/{table}.yaml", line(text) if callable(line) else line, field, message, table)

    CASES[name] = make


def _lines_before(marker: str) -> Callable[[str], int]:
    return lambda text: text[: text.index(marker)].count("\n") + 1


_file_case("yaml-tab-indentation", "people", lambda t: t.replace("\n  name:", "\n\tname:", 1).encode(),
           lambda t: _lines_before("\n  name:")(t) + 1, r"tab")
_file_case("yaml-not-utf8", "people", lambda t: t.replace("Takaichi", "Takaich\u00ef", 1).encode("latin-1"),
           _lines_before("Takaichi"), r"not valid UTF-8")
_file_case("yaml-byte-order-mark", "people", lambda t: b"\xef\xbb\xbf" + t.encode(), 1, r"byte-order mark")
_file_case("yaml-crlf-line-breaks", "people", lambda t: t.replace("\n", "\r\n").encode(), 1, r"line break other than LF.*U\+000D")
_file_case("yaml-nul-character", "people", lambda t: t.replace("\n  name:", "\n  name: \x00", 1).encode(),
           lambda t: _lines_before("\n  name:")(t) + 1, r"U\+0000")
_file_case("yaml-empty-file", "people", lambda t: b"", None, r"file is empty")
_file_case("yaml-comments-only", "people", lambda t: b"# nothing here\n", None, r"file is empty")
_file_case("yaml-top-level-mapping", "people", lambda t: b"person_id: x\nname: y\n", 1, r"top level is a mapping")
_file_case("yaml-top-level-scalar", "people", lambda t: b"just some text\n", 1, r"top level is a single value")
_file_case("yaml-list-of-scalars", "people", lambda t: t.replace("\n- ", "\n- loose text\n- ", 1).encode(),
           lambda t: _lines_before("\n- ")(t) + 1, r"list item 'loose text' is not a record \(expected a record")
_file_case("yaml-empty-list-item", "people", lambda t: t.replace("\n- ", "\n-\n- ", 1).encode(),
           lambda t: _lines_before("\n- ")(t) + 1, r"list item is empty \(expected a record")
_file_case("yaml-billion-laughs", "people",
           lambda t: ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
               f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))).encode(),
           2, r"aliases \(\*name\) are not allowed")
_file_case("yaml-deep-nesting", "people", lambda t: ("- name: " + "[" * 5000 + "]" * 5000 + "\n").encode(), 1,
           r"nested more than \d+ levels deep")
_file_case("yaml-python-object-tag", "people",
           lambda t: t.replace("\n  name:", '\n  name: !!python/object/apply:os.system ["echo pwned"]\n  x:', 1).encode(),
           lambda t: _lines_before("\n  name:")(t) + 1, r"tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed", "name")
_file_case("yaml-binary-tag", "people", lambda t: t.replace("\n  name:", "\n  name: !!binary aGVsbG8=\n  x:", 1).encode(),
           lambda t: _lines_before("\n  name:")(t) + 1, r"tag 'tag:yaml.org,2002:binary' is not allowed", "name")
_file_case("yaml-explicit-bool-tag", "people", lambda t: re.sub(r"named_in_text: \w+", "named_in_text: !!bool yes", t, count=1).encode(),
           lambda t: _lines_before("named_in_text")(t), r"'yes' is not a boolean \(expected true or false\)", "named_in_text")
_file_case("yaml-merge-key", "people", lambda t: t.replace("\n  name:", "\n  <<: {x: 1}\n  name:", 1).encode(),
           lambda t: _lines_before("\n  name:")(t) + 1, r"merge keys \(<<\) are not allowed")


@case("unknown-table-file")
def _(p: Project) -> Expect:
    (p.root / "annotations" / "peoples.yaml").write_bytes((p.root / "annotations" / "people.yaml").read_bytes())
    return Expect("annotations/peoples.yaml", None, None, r"nothing reads this file \(did you mean 'people\.yaml'")


@case("missing-table-file")
def _(p: Project) -> Expect:
    (p.root / "annotations" / "comparison_readings.yaml").unlink()
    return Expect("annotations/comparison_readings.yaml", None, None, r"file is missing", "comparison_readings")


# -- sources -----------------------------------------------------------------------------------------------------


def _source_case(name: str, change: Callable[[bytes], bytes], line: Callable[[bytes], int | None], message: str) -> None:
    def make(p: Project) -> Expect:
        article, file, _ = p.article()
        path = p.root / file
        old = path.read_bytes()
        path.write_bytes(change(old))
        return Expect(file, line(old), None, message, "articles", article)

    CASES[name] = make


_source_case("source-crlf-line-breaks", lambda b: b.replace(b"\n", b"\r\n"), lambda b: 1, r"carriage return")
_source_case("source-byte-order-mark", lambda b: b"\xef\xbb\xbf" + b, lambda b: 1, r"byte-order mark")
_source_case("source-not-utf8", lambda b: b.replace(b"\n", b"\n\xe9", 1), lambda b: 2, r"not valid UTF-8")
_source_case("source-empty", lambda b: b"", lambda b: None, r"file is empty")


@case("source-edited-after-annotation")
def _(p: Project) -> Expect:
    article, file, line = p.article()
    path = p.root / file
    path.write_bytes(path.read_bytes().replace(b" ", b"  ", 1))
    return Expect("annotations/articles.yaml", line, "sha256", rf"{file} has SHA-256 [0-9a-f]{{64}}, not the recorded one",
                  "articles", article)


@case("source-missing")
def _(p: Project) -> Expect:
    article, file, _ = p.article()
    (p.root / file).unlink()
    f = p.edit("articles")
    return Expect(f.name, f.line(f.find(lambda r: r["article_id"] == article), "file"), "file", rf"{file} does not exist",
                  "articles", article)


@case("source-not-described")
def _(p: Project) -> Expect:
    (p.root / "sources" / "999_extra.txt").write_text("An article nobody annotated.\n", encoding="utf-8")
    return Expect("sources/999_extra.txt", None, None, r"no row of annotations/articles.yaml describes this source")


field_case("source-path-escapes", "articles", "file", "../pyproject.toml", r"expected: File name under sources/")


@case("two-articles-one-file")
def _(p: Project) -> Expect:
    f = p.edit("articles")
    first = f.records()[0]["file"]
    line = f.set(1, "file", first)
    f.save()
    return Expect(f.name, line, "file", rf"{first} is already described by articles row '{f.id(0)}'", "articles", f.id(1))


# -- the tests ---------------------------------------------------------------------------------------------------


def _matches(problem: dict[str, Any], expect: Expect) -> bool:
    return (
        problem["file"] == expect.file
        and problem["line"] == expect.line
        and problem["field"] == expect.field
        and re.search(expect.message, problem["message"]) is not None
        and expect.table in (None, problem["table"])
        and expect.record_id in (None, problem["record_id"])
    )


def test_there_are_at_least_forty_kinds_of_corruption():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", list(CASES))
def test_corruption_is_refused_with_file_line_and_field_and_nothing_is_published(warm_project, run_build, name):
    expect = CASES[name](Project(warm_project))
    before = tree_bytes(warm_project / "datapackage")

    code, out, err = run_build(warm_project, "validate", "--format", "json")
    assert code == 1, f"accepted: {out}{err}"
    problems = json.loads(out)
    assert any(_matches(p, expect) for p in problems), json.dumps(problems, indent=1)[:4000]

    code, out, err = run_build(warm_project, "build")
    assert code == 1, out
    where = expect.file if expect.line is None else f"{expect.file}:{expect.line}"
    assert any(line.startswith(f"{where}: ") for line in err.splitlines()), err
    assert err.rstrip().endswith("nothing was published.")
    assert tree_bytes(warm_project / "datapackage") == before
    assert not list(warm_project.glob(".datapackage-*"))


@pytest.mark.parametrize("tag", ["python/object/apply:pathlib.Path.touch", "python/object/new:pathlib.Path", "python/name:os.system",
                                 "python/module:os", "python/tuple"])
def test_python_tags_are_refused_and_nothing_is_constructed(tmp_path, tag):
    marker = tmp_path / "constructed"
    raw = f"- name: !!{tag} [{q(str(marker))}]\n".encode()
    with pytest.raises(YamlError, match=r"tag 'tag:yaml.org,2002:python/.*' is not allowed") as error:
        load_records(raw)
    assert (error.value.line, error.value.field) == (1, "name") and not marker.exists()


@pytest.mark.parametrize("name", ["yaml-syntax-error", "missing-table-file", "invalid-language-code", "source-crlf-line-breaks",
                                  "source-edited-after-annotation", "date-basis-without-note"])
def test_one_mistake_is_reported_once(warm_project, run_build, name):
    """What depends on a broken file, article or record is not reported again: the one real problem is not buried."""
    CASES[name](Project(warm_project))
    code, out, _ = run_build(warm_project, "validate", "--format", "json")
    assert code == 1
    assert len(json.loads(out)) == 1, out


def test_the_unmutated_copy_is_valid(project, run_build):
    code, _, err = run_build(project, "validate")
    assert code == 0, err


def test_the_same_id_in_two_tables_is_legal(warm_project, run_build):
    """Ids are unique per table: foreign keys and evidence name the table, so a location and an organization may share one."""
    locations, organizations = Project(warm_project).edit("locations"), Project(warm_project).edit("organizations")
    evidence = ", ".join(f"{k}: {_render(v)}" for k, v in locations.item(0, 0).items())
    organizations.append(f"- organization_id: {locations.id(0)}\n  name: Shared id\n  kind: government\n"
                         f"  evidence:\n    - {{{evidence}}}\n")
    organizations.save()
    code, _, err = run_build(warm_project, "validate")
    assert code == 0, err


def test_the_same_quote_may_support_two_records(warm_project, run_build):
    people = Project(warm_project).edit("people")
    people.add_item(1, people.item(0, 0))
    people.save()
    assert run_build(warm_project, "validate")[0] == 0


def test_an_nfc_quote_of_an_nfc_source_line_is_accepted(warm_project, run_build):
    """The control for quote-nfd-for-nfc-source: the same edit with the exact characters validates."""
    p = Project(warm_project)
    article, _, _ = p.article()
    number = p.append_source_line(article, "Caf\u00e9 talks ended.")
    people = p.edit("people")
    people.add_item(0, {"article": article, "line": number, "quote": "Caf\u00e9 talks"})
    people.save()
    code, _, err = run_build(warm_project, "validate")
    assert code == 0, err
