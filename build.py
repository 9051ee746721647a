"""Validate the annotations and publish the data package.

    python build.py validate   check everything; exit 1 listing every problem, 0 with a summary
    python build.py build      validate, then write datapackage/ (atomically, deterministically)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.dataset import Dataset, assemble
from pipeline.problems import InvalidInput
from pipeline.project import ROOT
from pipeline.publish import publish


def _assemble(root: Path) -> Dataset | None:
    try:
        return assemble(root)
    except InvalidInput as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was published.", file=sys.stderr)
        return None


def _summary(dataset: Dataset) -> str:
    return "\n".join(f"  {name:<22}{table.num_rows:>6} rows" for name, table in dataset.tables.items())


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["validate", "build"])
    args = parser.parse_args(argv)
    dataset = _assemble(root)
    if dataset is None:
        return 1
    if args.command == "build":
        publish(dataset, root / "datapackage")
        print("Built datapackage/:")
    else:
        print("Valid:")
    print(_summary(dataset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
