"""The 0.3 structures, each shown refused and accepted: EDTF dates, symmetric and acyclic predicates, figures of
several commitments, attribution chains."""

from __future__ import annotations

import datetime as dt

import pytest
from edtf import parse_edtf, struct_time_to_date
from hypothesis import given, settings
from hypothesis import strategies as st

from schema.dates import EARLIEST_YEAR, LATEST_YEAR, DateError, date_bounds
from tests.test_bad_input import mutate

RIVALRY = "  subject_id: government-of-china\n  predicate: rival_of\n  object_table: organizations\n  object_id: government-of-the-united-states\n"


def problems(run_build, project) -> str:
    code, _, err = run_build(project, "validate")
    assert code == 1, err
    return err


def append(project, file: str, text: str) -> int:
    """Add records at the end of an annotation file; return the line the addition starts at."""
    path = project / "annotations" / file
    old = path.read_text(encoding="utf-8")
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


@pytest.mark.parametrize(
    ("value", "precision", "first", "last"),
    [
        ("2025-10-27/2025-10-29", "day", dt.date(2025, 10, 27), dt.date(2025, 10, 29)),  # an interval
        ("2025-10-27?", "day", dt.date(2025, 10, 27), dt.date(2025, 10, 27)),  # an uncertain day: the day it names
        ("2025-10-28~", "day", dt.date(2025, 10, 28), dt.date(2025, 10, 28)),  # approximate
        ("2025-10-XX", "month", dt.date(2025, 10, 1), dt.date(2025, 10, 31)),  # unspecified day
        ("2024-XX", "year", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("[2025-10-26,2025-10-27]", "day", dt.date(2025, 10, 26), dt.date(2025, 10, 27)),  # "26 or 27 October"
        ("2025-09/2025-10-03", "month", dt.date(2025, 9, 1), dt.date(2025, 10, 3)),
    ],
)
def test_edtf_bounds(value, precision, first, last):
    assert date_bounds(value) == (precision, first, last)


@settings(max_examples=40, deadline=None)  # each edtf parse takes tens of milliseconds
@given(st.dates(dt.date(EARLIEST_YEAR, 1, 1), dt.date(LATEST_YEAR, 12, 31)), st.sampled_from([4, 7, 10]))
def test_plain_dates_are_bounded_as_the_edtf_package_bounds_them(day, length):
    """A plain YYYY, YYYY-MM or YYYY-MM-DD is bounded without the edtf parser: the same days as its strict bounds."""
    value = day.isoformat()[:length]
    parsed = parse_edtf(value)
    expected = (struct_time_to_date(parsed.lower_strict()), struct_time_to_date(parsed.upper_strict()))
    assert date_bounds(value)[1:] == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-10-27/..", "is not an accepted date"),  # open: no last day
        ("2025-10-2X", "is not an accepted date"),  # the edtf package cannot bound it
        ("2025-21", "not a calendar date"),  # a season
        ("2025-02-30/2025-03-01", "not a calendar date"),
        ("2025-10-29/2025-10-27", "ends before it begins"),
        ("26 or 27 October", "is not an accepted date"),
    ],
)
def test_edtf_refusals(value, message):
    with pytest.raises(DateError, match=message):
        date_bounds(value)


def test_an_edtf_interval_and_an_uncertain_day_are_published_with_their_bounds(warm_project, run_build):
    import pyarrow.parquet as pq

    mutate(warm_project, "annotations/meetings.yaml", "  end_date: 2025-11-01\n", "  end_date: 2025-10-31?/2025-11-01\n")
    code, _, err = run_build(warm_project, "build")
    assert code == 0, err
    rows = {r["meeting_id"]: r for r in pq.read_table(warm_project / "datapackage/parquet/meetings.parquet").to_pylist()}
    apec = rows["apec-meeting"]
    assert (apec["end_date"], apec["end_date_precision"], apec["end_date_earliest"], apec["end_date_latest"]) == (
        "2025-10-31?/2025-11-01", "day", dt.date(2025, 10, 31), dt.date(2025, 11, 1))
    articles = {r["article_id"]: r for r in pq.read_table(warm_project / "datapackage/parquet/articles.parquet").to_pylist()}
    preview = articles["unattributed-preview"]
    assert (preview["published_date"], preview["published_date_earliest"], preview["published_date_latest"]) == (
        "[2025-10-26,2025-10-27]", dt.date(2025, 10, 26), dt.date(2025, 10, 27))


