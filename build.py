"""Validate the annotations, publish the data package, and guard its versions.

    python build.py validate [--format F]     check everything; exit 1 listing every problem (F: text, json, github, sarif)
    python build.py build                     validate, then write datapackage/, DATA.md and schema/json/
    python build.py coverage                  evidence coverage of every sentence; exit 1 if one is unaccounted for
    python build.py agreement [--format json] the blind second annotation's agreement with the data, per table
    python build.py check                     fail if datapackage/, DATA.md or schema/json/ is stale, or the version bump is too small
    python build.py diff [REF]                rows added, removed and changed since REF (default: the last release)
    python build.py release {major,minor,patch}  bump the version, build, snapshot the schema, open the CHANGELOG entry
    python build.py site [OUT]                write the provenance site (default: site/) from the published datapackage/
    python build.py dist                      write what a release publishes into dist/ (wheel, sdist, data, SQLite, site, SHA256SUMS)
"""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_early(signum: int, frame: object) -> None:
    """Ctrl-C while the imports run (nothing has been written yet): one line, exit status 130."""
    os.write(2, b"interrupted; nothing was changed\n")
    os._exit(130)


if __name__ == "__main__":  # first of all, so that no Ctrl-C ever gives a traceback from an import
    signal.signal(signal.SIGINT, _interrupted_early)

REQUIRED_PYTHON = (3, 11)  # pyproject.toml's requires-python; a test keeps the two in step


def python_too_old(version: tuple[int, ...]) -> str | None:
    """The one line to print when Python ``version`` is older than the build needs, else None."""
    if tuple(version[:2]) >= REQUIRED_PYTHON:
        return None
    return f"build.py needs Python {REQUIRED_PYTHON[0]}.{REQUIRED_PYTHON[1]} or newer; this is {version[0]}.{version[1]}"


if (_too_old := python_too_old(sys.version_info)) is not None:  # before the imports that would fail on it
    print(f"error: {_too_old}", file=sys.stderr)
    sys.exit(1)

import contextlib  # noqa: E402 (after the version guard)
import datetime as dt
import errno
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from pipeline.release import data_diff
from pipeline.dataset import Dataset, assemble
from pipeline import progress
from pipeline.problems import InvalidInput, Problem, UnreadableFile
from pipeline import report_formats
from pipeline.publish.journal import APPLIED, Change, JournalError, journal_of, pending, recover
from pipeline.project import DATA_DICTIONARY, DESCRIPTOR, JOURNAL, LOCK_FILE, PACKAGE_DIR, ROOT, version
from pipeline.release.releases import (
    CHANGELOG,
    NEED_WORDS,
    STEP_WORDS,
    CITATION,
    RELEASES_DIR,
    bump_level,
    bumped,
    dated_changelog,
    last_release,
    step_needed,
    versioned_citation,
    versioned_pyproject,
    version_problems,
)
from pipeline.release.schema_changes import Level, classify, required_level
from forms.data_dictionary import data_dictionary
from forms.json_schemas import SCHEMA_DIR, json_schemas

# What only some commands need they import themselves: validate, which every edit runs, imports neither the
# publisher (its card and Croissant templates, Jinja2), nor the coverage report, daff, tomlkit or filelock.


def _version(root: Path) -> str | None:
    """The project's version for a report, or None when pyproject.toml cannot say it (a problem of its own)."""
    try:
        return version(root)
    except (UnreadableFile, OSError):
        return None


def _print_problems(problems: list[Problem], output: str, root: Path) -> int:
    """List ``problems`` as ``output`` (text on stderr, the other formats on stdout); exit status 1."""
    if output == "text":
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s); nothing was published.", file=sys.stderr)
    elif text := report_formats.render(problems, output, _version(root) if output == "sarif" else None):
        print(text)
    return 1


def _assemble(root: Path, rebuilding: bool = False, use_cache: bool = True, score_agreement: bool = True) -> Dataset:
    """The validated dataset; raises InvalidInput listing every problem, version mismatches included (except,
    when ``rebuilding``, those of the package that is about to be replaced: a damaged package never blocks
    the build that repairs it)."""
    problems = [p for p in version_problems(root) if not (rebuilding and p.file == f"{PACKAGE_DIR}/{DESCRIPTOR}")]
    try:
        dataset = assemble(root, use_cache, score_agreement)
    except InvalidInput as error:
        problems += error.problems
    if problems:
        raise InvalidInput(problems)
    return dataset


