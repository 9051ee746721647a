"""The ``japan-us-summit`` command line: the installed console script and ``python -m japan_us_summit`` run as
processes, and click's ``CliRunner`` in-process where a test damages the data."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import japan_us_summit as jus
from japan_us_summit.cli import cli
from tests.test_accessor import data_copy, flip_one_byte, use  # noqa: F401 (fixtures shared with the accessor tests)
from tests.test_accessor_support import DATA, DESCRIPTOR, TABLES, actual_rows, expected_rows, fields

SCRIPT = Path(sys.executable).parent / ("japan-us-summit.exe" if os.name == "nt" else "japan-us-summit")
MODULE = [sys.executable, "-m", "japan_us_summit"]


def run(*args: str, command: list[str] | None = None, columns: int = 1000) -> subprocess.CompletedProcess[str]:
    """The console script (or ``command``) run with ``args``, as a process, in a terminal ``columns`` wide."""
    assert SCRIPT.is_file(), f"{SCRIPT} is missing: install the project (pip install -e '.[dev]')"
    return subprocess.run([*(command or [str(SCRIPT)]), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": str(columns)})


def schema(table: str) -> dict:
    return next(r for r in DESCRIPTOR["resources"] if r["name"] == table)["schema"]


def as_list(names: str | list[str]) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


def canonical(value, kind: str) -> str | None:
    """A JSON or SQLite value as the canonical text of ``tests.test_accessor_support`` (booleans true/false)."""
    if value is None:
        return None
    if kind == "boolean":
        assert value in (True, False, 0, 1), value
        return "true" if value else "false"
    if kind == "number":
        return repr(float(value))
    return str(value)


# --- help and version ----------------------------------------------------------------------------


def test_the_script_and_the_module_run_the_same_command_line():
    script, module = run("--help"), run("--help", command=MODULE)
    assert script.returncode == module.returncode == 0
    assert script.stdout == module.stdout and script.stdout.startswith("Usage: japan-us-summit [OPTIONS]")
    assert all(f"  {name} " in script.stdout for name in cli.commands)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_has_a_help_text(name: str):
    command = cli.commands[name]
    options = [param for param in [*cli.params, *command.params] if param.param_type_name == "option"]
    assert command.help and options and all(option.help for option in options)
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and result.stdout.startswith(f"Usage: japan-us-summit {name} ")
    assert " ".join(command.help.split())[:40] in " ".join(result.stdout.split())


def test_version_is_the_data_packages():
    done = run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"japan-us-summit {DESCRIPTOR['version']}\n", "")
    assert jus.__version__ == DESCRIPTOR["version"]


# --- reading ------------------------------------------------------------------------------------


def test_tables_lists_each_name_and_row_count_tab_separated():
    done = run("tables")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines() == [f"{table}\t{len(expected_rows(table))}" for table in TABLES]


def test_describe_gives_keys_and_every_field_with_type_constraints_and_description():
    done = run("describe", "meetings")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == "meetings")
    assert lines[:2] == [f"meetings: {resource['description']}", f"primary key: {', '.join(as_list(resource['schema']['primaryKey']))}"]
    keys = [f"foreign key: {', '.join(key['fields'])} -> {key['reference']['resource'] or 'meetings'} ({', '.join(key['reference']['fields'])})"
            for key in resource["schema"]["foreignKeys"]]
    assert lines[2:2 + len(keys)] == keys and lines[2 + len(keys)].split() == ["field", "type", "constraints"]
    body = lines[3 + len(keys):]
    assert len(body) == 2 * len(fields("meetings"))
    for field, line, description in zip(fields("meetings"), body[::2], body[1::2]):
        name, kind, *rest = line.split(maxsplit=2)
        assert [name, kind] == [field["name"], field["type"]]
        for key, value in field.get("constraints", {}).items():
            assert (key if value is True else f"{key}={'|'.join(value) if isinstance(value, list) else value}") in rest[0], (name, key)
        assert description == f"    {field['description']}"


def test_show_prints_the_first_rows_of_the_chosen_columns():
    done = run("show", "people", "--limit", "2", "--columns", "person_id,article_id,line")
    assert done.returncode == 0, done.stderr
    names = [field["name"] for field in fields("people")]
    expected = [[row[names.index(c)] for c in ("person_id", "article_id", "line")] for row in expected_rows("people")[:2]]
    header, rule, *rows = done.stdout.splitlines()
    assert [header.split(), set(rule), *(line.split() for line in rows)] == [["person_id", "article_id", "line"], {"─"}, *expected]


def test_show_without_a_limit_prints_every_row_and_column():
    result = CliRunner().invoke(cli, ["show", "meetings", "--format", "tsv"])
    assert result.exit_code == 0
    header, *rows = csv.reader(io.StringIO(result.stdout), delimiter="\t")
    assert header == [field["name"] for field in fields("meetings")]
    assert rows == [[value or "" for value in row] for row in expected_rows("meetings")]


def test_show_refuses_an_unknown_column_as_a_usage_error():
    result = CliRunner().invoke(cli, ["show", "people", "-c", "person_id,age"])
    assert result.exit_code == 2 and "age not in people" in result.stderr


def test_evidence_prints_every_supporting_quote_in_context():
    spans = jus.evidence("people", "donald-trump")
    done = run("evidence", "people", "donald-trump")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"people donald-trump: {len(spans)} supporting spans"
    quoted = [line for line in lines if line.startswith("  ")]
    prefixes, suffixes = spans["prefix"].fillna(""), spans["suffix"].fillna("")
    assert quoted == [f"  ...{p}[[{q}]]{s}..." for p, q, s in zip(prefixes, spans["quote"], suffixes)]
    full = CliRunner().invoke(cli, ["evidence", "people", "donald-trump", "--full-line"])
    marked = [line for line in full.stdout.splitlines() if line.startswith("  ")]
    assert marked == [f"  {s.line_text[:s.char_start]}[[{s.quote}]]{s.line_text[s.char_end:]}" for s in spans.itertuples()]


def test_evidence_of_an_unknown_record_is_one_line_and_exit_1():
    done = run("evidence", "people", "donald-trum")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "error: Table 'people' has no record 'donald-trum'. Did you mean 'donald-trump'?\n"


def test_usage_errors_exit_2_without_a_traceback():
    for args in (["show", "no_such_table"], ["no-such-command"], ["export", "people", "--format", "xml"], ["show", "people", "-n", "-1"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("Usage: ") and "Traceback" not in result.stderr, args
    done = run("describe", "no_such_table")
    assert done.returncode == 2 and "'no_such_table' is not a table (choose from: articles, " in done.stderr


# --- export ---------------------------------------------------------------------------------------


def test_export_csv_is_the_shipped_file(tmp_path: Path):
    done = subprocess.run([str(SCRIPT), "export", "evidence", "--format", "csv"], capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stdout == (DATA / "csv" / "evidence.csv").read_bytes()
    assert run("export", "people", "-o", str(tmp_path / "people.csv")).returncode == 0
    assert (tmp_path / "people.csv").read_bytes() == (DATA / "csv" / "people.csv").read_bytes()


def json_rows(text: str, table: str) -> list[tuple[str | None, ...]]:
    """The JSON Lines ``text`` of ``table`` as canonical rows, after checking each object's keys are the fields in order."""
    names, kinds = [field["name"] for field in fields(table)], [field["type"] for field in fields(table)]
    objects = [json.loads(line) for line in text.splitlines()]
    assert all(list(row) == names for row in objects), table
    return [tuple(canonical(value, kind) for value, kind in zip(row.values(), kinds)) for row in objects]


