"""Exchanges: a client turn followed by the counsellor's reply, with context and features.

``exchange_id`` is a stable hash of the video and the two turns' content and timing (see
:func:`exchange_id`), so re-materialising a video with the same transcript gives the same ids
and review decisions stay attached; a changed transcript gives new ids (and a new review).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
import pandas as pd

from pixel_assets.dialogue.schemas import TABLES

EXCHANGE_COLUMNS = TABLES[1].columns
_EMOTIONS = ("anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise", "trust")
_YOUTUBE_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
# Mean per-turn response features: exchanges column -> utterance_features column.
_MEAN_FEATURES = {
    "response_empathy": "empathy",
    "response_toxicity": "toxicity",
    "response_invalidation": "invalidation",
    "response_speech_rate_wps": "speech_rate_wps",
    "response_filler_rate": "filler_rate",
}


@dataclass(frozen=True)
class ExchangeOptions:
    """How exchanges are built.

    Attributes:
        context_turns: How many turns before the prompt are kept as context (k).
    """

    context_turns: int = 4

    def __post_init__(self) -> None:
        if self.context_turns < 0:
            raise ValueError(
                f"ExchangeOptions.context_turns must be >= 0, got {self.context_turns}."
            )


def exchange_id(
    video_id: str, prompt_text: str, response_text: str, response_start_s: float
) -> str:
    """Stable 20-hex-digit id of an exchange (video, both texts, response start to 0.1 s)."""
    key = "\x1f".join(
        [
            video_id,
            " ".join(prompt_text.lower().split()),
            " ".join(response_text.lower().split()),
            f"{round(float(response_start_s), 1):.1f}",
        ]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def youtube_id(url: str | None) -> str | None:
    """The 11-character video id of a YouTube URL (watch, youtu.be, shorts, embed, live)."""
    if not url:
        return None
    parsed = urlparse(url if "://" in url else f"https://{url}")
    host = (parsed.hostname or "").lower()
    if not any(host == h or host.endswith("." + h) for h in _YOUTUBE_HOSTS):
        return None
    if host.endswith("youtu.be"):
        candidate = parsed.path.strip("/").split("/")[0]
    else:
        candidate = parse_qs(parsed.query).get("v", [""])[0]
        parts = [p for p in parsed.path.split("/") if p]
        if not candidate and len(parts) >= 2 and parts[0] in ("shorts", "embed", "live", "v"):
            candidate = parts[1]
    return candidate if _YOUTUBE_ID.match(candidate or "") else None


def deep_link(url: str | None, start_s: float) -> str | None:
    """A link to the moment: ``https://www.youtube.com/watch?v=ID&t=123s`` for YouTube, the
    source URL itself otherwise (no portable way to seek), None without a URL."""
    video = youtube_id(url)
    if video:
        return f"https://www.youtube.com/watch?v={video}&t={max(int(math.floor(start_s)), 0)}s"
    return url or None


def _turn_features(
    turns: pd.DataFrame, features: pd.DataFrame | None, embeddings: pd.DataFrame | None
) -> dict[int, dict[str, Any]]:
    """Per turn index: word-weighted feature means, emotion, codes and segment embeddings.

    One grouped pass over the video's feature rows (not one per turn): the bench builds 10k
    exchanges in seconds this way.
    """
    out: dict[int, dict[str, Any]] = {int(i): {} for i in turns["turn_index"]}
    segment_turn = {
        str(seg): int(index)
        for index, segs in zip(turns["turn_index"], turns["segment_ids"], strict=True)
        for seg in list(segs if segs is not None else [])
    }
    if features is not None and not features.empty and "segment_id" in features:
        turn_of = features["segment_id"].astype(str).map(segment_turn)
        f = features[turn_of.notna()]
        turn = turn_of[turn_of.notna()].astype(int)
        weight = (
            pd.to_numeric(f["n_words"], errors="coerce").fillna(1).clip(lower=1)
            if "n_words" in f
            else pd.Series(1.0, index=f.index)
        )
        numeric = [c for c in ("sentiment", *_MEAN_FEATURES.values()) if c in f]
        numeric += [f"emotion_{e}" for e in _EMOTIONS if f"emotion_{e}" in f]
        if numeric:
            values = f[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
            weights = values.notna().mul(weight, axis=0)
            sums = values.fillna(0).mul(weight, axis=0).groupby(turn).sum()
            means = sums / weights.groupby(turn).sum().replace(0, np.nan)
            means = means.astype(object).where(means.notna(), None)
            for index, row in means.iterrows():
                out[int(index)].update(row.to_dict())
        emotion_columns = [c for c in numeric if c.startswith("emotion_")]
        if emotion_columns:
            shares = means[emotion_columns].astype(float)
            best = shares.fillna(-1).to_numpy().argmax(axis=1)
            top = shares.max(axis=1)
            for index, column, value in zip(shares.index, best, top, strict=True):
                if value > 0:
                    out[int(index)]["emotion"] = emotion_columns[column].removeprefix("emotion_")
        elif "dominant_emotion" in f:
            for index, mode in f["dominant_emotion"].groupby(turn).agg(
                lambda x: x.mode().iloc[0] if x.notna().any() else None
            ).items():
                out[int(index)]["emotion"] = mode
        for column in ("mi_code", "question_type"):
            if column in f:
                # The code carried by most words of the turn.
                totals = weight.groupby([turn, f[column]]).sum()
                for (index, code) in totals.groupby(level=0).idxmax():
                    out[int(index)][column] = str(code)
    if embeddings is not None and not embeddings.empty and "segment_id" in embeddings:
        e = embeddings[embeddings["segment_id"].astype(str).isin(segment_turn)]
        for seg, vector in zip(e["segment_id"].astype(str), e["embedding"], strict=True):
            if vector is None:
                continue
            values = out[segment_turn[seg]]
            values.setdefault("_vectors", []).append(np.asarray(vector, dtype=np.float32))
    return out


def _cosine(a: list[np.ndarray] | None, b: list[np.ndarray] | None) -> float | None:
    if not a or not b:
        return None
    u, v = np.mean(a, axis=0), np.mean(b, axis=0)
    norm = float(np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.clip(np.dot(u, v) / norm, -1.0, 1.0)) if norm else None


def build_exchanges(
    turns: pd.DataFrame,
    video: Mapping[str, Any] | None = None,
    features: pd.DataFrame | None = None,
    embeddings: pd.DataFrame | None = None,
    options: ExchangeOptions | None = None,
) -> pd.DataFrame:
    """Every client turn directly followed by a counsellor turn becomes one exchange.

    Args:
        turns: ``dialogue_turns`` of one video (with roles and ``conversation_type``). Only a
            ``two_party`` conversation yields exchanges.
        video: The video's ``videos`` row (``source_url``/``webpage_url``, ``title``,
            ``channel``, ``upload_date``); None leaves those columns and the link empty.
        features: ``utterance_features`` rows of the video (optional): the prompt's emotion
            and sentiment and the response's empathy, toxicity, invalidation, MI code,
            question type, speech rate and filler rate (word-weighted over the turn's segments).
        embeddings: ``utterance_embeddings`` rows (optional): ``similarity`` is the cosine of
            the prompt's and the response's mean segment embeddings.
        options: Context length.

    Returns:
        ``exchanges`` rows (columns of :class:`pixel_assets.dialogue.schemas.Exchanges`).
    """
    options = options or ExchangeOptions()
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in EXCHANGE_COLUMNS})
    if turns.empty:
        return empty
    kinds = set(turns["conversation_type"]) if "conversation_type" in turns else {"two_party"}
    if kinds != {"two_party"}:
        return empty
    video = dict(video or {})
    url = video.get("webpage_url") or video.get("source_url")
    ordered = turns.sort_values("turn_index").reset_index(drop=True)
    per_turn = _turn_features(ordered, features, embeddings)
    has_ids = "global_speaker_id" in ordered
    records = ordered.to_dict("records")
    rows = []
    for i in range(len(records) - 1):
        prompt, response = records[i], records[i + 1]
        if prompt["role"] != "client" or response["role"] != "counsellor":
            continue
        if not str(prompt["text"]).strip() or not str(response["text"]).strip():
            continue
        before = records[max(0, i - options.context_turns) : i]
        p_feat = per_turn.get(int(prompt["turn_index"]), {})
        r_feat = per_turn.get(int(response["turn_index"]), {})
        row = {
            "exchange_id": exchange_id(
                str(prompt["video_id"]), prompt["text"], response["text"], response["start_s"]
            ),
            "video_id": str(prompt["video_id"]),
            "prompt_turn_index": int(prompt["turn_index"]),
            "response_turn_index": int(response["turn_index"]),
            "prompt_speaker": prompt["speaker"],
            "response_speaker": response["speaker"],
            "prompt_global_speaker_id": prompt["global_speaker_id"] if has_ids else None,
            "response_global_speaker_id": response["global_speaker_id"] if has_ids else None,
            "prompt_text": str(prompt["text"]),
            "response_text": str(response["text"]),
            "context": [
                {
                    "turn_index": int(t["turn_index"]),
                    "speaker": t["speaker"],
                    "role": t["role"],
                    "text": str(t["text"]),
                }
                for t in before
            ],
            "prompt_start_s": float(prompt["start_s"]),
            "prompt_end_s": float(prompt["end_s"]),
            "response_start_s": float(response["start_s"]),
            "response_end_s": float(response["end_s"]),
            "deep_link": deep_link(url, float(prompt["start_s"])),
            "title": video.get("title"),
            "channel": video.get("channel"),
            "upload_date": None if video.get("upload_date") is None else str(
                video.get("upload_date")
            ),
            "prompt_emotion": p_feat.get("emotion"),
            "prompt_sentiment": p_feat.get("sentiment"),
            "response_mi_code": r_feat.get("mi_code"),
            "response_question_type": r_feat.get("question_type"),
            "response_confidence": _none_if_nan(response.get("confidence")),
            "similarity": _cosine(p_feat.get("_vectors"), r_feat.get("_vectors")),
        }
        for column, source in _MEAN_FEATURES.items():
            row[column] = r_feat.get(source)
        rows.append(row)
    if not rows:
        return empty
    return pd.DataFrame(rows)[list(EXCHANGE_COLUMNS)]


def _none_if_nan(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number
