"""Unit tests of the japan_us_summit accessor, against the repository's datapackage/ (editable install)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import japan_us_summit as jus
from japan_us_summit import _files
from japan_us_summit._errors import REINSTALL
from japan_us_summit._files import DataPackage, data_folder
from tests.test_accessor_support import BACKENDS, DATA, DESCRIPTOR, TABLES, actual_rows, assert_types, enum_of, expected_rows, fields


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the data package, safe to damage."""
    return Path(shutil.copytree(DATA, tmp_path / "data"))


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch):
    """Point the public API at another data folder for one test."""

    def point_at(folder: Path) -> None:
        monkeypatch.setattr(jus, "_package", lambda: DataPackage(folder))

    return point_at


def flip_one_byte(path: Path, offset: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def set_path(folder: Path, resource_name: str, value: str) -> None:
    descriptor_file = folder / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == resource_name)["path"] = value
    descriptor_file.write_text(json.dumps(descriptor), encoding="utf-8")


# --- where the data comes from -------------------------------------------------------------------


def test_editable_install_reads_the_checkouts_datapackage():
    direct_url = json.loads(metadata.distribution("japan-us-summit").read_text("direct_url.json") or "{}")
    if not direct_url.get("dir_info", {}).get("editable"):
        pytest.skip("japan-us-summit is not installed in editable mode here")
    assert data_folder().resolve() == DATA.resolve()


@pytest.mark.parametrize(
    ("checkout", "advice"),
    [(None, "is missing. Reinstall the package"), ("empty", "editable install reads .* which is missing; run: python build.py build")],
)
def test_a_missing_data_folder_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, checkout, advice: str):
    monkeypatch.setattr(_files.resources, "files", lambda package: tmp_path / "site-packages" / package)
    monkeypatch.setattr(_files, "_editable_checkout", lambda: checkout and tmp_path / checkout)
    monkeypatch.setattr(_files, "_running_checkout", lambda: None)
    with pytest.raises(jus.DataFileError, match=advice):
        data_folder()


def test_version_is_the_data_packages_version():
    assert jus.__version__ == DESCRIPTOR["version"] == metadata.version("japan-us-summit")


def test_descriptor_is_the_shipped_json_and_a_copy():
    assert jus.descriptor() == DESCRIPTOR
    jus.descriptor()["version"] = "changed"
    assert jus.descriptor()["version"] == DESCRIPTOR["version"]


# --- tables, load, dtypes ------------------------------------------------------------------------


def test_tables_are_the_tabular_resources_in_order():
    assert jus.tables() == [r["name"] for r in DESCRIPTOR["resources"] if r["type"] == "table"]
    assert not any(name.endswith("-parquet") for name in jus.tables())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("table", TABLES)
def test_load_gives_the_csv_rows_with_the_declared_types(table: str, backend: str):
    frame = jus.load(table, backend=backend)
    assert actual_rows(frame, table) == expected_rows(table)
    assert_types(frame, table)


def test_pandas_dtypes_spelled_out():
    meetings = jus.load("meetings")
    kind = next(f for f in fields("meetings") if f["name"] == "kind")
    assert meetings["kind"].dtype == pd.CategoricalDtype(enum_of(kind), ordered=False)
    assert list(meetings["kind"].cat.categories) == enum_of(kind)
    assert meetings["start_date_earliest"].dtype == pd.ArrowDtype(pa.date32())
    assert meetings["line"].dtype == "Int64"
    assert meetings["meeting_id"].dtype == pd.StringDtype()
    assert jus.load("comparison_readings")["recorded"].dtype == "boolean"
    assert jus.load("figures")["number"].dtype == "Float64"


def test_unknown_backend_names_the_valid_ones():
    with pytest.raises(ValueError, match="'pandas', 'arrow', 'polars'"):
        jus.load("people", backend="numpy")


def test_missing_polars_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(jus.MissingBackendError, match=r"pip install 'japan-us-summit\[polars\]'") as caught:
        jus.load("people", backend="polars")
    assert isinstance(caught.value, ImportError)


@pytest.mark.parametrize(
    "call",
    [
        lambda: jus.load("peopel"),
        lambda: jus.describe("peopel"),
        lambda: jus.path("peopel"),
        lambda: jus.evidence("peopel", "donald-trump"),
    ],
)
def test_unknown_table_names_every_valid_table(call):
    with pytest.raises(jus.UnknownTableError) as caught:
        call()
    message = str(caught.value)
    assert isinstance(caught.value, LookupError)
    assert "'peopel'" in message and "Did you mean 'people'?" in message
    assert all(name in message for name in TABLES)


# --- describe, path ------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_describe_states_the_descriptors_fields(table: str):
    described = jus.describe(table)
    assert list(described.columns) == ["name", "type", "constraints", "description"]
    assert described.to_dict("records") == [
        {"name": f["name"], "type": f["type"], "constraints": f.get("constraints", {}), "description": f["description"]}
        for f in fields(table)
    ]


