"""Problems found in the input: each says where (file, line, record, field) and what was expected."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True, kw_only=True)
class Problem:
    """Built by keyword: ``Problem(file=..., line=..., table=..., record_id=..., field=..., message=...)``."""

    file: str
    line: int | None = None
    table: str | None = None
    record_id: str | None = None
    field: str | None = None
    message: str

    @property
    def subject(self) -> str:
        """What the problem is about, as text: ``people[xi-jinping].evidence[0].quote``, ``people``, or ""."""
        subject = self.table or ""
        if self.record_id is not None:
            subject += f"[{self.record_id}]"
        if self.field:
            subject += f".{self.field}"
        return subject

    @property
    def what(self) -> str:
        """The problem without its file and line: ``subject: message``, or the message alone."""
        return f"{self.subject}: {self.message}" if self.subject else self.message

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.what}"

    def sort_key(self) -> tuple[str, int, str]:
        """The order problems are listed in: by file, then line, then text."""
        return self.file, self.line or 0, str(self)

    def as_dict(self) -> dict:
        return asdict(self)


MAX_SHOWN = 200  # characters of a value echoed in a message


def shown(value: object) -> str:
    """``repr(value)``, cut to ``MAX_SHOWN`` characters with its full length said, so a huge value stays readable."""
    text = repr(value)
    if len(text) <= MAX_SHOWN:
        return text
    size = f"{len(value)} characters" if isinstance(value, str) else f"{len(text)} characters as text"
    return f"{text[:MAX_SHOWN]}... ({size})"


class InvalidInput(Exception):
    """Raised with every problem found, so that none stops the search for the others."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        super().__init__(f"{len(self.problems)} problem(s)")


class UnreadableFile(Exception):
    """A project file that cannot be read as what it must be (not UTF-8, not valid TOML, YAML or JSON);
    ``problem`` names it and says what to do."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def read_text(path: Path, shown_as: str) -> str:
    """The UTF-8 text of ``path``; raises ``UnreadableFile`` (naming it ``shown_as``, with the line) otherwise."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(Problem(file=shown_as, line=raw[: error.start].count(b"\n") + 1, message=
                                     f"is not valid UTF-8 ({error.reason} at byte {error.start}); save it as UTF-8")) from None
