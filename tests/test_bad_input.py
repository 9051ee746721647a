"""Bad input stops the build: every problem listed with file, line and field, and datapackage/ left untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import tree_bytes


def mutate(project: Path, file: str, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` by ``new`` in an annotation file; return the 1-based line of the change."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


CASES = {
    "wrong quote": (
        "annotations/people.yaml",
        'quote: "Chinese President Xi Jinping"}',
        'quote: "Chinese President Xi Jinpin g"}',
        r"people\[xi-jinping\]\.evidence\[0\]\.quote: quote 'Chinese President Xi Jinpin g' is not in the line",
    ),
    "unknown field": (
        "annotations/locations.yaml",
        "  kind: sea\n",
        "  kind: sea\n  depth: deep\n",
        r"locations\[east-china-sea\]\.depth: unknown field \((?:did you mean [^?]*\? )?expected one of: location_id, name, kind",
    ),
    "dangling reference": (
        "annotations/person_roles.yaml",
        "person_id: xi-jinping\n  title: Leader of China",
        "person_id: xi-jinpeng\n  title: Leader of China",
        r"person_roles\[xi-leader-preview\]\.person_id: 'xi-jinpeng' does not resolve \((?:did you mean 'xi-jinping'\? )?expected a person_id of people\)",
    ),
    "duplicate id": (
        "annotations/locations.yaml",
        "location_id: south-china-sea",
        "location_id: east-china-sea",
        r"locations\[east-china-sea\]\.location_id: duplicate location_id 'east-china-sea'",
    ),
    "invalid country code": (
        "annotations/people.yaml",
        "country_code: CN",
        "country_code: XC",
        r"people\[xi-jinping\]\.country_code: 'XC' is not an ISO 3166-1 alpha-2 country code",
    ),
    "ambiguous quote": (
        "annotations/people.yaml",
        'quote: "Chinese President", field: country_code',
        'quote: "Trump", field: country_code',
        r"people\[xi-jinping\]\.evidence\[2\]\.quote: quote 'Trump' occurs \d+ times in the line \(expected 'occurrence: N'",
    ),
}


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_reported_with_file_line_and_field_and_nothing_is_published(warm_project, run_build, case, command):
    file, old, new, expected = CASES[case]
    line = mutate(warm_project, file, old, new)
    before = tree_bytes(warm_project / "datapackage")
    code, out, err = run_build(warm_project, command)
    assert code == 1
    problems = [p for p in err.splitlines() if p.startswith(f"{file}:")]
    pattern = re.compile(rf"^{re.escape(file)}:(\d+): {expected}")
    matches = [pattern.match(p) for p in problems]
    assert any(matches), err
    assert {int(m.group(1)) for m in matches if m} <= set(range(line - 12, line + 2)), err
    assert "nothing was published" in err
    assert tree_bytes(warm_project / "datapackage") == before


def test_every_problem_is_listed_at_once(warm_project, run_build):
    for file, old, new, _ in CASES.values():
        mutate(warm_project, file, old, new)
    code, _, err = run_build(warm_project, "validate")
    assert code == 1
    for case, (file, _, _, expected) in CASES.items():
        assert re.search(rf"^{re.escape(file)}:\d+: {expected}", err, re.M), case


def test_a_source_changed_after_annotation_is_refused(warm_project, run_build):
    source = warm_project / "sources" / "000_6fb326663b7b9149.txt"
    source.write_bytes(source.read_bytes().replace(b"Takaichi", b"Takaichi ", 1))
    code, _, err = run_build(warm_project, "build")
    assert code == 1
    assert re.search(r"^annotations/articles\.yaml:\d+: articles\[unattributed-preview\]\.sha256: sources/000_6fb326663b7b9149\.txt has SHA-256", err, re.M)


def test_exact_line_of_a_wrong_quote(warm_project, run_build):
    line = mutate(warm_project, "annotations/figures.yaml", 'quote: "a three-nation Asian tour"', 'quote: "a four-nation Asian tour"')
    _, _, err = run_build(warm_project, "validate")
    assert f"annotations/figures.yaml:{line}: figures[asian-tour-nations].evidence[0].quote:" in err


def test_invisible_format_characters_are_refused_with_their_name(warm_project, run_build):
    line = mutate(warm_project, "annotations/people.yaml", "name: Sanae Takaichi", "name: Sanae\u200b Takaichi")
    code, _, err = run_build(warm_project, "validate")
    assert code == 1
    assert (f"annotations/people.yaml:{line}: people[sanae-takaichi].name: contains the invisible character U+200B "
            "(ZERO WIDTH SPACE) (expected visible text only; delete it)") in err


def test_a_bidi_override_in_a_note_is_refused(warm_project, run_build):
    mutate(warm_project, "annotations/people.yaml", "name: Sanae Takaichi", "name: Sanae Takaichi\n  note: \u202eevil")
    code, _, err = run_build(warm_project, "validate")
    assert code == 1 and "U+202E (RIGHT-TO-LEFT OVERRIDE)" in err


def test_a_huge_value_is_cut_in_the_message(warm_project, run_build):
    mutate(warm_project, "annotations/people.yaml", "name: Sanae Takaichi", "name: Sanae\u200b" + "x" * 100_000)
    code, _, err = run_build(warm_project, "validate")
    assert code == 1
    (line,) = [line for line in err.splitlines() if "U+200B" in line]
    assert len(line) < 600 and "(100006 characters)" in line


def test_an_annotation_file_that_is_a_symlink_is_refused(warm_project, run_build, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes((warm_project / "annotations" / "people.yaml").read_bytes())
    (warm_project / "annotations" / "people.yaml").unlink()
    (warm_project / "annotations" / "people.yaml").symlink_to(outside)
    code, _, err = run_build(warm_project, "validate")
    assert code == 1 and "annotations/people.yaml: people: is a symlink (expected a regular file inside the project)" in err


def test_an_implausible_date_is_refused(warm_project, run_build):
    mutate(warm_project, "annotations/meetings.yaml", "  start_date: 2022-07-08\n", "  start_date: 0022-07-08\n")
    code, _, err = run_build(warm_project, "validate")
    assert code == 1 and "'0022-07-08' lies outside 1800 to 2200" in err


PYONGYANG = """
- location_id: pyongyang-capital
  name: Pyongyang
  kind: {kind}
  parent_location_id: north-koera
{extra}  country_code: KP
  evidence:
    - {{article: kyodo-summit-report, line: 3, quote: "Pyongyang's nucelar"}}
    - {{article: kyodo-summit-report, line: 3, quote: "Pyongyang", field: country_code, basis: inferred, note: "Pyongyang is the capital of North Korea"}}
