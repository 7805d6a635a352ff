"""The offline exchange scorer: no model service, only the feature tables and text rules.

Every score is 0..1. The markers are described in :mod:`pixel_assets.dialogue.markers`.

**empathy** — EPITOME-style (emotional reaction, interpretation, exploration; each level
0/1/2) read from the response: ``(ER + IP + EX) / 6``. When the feature table measured the
response's ``empathy`` (``response_empathy``), the score is the mean of the two.

**appropriateness** — starts at 1 and loses, clipped at 0:

==============================  =======  ===================================================
penalty                         weight   measured as
==============================  =======  ===================================================
toxicity                        0.8 × p  ``response_toxicity`` or alt-profanity-check p(1)
invalidation / minimising       0.5      marker, or ``response_invalidation`` ≥ 0.5
change of subject               0.5      small talk the client never raised (:mod:`.deflection`)
harmful advice                  0.8      advice or a boundary violation (:mod:`.harmful_advice`)
insult                          0.6      marker ("you're pathetic", "shut up")
blaming                         0.5      marker ("it's your own fault")
stigmatising language           0.4      marker ("crazy", "committed suicide")
unsolicited directive           0.2 each directives when the prompt did not ask for advice
==============================  =======  ===================================================

**authenticity** (a real answer to this prompt) — ``0.5·relevance + 0.3·confidence +
0.2·length``: relevance maps the prompt/response embedding cosine ``similarity`` linearly from
0.05 (unrelated, 0) to 0.40 (on topic, 1), 0.5 when not measured; confidence is the ASR word
confidence of the response (0.7 when unknown); length is 1 for 3–150 words, 0.3 for one or two
words ("okay"), falling to 0.5 at 300 words (a lecture, not a reply).

**naturalness** (sounds like spoken conversation, cleanly transcribed) — ``0.4·rate +
0.3·fluency + 0.3·confidence``: rate is 1 for 1.5–4.0 words/s and falls linearly to 0 at 0.8
and 5.5 words/s; fluency is ``1 − filler_rate/0.15`` (fillers per word); unknown parts count
0.7.

**overall** — ``0.35·empathy + 0.35·appropriateness + 0.15·authenticity + 0.15·naturalness``.

Pass/fail is decided by :mod:`pixel_assets.validation.scoring` through the rules engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pixel_assets.dialogue.markers import TextMarkers, text_markers
from pixel_assets.validation.deflection import changed_subject
from pixel_assets.validation.harmful_advice import harmful_advice

# Bumped when a rule, weight or penalty changes what passes, so that scores made under the
# old rules can be told apart ("offline-v2": the change-of-subject and harmful-advice rules
# and the red-teamed lexicon of 2026-11-27).
OFFLINE_RUBRIC_VERSION = "offline-v2"

WEIGHTS_OVERALL = {"empathy": 0.35, "appropriateness": 0.35, "authenticity": 0.15,
                   "naturalness": 0.15}


@dataclass(frozen=True)
class OfflinePenalties:
    """Appropriateness penalties (see the module docstring)."""

    toxicity: float = 0.8
    invalidation: float = 0.5
    change_of_subject: float = 0.5
    harmful_advice: float = 0.8
    insult: float = 0.6
    blaming: float = 0.5
    stigma: float = 0.4
    per_directive: float = 0.2


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def _toxicity(frame: pd.DataFrame) -> pd.Series:
    measured = _column(frame, "response_toxicity")
    missing = measured.isna()
    if missing.any():
        from profanity_check import predict_prob  # the model ships inside the wheel

        texts = frame.loc[missing, "response_text"].fillna("").astype(str).tolist()
        measured.loc[missing] = predict_prob(texts)
    return measured.clip(0, 1)


def context_texts(context: object) -> list[str]:
    """The texts of an exchange's ``context`` turns (a list of turn dicts, or nothing)."""
    if not isinstance(context, (list, tuple, np.ndarray)):
        return []
    return [t["text"] for t in context if isinstance(t, dict) and isinstance(t.get("text"), str)]


def content_flags(
    exchanges: pd.DataFrame, response: list[TextMarkers] | None = None
) -> pd.DataFrame:
    """What the reply says, read without any model: ``invalidation``, ``insult``, ``blaming``
    and ``stigma`` (lexicon markers; ``invalidation`` also from a measured
    ``response_invalidation`` ≥ 0.5), ``change_of_subject`` (small talk that neither the
    prompt nor the rest of the reply raised) and ``harmful_advice`` (advice or a boundary
    violation, read with the prompt and the ``context`` turns). Every scorer applies these,
    the LLM judge's too.

    ``response``: the replies' markers when the caller has them already (one per row).
    """
    frame = exchanges.reset_index(drop=True)
    if response is None:
        response = [text_markers(t) for t in frame["response_text"].fillna("")]
    contexts = frame["context"] if "context" in frame else [None] * len(frame)
    return pd.DataFrame(
        {
            "invalidation": np.array([m.invalidation for m in response], dtype=bool)
            | (_column(frame, "response_invalidation").fillna(0).to_numpy() >= 0.5),
            "insult": np.array([m.insult for m in response], dtype=bool),
            "blaming": np.array([m.blaming for m in response], dtype=bool),
            "stigma": np.array([m.stigma for m in response], dtype=bool),
            "change_of_subject": np.array(
                [
                    changed_subject(prompt, reply) is not None
                    for prompt, reply in zip(
                        frame["prompt_text"].fillna(""),
                        frame["response_text"].fillna(""),
                        strict=True,
                    )
                ],
                dtype=bool,
            ),
            "harmful_advice": np.array(
                [
                    harmful_advice(reply, [prompt, *context_texts(context)]) is not None
                    for prompt, reply, context in zip(
                        frame["prompt_text"], frame["response_text"], contexts, strict=True
                    )
                ],
                dtype=bool,
            ),
        }
    )


