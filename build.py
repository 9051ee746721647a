"""Validate the annotations, publish the data package, and guard its versions.

    python build.py validate [--format json]  check everything; exit 1 listing every problem
    python build.py build                     validate, then write datapackage/ and DATA.md
    python build.py coverage                  evidence coverage of every sentence; exit 1 if one is unaccounted for
    python build.py check                     fail if datapackage/ is stale or the version bump is too small
    python build.py diff [REF]                rows added, removed and changed since REF (default: the last release)
    python build.py release {major,minor,patch}  bump the version, build, snapshot the schema, open the CHANGELOG entry
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from pipeline import data_diff
from pipeline.coverage import coverage, report
from pipeline.dataset import Dataset, assemble
from pipeline.problems import InvalidInput, Problem
from pipeline.project import DATA_DICTIONARY, PACKAGE_DIR, ROOT
from pipeline.publish import descriptor_of, publish, write_package
from pipeline.releases import (
    bump_level,
    bumped,
    last_release,
    open_changelog_entry,
    set_version,
    snapshot,
    step_needed,
    version_problems,
)
from pipeline.schema_changes import Level, classify, required_level
from schema.docs import data_dictionary


def _print_problems(problems: list[Problem], as_json: bool = False) -> int:
    if as_json:
        print(json.dumps([p.as_dict() for p in problems], indent=2))
    else:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s); nothing was published.", file=sys.stderr)
    return 1


def _assemble(root: Path) -> Dataset:
    """The validated dataset; raises InvalidInput listing every problem, version mismatches included."""
    problems = version_problems(root)
    try:
        dataset = assemble(root)
    except InvalidInput as error:
        problems += error.problems
    if problems:
        raise InvalidInput(problems)
    return dataset


def _summary(dataset: Dataset) -> str:
    return "\n".join(f"  {name:<22}{rows:>6} rows" for name, rows in dataset.row_counts().items())


def _build(root: Path, dataset: Dataset) -> None:
    publish(dataset, root / PACKAGE_DIR)
    (root / DATA_DICTIONARY).write_text(data_dictionary(dataset.row_counts(), dataset.version), encoding="utf-8")


def _changes_since_release(root: Path, dataset: Dataset) -> tuple[str, list]:
    """The last released version ("0.0.0" if none) and the classified changes since."""
    released = last_release(root)
    if released is None:
        return "0.0.0", []
    with tempfile.TemporaryDirectory() as folder:
        write_package(dataset, Path(folder) / "package")
        new = descriptor_of(Path(folder) / "package")
    return released[0], classify(released[1], new)


def _check(root: Path, dataset: Dataset) -> int:
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "package"
        write_package(dataset, fresh)
        stale = sorted(
            str(p.relative_to(fresh)) for p in fresh.rglob("*")
            if p.is_file() and (not (root / PACKAGE_DIR / p.relative_to(fresh)).is_file()
                                or (root / PACKAGE_DIR / p.relative_to(fresh)).read_bytes() != p.read_bytes())
        )
        extra = sorted(str(p.relative_to(root / PACKAGE_DIR)) for p in (root / PACKAGE_DIR).rglob("*")
                       if p.is_file() and not (fresh / p.relative_to(root / PACKAGE_DIR)).exists())
    docs = root / DATA_DICTIONARY
    if not docs.exists() or docs.read_text(encoding="utf-8") != data_dictionary(dataset.row_counts(), dataset.version):
        stale.append(f"../{DATA_DICTIONARY}")
    for path in stale + extra:
        print(f"stale: datapackage/{path} differs from a fresh build", file=sys.stderr)
    if stale or extra:
        print("The committed outputs are stale: run `python build.py build` and commit datapackage/ and DATA.md.", file=sys.stderr)
        failed = True
    released, changes = _changes_since_release(root, dataset)
    needed, step = step_needed(released, required_level(changes)), bump_level(released, dataset.version)
    for change in changes:
        print(f"  {change}")
    if step < needed:
        print(f"Version {dataset.version} is a {step} step from the last release {released}, but the changes need a "
              f"{needed} release: run `python build.py release {needed}`.", file=sys.stderr)
        failed = True
    if not failed:
        print(f"Up to date: version {dataset.version} (last release {released}; changes since need: {needed}).")
    return 1 if failed else 0


def _release(root: Path, dataset: Dataset, level: Level) -> int:
    released, changes = _changes_since_release(root, dataset)
    needed = step_needed(released, required_level(changes))
    if level < needed:
        for change in changes:
            print(f"  {change}", file=sys.stderr)
        print(f"A {level} release is too small: these changes need {needed}.", file=sys.stderr)
        return 1
    new = bumped(released, level)
    set_version(root, new)
    dataset = assemble(root)
    _build(root, dataset)
    snapshot(root, new)
    released_at = data_diff.release_commit(root, released) if released != "0.0.0" else None
    summary = data_diff.report(data_diff.diff(root, released_at), detail=False)
    open_changelog_entry(root, new, summary, dt.date.today())
    print(f"Released {new} (was {released}). Review CHANGELOG.md, commit, and tag v{new}.\n{summary}")
    return 0


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check everything")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    for name in ("build", "coverage", "check"):
        commands.add_parser(name)
    diff = commands.add_parser("diff", help="rows added, removed and changed since a git ref")
    diff.add_argument("ref", nargs="?", help="git ref (default: the commit of the last release)")
    release = commands.add_parser("release", help="make a release")
    release.add_argument("level", choices=["major", "minor", "patch"])
    args = parser.parse_args(argv)

    if args.command == "diff":
        ref = args.ref or (data_diff.release_commit(root, last_release(root)[0]) if last_release(root) else None)
        if ref is None:
            print("No release yet: name a git ref to compare with.", file=sys.stderr)
            return 1
        print(data_diff.report(data_diff.diff(root, ref)))
        return 0
    try:
        dataset = _assemble(root)
        if args.command == "coverage":
            sentences = coverage(root, dataset)
            print(report(sentences))
            return 0 if all(s.accounted_for for s in sentences) else 1
    except InvalidInput as error:
        return _print_problems(error.problems, as_json=getattr(args, "format", "text") == "json")
    if args.command == "check":
        return _check(root, dataset)
    if args.command == "release":
        return _release(root, dataset, Level[args.level.upper()])
    if args.command == "build":
        _build(root, dataset)
        print("Built datapackage/ and DATA.md:")
    elif getattr(args, "format", "text") == "json":
        print("[]")
        return 0
    else:
        print("Valid:")
    print(_summary(dataset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
