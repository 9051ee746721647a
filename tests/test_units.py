"""Units of the build: quote anchoring, date bounds, safe YAML."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load.anchoring import AnchorError, anchor
from pipeline.load.yaml_source import YamlError, load_records
from schema.dates import date_bounds
from tests.conftest import ROOT

LINE = "Trump met Abe; later Trump met Xi."


def test_anchor_gives_offsets_prefix_and_suffix():
    found = anchor(LINE, "met Abe", None)
    assert (found.char_start, found.char_end) == (6, 13)
    assert LINE[found.char_start : found.char_end] == "met Abe"
    assert found.prefix == "Trump " and found.suffix == "; later Trump met Xi."


def test_anchor_needs_an_occurrence_when_the_quote_repeats():
    with pytest.raises(AnchorError, match="occurs 2 times"):
        anchor(LINE, "Trump", None)
    assert anchor(LINE, "Trump", 2).char_start == 21
    with pytest.raises(AnchorError, match="occurrence 3 asked for"):
        anchor(LINE, "Trump", 3)


@pytest.mark.parametrize(
    ("quote", "hint"),
    [(" met Abe ", "whitespace"), ("trump met abe", "case is ignored"), ("Trump met Abe\u037e", "expected an exact copy")],
)
def test_anchor_explains_near_misses(quote, hint):
    with pytest.raises(AnchorError, match=hint):
        anchor(LINE, quote, None)


@pytest.mark.parametrize(
    ("value", "precision", "first", "last"),
    [
        ("2024", "year", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-10-28", "day", dt.date(2025, 10, 28), dt.date(2025, 10, 28)),
    ],
)
def test_date_bounds(value, precision, first, last):
    assert date_bounds(value) == (precision, first, last)


def test_yaml_keeps_dates_and_country_codes_as_text():
    (record,) = load_records(b"- code: NO\n  date: 2025-10-28\n  flag: true\n  other: yes\n")
    assert record == {"code": "NO", "date": "2025-10-28", "flag": True, "other": "yes"}
    assert record.line == 1 and record.key_lines["date"] == 2


@pytest.mark.parametrize(
    ("raw", "line", "message"),
    [
        (b"- a: 1\n  a: 2\n", 2, "duplicate key 'a' (first at line 1)"),
        (b"- &x {a: 1}\n- *x\n", 2, "aliases"),
        (b"- a: !!python/object/apply:os.system [ls]\n", 1, "YAML syntax error"),
        (b"a: 1\n", 1, "top level is a mapping"),
        (b"", None, "file is empty"),
        (b"- a: \xff\n", 1, "not valid UTF-8"),
    ],
)
def test_yaml_refuses_unsafe_or_ambiguous_input(raw, line, message):
    with pytest.raises(YamlError) as error:
        load_records(raw)
    assert error.value.line == line
    assert message in error.value.message


def _shape(value):
    """A loaded value with every line mark, for comparing two loaders exactly."""
    from pipeline.load.yaml_source import Located

    if isinstance(value, Located):
        return ("record", value.line, sorted(value.key_lines.items()), [(k, _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return (type(value).__name__, value)


def _same_or_unsure(text: str) -> None:
    """The fast loader builds exactly what the careful one builds, or declines."""
    from pipeline.load import yaml_source

    try:
        fast = yaml_source._fast_records(text)
    except yaml_source._Unsure:
        return
    assert _shape(fast) == _shape(yaml_source._careful_records(text))


def test_the_fast_loader_builds_what_the_careful_one_builds_for_every_annotation_file():
    from pipeline.load import yaml_source

    for path in sorted((ROOT / "annotations").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert _shape(yaml_source._fast_records(text)) == _shape(yaml_source._careful_records(text)), path.name


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None)
@given(st.sampled_from(["meetings", "external_references", "claims", "people"]), st.integers(0, 10_000), st.integers(0, 40),
       st.text(alphabet="-:#&*!'\"[]{}|>\n\t 0123456789.abcetruNYyon<~%@`,?=/\\", max_size=12))
def test_the_fast_loader_never_disagrees_on_damaged_yaml(table: str, at: int, cut: int, insert: str):
    text = (ROOT / "annotations" / f"{table}.yaml").read_text(encoding="utf-8")[:4000]
    at %= len(text)
    _same_or_unsure(text[:at] + insert + text[at + cut:])
