"""Generate the evidence as W3C Web Annotations: one JSON-LD ``AnnotationCollection`` per article.

Each evidence row is an ``Annotation`` whose target is the article (its address where one is known, else the
``urn:sha256:`` of its text file), selected by a ``TextQuoteSelector`` (the quote, with up to 32 characters of
the text before and after it) and a ``TextPositionSelector`` (code-point offsets into the article's text file,
line breaks included); its body names the record the span supports and, where it supports one field, the
field. Ids are ``urn:uuid:`` names derived from the evidence ids, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import pyarrow as pa

from schema.table import TableKind, table_of_kind
from schema.tables import TABLES

CONTEXT = "http://www.w3.org/ns/anno.jsonld"  # the W3C context; forms/w3c/anno.jsonld is its text
FOLDER = "annotations"  # in the package, beside datapackage.json
CONTEXT_CHARS = 32
NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # RFC 4122's namespace for URLs


def path(article_id: str) -> str:
    """The package-relative path of an article's collection."""
    return f"{FOLDER}/{article_id}.jsonld"


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'japan-us-summit:' + ':'.join(parts))}"


def line_starts(lines: tuple[str, ...]) -> list[int]:
    """The offset in the file's text at which each line (1-based: index 0 is line 1) begins."""
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1  # the LF after it
    return starts


def file_text(lines: tuple[str, ...], sha256: str) -> str:
    """The article's file as text, from its lines: with or without a final line break, whichever has its SHA-256."""
    joined = "\n".join(lines)
    for text in (joined + "\n", joined):
        if hashlib.sha256(text.encode("utf-8")).hexdigest() == sha256:
            return text
    raise ValueError(f"no text made of the lines has SHA-256 {sha256}")


def _annotation(evidence: dict[str, Any], text: str, start: int, source: str) -> dict[str, Any]:
    end = start + len(evidence["quote"])
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": evidence["quote"]}
    if start > 0:
        quote["prefix"] = text[max(0, start - CONTEXT_CHARS):start]
    if end < len(text):
        quote["suffix"] = text[end:end + CONTEXT_CHARS]
    record = f"{evidence['record_table']}/{evidence['record_id']}"
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "identifying", "format": "text/plain", "value": record}]
    if evidence["field"] is not None:
        body.append({"type": "TextualBody", "purpose": "tagging", "format": "text/plain", "value": evidence["field"]})
    body.append({"type": "TextualBody", "purpose": "describing", "format": "text/plain",
                 "value": f"basis: {evidence['basis']}" + (f"; {evidence['note']}" if evidence["note"] else "")})
    return {
        "id": _urn("evidence", evidence["evidence_id"]),
        "type": "Annotation",
        "motivation": "describing" if evidence["field"] is not None else "identifying",
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": source,
            "selector": [quote, {"type": "TextPositionSelector", "start": start, "end": end}],
        },
    }


def collections(tables: dict[str, pa.Table], lines: dict[str, tuple[str, ...]], version: str) -> dict[str, dict[str, Any]]:
    """Every article's collection by package-relative path, from the published ``tables`` and each article's
    text as ``lines`` (without their line breaks)."""
    articles = table_of_kind(TABLES, TableKind.SOURCE).name
    evidence = table_of_kind(TABLES, TableKind.EVIDENCE).name
    spans: dict[str, list[dict[str, Any]]] = {}
    for row in tables[evidence].to_pylist():
        spans.setdefault(row["article_id"], []).append(row)
    result = {}
    for article in tables[articles].to_pylist():
        article_id = article["article_id"]
        text_lines = lines[article_id]
        text, starts = file_text(text_lines, article["sha256"]), line_starts(text_lines)
        source = article["url"] or f"urn:sha256:{article['sha256']}"
        items = [_annotation(row, text, starts[row["line"] - 1] + row["char_start"], source)
                 for row in sorted(spans.get(article_id, []), key=lambda r: (r["line"], r["char_start"], r["char_end"], r["evidence_id"]))]
        name = article["headline"] or article_id
        result[path(article_id)] = {
            "@context": CONTEXT,
            "id": _urn("annotations", article_id),
            "type": "AnnotationCollection",
            "label": f"Evidence quoted from {name!r} (sources/{article['file']}, sha256 {article['sha256']}) by japan-us-summit {version}",
            "total": len(items),
            "first": {"id": _urn("annotations", article_id, "page", "1"), "type": "AnnotationPage", "startIndex": 0, "items": items},
        }
    return result


def serialized(collection: dict[str, Any]) -> str:
    """The JSON text of a collection, as the package holds it: one annotation a line."""
    page = collection["first"]
    head = {key: value for key, value in collection.items() if key != "first"}
    page_head = {key: value for key, value in page.items() if key != "items"}
    dump = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    lines = [f" {dump(key)}: {dump(value)}," for key, value in head.items()]
    lines += [' "first": {'] + [f"  {dump(key)}: {dump(value)}," for key, value in page_head.items()] + ['  "items": [']
    lines += [f"   {dump(item)}," for item in page["items"]]
    if page["items"]:
        lines[-1] = lines[-1].removesuffix(",")
    return "{\n" + "\n".join(lines) + "\n  ]\n }\n}\n"
