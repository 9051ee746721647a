"""Safe YAML for annotation files: plain data only, line numbers kept, anything ambiguous refused.

Only mappings with text keys, lists, text, decimal numbers, ``true``/``false`` and null are built. Dates
stay strings (the schema checks them), ``NO`` stays the text "NO", and YAML 1.1 number forms (``010``,
``0x1F``, ``1:30``, ``1_000``) stay text instead of turning into octal, hexadecimal or base-60 numbers.
Tags, aliases, merge keys, duplicate keys, line breaks other than LF and deep nesting are refused, each
with the line at fault and, inside a record, the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from pipeline.load.text_files import TextFileError, decode_text

BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
NULL_TAG = "tag:yaml.org,2002:null"
MAX_DEPTH = 32  # a record is 4 levels deep; this bounds recursion in the composer
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # what PyYAML's reader refuses
_SIMPLE_PLAIN = re.compile(r"[\w.+ -]*")  # plain scalars in flow context that both scanners read alike

_EXPONENT = r"(?:[eE][-+]?[0-9]+)?"
PLAIN = {  # the only forms that are read as something other than text
    BOOL_TAG: (r"true|false", list("tf"), lambda text: text == "true", "a boolean (expected true or false)"),
    INT_TAG: (r"[-+]?(?:0|[1-9][0-9]*)", list("-+0123456789"), int, "a decimal integer"),
    FLOAT_TAG: (
        rf"[-+]?(?:[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+[eE][-+]?[0-9]+|\.(?:inf|Inf|INF))|\.(?:nan|NaN|NAN)",
        list("-+.0123456789"),
        lambda text: float(text.replace(".", "", 1)) if text.lstrip("+-").lower() in (".inf", ".nan") else float(text),
        "a decimal number",
    ),
    NULL_TAG: (r"~|null|Null|NULL|", ["~", "n", "N", ""], lambda text: None, "null"),
}


class Located(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class YamlError(Exception):
    """A file that is not plain YAML data; ``path`` leads from the record to the field at fault."""

    def __init__(self, line: int | None, message: str):
        self.line, self.message = line, message
        self.path: list[str | int] = []
        super().__init__(message)

    @property
    def field(self) -> str | None:
        """The field at fault within its record, as ``evidence[0].quote``; None outside a record."""
        return field_label(tuple(self.path[1:])) or None  # path[0] is the record's position in the file


def plain(node: Any) -> Any:
    """Loaded records as plain dicts and lists (what PyYAML's safe dumper accepts; dates stay text)."""
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    return node


def field_label(loc: tuple[Any, ...]) -> str:
    """A location within a record as text: ``evidence[0].quote``."""
    label = ""
    for step in loc:
        label += f"[{step}]" if isinstance(step, int) else (f".{step}" if label else str(step))
    return label


def line_at(record: Located, loc: tuple[Any, ...]) -> int:
    """The line of the value at ``loc`` (keys and list indexes) within ``record``: the deepest step that has one."""
    node, line = record, record.line
    for step in loc:
        if isinstance(node, Located) and isinstance(step, str) and step in node.key_lines:
            line, node = node.key_lines[step], node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            line = getattr(node, "line", line)
        else:
            break
    return line


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Loader(yaml.SafeLoader):
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:merge"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(event.start_mark.line + 1, "aliases (*name) are not allowed; write the value out")
        if self.depth >= MAX_DEPTH:
            raise YamlError(event.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep (expected a list of records)")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_sequence(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        items = []
        for index, child in enumerate(node.value):
            try:
                items.append(self.construct_object(child, deep=deep))
            except YamlError as error:
                error.path.insert(0, index)
                raise
        return items

    def construct_located_mapping(self, node: yaml.MappingNode) -> Located:
        mapping = Located()
        mapping.line, mapping.key_lines = _line(node), {}
        for key_node, value_node in node.value:
            line = _line(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(line, "merge keys (<<) are not allowed")
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise YamlError(line, f"key {key!r} is not a field name (expected text)")
            try:
                if key in mapping:
                    raise YamlError(line, f"duplicate key {key!r} (first at line {mapping.key_lines[key]})")
                mapping[key] = self.construct_object(value_node, deep=True)
            except YamlError as error:
                error.path.insert(0, key)
                raise
            mapping.key_lines[key] = line
        return mapping

    def refuse_tag(self, node: yaml.Node) -> None:
        raise YamlError(_line(node), f"YAML syntax error: tag {node.tag!r} is not allowed "
                                     "(expected plain text, numbers, true/false, lists and mappings)")


def _plain(pattern: str, convert: Callable[[str], Any], expected: str) -> Callable[[_Loader, yaml.Node], Any]:
    def construct(loader: _Loader, node: yaml.Node) -> Any:
        text = loader.construct_scalar(node)
        if not re.fullmatch(pattern, text):
            raise YamlError(_line(node), f"{text!r} is not {expected}")
        return convert(text)

    return construct


for _tag, (_pattern, _first, _convert, _expected) in PLAIN.items():
    _Loader.add_implicit_resolver(_tag, re.compile(f"^(?:{_pattern})$"), _first)
    _Loader.add_constructor(_tag, _plain(_pattern, _convert, _expected))
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_mapping)
_Loader.add_constructor(None, _Loader.refuse_tag)
for _tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:set", "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs", "tag:yaml.org,2002:binary"):
    _Loader.yaml_constructors.pop(_tag, None)


def _shape(node: yaml.Node | None) -> None:
    """Refuse anything but a list of mappings, at the line at fault."""
    if node is None:
        raise YamlError(None, "file is empty (expected a YAML list of records)")
    if not isinstance(node, yaml.SequenceNode):
        shape = "a mapping" if isinstance(node, yaml.MappingNode) else "a single value"
        raise YamlError(_line(node), f"top level is {shape} (expected a list of records, each starting with '- ')")
    for item in node.value:
        if isinstance(item, yaml.MappingNode):
            continue
        if isinstance(item, yaml.SequenceNode):
            what = "is a list, not a record"
        elif item.tag == NULL_TAG:
            what = "is empty"
        else:
            what = f"{item.value!r} is not a record"
        raise YamlError(_line(item), f"list item {what} (expected a record of field: value lines)")


class _Unsure(Exception):
    """The fast path met something it does not decide (a tag, an anchor, an error...): the careful path will."""


_PLAIN_FIRST = {first for _pattern, firsts, _convert, _expected in PLAIN.values() for first in firsts}


def _plain_value(text: str) -> Any:
    """A plain scalar as the careful loader resolves it: the PLAIN forms, else text."""
    if text == "<<":
        raise _Unsure  # a merge key
    if text[:1] not in _PLAIN_FIRST:
        return text  # the common case: text that no PLAIN form can start with
    for _tag, (pattern, first, convert, _expected) in PLAIN.items():
        if (text[:1] in first) and re.fullmatch(pattern, text):
            return convert(text)
    return text


def _fast_records(text: str) -> list[Located]:
    """The records, built straight from libyaml's C event stream (PyYAML's ``CParser``).

    It builds exactly what the careful loader builds for a well-formed file; anything else (a syntax
    error, a tag, an anchor or alias, a duplicate or non-text key, deep nesting, a file that is not a list
    of records) raises ``_Unsure``, so that the careful loader reports it with its own messages.
    """
    if _NON_PRINTABLE.search(text) or "\t" in text:  # libyaml accepts some tabs that PyYAML's scanner refuses
        raise _Unsure
    parser = yaml.CSafeLoader(text)
    following = iter(parser.get_event, None).__next__

    def scalar(event: yaml.ScalarEvent, flow: bool) -> Any:
        if event.anchor is not None or event.tag not in (None, "!"):
            raise _Unsure
        if not event.style:
            if flow and not _SIMPLE_PLAIN.fullmatch(event.value):
                raise _Unsure  # in flow context the two scanners part on plain scalars (e.g. "0?x")
            if event.implicit[0] and event.tag is None:
                return _plain_value(event.value)
        return event.value

    def value(event: yaml.Event, depth: int, flow: bool) -> Any:
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            return scalar(event, flow)
        if depth > MAX_DEPTH or kind not in (yaml.SequenceStartEvent, yaml.MappingStartEvent):
            raise _Unsure  # an alias, or nesting deeper than the careful loader allows
        if event.anchor is not None or event.tag not in (None, "!"):
            raise _Unsure
        inner = flow or bool(event.flow_style)
        if kind is yaml.SequenceStartEvent:
            items = []
            while (item := following()).__class__ is not yaml.SequenceEndEvent:
                items.append(value(item, depth + 1, inner))
            return items
        mapping = Located()
        mapping.line, mapping.key_lines = event.start_mark.line + 1, {}
        while (key_event := following()).__class__ is not yaml.MappingEndEvent:
            if key_event.__class__ is not yaml.ScalarEvent:
                raise _Unsure
            key = scalar(key_event, inner)
            if not isinstance(key, str) or key in mapping:
                raise _Unsure
            mapping[key] = value(following(), depth + 1, inner)
            mapping.key_lines[key] = key_event.start_mark.line + 1
        return mapping

    try:
        if [following().__class__ for _ in range(2)] != [yaml.StreamStartEvent, yaml.DocumentStartEvent]:
            raise _Unsure
        top = following()
        if top.__class__ is not yaml.SequenceStartEvent:
            raise _Unsure
        records = value(top, 1, False)
        if [following().__class__ for _ in range(2)] != [yaml.DocumentEndEvent, yaml.StreamEndEvent]:
            raise _Unsure
    except (yaml.YAMLError, StopIteration):
        raise _Unsure from None
    finally:
        parser.dispose()
    if not all(isinstance(record, Located) for record in records):
        raise _Unsure
    return records


def load_records(raw: bytes) -> list[Located]:
    """Parse an annotation file: a YAML list of mappings. Raises ``YamlError`` with the line at fault.

    Well-formed files take the fast path (libyaml's C parser, values built straight from its events);
    anything the fast path is unsure of is parsed again by the careful pure-Python loader, which gives
    the same values and the precise error messages.
    """
    try:
        text = decode_text(raw)
    except TextFileError as error:
        raise YamlError(error.line, error.message) from None
    if yaml.__with_libyaml__:
        try:
            return _fast_records(text)
        except _Unsure:
            pass
    return _careful_records(text)


def _careful_records(text: str) -> list[Located]:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            _shape(node)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as error:
        raise YamlError(text[: error.position].count("\n") + 1,
                        f"contains the control character U+{error.character:04X}, which YAML does not allow") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        hint = " (indent with spaces, not tabs)" if "'\\t'" in str(error.problem) else ""
        what = ", ".join(part for part in (error.context, error.problem) if part)
        raise YamlError(mark.line + 1 if mark else 1, f"YAML syntax error: {what}{hint}") from None
    except yaml.YAMLError as error:
        raise YamlError(1, f"YAML error: {error}") from None
