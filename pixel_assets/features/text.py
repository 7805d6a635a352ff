"""Lexicon-based text features: VADER sentiment, NRC emotion shares and a toxicity proxy.

All three are lexicons or small linear models shipped inside their wheels, so they run offline
and in microseconds per utterance:

- sentiment: VADER (``vaderSentiment``), a social-media lexicon with rules for negation,
  intensifiers and punctuation. It reads bereavement words mildly ("My mother passed away in
  the spring" scores positive), so downstream stages should not use it alone for distress.
- emotion: the NRC Word-Emotion Association Lexicon, read from the JSON that ``nrclex`` ships
  (research-use licence: the dataset card must say so). Exact word lookup with a light suffix
  fallback; no negation handling ("not happy" counts ``joy``).
- toxicity: ``alt-profanity-check``'s linear SVM over character/word n-grams, ``predict_prob``;
  it detects profanity and insults, not subtler hostility.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

EMOTIONS: tuple[str, ...] = (
    "anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise", "trust",
)
"""Plutchik's eight basic emotions, as the NRC lexicon labels them."""

NO_EMOTION = "none"
"""``dominant_emotion`` of an utterance without emotion-bearing words."""

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Inflection fallback for words the lexicon lists only in base form ("worries" -> "worry").
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
    ("s", ""), ("ly", ""), ("ness", ""),
)


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def nrc_lexicon() -> dict[str, frozenset[str]]:
    """NRC word → its basic emotions (the ``positive``/``negative`` labels are dropped).

    Raises:
        RuntimeError: ``nrclex`` is not installed or its data file moved.
    """
    try:
        raw = resources.files("nrclex").joinpath("data/nrc_en.json").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise RuntimeError(
            "The NRC emotion lexicon is read from nrclex/data/nrc_en.json: install nrclex "
            "(a core dependency, `uv pip install nrclex`) or disable text features."
        ) from exc
    wanted = set(EMOTIONS)
    lexicon = {}
    for word, labels in json.loads(raw).items():
        emotions = frozenset(label for label in labels if label in wanted)
        if emotions:
            lexicon[word] = emotions
    return lexicon


def _emotions_of(token: str, lexicon: dict[str, frozenset[str]]) -> frozenset[str]:
    found = lexicon.get(token)
    if found is not None:
        return found
    for suffix, replacement in _SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix) + 2:
            found = lexicon.get(token[: -len(suffix)] + replacement)
            if found is not None:
                return found
    return frozenset()


def sentiment_frame(texts: Sequence[str]) -> pd.DataFrame:
    """VADER scores per text.

    Returns:
        Columns ``sentiment`` (compound, -1..1), ``sentiment_pos``, ``sentiment_neg``,
        ``sentiment_neu`` (shares of the text, 0..1).
    """
    analyzer = _vader()
    scores = [analyzer.polarity_scores(t or "") for t in texts]
    return pd.DataFrame(
        {
            "sentiment": [s["compound"] for s in scores],
            "sentiment_pos": [s["pos"] for s in scores],
            "sentiment_neg": [s["neg"] for s in scores],
            "sentiment_neu": [s["neu"] for s in scores],
        },
        dtype=float,
    )


def emotion_frame(texts: Sequence[str]) -> pd.DataFrame:
    """NRC emotion shares per text.

    ``emotion_<e>`` is the share of the text's emotion-bearing words associated with ``e`` (a
    word can carry several emotions, so shares need not sum to 1); all zero without
    emotion-bearing words.

    Returns:
        ``emotion_<e>`` for the eight emotions, ``n_emotion_words`` and ``dominant_emotion``
        (the highest share, ties in :data:`EMOTIONS` order; ``"none"`` without emotion words).
    """
    lexicon = nrc_lexicon()
    counts = np.zeros((len(texts), len(EMOTIONS)), dtype=float)
    bearing = np.zeros(len(texts), dtype=np.int64)
    column = {e: i for i, e in enumerate(EMOTIONS)}
    for row, text in enumerate(texts):
        for token in _TOKEN.findall((text or "").lower()):
            emotions = _emotions_of(token, lexicon)
            if emotions:
                bearing[row] += 1
                for emotion in emotions:
                    counts[row, column[emotion]] += 1
    shares = counts / np.maximum(bearing, 1)[:, None]
    frame = pd.DataFrame(shares, columns=[f"emotion_{e}" for e in EMOTIONS])
    frame["n_emotion_words"] = bearing
    dominant = np.asarray(EMOTIONS, dtype=object)[shares.argmax(axis=1)] if len(texts) else []
    frame["dominant_emotion"] = np.where(bearing > 0, dominant, NO_EMOTION) if len(texts) else []
    return frame


def toxicity_scores(texts: Sequence[str]) -> np.ndarray:
    """Probability (0..1) that each text is profane or insulting (``alt-profanity-check``).

    Raises:
        RuntimeError: ``alt-profanity-check`` is not installed.
    """
    if not len(texts):
        return np.zeros(0, dtype=float)
    try:
        from profanity_check import predict_prob
    except ImportError as exc:
        raise RuntimeError(
            "toxicity needs alt-profanity-check (import profanity_check): install it "
            "(a core dependency) or disable text features."
        ) from exc
    return np.asarray(predict_prob([t or "" for t in texts]), dtype=float)
