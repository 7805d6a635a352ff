"""The funnel in three forms: text for the CLI, a PNG for Dagster metadata, inline SVG for the page.

All three draw the corpus rows of the ``stage_yield`` mart: speech minutes still in the data
at each stage (the width of a bar), with the videos that reached the stage and the share of the
downloaded minutes kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

import pandas as pd

from pixel_assets.reports.schemas import FUNNEL_STAGES

STAGE_LABELS: dict[str, str] = {
    "downloaded": "Downloaded",
    "qc_passed": "Audio QC passed",
    "segments_kept": "Segments kept",
    "transcribed": "Transcribed",
    "kept_after_filtering": "Kept after filtering",
    "turns": "Dialogue turns",
    "exchanges": "Exchanges",
    "passed_validation": "Passed validation",
    "cleared_review": "Cleared crisis review",
    "exported_pairs": "Exported pairs",
}


@dataclass(frozen=True)
class FunnelStep:
    """One bar of the funnel."""

    stage: str
    label: str
    videos: int
    rows: int
    minutes: float
    share_of_start: float


def corpus_funnel(stage_yield: pd.DataFrame, list_file: str | None = None) -> list[FunnelStep]:
    """The funnel of the whole corpus (or of one video list) from ``stage_yield``.

    Every stage is present, in order, even when the mart has no row for it (an empty
    warehouse gives ten zero bars, not an error).
    """
    if list_file is None:
        rows = stage_yield[stage_yield["scope"] == "corpus"] if len(stage_yield) else stage_yield
    else:
        in_list = (stage_yield["scope"] == "list") & (stage_yield["list_file"] == list_file)
        rows = stage_yield[in_list]
    by_stage = {r["stage"]: r for _, r in rows.iterrows()} if len(rows) else {}
    start = float(by_stage["downloaded"]["minutes"]) if "downloaded" in by_stage else 0.0
    steps = []
    for stage in FUNNEL_STAGES:
        row = by_stage.get(stage)
        minutes = float(row["minutes"]) if row is not None else 0.0
        steps.append(
            FunnelStep(
                stage=stage,
                label=STAGE_LABELS[stage],
                videos=int(row["videos"]) if row is not None else 0,
                rows=int(row["n_rows"]) if row is not None else 0,
                minutes=minutes,
                share_of_start=minutes / start if start > 0 else 0.0,
            )
        )
    return steps


def text_funnel(steps: list[FunnelStep], width: int = 30) -> str:
    """A few lines for a terminal: label, videos, rows, minutes, share and a bar."""
    lines = [f"{'stage':<24}{'videos':>7}{'rows':>9}{'minutes':>10}{'kept':>8}"]
    for step in steps:
        bar = "#" * round(step.share_of_start * width)
        lines.append(
            f"{step.label:<24}{step.videos:>7}{step.rows:>9}{step.minutes:>10.1f}"
            f"{step.share_of_start:>8.1%}  {bar}"
        )
    return "\n".join(lines)


def funnel_png(steps: list[FunnelStep], title: str = "Pixel Voice funnel") -> bytes:
    """A horizontal bar chart of minutes per stage, as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; also keeps tests headless
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        labels = [s.label for s in steps][::-1]
        minutes = [s.minutes for s in steps][::-1]
        bars = ax.barh(labels, minutes, color="#3b7dd8")
        for bar, step in zip(bars, steps[::-1], strict=True):
            ax.text(
                bar.get_width(), bar.get_y() + bar.get_height() / 2,
                f" {step.minutes:.1f} min · {step.videos} videos · {step.share_of_start:.0%}",
                va="center", fontsize=8,
            )
        ax.set_xlabel("speech minutes still in the data")
        ax.set_title(title)
        ax.set_xlim(0, max(minutes + [1.0]) * 1.45)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)


def funnel_svg(steps: list[FunnelStep], width: int = 760, bar_height: int = 26) -> str:
    """The funnel as inline SVG (no script): centred bars whose width is the minutes kept."""
    label_w, gap = 190, 6
    chart_w = width - label_w - 230
    height = len(steps) * (bar_height + gap) + gap
    top = max([s.minutes for s in steps] + [0.0])
    parts = [
        f'<svg id="funnel-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Funnel: speech minutes kept at each stage">'
    ]
    for i, step in enumerate(steps):
        y = gap + i * (bar_height + gap)
        w = chart_w * step.minutes / top if top > 0 else 0.0
        x = label_w + (chart_w - w) / 2
        parts.append(
            f'<g class="funnel-stage" data-stage="{escape(step.stage)}" '
            f'data-minutes="{step.minutes:.3f}" data-videos="{step.videos}" '
            f'data-rows="{step.rows}">'
            f'<text x="{label_w - 8}" y="{y + bar_height * 0.68:.1f}" text-anchor="end" '
            f'font-size="13">{escape(step.label)}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1.0):.1f}" height="{bar_height}" '
            f'rx="3" fill="#3b7dd8" opacity="{0.45 + 0.55 * (1 - i / len(steps)):.2f}"/>'
            f'<text x="{label_w + chart_w + 8}" y="{y + bar_height * 0.68:.1f}" '
            f'font-size="12">{step.minutes:.1f} min · {step.videos} videos · '
            f'{step.share_of_start:.0%}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
