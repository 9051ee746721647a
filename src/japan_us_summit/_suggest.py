"""Closest valid names for a name that is not one, shared by the accessor, its command line and the build."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6  # difflib's default: below it a "match" is more noise than help


def closest(name: object, choices: Iterable[object], n: int = 3) -> list[str]:
    """Up to ``n`` of ``choices`` closest to ``name`` (difflib's ratio, best first; case is ignored, and a choice
    that differs only in case is the one answer)."""
    options = {str(choice).casefold(): str(choice) for choice in choices}
    if str(name).casefold() in options:
        return [options[str(name).casefold()]]
    return [options[match] for match in difflib.get_close_matches(str(name).casefold(), options, n=n, cutoff=CUTOFF)]


def did_you_mean(name: object, choices: Iterable[object], n: int = 3) -> str:
    """``"did you mean 'a' or 'b'?"`` for the closest choices, or "" when none is close."""
    found = closest(name, choices, n)
    if not found:
        return ""
    quoted = [repr(choice) for choice in found]
    return "did you mean " + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]) + "?"
