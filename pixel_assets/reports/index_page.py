"""The static report page, ``reports/index.html``: one file, no server, no script.

It shows the funnel (inline SVG), the yield of every stage, the top rejection reasons, pair
counts per split, open failures, and links to the evidently reports, the drift reports and the
dbt docs site copied alongside. Everything it shows comes from the marts, so the page and
``pixel-voice query`` always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
import pandas as pd

from pixel_assets.reports.funnel import FunnelStep, funnel_svg


@dataclass(frozen=True)
class Link:
    """A link to a generated file, relative to the page."""

    title: str
    href: str
    note: str = ""


@dataclass
class IndexPage:
    """What the page shows (every frame is a mart, possibly empty)."""

    generated_at: str
    storage_root: str
    funnel: list[FunnelStep]
    video_funnel: pd.DataFrame
    stage_yield: pd.DataFrame
    rejection_reasons: pd.DataFrame
    pair_quality: pd.DataFrame
    failures_summary: pd.DataFrame
    quality_reports: list[Link] = field(default_factory=list)
    drift_reports: list[Link] = field(default_factory=list)
    dbt_docs: Link | None = None
    dbt_failures: list[str] = field(default_factory=list)
    top_reasons: int = 10


def pair_counts_by_split(pair_quality: pd.DataFrame) -> dict[str, int]:
    """Pairs per split, from ``pair_quality`` (the largest count over its metrics)."""
    if pair_quality.empty:
        return {}
    rows = pair_quality[pair_quality["dimension"] == "split"]
    counts = rows.groupby("group_value")["n_pairs"].max()
    order = {"train": 0, "validation": 1, "test": 2}
    return {k: int(counts[k]) for k in sorted(counts.index, key=lambda s: (order.get(s, 9), s))}


_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pixel Voice report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; }
h1 { margin-bottom: 0.2rem; } .muted { color: #666; font-size: 0.9rem; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 1rem; min-width: 9rem; }
.card .value { font-size: 1.6rem; font-weight: 600; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #eee; padding: 0.25rem 0.6rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.alert { background: #fdecea; border: 1px solid #f5c2c0; padding: 0.6rem 1rem; }
</style>
</head>
<body>
<h1>Pixel Voice report</h1>
<p class="muted">Generated {{ page.generated_at }} from <code>{{ page.storage_root }}</code></p>
{% if page.dbt_failures %}
<div class="alert" id="dbt-failures"><strong>dbt tests failing:</strong>
<ul>{% for f in page.dbt_failures %}<li>{{ f }}</li>{% endfor %}</ul></div>
{% endif %}
<div class="cards">
  <div class="card"><div class="label">Videos</div>
    <div class="value" id="count-videos">{{ n_videos }}</div></div>
  <div class="card"><div class="label">Downloaded</div>
    <div class="value" id="count-downloaded">{{ funnel[0].videos }}</div></div>
  <div class="card"><div class="label">Exported pairs</div>
    <div class="value" id="count-pairs">{{ funnel[-1].rows }}</div></div>
  <div class="card"><div class="label">Speech kept</div>
    <div class="value" id="share-kept">
    {{ "%.0f" | format(100 * funnel[-1].share_of_start) }}%</div></div>
  <div class="card"><div class="label">Open failures</div>
    <div class="value" id="count-failures">{{ n_failures }}</div></div>
</div>

<h2>Funnel</h2>
<p class="muted">Speech minutes still in the data at each stage (bar width), videos that reached
it, and the share of the downloaded minutes kept.</p>
{{ svg | safe }}

<h2>Yield per stage</h2>
<table id="stage-yield">
<tr><th>stage</th><th>videos</th><th>rows</th><th>minutes</th>
<th>kept from previous</th><th>kept from download</th></tr>
{% for s in funnel %}<tr data-stage="{{ s.stage }}"><td>{{ s.label }}</td>
<td class="num">{{ s.videos }}</td><td class="num">{{ s.rows }}</td>
<td class="num">{{ "%.1f" | format(s.minutes) }}</td>
<td class="num">{{ previous[loop.index0] }}</td>
<td class="num">{{ "%.1f%%" | format(100 * s.share_of_start) }}</td></tr>
{% endfor %}</table>
{% if lists %}
<h3>Per video list</h3>
<table id="list-yield"><tr><th>list</th><th>videos downloaded</th><th>minutes downloaded</th>
<th>pairs</th><th>minutes in pairs</th></tr>
{% for l in lists %}<tr><td>{{ l.list_file }}</td><td class="num">{{ l.videos }}</td>
<td class="num">{{ "%.1f" | format(l.minutes) }}</td><td class="num">{{ l.pairs }}</td>
<td class="num">{{ "%.1f" | format(l.pair_minutes) }}</td></tr>{% endfor %}</table>
{% endif %}

<h2>Where videos stopped</h2>
<table id="stopped"><tr><th>stopped at</th><th>videos</th><th>example reason</th></tr>
{% for s in stopped %}<tr><td>{{ s.stopped_at }}</td><td class="num">{{ s.videos }}</td>
<td>{{ s.reason }}</td></tr>
{% else %}<tr><td colspan="3">No video stopped early.</td></tr>{% endfor %}</table>

<h2>Top rejection reasons</h2>
<table id="rejection-reasons"><tr><th>stage</th><th>rule</th><th>rows</th><th>videos</th></tr>
{% for r in reasons %}<tr><td>{{ r.stage }}</td><td><code>{{ r.rule }}</code></td>
<td class="num">{{ r.n_rows }}</td><td class="num">{{ r.n_videos }}</td></tr>
{% else %}<tr><td colspan="4">Nothing rejected yet.</td></tr>{% endfor %}</table>

<h2>Dataset pairs per split</h2>
<p class="muted">Pairs kept in the training dataset (after deduplication and balancing).</p>
<table id="pair-splits"><tr><th>split</th><th>pairs</th></tr>
{% for split, n in splits.items() %}<tr data-split="{{ split }}"><td>{{ split }}</td>
<td class="num">{{ n }}</td></tr>
{% else %}<tr><td colspan="2">No pairs yet.</td></tr>{% endfor %}</table>

<h2>Open failures</h2>
<table id="failures"><tr><th>asset</th><th>error</th><th>failures</th><th>videos</th>
<th>latest message</th></tr>
{% for f in failures %}<tr><td>{{ f.asset }}</td><td>{{ f.error_type }}</td>
<td class="num">{{ f.n_failures }}</td><td class="num">{{ f.n_videos }}</td>
<td>{{ f.latest_message }}</td></tr>
{% else %}<tr><td colspan="5">No open failures.</td></tr>{% endfor %}</table>

<h2>Reports</h2>
<ul id="report-links">
{% for l in page.quality_reports %}<li><a class="quality-report" href="{{ l.href }}">
{{ l.title }}</a> <span class="muted">{{ l.note }}</span></li>
{% endfor %}{% for l in page.drift_reports %}<li><a class="drift-report" href="{{ l.href }}">
{{ l.title }}</a> <span class="muted">{{ l.note }}</span></li>
{% endfor %}{% if page.dbt_docs %}<li><a id="dbt-docs" href="{{ page.dbt_docs.href }}">
{{ page.dbt_docs.title }}</a> <span class="muted">{{ page.dbt_docs.note }}</span></li>
{% endif %}
</ul>
</body>
</html>
"""


