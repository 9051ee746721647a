"""The source articles: read byte for byte, checked, and split into numbered lines."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.load.text_files import TextFileError, decode_text


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
        text = decode_text(raw)
    except TextFileError as error:
        raise SourceError(error.line, error.message) from None
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return Source(article_id, path.name, hashlib.sha256(raw).hexdigest(), tuple(lines))
