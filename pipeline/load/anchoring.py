"""Anchor a quote to its line: find it, compute offsets, and take a W3C-style prefix and suffix."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from pipeline.problems import shown

CONTEXT_CHARS = 32
_SPACES = re.compile(r"[ \t\n]+")
_LOOKALIKES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-", "\u2014": "-"})


@dataclass(frozen=True)
class Anchor:
    char_start: int
    char_end: int
    prefix: str | None
    suffix: str | None


class AnchorError(ValueError):
    pass


def occurrences(line: str, quote: str) -> list[int]:
    """Every start offset of ``quote`` in ``line``, overlapping ones included."""
    starts, at = [], line.find(quote)
    while at != -1:
        starts.append(at)
        at = line.find(quote, at + 1)
    return starts


def _near_miss(line: str, quote: str) -> str:
    """Explain why a quote that is absent almost matches, if it does."""
    if quote.strip() != quote and quote.strip() in line:
        return "; it matches once leading/trailing whitespace is removed (quotes are exact, whitespace included)"
    if _SPACES.sub(" ", quote) in _SPACES.sub(" ", line):
        return "; it matches once runs of whitespace are made single spaces (quotes are exact, whitespace included)"
    visible = "".join(c for c in quote if unicodedata.category(c) != "Cf")
    if visible != quote and visible in line:
        hidden = ", ".join(sorted({f"U+{ord(c):04X}" for c in quote if c not in visible}))
        return f"; it matches once the invisible character {hidden} is removed"
    if unicodedata.normalize("NFC", quote) in unicodedata.normalize("NFC", line):
        return "; it matches only after Unicode normalization (copy the characters from the source)"
    if quote.translate(_LOOKALIKES) in line.translate(_LOOKALIKES):
        return "; it matches only if curly quotes, dashes or non-breaking spaces are swapped for plain ones"
    if quote.casefold() in line.casefold():
        return "; it matches only when case is ignored"
    return ""


CLOSE_ENOUGH = 0.6  # a passage less alike than this (difflib's ratio) is not offered as the one meant
_TOKENS = re.compile(r"\w+|\W")


def closest_passage(line: str, quote: str) -> tuple[str, float] | None:
    """The passage of ``line`` most like ``quote``, and how alike they are (0 to 1), or None if none is close.

    Each third of the quote proposes where the passage starts (its longest common run with the line); around
    each proposal, starts and lengths a few characters off are scored with ``difflib.SequenceMatcher``."""
    if not line or not quote:
        return None
    size, slack = len(quote), max(3, len(quote) // 10)
    starts = set()
    for begin in range(0, size, max(1, size // 3)):
        piece = quote[begin : begin + max(1, size // 3)]
        match = difflib.SequenceMatcher(None, line, piece, autojunk=False).find_longest_match()
        if match.size:
            starts.add(match.a - begin)
    best: tuple[float, str] | None = None
    for proposed in starts:
        for start in range(max(0, proposed - slack), min(len(line), proposed + slack) + 1):
            for end in range(start + max(1, size - slack), min(len(line), start + size + slack) + 1):
                ratio = difflib.SequenceMatcher(None, line[start:end], quote, autojunk=False).ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, line[start:end])
    if best is None or best[0] < CLOSE_ENOUGH:
        return None
    return best[1], best[0]


def differences(passage: str, quote: str, limit: int = 3) -> list[str]:
    """How ``quote`` differs from ``passage``, word by word: "'nuclear' where the quote has 'nucelar'"..."""
    said, written = _TOKENS.findall(passage), _TOKENS.findall(quote)
    found = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, said, written, autojunk=False).get_opcodes():
        theirs, ours = "".join(said[a1:a2]), "".join(written[b1:b2])
        if op == "replace":
            found.append(f"{theirs!r} where the quote has {ours!r}")
        elif op == "delete":
            found.append(f"{theirs!r}, which the quote lacks")
        elif op == "insert":
            found.append(f"no {ours!r}, which the quote adds")
    return found[:limit] + ([f"{len(found) - limit} more difference(s)"] if len(found) > limit else [])


def _closest_hint(line: str, quote: str) -> str:
    found = closest_passage(line, quote)
    if found is None:
        return ""
    passage, _ = found
    return f"; the closest passage on the line is {shown(passage)}, which has {'; '.join(differences(passage, quote))}"


def anchor(line: str, quote: str, occurrence: int | None) -> Anchor:
    """Locate ``quote`` in ``line``; ``occurrence`` (1-based) picks one when it occurs more than once."""
    starts = occurrences(line, quote)
    if not starts:
        raise AnchorError(f"quote {quote!r} is not in the line (expected an exact copy of text on that line{_near_miss(line, quote) or _closest_hint(line, quote)})")
    if occurrence is None and len(starts) > 1:
        raise AnchorError(f"quote {quote!r} occurs {len(starts)} times in the line (expected 'occurrence: N' to say which, 1 to {len(starts)})")
    if occurrence is not None and occurrence > len(starts):
        raise AnchorError(f"occurrence {occurrence} asked for, but the quote occurs {len(starts)} time(s) in the line")
    start = starts[(occurrence or 1) - 1]
    end = start + len(quote)
    return Anchor(start, end, line[max(0, start - CONTEXT_CHARS) : start] or None, line[end : end + CONTEXT_CHARS] or None)
