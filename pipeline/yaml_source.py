"""Safe YAML for annotation files: plain data only, line numbers kept, duplicate keys and aliases refused.

Dates stay strings (the schema checks them) and only ``true``/``false`` are booleans, so a country
code such as ``NO`` is never read as ``False``.
"""

from __future__ import annotations

import re

import yaml

BOOL_TAG = "tag:yaml.org,2002:bool"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class Located(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class YamlError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line, self.message = line, message
        super().__init__(message)


class _Loader(yaml.SafeLoader):
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in (BOOL_TAG, TIMESTAMP_TAG)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError(event.start_mark.line + 1, "aliases (*name) are not allowed; write the value out")
        return super().compose_node(parent, index)

    def construct_located_mapping(self, node: yaml.MappingNode) -> Located:
        mapping = Located()
        mapping.line, mapping.key_lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(line, "merge keys (<<) are not allowed")
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise YamlError(line, f"key {key!r} is not a field name (expected text)")
            if key in mapping:
                raise YamlError(line, f"duplicate key {key!r} (first at line {mapping.key_lines[key]})")
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = line
        return mapping


_Loader.add_implicit_resolver(BOOL_TAG, re.compile(r"^(?:true|false)$"), list("tf"))
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_mapping)
_Loader.add_constructor("tag:yaml.org,2002:bool", lambda loader, node: node.value == "true")
for _tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:set", "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs", "tag:yaml.org,2002:binary"):
    _Loader.yaml_constructors.pop(_tag, None)


def load_records(raw: bytes) -> list[Located]:
    """Parse an annotation file: a YAML list of mappings. Raises ``YamlError`` with the line at fault."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlError(line, f"not valid UTF-8 ({error.reason} at byte {error.start})") from None
    if text.startswith("\ufeff"):
        raise YamlError(1, "starts with a byte-order mark; save the file as UTF-8 without BOM")
    if not text.strip():
        raise YamlError(None, "file is empty (expected a YAML list of records, or delete the file)")
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a restricted SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError(mark.line + 1 if mark else None, f"YAML syntax error: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlError(None, f"YAML error: {error}") from None
    if not isinstance(data, list):
        shape = "a mapping" if isinstance(data, dict) else type(data).__name__
        raise YamlError(getattr(data, "line", 1), f"top level is {shape} (expected a list of records, each starting with '- ')")
    for item in data:
        if not isinstance(item, Located):
            raise YamlError(None, f"list item {item!r} is not a mapping (expected a record of field: value)")
    return data
