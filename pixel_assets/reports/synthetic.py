"""A synthetic warehouse with every stage's tables, for the report tests and the bench.

The corpus is coherent the way a real one is: each stage only keeps (part of) what the previous
stage kept, so the funnel shrinks; a share of videos stops at each place a real video can stop
(download failure, audio QC, a monologue with no exchanges, a pending crisis review). Tables
are written as the pipeline writes them, one Parquet file per partition
(``warehouse/<table>/<column>=<value>/part.parquet``), through :class:`Storage` so the same code
fills a local folder or an S3 prefix. Columns follow the stages' declarations (``schemas.py``
of each stage); reasons use the rules engine's record format.
"""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pixel_assets.warehouse.contract import REASONS_TYPE
from pixel_assets.warehouse.storage import Storage

# Partition column of each table (the folder name's key); per-video tables use video_id.
PARTITION_COLUMNS: dict[str, str] = {
    "video_sources": "list_id",
    "pipeline_failures": "video_asset",
    "stage_status": "video_asset",
    "global_speakers": "corpus",
    "cluster_descriptions": "corpus",
    "speaker_consistency": "corpus",
    "dataset_pairs": "corpus",
    "dropped_pairs": "corpus",
}
_REASON_COLUMNS = ("reasons",)
EMOTIONS = ("sadness", "fear", "anger", "joy", "trust", "anticipation")
SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class SyntheticOptions:
    """Shape of the synthetic corpus.

    Attributes:
        n_videos: Videos in the corpus.
        n_lists: Video lists they come from (``lists/list_<k>.txt``).
        segments_per_video: Kept speech segments of a video that passes QC.
        seed: Random seed; the same options give the same tables.
    """

    n_videos: int = 8
    n_lists: int = 2
    segments_per_video: int = 24
    seed: int = 7


def _reasons(*rules: tuple[str, str, float, float]) -> list[dict[str, str]]:
    return [
        {"rule": r, "column": c, "measured": f"{m:.2f}", "threshold": f"{t:.2f}"}
        for r, c, m, t in rules
    ]


def _hash(*parts: object, n: int = 20) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:n]


def _fate(index: int) -> str:
    """Where video ``index`` stops: one of each kind in every ten videos."""
    return {0: "download_failed", 1: "qc_failed", 2: "monologue", 3: "crisis_pending"}.get(
        index % 10, "complete"
    )


