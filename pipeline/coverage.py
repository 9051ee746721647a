"""Completeness: how much of each sentence the evidence covers, and which sentences are not accounted for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sentencex
from pydantic import ValidationError

from schema.annotation import NoFactSentence
from schema.table import ARTICLE, LINE, TableKind, table_of_kind
from schema.tables import TABLES

from .anchoring import AnchorError, anchor
from .annotations import NO_FACT_FILE
from .dataset import Dataset
from .problems import InvalidInput, Problem
from .yaml_source import YamlError, load_records


@dataclass(frozen=True)
class Sentence:
    article_id: str
    line: int
    number: int  # 1-based within the line
    char_start: int
    char_end: int
    text: str
    covered: float  # share of the sentence's characters inside at least one evidence span
    no_fact_reason: str | None = None

    @property
    def accounted_for(self) -> bool:
        return self.covered > 0 or self.no_fact_reason is not None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a line, trailing whitespace excluded."""
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
    """Every sentence of every article with its evidence coverage."""
    evidence = dataset.tables[table_of_kind(TABLES, TableKind.EVIDENCE).name].select([ARTICLE, LINE, "char_start", "char_end"]).to_pylist()
    no_fact = _no_fact_sentences(root, dataset)
    sentences = []
    for article_id, source in dataset.sources.items():
        for line_number, text in enumerate(source.lines, start=1):
            spans = [(e["char_start"], e["char_end"]) for e in evidence if (e[ARTICLE], e[LINE]) == (article_id, line_number)]
            for number, (start, end) in enumerate(split_sentences(text), start=1):
                covered = {i for s, e in spans for i in range(max(s, start), min(e, end)) if not text[i].isspace()}
                visible = sum(1 for c in text[start:end] if not c.isspace())
                reason = next((r for (a, n, at), r in no_fact.items() if (a, n) == (article_id, line_number) and start <= at < end), None)
                sentences.append(Sentence(article_id, line_number, number, start, end, text[start:end], len(covered) / visible, reason))
    return sentences


def report(sentences: list[Sentence]) -> str:
    lines = []
    for article_id in dict.fromkeys(s.article_id for s in sentences):
        own = [s for s in sentences if s.article_id == article_id]
        accounted = sum(s.accounted_for for s in own)
        lines.append(f"{article_id}: {len(own)} sentences, {accounted} accounted for ({100 * accounted / len(own):.0f}%)")
        for s in own:
            status = f"{100 * s.covered:5.1f}%" if s.covered else ("no fact" if s.no_fact_reason else "  NONE")
            preview = s.text if len(s.text) <= 70 else s.text[:67] + "..."
            lines.append(f"  {s.line:>3}:{s.number:<3}{status:>8}  {preview}")
    missing = [s for s in sentences if not s.accounted_for]
    lines.append("Sentences with no evidence and no no-fact entry:" + ("" if missing else " none"))
    lines += [f"  {s.article_id} line {s.line}, sentence {s.number}: {s.text}" for s in missing]
    return "\n".join(lines)
