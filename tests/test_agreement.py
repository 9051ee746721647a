"""The agreement of a second annotation with the dataset: matching by evidence, record and field figures, kappa;
and the build publishing them (or saying they are not measured)."""

from __future__ import annotations

import json
import shutil

import pytest

from japan_us_summit._layout import AGREEMENT, CARD
from forms.agreement import NOT_MEASURED
from pipeline.check.agreement import Record, kappa, match, score
from pipeline.project import SECOND_ANNOTATION_DIR
from schema.tables import TABLES

ORGS = "organizations"  # a record table with a vocabulary field (kind), a value (country_code) and a self-reference


def org(key: str, start: int, kind: str, country: str | None = None, parent: str | None = None, line: int = 1) -> Record:
    """An organization quoted by one span of ten characters at ``start`` on ``line``."""
    values = {"name": key.upper(), "kind": kind, "country_code": country, "parent_organization_id": parent, "note": None}
    return Record(key=key, values=values, spans=(("art", line, start, start + 10, None),), links={"citations": ()})


DATA = [
    org("a", 0, "political_party", "JP"),
    org("b", 20, "political_party", "JP", parent="a"),
    org("c", 40, "government", "US"),
    org("d", 60, "parliament", "JP"),
    org("e", 80, "government", "US", parent="d"),
]


def test_a_second_annotation_equal_to_the_data_scores_one_everywhere():
    renamed = {record.key: f"second-{record.key}" for record in DATA}
    second = [Record(renamed[r.key], {**r.values, "parent_organization_id": renamed.get(r.values["parent_organization_id"])},
                     r.spans, r.links) for r in reversed(DATA)]
    figures = score(TABLES, {ORGS: DATA}, {ORGS: second})["tables"][ORGS]
    assert (figures["precision"], figures["recall"], figures["f1"], figures["field_agreement"]) == (1.0, 1.0, 1.0, 1.0)
    assert all(f["agreement"] == 1.0 for f in figures["fields"].values())
    assert figures["fields"]["kind"]["kappa"] == 1.0


def test_a_removed_record_a_changed_field_and_a_changed_vocabulary_value_give_the_figures_computed_by_hand():
    second = [
        org("a2", 2, "political_party", "JP"),  # overlaps a by 8 of 12 characters
        org("b2", 20, "political_party", "KR", parent="a2"),  # country changed; its parent is a's partner
        org("c2", 40, "political_party", "US"),  # kind changed: government -> political_party
        org("e2", 85, "government", "US", parent="d2"),  # d is not in the second annotation, so d2 matches nothing
    ]
    figures = score(TABLES, {ORGS: DATA}, {ORGS: second})["tables"][ORGS]
    assert (figures["dataset_records"], figures["second_records"], figures["matched"]) == (5, 4, 4)
    assert figures["precision"] == 1.0 and figures["recall"] == 0.8
    assert figures["f1"] == round(2 * 1.0 * 0.8 / 1.8, 4)
    fields = figures["fields"]
    assert fields["country_code"]["agreement"] == 0.75
    assert fields["parent_organization_id"]["agreement"] == 0.75  # b2 -> a2 agrees (a2 is a's partner); e2 -> d2 does not
    assert fields["name"]["kind"] == "text" and fields["name"]["agreement"] == 0.0  # the keys differ, so the names do
    # kind, pairs (data, second): party/party, party/party, government/party, government/government.
    # Observed agreement 3/4; chance: data 1/2 party, 1/2 government; second 3/4 party, 1/4 government,
    # so p_e = 1/2 * 3/4 + 1/2 * 1/4 = 1/2 and kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2.
    assert fields["kind"]["agreement"] == 0.75 and fields["kind"]["kappa"] == 0.5
    # Not free text: kind 3, country_code 3, parent 3 agreeing of 4 each. Not compared: the external wikidata_id
    # and the citations, which point into external_references, a table the second annotation does not cover.
    assert "wikidata_id" not in fields and "citations" not in fields
    assert figures["field_agreement"] == 9 / 12


def test_records_without_a_shared_character_do_not_match_and_count_against_both_figures():
    figures = score(TABLES, {ORGS: DATA[:1]}, {ORGS: [org("x", 10, "political_party", "JP")]})["tables"][ORGS]
    assert (figures["matched"], figures["precision"], figures["recall"], figures["f1"]) == (0, 0.0, 0.0, 0.0)
    assert figures["fields"]["kind"]["agreement"] is None


def test_records_of_equal_overlap_are_told_apart_by_their_fields():
    data = [org("p", 0, "government", "US"), org("q", 0, "parliament", "JP")]
    second = [org("q2", 0, "parliament", "JP"), org("p2", 0, "government", "US")]
    assert match(data, second, likeness=lambda s, d: float(s.values["kind"] == d.values["kind"])) == {"q2": "q", "p2": "p"}
    assert score(TABLES, {ORGS: data}, {ORGS: second})["tables"][ORGS]["field_agreement"] == 1.0


def test_ids_in_link_lists_are_compared_through_the_match():
    def claim(key: str, subject: str, span_start: int) -> Record:
        values = {name: None for name, spec in TABLES["claims"].fields.items() if TABLES["claims"].annotated_field(name)}
        about = ({"subject_table": ORGS, "subject_id": subject, "note": None},)
        return Record(key, values | {"claim_id": key}, (("art", 2, span_start, span_start + 30, None),), {"about": about, "citations": ()})

    data = {ORGS: DATA, "claims": [claim("says", "c", 0)]}
    agreeing = {ORGS: [org("c2", 40, "government", "US")], "claims": [claim("says2", "c2", 5)]}
    other = {ORGS: [org("c2", 40, "government", "US")], "claims": [claim("says2", "unknown", 5)]}
    assert score(TABLES, data, agreeing)["tables"]["claims"]["fields"]["about"]["agreement"] == 1.0
    assert score(TABLES, data, other)["tables"]["claims"]["fields"]["about"]["agreement"] == 0.0


