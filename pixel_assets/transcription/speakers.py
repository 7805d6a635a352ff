"""Join ASR words with diarization turns: who said each word, one speaker per transcript row."""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

import numpy as np
import pandas as pd

from pixel_assets.transcription.asr import WordRow, compression_ratio
from pixel_assets.transcription.diarization import SpeakerTurn


def _speaker_for(start: float, end: float, turns: Sequence[SpeakerTurn]) -> str | None:
    """Speaker of the turn overlapping ``start..end`` most, else of the nearest turn."""
    if not turns:
        return None
    starts = np.array([t.start_s for t in turns])
    ends = np.array([t.end_s for t in turns])
    overlap = np.minimum(ends, end) - np.maximum(starts, start)
    best = int(np.argmax(overlap))
    if overlap[best] > 0:
        return turns[best].speaker
    # No overlap (word in a pause, or a zero-length word): distance to the closest turn edge.
    gap = np.maximum(starts - end, start - ends)
    return turns[int(np.argmin(gap))].speaker


def assign_speakers(
    words: Sequence[WordRow] | pd.DataFrame, turns: Sequence[SpeakerTurn]
) -> list[WordRow] | pd.DataFrame:
    """Give every word the speaker whose turn overlaps it most (nearest turn if none overlaps).

    Args:
        words: Word records, or a words DataFrame with ``start_s``/``end_s`` columns.
        turns: Diarization turns of the same video (absolute times).

    Returns:
        Copies of the words (same type as given) with ``speaker`` set; None without turns.
    """
    if isinstance(words, pd.DataFrame):
        out = words.copy()
        out["speaker"] = [
            _speaker_for(float(a), float(b), turns)
            for a, b in zip(out["start_s"], out["end_s"], strict=True)
        ]
        return out
    return [replace(w, speaker=_speaker_for(w.start_s, w.end_s, turns)) for w in words]


def _suffix(i: int) -> str:
    """_a, _b, ... _z, then _26, _27 ... (a segment rarely has more than a few speaker runs)."""
    return f"_{string.ascii_lowercase[i]}" if i < 26 else f"_{i}"


def split_transcripts(
    segment_rows: pd.DataFrame,
    word_rows: pd.DataFrame,
    turns: Sequence[SpeakerTurn] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split transcript rows at speaker changes, and renumber their words to match.

    A segment whose words (in time order) belong to one speaker stays one row with that
    speaker. One spanning a change becomes one row per run of same-speaker words, with
    ``segment_id`` suffixed ``_a``, ``_b``, ... and the original id in ``parent_segment_id``;
    text, start/end, n_words, wpm, confidence and compression_ratio come from the run's words,
    while avg_logprob, no_speech_prob and language (whisper scores the whole clip) are
    inherited. Segments without words keep their row, with the speaker of the turn overlapping
    them most (None without turns).

    Args:
        segment_rows: ``transcript_segments`` rows (one per ASR segment).
        word_rows: ``words`` rows with a ``speaker`` column (see :func:`assign_speakers`).
        turns: Diarization turns, only used for segments without words.

    Returns:
        ``(segments, words)``: new segment rows in time order, and the words with
        ``segment_id`` pointing at the new rows.
    """
    if "speaker" not in word_rows.columns:
        raise ValueError(
            "word_rows has no 'speaker' column; run assign_speakers(words, turns) first."
        )
    words = word_rows.sort_values(["start_s", "end_s"], kind="stable")
    by_segment = {sid: grp for sid, grp in words.groupby("segment_id", sort=False)}
    out_rows: list[dict] = []
    new_ids: dict[int, str] = {}  # word index -> new segment id
    for row in segment_rows.to_dict("records"):
        parent = row.get("parent_segment_id") or row["segment_id"]
        seg_words = by_segment.get(row["segment_id"])
        if seg_words is None or seg_words.empty:
            speaker = _speaker_for(float(row["start_s"]), float(row["end_s"]), turns)
            out_rows.append({**row, "speaker": speaker, "parent_segment_id": parent})
            continue
        speakers = seg_words["speaker"].tolist()
        runs = [0] + [i for i in range(1, len(speakers)) if speakers[i] != speakers[i - 1]]
        bounds = list(pairwise([*runs, len(speakers)]))
        for k, (a, b) in enumerate(bounds):
            run = seg_words.iloc[a:b]
            new_id = row["segment_id"] if len(bounds) == 1 else row["segment_id"] + _suffix(k)
            new_ids.update(dict.fromkeys(run.index, new_id))
            out_rows.append(
                {
                    **row,
                    **_run_fields(row, run),
                    "segment_id": new_id,
                    "speaker": speakers[a],
                    "parent_segment_id": parent,
                }
            )
    segments = pd.DataFrame(out_rows, columns=_columns(segment_rows, out_rows))
    if not segments.empty:
        segments = segments.sort_values(["start_s", "segment_id"], kind="stable")
    words = words.copy()
    if new_ids:
        words["segment_id"] = [
            new_ids.get(i, s) for i, s in zip(words.index, words["segment_id"], strict=True)
        ]
    return segments.reset_index(drop=True), words.reset_index(drop=True)


def split_segments_at_speaker_changes(
    segment_rows: pd.DataFrame,
    word_rows: pd.DataFrame,
    turns: Sequence[SpeakerTurn] = (),
) -> pd.DataFrame:
    """The segment rows of :func:`split_transcripts` (one speaker per row)."""
    return split_transcripts(segment_rows, word_rows, turns)[0]


def _columns(segment_rows: pd.DataFrame, out_rows: list[dict]) -> list[str]:
    cols = list(segment_rows.columns)
    for extra in ("speaker", "parent_segment_id"):
        if extra not in cols:
            cols.append(extra)
    return cols


def _run_fields(row: dict, run: pd.DataFrame) -> dict:
    """Row fields recomputed from one run of same-speaker words."""
    text = " ".join(str(w).strip() for w in run["word"])
    start, end = float(run["start_s"].iloc[0]), float(run["end_s"].iloc[-1])
    n = len(run)
    fields = {
        "text": text,
        "start_s": start,
        "end_s": end,
        "n_words": n,
        "wpm": n * 60.0 / max(end - start, 0.5),  # same 0.5 s floor as asr.words_per_minute
        "compression_ratio": compression_ratio(text),
    }
    if "probability" in run:
        fields["confidence"] = float(run["probability"].mean()) if n else math.nan
    return {k: v for k, v in fields.items() if k in row or k in ("text", "start_s", "end_s")}


def talk_share(turns: Sequence[SpeakerTurn]) -> dict[str, float]:
    """Fraction of total turn time per speaker (sums to 1; empty without turns)."""
    totals: dict[str, float] = {}
    for t in turns:
        totals[t.speaker] = totals.get(t.speaker, 0.0) + max(0.0, t.end_s - t.start_s)
    whole = sum(totals.values())
    return {s: v / whole for s, v in totals.items()} if whole > 0 else {}