def test_an_open_interval_is_refused_with_the_forms_accepted(warm_project, run_build):
    line = mutate(warm_project, "annotations/meetings.yaml", "  end_date: 2025-11-01\n", "  end_date: 2025-10-31/..\n")
    err = problems(run_build, warm_project)
    assert f"annotations/meetings.yaml:{line}: meetings[apec-meeting].end_date:" in err
    assert "(expected a date written YYYY, YYYY-MM or YYYY-MM-DD" in err and "A/B for an interval, [A,B] for one of a set" in err


def test_a_reversed_symmetric_relation_is_refused_as_a_duplicate(warm_project, run_build):
    line = append(warm_project, "relations.yaml", """
- relation_id: us-china-rivalry-reversed
  subject_table: organizations
  subject_id: government-of-the-united-states
  predicate: rival_of
  object_table: organizations
  object_id: government-of-china
  evidence:
    - {article: kyodo-summit-report, line: 3, quote: "the rivalry between Washington and Beijing"}
""")
    err = problems(run_build, warm_project)
    assert (f"annotations/relations.yaml:{line + 3}: relations[us-china-rivalry-reversed].subject_id: duplicates relation "
            "'us-china-rivalry': rival_of is symmetric, so 'government-of-the-united-states' rival_of 'government-of-china' "
            "is the same relation read backwards (remove this row)") in err


def test_a_symmetric_relation_written_backwards_is_refused_with_the_swap(warm_project, run_build):
    mutate(warm_project, "annotations/relations.yaml", RIVALRY,
           "  subject_id: government-of-the-united-states\n  predicate: rival_of\n  object_table: organizations\n  object_id: government-of-china\n")
    assert ("relations[us-china-rivalry].subject_id: rival_of is symmetric and stored once, subject before object in (table, id) "
            "order (expected subject 'government-of-china' and object 'government-of-the-united-states': swap them)") in problems(run_build, warm_project)


def test_a_part_of_cycle_is_refused(warm_project, run_build):
    # takaichi-trump-tokyo-talks is part of trump-japan-visit by its parent_meeting_id; a relation back closes the loop
    line = append(warm_project, "relations.yaml", """
- relation_id: japan-visit-part-of-tokyo-talks
  subject_table: meetings
  subject_id: trump-japan-visit
  predicate: part_of
  object_table: meetings
  object_id: takaichi-trump-tokyo-talks
  evidence:
    - {article: kyodo-summit-report, line: 3, quote: "the talks"}
""")
    err = problems(run_build, warm_project)
    assert f"annotations/relations.yaml:{line + 6}: relations[japan-visit-part-of-tokyo-talks].object_id: part_of cannot form a cycle (" in err
    assert "meetings[trump-japan-visit] -> meetings[takaichi-trump-tokyo-talks] -> meetings[trump-japan-visit]" in err
    assert "reverse or remove one of its relations" in err


def test_a_located_in_cycle_of_relations_alone_is_refused(warm_project, run_build):
    append(warm_project, "relations.yaml", """
- relation_id: yokosuka-base-at-george-washington
  subject_table: locations
  subject_id: yokosuka-navy-base
  predicate: located_in
  object_table: locations
  object_id: george-washington
  evidence:
    - {article: kyodo-summit-report, line: 3, quote: "the aircraft carrier George Washington"}
""")
    err = problems(run_build, warm_project)
    assert err.count("located_in cannot form a cycle") == 2
    assert "relations[george-washington-at-yokosuka-base].object_id" in err and "relations[yokosuka-base-at-george-washington].object_id" in err


def test_a_figure_of_two_commitments_is_the_target_of_both(warm_project, run_build):
    import pyarrow.parquet as pq

    code, _, err = run_build(warm_project, "build")
    assert code == 0, err
    links = pq.read_table(warm_project / "datapackage/parquet/figure_commitments.parquet").to_pylist()
    owners = {row["commitment_id"] for row in links if row["record_id"] == "defense-spending-2-percent-of-gdp"}
    assert owners == {"japan-defense-spending-2-percent-by-march", "japan-defense-spending-fiscal-2027-goal"}
    commitments = {r["commitment_id"]: r for r in pq.read_table(warm_project / "datapackage/parquet/commitments.parquet").to_pylist()}
    assert {c for c, r in commitments.items() if r["target_figure_id"] == "defense-spending-2-percent-of-gdp"} == owners


