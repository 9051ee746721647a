"""Facts about the project itself: its root, its folders, and its one version number (in pyproject.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pipeline.problems import Problem, UnreadableFile, read_text
from japan_us_summit._layout import DESCRIPTOR, PACKAGE_DIR  # noqa: F401 - the package layout, written once

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = "sources"  # the articles, as received
ANNOTATIONS_DIR = "annotations"  # what people write
SECOND_ANNOTATION_DIR = "agreement/second_annotation"  # an independent, blind second annotation, scored against the first
DATA_DICTIONARY = "DATA.md"  # generated from the declarations
LOCK_FILE = ".build.lock"  # held by the one command that may write at a time
JOURNAL = ".build-journal.json"  # what a build or release is changing, while it renames


PYPROJECT = "pyproject.toml"


def version(root: Path = ROOT) -> str:
    """``[project].version`` of pyproject.toml; raises ``UnreadableFile`` saying what is wrong with the file."""
    try:
        found = tomllib.loads(read_text(root / PYPROJECT, PYPROJECT))["project"]["version"]
    except tomllib.TOMLDecodeError as error:
        raise UnreadableFile(Problem(file=PYPROJECT, message=f"is not valid TOML ({error}); fix it, or restore it from git")) from None
    except (KeyError, TypeError):
        found = None
    if not isinstance(found, str):
        raise UnreadableFile(Problem(file=PYPROJECT, message='has no [project].version text (expected e.g. version = "0.2.1")'))
    return found
