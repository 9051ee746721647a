"""The dataset card (datapackage/README.md): Hugging Face front matter with a config per table and each table's
features, the facts of every table, each hand-written section once; and `datasets.load_dataset` reads every table,
offline, with the declared features: its Parquet file's columns, a vocabulary column as a ClassLabel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from japan_us_summit._layout import CARD
from forms.dataset_card import size_category
from forms import card_text, hf_features
from schema.tables import TABLES
from schema.vocabularies import MeetingStatus

from .conftest import ROOT, copy_project, needs, run_build_process, tree_bytes

PACKAGE = ROOT / "datapackage"
TEXT = (PACKAGE / CARD).read_text(encoding="utf-8")
DESCRIPTOR = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
ROWS = {name: pq.read_metadata(PACKAGE / "parquet" / f"{name}.parquet").num_rows for name in TABLES}

# Run in its own process: datasets and huggingface_hub read their cache and offline settings when imported.
LOAD_EVERY_TABLE = """
import json, sys
import datasets, yaml
folder, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(folder + "/README.md", encoding="utf-8") as file:
    card = datasets.info.DatasetInfosDict.from_dataset_card_data(yaml.safe_load(file.read().split("---\\n", 2)[1]))
result = {}
for name in names:
    loaded = datasets.load_dataset(folder, name, split="train")
    table, features = loaded.data.table, loaded.features
    result[name] = {
        "schema": [[f.name, str(f.type)] for f in table.schema],
        "rows": table.to_pylist(),
        "features": {column: ["ClassLabel", feature.names] if isinstance(feature, datasets.ClassLabel) else [type(feature).__name__, feature.dtype]
                     for column, feature in features.items()},
        "as_declared": features == card[name].features,
        "decoded": {column: [None if index is None else feature.int2str(index) for index in loaded[column]]
                    for column, feature in features.items() if isinstance(feature, datasets.ClassLabel)},
        "split": {"num_examples": loaded.info.splits["train"].num_examples, "num_bytes": loaded.info.splits["train"].num_bytes},
    }
with open(out, "w", encoding="utf-8") as file:
    json.dump(result, file, default=str)
"""
DTYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool", "date": "date32"}  # Table Schema kind -> datasets Value


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def section_of(table: str) -> str:
    """The card's part about ``table``: from its heading to the next one."""
    return TEXT.split(f"\n### {table}\n", 1)[1].split("\n#", 1)[0]


def test_front_matter_declares_a_config_per_table_that_reads_its_parquet_file():
    meta = front_matter(TEXT)
    assert [config["config_name"] for config in meta["configs"]] == list(TABLES)
    for config in meta["configs"]:
        assert config["data_files"] == [{"split": "train", "path": f"parquet/{config['config_name']}.parquet"}]
        assert (PACKAGE / config["data_files"][0]["path"]).is_file()
        assert "default" not in config  # every table is its own subset; none stands for the dataset
    assert meta["pretty_name"] == DESCRIPTOR["title"]
    assert meta["language"] == ["en"]
    assert meta["size_categories"] == [size_category(sum(ROWS.values()))]
    assert meta["license"] == "other"
    assert meta["license_name"] == "cc-by-4.0-and-licenseref-source-text-rights-reserved"
    verbatim = [r["name"] for r in DESCRIPTOR["resources"] if r.get("type") == "table" and len(r["licenses"]) > 1]
    assert "CC-BY-4.0" in meta["license_details"] and all(name in meta["license_details"] for name in verbatim)
    assert set(meta["task_categories"]) == {"token-classification", "text-classification"}


def test_the_card_states_every_table_with_its_rows_key_licences_and_fields():
    assert f"Version {DESCRIPTOR['version']}" in TEXT
    for resource in (r for r in DESCRIPTOR["resources"] if r.get("type") == "table"):
        name, table = resource["name"], TABLES[resource["name"]]
        key = ", ".join(f"`{column}`" for column in table.primary_key)
        licences = ", ".join(license["name"] for license in resource["licenses"])
        assert f"| [`{name}`](#{name}) | {ROWS[name]} | {key} | {licences} | {table.description} |" in TEXT
        section = section_of(name)
        assert f"{ROWS[name]} rows; key {key}" in section
        listed = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
        assert listed == list(table.fields)
        for spec in table.fields.values():
            if spec.vocabulary:
                assert f"| `{spec.name}` | {spec.kind} | {'yes' if spec.required else ''} | [{spec.vocabulary}](#vocabularies) |" in section
                assert f"- **{spec.vocabulary}**: " + ", ".join(f"`{value}`" for value in spec.enum) in TEXT


def test_the_card_shows_a_composite_foreign_key_as_one():
    section = section_of("people")
    assert "| `line` | integer | yes | with `article_id`, a key of `source_lines` |" in section
    assert "| `article_id` | string | yes | a key of `articles` |" in section


def test_every_hand_written_section_appears_in_the_card_exactly_once():
    sections = sorted(card_text.FOLDER.glob("*.md"))
    assert len(sections) >= 8
    for path in sections:
        assert TEXT.count(card_text.section(path.stem)) == 1, path.name


