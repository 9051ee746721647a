"""The ``japan-us-summit`` command (also ``python -m japan_us_summit``): list, describe, show, search, trace and
export the installed tables, show one record with all that is said about it, write the provenance site, and
verify the shipped files. Tables fit the terminal (``COLUMNS`` or its width); ``--format`` gives Markdown, CSV,
TSV or JSON Lines instead.

Exit status: 0 on success, 1 on a data problem (an unknown record, a missing or altered file, a failed
verification), 2 on a usage error (an unknown command, option or table name). Output piped into a reader that
stops early (``| head``) ends the command quietly, as with any Unix tool.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

import japan_us_summit as jus

from . import _export, _site, _terminal
from ._suggest import did_you_mean

FORMATS = ("csv", "json", "parquet", "sqlite")


class Failure(click.ClickException):
    """A data problem: one line on stderr, exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class Commands(click.Group):
    """The command group; a data problem raised by any command becomes one ``error:`` line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted from None  # past click, which would print a blank line and "Aborted!"
        except (OSError, LookupError, ValueError, jus.MissingBackendError) as error:
            raise Failure(_message(error)) from None


class Interrupted(Exception):
    """Ctrl-C during a command."""


class TableName(click.ParamType):
    """A table of the installed data package; any other name is a usage error that lists the valid ones."""

    name = "table"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        names = jus.tables()
        if value not in names:
            hint = did_you_mean(value, names)
            self.fail(f"{value!r} is not a table ({hint + ' ' if hint else ''}choose from: {', '.join(names)})", param, ctx)
        return value


def form_option(command: Any) -> Any:
    """The ``--format`` option of every command that prints rows."""
    return click.option("--format", "form", type=click.Choice(_terminal.FORMS), default="table", show_default=True,
                        help="table: aligned columns that fit the terminal (COLUMNS, or its width); md: a Markdown table; "
                             "csv, tsv: with a header row; json: JSON Lines, one object per row.")(command)


def _emit(header: list[str], rows: Iterable[Iterable[Any]], form: str) -> None:
    """Print rows in ``form``; in a table, say on stderr which columns did not fit."""
    out, left_out = _terminal.render(header, rows, form)
    click.echo(out, nl=False)
    if left_out:
        click.echo(f"({len(left_out)} more column{'s' if len(left_out) > 1 else ''} did not fit: {', '.join(left_out)}; "
                   f"choose some with -c, or use --format csv)", err=True)


def _message(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror and error.filename:
        return f"{error.filename}: {error.strerror}"
    return str(error)


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    try:
        version = jus.__version__
    except (OSError, LookupError) as error:
        raise Failure(_message(error)) from None
    click.echo(f"japan-us-summit {version}")
    ctx.exit()


@click.group("japan-us-summit", cls=Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Print the data package's version and exit.")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Read the japan-us-summit data package installed with this package: the facts two news articles
    report about the October 2025 Takaichi-Trump meeting in Tokyo, as typed tables.

    Without a command, prints what `info` prints. Every read checks the file against its SHA-256 in
    datapackage.json first.

    \b
    Exit status: 0 success; 1 a data problem (unknown record, missing or
    altered file, failed verification); 2 a usage error (unknown command,
    option or table name).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(info)


@cli.command()
def info() -> None:
    """Print the data version, each table with its row count, and the licences."""
    meta = jus.descriptor()
    names = jus.tables()
    lines = [f"japan-us-summit {meta['version']}: {meta['title']}", "", f"{'table':<24}{'rows':>6}"]
    lines += [f"{name:<24}{len(jus.load(name, backend='arrow')):>6}" for name in names]
    lines += ["", "licences"]
    by_licence: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for resource in meta["resources"]:
        if resource["name"] in names:
            for licence in resource.get("licenses", meta["licenses"]):
                by_licence.setdefault(licence["name"], (licence, []))[1].append(resource["name"])
    for name, (licence, covered) in by_licence.items():
        where = "all tables" if covered == names else ", ".join(covered)
        link = f" <{licence['path']}>" if "path" in licence else ""
        lines += [f"  {name}: {licence.get('title', name)}{link}", f"    applies to: {where}"]
    click.echo("\n".join(lines))


@cli.command()
@click.option("--format", "form", type=click.Choice(_terminal.FORMS), default=None,
              help="Print as table, md, csv, tsv or json (default: the name, a tab, the row count, one table a line).")
def tables(form: str | None) -> None:
    """List the tables, one a line: the name, a tab, the row count."""
    rows = [(name, len(jus.load(name, backend="arrow"))) for name in jus.tables()]
    if form is None:
        for name, count in rows:
            click.echo(f"{name}\t{count}")
    else:
        _emit(["table", "rows"], rows, form)


@cli.command()
@click.argument("table", type=TableName())
@form_option
def describe(table: str, form: str) -> None:
    """Describe TABLE: what a row is, its keys, and each field's type, constraints and description."""
    fields = jus.describe(table)
    if form != "table":
        _emit(["field", "type", "constraints", "description"],
              [(row.name, row.type, _constraints(row.constraints), row.description) for row in fields.itertuples()], form)
        return
    resource = jus._package().resource(table)
    schema = resource["schema"]
    click.echo(f"{table}: {resource.get('description', resource.get('title', ''))}")
    click.echo(f"primary key: {_joined(schema['primaryKey'])}")
    for key in schema.get("foreignKeys", []):
        reference = key["reference"]
        click.echo(f"foreign key: {_joined(key['fields'])} -> {reference['resource'] or table} ({_joined(reference['fields'])})")
    rows = [(row.name, row.type, _constraints(row.constraints)) for row in fields.itertuples()]
    room = _terminal.width()
    for line, description in zip(_aligned(("field", "type", "constraints"), rows), [None, *fields["description"]]):
        line = line.rstrip()
        click.echo(line if len(line) <= room else line[: room - 1] + "…")
        if description:
            click.echo(textwrap.fill(description, width=room, initial_indent="    ", subsequent_indent="    "))


