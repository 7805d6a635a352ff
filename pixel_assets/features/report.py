"""What the feature assets show in Dagster: a plot, a profile table and the null-prosody check.

Use the PNG as markdown: ``f"![features](data:image/png;base64,{b64encode(png).decode()})"``.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pixel_assets.rules import Rule, RuleSet

PROFILE_TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # (column, header, format)
    ("speaker", "speaker", "{}"),
    ("talk_share", "talk share", "{:.2f}"),
    ("n_utterances", "utterances", "{:d}"),
    ("words_per_minute", "wpm", "{:.0f}"),
    ("question_rate", "questions", "{:.2f}"),
    ("open_question_rate", "open q.", "{:.2f}"),
    ("reflection_rate", "reflections", "{:.2f}"),
    ("mean_empathy", "empathy", "{:.2f}"),
    ("sentiment_mean", "sentiment", "{:+.2f}"),
    ("dominant_emotion", "emotion", "{}"),
    ("f0_mean_hz", "F0 Hz", "{:.0f}"),
    ("speech_rate_wps", "words/s", "{:.2f}"),
)


def _cell(value: object, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    try:
        return fmt.format(int(value) if fmt == "{:d}" else value)
    except (TypeError, ValueError):
        return str(value)


def profiles_markdown(profiles: pd.DataFrame) -> str:
    """A markdown table of speaker profiles (one line per speaker, columns present only)."""
    columns = [c for c in PROFILE_TABLE_COLUMNS if c[0] in profiles.columns]
    if profiles.empty or not columns:
        return "_no speakers_"
    lines = [
        "| " + " | ".join(header for _, header, _ in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for row in profiles.to_dict("records"):
        lines.append("| " + " | ".join(_cell(row[c], fmt) for c, _, fmt in columns) + " |")
    return "\n".join(lines)


def features_plot_png(features: pd.DataFrame, title: str | None = None, max_points: int = 4000
                      ) -> bytes:
    """Sentiment and F0 over time, one colour per speaker (two stacked panels).

    Args:
        features: ``utterance_features`` rows of one video (``start_s``, ``end_s``,
            ``speaker`` and whichever of ``sentiment`` / ``f0_mean_hz`` exist).
        title: Optional title (e.g. the video id).
        max_points: Utterances drawn at most (evenly thinned beyond, so long videos stay small).

    Returns:
        PNG bytes (about 30-60 KB).
    """
    # Object-oriented Agg figure: no pyplot global state, safe in worker threads.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    frame = features
    if len(frame) > max_points:
        frame = frame.iloc[np.linspace(0, len(frame) - 1, max_points).astype(int)]
    mid = (frame["start_s"] + frame["end_s"]) / 2 if len(frame) else pd.Series(dtype=float)
    fig = Figure(figsize=(10, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    top = fig.add_axes((0.07, 0.55, 0.76, 0.36))
    bottom = fig.add_axes((0.07, 0.12, 0.76, 0.36), sharex=top)
    speakers = frame["speaker"].fillna("unknown").astype(str) if len(frame) else pd.Series()
    colours = {s: f"C{i % 10}" for i, s in enumerate(sorted(speakers.unique()))}
    for speaker, colour in colours.items():
        mask = (speakers == speaker).to_numpy()
        for ax, column in ((top, "sentiment"), (bottom, "f0_mean_hz")):
            if column in frame:
                values = pd.to_numeric(frame[column], errors="coerce").to_numpy()[mask]
                ax.plot(mid.to_numpy()[mask], values, "o-", color=colour, ms=3, lw=0.8,
                        label=speaker if ax is top else None)
    top.axhline(0.0, color="0.6", lw=0.6)
    top.set_ylim(-1.05, 1.05)
    top.set_ylabel("sentiment", fontsize=8)
    bottom.set_ylabel("F0 (Hz)", fontsize=8)
    bottom.set_xlabel("seconds", fontsize=8)
    for ax in (top, bottom):
        ax.tick_params(labelsize=7)
    top.tick_params(labelbottom=False)
    if colours:
        top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    if title:
        top.set_title(title, fontsize=9)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def null_prosody_share(features: pd.DataFrame) -> float:
    """Share of utterances whose prosody is null (``nan`` for a video without utterances)."""
    if features.empty:
        return math.nan
    if "f0_mean_hz" not in features:
        return 1.0
    return float(features["f0_mean_hz"].isna().mean())


@dataclass(frozen=True)
class NullProsodyCheck:
    """Outcome of the non-blocking null-prosody check of one video.

    Attributes:
        passed: The share is within the threshold (or there are no utterances).
        null_share: Share of utterances with null prosody.
        threshold: The largest share that passes.
        n_utterances: Utterances looked at.
        by_reason: Null rows per ``prosody_null_reason``.
        reasons: The rule records when the check failed (:mod:`pixel_assets.rules`).
    """

    passed: bool
    null_share: float
    threshold: float
    n_utterances: int
    by_reason: dict[str, int]
    reasons: list[dict[str, str]]


def check_null_prosody(features: pd.DataFrame, max_null_share: float = 0.5) -> NullProsodyCheck:
    """Flag a video where more than ``max_null_share`` of utterances have no prosody.

    Typical causes: music or noise under the speech, whispering, wrong audio for the video.
    """
    share = null_prosody_share(features)
    rule = Rule("max_null_prosody_share", "null_prosody_share", "le", max_null_share)
    judged = RuleSet.of([rule]).apply(pd.DataFrame({"null_prosody_share": [share]}))
    by_reason: dict[str, int] = {}
    if "prosody_null_reason" in features:
        counts = features["prosody_null_reason"].dropna().value_counts()
        by_reason = {str(k): int(v) for k, v in counts.items()}
    return NullProsodyCheck(
        passed=bool(judged["passed"].iloc[0]),
        null_share=share,
        threshold=max_null_share,
        n_utterances=len(features),
        by_reason=by_reason,
        reasons=list(judged["reasons"].iloc[0]),
    )
