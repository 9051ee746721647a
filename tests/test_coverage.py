"""Completeness: every sentence of both articles is quoted by a claim or listed as holding no fact."""

from __future__ import annotations

import yaml

from pipeline.check.coverage import split_sentences

LINE_6 = "Consequently, her administration will rely on other MPs to approve laws, adding a layer of difficulty to her leadership."


def test_every_sentence_of_both_articles_is_accounted_for(warm_project, run_build):
    code, out, _ = run_build(warm_project, "coverage")
    assert code == 0, out
    assert "unattributed-preview: 19 sentences, 19 accounted for (100%)" in out
    assert "kyodo-summit-report: 16 sentences, 16 accounted for (100%)" in out


def test_a_sentence_quoted_by_no_claim_fails_until_it_is_listed_as_holding_no_fact(warm_project, run_build):
    """Evidence on entities is not enough: a sentence is accounted for by a claim that quotes it."""
    path = warm_project / "annotations" / "claims.yaml"
    claims = yaml.safe_load(path.read_text(encoding="utf-8"))
    on_line_6 = {c["claim_id"] for c in claims if any((e["article"], e["line"]) == ("unattributed-preview", 6) for e in c["evidence"])}
    assert on_line_6
    kept = [c | {"about": [a for a in c["about"] if a["subject_id"] not in on_line_6]} for c in claims if c["claim_id"] not in on_line_6]
    path.write_text(yaml.safe_dump(kept, sort_keys=False, allow_unicode=True), encoding="utf-8")
    code, out, _ = run_build(warm_project, "coverage")
    assert code == 1, out
    assert f"unattributed-preview line 6, sentence 1: {LINE_6}" in out
    with (warm_project / "annotations" / "no_fact_sentences.yaml").open("a", encoding="utf-8") as file:
        file.write('- {article: unattributed-preview, line: 6, quote: "Consequently", reason: "Commentary on consequences"}\n')
    code, out, _ = run_build(warm_project, "coverage")
    assert code == 0, out
    assert "Sentences quoted by no row of claims and not listed as holding no fact: none" in out


def test_sentences_are_split_without_breaking_abbreviations():
    text = "U.S. President Donald Trump met her. He is on a tour from Friday.  Then Korea."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "U.S. President Donald Trump met her.", "He is on a tour from Friday.", "Then Korea."]
