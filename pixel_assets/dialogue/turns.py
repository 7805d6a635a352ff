"""Speaker turns: consecutive kept transcript segments of one speaker merged into one turn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

SEGMENT_COLUMNS = ("video_id", "segment_id", "start_s", "end_s", "speaker", "text")
TURN_COLUMNS = (
    "video_id",
    "turn_index",
    "speaker",
    "global_speaker_id",
    "start_s",
    "end_s",
    "text",
    "segment_ids",
    "n_words",
    "confidence",
)


@dataclass(frozen=True)
class TurnOptions:
    """How segments become turns.

    Attributes:
        max_gap_s: Two consecutive segments of the same speaker are one turn when the silence
            between them is at most this long. Longer silences start a new turn, because in a
            session a long pause usually means the speaker yielded and the other said nothing
            audible (a filtered-out "mm-hm").
    """

    max_gap_s: float = 3.0

    def __post_init__(self) -> None:
        if self.max_gap_s < 0:
            raise ValueError(f"TurnOptions.max_gap_s must be >= 0, got {self.max_gap_s}.")


def build_turns(
    segments: pd.DataFrame,
    options: TurnOptions | None = None,
    global_speaker_ids: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Merge consecutive segments of one speaker into turns.

    Args:
        segments: Kept transcript segments of one video (``filtered_transcripts``): at least
            ``video_id, segment_id, start_s, end_s, speaker, text``; ``n_words`` and
            ``confidence`` are used when present (confidence is averaged weighted by words).
        options: The maximum gap inside a turn.
        global_speaker_ids: Optional ``speaker -> global_speaker_id`` (cross-video identity).

    Returns:
        One row per turn in time order with :data:`TURN_COLUMNS` (no roles yet; see
        :func:`pixel_assets.dialogue.roles.assign_roles`).

    Raises:
        ValueError: a required column is missing or the frame holds several videos.
    """
    options = options or TurnOptions()
    missing = [c for c in SEGMENT_COLUMNS if c not in segments.columns]
    if missing:
        raise ValueError(
            f"build_turns: segments lack columns {missing}; pass the filtered_transcripts rows "
            "of one video."
        )
    if segments.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TURN_COLUMNS})
    videos = segments["video_id"].unique()
    if len(videos) != 1:
        raise ValueError(f"build_turns: expected one video's segments, got {list(videos)}.")
    video_id = str(videos[0])
    ordered = segments.sort_values(["start_s", "end_s"], kind="stable").reset_index(drop=True)
    texts = ordered["text"].fillna("").astype(str).str.strip()
    n_words = (
        pd.to_numeric(ordered["n_words"], errors="coerce")
        if "n_words" in ordered
        else texts.str.split().str.len()
    ).fillna(0)
    confidence = (
        pd.to_numeric(ordered["confidence"], errors="coerce")
        if "confidence" in ordered
        else pd.Series(np.nan, index=ordered.index)
    )
    speakers = ordered["speaker"].astype(object).where(ordered["speaker"].notna(), None)

    rows: list[dict] = []
    current: dict | None = None
    for i in range(len(ordered)):
        speaker = speakers.iloc[i]
        start, end = float(ordered["start_s"].iloc[i]), float(ordered["end_s"].iloc[i])
        same = (
            current is not None
            and current["speaker"] == speaker
            and start - current["end_s"] <= options.max_gap_s
        )
        if not same:
            current = {
                "speaker": speaker,
                "start_s": start,
                "end_s": end,
                "texts": [],
                "segment_ids": [],
                "words": [],
                "conf": [],
            }
            rows.append(current)
        assert current is not None
        current["end_s"] = max(current["end_s"], end)
        if texts.iloc[i]:
            current["texts"].append(texts.iloc[i])
        current["segment_ids"].append(str(ordered["segment_id"].iloc[i]))
        current["words"].append(float(n_words.iloc[i]))
        current["conf"].append(float(confidence.iloc[i]))

    out = []
    for index, turn in enumerate(rows):
        words = np.asarray(turn["words"])
        conf = np.asarray(turn["conf"])
        known = ~np.isnan(conf)
        weights = np.where(words[known] > 0, words[known], 1.0)
        mean_conf = float(np.average(conf[known], weights=weights)) if known.any() else None
        speaker = turn["speaker"]
        out.append(
            {
                "video_id": video_id,
                "turn_index": index,
                "speaker": speaker,
                "global_speaker_id": (global_speaker_ids or {}).get(speaker) if speaker else None,
                "start_s": turn["start_s"],
                "end_s": turn["end_s"],
                "text": " ".join(turn["texts"]),
                "segment_ids": turn["segment_ids"],
                "n_words": int(words.sum()),
                "confidence": mean_conf,
            }
        )
    return pd.DataFrame(out, columns=list(TURN_COLUMNS))
