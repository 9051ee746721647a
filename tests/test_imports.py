"""`validate`, which every edit runs, imports only what it uses."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

NOT_FOR_VALIDATE = ("daff", "jinja2", "hypothesis", "pytest", "_pytest", "tomlkit", "filelock",
                    "pipeline.check.coverage", "pipeline.publish.publish", "forms.croissant",
                    "forms.dataset_card", "provenance_site", "scipy", "statsmodels")

RUN_VALIDATE = """
import json, runpy, sys
sys.argv = ["build.py", "validate"]
try:
    runpy.run_path("build.py", run_name="__main__")
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_validate_imports_no_publisher_report_diff_or_test_library(project):
    result = subprocess.run([sys.executable, "-c", RUN_VALIDATE], cwd=project, capture_output=True, text=True, check=False)
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["code"] == 0, result.stderr
    modules = set(found["modules"])
    assert "pandera" in modules and "pydantic" in modules  # it did validate
    assert not {name for name in modules if name.split(".")[0] in NOT_FOR_VALIDATE or name in NOT_FOR_VALIDATE}


def test_a_warm_validate_does_not_import_pandera(project):
    """With every finding of the table level in the persistent state, pandera is not needed, and not imported."""
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", RUN_VALIDATE], cwd=project, capture_output=True, text=True, check=False)
        found = json.loads(result.stdout.splitlines()[-1])
        assert found["code"] == 0, result.stderr
    assert "pydantic" in found["modules"] and "pandera" not in found["modules"]


IMPORT_THEN_SYNTHESIZE = """
from forms.pandera_schema import pandera_schema
from schema.tables import TABLES
import hypothesis
print(len(pandera_schema(TABLES["locations"]).example(size=2)))
"""


def test_importing_the_schema_leaves_pandera_able_to_synthesize_data():
    """Only the build command hides hypothesis from pandera; a library user of schema/ keeps pandera's strategies."""
    result = subprocess.run([sys.executable, "-c", IMPORT_THEN_SYNTHESIZE], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"
