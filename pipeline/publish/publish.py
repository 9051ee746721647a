"""Write the data package: CSV and Parquet per table plus ``datapackage.json``, deterministically and atomically."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from japan_us_summit._layout import AGREEMENT, CARD, CROISSANT, DESCRIPTOR, FORMATS, is_plain_relative, resource_path
from schema import package
from forms.arrow_schema import arrow_schema
from forms.croissant import croissant
from forms.dataset_card import dataset_card
from forms.hf_features import arrow_bytes
from forms.frictionless_schema import table_schema
from forms import web_annotations
from schema.table import TableKind, table_of_kind
from schema.tables import TABLES

from pipeline.publish.journal import Change, journal_of
from pipeline.dataset import Dataset

DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def _digest(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


class UnsafePath(ValueError):
    """A resource path that could leave the package folder."""


def safe_path(folder: Path, path: str) -> Path:
    """``folder / path``; refuses a path that is absolute, not normalized, climbs with '..', uses '\\', or resolves outside ``folder``."""
    if not is_plain_relative(path):
        raise UnsafePath(f"resource path {path!r} is not a plain relative path inside the package")
    target = folder / PurePosixPath(path)
    if not target.resolve().is_relative_to(folder.resolve()):
        raise UnsafePath(f"resource path {path!r} resolves outside the package folder")
    return target


def write_tables(dataset: Dataset, folder: Path) -> None:
    for form in FORMATS:
        (folder / form).mkdir(parents=True)
    for name, table in dataset.tables.items():
        table = table.replace_schema_metadata(arrow_schema(TABLES[name]).metadata)
        pa_csv.write_csv(table, safe_path(folder, resource_path(name, "csv")))
        pq.write_table(table, safe_path(folder, resource_path(name, "parquet")), compression="zstd")


def descriptor(dataset: Dataset, folder: Path) -> dict[str, Any]:
    """The Data Package descriptor for the files already written in ``folder``."""
    resources = []
    for name, table in TABLES.items():
        licenses = package.licenses(table)
        resources.append({
            "name": name,
            "type": "table",
            "title": table.title,
            "description": table.description,
            "path": resource_path(name, "csv"),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **_digest(safe_path(folder, resource_path(name, "csv"))),
            "licenses": licenses,
            "schema": table_schema(table, TABLES),
        })
        resources.append({
            "name": f"{name}-parquet",
            "type": "file",
            "title": f"{table.title} (Parquet)",
            "description": f"The {name} table as Parquet: the same rows and columns as resource '{name}'; the Arrow schema in the file carries each column's description.",
            "path": resource_path(name, "parquet"),
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            **_digest(safe_path(folder, resource_path(name, "parquet"))),
            "licenses": licenses,
        })
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": package.NAME,
        "title": package.TITLE,
        "description": package.DESCRIPTION,
        "version": dataset.version,
        "licenses": [package.ANNOTATION_LICENSE],
        "keywords": package.KEYWORDS,
        "contributors": package.CONTRIBUTORS,
        "sources": package.sources(dataset.tables[table_of_kind(TABLES, TableKind.SOURCE).name].to_pylist()),
        "resources": resources,
    }


def write_package(dataset: Dataset, folder: Path) -> None:
    """Write every file of the package into the empty or missing ``folder``: the tables, the descriptor, the
    dataset card and Croissant description made from it, the evidence as W3C Web Annotations, and the agreement
    figures when they are measured."""
    write_tables(dataset, folder)
    described = descriptor(dataset, folder)
    (folder / DESCRIPTOR).write_text(json.dumps(described, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    languages = package.languages(dataset.tables[table_of_kind(TABLES, TableKind.SOURCE).name].to_pylist())
    croissant_text = json.dumps(croissant(described, dataset.released, languages), indent=2, ensure_ascii=False, sort_keys=True)
    (folder / CROISSANT).write_text(croissant_text + "\n", encoding="utf-8")
    filled = {(name, field): dataset.tables[name].num_rows - dataset.tables[name].column(field).null_count
              for name, table in TABLES.items() for field, spec in table.fields.items() if spec.scheme}
    arrow_sizes = {name: arrow_bytes(table, pq.read_table(safe_path(folder, resource_path(name, "parquet"))))
                   for name, table in TABLES.items()}  # from the files as written: what `datasets` will read
    card = dataset_card(described, dataset.row_counts(), dataset.released, languages, filled, arrow_sizes, dataset.agreement)
    (folder / CARD).write_text(card, encoding="utf-8")
    lines = {article_id: source.lines for article_id, source in dataset.sources.items()}
    for relative, collection in web_annotations.collections(dataset.tables, lines, dataset.version).items():
        target = safe_path(folder, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(web_annotations.serialized(collection), encoding="utf-8")
    if dataset.agreement is not None:
        (folder / AGREEMENT).write_text(json.dumps(dataset.agreement, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for path in [folder, *folder.rglob("*")]:  # on disk before the package is swapped in
        if path.is_file():
            with path.open("rb+") as file:
                os.fsync(file.fileno())


def descriptor_of(folder: Path) -> dict[str, Any]:
    return json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))


def publish(dataset: Dataset, target: Path) -> None:
    """Build beside ``target`` and swap it in, journalled (``journal.Change``): on a failure before the swap
    ``target`` is left as it was, and after a crash ``journal.recover`` finishes or undoes the swap.

    On Linux the new and the old package are exchanged in one atomic step, so a reader never finds the
    folder missing; elsewhere the previous package is moved aside first.
    """
    change = Change(journal_of(target), f"build of {target.name}/")
    change.begin({target: DESCRIPTOR}, [])
    try:
        write_package(dataset, change.new(target))
        change.ready()
    except BaseException:
        change.abandon()
        raise
    change.apply()
