"""``speaker_profiles``: one row per (video, diarized speaker), aggregated from
``utterance_features`` and joined to the ``speakers`` table (voice print, diarized talk time).

Time-based figures use the kept utterances (what later stages see): ``talk_time_s`` is the sum
of their durations and ``talk_share`` its share of the video's attributed talk time (sums to 1
per video). ``diarized_talk_share`` keeps the diarizer's own share over all turns. Utterances
without a speaker are left out; a diarized speaker without kept utterances gets a row with
zero talk time and null averages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pixel_assets.features.schemas import SPEAKER_PROFILES
from pixel_assets.features.text import EMOTIONS, NO_EMOTION

VOICE_PRINT_TABLE = "speakers"


def voice_print_ref(video_id: str, speaker: str) -> str:
    """Pointer to a speaker's row (and voice print) in the ``speakers`` table:
    ``speakers/<video_id>/<speaker>``; join on ``(video_id, speaker)``."""
    return f"{VOICE_PRINT_TABLE}/{video_id}/{speaker}"


def _weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna() & weights.notna() & (weights > 0)
    if not ok.any():
        return float("nan")
    return float(np.average(values[ok], weights=weights[ok]))


def _share(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else float("nan")


def _profile(group: pd.DataFrame) -> dict[str, float | int | str]:
    """Aggregates of one speaker's utterances."""
    duration = (group["end_s"] - group["start_s"]).clip(lower=0)
    talk = float(duration.sum())
    n_words = int(group["n_words"].sum())
    row: dict[str, float | int | str] = {
        "talk_time_s": talk,
        "n_utterances": len(group),
        "n_words": n_words,
        "words_per_minute": n_words * 60.0 / talk if talk > 0 else float("nan"),
    }
    if "question_type" in group:
        row["question_rate"] = _share(group["question_type"].isin(["open", "closed"]))
        row["open_question_rate"] = _share(group["question_type"] == "open")
    if "mi_code" in group:
        for code in ("reflection", "affirmation", "advice"):
            row[f"{code}_rate"] = _share(group["mi_code"] == code)
    if "invalidation" in group:
        row["invalidation_rate"] = _share(group["invalidation"].fillna(False).astype(bool))
    for column, target in (("empathy", "mean_empathy"), ("toxicity", "mean_toxicity"),
                           ("sentiment", "sentiment_mean")):
        if column in group:
            row[target] = float(group[column].mean())
    if "sentiment" in group:
        row["sentiment_std"] = float(group["sentiment"].std(ddof=0)) if len(group) else np.nan
    emotion_columns = [f"emotion_{e}" for e in EMOTIONS]
    if all(c in group for c in emotion_columns):
        # Weight by emotion-bearing words so a one-word "Sorry." does not count like a speech.
        weights = group.get("n_emotion_words", pd.Series(1, index=group.index)).astype(float)
        means = [_weighted_mean(group[c], weights) for c in emotion_columns]
        for column, value in zip(emotion_columns, means, strict=True):
            row[column] = 0.0 if np.isnan(value) else value
        best = int(np.argmax(means)) if not all(np.isnan(means)) else -1
        row["dominant_emotion"] = (
            EMOTIONS[best] if best >= 0 and np.nanmax(means) > 0 else NO_EMOTION
        )
    if "f0_mean_hz" in group:
        voiced = group.get("voiced_s", pd.Series(1.0, index=group.index)).astype(float)
        row["f0_mean_hz"] = _weighted_mean(group["f0_mean_hz"], voiced)
        row["f0_std_hz"] = _weighted_mean(group["f0_std_hz"], voiced)
        row["null_prosody_share"] = _share(group["f0_mean_hz"].isna())
    for column in ("speech_rate_wps", "articulation_rate_wps", "filler_rate"):
        if column in group:
            row[column] = _weighted_mean(group[column], group["n_words"].astype(float))
    return row


def speaker_profiles(features: pd.DataFrame, speakers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Profiles of each speaker in each video of ``features``.

    Args:
        features: ``utterance_features`` rows (one or more videos).
        speakers: ``speakers`` rows (``video_id``, ``speaker``, ``talk_share``, ``speech_s``,
            ``embedding``) of the same videos, or None. Its speakers all get a row.

    Returns:
        The ``speaker_profiles`` columns, sorted by video and talk time (largest first).

    Raises:
        KeyError: a required column is missing.
    """
    needed = ("video_id", "speaker", "start_s", "end_s", "n_words")
    missing = [c for c in needed if c not in features.columns]
    if missing:
        raise KeyError(f"speaker_profiles: features lacks columns {missing}.")
    attributed = features[features["speaker"].notna()]
    rows = [
        {"video_id": str(video), "speaker": str(speaker), **_profile(group)}
        for (video, speaker), group in attributed.groupby(["video_id", "speaker"], sort=True)
    ]
    profiles = pd.DataFrame(rows)
    if speakers is not None and not speakers.empty:
        listed = speakers.assign(
            video_id=speakers["video_id"].astype(str), speaker=speakers["speaker"].astype(str)
        )
        if not {"video_id", "speaker"} <= set(listed.columns):
            raise KeyError("speaker_profiles: speakers lacks video_id/speaker columns.")
        extra = pd.DataFrame(
            {
                "video_id": listed["video_id"],
                "speaker": listed["speaker"],
                "diarized_talk_share": listed.get("talk_share"),
                "diarized_speech_s": listed.get("speech_s"),
                "_has_print": listed["embedding"].map(_has_vector)
                if "embedding" in listed
                else False,
            }
        )
        key = ["video_id", "speaker"]
        profiles = (
            extra.merge(profiles, on=key, how="outer")
            if not profiles.empty
            else extra
        )
    else:
        profiles["_has_print"] = False
    if profiles.empty:
        return SPEAKER_PROFILES.empty_frame()
    profiles["talk_time_s"] = profiles.get("talk_time_s", 0.0)
    profiles["talk_time_s"] = profiles["talk_time_s"].fillna(0.0)
    for column in ("n_utterances", "n_words"):
        profiles[column] = profiles.get(column, 0)
        profiles[column] = profiles[column].fillna(0).astype(np.int64)
    totals = profiles.groupby("video_id")["talk_time_s"].transform("sum")
    profiles["talk_share"] = np.where(totals > 0, profiles["talk_time_s"] / totals, 0.0)
    profiles["voice_print_ref"] = [
        voice_print_ref(v, s) if has else None
        for v, s, has in zip(
            profiles["video_id"], profiles["speaker"], profiles["_has_print"].fillna(False),
            strict=True,
        )
    ]
    profiles = profiles.drop(columns="_has_print")
    if "words_per_minute" not in profiles:  # only speakers without kept utterances
        profiles["words_per_minute"] = np.nan
    return profiles.sort_values(
        ["video_id", "talk_time_s", "speaker"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)


def _has_vector(value: object) -> bool:
    if value is None:
        return False
    try:
        return len(value) > 0  # type: ignore[arg-type]
    except TypeError:
        return False
