"""Corpus-scale timings: ``validate`` and ``build`` cold, warm and after one edited file, the YAML stage against
libyaml's event-only parse of the same files, and ``frictionless validate`` of the built package, at several K.

Each K gets a fresh synthetic corpus (``benchmarks/corpus.py``). Every figure is a whole process (interpreter
start and imports included) except the two YAML figures, which are measured inside one process over the same
bytes. Times are medians of ``--repeat`` runs; memory is the peak resident set of the slowest-memory run.

    python benchmarks/corpus_benchmark.py [--sizes 1 100 1000] [--repeat 3] [--work /tmp/corpora]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from corpus import generate

YAML_STAGE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
import yaml
from pipeline.load.yaml_source import load_records
files = [p.read_bytes() for p in sorted(Path(sys.argv[1], "annotations").rglob("*.yaml"))]
start = time.perf_counter()
for data in files:
    for _event in yaml.parse(data.decode("utf-8"), Loader=yaml.CSafeLoader):
        pass
events = time.perf_counter() - start
start = time.perf_counter()
for data in files:
    load_records(data)
print(events, time.perf_counter() - start, sum(map(len, files)))
"""


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time in seconds and peak memory in MB of one process, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}: {process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024


def timed(repeat: int, command: list[str], cwd: Path, before=lambda: None) -> tuple[float, int]:
    samples = []
    for _ in range(repeat):
        before()
        samples.append(run(command, cwd))
    return statistics.median(t for t, _ in samples), max(m for _, m in samples)


def measure(replicas: int, repeat: int, work: Path) -> dict[str, float]:
    corpus = work / f"k{replicas}"
    if corpus.exists():
        shutil.rmtree(corpus)
    generate(replicas, corpus)
    python = [sys.executable, "build.py"]
    cache = corpus / ".cache"
    edited = sorted((corpus / "annotations").rglob("*.yaml"))[-1]
    original = edited.read_bytes()
    edits = iter(range(10**6))

    def cold() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def edit() -> None:
        edited.write_bytes(original + f"# edit {next(edits)}\n".encode())

    figures: dict[str, float] = {}
    figures["validate cold"], figures["memory cold MB"] = timed(repeat, [*python, "validate"], corpus, cold)
    run([*python, "validate"], corpus)
    figures["validate warm"], figures["memory warm MB"] = timed(repeat, [*python, "validate"], corpus)
    figures["validate one file edited"], _ = timed(repeat, [*python, "validate"], corpus, edit)
    edited.write_bytes(original)
    figures["build cold"], _ = timed(repeat, [*python, "build"], corpus, cold)
    figures["build warm"], _ = timed(repeat, [*python, "build"], corpus)
    figures["frictionless validate"], _ = timed(repeat, [str(Path(sys.executable).parent / "frictionless"), "validate", "datapackage/datapackage.json"], corpus)
    stage = subprocess.run([sys.executable, "-c", YAML_STAGE, str(corpus)], capture_output=True, text=True, check=True)
    events, loading, size = stage.stdout.split()
    figures["yaml events only"], figures["yaml stage"], figures["annotations MB"] = float(events), float(loading), int(size) / 1e6
    records = sum(1 for path in (corpus / "annotations").rglob("*.yaml") for line in path.open(encoding="utf-8") if line.startswith("- "))
    figures["records"] = records
    shutil.rmtree(corpus)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000], help="values of K")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/japan-us-summit-corpora"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = {replicas: measure(replicas, args.repeat, args.work) for replicas in args.sizes}
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}; "
          f"median of {args.repeat} runs, seconds\n")
    print("| K | records | YAML MB | validate cold | warm | one file edited | build cold | build warm | peak MB cold / warm "
          "| YAML stage / events only | frictionless validate | ours / frictionless |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for replicas, f in results.items():
        print(f"| {replicas} | {f['records']:,} | {f['annotations MB']:.1f} | {f['validate cold']:.2f} | {f['validate warm']:.2f} "
              f"| {f['validate one file edited']:.2f} | {f['build cold']:.2f} ({f['build cold'] / f['validate cold']:.2f}×) "
              f"| {f['build warm']:.2f} | {f['memory cold MB']} / {f['memory warm MB']} "
              f"| {f['yaml stage']:.2f} / {f['yaml events only']:.2f} = {f['yaml stage'] / f['yaml events only']:.1f}× "
              f"| {f['frictionless validate']:.2f} | {f['validate cold'] / f['frictionless validate']:.2f}× |")
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = sizes[-2], sizes[-1]
        ratio = results[large]["validate cold"] / results[small]["validate cold"]
        print(f"\nvalidate cold, K={large} against K={small}: {ratio:.1f}× for {large / small:.0f}× the data")


if __name__ == "__main__":
    main()
