"""``validate --format github`` and ``--format sarif``: one GitHub Actions ::error command, or one SARIF result, for
each problem, at its file and line; the SARIF log valid against the official SARIF 2.1.0 schema (OASIS's, in
tests/data/) and byte-identical from one run to the next."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from pipeline.problems import Problem
from pipeline.project import version
from pipeline.report_formats import as_github, as_sarif, rule_id

from .conftest import ROOT, copy_project, load_build_cli
from .test_bad_input import mutate

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

# (file, old, new, the problem's subject, its rule); each mistake's problem is at the first line of ``new``.
MISTAKES = {
    "country code": ("annotations/people.yaml", "country_code: CN", "country_code: XC", "people[xi-jinping].country_code",
                     "people.country_code"),
    "quote with , and :": ("annotations/people.yaml", 'quote: "Chinese President Xi Jinping"}', 'quote: "Chinese President, Xi: Jinping"}',
                           "people[xi-jinping].evidence[0].quote", "people.evidence.quote"),
    "quote with %": ("annotations/figures.yaml", 'quote: "a three-nation Asian tour"', 'quote: "a 100% Asian tour"',
                     "figures[asian-tour-nations].evidence[0].quote", "figures.evidence.quote"),
    "unknown field": ("annotations/locations.yaml", "  kind: sea\n", "  depth: deep\n  kind: sea\n", "locations[east-china-sea].depth",
                      "locations.depth"),
    "dangling reference": ("annotations/person_roles.yaml", "person_id: xi-jinping\n  title: Leader of China",
                           "person_id: xi-jinpeng\n  title: Leader of China", "person_roles[xi-leader-preview].person_id",
                           "person_roles.person_id"),
}
STRAY = "annotations/peple.yaml"  # a file nothing reads: a problem with a file and no line


def validate(project: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = load_build_cli().main(["validate", *args], root=project)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """A project copy with every mistake made (in four annotation files) and a stray file; the line of each."""
    project = copy_project(tmp_path_factory.mktemp("ci_formats") / "project")
    lines = {name: mutate(project, file, old, new) for name, (file, old, new, _, _) in MISTAKES.items()}
    (project / STRAY).write_text("[]\n", encoding="utf-8")
    return project, lines


@pytest.fixture(scope="module")
def reports(broken) -> dict[str, str]:
    """``validate``'s stdout under json, github and sarif (all exit 1), and sarif again from the persistent state."""
    project, _ = broken
    found = {}
    for output in ("json", "github", "sarif"):
        code, found[output] = validate(project, "--format", output)
        assert code == 1, (output, found[output])
    code, found["sarif again"] = validate(project, "--format", "sarif")
    assert code == 1
    return found


def sarif_errors(log: dict) -> list[str]:
    validator = jsonschema.validators.validator_for(SARIF_SCHEMA)  # the schema's own $schema: draft-04
    checker = validator(SARIF_SCHEMA, format_checker=validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in checker.iter_errors(log)]


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def github_lines(out: str) -> list[tuple[dict[str, str], str]]:
    """Each ``::error k=v,...::message`` line as (properties, message), unescaped."""
    parsed = []
    for line in out.splitlines():
        match = re.fullmatch(r"::error (?P<properties>[^:]*)::(?P<message>.*)", line)
        assert match, line
        properties = dict(part.split("=", 1) for part in match["properties"].split(","))
        parsed.append(({key: unescape(value) for key, value in properties.items()}, unescape(match["message"])))
    return parsed


