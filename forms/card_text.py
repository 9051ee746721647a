"""The dataset card's hand-written sections, one Markdown file each in ``forms/card/``: written once, shown
by the card and carried by Croissant as its responsible-AI (RAI) properties."""

from __future__ import annotations

import re
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "card"


def section(name: str) -> str:
    """The text of ``forms/card/<name>.md``."""
    return (FOLDER / f"{name}.md").read_text(encoding="utf-8").strip()


def statements(name: str) -> list[str]:
    """The section as separate statements: one per item of a Markdown list, else the whole text; lines joined."""
    text = section(name)
    parts = re.split(r"^- ", text, flags=re.M)[1:] if text.startswith("- ") else [text]
    return [" ".join(part.split()) for part in parts]
