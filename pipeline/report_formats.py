"""The forms ``validate --format`` prints problems in besides text: ``json`` (each problem's fields), ``github``
(GitHub Actions workflow commands, which annotate the file and line of each problem) and ``sarif`` (SARIF 2.1.0,
which code scanning reads). All three are written on stdout, from the same ``Problem`` objects as the text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from pipeline.problems import Problem

FORMATS = ("text", "json", "github", "sarif")
HELP = ("text: one problem a line on stderr; json: a list of problems on stdout; github: a GitHub Actions "
        "::error command a problem on stdout; sarif: a SARIF 2.1.0 log on stdout, for code scanning")

TOOL = "japan-us-summit"  # pyproject.toml's [project].name
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"  # the checkout, against which every file is named
FAULT_RULE = "build"  # the rule of a problem that names no file: a fault of the machine, git or a second writer


def _field(problem: Problem) -> str:
    """The problem's field without list positions: ``evidence.quote`` for ``evidence[0].quote``."""
    return re.sub(r"\[\d+\]", "", problem.field) if problem.field else ""


def rule_id(problem: Problem) -> str:
    """The rule a problem breaks, for GitHub's title and SARIF's ruleId. Problems carry no rule of their own, so
    the rule is what they are about, list positions left out: ``people.evidence.quote`` (a field of a table's
    records), ``people`` (a table's records or file), else the file (``pyproject.toml``), else ``build``."""
    field = _field(problem)
    if problem.table:
        return f"{problem.table}.{field}" if field else problem.table
    return field or problem.file or FAULT_RULE


def _rule_text(problem: Problem) -> str:
    """The short description of ``rule_id(problem)``."""
    field = _field(problem)
    if problem.table:
        return f"The {field} field of {problem.table} records." if field else f"The records of {problem.table} and their file."
    if field:
        return f"The field {field}."
    if problem.file:
        return f"The file {problem.file}."
    return "The build itself (a fault of the machine, of git or a second writer, not of the input)."


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)


def as_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(problems: list[Problem]) -> str:
    """One ``::error file=F,line=N,title=RULE::MESSAGE`` a problem (file and line left out where unknown), escaped
    as GitHub's toolkit escapes them; "" for no problem."""
    lines = []
    for problem in _ordered(problems):
        properties = {"file": problem.file or None, "line": problem.line if problem.file else None, "title": rule_id(problem)}
        shown = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items() if value is not None)
        lines.append(f"::error {shown}::{_escape_data(problem.what)}")
    return "\n".join(lines)


def _location(problem: Problem) -> dict | None:
    """The SARIF location of a problem: its file (relative to the checkout, or an absolute file: URI) and line,
    and what within the file it is about (``people[xi-jinping].evidence[0].quote``)."""
    location: dict = {}
    if problem.file:
        if Path(problem.file).is_absolute():  # a fault's file, named as the system named it
            artifact = {"uri": Path(problem.file).as_uri()}
        else:
            artifact = {"uri": quote(problem.file), "uriBaseId": SOURCE_ROOT}
        physical: dict = {"artifactLocation": artifact}
        if problem.line is not None and problem.line >= 1:
            physical["region"] = {"startLine": problem.line}
        location["physicalLocation"] = physical
    if problem.subject:
        location["logicalLocations"] = [{"fullyQualifiedName": problem.subject}]
    return location or None


def as_sarif(problems: list[Problem], version: str | None = None) -> str:
    """A SARIF 2.1.0 log of one run: a rule for each ``rule_id`` (sorted), a result of level error for each
    problem (in the text's order); the same problems give the same bytes (no time, no absolute path of the
    checkout)."""
    ordered = _ordered(problems)
    rules: dict[str, str] = {}
    for problem in ordered:
        rules.setdefault(rule_id(problem), _rule_text(problem))
    index = {rule: i for i, rule in enumerate(sorted(rules))}
    driver: dict = {"name": TOOL}
    if version:
        driver["version"] = version
    driver["rules"] = [{"id": rule, "shortDescription": {"text": rules[rule]}} for rule in sorted(rules)]
    results = []
    for problem in ordered:
        rule = rule_id(problem)
        result: dict = {"ruleId": rule, "ruleIndex": index[rule], "level": "error", "message": {"text": problem.what}}
        if (location := _location(problem)) is not None:
            result["locations"] = [location]
        results.append(result)
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
    return json.dumps(log, indent=2)


def render(problems: list[Problem], output: str, version: str | None = None) -> str:
    """``problems`` as ``output`` (one of ``FORMATS`` but text) for stdout; ``version`` is the project's, if known."""
    if output == "json":
        return as_json(problems)
    if output == "github":
        return as_github(problems)
    if output == "sarif":
        return as_sarif(problems, version)
    raise ValueError(f"no such format: {output!r} (expected one of: {', '.join(FORMATS[1:])})")
