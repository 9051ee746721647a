"""Corpus-scale timings: ``validate`` and ``build`` cold, warm and after one edited file, each with its peak memory;
the parser floors (libyaml's event-only parse, rapidyaml's tree when it is installed, and the project's own
loader building the records with their lines) over the same files; and ``frictionless validate`` of the built
package, at several K. ``--pytest`` also times the README's test command.

Each K gets a fresh synthetic corpus (``benchmarks/corpus.py``). Every figure is a whole process (interpreter
start and imports included) except the parser floors, which are measured inside one process over the same
bytes (best of ``--repeat``). Times are medians of ``--repeat`` runs; memory is the peak resident set of the
process (``wait4``'s ``ru_maxrss``), the largest of the runs.

    python benchmarks/corpus_benchmark.py [--sizes 1 100 1000] [--repeat 3] [--work /tmp/corpora] [--pytest]
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

PARSERS = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
import yaml
from pipeline.load.yaml_source import load_records
files = [p.read_bytes() for p in sorted(Path(sys.argv[1], "annotations").rglob("*.yaml"))]

def best(work):
    times = []
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)

def events():
    for data in files:
        for _event in yaml.parse(data.decode("utf-8"), Loader=yaml.CSafeLoader):
            pass

def rapidyaml():
    for data in files:
        ryml.parse_in_arena(data)

try:
    import ryml
except ImportError:
    tree = float("nan")
else:
    tree = best(rapidyaml)
print(best(events), tree, best(lambda: [load_records(data) for data in files]), sum(map(len, files)))
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
    figures["validate one file edited"], figures["memory edited MB"] = timed(repeat, [*python, "validate"], corpus, edit)
    edited.write_bytes(original)
    figures["build cold"], figures["memory build MB"] = timed(repeat, [*python, "build"], corpus, cold)
    figures["build warm"], _ = timed(repeat, [*python, "build"], corpus)
    figures["frictionless validate"], _ = timed(repeat, [str(Path(sys.executable).parent / "frictionless"), "validate", "datapackage/datapackage.json"], corpus)
    stage = subprocess.run([sys.executable, "-c", PARSERS, str(corpus), str(repeat)], capture_output=True, text=True, check=True)
    events, tree, loading, size = stage.stdout.split()
    figures["yaml events only"], figures["rapidyaml tree"], figures["yaml stage"] = float(events), float(tree), float(loading)
    figures["annotations MB"] = int(size) / 1e6
    records = sum(1 for path in (corpus / "annotations").rglob("*.yaml") for line in path.open(encoding="utf-8") if line.startswith("- "))
    figures["records"] = records
    shutil.rmtree(corpus)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000], help="values of K")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/japan-us-summit-corpora"))
    parser.add_argument("--pytest", action="store_true", help="also time `python -m pytest -n auto -q` in the checkout (once)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = {replicas: measure(replicas, args.repeat, args.work) for replicas in args.sizes}
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}; "
          f"median of {args.repeat} runs, seconds\n")
    print("| K | records | YAML MB | validate cold | warm | one file edited | build cold | build warm "
          "| peak MB cold / warm / edited / build | libyaml events | rapidyaml tree | our loader | validate cold / events "
          "| frictionless validate | ours / frictionless |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for replicas, f in results.items():
        print(f"| {replicas} | {f['records']:,} | {f['annotations MB']:.1f} | {f['validate cold']:.2f} | {f['validate warm']:.2f} "
              f"| {f['validate one file edited']:.2f} | {f['build cold']:.2f} ({f['build cold'] / f['validate cold']:.2f}×) "
              f"| {f['build warm']:.2f} | {f['memory cold MB']} / {f['memory warm MB']} / {f['memory edited MB']} / {f['memory build MB']} "
              f"| {f['yaml events only']:.2f} | {f['rapidyaml tree']:.2f} ({f['rapidyaml tree'] / f['yaml events only']:.2f}×) "
              f"| {f['yaml stage']:.2f} ({f['yaml stage'] / f['yaml events only']:.1f}×) "
              f"| {f['validate cold'] / f['yaml events only']:.1f}× "
              f"| {f['frictionless validate']:.2f} | {f['validate cold'] / f['frictionless validate']:.2f}× |")
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = sizes[-2], sizes[-1]
        ratio = results[large]["validate cold"] / results[small]["validate cold"]
        print(f"\nvalidate cold, K={large} against K={small}: {ratio:.1f}× for {large / small:.0f}× the data")
    if args.pytest:
        root = Path(__file__).resolve().parent.parent
        elapsed, memory = run([sys.executable, "-m", "pytest", "-n", "auto", "-q", "-p", "no:cacheprovider"], root)
        print(f"\n`python -m pytest -n auto`: {elapsed:.0f} s ({elapsed / 60:.1f} min), peak {memory} MB in one process")


if __name__ == "__main__":
    main()
