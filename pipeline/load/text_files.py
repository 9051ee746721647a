"""The one rule for every text file the build reads (sources and annotations): UTF-8, no BOM, LF line breaks only."""

from __future__ import annotations

import re

OTHER_LINE_BREAKS = re.compile("[\r\x85\u2028\u2029]")  # YAML, and str.splitlines, read these as line breaks too
NAMES = {"\r": "a carriage return"}


class TextFileError(ValueError):
    """A file that breaks the rule; ``line`` is the 1-based line at fault."""

    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(message)


def decode_text(raw: bytes) -> str:
    """``raw`` as text; raises ``TextFileError`` for anything but UTF-8 without BOM and with LF line breaks."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TextFileError(raw[: error.start].count(b"\n") + 1, f"not valid UTF-8 ({error.reason} at byte {error.start})") from None
    if text.startswith("\ufeff"):
        raise TextFileError(1, "starts with a byte-order mark; save the file as UTF-8 without BOM")
    other = OTHER_LINE_BREAKS.search(text)
    if other:
        char = other.group()
        name = f", {NAMES[char]}" if char in NAMES else ""
        raise TextFileError(text[: other.start()].count("\n") + 1,
                            f"contains a line break other than LF (U+{ord(char):04X}{name}); save the file with LF line breaks")
    return text
