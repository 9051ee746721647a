"""The evidence as W3C Web Annotations (datapackage/annotations/): each article's collection expands as JSON-LD
against the W3C context shipped in forms/w3c/ (nothing fetched), uses only terms that context defines, and every
selector resolves in the article's text file, which the published tables name."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyld import jsonld

from forms.web_annotations import CONTEXT, line_starts, path
from schema.tables import TABLES

from .conftest import ROOT

PACKAGE = ROOT / "datapackage"
SHIPPED_CONTEXT = ROOT / "forms" / "w3c" / "anno.jsonld"
OA, AS = "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/activitystreams#"


def rows(table: str) -> list[dict]:
    return pq.read_table(PACKAGE / "parquet" / f"{table}.parquet").to_pylist()


ARTICLES = rows("articles")


def offline_loader(url: str, options: dict | None = None) -> dict:
    """Serves the shipped W3C context and refuses everything else: the test reads no network."""
    if url != CONTEXT:
        raise jsonld.JsonLdError(f"refused to load {url}: only the shipped context is served", "loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(SHIPPED_CONTEXT.read_text(encoding="utf-8"))}


def collection(article: dict) -> dict:
    return json.loads((PACKAGE / path(article["article_id"])).read_text(encoding="utf-8"))


def text_of(article: dict) -> str:
    raw = (ROOT / "sources" / article["file"]).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == article["sha256"]
    return raw.decode("utf-8")


def keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_the_shipped_context_is_the_w3c_one():
    context = json.loads(SHIPPED_CONTEXT.read_text(encoding="utf-8"))["@context"]
    assert context["oa"] == OA and context["AnnotationCollection"] == "as:OrderedCollection"
    assert context["TextQuoteSelector"] == "oa:TextQuoteSelector" and context["items"]["@container"] == "@list"


def test_the_loader_refuses_any_other_document():
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "http://example.org/other.jsonld", "id": "urn:x"}, {"documentLoader": offline_loader})


@pytest.mark.parametrize("article", ARTICLES, ids=[a["article_id"] for a in ARTICLES])
def test_each_collection_expands_with_only_terms_of_the_w3c_context(article):
    document = collection(article)
    defined = set(json.loads(SHIPPED_CONTEXT.read_text(encoding="utf-8"))["@context"])
    assert keys(document) - {"@context"} <= defined, "a term the W3C context does not define would be dropped"
    (expanded,) = jsonld.expand(document, {"documentLoader": offline_loader})
    assert expanded["@type"] == [f"{AS}OrderedCollection"]
    (page,) = expanded[f"{AS}first"]
    items = page[f"{AS}items"][0]["@list"]
    assert len(items) == int(expanded[f"{AS}totalItems"][0]["@value"]) > 0
    for item in items:
        assert item["@type"] == [f"{OA}Annotation"] and item["@id"].startswith("urn:uuid:")
        (target,) = item[f"{OA}hasTarget"]
        assert target[f"{OA}hasSource"] == [{"@id": article["url"] or f"urn:sha256:{article['sha256']}"}]
        kinds = sorted(t for s in target[f"{OA}hasSelector"] for t in s["@type"])
        assert kinds == [f"{OA}TextPositionSelector", f"{OA}TextQuoteSelector"]
        purposes = {p["@id"] for b in item[f"{OA}hasBody"] for p in b[f"{OA}hasPurpose"]}
        assert f"{OA}identifying" in purposes


@pytest.mark.parametrize("article", ARTICLES, ids=[a["article_id"] for a in ARTICLES])
def test_every_selector_resolves_in_the_source_text_and_every_evidence_row_is_there(article):
    text = text_of(article)
    items = collection(article)["first"]["items"]
    evidence = [e for e in rows("evidence") if e["article_id"] == article["article_id"]]
    assert len(items) == len(evidence)
    starts = line_starts(tuple(text.split("\n")))
    expected = sorted((starts[e["line"] - 1] + e["char_start"], e["record_table"], e["record_id"], e["field"] or "") for e in evidence)
    found = []
    for item in items:
        quote, position = item["target"]["selector"]
        start, end, exact = position["start"], position["end"], quote["exact"]
        assert text[start:end] == exact
        prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
        assert text[start - len(prefix):start] == prefix and text[end:end + len(suffix)] == suffix
        assert bool(prefix) == (start > 0) and bool(suffix) == (end < len(text))
        assert text.count(prefix + exact + suffix) == 1, f"the quote selector of {item['id']} does not pick one place"
        record = next(b["value"] for b in item["body"] if b["purpose"] == "identifying")
        table, record_id = record.split("/")
        field = next((b["value"] for b in item["body"] if b["purpose"] == "tagging"), "")
        assert not field or field in TABLES[table].fields
        found.append((start, table, record_id, field))
    assert sorted(found) == expected


def test_one_collection_per_article_beside_the_descriptor_and_not_a_resource_of_it():
    written = sorted(p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "annotations").iterdir())
    assert written == sorted(path(a["article_id"]) for a in ARTICLES)
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert not [r for r in descriptor["resources"] if r["path"].startswith("annotations/")]
