"""The agreement figures as Markdown, for the dataset card and the data dictionary: the hand-written account
of how they are made (``forms/card/agreement.md``), then the figures, or a line saying there are none."""

from __future__ import annotations

from typing import Any

from japan_us_summit._layout import AGREEMENT

from . import card_text

NOT_MEASURED = ("Not measured: the project holds no second annotation yet (`agreement/second_annotation/`), "
                f"so no `{AGREEMENT}` is published.")


def _figure(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def figures(agreement: dict[str, Any] | None) -> str:
    """The per-table figures and the kappa of every vocabulary field, as Markdown tables; or NOT_MEASURED."""
    if agreement is None:
        return NOT_MEASURED
    lines = [
        f"Two records are matched when the Jaccard index of their evidence characters exceeds {agreement['method']['match_threshold']:g}.",
        "",
        "| table | records (data) | records (second) | matched | precision | recall | F1 | field agreement |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, t in agreement["tables"].items():
        lines.append(f"| `{name}` | {t['dataset_records']} | {t['second_records']} | {t['matched']} | {_figure(t['precision'])} "
                     f"| {_figure(t['recall'])} | {_figure(t['f1'])} | {_figure(t['field_agreement'])} |")
    lines += ["", "Vocabulary fields, over the matched records:", "",
              "| table | field | compared | agreement | Cohen's kappa |", "|---|---|---:|---:|---:|"]
    for name, t in agreement["tables"].items():
        for field, f in t["fields"].items():
            if "kappa" in f:
                lines.append(f"| `{name}` | `{field}` | {f['compared']} | {_figure(f['agreement'])} | {_figure(f['kappa'])} |")
    return "\n".join(lines)


def agreement_section(agreement: dict[str, Any] | None) -> str:
    """How the figures are made, then the figures."""
    return card_text.section("agreement") + "\n\n" + figures(agreement)
