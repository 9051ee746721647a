"""The 0.2 data model's own rules, and the accessor's views of it, each shown failing and passing."""

from __future__ import annotations

import datetime as dt

import japan_us_summit as jus
from tests.test_bad_input import mutate


def problems(run_build, project) -> str:
    code, _, err = run_build(project, "validate")
    assert code == 1
    return err


def test_an_external_date_must_cite_a_reference(warm_project, run_build):
    line = mutate(warm_project, "annotations/claims.yaml", "  made_date: 2025-10-25\n  made_date_basis: inferred\n",
                  "  made_date: 2025-10-25\n  made_date_basis: external\n")
    assert (f"annotations/claims.yaml:{line + 1}: claims[takaichi-tells-trump-alliance-top-priority].made_date_basis: "
            "an external made_date cites no reference (expected a 'citations' item with 'field: made_date')") in problems(run_build, warm_project)


def test_an_external_evidence_basis_must_cite_a_reference_for_its_field(warm_project, run_build):
    mutate(warm_project, "annotations/meetings.yaml", "    - {reference_id: eleven-myanmar-2019-05-28-abe-trump-summit, field: location_id}\n", "")
    lines = (warm_project / "annotations" / "meetings.yaml").read_text(encoding="utf-8").split("\n")
    line = lines.index("  location_id: state-guest-house", lines.index("- meeting_id: trump-abe-2019-meeting")) + 1
    assert (f"annotations/meetings.yaml:{line}: meetings[trump-abe-2019-meeting].location_id: its value rests on external evidence "
            "but cites no reference (expected a 'citations' item with 'field: location_id')") in problems(run_build, warm_project)


def test_a_citation_names_a_known_reference_and_field(warm_project, run_build):
    mutate(warm_project, "annotations/meetings.yaml", "{reference_id: eleven-myanmar-2019-05-28-abe-trump-summit, field: location_id}",
           "{reference_id: no-such-page, field: location}")
    err = problems(run_build, warm_project)
    assert "citations[trump-abe-2019-meeting].reference_id: 'no-such-page' does not resolve (expected a reference_id of external_references)" in err
    assert "meetings[trump-abe-2019-meeting].location_id: its value rests on external evidence but cites no reference" in err


def test_a_citation_for_an_empty_field_is_refused(warm_project, run_build):
    mutate(warm_project, "annotations/meetings.yaml", "    - {reference_id: eleven-myanmar-2019-05-28-abe-trump-summit, field: location_id}\n",
           "    - {reference_id: eleven-myanmar-2019-05-28-abe-trump-summit, field: location_id}\n"
           "    - {reference_id: eleven-myanmar-2019-05-28-abe-trump-summit, field: end_date}\n")
    assert "cites a reference for end_date, which meetings[trump-abe-2019-meeting] leaves empty" in problems(run_build, warm_project)


def test_an_event_cannot_end_before_it_begins(warm_project, run_build):
    line = mutate(warm_project, "annotations/meetings.yaml", "  end_date: 2025-11-01\n", "  end_date: 2025-10-01\n")
    assert f"annotations/meetings.yaml:{line}: meetings[apec-meeting].end_date: end_date 2025-10-01 ends before start_date 2025-10-31" in problems(run_build, warm_project)


def test_two_items_of_a_list_cannot_share_a_position(warm_project, run_build):
    text = (warm_project / "annotations" / "list_items.yaml").read_text(encoding="utf-8")
    assert "  list_position: 2\n" in text
    mutate(warm_project, "annotations/list_items.yaml", "  list_position: 2\n", "  list_position: 1\n")
    assert "is taken by another item" in problems(run_build, warm_project)


def test_a_relation_joins_only_the_tables_its_predicate_allows(warm_project, run_build):
    line = mutate(warm_project, "annotations/relations.yaml", "  subject_id: sanae-takaichi\n  predicate: protege_of\n",
                  "  subject_id: sanae-takaichi\n  predicate: operator_of\n")
    assert (f"annotations/relations.yaml:{line - 1}: relations[takaichi-protege-of-abe].subject_table: "
            "'operator_of' takes a subject from organizations (got 'people')") in problems(run_build, warm_project)


def test_a_claimant_of_kind_person_names_the_person(warm_project, run_build):
    mutate(warm_project, "annotations/claims.yaml", "  claimant_kind: person\n  claimant_person_id: sanae-takaichi\n  addressee_person_id: donald-trump\n",
           "  claimant_kind: person\n  addressee_person_id: donald-trump\n")
    assert "claims[takaichi-tells-trump-alliance-top-priority].claimant_kind: a claimant of kind 'person' takes claimant_person_id only" in problems(run_build, warm_project)


def test_a_claim_subject_must_resolve_in_the_table_it_names(warm_project, run_build):
    mutate(warm_project, "annotations/claims.yaml", "    - {subject_table: commitments, subject_id: alliance-top-priority}\n",
           "    - {subject_table: people, subject_id: alliance-top-priority}\n")
    assert "claim_subjects[takaichi-tells-trump-alliance-top-priority].subject_id: 'alliance-top-priority' is not a record of people" in problems(run_build, warm_project)


def test_timeline_spans_each_date_by_its_precision():
    timeline = jus.timeline().set_index("meeting_id")
    assert (timeline.loc["takaichi-trump-tokyo-talks", ["first_day", "last_day"]] == [dt.date(2025, 10, 28)] * 2).all()
    assert timeline.loc["apec-meeting", "last_day"] == dt.date(2025, 11, 1)
    assert timeline.loc["national-security-strategy-revision", "start_date_precision"] == "day"
    assert (timeline.loc["trump-japan-visit", ["first_day", "last_day"]] == [dt.date(2025, 10, 27), dt.date(2025, 10, 29)]).all()
    assert list(timeline["first_day"].dropna()) == sorted(timeline["first_day"].dropna())


def test_claims_about_a_record_follow_its_claim_subjects():
    claims = jus.claims_about("people", "shinzo-abe")
    subjects = jus.load("claim_subjects")
    expected = set(subjects[(subjects["subject_table"] == "people") & (subjects["subject_id"] == "shinzo-abe")]["record_id"])
    assert set(claims["claim_id"]) == expected
    assert "takaichi-widely-regarded-as-abe-protege" in expected


def test_comparisons_put_each_articles_reading_side_by_side():
    table = jus.comparisons().set_index("comparison_id")
    venue = table.loc["tokyo-talks-venue"]
    assert venue["reading_kyodo_summit_report"] == "The talks are at the capital's state guest house."
    assert bool(venue["recorded_kyodo_summit_report"]) is True and bool(venue["recorded_unattributed_preview"]) is False
    assert table.loc["yokosuka-visit-only-in-kyodo", "kind"] == "omission"
    assert table["reading_unattributed_preview"].isna()["yokosuka-visit-only-in-kyodo"]