@cli.command()
@click.argument("table", type=TableName())
@click.option("-n", "--limit", type=click.IntRange(min=0), help="Show only the first N rows (default: all).")
@click.option("-c", "--columns", "wanted", metavar="NAME,...", help="Show only these columns, in this order (comma-separated).")
@form_option
def show(table: str, limit: int | None, wanted: str | None, form: str) -> None:
    """Print the rows of TABLE in primary-key order: by default as columns that fit the terminal (longer text
    wraps), the columns that do not fit named on stderr.

    For the shipped files themselves use `export`.
    """
    names = [field["name"] for field in jus._package().fields(table)]
    values = _export.columns(jus._package(), table, limit)
    if wanted is not None:
        chosen = [name.strip() for name in wanted.split(",")]
        unknown = [name for name in chosen if name not in names]
        if unknown:
            hints = [f"{name!r}: {did_you_mean(name, names)}" for name in unknown if did_you_mean(name, names)]
            raise click.BadParameter(f"{', '.join(unknown)} not in {table}{' (' + '; '.join(hints) + ')' if hints else ''}; "
                                     f"its columns: {', '.join(names)}", param_hint="'--columns'")
        values = [values[names.index(name)] for name in chosen]
        names = chosen
    _emit(names, zip(*values), form)


@cli.command()
@click.argument("text")
@click.option("-t", "--table", "only", type=TableName(), multiple=True, help="Search only this table (repeatable).")
@form_option
def search(text: str, only: tuple[str, ...], form: str) -> None:
    """Find the records whose text contains TEXT (case ignored), in every table: the table, the record's id,
    the field and the match in context. Exit status 1 when nothing matches."""
    hits = jus.search(text, tables=list(only) or None)
    if not hits:
        raise Failure(f"no value contains {text!r}" + (f" in {', '.join(only)}" if only else ""))
    _emit(["table", "id", "field", "text"], [list(hit.values()) for hit in hits], form)


