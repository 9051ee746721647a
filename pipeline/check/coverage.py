"""Completeness: for every sentence, how much of it evidence covers and which records quote it.

Quoting text is not the same as recording what it asserts: a sentence is accounted for only when a row
of a table declared ``accounts_for_sentences`` (the claims) quotes it, or when it is listed in the
no-fact file with a reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from schema.annotation import NoFactSentence
from schema.table import ARTICLE, LINE, TableKind, sentence_accounting_tables, table_of_kind
from schema.tables import TABLES

from pipeline.load.anchoring import AnchorError, anchor
from pipeline.load.annotations import NO_FACT_FILE
from pipeline.dataset import Dataset
from pipeline.problems import InvalidInput, Problem
from pipeline.load.yaml_source import YamlError, load_records


ACCOUNTING = sentence_accounting_tables(TABLES)


@dataclass(frozen=True)
class Sentence:
    article_id: str
    line: int
    number: int  # 1-based within the line
    char_start: int
    char_end: int
    text: str
    covered: float  # share of the sentence's characters inside at least one evidence span
    records: dict[str, int] = field(default_factory=dict)  # table -> how many of its records quote the sentence
    no_fact_reason: str | None = None

    @property
    def accounted_for(self) -> bool:
        return any(name in self.records for name in ACCOUNTING) or self.no_fact_reason is not None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a line, trailing whitespace excluded."""
    import sentencex  # imported here: only the coverage report splits sentences

    spans = []
    for boundary in sentencex.get_sentence_boundaries("en", text):
        start, end = boundary["start_index"], boundary["end_index"]
        end = start + len(text[start:end].rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def _no_fact_sentences(root: Path, dataset: Dataset) -> dict[tuple[str, int, int], str]:
    """(article, line, char offset) -> reason, from the no-fact file; raises with every problem in it."""
    path = root / NO_FACT_FILE
    if not path.exists():
        return {}
    try:
        mappings = load_records(path.read_bytes())
    except YamlError as error:
        raise InvalidInput([Problem(file=NO_FACT_FILE, line=error.line, message=error.message)]) from None
    found, problems = {}, []
    for mapping in mappings:
        try:
            entry = NoFactSentence.model_validate(dict(mapping))
            source = dataset.sources[entry.article]
            start = anchor(source.line(entry.line) or "", entry.quote, None).char_start
        except (ValidationError, KeyError, AnchorError) as error:
            problems.append(Problem(file=NO_FACT_FILE, line=mapping.line, message=f"cannot place this sentence: {error}"))
            continue
        found[(entry.article, entry.line, start)] = entry.reason
    if problems:
        raise InvalidInput(problems)
    return found


def coverage(root: Path, dataset: Dataset) -> list[Sentence]:
    """Every sentence of every article with its evidence coverage and the records that quote it."""
    evidence_table = table_of_kind(TABLES, TableKind.EVIDENCE)
    table_column, key_column = evidence_table.record_keys[0]
    evidence = dataset.tables[evidence_table.name].select([ARTICLE, LINE, "char_start", "char_end", table_column, key_column]).to_pylist()
    no_fact = _no_fact_sentences(root, dataset)
    sentences = []
    for article_id, source in dataset.sources.items():
        for line_number, text in enumerate(source.lines, start=1):
            spans = [e for e in evidence if (e[ARTICLE], e[LINE]) == (article_id, line_number)]
            for number, (start, end) in enumerate(split_sentences(text), start=1):
                inside = [e for e in spans if e["char_start"] < end and e["char_end"] > start]
                covered = {i for e in inside for i in range(max(e["char_start"], start), min(e["char_end"], end)) if not text[i].isspace()}
                visible = sum(1 for c in text[start:end] if not c.isspace())
                records = Counter(table for table, _ in {(e[table_column], e[key_column]) for e in inside})
                reason = next((r for (a, n, at), r in no_fact.items() if (a, n) == (article_id, line_number) and start <= at < end), None)
                sentences.append(Sentence(article_id, line_number, number, start, end, text[start:end], len(covered) / visible,
                                          dict(sorted(records.items(), key=lambda item: list(TABLES).index(item[0]))), reason))
    return sentences


def report(sentences: list[Sentence]) -> str:
    accounting = ", ".join(ACCOUNTING)
    lines = []
    for article_id in dict.fromkeys(s.article_id for s in sentences):
        own = [s for s in sentences if s.article_id == article_id]
        accounted = sum(s.accounted_for for s in own)
        lines.append(f"{article_id}: {len(own)} sentences, {accounted} accounted for ({100 * accounted / len(own):.0f}%)")
        for s in own:
            status = f"{100 * s.covered:5.1f}%" if s.covered else ("no fact" if s.no_fact_reason else "  NONE")
            preview = s.text if len(s.text) <= 60 else s.text[:57] + "..."
            quoted_by = ", ".join(f"{table} {count}" for table, count in s.records.items()) or "-"
            lines.append(f"  {s.line:>3}:{s.number:<3}{status:>8}  {preview}")
            lines.append(f"          quoted by: {quoted_by}")
    missing = [s for s in sentences if not s.accounted_for]
    lines.append(f"Sentences quoted by no row of {accounting} and not listed as holding no fact:" + ("" if missing else " none"))
    lines += [f"  {s.article_id} line {s.line}, sentence {s.number}: {s.text}" for s in missing]
    return "\n".join(lines)
