"""Read ``annotations/*.yaml`` and validate each record against its annotation model (level 1: pydantic)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import ValidationError

from schema.annotation import EVIDENCE, EvidenceRef, annotation_model
from schema.field_spec import markers
from japan_us_summit._suggest import did_you_mean
from schema.fields import PATTERN_WORDS, ExactCopy
from schema.table import Row, RuleError, Table

from pipeline.problems import Problem, shown
from pipeline.project import ANNOTATIONS_DIR
from pipeline.load.yaml_source import Located, YamlError, field_label, line_at, load_records

NO_FACT_FILE = f"{ANNOTATIONS_DIR}/no_fact_sentences.yaml"  # read by the coverage report
INVISIBLE = {"Cc", "Zl", "Zp"}  # control characters and line or paragraph separators


@dataclass(frozen=True)
class WrittenRecord:
    """One record as written: where it is, and the validated record (None when invalid)."""

    table: Table
    file: str
    mapping: Located
    record: Row | None

    @property
    def record_id(self) -> str | None:
        value = self.mapping.get(self.table.primary_key[0])
        return value if isinstance(value, str) else None

    def line_of(self, loc: tuple[Any, ...]) -> int:
        """The line of the value at ``loc`` (a pydantic error location) within this record."""
        return line_at(self.mapping, loc)


def _item_model(model: type[Row], loc: tuple[Any, ...]) -> type[Row]:
    """The model that holds the last step of ``loc``: the record's, or that of a list item (evidence, citations...)."""
    for step in loc[:-1]:
        info = model.model_fields.get(step) if isinstance(step, str) else None
        if info is None:
            continue
        for member in get_args(info.annotation) if get_origin(info.annotation) in (Union, UnionType) else [info.annotation]:
            if get_origin(member) is Annotated:
                member = get_args(member)[0]
            if get_origin(member) is list and issubclass(get_args(member)[0], Row):
                model = get_args(member)[0]
    return model


def _explain(error: dict[str, Any], model: type[Row]) -> str:
    kind, loc = error["type"], error["loc"]
    model = _item_model(model, tuple(loc))
    if kind == "missing":
        info = model.model_fields.get(str(loc[-1]))
        return f"missing required field (expected: {info.description})" if info and info.description else "missing required field"
    if kind == "extra_forbidden":
        hint = did_you_mean(loc[-1], model.model_fields)
        return f"unknown field ({hint + ' ' if hint else ''}expected one of: {', '.join(model.model_fields)})"
    if kind == "enum":
        hint = did_you_mean(error["input"], error["ctx"]["expected"].replace("' or '", "', '").strip("'").split("', '"))
        return f"{shown(error['input'])} is not in the vocabulary ({hint + ' ' if hint else ''}expected one of: {error['ctx']['expected']})"
    if kind == "string_pattern_mismatch":
        info = model.model_fields.get(str(loc[-1])) if loc else None
        if error["ctx"]["pattern"] in PATTERN_WORDS:
            return f"got {shown(error['input'])} (expected {PATTERN_WORDS[error['ctx']['pattern']]})"
        if info is not None and info.description:
            return f"got {shown(error['input'])} (expected: {info.description})"
    if kind == "string_type" and isinstance(error["input"], (int, float, bool)):
        return f"got {error['input']!r}, which YAML reads as a number or boolean (expected text: put it in quotes, \"{error['input']}\")"
    message = error["msg"].removeprefix("Value error, ")
    if not loc or repr(error["input"]) in message:
        return message
    return f"{message} (got {shown(error['input'])})"