"""


def test_four_mistakes_in_one_record_are_reported_in_one_run(warm_project, run_build):
    """The newcomer review's step 5: a quote typo, a wrong parent, an unknown field and a bad vocabulary value."""
    with (warm_project / "annotations/locations.yaml").open("a", encoding="utf-8") as file:
        file.write(PYONGYANG.format(kind="town", extra="  parent_locaton_id: north-korea\n"))
    code, _, err = run_build(warm_project, "validate")
    assert code == 1
    expected = [
        r"locations\[pyongyang-capital\]\.kind: 'town' is not in the vocabulary",
        r"locations\[pyongyang-capital\]\.parent_location_id: 'north-koera' does not resolve \(did you mean 'north-korea'.*expected a location_id of locations\)",
        r"locations\[pyongyang-capital\]\.parent_locaton_id: unknown field",
        r"locations\[pyongyang-capital\]\.evidence\[0\]\.quote: quote \"Pyongyang's nucelar\" is not in the line",
    ]
    for pattern in expected:
        assert re.search(rf"^annotations/locations\.yaml:\d+: {pattern}", err, re.M), (pattern, err)
    assert "4 problem(s)" in err, err


def test_a_record_with_a_bad_quote_still_has_its_references_checked(warm_project, run_build):
    with (warm_project / "annotations/locations.yaml").open("a", encoding="utf-8") as file:
        file.write(PYONGYANG.format(kind="city", extra=""))
    code, _, err = run_build(warm_project, "validate")
    assert code == 1
    assert re.search(r"locations\[pyongyang-capital\]\.parent_location_id: 'north-koera' does not resolve", err), err
    assert re.search(r"locations\[pyongyang-capital\]\.evidence\[0\]\.quote: quote", err), err
    assert "2 problem(s)" in err, err


def test_what_points_at_a_failed_record_is_not_reported_again(warm_project, run_build):
    """A record that fails is reported once; references to it, from valid and failed records alike, are not."""
    line = mutate(warm_project, "annotations/locations.yaml", "  kind: country\n  country_code: KP\n", "  kind: nation\n  country_code: KP\n")
    with (warm_project / "annotations/locations.yaml").open("a", encoding="utf-8") as file:
        file.write(PYONGYANG.format(kind="city", extra="").replace("north-koera", "north-korea"))
    code, _, err = run_build(warm_project, "validate")
    assert code == 1
    problems = [p for p in err.splitlines() if p.startswith("annotations/")]
    assert len(problems) == 2, err
    assert problems[0].startswith(f"annotations/locations.yaml:{line}: locations[north-korea].kind:"), err
    assert "locations[pyongyang-capital].evidence[0].quote" in problems[1], err
