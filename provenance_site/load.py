"""Read the published data package: its descriptor and every declared table, from the Parquet files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from japan_us_summit._files import hash_mismatch
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


REBUILD = "run `python build.py build`"


def parquet_resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    """The resource of table ``name``'s Parquet copy, its path checked to be a plain path inside the package."""
    for resource in descriptor.get("resources", []):
        if resource.get("name") == f"{name}-parquet" and resource.get("format") == "parquet":
            path = resource.get("path", "")
            if not isinstance(path, str) or not is_plain_relative(path):
                raise PackageError(f"resource {name}-parquet has an unsafe path {path!r}; {REBUILD}")
            return resource
    raise PackageError(f"the descriptor declares no Parquet resource for table {name!r}; {REBUILD}")


def _verified(folder: Path, resource: dict[str, Any]) -> bytes:
    """The bytes of ``resource``'s file, once they match the size and hash the descriptor gives."""
    path = folder
    for part in resource["path"].split("/"):
        path = path / part
        if path.is_symlink():
            raise PackageError(f"{path} is a symlink; the package must hold its own files: {REBUILD}")
    if not path.is_file():
        raise PackageError(f"{path} not found: {REBUILD} first")
    data = path.read_bytes()
    problem = hash_mismatch(resource, data)
    if problem is not None:
        raise PackageError(f"{path} does not match {DESCRIPTOR} ({problem}); {REBUILD}")
    return data


def load_package(folder: Path) -> Package:
    """Read ``folder/datapackage.json`` and the Parquet file of every table declared in schema.tables, each
    checked against its size and hash in the descriptor before it is read."""
    descriptor_file = folder / DESCRIPTOR
    if not descriptor_file.is_file():
        raise PackageError(f"{descriptor_file} not found: {REBUILD} first")
    try:
        descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    except ValueError as error:
        raise PackageError(f"{descriptor_file} cannot be read ({error}); {REBUILD}") from None
    if not isinstance(descriptor, dict):
        raise PackageError(f"{descriptor_file} is not a JSON object; {REBUILD}")
    tables = {}
    for name in TABLES:
        resource = parquet_resource(descriptor, name)
        data = _verified(folder, resource)
        try:
            tables[name] = pq.read_table(pa.BufferReader(data)).to_pylist()
        except (pa.ArrowException, OSError, ValueError) as error:
            raise PackageError(f"{folder / resource['path']} cannot be read as table {name!r} ({error}); {REBUILD}") from None
    return Package(descriptor, tables)