@cli.command()
@click.argument("table", type=TableName())
@click.argument("record_id")
@form_option
def record(table: str, record_id: str, form: str) -> None:
    """Show record RECORD_ID of TABLE with what supports it and what is said about it: its fields, its evidence
    (each quote in context), the claims about it and the relations it takes part in."""
    found = jus.record(table, record_id)
    if form == "json":
        click.echo(json.dumps(_record_json(found), ensure_ascii=False, default=str))
        return
    heading = (lambda title: f"## {title}\n") if form == "md" else (lambda title: f"{title}\n")
    click.echo(heading(f"{table} {record_id}"))
    _emit(["field", "value"], [(name, value) for name, value in found.values.items() if value is not None], form)
    if found.evidence is not None:
        click.echo("\n" + heading(f"evidence ({len(found.evidence)})"))
        spans = found.evidence.astype(object).where(found.evidence.notna(), None)
        _emit(["article", "line", "field", "basis", "quote in context"],
              [(s.article_id, s.line, s.field or "(record)", s.basis, f"...{s.prefix or ''}[[{s.quote}]]{s.suffix or ''}...")
               for s in spans.itertuples()], form)
    for title, frame, columns in (("claims", found.claims, ["claim_id", "claimant_kind", "modality", "polarity", "statement"]),
                                  ("relations", found.relations, ["subject_table", "subject_id", "predicate", "object_table", "object_id"])):
        click.echo("\n" + heading(f"{title} ({len(frame)})"))
        if len(frame):
            plain = frame[columns].astype(object).where(frame[columns].notna(), None)
            _emit(columns, plain.itertuples(index=False), form)


def _record_json(found: Any) -> dict[str, Any]:
    def rows(frame: Any) -> list[dict[str, Any]]:
        return [] if frame is None else json.loads(frame.to_json(orient="records", date_format="iso"))
    return {"table": found.table, "id": found.record_id, "values": found.values, "evidence": rows(found.evidence),
            "claims": rows(found.claims), "relations": rows(found.relations)}


@cli.command()
@click.argument("table", type=TableName())
@click.argument("record_id")
@click.option("--full-line", is_flag=True, help="Print each span's whole source line instead of 32 characters either side.")
def evidence(table: str, record_id: str, full_line: bool) -> None:
    """Print every quote supporting record RECORD_ID of TABLE: the article, line and character offsets, the field it
    supports (or the whole record), and the quote [[marked]] in its context."""
    spans = jus.evidence(table, record_id)
    spans = spans.astype(object).where(spans.notna(), None)  # a missing value as None
    click.echo(f"{table} {record_id}: {len(spans)} supporting span{'' if len(spans) == 1 else 's'}")
    for span in spans.itertuples():
        supports = "the whole record" if span.field is None else f"field {span.field}"
        click.echo(f"\n{span.article_id}, line {span.line}, characters {span.char_start}-{span.char_end}: {supports} ({span.basis})")
        if full_line:
            before, after = span.line_text[: span.char_start], span.line_text[span.char_end :]
        else:
            before, after = f"...{span.prefix or ''}", f"{span.suffix or ''}..."
        click.echo(f"  {before}[[{span.quote}]]{after}")


@cli.command()
@click.argument("table", type=TableName(), required=False)
@click.option("-f", "--format", "form", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv: the published CSV file; json: JSON Lines, one object per row; parquet: the published Parquet "
                   "file; sqlite: every table in one database (give no TABLE).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to FILE (replaced only when complete) instead of stdout; sqlite needs it, and Parquet "
                   "needs it when stdout is a terminal.")