def render_index(page: IndexPage) -> str:
    """The page's HTML."""
    funnel = page.funnel
    previous = [""] + [
        f"{cur.minutes / prev.minutes:.1%}" if prev.minutes > 0 else "–"
        for prev, cur in zip(funnel, funnel[1:], strict=False)
    ]
    reasons = (
        page.rejection_reasons.sort_values(
            ["n_rows", "stage", "rule"], ascending=[False, True, True]
        ).head(page.top_reasons).to_dict("records")
        if not page.rejection_reasons.empty else []
    )
    stopped = []
    if not page.video_funnel.empty:
        early = page.video_funnel[page.video_funnel["stopped_at"].notna()]
        for stage, group in early.groupby("stopped_at", sort=False):
            stopped.append({"stopped_at": stage, "videos": len(group),
                            "reason": group["stop_reason"].dropna().head(1).tolist()[0]
                            if group["stop_reason"].notna().any() else ""})
    lists = []
    if not page.stage_yield.empty:
        per_list = page.stage_yield[page.stage_yield["scope"] == "list"]
        for list_file, group in per_list.groupby("list_file"):
            by_stage = group.set_index("stage")
            lists.append({
                "list_file": list_file,
                "videos": int(by_stage.loc["downloaded", "videos"]),
                "minutes": float(by_stage.loc["downloaded", "minutes"]),
                "pairs": int(by_stage.loc["exported_pairs", "n_rows"]),
                "pair_minutes": float(by_stage.loc["exported_pairs", "minutes"]),
            })
    failures = page.failures_summary.to_dict("records") if not page.failures_summary.empty else []
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE).render(
        page=page,
        funnel=funnel,
        previous=previous,
        svg=funnel_svg(funnel),
        n_videos=len(page.video_funnel),
        n_failures=int(page.failures_summary["n_failures"].sum())
        if not page.failures_summary.empty else 0,
        reasons=reasons,
        stopped=stopped,
        lists=lists,
        splits=pair_counts_by_split(page.pair_quality),
        failures=failures,
    )