def test_kappa_is_undefined_for_one_category_and_counts_empty_as_a_category():
    assert kappa([("x", "x"), ("x", "x")]) is None
    assert kappa([("x", None), (None, "x")]) == -1.0


def _second_annotation(project, tables: dict[str, int | None]) -> None:
    """A second annotation made of the project's own files: for each table, drop record number ``n`` (None: keep all)."""
    import yaml

    folder = project / SECOND_ANNOTATION_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, dropped in tables.items():
        records = yaml.safe_load((project / "annotations" / f"{name}.yaml").read_text(encoding="utf-8"))
        if dropped is not None:
            del records[dropped]
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_without_a_second_annotation_the_card_and_data_dictionary_say_not_measured(warm_project, run_build):
    shutil.rmtree(warm_project / "agreement", ignore_errors=True)
    assert run_build(warm_project, "build")[0] == 0
    assert not (warm_project / "datapackage" / AGREEMENT).exists()
    assert NOT_MEASURED in (warm_project / "datapackage" / CARD).read_text() and NOT_MEASURED in (warm_project / "DATA.md").read_text()
    code, out, _ = run_build(warm_project, "agreement")
    assert code == 0 and out.startswith("Not measured")


def test_the_build_publishes_the_figures_and_check_fails_when_they_are_stale(warm_project, run_build):
    shutil.rmtree(warm_project / "agreement", ignore_errors=True)
    _second_annotation(warm_project, {"people": 0, ORGS: None})
    code, out, err = run_build(warm_project, "build")
    assert code == 0, err
    published = json.loads((warm_project / "datapackage" / AGREEMENT).read_text())
    people = published["tables"]["people"]
    assert list(published["tables"]) == ["people", ORGS]
    assert people["second_records"] == people["dataset_records"] - 1 == people["matched"]
    assert people["precision"] == 1.0 and people["recall"] == round(people["matched"] / people["dataset_records"], 4)
    assert published["tables"][ORGS]["f1"] == 1.0 and published["tables"][ORGS]["field_agreement"] == 1.0
    for text in ((warm_project / "datapackage" / CARD).read_text(), (warm_project / "DATA.md").read_text()):
        assert "| `people` |" in text and NOT_MEASURED not in text
    assert "stale:" not in run_build(warm_project, "check")[2]  # (check may still ask for a release: the data changed since the last)
    _second_annotation(warm_project, {ORGS: 0})
    code, _, err = run_build(warm_project, "check")
    assert code == 1
    assert f"stale: datapackage/{AGREEMENT} differs" in err and "stale: DATA.md differs" in err and f"stale: datapackage/{CARD} differs" in err


def test_a_quote_not_in_its_line_is_a_problem_with_its_file_and_line(warm_project, run_build):
    folder = warm_project / SECOND_ANNOTATION_DIR
    shutil.rmtree(warm_project / "agreement", ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "people.yaml").write_text(
        "- person_id: someone\n  name: Someone\n  named_in_text: true\n  evidence:\n"
        "    - {article: kyodo-summit-report, line: 3, quote: \"words the article never uses\"}\n", encoding="utf-8")
    (folder / "peple.yaml").write_text("[]\n", encoding="utf-8")
    code, _, err = run_build(warm_project, "agreement")
    assert code == 1
    assert f"{SECOND_ANNOTATION_DIR}/people.yaml:5: people[someone].evidence[0].quote: quote 'words the article never uses' is not in the line" in err
    assert f"{SECOND_ANNOTATION_DIR}/peple.yaml: nothing reads this file" in err


@pytest.mark.parametrize("output", ["text", "json"])
def test_the_agreement_command_prints_every_covered_table(warm_project, run_build, output):
    shutil.rmtree(warm_project / "agreement", ignore_errors=True)
    _second_annotation(warm_project, {"people": None})
    code, out, err = run_build(warm_project, "agreement", "--format", output)
    assert code == 0, err
    if output == "json":
        assert json.loads(out)["tables"]["people"]["f1"] == 1.0
    else:
        name, data, second, matched = out.splitlines()[1].split()[:4]
        assert name == "people" and data == second == matched


def test_a_span_that_supports_a_field_tells_records_apart_by_that_field():
    # "a ceasefire agreement between Thai and Cambodian forces": "Thai and Cambodian forces" starts at 30,
    # "Thai" at 30, "Cambodian" at 39. By characters alone the second annotation's "cambodian" (quoting
    # "Thai and Cambodian forces") is the data's "thai" (the same quote); the country spans say otherwise.
    def forces(key: str, start: int, code_at: int, code_length: int) -> Record:
        return Record(key, {}, (("art", 8, start, 55, None), ("art", 8, code_at, code_at + code_length, "country_code")))

    data = [forces("thai", 30, 30, 4), forces("cambodian", 39, 39, 9)]
    second = [forces("thai2", 0, 30, 4), forces("cambodian2", 30, 39, 9)]
    assert match(data, second) == {"thai2": "thai", "cambodian2": "cambodian"}
