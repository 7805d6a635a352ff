"""``utterance_features``: every per-utterance extractor on one video's kept transcript rows."""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from typing import Protocol

import numpy as np
import pandas as pd

from pixel_assets.features.counselling import counselling_frame
from pixel_assets.features.options import FeatureOptions
from pixel_assets.features.prosody import DISABLED, NO_AUDIO, null_prosody_frame, prosody_frame
from pixel_assets.features.speech import speech_frame
from pixel_assets.features.text import emotion_frame, sentiment_frame, toxicity_scores

KEY_COLUMNS = ("video_id", "segment_id", "speaker", "start_s", "end_s", "n_words", "text")


class Classifier(Protocol):
    """What :func:`extract_utterance_features` needs of an optional text classifier."""

    def classify(self, texts: list[str]) -> pd.DataFrame: ...


def _timed(timings: MutableMapping[str, float] | None, name: str, fn: Callable[[], pd.DataFrame]):
    started = time.perf_counter()
    result = fn()
    if timings is not None:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started
    return result


def _text_features(texts: list[str], options: FeatureOptions) -> pd.DataFrame:
    counselling = counselling_frame(texts, options)
    frame = pd.concat([sentiment_frame(texts), emotion_frame(texts), counselling], axis=1)
    frame["toxicity"] = np.clip(toxicity_scores(texts), 0.0, 1.0)
    return frame


def extract_utterance_features(
    transcripts: pd.DataFrame,
    words: pd.DataFrame,
    audio: np.ndarray | None,
    sample_rate: int,
    options: FeatureOptions | None = None,
    classifiers: tuple[Classifier, ...] = (),
    timings: MutableMapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per-utterance features of one video.

    Args:
        transcripts: ``filtered_transcripts`` rows of the video (``video_id``, ``segment_id``,
            ``speaker``, ``start_s``, ``end_s``, ``n_words``, ``text``).
        words: The video's ``words`` rows (``segment_id``, ``start_s``, ``end_s``); may be
            empty (speech rate then falls back to segment bounds).
        audio: The video's mono audio (``data/audio/<video_id>/audio.flac``), or None to skip
            prosody (every prosody column null, reason ``no_audio``).
        sample_rate: Rate of ``audio`` (16000 from ingest).
        options: Which extractors run and their thresholds.
        classifiers: Loaded optional classifiers; each adds its ``clf_<label>`` columns.
        timings: When given, seconds spent per extractor are added to it (``text``, ``speech``,
            ``prosody``, ``classifier``).

    Returns:
        One row per transcript row in time order, with the columns of
        :class:`pixel_assets.features.schemas.UtteranceFeatures` (extractors switched off leave
        theirs out; the table stores them as nulls) plus ``clf_*`` columns.

    Raises:
        KeyError: ``transcripts`` lacks a key column (named, with the fix).
    """
    options = options or FeatureOptions()
    missing = [c for c in KEY_COLUMNS if c not in transcripts.columns]
    if missing:
        raise KeyError(
            f"utterance features: transcripts lacks columns {missing}; pass the "
            "filtered_transcripts table of the video."
        )
    base = (
        transcripts.loc[:, list(KEY_COLUMNS)]
        .sort_values(["start_s", "segment_id"], kind="stable")
        .reset_index(drop=True)
    )
    base["text"] = base["text"].fillna("").astype(str)
    texts = base["text"].tolist()
    parts = [base]
    if options.text:
        parts.append(_timed(timings, "text", lambda: _text_features(texts, options)))
    if options.speech:
        parts.append(_timed(timings, "speech", lambda: speech_frame(base, words, options)))
    if options.prosody and audio is not None:
        parts.append(
            _timed(timings, "prosody", lambda: prosody_frame(base, audio, sample_rate, options))
        )
    else:
        parts.append(null_prosody_frame(len(base), NO_AUDIO if options.prosody else DISABLED))
    for classifier in classifiers:
        parts.append(_timed(timings, "classifier", lambda c=classifier: c.classify(texts)))
    frame = pd.concat(parts, axis=1)
    for column in ("is_question", "invalidation"):
        if column in frame:
            frame[column] = frame[column].astype("boolean")
    return frame
