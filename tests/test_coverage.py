"""Completeness: every sentence of both articles carries evidence or is listed as holding no fact."""

from __future__ import annotations

from pipeline.coverage import split_sentences

from .test_bad_input import mutate

LINE_6 = "Consequently, her administration will rely on other MPs to approve laws, adding a layer of difficulty to her leadership."


def test_every_sentence_of_both_articles_is_accounted_for(project, run_build):
    code, out, _ = run_build(project, "coverage")
    assert code == 0, out
    assert "unattributed-preview: 19 sentences, 19 accounted for (100%)" in out
    assert "kyodo-summit-report: 16 sentences, 16 accounted for (100%)" in out


def test_a_sentence_without_evidence_fails_until_it_is_listed_as_holding_no_fact(project, run_build):
    mutate(project, "annotations/organizations.yaml", '    - {article: unattributed-preview, line: 6, quote: "her administration will rely on other MPs to approve laws", note: "The MPs whose votes her administration needs"}\n', "")
    mutate(project, "annotations/organizations.yaml", '    - {article: unattributed-preview, line: 6, quote: "her administration"}\n', "")
    code, out, _ = run_build(project, "coverage")
    assert code == 1
    assert f"unattributed-preview line 6, sentence 1: {LINE_6}" in out
    (project / "annotations" / "no_fact_sentences.yaml").write_text(
        '- {article: unattributed-preview, line: 6, quote: "Consequently", reason: "Commentary on consequences; no new entity or commitment"}\n'
    )
    code, out, _ = run_build(project, "coverage")
    assert code == 0, out
    assert "no fact  Consequently" in out


def test_sentences_are_split_without_breaking_abbreviations():
    text = "U.S. President Donald Trump met her. He is on a tour from Friday.  Then Korea."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "U.S. President Donald Trump met her.", "He is on a tour from Friday.", "Then Korea."]