def _summary(dataset: Dataset) -> str:
    return "\n".join(f"  {name:<22}{rows:>6} rows" for name, rows in dataset.row_counts().items())


def _generated(dataset: Dataset) -> dict[str, str]:
    """The files generated beside the package, by path relative to the root: the data dictionary and the JSON
    Schemas of the annotation files."""
    return {DATA_DICTIONARY: data_dictionary(dataset.row_counts(), dataset.version, dataset.agreement), **json_schemas()}


def _outdated_schemas(root: Path, generated: dict[str, str]) -> list[Path]:
    """Schema files in schema/json/ that no build writes any more (their table was renamed or removed)."""
    return sorted(p for p in (root / SCHEMA_DIR).glob("*.schema.json") if p.relative_to(root).as_posix() not in generated)


def _publish(root: Path, dataset: Dataset, files: dict[Path, str | bytes], action: str) -> None:
    """Publish the package and write ``files`` (those whose content changes), as one journalled change: everything
    is staged and synced first, so a full disk changes nothing, and a crash during the renames is finished by the
    next command."""
    from pipeline.publish.publish import write_package

    files = {path: data for path, data in files.items() if not _holds(path, data)}
    change = Change(root / JOURNAL, action)
    change.begin({root / PACKAGE_DIR: DESCRIPTOR}, list(files))
    try:
        write_package(dataset, change.new(root / PACKAGE_DIR))
        for path, data in files.items():
            change.stage(path, data)
        change.ready()
    except BaseException:
        change.abandon()
        raise
    change.apply()


def _holds(path: Path, data: str | bytes) -> bool:
    """Whether ``path`` already holds ``data``."""
    try:
        return path.read_bytes() == (data.encode("utf-8") if isinstance(data, str) else data)
    except FileNotFoundError:
        return False


def _build(root: Path, dataset: Dataset) -> None:
    """Publish the package, the data dictionary and the schemas."""
    generated = _generated(dataset)
    (root / SCHEMA_DIR).mkdir(exist_ok=True)
    _publish(root, dataset, {root / relative: text for relative, text in generated.items()}, f"build of {PACKAGE_DIR}/")
    for path in _outdated_schemas(root, generated):
        path.unlink()


def _changes_since_release(root: Path, dataset: Dataset) -> tuple[str, list]:
    """The last released version ("0.0.0" if none) and the classified changes since."""
    from pipeline.publish.publish import descriptor_of, write_package

    released = last_release(root)
    if released is None:
        return "0.0.0", []
    with tempfile.TemporaryDirectory() as folder:
        write_package(dataset, Path(folder) / "package")
        new = descriptor_of(Path(folder) / "package")
    return released[0], classify(released[1], new)


def _check(root: Path, dataset: Dataset) -> int:
    from pipeline.publish.publish import write_package

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
    stale = [f"{PACKAGE_DIR}/{path}" for path in stale + extra]
    generated = _generated(dataset)
    for relative, text in generated.items():
        path = root / relative
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            stale.append(relative)
    stale += [p.relative_to(root).as_posix() for p in _outdated_schemas(root, generated)]
    for path in stale:
        print(f"stale: {path} differs from a fresh build", file=sys.stderr)
    if stale:
        print(f"The committed outputs are stale: run `python build.py build` and commit {PACKAGE_DIR}/, {DATA_DICTIONARY} "
              f"and {SCHEMA_DIR}/.", file=sys.stderr)
        failed = True
    released, changes = _changes_since_release(root, dataset)
    needed, step = step_needed(released, required_level(changes)), bump_level(released, dataset.version)
    for change in changes:
        print(f"  {change}")
    if step < needed:
        print(f"Version {dataset.version} is {STEP_WORDS[step]} the last release {released}, but the changes need "
              f"{NEED_WORDS[needed]}: run `python build.py release {needed}`.", file=sys.stderr)
        failed = True
    if not failed:
        print(f"Up to date: version {dataset.version} (last release {released}; the changes since need {NEED_WORDS[needed]}).")
    return 1 if failed else 0


