"""Every kind of mistake gets a message that points at the fix: the accepted forms in words, the closest valid
names, the closest passage for a quote, and a file and line from the JSON Schema hook too."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from pipeline.check import annotation_schemas
from pipeline.load.anchoring import closest_passage, differences

from .conftest import copy_project, load_build_cli

pytestmark = pytest.mark.xdist_group("messages")  # its module-scoped fixtures are built once: every test of the module on one xdist worker

# One mistake per record, so that no mistake hides another: (file, text after which to look, old, new).
MISTAKES = {
    "date": ("annotations/meetings.yaml", "- meeting_id: takaichi-trump-tokyo-talks", "start_date: 2025-10-28", "start_date: 2025/10/28"),
    "vocabulary": ("annotations/locations.yaml", "- location_id: tokyo", "kind: city", "kind: ctiy"),
    "field": ("annotations/locations.yaml", "- location_id: osaka", "parent_location_id: japan", "parent_locaton_id: japan"),
    "id": ("annotations/person_roles.yaml", "- role_id: xi-leader-preview", "person_id: xi-jinping", "person_id: xi-jinpeng"),
    "record key": ("annotations/comparisons.yaml", "- comparison_id: trump-2019-japan-visits",
                   "subject_id: trump-2019-japan-visit", "subject_id: trump-2019-japan-vist"),
    "article": ("annotations/people.yaml", "- person_id: donald-trump",
                'article: unattributed-preview, line: 1, quote: "former US President Trump"',
                'article: unattributed-preveiw, line: 1, quote: "former US President Trump"'),
    "evidence field": ("annotations/people.yaml", "- person_id: shinzo-abe", "field: country_code", "field: contry_code"),
    "quote": ("annotations/people.yaml", "- person_id: sanae-takaichi",
              'quote: "Japan\'s new Prime Minister Sanae Takaichi"', 'quote: "Japan\'s new Prime Minster Sanae Takaichi"'),
}


def make(project: Path, file: str, after: str, old: str, new: str) -> int:
    """Replace the first ``old`` after ``after`` in ``file``; return the changed line."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    start = text.index(after)
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, dict[str, int], str]:
    """A project copy with every mistake made, the line of each, and `validate`'s stderr."""
    project = copy_project(tmp_path_factory.mktemp("messages") / "project")
    lines = {kind: make(project, *mistake) for kind, mistake in MISTAKES.items()}
    shutil.copy(project / "annotations/people.yaml", project / "annotations/peple.yaml")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = load_build_cli().main(["--no-cache", "validate"], root=project)
    assert code == 1
    return project, lines, err.getvalue()


def problem(broken, kind: str) -> str:
    """The one problem reported at the line of mistake ``kind``."""
    project, lines, err = broken
    file = MISTAKES[kind][0]
    found = [line for line in err.splitlines() if line.startswith(f"{file}:{lines[kind]}:")]
    assert len(found) == 1, err
    return found[0]


def test_a_date_in_the_wrong_form_names_the_accepted_forms_in_words(broken):
    message = problem(broken, "date")
    assert "got '2025/10/28' (expected a date written YYYY, YYYY-MM or YYYY-MM-DD" in message
    assert "[0-9]" not in message


def test_a_value_outside_the_vocabulary_gets_the_closest_value(broken):
    assert "locations[tokyo].kind: 'ctiy' is not in the vocabulary (did you mean 'city'? expected one of:" in problem(broken, "vocabulary")


def test_an_unknown_field_gets_the_closest_field(broken):
    assert "locations[osaka].parent_locaton_id: unknown field (did you mean 'parent_location_id'" in problem(broken, "field")


def test_an_unknown_id_gets_the_closest_id(broken):
    assert ("person_roles[xi-leader-preview].person_id: 'xi-jinpeng' does not resolve "
            "(did you mean 'xi-jinping'? expected a person_id of people)") in problem(broken, "id")


def test_a_key_into_a_named_table_gets_the_closest_record(broken):
    assert "'trump-2019-japan-vist' is not a record of meetings (did you mean 'trump-2019-japan-visit'" in problem(broken, "record key")


def test_an_unknown_article_gets_the_closest_article(broken):
    assert "unknown article 'unattributed-preveiw' (did you mean 'unattributed-preview'? expected one of:" in problem(broken, "article")


def test_an_unknown_evidence_field_gets_the_closest_field(broken):
    assert "'contry_code' is not an annotated field of people (did you mean 'country_code'" in problem(broken, "evidence field")


def test_a_quote_with_a_typo_names_the_closest_passage_and_the_difference(broken):
    message = problem(broken, "quote")
    assert "the closest passage on the line is \"Japan's new Prime Minister Sanae Takaichi\"" in message
    assert "which has 'Minister' where the quote has 'Minster'" in message


def test_an_unknown_table_file_gets_the_closest_table(broken):
    _, _, err = broken
    assert "annotations/peple.yaml: nothing reads this file (did you mean 'people.yaml'" in err


def test_no_close_passage_is_offered_for_unrelated_text():
    assert closest_passage("The leaders met in Tokyo on Tuesday.", "quarterly soybean exports") is None
    passage, ratio = closest_passage("The leaders met in Tokyo on Tuesday.", "leaders mett in Tokyo")
    assert passage == "leaders met in Tokyo" and 0.9 < ratio < 1
    assert differences("leaders met in Tokyo", "leaders mett in Tokyo") == ["'met' where the quote has 'mett'"]


def test_the_json_schema_hook_reports_file_line_and_the_closest_name(broken, capsys):
    project, lines, _ = broken
    code = annotation_schemas.main([str(project / "annotations/locations.yaml")], root=project)
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(rf"^annotations/locations\.yaml:{lines['vocabulary']}: locations\[tokyo\]\.kind: 'ctiy' is not one of "
                     r"\[.*\] \(did you mean 'city'\?\)$", err, re.M), err
    assert re.search(rf"^annotations/locations\.yaml:{lines['field']}: locations\[osaka\]\.parent_locaton_id: unknown field "
                     r"\(did you mean 'parent_location_id'", err, re.M), err
    assert "$[" not in err