def test_export_json_lines_hold_the_loaded_rows():
    done = run("export", "people", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json_rows(done.stdout, "people") == actual_rows(jus.load("people"), "people")
    for table in TABLES:
        result = CliRunner().invoke(cli, ["export", table, "-f", "json"])
        assert result.exit_code == 0 and json_rows(result.stdout, table) == actual_rows(jus.load(table), table), table


def test_export_parquet_is_the_shipped_file_to_a_file_or_a_pipe(tmp_path: Path):
    target = tmp_path / "out" / "meetings.parquet"
    target.parent.mkdir()
    assert run("export", "meetings", "-f", "parquet", "-o", str(target)).returncode == 0
    assert target.read_bytes() == (DATA / "parquet" / "meetings.parquet").read_bytes()
    assert sorted(p.name for p in target.parent.iterdir()) == ["meetings.parquet"]
    piped = subprocess.run([str(SCRIPT), "export", "meetings", "-f", "parquet"], capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout == target.read_bytes()
    assert actual_rows(pq.read_table(target), "meetings") == actual_rows(jus.load("meetings", backend="arrow"), "meetings")


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_export_parquet_to_a_terminal_is_refused():
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run([str(SCRIPT), "export", "people", "-f", "parquet"], stdout=follower, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2 and "Parquet is binary: give -o FILE or redirect stdout" in done.stderr


def test_export_sqlite_keeps_every_row_and_the_keys(tmp_path: Path):
    target = tmp_path / "summit.db"
    done = run("export", "--format", "sqlite", "-o", str(target))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(target) as database:
        assert database.execute("PRAGMA foreign_key_check").fetchall() == []
        assert sorted(name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")) == sorted(TABLES)
        for table in TABLES:
            columns = database.execute(f'PRAGMA table_info("{table}")').fetchall()  # cid, name, type, notnull, default, pk
            assert [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]] == as_list(schema(table)["primaryKey"]), table
            declared = {(key["reference"]["resource"] or table, tuple(key["fields"]), tuple(key["reference"]["fields"]))
                        for key in schema(table).get("foreignKeys", [])}
            found: dict[int, tuple[str, list[str], list[str]]] = {}
            for number, _, target_table, source, target_field, *_ in database.execute(f'PRAGMA foreign_key_list("{table}")'):
                found.setdefault(number, (target_table, [], []))[1].append(source)
                found[number][2].append(target_field)
            assert {(t, tuple(s), tuple(d)) for t, s, d in found.values()} == declared, table
            kinds = [field["type"] for field in fields(table)]
            rows = [tuple(canonical(v, k) for v, k in zip(row, kinds)) for row in database.execute(f'SELECT * FROM "{table}"')]
            assert rows == expected_rows(table), table
    assert done.stderr == f"Wrote {len(TABLES)} tables, {sum(len(expected_rows(t)) for t in TABLES)} rows, to {target}\n"


def test_export_sqlite_needs_a_file_and_no_table(tmp_path: Path):
    for args in (["export", "-f", "sqlite"], ["export", "people", "-f", "sqlite", "-o", str(tmp_path / "x.db")], ["export"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2 and "Traceback" not in result.stderr, args
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("form", ["csv", "sqlite"])
def test_export_into_a_missing_folder_is_one_error_line(tmp_path: Path, form: str):
    args = ["export", *(["people"] if form != "sqlite" else []), "-f", form, "-o", str(tmp_path / "missing" / "out")]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stderr) == (1, f"error: {tmp_path / 'missing'}: no such folder\n")


def test_a_failed_export_leaves_the_existing_file_as_it_was(data_copy: Path, use, tmp_path: Path):  # noqa: F811
    flip_one_byte(data_copy / "parquet" / "people.parquet")
    use(data_copy)
    target = tmp_path / "out" / "summit.db"
    target.parent.mkdir()
    target.write_bytes(b"earlier")
    result = CliRunner().invoke(cli, ["export", "-f", "sqlite", "-o", str(target)])
    assert result.exit_code == 1 and result.stderr.startswith("error: ") and "people.parquet is corrupted" in result.stderr
    assert list(target.parent.iterdir()) == [target] and target.read_bytes() == b"earlier"


# --- verify and damaged data ---------------------------------------------------------------------


def test_verify_exits_0_when_every_file_matches():
    done = run("verify")
    assert done.returncode == 0 and done.stdout.startswith(f"OK: all {len(DESCRIPTOR['resources'])} files")


def test_verify_exits_1_naming_what_differs(data_copy: Path, use):  # noqa: F811
    flip_one_byte(data_copy / "csv" / "people.csv")
    use(data_copy)
    result = CliRunner().invoke(cli, ["verify"])
    assert result.exit_code == 1
    assert result.stdout.startswith("FAILED: 1 of ") and "  csv/people.csv: sha256 " in result.stdout


def test_a_damaged_file_is_one_error_line_and_exit_1(data_copy: Path, use):  # noqa: F811
    flip_one_byte(data_copy / "parquet" / "people.parquet")
    flip_one_byte(data_copy / "csv" / "people.csv")
    use(data_copy)
    for args in (["show", "people"], ["export", "people", "-f", "json"], ["export", "people", "-f", "csv"], ["tables"], []):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, args
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: ") and "people." in line and " is corrupted: " in line, args


# --- pipes ------------------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="needs a POSIX shell and SIGPIPE")
@pytest.mark.parametrize("command", [[str(SCRIPT)], MODULE], ids=["script", "module"])
def test_piped_into_head_it_ends_quietly_like_any_unix_tool(command: list[str]):
    """evidence.csv is larger than a pipe's buffer, so the writer is still writing when head exits: it is ended by
    SIGPIPE (status 141 under pipefail, as for `cat`), printing nothing on stderr."""
    assert (DATA / "csv" / "evidence.csv").stat().st_size > 2 * 65536  # a pipe buffer and what head reads at once
    line = f"set -o pipefail; {shlex.join(command)} export evidence --format csv | head -1"
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=120)
    header = (DATA / "csv" / "evidence.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (done.stdout, done.stderr, done.returncode) == (header + "\n", "", 128 + 13)
    shown = subprocess.run(["bash", "-c", f"{shlex.join(command)} show evidence | head -2"], capture_output=True, text=True, timeout=120)
    assert (len(shown.stdout.splitlines()), shown.stderr, shown.returncode) == (2, "", 0)