def _release(root: Path, dataset: Dataset, level: Level) -> int:
    """All or nothing: every precondition is checked and every file written aside before the first one changes."""
    from pipeline.publish.publish import write_package

    released, changes = _changes_since_release(root, dataset)
    needed = step_needed(released, required_level(changes))
    if not changes:
        print(f"Nothing changed since release {released} (schemas and data files are identical): no release made.", file=sys.stderr)
        return 1
    if level < needed:
        for change in changes:
            print(f"  {change}", file=sys.stderr)
        print(f"A {level} release is too small: these changes need {needed}.", file=sys.stderr)
        return 1
    released_at = data_diff.release_commit(root, released) if released != "0.0.0" else None
    new, today = bumped(released, level), dt.date.today()
    dataset.version, dataset.released = new, today.isoformat()
    with tempfile.TemporaryDirectory() as folder:
        package = Path(folder) / "package"
        write_package(dataset, package)
        summary = data_diff.report(data_diff.diff(root, released_at, package), detail=False)
        (root / RELEASES_DIR).mkdir(exist_ok=True)
        (root / SCHEMA_DIR).mkdir(exist_ok=True)
        generated = _generated(dataset)
        files = {
            **{root / relative: text for relative, text in generated.items()},
            root / RELEASES_DIR / f"{new}.json": (package / DESCRIPTOR).read_bytes(),
            root / CHANGELOG: dated_changelog(root, new, summary, today),
        }
        if (root / CITATION).exists():
            files[root / CITATION] = versioned_citation(root, new, today)
        files[root / "pyproject.toml"] = versioned_pyproject(root, new)  # last: it makes the release
        _publish(root, dataset, files, f"release {new}")
    for path in _outdated_schemas(root, generated):
        path.unlink()
    print(f"Released {new} (was {released}).\n{summary}\nReview CHANGELOG.md, commit, then tag the release:\n"
          f"  git tag -a v{new} -m 'Release {new}'")
    return 0


