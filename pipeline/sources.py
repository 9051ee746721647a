"""The source articles: read byte for byte, checked, and split into numbered lines."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    article_id: str
    file: str
    sha256: str
    lines: tuple[str, ...]  # lines[0] is line 1, without line breaks

    def line(self, number: int) -> str | None:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else None


class SourceError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line, self.message = line, message
        super().__init__(message)


def read_source(path: Path, article_id: str) -> Source:
    """Read one article. Raises ``SourceError`` for anything but plain UTF-8 text with LF line breaks."""
    raw = path.read_bytes()
    if not raw:
        raise SourceError(None, "file is empty (expected the article's text)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(raw[: error.start].count(b"\n") + 1, f"not valid UTF-8 ({error.reason})") from None
    if text.startswith("\ufeff"):
        raise SourceError(1, "starts with a byte-order mark (expected UTF-8 without BOM)")
    if "\r" in text:
        raise SourceError(text[: text.index("\r")].count("\n") + 1, "contains a carriage return (expected LF line breaks only)")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return Source(article_id, path.name, hashlib.sha256(raw).hexdigest(), tuple(lines))