def score_offline(
    exchanges: pd.DataFrame, penalties: OfflinePenalties | None = None
) -> pd.DataFrame:
    """Score exchanges from their text and feature columns.

    Args:
        exchanges: ``exchanges`` rows: ``exchange_id``, ``video_id``, ``prompt_text``,
            ``response_text``; the optional feature columns (``response_empathy``,
            ``response_toxicity``, ``response_invalidation``, ``response_confidence``,
            ``response_speech_rate_wps``, ``response_filler_rate``, ``similarity``) are used
            when present.
        penalties: Appropriateness penalty weights.

    Returns:
        One row per exchange: ``exchange_id``, ``video_id``, the four scores and ``overall``,
        and the measurements behind them (``toxicity``, ``invalidation``, ``insult``,
        ``blaming``, ``stigma``, ``change_of_subject``, ``harmful_advice``,
        ``unsolicited_directives``, ``relevance``).
    """
    p = penalties or OfflinePenalties()
    missing = [c for c in ("exchange_id", "video_id", "prompt_text", "response_text")
               if c not in exchanges]
    if missing:
        raise ValueError(f"score_offline: exchanges lack columns {missing}.")
    frame = exchanges.reset_index(drop=True)
    response = [text_markers(t) for t in frame["response_text"].fillna("")]
    asked = np.array([text_markers(t).asks_for_advice for t in frame["prompt_text"].fillna("")],
                     dtype=bool)

    marker_empathy = np.array([m.empathy for m in response], dtype=float)
    feature_empathy = _column(frame, "response_empathy").to_numpy()
    empathy = np.where(np.isnan(feature_empathy), marker_empathy,
                       (marker_empathy + feature_empathy) / 2)

    toxicity = _toxicity(frame).to_numpy()
    flags = content_flags(frame, response)
    invalidation = flags["invalidation"].to_numpy()
    insult = flags["insult"].to_numpy()
    blaming = flags["blaming"].to_numpy()
    stigma = flags["stigma"].to_numpy()
    change_of_subject = flags["change_of_subject"].to_numpy()
    harmful = flags["harmful_advice"].to_numpy()
    directives = np.array([m.directives for m in response], dtype=float)
    unsolicited = np.where(asked, 0.0, directives)
    appropriateness = np.clip(
        1
        - p.toxicity * toxicity
        - p.invalidation * invalidation
        - p.change_of_subject * change_of_subject
        - p.harmful_advice * harmful
        - p.insult * insult
        - p.blaming * blaming
        - p.stigma * stigma
        - p.per_directive * unsolicited,
        0,
        1,
    )

    similarity = _column(frame, "similarity").to_numpy()
    relevance = np.where(np.isnan(similarity), 0.5, np.clip((similarity - 0.05) / 0.35, 0, 1))
    confidence = _column(frame, "response_confidence").fillna(0.7).clip(0, 1).to_numpy()
    words = np.array([m.n_words for m in response], dtype=float)
    length = np.where(words < 3, 0.3,
                      np.where(words <= 150, 1.0, np.clip(1 - (words - 150) / 300, 0.5, 1)))
    authenticity = 0.5 * relevance + 0.3 * confidence + 0.2 * length

    rate = _column(frame, "response_speech_rate_wps").to_numpy()
    rate_score = np.where(
        np.isnan(rate),
        0.7,
        np.clip(np.minimum((rate - 0.8) / 0.7, (5.5 - rate) / 1.5), 0, 1),
    )
    fillers = _column(frame, "response_filler_rate").to_numpy()
    fluency = np.where(np.isnan(fillers), 0.7, np.clip(1 - fillers / 0.15, 0, 1))
    naturalness = 0.4 * rate_score + 0.3 * fluency + 0.3 * confidence

    scores = {
        "empathy": empathy,
        "appropriateness": appropriateness,
        "authenticity": authenticity,
        "naturalness": naturalness,
    }
    overall = sum(WEIGHTS_OVERALL[k] * v for k, v in scores.items())
    return pd.DataFrame(
        {
            "exchange_id": frame["exchange_id"].astype(str),
            "video_id": frame["video_id"].astype(str),
            **{k: np.round(v, 4) for k, v in scores.items()},
            "overall": np.round(overall, 4),
            "toxicity": np.round(toxicity, 4),
            "invalidation": invalidation,
            "insult": insult,
            "blaming": blaming,
            "stigma": stigma,
            "change_of_subject": change_of_subject,
            "harmful_advice": harmful,
            "unsolicited_directives": unsolicited,
            "relevance": np.round(relevance, 4),
        }
    )