def test_a_target_figure_must_list_its_commitment(warm_project, run_build):
    mutate(warm_project, "annotations/figures.yaml", "    - {commitment_id: japan-defense-spending-fiscal-2027-goal, note: \"The earlier", "    - {commitment_id: national-security-strategy-update, note: \"The earlier")
    assert ("commitments[japan-defense-spending-fiscal-2027-goal].target_figure_id: figure 'defense-spending-2-percent-of-gdp' does not belong "
            "to this commitment (expected {commitment_id: japan-defense-spending-fiscal-2027-goal} in that figure's 'commitments' list)") in problems(run_build, warm_project)


REPORTER = """
- claim_id: white-house-source-reports-protege-consensus
  statement: A White House source reports that Takaichi is widely regarded as a protege of Abe.
  claimant_kind: anonymous_source
  claimant_description: a White House source
  modality: asserted
  polarity: affirmed
  about:
    - {subject_table: claims, subject_id: takaichi-widely-regarded-as-abe-protege, asserts: true}
  evidence:
    - {article: kyodo-summit-report, line: 3, quote: "according to a White House source"}
"""
PROTEGE_CLAIM = "- claim_id: takaichi-widely-regarded-as-abe-protege\n"


def test_an_attribution_chain_says_who_reports_whom(warm_project, run_build):
    from japan_us_summit import _views
    from japan_us_summit._files import DataPackage

    append(warm_project, "claims.yaml", REPORTER)
    mutate(warm_project, "annotations/claims.yaml", PROTEGE_CLAIM, PROTEGE_CLAIM + "  within_claim_id: white-house-source-reports-protege-consensus\n")
    code, _, err = run_build(warm_project, "build")
    assert code == 0, err
    package = DataPackage(warm_project / "datapackage")
    relations = _views.facts(package, "relations", None).set_index("relation_id")
    protege = relations.loc["takaichi-protege-of-abe"]
    assert (protege["voice"], protege["asserted_by"]) == ("reported", "takaichi-widely-regarded-as-abe-protege")
    assert protege["attribution"] == "anonymous_source (a White House source) > reported_consensus (widely)"
    # asserted by a claim in the article's own voice as well as by a reported consensus: the article states it
    assert relations.loc["trump-rapport-with-abe", "voice"] == "article"
    assert relations.loc["trump-rapport-with-abe", "asserted_by"] == "trump-abe-close-relationship; trump-known-for-rapport-with-abe"
    reported = _views.facts(package, "claims", "reported")
    assert "white-house-source-reports-protege-consensus" in set(reported["claim_id"])
    assert not (_views.facts(package, "claims", "article")["claimant_kind"] != "article_voice").any()


def test_a_claim_cannot_be_reported_inside_itself(warm_project, run_build):
    append(warm_project, "claims.yaml", REPORTER.replace("  claimant_kind: anonymous_source",
                                                    "  within_claim_id: takaichi-widely-regarded-as-abe-protege\n  claimant_kind: anonymous_source"))
    mutate(warm_project, "annotations/claims.yaml", PROTEGE_CLAIM, PROTEGE_CLAIM + "  within_claim_id: white-house-source-reports-protege-consensus\n")
    err = problems(run_build, warm_project)
    assert ("claims[takaichi-widely-regarded-as-abe-protege].within_claim_id: 'takaichi-widely-regarded-as-abe-protege' is its own ancestor "
            "(takaichi-widely-regarded-as-abe-protege -> white-house-source-reports-protege-consensus -> takaichi-widely-regarded-as-abe-protege)") in err


def test_the_articles_own_voice_is_inside_no_claim(warm_project, run_build):
    line = mutate(warm_project, "annotations/claims.yaml", "- claim_id: trump-abe-close-relationship\n",
                  "- claim_id: trump-abe-close-relationship\n  within_claim_id: trump-known-for-rapport-with-abe\n")
    assert (f"annotations/claims.yaml:{line + 1}: claims[trump-abe-close-relationship].within_claim_id: a claim in the article's own voice "
            "is made inside no other claim") in problems(run_build, warm_project)