@contextlib.contextmanager
def _one_writer(root: Path) -> Iterator[None]:
    """Hold the project's writer lock, refusing at once if another build or release holds it."""
    from filelock import FileLock, Timeout

    lock = FileLock(root / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise Busy(f"another build or release is running in {root} (it holds {LOCK_FILE}); wait for it to finish and run this again") from None
    try:
        yield
    finally:
        lock.release()


class Busy(Exception):
    """Another writer holds the lock."""


def _recover(root: Path) -> None:
    """Finish or undo, saying which, the change an interrupted build or release journalled (under the writer
    lock: while another command holds it, its journal is its own business)."""
    journals = [root / JOURNAL, journal_of(root / PACKAGE_DIR)]
    if not any(pending(journal) for journal in journals):
        return
    from filelock import FileLock, Timeout

    lock = FileLock(root / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return
    try:
        for journal in journals:
            if (line := recover(journal)) is not None:
                print(line, file=sys.stderr)
    finally:
        lock.release()


FAULT_ADVICE = {
    errno.EACCES: "check the permissions of the file and its folder",
    errno.EPERM: "check the permissions of the file and its folder",
    errno.EROFS: "the file system is read-only: run this in a writable copy",
    errno.ENOSPC: "the disk is full: free some space and run this again",
    errno.EDQUOT: "the disk quota is exhausted: free some space and run this again",
    errno.EFBIG: "the file is too large for this file system or its limits",
    errno.EISDIR: "a folder stands where a file is expected",
}


def _fault(error: OSError) -> Problem:
    """A fault of the machine (not of the input): what failed, where, and what to do."""
    advice = FAULT_ADVICE.get(error.errno, "")
    return Problem(file=str(error.filename or ""), message=f"{error.strerror or error}" + (f" ({advice})" if advice else "") + "; nothing was changed")


def _wanted_format(argv: list[str] | None) -> str:
    """The problem format the command line asks for (``validate --format json``, or github or sarif), read before
    it is parsed, so that a fault found before or while parsing is reported in that format too; else "text"."""
    args = sys.argv[1:] if argv is None else argv
    for output in report_formats.FORMATS[1:]:
        if f"--format={output}" in args or any(a == "--format" and b == output for a, b in zip(args, args[1:])):
            return output
    return "text"


def _refuse(problem: Problem, output: str, root: Path) -> int:
    """Report a fault in one line on stderr (and as a one-problem report on stdout under ``--format`` json,
    github or sarif)."""
    if output != "text":
        print(report_formats.render([problem], output, _version(root) if output == "sarif" else None))
    print(f"error: {problem}" if problem.file else f"error: {problem.message}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    """Run one command; a fault (interrupt, full disk, no permission, an unreadable file, a second writer, git
    trouble) gives one line on stderr (and JSON on stdout under ``--format json``) and an exit code, never a
    traceback."""
    output = _wanted_format(argv)
    APPLIED.clear()  # what this command has changed so far (a caller may run several commands in one process)
    try:
        return _main(argv, root)
    except InvalidInput as error:  # every problem of the input, from whichever command assembled it
        return _print_problems(error.problems, output, root)
    except (KeyboardInterrupt, _Interrupted):
        print(f"interrupted after the {APPLIED[-1]} was made" if APPLIED else "interrupted; nothing was changed", file=sys.stderr)
        return 130
    except UnreadableFile as error:
        return _refuse(error.problem, output, root)
    except (Busy, data_diff.GitError, JournalError) as error:
        return _refuse(Problem(file="", message=str(error)), output, root)
    except OSError as error:
        return _refuse(_fault(error), output, root)


class _Interrupted(Exception):
    """Ctrl-C during a command, carried past click (which would print a blank line first)."""


class _Commands(click.Group):
    """The commands in the order they are declared (click sorts them by name)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted from None


@click.group(cls=_Commands, help=__doc__.split("\n\n")[0], context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--no-cache", is_flag=True,
              help="ignore the persistent state in .cache/validate/ (same results, slower; the state is safe to delete)")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar (one is drawn on stderr, when it is a terminal, for a run of over 2 s)")
@click.pass_context
def cli(ctx: click.Context, no_cache: bool, quiet: bool) -> None:
    progress.quiet = quiet
    ctx.obj = {"root": ctx.obj, "use_cache": not no_cache}
    _recover(ctx.obj["root"])


def _command(name: str, text: str, **kwargs):
    """A command whose one-line help (in the list) is ``text`` and whose description is ``text`` as a sentence."""
    return cli.command(name, short_help=text, help=text[0].upper() + text[1:] + ".", **kwargs)


@_command("validate", "check the annotations, sources and versions; exit 1 listing every problem")
@click.option("--format", "output", type=click.Choice(report_formats.FORMATS), default="text", show_default=True,
              help=report_formats.HELP)
@click.pass_obj
def validate_command(run: dict, output: str) -> int:
    dataset = _assemble(run["root"], use_cache=run["use_cache"], score_agreement=False)
    if output != "text":
        if text := report_formats.render([], output, dataset.version if output == "sarif" else None):
            print(text)
        return 0
    print("Valid:")
    print(_summary(dataset))
    return 0


@_command("build", "validate, then write datapackage/ and DATA.md")
@click.pass_obj
def build_command(run: dict) -> int:
    return _write(run, release=None)


@_command("coverage", "how much evidence covers each sentence of both articles; exit 1 if no claim quotes one")
@click.pass_obj
def coverage_command(run: dict) -> int:
    dataset = _assemble(run["root"], use_cache=run["use_cache"])
    from pipeline.check.coverage import coverage, report

    sentences = coverage(run["root"], dataset)
    print(report(sentences))
    return 0 if all(s.accounted_for for s in sentences) else 1


@_command("agreement", "the agreement of the blind second annotation with the data, per table (the build publishes it)")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a table per table; json: the figures the build writes to datapackage/agreement.json")
@click.pass_obj
def agreement_command(run: dict, output: str) -> int:
    dataset = _assemble(run["root"], use_cache=run["use_cache"])
    from pipeline.check.agreement import report

    print(json.dumps(dataset.agreement, indent=2) if output == "json" else report(dataset.agreement))
    return 0


@_command("check", "fail if datapackage/ or DATA.md is stale, or if the version bump is smaller than the changes need")
@click.pass_obj
def check_command(run: dict) -> int:
    dataset = _assemble(run["root"], use_cache=run["use_cache"])
    return _check(run["root"], dataset)


@_command("diff", "rows added, removed and changed since a git ref")
@click.argument("ref", required=False)
@click.pass_obj
def diff_command(run: dict, ref: str | None) -> int:
    root = run["root"]
    ref = data_diff.resolve(root, ref) if ref else (data_diff.release_commit(root, last_release(root)[0]) if last_release(root) else None)
    if ref is None:
        print("No release yet: name a git ref to compare with.", file=sys.stderr)
        return 1
    print(data_diff.report(data_diff.diff(root, ref)))
    return 0


@_command("release", "bump the version, build, snapshot the schema and date the CHANGELOG entry")
@click.argument("level", type=click.Choice(["major", "minor", "patch"]))
@click.pass_obj
def release_command(run: dict, level: str) -> int:
    return _write(run, release=Level[level.upper()])


@_command("dist", "write what a release publishes into dist/: wheel, sdist, zipped data package, SQLite, site archive, "
                  ".zenodo.json and SHA256SUMS; refused while check fails")
@click.pass_obj
def dist_command(run: dict) -> int:
    from pipeline.release.distribution import DistError, write_dist  # imported here: only this command builds wheels

    root = run["root"]
    dataset = _assemble(root, use_cache=run["use_cache"])
    if _check(root, dataset) != 0:
        print("dist publishes only a checked release: fix what check lists first.", file=sys.stderr)
        return 1
    with _one_writer(root):
        try:
            from provenance_site.load import load_package
            from provenance_site.render import render_site

            written = write_dist(root, dataset.version, root / "dist", lambda folder: render_site(load_package(root / PACKAGE_DIR), folder))
        except DistError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(f"Wrote {len(written)} files to {root / 'dist'}/:\n" + "\n".join(f"  {p.name}" for p in written))
    return 0


@_command("site", "write the static provenance site from the published datapackage/")
@click.argument("out", required=False, type=click.Path(path_type=Path))
@click.pass_obj
def site_command(run: dict, out: Path | None) -> int:
    from provenance_site import SiteError, build as build_site  # imported here: only this command needs Jinja2

    root = run["root"]
    out = out or root / "site"
    try:
        pages = build_site(root / PACKAGE_DIR, out, say=lambda line: print(line, file=sys.stderr))
    except SiteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (ValueError, KeyError) as error:  # a damaged package: bad JSON, an unreadable Parquet file
        print(f"error: {PACKAGE_DIR}/ cannot be read ({error}); run `python build.py build`", file=sys.stderr)
        return 1
    print(f"Wrote {len(pages)} pages to {out.resolve()}/ (open index.html there)")
    return 0


# What each argument is, for the commands' help texts (click documents options, not arguments).
ARGUMENTS = {
    "diff": {"ref": "git ref (default: the commit of the last release)"},
    "release": {"level": "the version step; refused if smaller than the changes need"},
    "site": {"out": "output folder (default: site/ in the checkout)"},
}
for _name, _arguments in ARGUMENTS.items():
    cli.commands[_name].help += "\n\n" + "\n\n".join(f"{arg.upper()}: {text}." for arg, text in _arguments.items())


def _write(run: dict, release: Level | None) -> int:
    """Build, or release at ``release``'s level, holding the writer lock."""
    root = run["root"]
    with _one_writer(root):
        dataset = _assemble(root, rebuilding=release is None, use_cache=run["use_cache"])
        if release is not None:
            return _release(root, dataset, release)
        _build(root, dataset)
    print(f"Built {PACKAGE_DIR}/, {DATA_DICTIONARY} and {SCHEMA_DIR}/:")
    print(_summary(dataset))
    return 0


def _main(argv: list[str] | None, root: Path) -> int:
    try:
        return cli.main(args=argv, prog_name="build.py", obj=root, standalone_mode=False)
    except click.exceptions.Abort:  # click's word for Ctrl-C
        raise KeyboardInterrupt from None
    except click.ClickException as error:  # a usage error: unknown command, option or choice
        error.show()
        return error.exit_code


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on main() reports it, once everything is undone
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `build.py ... | head` ends quietly, like any Unix tool
    sys.exit(main())
