"""build.py's command line itself: a help text for every command and argument, and the Python version guard."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import click
from packaging.specifiers import SpecifierSet

from tests.conftest import ROOT, load_build_cli


def test_every_command_and_argument_has_a_help_text():
    group = load_build_cli().cli
    assert group.help and all(option.help for option in group.params)
    assert list(group.commands) == ["validate", "build", "coverage", "agreement", "check", "diff", "release", "dist", "site"]
    for name, command in group.commands.items():
        assert command.short_help and command.help, name
        for param in command.params:
            if isinstance(param, click.Argument):  # click documents arguments in the command's own text
                assert f"{param.name.upper()}: " in command.help, (name, param.name)
            else:
                assert param.help, (name, param.name)


def test_help_lists_every_command_with_its_text_and_a_usage_error_exits_2(run_build, tmp_path):
    code, out, _ = run_build(tmp_path, "--help")
    group = load_build_cli().cli
    assert code == 0 and all(name in out for name in group.commands)
    code, out, _ = run_build(tmp_path, "site", "--help")
    assert code == 0 and "OUT: output folder (default: site/ in the checkout)." in out
    code, _, err = run_build(tmp_path, "release", "huge")
    assert code == 2 and "huge" in err and "major" in err


def test_the_version_guard_matches_requires_python():
    cli = load_build_cli()
    major, minor = cli.REQUIRED_PYTHON
    requires = SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"])
    assert f"{major}.{minor}" in requires and f"{major}.{minor - 1}" not in requires
    assert cli.python_too_old((major, minor, 0)) is None and cli.python_too_old((major + 1, 0, 0)) is None
    assert cli.python_too_old((major, minor - 1, 9)) == f"build.py needs Python {major}.{minor} or newer; this is {major}.{minor - 1}"


def test_an_older_python_gets_one_line_and_exit_1_before_any_import_that_needs_a_newer_one():
    """build.py run as a script under a Python that reports version 3.10."""
    code = (
        "import runpy, sys\n"
        "sys.version_info = (3, 10, 13, 'final', 0)\n"
        "sys.argv = ['build.py', 'validate']\n"
        "try:\n"
        "    runpy.run_path('build.py', run_name='__main__')\n"
        "finally:\n"
        "    print(sorted(name for name in ('click', 'filelock', 'pipeline', 'schema') if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (1, "[]\n", "error: build.py needs Python 3.11 or newer; this is 3.10\n")
