"""Annotations split across files, the persistent state, and parallel work: none of them changes a result."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import pipeline.incremental as incremental
import pipeline.load.records as records
from pipeline.incremental import CACHE_DIR

from .conftest import ROOT, tree_bytes


def _split(project: Path, table: str) -> list[Path]:
    """Move the second half of ``annotations/<table>.yaml`` into two files under ``annotations/<table>/``."""
    path = project / "annotations" / f"{table}.yaml"
    text = path.read_text(encoding="utf-8")
    starts = [i + 1 for i in range(len(text)) if text.startswith("\n- ", i)]
    half, three_quarters = starts[len(starts) // 2], starts[3 * len(starts) // 4]
    folder = project / "annotations" / table / "by-article"
    folder.mkdir(parents=True)
    parts = [folder / "a.yaml", folder / "b.yaml"]
    parts[0].write_text(text[half:three_quarters], encoding="utf-8")
    parts[1].write_text(text[three_quarters:], encoding="utf-8")
    path.write_text(text[:half], encoding="utf-8")
    return parts


def _computed(monkeypatch) -> list[str]:
    """Record the files whose result is computed (not taken from the cache)."""
    computed: list[str] = []
    original = records.file_result

    def counting(root, table, relative, state):
        computed.append(relative)
        return original(root, table, relative, state)

    monkeypatch.setattr(incremental, "file_result", counting)
    return computed


def test_a_table_split_across_files_publishes_the_same_bytes(project, run_build):
    before = tree_bytes(project / "datapackage")
    _split(project, "claims")
    _split(project, "people")
    code, _, err = run_build(project, "build")
    assert code == 0, err
    assert tree_bytes(project / "datapackage") == before


def test_a_file_nothing_reads_and_an_id_written_in_two_files_are_reported(project, run_build):
    first, second = _split(project, "people")
    (project / "annotations" / "people" / "notes.txt").write_text("x", encoding="utf-8")
    record = first.read_text(encoding="utf-8").split("\n- ")[0]
    second.write_text(second.read_text(encoding="utf-8") + "\n" + record + "\n", encoding="utf-8")
    record_id = record.split("person_id:")[1].split()[0]
    code, _, err = run_build(project, "validate")
    assert code == 1
    assert "annotations/people/notes.txt: nothing reads this file (expected a .yaml file in a table's folder)" in err
    duplicates = [line for line in err.splitlines() if f"duplicate person_id '{record_id}'" in line]
    assert {line.split(":")[0] for line in duplicates} == {"annotations/people/by-article/a.yaml", "annotations/people/by-article/b.yaml"}


def test_cached_and_uncached_runs_give_identical_bytes_and_problems(project, run_build, monkeypatch):
    _split(project, "claims")
    code, _, err = run_build(project, "--no-cache", "build")
    assert code == 0, err
    uncached = tree_bytes(project / "datapackage")
    assert not (project / CACHE_DIR).exists()
    assert run_build(project, "build")[0] == 0  # fills the cache
    computed = _computed(monkeypatch)
    assert run_build(project, "build")[0] == 0
    assert computed == [] and tree_bytes(project / "datapackage") == uncached

    broken = project / "annotations" / "claims" / "by-article" / "b.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("claim_id:", "claim_idd:", 1), encoding="utf-8")
    from_cache = run_build(project, "validate")
    assert computed == ["annotations/claims/by-article/b.yaml"]
    assert from_cache[0] == 1 and from_cache[2] == run_build(project, "--no-cache", "validate")[2]


def test_the_cache_follows_the_code_the_sources_and_its_own_damage(project, run_build, monkeypatch):
    assert run_build(project, "validate")[0] == 0
    computed = _computed(monkeypatch)
    annotation_files = sorted(p.relative_to(project).as_posix() for p in (project / "annotations").rglob("*.yaml"))  # split files too
    record_files = [f for f in annotation_files if Path(f).stem not in {"articles", "no_fact_sentences"}]

    entry = max((p for p in (project / CACHE_DIR).iterdir() if p.suffix == ".arrow"), key=lambda p: p.stat().st_size)
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 1  # one bit flipped, the file still parses as Arrow
    entry.write_bytes(bytes(data))
    assert run_build(project, "validate")[0] == 0
    assert sorted(computed) == record_files  # a damaged state is not trusted: every file is computed again
    computed.clear()
    assert run_build(project, "validate")[0] == 0
    assert computed == []  # and the state written instead is whole
    written = set((project / CACHE_DIR).iterdir())

    monkeypatch.setattr(incremental, "code_fingerprint", lambda: "another version of the code")
    assert run_build(project, "validate")[0] == 0
    assert sorted(computed) == record_files
    remaining = set((project / CACHE_DIR).iterdir())
    assert len(remaining) == len(written) and not remaining & (written - {project / CACHE_DIR / "state.json"})  # the old state is pruned
    computed.clear()

    source = next((project / "sources").glob("000_*.txt"))
    source.write_bytes(source.read_bytes() + b"\n")  # the sha256 no longer matches: reported, and nothing quoting it is reused
    code, _, err = run_build(project, "validate")
    assert code == 1 and "has SHA-256" in err
    assert computed, "files quoting a changed source must be anchored again"


def test_a_cache_that_cannot_be_written_changes_nothing(project, run_build):
    (project / ".cache").write_text("a file where the cache folder would go", encoding="utf-8")
    code, out, err = run_build(project, "validate")
    assert code == 0 and err == "" and "Valid" in out


@pytest.mark.parametrize("broken", [False, True])
def test_parallel_workers_give_what_one_process_gives(project, run_build, monkeypatch, broken):
    if broken:
        path = project / "annotations" / "meetings.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("kind: summit", "kind: summmit", 1), encoding="utf-8")
    serial = run_build(project, "--no-cache", "validate")
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 1)
    parallel = run_build(project, "--no-cache", "validate")
    assert parallel == serial and serial[0] == int(broken)


def test_the_benchmark_corpus_is_valid_and_scales_every_table(tmp_path, run_build):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate(3, tmp_path / "corpus")
    code, out, err = run_build(tmp_path / "corpus", "--no-cache", "validate")  # the corpus's code is this checkout's
    assert code == 0, err
    rows = {line.split()[0]: int(line.split()[1]) for line in out.splitlines()[1:]}
    assert rows == {name: 3 * count for name, count in jus_rows().items()}


def jus_rows() -> dict[str, int]:
    import japan_us_summit as jus

    return {name: jus.load(name, backend="arrow").num_rows for name in jus.tables()}


def test_the_table_levels_run_again_only_when_their_inputs_change(project, run_build, monkeypatch):
    import pipeline.dataset as dataset

    checked = []
    original = dataset._check_tables
    monkeypatch.setattr(dataset, "_check_tables", lambda *args: (checked.append(1), original(*args)))
    people = project / "annotations" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("person_id: donald-trump", "person_id: donald-trumpp", 1), encoding="utf-8")
    first = run_build(project, "validate")
    assert first[0] == 1 and "does not resolve" in first[2] and checked == [1]
    assert run_build(project, "validate") == first and checked == [1]  # nothing changed: the stored findings
    (project / "annotations" / "meetings.yaml").write_bytes((project / "annotations" / "meetings.yaml").read_bytes() + b"# note\n")
    assert run_build(project, "validate") == first and checked == [1, 1]
    assert run_build(project, "--no-cache", "validate") == first