def _strings(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text value in a record, with its location."""
    if isinstance(node, str):
        yield loc, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*loc, index))


_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text_problem(text: str) -> str | None:
    """Why annotator-written text is refused: a control character or line break, an invisible format
    character (zero-width, bidi control, soft hyphen: Unicode category Cf), or a form other than NFC."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return None  # printable ASCII: none of the below can apply
    bad = next((c for c in text if unicodedata.category(c) in INVISIBLE), None)
    if bad is not None:
        return f"contains the control character U+{ord(bad):04X} (expected one line of visible text; YAML's >- folds long text)"
    hidden = next((c for c in text if unicodedata.category(c) == "Cf"), None)
    if hidden is not None:
        name = unicodedata.name(hidden, "a format character")
        return f"contains the invisible character U+{ord(hidden):04X} ({name}) (expected visible text only; delete it)"
    if not unicodedata.is_normalized("NFC", text):
        return "is not in Unicode NFC form (expected composed characters; retype it or normalize it to NFC)"
    return None


def _exact_copy(model: type[Row], loc: tuple[Any, ...]) -> bool:
    """Whether the value at ``loc`` is a field marked ``ExactCopy`` (in the record, or in one of its evidence items)."""
    if len(loc) == 3 and loc[0] == EVIDENCE:
        return _marked_exact(EvidenceRef, loc[2])
    return len(loc) == 1 and _marked_exact(model, loc[0])


@cache
def _marked_exact(model: type[Row], name: Any) -> bool:
    info = model.model_fields.get(str(name))
    return info is not None and any(isinstance(m, ExactCopy) for m in markers(info))


def _printable_ascii(node: Any) -> bool:
    """Whether every text value in ``node`` is printable ASCII, to which no text rule applies (the common case)."""
    texts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        for value in current.values() if isinstance(current, dict) else current:
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, (dict, list)):
                stack.append(value)
    joined = " ".join(texts)
    return joined.isascii() and not _ASCII_CONTROL.search(joined)


def _text_problems(item: WrittenRecord) -> list[Problem]:
    """The annotator's own text must be plain; fields marked ``ExactCopy`` are exempt, being copies of the source."""
    model, problems = annotation_model(item.table), []
    if _printable_ascii(item.mapping):
        return problems
    for loc, text in _strings(dict(item.mapping)):
        message = None if _exact_copy(model, loc) else _text_problem(text)
        if message:
            problems.append(Problem(file=item.file, line=item.line_of(loc), table=item.table.name, record_id=item.record_id,
                                    field=field_label(loc), message=f"{message} (got {shown(text)})"))
    return problems


def _record_problems(item: WrittenRecord, error: ValidationError, model: type[Row]) -> list[Problem]:
    """One problem per pydantic error, at the field's line; a broken row rule is put on the field it names."""
    problems = []
    for detail in error.errors():
        loc, message = tuple(detail["loc"]), _explain(detail, model)
        rule = detail.get("ctx", {}).get("error")
        if not loc and isinstance(rule, RuleError):
            loc = (rule.field,)
        problems.append(Problem(file=item.file, line=item.line_of(loc), table=item.table.name, record_id=item.record_id,
                                field=field_label(loc) or None, message=message))
    return problems


def well_formed(model: type[Row], items: Any) -> list[tuple[int, Row, Located]]:
    """The items of a list written in a record that pass ``model`` on their own, numbered as written (the
    errors of the others are reported with the record's)."""
    found = []
    for number, mapping in enumerate(items if isinstance(items, list) else []):
        if not isinstance(mapping, Located):
            continue
        try:
            found.append((number, model.model_validate(dict(mapping)), mapping))
        except ValidationError:
            continue
    return found


def clean_fields(item: WrittenRecord) -> dict[str, Any]:
    """The written values of a record that failed its model which pass it: every field of the table that no
    error names (the errors themselves are reported with the record)."""
    model = annotation_model(item.table)
    try:
        model.model_validate(dict(item.mapping))
    except ValidationError as error:
        faulty = set()
        for detail in error.errors():
            rule = detail.get("ctx", {}).get("error")
            faulty.add(detail["loc"][0] if detail["loc"] else getattr(rule, "field", None))
    else:
        faulty = set()
    if None in faulty:  # a rule on the whole row that names no field: nothing can be trusted
        return {}
    return {name: value for name, value in item.mapping.items()
            if item.table.annotated_field(name) and name not in faulty and not isinstance(value, (dict, list))}


def table_files(root: Path, table: Table) -> list[str]:
    """Where ``table``'s records are written, and the only files read for it: ``annotations/<table>.yaml``, then
    every ``*.yaml`` under the folder ``annotations/<table>/`` (any depth, any grouping), in path order; relative
    to ``root``. Anything else there (a plain file ``annotations/<table>``, a name that is not UTF-8) is not read
    but reported by ``unknown_files``."""
    single, folder = root / ANNOTATIONS_DIR / f"{table.name}.yaml", root / ANNOTATIONS_DIR / table.name
    files = [single] if single.is_symlink() or single.exists() else []
    if folder.is_symlink():
        files.append(folder)  # refused when read: a linked folder could lead out of the project
    elif folder.is_dir():
        files += sorted(path for path in folder.rglob("*.yaml") if not _hidden(path.relative_to(folder)) and readable_name(path))
    return [path.relative_to(root).as_posix() for path in files]


