"""Read the published data package: its descriptor and every declared table, from the Parquet files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from japan_us_summit._layout import DESCRIPTOR, is_plain_relative
from schema.tables import TABLES

Row = dict[str, Any]


@dataclass(frozen=True)
class Package:
    """The descriptor and each table's rows (as the Parquet file orders them: by primary key)."""

    descriptor: dict[str, Any]
    tables: dict[str, list[Row]]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def resource(self, name: str) -> dict[str, Any]:
        """The tabular resource of table ``name`` (its title, description, schema)."""
        return next(r for r in self.descriptor["resources"] if r["name"] == name)


class SiteError(Exception):
    """The site cannot be built: say what to do, in one line."""


class PackageError(SiteError):
    """The folder is not a readable data package (missing descriptor, table or file)."""


def parquet_path(descriptor: dict[str, Any], name: str) -> str:
    """The package-relative path of table ``name``'s Parquet copy, as the descriptor gives it."""
    for resource in descriptor.get("resources", []):
        if resource.get("name") == f"{name}-parquet" and resource.get("format") == "parquet":
            path = resource.get("path", "")
            if not is_plain_relative(path):
                raise PackageError(f"resource {name}-parquet has an unsafe path {path!r}")
            return path
    raise PackageError(f"the descriptor declares no Parquet resource for table {name!r}")


def load_package(folder: Path) -> Package:
    """Read ``folder/datapackage.json`` and the Parquet file of every table declared in schema.tables."""
    descriptor_file = folder / DESCRIPTOR
    if not descriptor_file.is_file():
        raise PackageError(f"{descriptor_file} not found: run `python build.py build` first")
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    tables = {}
    for name in TABLES:
        path = folder / parquet_path(descriptor, name)
        if not path.is_file():
            raise PackageError(f"{path} not found: run `python build.py build` first")
        tables[name] = pq.read_table(path).to_pylist()
    return Package(descriptor, tables)
