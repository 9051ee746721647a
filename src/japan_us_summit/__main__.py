"""``python -m japan_us_summit``: the data version, each table with its row count, and the licences."""

from __future__ import annotations

import signal
import sys

import japan_us_summit as jus


def report() -> str:
    meta = jus.descriptor()
    names = jus.tables()
    lines = [f"japan-us-summit {meta['version']}: {meta['title']}", "", f"{'table':<24}{'rows':>6}"]
    lines += [f"{name:<24}{jus.load(name, backend='arrow').num_rows:>6}" for name in names]
    lines += ["", "licences"]
    by_licence: dict[str, tuple[dict, list[str]]] = {}
    for resource in meta["resources"]:
        if resource["name"] in names:
            for licence in resource.get("licenses", meta["licenses"]):
                by_licence.setdefault(licence["name"], (licence, []))[1].append(resource["name"])
    for name, (licence, covered) in by_licence.items():
        where = "all tables" if covered == names else ", ".join(covered)
        link = f" <{licence['path']}>" if "path" in licence else ""
        lines += [f"  {name}: {licence.get('title', name)}{link}", f"    applies to: {where}"]
    return "\n".join(lines)


def main() -> int:
    try:
        print(report())
    except (jus.DataFileError, LookupError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    sys.exit(main())
