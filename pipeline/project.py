"""Facts about the project itself: its root, its folders, and its one version number (in pyproject.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from japan_us_summit._layout import DESCRIPTOR, PACKAGE_DIR  # noqa: F401 - the package layout, written once

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = "sources"  # the articles, as received
ANNOTATIONS_DIR = "annotations"  # what people write
SECOND_ANNOTATION_DIR = "agreement/second_annotation"  # an independent, blind second annotation, scored against the first
DATA_DICTIONARY = "DATA.md"  # generated from the declarations
LOCK_FILE = ".build.lock"  # held by the one command that may write at a time


def version(root: Path = ROOT) -> str:
    with (root / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]
