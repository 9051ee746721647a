"""Split a line of text at every evidence-span boundary, for highlighting overlapping and nested spans.

Evidence spans overlap, nest and cross each other, so they cannot all be elements around their own
text. The line is therefore cut at every span boundary into segments; each covered segment lists
the spans covering it (most specific first). In addition every span gets exactly one wrapper
element, opened where the span starts: spans that nest inside it become its children, and a span
that crosses the end of an enclosing one is cut off there (its remaining segments still list it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Union


@dataclass(frozen=True)
class Span:
    """An evidence span on one line: [start, end) in characters; a smaller ``rank`` is more specific."""

    evidence_id: str
    start: int
    end: int
    rank: tuple = ()


@dataclass(frozen=True)
class Plain:
    """Text no span covers."""

    kind: ClassVar[str] = "plain"
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Segment:
    """Text between two consecutive boundaries, covered by ``evidence_ids`` (most specific first)."""

    kind: ClassVar[str] = "segment"
    start: int
    end: int
    text: str
    evidence_ids: tuple[str, ...]

    @property
    def depth(self) -> int:
        return len(self.evidence_ids)


@dataclass
class Wrapper:
    """The one element of a span: it starts where the span starts and holds what nests inside it."""

    kind: ClassVar[str] = "wrapper"
    evidence_id: str
    start: int
    end: int  # where the element ends: the span's end, or earlier where it crosses an enclosing span
    span_end: int  # where the span itself ends
    children: list[Node] = field(default_factory=list)

    @property
    def clipped(self) -> bool:
        return self.end < self.span_end


Node = Union[Plain, Segment, Wrapper]


def specificity(span: Span) -> tuple:
    """Sort key, most specific first: the shortest span, then the span's own rank."""
    return (span.end - span.start, span.rank, span.evidence_id)


def ranges(length: int, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut [0, length) into one range per sentence, each extended to where the next begins (so that
    the whitespace between sentences, and any span starting in it, belongs to a range)."""
    if not sentences:
        return [(0, length)] if length else []
    starts = [0] + [start for start, _ in sentences[1:]]
    ends = [start for start, _ in sentences[1:]] + [length]
    return list(zip(starts, ends))


def layout(text: str, start: int, end: int, spans: Sequence[Span]) -> list[Node]:
    """The nodes of ``text[start:end]``: plain text, covered segments, and one wrapper for each span
    that starts in the range (spans starting before it appear only in the segments they cover)."""
    inside = [s for s in spans if s.start < end and s.end > start and s.end > s.start]
    bounds = sorted({start, end} | {min(end, max(start, b)) for s in inside for b in (s.start, s.end)})
    # Outer elements first: earlier start, then longer, then (for equal ranges) the less specific.
    owners = sorted(sorted((s for s in inside if start <= s.start < end), key=specificity, reverse=True),
                    key=lambda s: (s.start, -s.end))
    root: list[Node] = []
    stack: list[tuple[int, list[Node]]] = [(end, root)]  # (where the open element ends, its children)
    next_owner = 0
    for a, b in zip(bounds, bounds[1:]):
        while stack[-1][0] <= a:
            stack.pop()
        while next_owner < len(owners) and owners[next_owner].start == a:
            span = owners[next_owner]
            wrapper = Wrapper(span.evidence_id, a, min(span.end, stack[-1][0]), span.end)
            stack[-1][1].append(wrapper)
            stack.append((wrapper.end, wrapper.children))
            next_owner += 1
        covering = sorted((s for s in inside if s.start < b and s.end > a), key=specificity)
        piece = text[a:b]
        stack[-1][1].append(Segment(a, b, piece, tuple(s.evidence_id for s in covering)) if covering else Plain(a, b, piece))
    return root


def walk(nodes: Sequence[Node]):
    """Every node, depth first, in document order."""
    for node in nodes:
        yield node
        if isinstance(node, Wrapper):
            yield from walk(node.children)


def flat_text(nodes: Sequence[Node]) -> str:
    """The text the nodes render, in order."""
    return "".join(n.text for n in walk(nodes) if not isinstance(n, Wrapper))
