"""Work through every annotation file of the record tables: from the cache when nothing it depends on has
changed, else computed, on every core when there are many files.

A cache entry is one file's ``FileResult``, stored only when the file had no problem, under a key made of
the file's path and bytes and a fingerprint of the code (every module of ``schema/`` and ``pipeline/``, and
the versions of Python and of the libraries that read and build values). It is used only when each source
the file quotes still has the SHA-256 it was anchored against. The cache lives in ``.cache/validate/``
(outside the published package, ignored by git), is safe to delete, and keeps only the entries of the last
run. Writing it is best effort: a read-only or full disk only makes the next run slower.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from importlib import metadata
from multiprocessing import forkserver, get_context
from pathlib import Path

from schema.table import Table, TableKind
from schema.tables import TABLES

from pipeline.load.annotations import missing_file, table_files
from pipeline.assembly import Assembly, only
from pipeline.progress import bar
from pipeline.load.records import FileResult, SourceState, file_result

CACHE_DIR = ".cache/validate"
PARALLEL_FROM = 64  # files to compute before starting worker processes pays for their start-up
LIBRARIES = ("pydantic", "pydantic_core", "PyYAML", "pyarrow", "pandas")


@cache
def code_fingerprint() -> str:
    """Changes whenever the code or a library that shapes a result does."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    for package in ("schema", "pipeline"):
        folder = Path(__file__).resolve().parent.parent / package
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _key(table: Table, relative: str, data: bytes) -> str:
    return hashlib.sha256(b"\0".join([code_fingerprint().encode(), table.name.encode(), relative.encode(), data])).hexdigest()


class FileCache:
    """The per-file results of the last run, by key; ``use_cache=False`` reads and writes nothing."""

    def __init__(self, root: Path, enabled: bool):
        self.folder, self.enabled, self.used = root / CACHE_DIR, enabled, set()

    def get(self, key: str, state: SourceState) -> FileResult | None:
        if not self.enabled:
            return None
        try:
            result = pickle.loads((self.folder / key).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            return None  # absent or damaged: compute it again
        if any(state.sources.get(article) is None or state.sources[article].sha256 != digest
               for article, digest in result.sources_used.items()):
            return None
        self.used.add(key)
        return result

    def put(self, key: str, result: FileResult) -> None:
        if not self.enabled or result.problems or not result.readable:
            return
        self.used.add(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{key}.{os.getpid()}"
            temporary.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(self.folder / key)
        except OSError:
            pass

    def prune(self) -> None:
        """Remove every entry this run did not use (and leftovers of interrupted writes)."""
        if not self.enabled or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                try:
                    path.unlink()
                except OSError:
                    pass


_STATE: SourceState | None = None


def _start_worker(state: SourceState) -> None:
    global _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process reports an interrupt, once
    _STATE = state


def _work(root: Path, name: str, relative: str) -> FileResult:
    return file_result(root, TABLES[name], relative, _STATE)


def record_results(assembly: Assembly, use_cache: bool = True) -> dict[str, list[FileResult]]:
    """The file results of every record table, in table order and file order."""
    sources = only(TableKind.SOURCE).name
    state = SourceState(assembly.sources, frozenset(assembly.invalid_ids[sources]), sources in assembly.unreadable)
    store = FileCache(assembly.root, use_cache)
    results: dict[tuple[str, str], FileResult] = {}
    todo: list[tuple[Table, str, str]] = []
    for table in TABLES.values():
        if table.kind != TableKind.RECORD:
            continue
        files = table_files(assembly.root, table)
        if not files:
            assembly.problems.append(missing_file(table))
            assembly.unreadable.add(table.name)
        for relative in files:
            path = assembly.root / relative
            data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
            key = _key(table, relative, data)
            cached = store.get(key, state) if data else None
            if cached is None:
                todo.append((table, relative, key))
            else:
                results[table.name, relative] = cached
    for (table, relative, key), result in zip(todo, _compute(assembly.root, todo, state)):
        store.put(key, result)
        results[table.name, relative] = result
    store.prune()
    grouped: dict[str, list[FileResult]] = {table.name: [] for table in TABLES.values() if table.kind == TableKind.RECORD}
    for (name, _relative), result in results.items():
        grouped[name].append(result)
    return {name: sorted(found, key=lambda r: r.file) for name, found in grouped.items()}


# A worker that died (killed, out of memory) breaks the pool; one that ran out of memory may also say so
# (MemoryError, pyarrow's ArrowMemoryError, or a SystemError from an extension that failed to allocate).
WORKER_FAILURES = (BrokenProcessPool, MemoryError, SystemError)


def _compute(root: Path, todo: list[tuple[Table, str, str]], state: SourceState) -> list[FileResult]:
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        return [file_result(root, table, relative, state) for table, relative, _ in bar(todo, len(todo), "checking files")]
    _start_forkserver()
    pool = ProcessPoolExecutor(workers, mp_context=get_context("forkserver"), initializer=_start_worker, initargs=(state,))
    try:
        results = pool.map(_work, [root] * len(todo), [t.name for t, _, _ in todo], [r for _, r, _ in todo], chunksize=16)
        return list(bar(results, len(todo), "checking files"))
    except WORKER_FAILURES:  # do the work here instead
        return [file_result(root, table, relative, state) for table, relative, _ in todo]
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