def test_path_gives_the_parquet_or_csv_file():
    assert jus.path("people") == data_folder() / "parquet" / "people.parquet"
    assert jus.path("people", "csv") == data_folder() / "csv" / "people.csv"
    assert jus.path("people").is_file() and jus.path("people", format="csv").is_file()
    with pytest.raises(ValueError, match="'parquet', 'csv'"):
        jus.path("people", "xlsx")


# --- evidence ------------------------------------------------------------------------------------


def test_evidence_gives_every_span_with_its_source_line():
    spans = jus.evidence("people", "donald-trump")
    columns = ["article_id", "line", "char_start", "char_end", "quote", "prefix", "suffix", "field", "basis", "line_text"]
    assert list(spans.columns) == columns
    all_spans = pd.read_csv(DATA / "csv" / "evidence.csv", dtype=str, keep_default_na=False)
    mine = all_spans[(all_spans.record_table == "people") & (all_spans.record_id == "donald-trump")]
    assert len(spans) == len(mine) > 1
    assert spans["quote"].tolist() == mine["quote"].tolist()
    lines = pd.read_csv(DATA / "csv" / "source_lines.csv", dtype=str, keep_default_na=False)
    for span in spans.itertuples():
        text = lines[(lines.article_id == span.article_id) & (lines.line == str(span.line))]["text"].item()
        assert span.line_text == text
        assert span.quote == text[span.char_start : span.char_end]
        assert (span.prefix if span.prefix is not pd.NA else "") == text[max(0, span.char_start - 32) : span.char_start]


@pytest.mark.slow
def test_evidence_quotes_match_their_lines_for_every_record():
    for record_table, record_id in jus.load("evidence")[["record_table", "record_id"]].drop_duplicates().itertuples(index=False):
        for span in jus.evidence(record_table, record_id).itertuples():
            assert span.line_text[span.char_start : span.char_end] == span.quote


def test_evidence_of_an_unknown_record_suggests_close_ids():
    with pytest.raises(jus.UnknownRecordError, match="Did you mean 'donald-trump'"):
        jus.evidence("people", "donald-trum")


def test_evidence_of_a_table_without_evidence_says_which_tables_have_it():
    with pytest.raises(jus.UnknownTableError, match="evidence covers: people, person_roles"):
        jus.evidence("articles", "kyodo-summit-report")


# --- verify and damaged data ---------------------------------------------------------------------


def test_verify_passes_on_the_shipped_files():
    result = jus.verify(strict=True)
    assert result and result.ok and result.failures == ()
    assert len(result.checks) == len(DESCRIPTOR["resources"])
    assert str(result).startswith(f"OK: all {len(DESCRIPTOR['resources'])} files")


def test_verify_names_the_file_with_one_changed_byte(data_copy: Path, use):
    flip_one_byte(data_copy / "parquet" / "people.parquet")
    use(data_copy)
    result = jus.verify()
    assert not result and not result.ok
    assert [(check.resource, check.path) for check in result.failures] == [("people-parquet", "parquet/people.parquet")]
    assert "sha256" in result.failures[0].problem
    assert "parquet/people.parquet" in str(result) and REINSTALL in str(result)
    with pytest.raises(jus.DataFileError, match="parquet/people.parquet"):
        jus.verify(strict=True)


def test_loading_a_corrupted_file_names_it_and_says_to_reinstall(data_copy: Path, use):
    flip_one_byte(data_copy / "parquet" / "people.parquet")
    use(data_copy)
    with pytest.raises(jus.DataFileError, match=r"people\.parquet is corrupted.*Reinstall"):
        jus.load("people")
    jus.load("articles")  # the other tables still load


def test_a_missing_file_is_named_with_advice_to_reinstall(data_copy: Path, use):
    (data_copy / "parquet" / "people.parquet").unlink()
    use(data_copy)
    with pytest.raises(jus.DataFileError, match=r"people\.parquet is missing.*Reinstall"):
        jus.load("people")
    with pytest.raises(jus.DataFileError, match="missing"):
        jus.path("people")
    assert [(c.path, c.problem) for c in jus.verify().failures] == [("parquet/people.parquet", "missing")]


def test_an_unreadable_parquet_file_is_not_a_bare_pyarrow_error(data_copy: Path, use):
    """Even a file that matches its (rewritten) hash but is not Parquet gives an actionable error."""
    garbage = b"not parquet at all"
    (data_copy / "parquet" / "people.parquet").write_bytes(garbage)
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "people-parquet")
    resource["bytes"], resource["hash"] = len(garbage), "sha256:" + hashlib.sha256(garbage).hexdigest()
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    use(data_copy)
    with pytest.raises(jus.DataFileError, match=r"people\.parquet cannot be read as table 'people'.*Reinstall"):
        jus.load("people")


@pytest.mark.parametrize("content", ["", "{not json"])
def test_a_broken_descriptor_is_named(data_copy: Path, use, content: str):
    (data_copy / "datapackage.json").write_text(content, encoding="utf-8")
    use(data_copy)
    with pytest.raises(jus.DataFileError, match=r"datapackage\.json cannot be read.*Reinstall"):
        jus.tables()