def export(table: str | None, form: str, output: Path | None) -> None:
    """Write TABLE as CSV, JSON Lines or Parquet, or every table into one SQLite database.

    CSV and Parquet are the shipped files, byte for byte, after their hash is checked. The SQLite
    database has each table's primary and foreign keys (datasette links the single-column ones).

    \b
    Examples:
      japan-us-summit export meetings > meetings.csv
      japan-us-summit export people -f json | jq .name
      japan-us-summit export -f sqlite -o summit.db && datasette summit.db
    """
    package = jus._package()
    if form == "sqlite":
        if table is not None or output is None:
            raise click.UsageError("--format sqlite writes every table: give -o FILE and no TABLE")
        counts = _export.write_sqlite(package, output)
        click.echo(f"Wrote {len(counts)} tables, {sum(counts.values())} rows, to {output}", err=True)
        return
    if table is None:
        raise click.UsageError(f"--format {form} writes one table: name it (see `japan-us-summit tables`)")
    stdout = sys.stdout.buffer
    if form == "parquet" and output is None and stdout.isatty():
        raise click.UsageError("Parquet is binary: give -o FILE or redirect stdout")
    if form == "json":
        chunks: Iterable[bytes] = _export.json_lines(package, table)
    else:
        chunks = [package.read(package.resource(table, form))]
    if output is None:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:  # a pipe can take part of a large write; the rest follows (or its reader is gone: SIGPIPE)
                view = view[stdout.write(view):]
        stdout.flush()
        return
    with _export.replacing(output) as temporary, temporary.open("wb") as file:
        for chunk in chunks:
            file.write(chunk)


@cli.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path), default="site", required=False)
def site(out: Path) -> None:
    """Write the provenance site into folder OUT (default: site): each article with every evidence span
    highlighted, a page per record, the two articles side by side, a timeline. Open OUT/index.html.

    The site ships with the package, built from the same data; OUT must be new or empty.
    """
    pages = _site.write(jus._package(), out)
    click.echo(f"Wrote {pages} pages to {out.resolve()}/ (open index.html there)")


@cli.command()
def verify() -> None:
    """Check every shipped file against its size and SHA-256 in datapackage.json (and the installer's record).

    Prints OK, or each file that differs and how; exit status 0 when all match, 1 otherwise.
    """
    result = jus.verify()
    click.echo(str(result))
    if not result:
        sys.exit(1)


def _joined(fields: str | list[str]) -> str:
    return ", ".join([fields] if isinstance(fields, str) else fields)


def _constraints(constraints: dict[str, Any]) -> str:
    """A field's constraints, e.g. ``required, pattern=^[a-z]+$, enum=held|scheduled``."""
    parts = []
    for key, value in constraints.items():
        if value is True:
            parts.append(key)
        elif isinstance(value, list):
            parts.append(f"{key}={'|'.join(map(str, value))}")
        else:
            parts.append(f"{key}={value}")
    return ", ".join(parts)


def _aligned(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The header and rows as left-aligned columns two spaces apart (the rows are read once, to size the columns)."""
    table = [list(header), *([_terminal.text(value) for value in row] for row in rows)]
    widths = [max(len(row[index]) for row in table) for index in range(len(table[0]))]
    for row in table:
        yield "  ".join(cell.ljust(width) for cell, width in zip(row, widths))


def main() -> None:
    """The console script: run the command line, ending quietly if the reader of its output goes away, and in one
    line with exit status 130 on Ctrl-C (``__main__`` catches one that comes while this module is imported).

    It ends with ``os._exit`` once its output is flushed: pyarrow's thread pools can abort the interpreter's
    own shutdown ("terminate called without an active exception", exit status 134, about one run in a
    hundred here; apache/arrow#34314), which would turn a finished command into a failed one.
    """
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends the command like any Unix tool
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        os.write(2, b"error: standard output is closed; give the command somewhere to write to (e.g. > file)\n")
        os._exit(1)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # from here a Ctrl-C unwinds: a half-written -o file is removed
    status = 0
    try:
        cli.main(prog_name="japan-us-summit")
    except SystemExit as done:  # click's standalone mode ends every run this way
        status = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
    except (Interrupted, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        status = 130
    try:
        sys.stdout.flush()
    except OSError as error:
        click.echo(f"error: cannot write to standard output ({error.strerror})", err=True)
        status = status or 1
    sys.stderr.flush()
    os._exit(status)
