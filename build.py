"""Validate the annotations and publish the data package.

    python build.py validate   check everything; exit 1 listing every problem, 0 with a summary
    python build.py build      validate, then write datapackage/ (atomically, deterministically)
    python build.py coverage   show each sentence's evidence coverage; exit 1 if one is unaccounted for
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.coverage import coverage, report
from pipeline.dataset import Dataset, assemble
from pipeline.problems import InvalidInput
from schema.docs import data_dictionary
from pipeline.project import ROOT
from pipeline.publish import publish


def _assemble(root: Path) -> Dataset | None:
    try:
        return assemble(root)
    except InvalidInput as error:
        _report_problems(error)
        return None


def _report_problems(error: InvalidInput) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"{len(error.problems)} problem(s); nothing was published.", file=sys.stderr)
    return 1


def _summary(dataset: Dataset) -> str:
    return "\n".join(f"  {name:<22}{rows:>6} rows" for name, rows in dataset.row_counts().items())


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["validate", "build", "coverage"])
    args = parser.parse_args(argv)
    dataset = _assemble(root)
    if dataset is None:
        return 1
    if args.command == "coverage":
        try:
            sentences = coverage(root, dataset)
        except InvalidInput as error:
            return _report_problems(error)
        print(report(sentences))
        return 0 if all(s.accounted_for for s in sentences) else 1
    if args.command == "build":
        publish(dataset, root / "datapackage")
        (root / "DATA.md").write_text(data_dictionary(dataset.row_counts(), dataset.version), encoding="utf-8")
        print("Built datapackage/ and DATA.md:")
    else:
        print("Valid:")
    print(_summary(dataset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
