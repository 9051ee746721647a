"""Generate the Croissant description (``croissant.json``) of the built package, from the same declarations.

A ``cr:FileObject`` per table's Parquet file (with its SHA-256), a ``cr:RecordSet`` per table (typed and
described fields read from the file's columns, its key, references to the keys of other tables), an
enumeration record set per closed vocabulary, and the responsible-AI (RAI) properties, taken from the
dataset card's hand-written sections.
"""

from __future__ import annotations

from typing import Any

from japan_us_summit._layout import resource_path

from . import card_text
from schema import package
from schema.field_spec import FieldSpec
from schema.table import Table
from schema.tables import TABLES

CONFORMS_TO = ["http://mlcommons.org/croissant/1.1", "http://mlcommons.org/croissant/RAI/1.0"]
CONTEXT = {  # the JSON-LD context of Croissant 1.1, with the RAI prefix (as mlcroissant writes it)
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean", "date": "sc:Date"}
PARQUET = "application/x-parquet"  # the media type Croissant readers know Parquet by
VALUE = "value"  # the one field of an enumeration record set
RAI_TEXTS = {"rai:dataCollection": "collection", "rai:dataReleaseMaintenancePlan": "maintenance"}  # one text each
RAI_STATEMENTS = {  # lists of statements
    "rai:dataAnnotationProtocol": ("annotation", "quality"),
    "rai:dataUseCases": ("uses", "out_of_scope"),
    "rai:dataLimitations": ("limitations",),
    "rai:dataBiases": ("biases",),
    "rai:personalSensitiveInformation": ("personal_information",),
}


def _reference(table: Table, spec: FieldSpec) -> str | None:
    """The field ``spec`` refers to: its vocabulary's value, or the one-column key of a table declared before
    ``table``. A reference to the table itself or to a later one is left to ``datapackage.json``: readers such
    as mlcroissant join the referenced record set in, and cannot follow a cycle."""
    if spec.vocabulary:
        return f"{spec.vocabulary}/{VALUE}"
    target = TABLES.get(spec.references or "")
    order = list(TABLES)
    if target is None or len(target.primary_key) != 1 or order.index(target.name) >= order.index(table.name):
        return None
    return f"{target.name}/{target.primary_key[0]}"


SEMANTIC_TYPES = {"latitude": "sc:latitude", "longitude": "sc:longitude"}  # schema.org's names for a field's meaning


def _data_type(spec: FieldSpec) -> str | list[str]:
    """The field's type, and for an identifier or coordinate of a public scheme what it means (schema.org)."""
    if spec.scheme is None:
        return DATA_TYPES[spec.kind]
    return [DATA_TYPES[spec.kind], SEMANTIC_TYPES.get(spec.name, "sc:identifier")]


def _description(spec: FieldSpec) -> str:
    if spec.scheme is None:
        return spec.description
    return f"{spec.description}. Scheme: {spec.scheme.name} ({spec.scheme.maintainer}); checked: {spec.scheme.checked}."


def based_on() -> list[dict[str, Any]]:
    """The outside datasets whose identifiers the data carry (those with an address)."""
    schemes = {spec.scheme.name: spec.scheme for table in TABLES.values() for spec in table.fields.values() if spec.scheme and spec.scheme.home}
    return [{"@type": "sc:Dataset", "name": scheme.name, "url": scheme.home, "description": f"{scheme.maintainer}; checked: {scheme.checked}"}
            for scheme in schemes.values()]


def _record_set(table: Table) -> dict[str, Any]:
    fields = []
    for spec in table.fields.values():
        field = {
            "@type": "cr:Field",
            "@id": f"{table.name}/{spec.name}",
            "name": spec.name,
            "description": _description(spec),
            "dataType": _data_type(spec),
            "source": {"fileObject": {"@id": resource_path(table.name, "parquet")}, "extract": {"column": spec.name}},
        }
        if reference := _reference(table, spec):
            field["references"] = {"field": {"@id": reference}}
        fields.append(field)
    return {
        "@type": "cr:RecordSet",
        "@id": table.name,
        "name": table.name,
        "description": table.description,
        "key": [{"@id": f"{table.name}/{column}"} for column in table.primary_key],
        "field": fields,
    }


def _enumeration(name: str, values: tuple[str, ...], users: list[str]) -> dict[str, Any]:
    return {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "description": f"The closed vocabulary {name}, the values of {', '.join(users)}.",
        "dataType": "sc:Enumeration",
        "key": {"@id": f"{name}/{VALUE}"},
        "field": [{"@type": "cr:Field", "@id": f"{name}/{VALUE}", "name": VALUE, "description": f"A value of {name}", "dataType": ["sc:Text", "sc:name"]}],
        "data": [{f"{name}/{VALUE}": value} for value in values],
    }


def _enumerations() -> list[dict[str, Any]]:
    values: dict[str, tuple[str, ...]] = {}
    users: dict[str, list[str]] = {}
    for table in TABLES.values():
        for spec in table.fields.values():
            if spec.vocabulary:
                values[spec.vocabulary] = spec.enum or ()
                users.setdefault(spec.vocabulary, []).append(f"{table.name}.{spec.name}")
    return [_enumeration(name, values[name], users[name]) for name in sorted(values)]


def _file(table: Table, resource: dict[str, Any]) -> dict[str, Any]:
    path = resource_path(table.name, "parquet")
    return {
        "@type": "cr:FileObject",
        "@id": path,
        "name": path,
        "description": resource["description"],
        "contentUrl": path,  # relative to croissant.json, which lies beside datapackage.json
        "contentSize": f"{resource['bytes']} B",
        "encodingFormat": PARQUET,
        "sha256": resource["hash"].removeprefix("sha256:"),
    }


def croissant(descriptor: dict[str, Any], released: str | None, languages: list[str]) -> dict[str, Any]:
    """The Croissant JSON-LD document of the package described by ``descriptor``, released on ``released`` (if it
    was), whose articles are in ``languages``."""
    by_path = {resource["path"]: resource for resource in descriptor["resources"]}
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": descriptor["name"],
        "description": descriptor["description"],
        "version": descriptor["version"],
        "citeAs": package.citation(descriptor["version"], released),
        "creator": [{"@type": "sc:Organization", "name": contributor["title"]} for contributor in descriptor["contributors"]],
        "keywords": descriptor["keywords"],
        "inLanguage": languages,
        "license": [
            package.ANNOTATION_LICENSE["path"],
            {"@type": "sc:CreativeWork", "name": package.SOURCE_TEXT_RIGHTS["name"], "description": package.SOURCE_TEXT_RIGHTS["title"]},
        ],
        "isBasedOn": based_on(),
        "distribution": [_file(table, by_path[resource_path(table.name, "parquet")]) for table in TABLES.values()],
        "recordSet": _enumerations() + [_record_set(table) for table in TABLES.values()],
    }
    if released:
        document["datePublished"] = released
    document |= {prop: card_text.section(name) for prop, name in RAI_TEXTS.items()}
    document |= {prop: [s for name in names for s in card_text.statements(name)] for prop, names in RAI_STATEMENTS.items()}
    return document