def readable_name(path: Path) -> bool:
    """Whether the name of ``path`` is valid UTF-8 (Python keeps the bytes of another as surrogates)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(path: str) -> str:
    """``path`` as text that can always be printed: bytes that are not UTF-8 as ``\\xNN``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _refusal(root: Path, relative: str) -> str | None:
    path = root / relative
    if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
        return "is a symlink (expected a regular file inside the project)"
    if not path.is_file():
        return "is not a regular file (expected a YAML list of records)"
    return None


def load_file(root: Path, table: Table, relative: str) -> tuple[list[WrittenRecord] | None, list[Problem]]:
    """Every record of one annotation file (None when the file cannot be read), and the problems found in it."""
    refusal = _refusal(root, relative)
    if refusal:
        return None, [Problem(file=relative, table=table.name, message=refusal)]
    try:
        mappings = load_records((root / relative).read_bytes())
    except YamlError as error:
        return None, [Problem(file=relative, line=error.line, table=table.name, field=error.field, message=error.message)]
    model, loaded, problems = annotation_model(table), [], []
    for mapping in mappings:
        item = WrittenRecord(table, relative, mapping, None)
        try:
            item = WrittenRecord(table, relative, mapping, model.model_validate(dict(mapping)))
        except ValidationError as error:
            problems += _record_problems(item, error, model)
        problems += _text_problems(item)
        loaded.append(item)
    return loaded, problems


def missing_file(table: Table) -> Problem:
    return Problem(file=f"{ANNOTATIONS_DIR}/{table.name}.yaml", table=table.name,
                   message="file is missing (expected a YAML list of records; write [] for none)")


def load_table(root: Path, table: Table) -> tuple[list[WrittenRecord] | None, list[Problem]]:
    """Every record of one table, from all its files (None when one of them cannot be read), and the problems found."""
    files = table_files(root, table)
    if not files:
        return None, [missing_file(table)]
    loaded: list[WrittenRecord] | None = []
    problems: list[Problem] = []
    for relative in files:
        items, found = load_file(root, table, relative)
        problems += found
        loaded = None if items is None or loaded is None else loaded + items
    return loaded, problems


def unknown_files(root: Path, tables: set[str], known: set[str]) -> list[Problem]:
    """Files in annotations/ that nothing reads: anything but ``<table>.yaml``, the ``known`` files, and
    ``*.yaml`` files inside a ``<table>/`` folder; and any file whose name is not valid UTF-8."""
    folder = root / ANNOTATIONS_DIR
    expected_names = sorted({f"{name}.yaml" for name in tables} | known)
    problems = []
    for path in sorted(folder.rglob("*") if folder.is_dir() else []):
        relative = path.relative_to(folder)
        parts, shown = relative.parts, shown_name(path.relative_to(root).as_posix())
        if _hidden(relative) or (path.is_dir() and not path.is_symlink()):
            continue
        if not readable_name(path):
            problems.append(Problem(file=shown, message="nothing reads this file: its name is not valid UTF-8 (rename it, e.g. to plain ASCII)"))
            continue
        if len(parts) == 1 and (path.name in expected_names or (path.name in tables and path.is_symlink())):
            continue  # a linked table folder is read, and refused, as one of the table's files
        if len(parts) > 1 and parts[0] in tables and path.suffix == ".yaml":
            continue
        if len(parts) == 1 and path.name in tables:
            expected = f"a table's records go in {ANNOTATIONS_DIR}/{path.name}.yaml, or in .yaml files in a folder {ANNOTATIONS_DIR}/{path.name}/"
        elif len(parts) > 1 and parts[0] in tables:
            expected = "expected a .yaml file in a table's folder"
        else:
            alike = expected_names if path.suffix == ".yaml" and len(parts) == 1 else sorted(tables)  # a file for a file, a folder for a folder
            expected = did_you_mean(parts[0], alike) or f"expected one of: {', '.join(expected_names)}, or a folder named for a table"
        problems.append(Problem(file=shown, message=f"nothing reads this file ({expected})"))
    return problems