def test_the_vendored_schema_is_oasis_sarif_2_1_0():
    assert SARIF_SCHEMA["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    jsonschema.validators.validator_for(SARIF_SCHEMA).check_schema(SARIF_SCHEMA)


def test_github_names_the_file_and_line_of_each_problem(broken, reports):
    _, lines = broken
    problems = [Problem(**p) for p in json.loads(reports["json"])]
    annotations = github_lines(reports["github"])
    assert len(annotations) == len(problems) >= len(MISTAKES) + 1
    for (properties, message), problem in zip(annotations, problems):
        assert properties.get("file") == problem.file and properties.get("line") == (None if problem.line is None else str(problem.line))
        assert properties["title"] == rule_id(problem) and message == problem.what
    for name, (file, _, _, subject, rule) in MISTAKES.items():
        assert any(p == {"file": file, "line": str(lines[name]), "title": rule} and m.startswith(f"{subject}: ") for p, m in annotations), name
    assert ({"file": STRAY, "title": STRAY}, "nothing reads this file") in [(p, m.split(" (")[0]) for p, m in annotations]


def test_github_escapes_what_github_would_read_as_syntax(reports):
    raw = reports["github"].splitlines()
    (percent,) = [line for line in raw if "figures.evidence.quote" in line]
    assert "100%25 Asian tour" in percent and "100% " not in percent
    (commas,) = [line for line in raw if "people[xi-jinping].evidence[0].quote" in line]
    assert "President, Xi: Jinping" in commas.split("::", 2)[2]  # the message escapes only %, CR and LF
    assert as_github([Problem(file="a,b:c%.yaml", line=3, table="t", field="x[0]", message="50%\r\nnext")]) == \
        "::error file=a%2Cb%3Ac%25.yaml,line=3,title=t.x::t.x[0]: 50%25%0D%0Anext"


def test_github_leaves_out_what_a_problem_does_not_have():
    assert as_github([Problem(file="", line=None, message="another command holds the lock")]) == \
        "::error title=build::another command holds the lock"
    assert as_github([]) == ""


def test_sarif_is_valid_and_has_a_result_at_each_problem(reports):
    problems = [Problem(**p) for p in json.loads(reports["json"])]
    log = json.loads(reports["sarif"])
    assert sarif_errors(log) == []
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("japan-us-summit", version(ROOT)) and "informationUri" not in driver
    rules = [rule["id"] for rule in driver["rules"]]
    assert rules == sorted({rule_id(p) for p in problems}) and all(rule["shortDescription"]["text"] for rule in driver["rules"])
    assert len(run["results"]) == len(problems)
    for result, problem in zip(run["results"], problems):
        assert (result["ruleId"], result["level"], result["message"]["text"]) == (rule_id(problem), "error", problem.what)
        assert rules[result["ruleIndex"]] == result["ruleId"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": problem.file, "uriBaseId": "%SRCROOT%"}
        assert physical.get("region") == (None if problem.line is None else {"startLine": problem.line})


def test_sarif_results_are_where_the_mistakes_were_made(broken, reports):
    _, lines = broken
    found = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"),
              r["locations"][0].get("logicalLocations", [{}])[0].get("fullyQualifiedName"))
             for r in json.loads(reports["sarif"])["runs"][0]["results"]}
    expected = {(file, lines[name], subject) for name, (file, _, _, subject, _) in MISTAKES.items()} | {(STRAY, None, None)}
    assert expected <= found
    assert {file for file, _, _ in found} == {mistake[0] for mistake in MISTAKES.values()} | {STRAY}


def test_sarif_is_byte_identical_from_run_to_run(reports):
    assert reports["sarif again"] == reports["sarif"]
    assert "%SRCROOT%" in reports["sarif"] and str(ROOT) not in reports["sarif"]


def test_a_valid_project_gives_no_annotation_and_an_empty_sarif_log(project):
    code, out = validate(project, "--format", "github")
    assert (code, out) == (0, "")
    code, out = validate(project, "--format", "sarif")
    log = json.loads(out)
    assert code == 0 and sarif_errors(log) == [] and log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_a_fault_read_before_validation_is_reported_in_the_asked_format(project):
    """A pyproject.toml that is not TOML stops everything: still one annotation, or a valid log (with no version)."""
    (project / "pyproject.toml").write_text("[project\n", encoding="utf-8")
    code, out = validate(project, "--format", "github")
    ((properties, message),) = github_lines(out)
    assert code == 1 and properties == {"file": "pyproject.toml", "title": "pyproject.toml"} and message.startswith("is not valid TOML")
    code, out = validate(project, "--format", "sarif")
    log = json.loads(out)
    assert code == 1 and sarif_errors(log) == [] and "version" not in log["runs"][0]["tool"]["driver"]
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pyproject.toml"


def test_a_fault_without_a_file_is_a_result_without_a_location():
    log = json.loads(as_sarif([Problem(file="", message="git is not installed")], "1.2.3"))
    assert sarif_errors(log) == []
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "build" and "locations" not in result
    absolute = json.loads(as_sarif([Problem(file="/tmp/x y.yaml", message="Permission denied")]))["runs"][0]["results"][0]
    assert absolute["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///tmp/x%20y.yaml"}
