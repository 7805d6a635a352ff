"""Scorer selection (``offline``, ``llm``, ``both``), pass/fail rules and crisis flags.

Pass/fail goes through :mod:`pixel_assets.rules`: every failed threshold is one record in
``reasons`` (``{rule, column, measured, threshold}``). Offline rules read the offline scores;
judge rules read ``judge_*`` columns, and an unusable judge answer fails ``judge_failed``
(column ``judge_ok``). With ``both``, both rule sets apply and both must pass; the reported
scores are then the mean of the two scorers (offline alone where the judge failed). With
``llm``, the reply-content rules (:data:`CONTENT_RULES`: no insult, blaming, invalidation,
change of subject to small talk, stigmatising language, or harmful advice and boundary
violations) still apply: a judge that scores a dismissive or harmful reply well cannot pass
it.

``crisis`` is true when the prompt, the response or any context turn holds a risk disclosure
(:mod:`.crisis`) or the judge flagged one; crisis exchanges go to the review queue whatever
their scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from pixel_assets.rules import Rule, RuleSet
from pixel_assets.validation.crisis import crisis_summary
from pixel_assets.validation.judge import JudgeClient, JudgeVerdict
from pixel_assets.validation.offline import (
    OFFLINE_RUBRIC_VERSION,
    OfflinePenalties,
    content_flags,
    context_texts,
    score_offline,
)
from pixel_assets.validation.schemas import TABLES

Scorer = Literal["offline", "llm", "both"]
SCORE_COLUMNS = ("empathy", "appropriateness", "authenticity", "naturalness", "overall")
EXCHANGE_SCORES_COLUMNS = TABLES[0].columns


@dataclass(frozen=True)
class ScoreThresholds:
    """The bars an exchange must clear (None disables a rule).

    Offline bars were set on crafted replies: empathic reflections score empathy 0.67–1.0,
    a bare question 0.17–0.33, dismissive or insulting replies 0; appropriateness falls below
    0.6 with any one of invalidation, insult, blaming, harmful advice, or two unsolicited
    directives.
    """

    min_empathy: float | None = 0.25
    min_appropriateness: float | None = 0.6
    max_toxicity: float | None = 0.5
    max_unsolicited_directives: float | None = 1
    min_authenticity: float | None = 0.4
    min_naturalness: float | None = 0.4
    min_overall: float | None = 0.5
    judge_min_empathy: float | None = 0.4
    judge_min_appropriateness: float | None = 0.6
    judge_min_overall: float | None = 0.6


CONTENT_RULES = (
    Rule("no_insult", "insult", "false"),
    Rule("no_blaming", "blaming", "false"),
    Rule("no_invalidation", "invalidation", "false"),
    Rule("no_change_of_subject", "change_of_subject", "false"),
    Rule("no_stigma", "stigma", "false"),
    Rule("no_harmful_advice", "harmful_advice", "false"),
)
"""What the reply says (``offline.content_flags``): applied by every scorer, so an LLM judge
that misses an insult, a dismissal or harmful advice cannot pass it."""


def content_rules() -> RuleSet:
    """The reply-content rules alone (the ``llm`` scorer's floor)."""
    return RuleSet.of(list(CONTENT_RULES))


def offline_rules(t: ScoreThresholds) -> RuleSet:
    """The offline scorer's rules, in the order reasons are listed."""
    return RuleSet.of(
        [
            *CONTENT_RULES,
            Rule("max_toxicity", "toxicity", "le", t.max_toxicity),
            Rule("max_unsolicited_directives", "unsolicited_directives", "le",
                 t.max_unsolicited_directives, digits=0),
            Rule("min_empathy", "empathy", "ge", t.min_empathy),
            Rule("min_appropriateness", "appropriateness", "ge", t.min_appropriateness),
            Rule("min_authenticity", "authenticity", "ge", t.min_authenticity),
            Rule("min_naturalness", "naturalness", "ge", t.min_naturalness),
            Rule("min_overall", "overall", "ge", t.min_overall),
        ]
    )


def judge_rules(t: ScoreThresholds) -> RuleSet:
    """The LLM judge's rules; ``judge_failed`` rejects any unusable answer."""
    return RuleSet.of(
        [
            Rule("judge_failed", "judge_ok", "true"),
            Rule("judge_min_empathy", "judge_empathy", "ge", t.judge_min_empathy),
            Rule("judge_min_appropriateness", "judge_appropriateness", "ge",
                 t.judge_min_appropriateness),
            Rule("judge_min_overall", "judge_overall", "ge", t.judge_min_overall),
        ]
    )


@dataclass(frozen=True)
class ScoringOptions:
    """Which scorer runs and its bars.

    Attributes:
        scorer: ``offline`` (default, no service), ``llm`` (the judge), or ``both`` (both
            must pass).
        thresholds: Pass/fail bars.
        penalties: Offline appropriateness penalties.
    """

    scorer: Scorer = "offline"
    thresholds: ScoreThresholds = field(default_factory=ScoreThresholds)
    penalties: OfflinePenalties = field(default_factory=OfflinePenalties)

    def __post_init__(self) -> None:
        if self.scorer not in ("offline", "llm", "both"):
            raise ValueError(
                f"scorer {self.scorer!r} is not one of offline, llm, both (set the validation "
                "resource's scorer)."
            )


def _judge_frame(exchanges: pd.DataFrame, verdicts: Sequence[JudgeVerdict]) -> pd.DataFrame:
    rows = []
    for verdict in verdicts:
        s = verdict.scores
        rows.append(
            {
                "judge_empathy": s.empathy if s else None,
                "judge_appropriateness": s.appropriateness if s else None,
                "judge_authenticity": s.authenticity if s else None,
                "judge_naturalness": s.naturalness if s else None,
                "judge_overall": s.overall if s else None,
                "judge_ok": verdict.ok,
                "judge_crisis": s.crisis if s else None,
                "judge_rationale": s.rationale if s else None,
                "judge_raw": verdict.raw,
                "judge_error": verdict.error,
                "judge_model": verdict.model,
                "judge_cached": verdict.cached,
                "_rubric": verdict.rubric_version,
            }
        )
    frame = pd.DataFrame(rows, index=exchanges.index)
    for column in ("judge_empathy", "judge_appropriateness", "judge_authenticity",
                   "judge_naturalness", "judge_overall"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def score_exchanges(
    exchanges: pd.DataFrame,
    options: ScoringOptions | None = None,
    judge: JudgeClient | None = None,
) -> pd.DataFrame:
    """Score, judge and flag every exchange of a video.

    Args:
        exchanges: ``exchanges`` rows (see :mod:`pixel_assets.dialogue.schemas`).
        options: Scorer choice and thresholds.
        judge: Required for the ``llm`` and ``both`` scorers.

    Returns:
        ``exchange_scores`` rows (one per exchange, same order), with ``passed``, ``reasons``,
        ``crisis``, ``crisis_reason``, ``crisis_text``, ``scorer`` and ``rubric_version``.

    Raises:
        ValueError: a judge scorer without a judge client.
    """
    options = options or ScoringOptions()
    if options.scorer != "offline" and judge is None:
        raise ValueError(
            f"scorer {options.scorer!r} needs a judge: configure the judge resource (base_url, "
            "model) or set the scorer to 'offline'."
        )
    if exchanges.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EXCHANGE_SCORES_COLUMNS})
    frame = exchanges.reset_index(drop=True)
    t = options.thresholds
    if options.scorer == "llm":
        # The offline scores are not used: skip them (and the toxicity model), but not what
        # the reply says, which binds every scorer.
        offline = pd.concat(
            [frame[["exchange_id", "video_id"]].astype(str), content_flags(frame)], axis=1
        )
    else:
        offline = score_offline(frame, options.penalties)
    parts: list[pd.DataFrame] = []
    rubric_versions = [OFFLINE_RUBRIC_VERSION] * len(frame)

    if options.scorer in ("offline", "both"):
        parts.append(offline_rules(t).apply(offline)[["reasons", "passed"]])
    else:
        parts.append(content_rules().apply(offline)[["reasons", "passed"]])
    if options.scorer in ("llm", "both"):
        assert judge is not None
        verdicts = judge.judge_many(frame.to_dict("records"))
        judged = _judge_frame(frame, verdicts)
        parts.append(judge_rules(t).apply(judged)[["reasons", "passed"]])
        judge_version = judged.pop("_rubric")
        rubric_versions = (
            list(judge_version)
            if options.scorer == "llm"
            else [f"{OFFLINE_RUBRIC_VERSION}+{v}" for v in judge_version]
        )
    else:
        judged = pd.DataFrame(index=frame.index)

    out = offline.copy()
    if options.scorer == "llm":
        for column in SCORE_COLUMNS:
            out[column] = judged[f"judge_{column}"]
        for column in ("toxicity", "unsolicited_directives", "relevance"):
            out[column] = pd.Series([None] * len(out), index=out.index, dtype=object)
    elif options.scorer == "both":
        for column in SCORE_COLUMNS:
            judge_values = judged[f"judge_{column}"]
            out[column] = np.where(
                judge_values.isna(), out[column], (out[column] + judge_values) / 2
            ).round(4)
    out = pd.concat([out, judged], axis=1)
    out["reasons"] = [
        [r for part in parts for r in part["reasons"].iloc[i]] for i in range(len(frame))
    ]
    out["passed"] = np.logical_and.reduce([p["passed"].to_numpy(dtype=bool) for p in parts])

    flags = [
        crisis_summary([p, r, *context_texts(c)])
        for p, r, c in zip(frame["prompt_text"], frame["response_text"],
                           frame["context"] if "context" in frame else [None] * len(frame),
                           strict=True)
    ]
    crisis = np.array([f[0] for f in flags], dtype=bool)
    reason = [f[1] for f in flags]
    text = [f[2] for f in flags]
    if "judge_crisis" in out:
        judge_says = out["judge_crisis"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        by_judge = judge_says & ~crisis
        reason = [("judge_flagged" if j else r) for r, j in zip(reason, by_judge, strict=True)]
        text = [("(flagged by the LLM judge)" if j else x) for x, j in zip(text, by_judge,
                                                                           strict=True)]
        crisis = crisis | by_judge
    out["crisis"] = crisis
    out["crisis_reason"] = reason
    out["crisis_text"] = text
    out["scorer"] = options.scorer
    out["rubric_version"] = rubric_versions
    declared = [c for c in EXCHANGE_SCORES_COLUMNS if c in out]
    return out[declared + [c for c in out.columns if c not in declared]]


def judge_failure_rate(scores: pd.DataFrame) -> float | None:
    """Share of exchanges whose judge answer was unusable (None when no judge ran)."""
    if scores.empty or "judge_ok" not in scores or scores["judge_ok"].isna().all():
        return None
    judged = scores["judge_ok"].dropna().astype(bool)
    return float((~judged).mean())


def pass_rate(scores: pd.DataFrame) -> float | None:
    """Share of exchanges that passed (None when there are none)."""
    return None if scores.empty else float(scores["passed"].astype(bool).mean())