@pytest.mark.parametrize("bad", ["../people.parquet", "parquet/../../people.parquet", "/etc/passwd", "C:/data/x.parquet", "parquet\\people.parquet", ""])
def test_paths_that_leave_the_data_folder_are_rejected(data_copy: Path, use, bad: str):
    set_path(data_copy, "people-parquet", bad)
    use(data_copy)
    with pytest.raises(jus.UnsafePathError, match="not a relative path inside the data folder"):
        jus.load("people")
    with pytest.raises(jus.UnsafePathError):
        jus.verify()


@pytest.mark.parametrize("link", ["parquet/people.parquet", "parquet"])
def test_symlinks_are_rejected(data_copy: Path, use, tmp_path: Path, link: str):
    target = tmp_path / "elsewhere"
    shutil.move(data_copy / link, target)
    (data_copy / link).symlink_to(target)
    use(data_copy)
    with pytest.raises(jus.UnsafePathError, match="is a symlink"):
        jus.load("people")


# --- command line and imports --------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["info"]], ids=["no-command", "info"])
def test_command_line_prints_version_tables_rows_and_licences(args: list[str]):
    run = subprocess.run([sys.executable, "-m", "japan_us_summit", *args], capture_output=True, text=True, check=True)
    assert run.stdout.startswith(f"japan-us-summit {DESCRIPTOR['version']}:")
    for table in TABLES:
        rows = len(expected_rows(table))
        assert any(line.split() == [table, str(rows)] for line in run.stdout.splitlines()), table
    assert "CC-BY-4.0" in run.stdout and "source-text-rights-reserved" in run.stdout


def test_command_line_reports_damage_without_a_traceback(data_copy: Path, use):
    from click.testing import CliRunner

    from japan_us_summit.cli import cli

    flip_one_byte(data_copy / "parquet" / "people.parquet")
    use(data_copy)
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and "people.parquet is corrupted" in line


def test_the_accessor_imports_neither_build_time_libraries_nor_click():
    code = (
        "import sys, japan_us_summit as j\n"
        "[j.load(t) for t in j.tables()]; j.describe('people'); j.evidence('people', 'donald-trump'); j.verify()\n"
        "print(sorted(m for m in ('pydantic', 'pandera', 'frictionless', 'yaml', 'pkg_resources', 'click') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"



# --- a long-running process ------------------------------------------------------------------------


def test_each_file_is_hashed_once_per_process(data_copy: Path, monkeypatch: pytest.MonkeyPatch):
    package, hashed = DataPackage(data_copy), []
    real = _files.hash_mismatch
    monkeypatch.setattr(_files, "hash_mismatch", lambda resource, data: hashed.append(resource["name"]) or real(resource, data))
    for _ in range(3):
        package.read(package.resource("people", "parquet"))
    assert hashed == ["people-parquet"]
    flip_one_byte(data_copy / "parquet" / "people.parquet")  # a changed file is hashed again, and caught
    with pytest.raises(jus.DataFileError, match="corrupted"):
        package.read(package.resource("people", "parquet"))


def test_a_rebuilt_package_is_read_afresh_not_called_corrupted(data_copy: Path):
    """A process that loaded data before a rebuild reads the new files with the new descriptor."""
    package = DataPackage(data_copy)
    before = package.read(package.resource("people", "csv"))
    rebuilt = before.replace(b"Donald Trump", b"Donald J. Trump")
    (data_copy / "csv" / "people.csv").write_bytes(rebuilt)
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "people")
    resource["bytes"], resource["hash"] = len(rebuilt), "sha256:" + hashlib.sha256(rebuilt).hexdigest()
    descriptor["version"] = "9.9.9"
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    assert package.read(package.resource("people", "csv")) == rebuilt
    assert package.descriptor["version"] == "9.9.9"


# --- malformed descriptors -------------------------------------------------------------------------

MALFORMED = {
    "empty-object": {},
    "a-list": [],
    "resources-not-a-list": {"resources": {"name": "people"}},
    "resource-without-name": {"resources": [{"path": "csv/people.csv"}]},
    "unknown-hash-algorithm": {"resources": [{"name": "people", "path": "csv/people.csv", "hash": "sha999:abc"}]},
    "hash-not-text": {"resources": [{"name": "people", "path": "csv/people.csv", "hash": 12345}]},
    "table-without-schema": {"resources": [{"name": "people", "type": "table", "path": "csv/people.csv"}]},
}


@pytest.mark.parametrize("shape", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_descriptor_is_a_data_file_error(data_copy: Path, use, shape):
    (data_copy / "datapackage.json").write_text(json.dumps(shape), encoding="utf-8")
    use(data_copy)
    with pytest.raises(jus.DataFileError, match=r"datapackage\.json is malformed: .*Reinstall"):
        jus.tables()
    with pytest.raises(jus.DataFileError):
        jus.verify()


def test_the_command_line_reports_a_malformed_descriptor_without_a_traceback(data_copy: Path, use):
    from click.testing import CliRunner

    from japan_us_summit.cli import cli

    (data_copy / "datapackage.json").write_text("[]", encoding="utf-8")
    use(data_copy)
    for args in ([], ["--version"], ["tables"], ["show", "people"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, args
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: ") and "datapackage.json is malformed" in line, args
