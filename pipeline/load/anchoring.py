"""Anchor a quote to its line: find it, compute offsets, and take a W3C-style prefix and suffix."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def anchor(line: str, quote: str, occurrence: int | None) -> Anchor:
    """Locate ``quote`` in ``line``; ``occurrence`` (1-based) picks one when it occurs more than once."""
    starts = occurrences(line, quote)
    if not starts:
        raise AnchorError(f"quote {quote!r} is not in the line (expected an exact copy of text on that line{_near_miss(line, quote)})")
    if occurrence is None and len(starts) > 1:
        raise AnchorError(f"quote {quote!r} occurs {len(starts)} times in the line (expected 'occurrence: N' to say which, 1 to {len(starts)})")
    if occurrence is not None and occurrence > len(starts):
        raise AnchorError(f"occurrence {occurrence} asked for, but the quote occurs {len(starts)} time(s) in the line")
    start = starts[(occurrence or 1) - 1]
    end = start + len(quote)
    return Anchor(start, end, line[max(0, start - CONTEXT_CHARS) : start] or None, line[end : end + CONTEXT_CHARS] or None)