def build_tables(options: SyntheticOptions | None = None) -> dict[str, pd.DataFrame]:
    """All warehouse tables of a synthetic corpus, as frames keyed by table name."""
    options = options or SyntheticOptions()
    rng = np.random.default_rng(options.seed)
    rows: dict[str, list[dict]] = defaultdict(list)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    n_channels = max(1, options.n_videos // 5)

    for index in range(options.n_videos):
        video_id = f"vid{index:05d}"
        list_id = f"list_{index % options.n_lists}"
        list_file = f"lists/{list_id}.txt"
        channel = f"channel_{index % n_channels}"
        fate = _fate(index)
        rows["video_sources"].append(
            {"video_id": video_id, "source_url": f"https://www.youtube.com/watch?v={video_id}",
             "list_file": list_file, "list_id": list_id, "line_number": index + 1,
             "list_title": f"Session {index}"}
        )
        if fate == "download_failed":
            rows["pipeline_failures"].append(
                {"video_id": video_id, "asset": "raw_audio", "error_type": "DownloadError",
                 "message": f"Video {video_id}: HTTP 404", "source_url": None, "run_id": "r1",
                 "failed_at": now + timedelta(minutes=index)}
            )
            rows["stage_status"].append(
                {"video_id": video_id, "asset": "raw_audio", "stage_order": 0,
                 "state": "failed", "error_type": "DownloadError", "reason": "HTTP 404",
                 "updated_at": now}
            )
            continue
        duration = float(rng.uniform(600, 1800))
        rows["videos"].append(
            {"video_id": video_id, "source_url": f"https://www.youtube.com/watch?v={video_id}",
             "title": f"Session {index}", "channel": channel, "uploader": channel,
             "duration_s": duration, "upload_date": f"2025{1 + index % 12:02d}01",
             "license": "cc-by", "list_file": list_file, "list_title": f"Session {index}",
             "ingested_at": now}
        )
        qc_passed = fate != "qc_failed"
        rows["audio_qc"].append(
            {"video_id": video_id, "duration_s": duration, "snr_db": 25.0 if qc_passed else 4.0,
             "speech_ratio": 0.8, "dnsmos_ovrl": 3.1, "passed": qc_passed,
             "reasons": [] if qc_passed else _reasons(("min_snr_db", "snr_db", 4.0, 10.0))}
        )
        if not qc_passed:
            rows["stage_status"].append(
                {"video_id": video_id, "asset": "audio_qc", "stage_order": 1,
                 "state": "stopped", "error_type": None, "reason": "snr_db 4.00 < 10.00",
                 "updated_at": now}
            )
            continue
        _speech_tables(rows, rng, video_id, duration, fate, options, channel, now)

    frames = {name: pd.DataFrame(table_rows) for name, table_rows in rows.items()}
    frames.update(_corpus_tables(frames, rng))
    return frames


def _speech_tables(
    rows: dict[str, list[dict]],
    rng: np.random.Generator,
    video_id: str,
    duration: float,
    fate: str,
    options: SyntheticOptions,
    channel: str,
    now: datetime,
) -> None:
    """Segments through pairs for one video that passed audio QC."""
    n = options.segments_per_video
    speakers = ["SPEAKER_00"] if fate == "monologue" else ["SPEAKER_00", "SPEAKER_01"]
    slot = duration / (n + 2)
    kept_segments = []
    for k in range(n + 2):
        start = k * slot + 0.5
        end = start + slot * float(rng.uniform(0.6, 0.9))
        segment_id = f"{video_id}_{k:04d}"
        record = {"video_id": video_id, "segment_id": segment_id, "segment_index": k,
                  "start_s": start, "end_s": end, "duration_s": end - start}
        if k >= n:  # the last two fail segment QC
            rows["rejected_segments"].append(
                {**record, "passed": False,
                 "reasons": _reasons(("min_dnsmos_ovrl", "dnsmos_ovrl", 2.1, 2.5))}
            )
        else:
            rows["segments"].append({**record, "passed": True, "reasons": []})
            kept_segments.append(record)

    filtered = []
    for k, seg in enumerate(kept_segments):
        speaker = speakers[(k // 2) % len(speakers)]
        text_id = f"{seg['segment_id']}_00"
        record = {"video_id": video_id, "segment_id": text_id,
                  "parent_segment_id": seg["segment_id"], "start_s": seg["start_s"],
                  "end_s": seg["end_s"] - 0.2, "speaker": speaker, "n_words": 20,
                  "confidence": 0.9}
        rows["transcript_segments"].append(record)
        if k % 7 == 6:
            rows["rejected_transcripts"].append(
                {**record, "reasons": _reasons(("min_confidence", "confidence", 0.3, 0.5))}
            )
            continue
        rows["filtered_transcripts"].append(record)
        filtered.append(record)
        rows["utterance_features"].append(
            {"video_id": video_id, "segment_id": text_id, "speaker": speaker,
             "start_s": record["start_s"], "end_s": record["end_s"], "n_words": 20,
             "sentiment": float(rng.uniform(-1, 1)),
             "dominant_emotion": EMOTIONS[int(rng.integers(len(EMOTIONS)))],
             "empathy": float(rng.uniform(0, 1)), "toxicity": float(rng.uniform(0, 0.2)),
             "mi_code": "reflection" if speaker == "SPEAKER_00" else "other",
             "is_question": bool(rng.random() < 0.3),
             "speech_rate_wps": float(rng.normal(2.5, 0.3)),
             "f0_mean_hz": float(rng.normal(180 if speaker == "SPEAKER_00" else 120, 15))}
        )

    for speaker in speakers:
        talk = sum(r["end_s"] - r["start_s"] for r in filtered if r["speaker"] == speaker)
        rows["speakers"].append(
            {"video_id": video_id, "speaker": speaker, "talk_share": 1 / len(speakers),
             "speech_s": talk, "n_turns": n // 2}
        )
        # The counsellor (SPEAKER_00) is the same person across a channel's videos.
        global_id = f"g_{channel}" if speaker == "SPEAKER_00" else f"g_{video_id}_client"
        rows["speaker_links"].append(
            {"video_id": video_id, "speaker": speaker, "global_speaker_id": global_id,
             "link_similarity": 0.93}
        )
        rows["speaker_clusters"].append(
            {"video_id": video_id, "speaker": speaker, "global_speaker_id": global_id,
             "cluster": 0 if speaker == "SPEAKER_00" else 1,
             "distance_to_centroid": float(rng.uniform(0, 2))}
        )

    turns = []
    for record in filtered:
        if turns and turns[-1]["speaker"] == record["speaker"]:
            turns[-1]["end_s"] = record["end_s"]
            turns[-1]["segment_ids"].append(record["segment_id"])
            continue
        role = "other" if fate == "monologue" else (
            "counsellor" if record["speaker"] == "SPEAKER_00" else "client")
        turns.append({"video_id": video_id, "turn_index": len(turns),
                      "speaker": record["speaker"], "role": role, "role_confidence": 0.9,
                      "role_source": "heuristic",
                      "conversation_type": "monologue" if fate == "monologue" else "two_party",
                      "start_s": record["start_s"], "end_s": record["end_s"],
                      "text": "...", "segment_ids": [record["segment_id"]], "n_words": 20})
    rows["dialogue_turns"].extend(turns)

    for prompt, response in zip(turns, turns[1:], strict=False):
        if prompt["role"] != "client" or response["role"] != "counsellor":
            continue
        _exchange(rows, rng, video_id, prompt, response, fate, channel, now)


def _exchange(
    rows: dict[str, list[dict]],
    rng: np.random.Generator,
    video_id: str,
    prompt: dict,
    response: dict,
    fate: str,
    channel: str,
    now: datetime,
) -> None:
    exchange_id = _hash(video_id, prompt["turn_index"], response["turn_index"])
    emotion = EMOTIONS[int(rng.integers(len(EMOTIONS)))]
    rows["exchanges"].append(
        {"exchange_id": exchange_id, "video_id": video_id,
         "prompt_turn_index": prompt["turn_index"],
         "response_turn_index": response["turn_index"],
         "prompt_speaker": prompt["speaker"], "response_speaker": response["speaker"],
         "prompt_global_speaker_id": f"g_{video_id}_client",
         "response_global_speaker_id": f"g_{channel}",
         "prompt_start_s": prompt["start_s"], "prompt_end_s": prompt["end_s"],
         "response_start_s": response["start_s"], "response_end_s": response["end_s"],
         "prompt_emotion": emotion, "response_mi_code": "reflection"}
    )
    scores = {m: float(rng.uniform(0.3, 1.0)) for m in
              ("empathy", "appropriateness", "authenticity", "naturalness")}
    overall = float(np.mean(list(scores.values())))
    passed = overall >= 0.55
    crisis = fate == "crisis_pending" and prompt["turn_index"] <= 1
    rows["exchange_scores"].append(
        {"exchange_id": exchange_id, "video_id": video_id, **scores, "overall": overall,
         "passed": passed, "crisis": crisis,
         "crisis_reason": "suicidal_ideation" if crisis else None,
         "scorer": "offline", "rubric_version": "v1",
         "reasons": [] if passed else _reasons(("min_overall", "overall", overall, 0.55))}
    )
    if crisis:
        rows["review_queue"].append(
            {"exchange_id": exchange_id, "video_id": video_id, "reason": "suicidal_ideation",
             "matched_text": "better off without me", "status": "pending"}
        )
        return
    if not passed:
        return
    pair_id = _hash("pair", exchange_id)
    split = SPLITS[int(hashlib.sha1(channel.encode()).hexdigest(), 16) % 3]
    rows["therapeutic_pairs"].append(
        {"pair_id": pair_id, "video_id": video_id, "exchange_id": exchange_id,
         "split": split, **scores, "overall": overall, "prompt_emotion": emotion,
         "crisis": False, "review_status": "not_required", "mi_code": "reflection",
         "client_global_speaker_id": f"g_{video_id}_client",
         "counsellor_global_speaker_id": f"g_{channel}", "pii_redactions": 0,
         "start_s": prompt["start_s"], "end_s": response["end_s"]}
    )


def _corpus_tables(
    frames: dict[str, pd.DataFrame], rng: np.random.Generator
) -> dict[str, pd.DataFrame]:
    """Corpus-level tables (one partition, ``corpus=all``) derived from the per-video ones."""
    out: dict[str, pd.DataFrame] = {}
    links = frames.get("speaker_links", pd.DataFrame())
    if not links.empty:
        talk = links.merge(frames["speakers"], on=["video_id", "speaker"])
        registry = talk.groupby("global_speaker_id").agg(
            n_videos=("video_id", "nunique"), total_talk_s=("speech_s", "sum"),
            first_video_id=("video_id", "min"),
        ).reset_index()
        registry["name"] = None
        registry["corpus"] = "all"
        out["global_speakers"] = registry
        repeat = talk[talk["global_speaker_id"].map(talk["global_speaker_id"].value_counts()) > 1]
        consistency = repeat[["global_speaker_id", "video_id", "speaker"]].copy()
        consistency["position"] = consistency.groupby("global_speaker_id").cumcount() + 1
        consistency["distance"] = rng.uniform(0, 1.5, len(consistency))
        consistency["flagged"] = consistency["distance"] > 1.2
        consistency["corpus"] = "all"
        out["speaker_consistency"] = consistency
        out["cluster_descriptions"] = pd.DataFrame(
            {"corpus": "all", "cluster": [0, 1], "n_members": [1, 1],
             "description": ["high question rate, high empathy", "long turns, low empathy"]}
        )
    pairs = frames.get("therapeutic_pairs", pd.DataFrame())
    if not pairs.empty:
        dataset = pairs[["pair_id", "video_id", "split", "counsellor_global_speaker_id",
                         "prompt_emotion", "overall"]].copy()
        # Every fifth pair is a near-duplicate of the one before it and is dropped.
        dropped = np.arange(len(dataset)) % 5 == 4
        dataset["kept"] = ~dropped
        dataset["drop_stage"] = np.where(dropped, "dedup", None)
        dataset["corpus"] = "all"
        out["dataset_pairs"] = dataset
        n_dropped = int(dropped.sum())
        out["dropped_pairs"] = pd.DataFrame(
            {"corpus": "all", "pair_id": dataset.loc[dropped, "pair_id"].to_numpy(),
             "video_id": dataset.loc[dropped, "video_id"].to_numpy(), "stage": "dedup",
             "reason": "near-duplicate of a better-scored pair",
             "reasons": [_reasons(("max_similarity", "similarity", 0.97, 0.92))] * n_dropped,
             "kept_pair_id": dataset["pair_id"].shift(1)[dropped].to_numpy(),
             "similarity": 0.97}
        )
    return out


def _arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    fields = []
    for name in frame.columns:
        if name in _REASON_COLUMNS:
            fields.append(pa.field(name, REASONS_TYPE))
        elif name == "segment_ids":
            fields.append(pa.field(name, pa.list_(pa.string())))
        else:
            fields.append(pa.field(name, pa.array(frame[name], from_pandas=True).type))
    schema = pa.schema([f if not pa.types.is_null(f.type) else pa.field(f.name, pa.string())
                        for f in fields])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def write_warehouse(storage: Storage, tables: dict[str, pd.DataFrame]) -> int:
    """Write ``tables`` under ``storage``'s root in the warehouse layout; returns files written.

    Bytes go through :meth:`Storage.write_bytes`, not ``write_partition``: this corpus fakes
    other stages' tables, which need not be declared in the catalogue the storage checks.
    """
    written = 0
    for table, frame in tables.items():
        if frame.empty:
            continue
        column = PARTITION_COLUMNS.get(table, "video_id")
        if column == "video_asset":
            keys = frame["video_id"] + "__" + frame["asset"]
        elif column in frame.columns:
            keys = frame[column]
        else:
            keys = pd.Series("all", index=frame.index)
        for key, part in frame.groupby(keys, sort=True):
            buffer = io.BytesIO()
            pq.write_table(_arrow(table, part.reset_index(drop=True)), buffer)
            storage.write_bytes(
                buffer.getvalue(), "warehouse", table, f"{column}={key}", "part.parquet"
            )
            written += 1
    return written
