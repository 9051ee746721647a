"""A progress bar on stderr for the long stages of a run (tqdm): shown only when stderr is a terminal, only once
a stage has taken ``DELAY`` seconds (a short run shows nothing), and never when ``quiet`` (``--quiet``)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

DELAY = 2.0  # seconds before a stage's bar appears
quiet = False  # set by the command line's --quiet

T = TypeVar("T")


def bar(items: Iterable[T], total: int, what: str, unit: str = "file") -> Iterator[T]:
    """``items``, drawing a bar of ``total`` steps labelled ``what`` while they are worked through."""
    stream = sys.stderr
    if quiet or not getattr(stream, "isatty", lambda: False)():
        yield from items
        return
    with tqdm(items, total=total, desc=what, unit=unit, delay=DELAY, leave=False, file=stream, dynamic_ncols=True) as shown:
        yield from shown
