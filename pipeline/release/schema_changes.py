"""Classify the differences between two data package descriptors as major, minor or patch changes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class Level(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Change:
    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"


def _tables(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in descriptor["resources"] if r.get("type") == "table"}


def _bound(kind: str, old: Any, new: Any, where: str, wider_when_lower: bool) -> Iterator[Change]:
    """A lower bound that falls, or an upper bound that rises, widens; the reverse narrows."""
    if old == new:
        return
    if old is None or new is None:
        widened = new is None
    else:
        widened = (new < old) == wider_when_lower
    yield Change(Level.MINOR if widened else Level.MAJOR, f"{where}: {kind} {'widened' if widened else 'narrowed'} ({old} -> {new})")


def _constraints(old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[Change]:
    for flag in ("required", "unique"):
        if old.get(flag, False) != new.get(flag, False):
            narrowed = new.get(flag, False)
            yield Change(Level.MAJOR if narrowed else Level.MINOR, f"{where}: '{flag}' {'added' if narrowed else 'removed'}")
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if old_enum != new_enum:
        if old_enum is None:
            yield Change(Level.MAJOR, f"{where}: enum added {new_enum}")
        elif new_enum is None:
            yield Change(Level.MINOR, f"{where}: enum removed (any value now allowed)")
        else:
            removed = [v for v in old_enum if v not in new_enum]
            added = [v for v in new_enum if v not in old_enum]
            if removed:
                yield Change(Level.MAJOR, f"{where}: enum values removed {removed}")
            if added:
                yield Change(Level.MINOR, f"{where}: enum values added {added}")
            if not removed and not added:
                yield Change(Level.PATCH, f"{where}: enum values reordered")
    if old.get("pattern") != new.get("pattern"):
        if new.get("pattern") is None:
            yield Change(Level.MINOR, f"{where}: pattern removed")
        else:
            yield Change(Level.MAJOR, f"{where}: pattern {old.get('pattern')!r} -> {new.get('pattern')!r} (cannot be shown to be wider)")
    for kind in ("minimum", "minLength"):
        yield from _bound(kind, old.get(kind), new.get(kind), where, wider_when_lower=True)
    for kind in ("maximum", "maxLength"):
        yield from _bound(kind, old.get(kind), new.get(kind), where, wider_when_lower=False)


def _fields(table: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    old_fields = {f["name"]: f for f in old["schema"]["fields"]}
    new_fields = {f["name"]: f for f in new["schema"]["fields"]}
    removed = [n for n in old_fields if n not in new_fields]
    added = [n for n in new_fields if n not in old_fields]
    for name in removed:
        twin = next((a for a in added if new_fields[a]["type"] == old_fields[name]["type"]
                     and new_fields[a].get("constraints") == old_fields[name].get("constraints")), None)
        if twin:
            added.remove(twin)
            yield Change(Level.MAJOR, f"{table}: field '{name}' renamed to '{twin}'")
        else:
            yield Change(Level.MAJOR, f"{table}: field '{name}' removed")
    for name in added:
        required = new_fields[name].get("constraints", {}).get("required", False)
        yield Change(Level.MAJOR if required else Level.MINOR, f"{table}: {'required' if required else 'optional'} field '{name}' added")
    for name in (n for n in old_fields if n in new_fields):
        before, after = old_fields[name], new_fields[name]
        where = f"{table}.{name}"
        if before["type"] != after["type"]:
            yield Change(Level.MAJOR, f"{where}: type {before['type']} -> {after['type']}")
        yield from _constraints(before.get("constraints", {}), after.get("constraints", {}), where)
        if before.get("description") != after.get("description"):
            yield Change(Level.PATCH, f"{where}: description changed")
    if [n for n in old_fields if n in new_fields] != [n for n in new_fields if n in old_fields]:
        yield Change(Level.MAJOR, f"{table}: field order changed")


def _keys(table: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    if old.get("primaryKey") != new.get("primaryKey"):
        yield Change(Level.MAJOR, f"{table}: primary key {old.get('primaryKey')} -> {new.get('primaryKey')}")
    old_keys = {str(k) for k in old.get("foreignKeys", [])}
    new_keys = {str(k) for k in new.get("foreignKeys", [])}
    for key in sorted(new_keys - old_keys):
        yield Change(Level.MAJOR, f"{table}: foreign key added {key}")
    for key in sorted(old_keys - new_keys):
        yield Change(Level.MINOR, f"{table}: foreign key removed {key}")


def classify(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every difference between the released descriptor ``old`` and the new one, with its level."""
    old_tables, new_tables = _tables(old), _tables(new)
    changes: list[Change] = []
    removed = [n for n in old_tables if n not in new_tables]
    added = [n for n in new_tables if n not in old_tables]
    for name in removed:
        twin = next((a for a in added if new_tables[a]["schema"]["fields"] == old_tables[name]["schema"]["fields"]), None)
        if twin:
            added.remove(twin)
            changes.append(Change(Level.MAJOR, f"table '{name}' renamed to '{twin}'"))
        else:
            changes.append(Change(Level.MAJOR, f"table '{name}' removed"))
    changes += [Change(Level.MINOR, f"table '{name}' added") for name in added]
    for name in (n for n in old_tables if n in new_tables):
        before, after = old_tables[name], new_tables[name]
        changes += _fields(name, before, after)
        changes += _keys(name, before["schema"], after["schema"])
    old_hashes = {r["path"]: r.get("hash") for r in old["resources"]}
    for resource in new["resources"]:
        if resource["path"] in old_hashes and old_hashes[resource["path"]] != resource.get("hash"):
            changes.append(Change(Level.PATCH, f"data changed: {resource['path']}"))
    for key in ("title", "description", "licenses", "contributors", "keywords", "sources"):
        if old.get(key) != new.get(key):
            changes.append(Change(Level.PATCH, f"package {key} changed"))
    return changes


def required_level(changes: list[Change]) -> Level:
    return max((c.level for c in changes), default=Level.NONE)
