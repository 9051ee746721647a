"""Cold-start cost of ``japan_us_summit.load(name)`` against ``pandas.read_parquet`` of the same file.

Each sample is a fresh interpreter that times, from before its first import to after the read,
``import japan_us_summit; japan_us_summit.load(name)`` or ``import pandas; pandas.read_parquet(path)``.
The two are interleaved, repeated N times, and reported as median and minimum, with their ratio.
The same child then times a second, warm call, the per-call cost once everything is imported.

    python benchmarks/load_benchmark.py [--table evidence] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

import japan_us_summit

CHILD = """
import sys, time
start = time.perf_counter()
{imports}
{call}
cold = time.perf_counter() - start
start = time.perf_counter()
{call}
print(cold, time.perf_counter() - start)
"""
ACCESSOR = CHILD.format(imports="import japan_us_summit", call="japan_us_summit.load(sys.argv[1])")
PANDAS = CHILD.format(imports="import pandas", call="pandas.read_parquet(sys.argv[2])")


def sample(code: str, table: str, path: str) -> tuple[float, float]:
    done = subprocess.run([sys.executable, "-c", code, table, path], capture_output=True, text=True, check=True)
    cold, warm = map(float, done.stdout.split())
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--table", default="evidence", choices=japan_us_summit.tables())
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    path = str(japan_us_summit.path(args.table))
    runs: dict[str, list[tuple[float, float]]] = {"japan_us_summit.load": [], "pandas.read_parquet": []}
    for _ in range(args.repeat):
        runs["japan_us_summit.load"].append(sample(ACCESSOR, args.table, path))
        runs["pandas.read_parquet"].append(sample(PANDAS, args.table, path))
    print(f"table {args.table!r}, {args.repeat} cold subprocesses each; times in ms")
    print(f"{'':<22}{'cold median':>12}{'cold min':>10}{'warm median':>13}{'warm min':>10}")
    summary = {}
    for name, samples in runs.items():
        cold, warm = [s[0] * 1000 for s in samples], [s[1] * 1000 for s in samples]
        summary[name] = statistics.median(cold), min(cold), statistics.median(warm), min(warm)
        print(f"{name:<22}" + "".join(f"{value:>{width}.1f}" for value, width in zip(summary[name], (12, 10, 13, 10))))
    ours, theirs = summary["japan_us_summit.load"], summary["pandas.read_parquet"]
    print(f"{'ratio (load / pandas)':<22}" + "".join(f"{a / b:>{w}.2f}" for a, b, w in zip(ours, theirs, (12, 10, 13, 10))))


if __name__ == "__main__":
    main()
