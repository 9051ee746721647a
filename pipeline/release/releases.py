"""Versions and releases: the one version (pyproject.toml), the CHANGELOG, and released schema snapshots."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from pipeline.problems import Problem, UnreadableFile, read_text
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


class ReleaseError(UnreadableFile):
    """The release history cannot be read; the problem names the file and what to do."""


def last_release(root: Path) -> tuple[str, dict[str, Any]] | None:
    """The newest released version and its descriptor snapshot, if any release was made (files in
    releases/ not named MAJOR.MINOR.PATCH.json are not releases and are ignored)."""
    snapshots = sorted((parse(p.stem), p) for p in (root / RELEASES_DIR).glob("*.json") if _SEMVER.match(p.stem))
    if not snapshots:
        return None
    _, path = snapshots[-1]
    shown_as = f"{RELEASES_DIR}/{path.name}"
    try:
        return path.stem, json.loads(read_text(path, shown_as))
    except ValueError as error:
        raise ReleaseError(Problem(file=shown_as, message=f"is not a readable release snapshot ({error}); restore it from git")) from None


def changelog_version(root: Path) -> str | None:
    match = _ENTRY.search(read_text(root / CHANGELOG, CHANGELOG))
    return match.group("version") if match else None


def changelog_date(root: Path, release: str) -> str | None:
    """The date of ``release``'s CHANGELOG entry (``## [X.Y.Z] - YYYY-MM-DD``), if it has one."""
    match = re.search(rf"^## \[{re.escape(release)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\b", read_text(root / CHANGELOG, CHANGELOG), re.M)
    return match.group(1) if match else None


def citation(root: Path) -> dict[str, Any]:
    """CITATION.cff parsed as the YAML it is (so a comment after a value is a comment)."""
    try:
        parsed = yaml.safe_load(read_text(root / CITATION, CITATION))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise UnreadableFile(Problem(file=CITATION, line=mark.line + 1 if mark else None,
                                     message=f"is not valid YAML ({getattr(error, 'problem', None) or error}); fix it, or restore it from git")) from None
    if not isinstance(parsed, dict):
        raise UnreadableFile(Problem(file=CITATION, message="is not a YAML mapping of keys (expected cff-version:, title:, version: ...)"))
    return parsed


def _citation_value(document: dict[str, Any], key: str) -> str | None:
    """A top-level scalar of CITATION.cff as text (a date as YYYY-MM-DD)."""
    value = document.get(key)
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def citation_problems(root: Path, current: str) -> list[Problem]:
    """CITATION.cff's version and date-released against pyproject.toml and the CHANGELOG entry of that version."""
    document, problems = citation(root), []
    cited = _citation_value(document, "version")
    if cited != current:
        problems.append(Problem(file=CITATION, message=
                                f"version is {cited or 'missing'}, but pyproject.toml [project].version is {current} (expected the same; `release` keeps them in step)"))
    released_on, dated = _citation_value(document, "date-released"), changelog_date(root, current)
    if dated is not None and released_on != dated:
        problems.append(Problem(file=CITATION, message=
                                f"date-released is {released_on or 'missing'}, but {CHANGELOG} dates {current} {dated} (expected the same; `release` keeps them in step)"))
    return problems


def version_problems(root: Path) -> list[Problem]:
    """The version in pyproject.toml against the CHANGELOG, the built descriptor, CITATION.cff and the last
    release; a file among them that cannot be read is a problem too."""
    try:
        return _version_problems(root)
    except UnreadableFile as error:
        return [error.problem]


def _version_problems(root: Path) -> list[Problem]:
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

    document = tomlkit.parse(read_text(root / "pyproject.toml", "pyproject.toml"))
    document["project"]["version"] = new
    return tomlkit.dumps(document)


def _scalar(key: str) -> re.Pattern[str]:
    """A top-level ``key: value`` line of CITATION.cff, the value (plain or quoted) apart from a comment after it."""
    return re.compile(rf"""^{re.escape(key)}:[ \t]*(?P<value>"[^"\n]*"|'[^'\n]*'|[^#\n]*?)(?P<rest>[ \t]+#[^\n]*)?[ \t]*$""", re.M)


def versioned_citation(root: Path, new: str, today: dt.date) -> str:
    """CITATION.cff with ``new`` as its version and ``today`` as its release date, comments and layout kept."""
    text = read_text(root / CITATION, CITATION)
    citation(root)  # refuse a file that is not YAML before changing it
    if not _scalar("version").search(text):
        raise ReleaseError(Problem(file=CITATION, message="has no top-level version: line to update (expected e.g. version: 0.2.1)"))
    text = _scalar("version").sub(lambda m: f"version: {new}{m['rest'] or ''}", text, count=1)
    released = f'date-released: "{today.isoformat()}"'
    if _scalar("date-released").search(text):
        text = _scalar("date-released").sub(lambda m: f"{released}{m['rest'] or ''}", text, count=1)
    else:
        text = _scalar("version").sub(lambda m: f"{m[0]}\n{released}", text, count=1)
    written = yaml.safe_load(text)
    if str(written.get("version")) != new or str(written.get("date-released")) != today.isoformat():
        raise ReleaseError(Problem(file=CITATION, message="its version or date-released could not be updated in place; set them by hand"))
    return text


def dated_changelog(root: Path, new: str, summary: str, today: dt.date) -> str:
    """CHANGELOG.md with the new version's entry dated (an existing one, else the [Unreleased] section, else a new one) and the data summary added."""
    text = read_text(root / CHANGELOG, CHANGELOG)
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
