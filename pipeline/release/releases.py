"""Versions and releases: the one version (pyproject.toml), the CHANGELOG, and released schema snapshots."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from pipeline.problems import Problem
from pipeline.project import DESCRIPTOR, PACKAGE_DIR, version
from pipeline.release.schema_changes import Level

RELEASES_DIR = "releases"
CHANGELOG = "CHANGELOG.md"
CITATION = "CITATION.cff"
_ENTRY = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\]", re.M)
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def parse(text: str) -> Version:
    """``text`` as a version (packaging's PEP 440 parser), refused unless it is plain MAJOR.MINOR.PATCH."""
    try:
        parsed = Version(text)
    except InvalidVersion:
        parsed = None
    if parsed is None or len(parsed.release) != 3 or str(parsed) != text or not _SEMVER.match(text):
        raise ValueError(f"{text!r} is not a semantic version MAJOR.MINOR.PATCH")
    return parsed


def bumped(current: str, level: Level) -> str:
    major, minor, patch = parse(current).release
    if level is Level.MAJOR:
        return f"{major + 1}.0.0"
    if level is Level.MINOR:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


STEP_WORDS = {Level.NONE: "the same version as", Level.PATCH: "a patch step from", Level.MINOR: "a minor step from",
              Level.MAJOR: "a major step from"}
NEED_WORDS = {Level.NONE: "no release", Level.PATCH: "a patch release", Level.MINOR: "a minor release", Level.MAJOR: "a major release"}


def step_needed(released: str, level: Level) -> Level:
    """The version step ``level`` of change needs after ``released``: while the major version is 0 (initial
    development, SemVer item 4), a breaking change needs a minor step, as in Cargo's convention."""
    return Level.MINOR if level is Level.MAJOR and parse(released).major == 0 else level


def bump_level(old: str, new: str) -> Level:
    """How big a step ``old`` -> ``new`` is (NONE when equal)."""
    before, after = parse(old).release, parse(new).release
    for level, position in ((Level.MAJOR, 0), (Level.MINOR, 1), (Level.PATCH, 2)):
        if after[position] != before[position]:
            return level
    return Level.NONE


class ReleaseError(Exception):
    """The release history cannot be read; the message names the file and what to do."""


def last_release(root: Path) -> tuple[str, dict[str, Any]] | None:
    """The newest released version and its descriptor snapshot, if any release was made (files in
    releases/ not named MAJOR.MINOR.PATCH.json are not releases and are ignored)."""
    snapshots = sorted((parse(p.stem), p) for p in (root / RELEASES_DIR).glob("*.json") if _SEMVER.match(p.stem))
    if not snapshots:
        return None
    _, path = snapshots[-1]
    try:
        return path.stem, json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ReleaseError(f"{RELEASES_DIR}/{path.name} is not a readable release snapshot ({error}); restore it from git") from None


def changelog_version(root: Path) -> str | None:
    match = _ENTRY.search((root / CHANGELOG).read_text(encoding="utf-8"))
    return match.group("version") if match else None


def changelog_date(root: Path, release: str) -> str | None:
    """The date of ``release``'s CHANGELOG entry (``## [X.Y.Z] - YYYY-MM-DD``), if it has one."""
    match = re.search(rf"^## \[{re.escape(release)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\b", (root / CHANGELOG).read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else None


def _citation_value(text: str, key: str) -> str | None:
    """A top-level scalar of CITATION.cff, unquoted."""
    match = re.search(rf"^{key}: *(.*?) *$", text, re.M)
    return match.group(1).strip("\"'") if match else None


def citation_problems(root: Path, current: str) -> list[Problem]:
    """CITATION.cff's version and date-released against pyproject.toml and the CHANGELOG entry of that version."""
    text, problems = (root / CITATION).read_text(encoding="utf-8"), []
    cited = _citation_value(text, "version")
    if cited != current:
        problems.append(Problem(file=CITATION, message=
                                f"version is {cited or 'missing'}, but pyproject.toml [project].version is {current} (expected the same; `release` keeps them in step)"))
    released_on, dated = _citation_value(text, "date-released"), changelog_date(root, current)
    if dated is not None and released_on != dated:
        problems.append(Problem(file=CITATION, message=
                                f"date-released is {released_on or 'missing'}, but {CHANGELOG} dates {current} {dated} (expected the same; `release` keeps them in step)"))
    return problems


def version_problems(root: Path) -> list[Problem]:
    """The version in pyproject.toml against the CHANGELOG, the built descriptor, CITATION.cff and the last release."""
    current, problems = version(root), []
    if not _SEMVER.match(current):
        return [Problem(file="pyproject.toml", message=f"[project].version {current!r} is not MAJOR.MINOR.PATCH (expected e.g. 0.2.0)")]
    logged = changelog_version(root)
    if logged != current:
        problems.append(Problem(file=CHANGELOG, message=
                                f"newest entry is {logged}, but pyproject.toml [project].version is {current} (expected the same version in both)"))
    descriptor = root / PACKAGE_DIR / DESCRIPTOR
    if descriptor.exists():
        try:
            built = json.loads(descriptor.read_text(encoding="utf-8")).get("version")
        except (ValueError, AttributeError, OSError) as error:
            built = f"unreadable ({type(error).__name__})"
        if built != current:
            problems.append(Problem(file=f"{PACKAGE_DIR}/{DESCRIPTOR}", message=
                                    f"version is {built}, but pyproject.toml [project].version is {current} (run `python build.py build`)"))
    if (root / CITATION).exists():
        problems += citation_problems(root, current)
    released = last_release(root)
    if released and parse(current) < parse(released[0]):
        problems.append(Problem(file="pyproject.toml", message=
                                f"version {current} is older than the last release {released[0]} in {RELEASES_DIR}/"))
    return problems


def versioned_pyproject(root: Path, new: str) -> str:
    """pyproject.toml with ``new`` as the version (the one place the version lives), formatting kept."""
    import tomlkit  # imported here: only a release needs it

    document = tomlkit.parse((root / "pyproject.toml").read_text(encoding="utf-8"))
    document["project"]["version"] = new
    return tomlkit.dumps(document)


def versioned_citation(root: Path, new: str, today: dt.date) -> str:
    """CITATION.cff with ``new`` as its version and ``today`` as its release date."""
    text = (root / CITATION).read_text(encoding="utf-8")
    text = re.sub(r"^version: .*$", f"version: {new}", text, count=1, flags=re.M)
    if re.search(r"^date-released: ", text, re.M):
        return re.sub(r"^date-released: .*$", f'date-released: "{today.isoformat()}"', text, count=1, flags=re.M)
    return re.sub(r"^(version: .*)$", rf'\1\ndate-released: "{today.isoformat()}"', text, count=1, flags=re.M)


def dated_changelog(root: Path, new: str, summary: str, today: dt.date) -> str:
    """CHANGELOG.md with the new version's entry dated (an existing one, else the [Unreleased] section, else a new one) and the data summary added."""
    text = (root / CHANGELOG).read_text(encoding="utf-8")
    heading = f"## [{new}] - {today.isoformat()}"
    body = f"\n\n### Data changes since the last release\n\n```\n{summary.rstrip()}\n```\n"
    unreleased = re.search(rf"^## \[(?:Unreleased|{re.escape(new)})\][^\n]*\n", text, re.M)
    if unreleased:
        following = _ENTRY.search(text, unreleased.end())
        end = following.start() if following else len(text)
        section = text[unreleased.end() : end].rstrip()
        text = f"{text[: unreleased.start()]}{heading}\n{section}{body}\n{text[end:]}".rstrip() + "\n"
    else:
        first = _ENTRY.search(text)
        at = first.start() if first else len(text)
        text = f"{text[:at]}{heading}{body}\n{text[at:]}".rstrip() + "\n"
    return text