def test_statements_split_a_list_and_join_its_wrapped_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(card_text, "FOLDER", tmp_path)
    (tmp_path / "list.md").write_text("- First item,\n  wrapped.\n- Second item.\n", encoding="utf-8")
    (tmp_path / "prose.md").write_text("One paragraph\nover two lines.\n", encoding="utf-8")
    assert card_text.statements("list") == ["First item, wrapped.", "Second item."]
    assert card_text.statements("prose") == ["One paragraph over two lines."]


@pytest.mark.parametrize(("rows", "category"), [
    (0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (9_999, "1K<n<10K"), (10_000, "10K<n<100K"),
    (2_500_000, "1M<n<10M"), (10**12 - 1, "100B<n<1T"), (10**12, "n>1T"),
])
def test_size_category_uses_hugging_faces_bins(rows, category):
    assert size_category(rows) == category


def test_dataset_info_gives_every_column_its_type_and_a_vocabulary_column_its_values_as_class_labels():
    info = front_matter(TEXT)["dataset_info"]
    assert [entry["config_name"] for entry in info] == list(TABLES)
    for entry in info:
        name = entry["config_name"]
        table, written = TABLES[name], pq.read_schema(PACKAGE / "parquet" / f"{name}.parquet")
        assert [feature["name"] for feature in entry["features"]] == list(table.fields) == written.names
        for feature in entry["features"]:
            spec = table.fields[feature["name"]]
            if spec.vocabulary:
                assert feature["dtype"] == {"class_label": {"names": {str(i): value for i, value in enumerate(spec.enum)}}}
                assert written.field(spec.name).type == "string"  # stored as its values; datasets encodes them
            else:
                assert feature["dtype"] == DTYPES[spec.kind]
        assert entry["splits"] == [{"name": "train", "num_bytes": entry["dataset_size"], "num_examples": ROWS[name]}]
        assert entry["download_size"] == (PACKAGE / "parquet" / f"{name}.parquet").stat().st_size
    assert any("class_label" in feature["dtype"] for entry in info for feature in entry["features"]
               if isinstance(feature["dtype"], dict))


@needs("ml", "datasets")
def test_load_dataset_reads_every_table_offline_with_the_declared_features(tmp_path: Path):
    before = tree_bytes(PACKAGE)
    environment = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1",
                   "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "loaded.json"
    done = subprocess.run([sys.executable, "-c", LOAD_EVERY_TABLE, str(PACKAGE), str(out), *TABLES],
                          cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(out.read_text(encoding="utf-8"))
    card = {entry["config_name"]: entry for entry in front_matter(TEXT)["dataset_info"]}
    missing_kept = 0
    for name, table in TABLES.items():
        got = loaded[name]
        assert got["as_declared"], name
        assert got["features"] == {spec.name: ["ClassLabel", list(spec.enum)] if spec.vocabulary else ["Value", DTYPES[spec.kind]]
                                   for spec in table.fields.values()}, name
        assert got["split"] == {"num_examples": ROWS[name], "num_bytes": card[name]["splits"][0]["num_bytes"]}, name
        published = pq.read_table(PACKAGE / "parquet" / f"{name}.parquet")
        vocabulary = {spec.name for spec in table.fields.values() if spec.vocabulary}
        schema = [[f.name, "int64" if f.name in vocabulary else str(f.type)] for f in published.schema]
        assert got["schema"] == schema, name
        expected = json.loads(json.dumps(published.to_pylist(), default=str))
        for column in vocabulary:  # stored as indices into the names, decoded by int2str back to the published values
            values = [row[column] for row in expected]
            assert got["decoded"][column] == values, (name, column)
            assert [row[column] for row in got["rows"]] == [None if v is None else table.fields[column].enum.index(v) for v in values]
            missing_kept += values.count(None)
        assert [{k: v for k, v in row.items() if k not in vocabulary} for row in got["rows"]] == \
            [{k: v for k, v in row.items() if k not in vocabulary} for row in expected], name
    assert missing_kept, "no vocabulary column with a missing value was read: None-handling went untested"
    assert loaded["meetings"]["features"]["status"] == ["ClassLabel", [status.value for status in MeetingStatus]]  # in declared order
    assert any((tmp_path / "hf").rglob("*")), "the cache went somewhere else than the temporary HF_HOME"
    assert tree_bytes(PACKAGE) == before, "loading wrote into the package folder"


def test_check_reports_the_card_and_croissant_stale_when_a_hand_written_section_changes(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    uses = root / "forms" / "card" / "uses.md"
    uses.write_text(uses.read_text(encoding="utf-8") + "- Another use.\n", encoding="utf-8")
    code, _, err = run_build_process(root, "check")
    assert code == 1
    assert "stale: datapackage/README.md differs from a fresh build" in err
    assert "stale: datapackage/croissant.json differs from a fresh build" in err
    assert run_build_process(root, "build")[0] == 0
    assert "- Another use." in (root / "datapackage" / CARD).read_text(encoding="utf-8")


def test_a_column_type_without_a_declared_hugging_face_dtype_is_refused():
    with pytest.raises(TypeError, match="no Hugging Face dtype declared for the Arrow type int32"):
        hf_features.dtype(pa.int32())
