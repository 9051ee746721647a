"""A cache never changes a result: random edits, moves, deletions, source changes and damage to the state,
after each of which a run that uses the state gives the problems and the package bytes of a run without it.

``STATEFUL_EXAMPLES`` sets how many random sequences run (default 2, about a minute on two cores)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pipeline.incremental import CACHE_DIR

from .conftest import copy_project, load_build_cli, tree_bytes

pytestmark = pytest.mark.slow

CLI = load_build_cli()
EDITS = [  # (file, text, replacement): each makes a problem of another level, or none
    ("annotations/meetings.yaml", "kind: summit", "kind: summmit"),  # a value outside its vocabulary
    ("annotations/people.yaml", "person_id: donald-trump", "person_id: donald-trumpp"),  # a key every table points at
    ("annotations/claims.yaml", "quote: ", "quote: x"),  # a quote not on its line
    ("annotations/locations.yaml", "\n", "\n# a comment\n"),  # other bytes, the same records
]
MOVES = ["annotations/claims/part/b.yaml", "annotations/claims/part/a.yaml", "annotations/claims/c.yaml"]


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = CLI.main(list(args), root=root)
    return code, out.getvalue(), err.getvalue()


class CacheNeverChangesAResult(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="stateful-"))
        self.root = copy_project(self.folder / "project")
        self.pristine = {path: (self.root / path).read_bytes() for path in {file for file, _, _ in EDITS}}

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(edit=st.sampled_from(EDITS))
    def toggle_edit(self, edit: tuple[str, str, str]) -> None:
        file, text, replacement = edit
        path = self.root / file
        if not path.exists():
            return
        data = path.read_text(encoding="utf-8")
        path.write_text(data.replace(replacement, text, 1) if replacement in data else data.replace(text, replacement, 1), encoding="utf-8")

    def _split_file(self) -> Path | None:
        return next(iter(sorted((self.root / "annotations" / "claims").rglob("*.yaml"))), None)

    @precondition(lambda self: self._split_file() is None)
    @rule()
    def split_a_table(self) -> None:
        """Move the second half of claims.yaml into a file of annotations/claims/."""
        path = self.root / "annotations" / "claims.yaml"
        text = path.read_text(encoding="utf-8")
        starts = [i + 1 for i in range(len(text)) if text.startswith("\n- ", i)]
        if not starts:
            return
        (self.root / MOVES[0]).parent.mkdir(parents=True, exist_ok=True)
        (self.root / MOVES[0]).write_text(text[starts[len(starts) // 2]:], encoding="utf-8")
        path.write_text(text[:starts[len(starts) // 2]], encoding="utf-8")

    @precondition(lambda self: self._split_file() is not None)
    @rule(to=st.sampled_from(MOVES))
    def move_the_split_file(self, to: str) -> None:
        (self.root / to).parent.mkdir(parents=True, exist_ok=True)
        self._split_file().rename(self.root / to)

    @precondition(lambda self: self._split_file() is not None)
    @rule()
    def delete_the_split_file(self) -> None:
        """Its records vanish: what pointed at them no longer resolves."""
        self._split_file().unlink()

    @rule()
    def restore_the_annotations(self) -> None:
        shutil.rmtree(self.root / "annotations" / "claims", ignore_errors=True)
        for file, data in self.pristine.items():
            (self.root / file).write_bytes(data)

    @rule()
    def toggle_a_source(self) -> None:
        source = next((self.root / "sources").glob("000_*.txt"))
        data = source.read_bytes()
        source.write_bytes(data[:-1] if data.endswith(b"\n\n") else data + b"\n")

    @rule(how=st.sampled_from(["flip a byte", "truncate", "delete a file", "garbage manifest"]))
    def damage_the_state(self, how: str) -> None:
        folder = self.root / CACHE_DIR
        files = sorted(folder.glob("*.arrow")) if folder.is_dir() else []
        if not files:
            return
        target = max(files, key=lambda p: p.stat().st_size)
        if how == "flip a byte":
            data = bytearray(target.read_bytes())
            data[len(data) // 3] ^= 0x20
            target.write_bytes(bytes(data))
        elif how == "truncate":
            target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
        elif how == "delete a file":
            target.unlink()
        else:
            (folder / "state.json").write_text("{not json", encoding="utf-8")

    @invariant()
    def a_run_from_the_state_is_a_run_without_it(self) -> None:
        cached = _run(self.root, "build")
        cached_package = tree_bytes(self.root / "datapackage")
        uncached = _run(self.root, "--no-cache", "build")
        assert cached == uncached
        assert cached_package == tree_bytes(self.root / "datapackage")


CacheNeverChangesAResult.TestCase.settings = settings(
    max_examples=int(os.environ.get("STATEFUL_EXAMPLES", "2")), stateful_step_count=5, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCacheNeverChangesAResult = CacheNeverChangesAResult.TestCase
