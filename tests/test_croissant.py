"""croissant.json: mlcroissant (the reference implementation) validates it and reads every record set back as its
Parquet file holds it; files, fields, keys, references and vocabularies follow the declarations; the RAI texts
are the card's."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from japan_us_summit._layout import CARD, CROISSANT
from forms.croissant import DATA_TYPES, RAI_STATEMENTS, RAI_TEXTS
from forms import card_text
from schema.tables import TABLES

from .conftest import ROOT, needs

needs_mlcroissant = needs("ml", "mlcroissant")

PACKAGE = ROOT / "datapackage"
DOCUMENT = json.loads((PACKAGE / CROISSANT).read_text(encoding="utf-8"))
DESCRIPTOR = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
RECORD_SETS = {record_set["@id"]: record_set for record_set in DOCUMENT["recordSet"]}

# Run in its own process, with its own cache; a fresh mlcroissant.Dataset per record set (mlcroissant 1.1
# reads a record set, or one it references, only once per Dataset object).
READ_EVERY_RECORD_SET = """
import json, sys
import mlcroissant as mlc
jsonld, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
def plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "date"):  # a pandas Timestamp: Croissant's sc:Date
        return value.date().isoformat()
    return value
result = {name: [{key: plain(value) for key, value in record.items()} for record in mlc.Dataset(jsonld=jsonld).records(name)]
          for name in names}
with open(out, "w", encoding="utf-8") as file:
    json.dump(result, file)
"""


def environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CROISSANT_CACHE": str(tmp_path / "croissant"), "XDG_CACHE_HOME": str(tmp_path / "cache")}


@needs_mlcroissant
def test_mlcroissant_validates_it_with_the_standard_context(tmp_path: Path):
    cli = Path(sys.executable).with_name("mlcroissant")
    done = subprocess.run([str(cli), "validate", "--jsonld", str(PACKAGE / CROISSANT)], cwd=tmp_path,
                          env=environment(tmp_path), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "error" not in done.stderr.lower() and "not standard" not in done.stderr, done.stderr


@needs_mlcroissant
def test_mlcroissant_refuses_a_broken_copy(tmp_path: Path):
    """The validation above can fail: a field with no valid data type and a reference to nothing are found."""
    broken = json.loads(json.dumps(DOCUMENT))
    fields = broken["recordSet"][-1]["field"]
    fields[0]["dataType"] = "sc:Nonsense"
    fields[1]["references"] = {"field": {"@id": "nowhere/nothing"}}
    (tmp_path / CROISSANT).write_text(json.dumps(broken), encoding="utf-8")
    cli = Path(sys.executable).with_name("mlcroissant")
    done = subprocess.run([str(cli), "validate", "--jsonld", str(tmp_path / CROISSANT)], cwd=tmp_path,
                          env=environment(tmp_path), capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "dataType" in done.stderr and "nowhere/nothing" in done.stderr


@needs_mlcroissant
@pytest.mark.slow
def test_every_record_set_reads_back_as_its_parquet_file(tmp_path: Path):
    out = tmp_path / "records.json"
    done = subprocess.run([sys.executable, "-c", READ_EVERY_RECORD_SET, str(PACKAGE / CROISSANT), str(out), *TABLES],
                          cwd=tmp_path, env=environment(tmp_path), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    read = json.loads(out.read_text(encoding="utf-8"))
    for name in TABLES:
        rows = pq.read_table(PACKAGE / "parquet" / f"{name}.parquet").to_pylist()
        expected = [{f"{name}/{column}": value.isoformat() if hasattr(value, "isoformat") else value for column, value in row.items()}
                    for row in rows]
        assert read[name] == expected, name


def test_a_file_object_per_table_with_the_parquet_files_hash_and_place():
    files = {file["@id"]: file for file in DOCUMENT["distribution"]}
    assert list(files) == [f"parquet/{name}.parquet" for name in TABLES]
    for path, file in files.items():
        data = (PACKAGE / file["contentUrl"]).read_bytes()  # relative to croissant.json
        assert file["sha256"] == hashlib.sha256(data).hexdigest()
        assert file["contentSize"] == f"{len(data)} B"
        assert file["encodingFormat"] == "application/x-parquet"


def test_record_sets_follow_the_declarations():
    assert [name for name in RECORD_SETS if name in TABLES] == list(TABLES)
    for name, table in TABLES.items():
        record_set = RECORD_SETS[name]
        assert record_set["description"] == table.description
        assert record_set["key"] == [{"@id": f"{name}/{column}"} for column in table.primary_key]
        assert [field["name"] for field in record_set["field"]] == list(table.fields)
        for field, spec in zip(record_set["field"], table.fields.values()):
            assert field["@id"] == f"{name}/{spec.name}"
            if spec.scheme is None:
                assert field["dataType"] == DATA_TYPES[spec.kind]
                assert field["description"] == spec.description
            else:  # an identifier or coordinate says what it means and which scheme it belongs to
                assert field["dataType"][0] == DATA_TYPES[spec.kind] and field["dataType"][1] in ("sc:identifier", "sc:latitude", "sc:longitude")
                assert field["description"].startswith(spec.description) and spec.scheme.name in field["description"]
            assert field["source"] == {"fileObject": {"@id": f"parquet/{name}.parquet"}, "extract": {"column": spec.name}}


def test_the_identifier_schemes_are_named_with_their_addresses():
    based_on = {d["name"]: d["url"] for d in DOCUMENT["isBasedOn"]}
    assert based_on == {"Wikidata": "https://www.wikidata.org/", "GeoNames": "http://www.geonames.org/"}
    places = {f["name"]: f for f in RECORD_SETS["locations"]["field"]}
    assert places["latitude"]["dataType"] == ["sc:Float", "sc:latitude"] and places["geonames_id"]["dataType"] == ["sc:Integer", "sc:identifier"]


def test_vocabularies_are_enumerations_that_their_fields_reference():
    for name, table in TABLES.items():
        for field, spec in zip(RECORD_SETS[name]["field"], table.fields.values()):
            if not spec.enum:
                continue
            enumeration = RECORD_SETS[spec.vocabulary]
            assert field["references"] == {"field": {"@id": f"{spec.vocabulary}/value"}}
            assert enumeration["dataType"] == "sc:Enumeration"
            assert [row[f"{spec.vocabulary}/value"] for row in enumeration["data"]] == list(spec.enum)
            assert f"{name}.{spec.name}" in enumeration["description"]


def test_foreign_keys_are_references_except_those_a_reader_could_not_follow():
    """Every one-column foreign key to a table declared earlier is a reference; a self-reference, a reference
    to a later table (which would close a cycle) and the parts of a composite key stay in datapackage.json only."""
    order = list(TABLES)
    for resource in (r for r in DESCRIPTOR["resources"] if r.get("type") == "table"):
        name = resource["name"]
        fields = {field["name"]: field for field in RECORD_SETS[name]["field"]}
        for key in resource["schema"].get("foreignKeys", []):
            target = key["reference"]["resource"] or name
            followed = len(key["fields"]) == 1 and order.index(target) < order.index(name)
            reference = fields[key["fields"][-1]].get("references")
            assert reference == ({"field": {"@id": f"{target}/{key['reference']['fields'][0]}"}} if followed else None), (name, key)
    assert "references" in {k for f in RECORD_SETS["people"]["field"] for k in f}  # people -> articles
    assert "references" not in next(f for f in RECORD_SETS["organizations"]["field"] if f["name"] == "parent_organization_id")


def test_metadata_licences_and_responsible_ai_texts():
    assert DOCUMENT["conformsTo"] == ["http://mlcommons.org/croissant/1.1", "http://mlcommons.org/croissant/RAI/1.0"]
    assert DOCUMENT["version"] == DESCRIPTOR["version"]
    assert DOCUMENT["description"] == DESCRIPTOR["description"]
    assert DOCUMENT["license"][0] == DESCRIPTOR["licenses"][0]["path"]
    assert DOCUMENT["license"][1]["name"] == "LicenseRef-source-text-rights-reserved"
    assert f"version = {{{DESCRIPTOR['version']}}}" in DOCUMENT["citeAs"]
    card = (PACKAGE / CARD).read_text(encoding="utf-8")
    for prop, section in RAI_TEXTS.items():
        assert DOCUMENT[prop] == card_text.section(section) and DOCUMENT[prop] in card
    for prop, sections in RAI_STATEMENTS.items():
        assert DOCUMENT[prop] == [s for section in sections for s in card_text.statements(section)]
        assert all(section in card for section in map(card_text.section, sections))


@pytest.mark.parametrize("prop", ["rai:dataLimitations", "rai:dataBiases", "rai:personalSensitiveInformation"])
def test_each_responsible_ai_list_holds_one_statement_per_card_item(prop):
    section = RAI_STATEMENTS[prop][0]
    assert len(DOCUMENT[prop]) == card_text.section(section).count("\n- ") + 1
