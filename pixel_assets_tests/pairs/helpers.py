"""Builders for the pairs and export tests: exchanges/scores as the validation stage writes them,
and synthetic corpora of pairs with planted structure (recurring speakers, duplicates)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from pixel_assets.pairs.select import pair_id_for


def exchange_id(video_id: str, k: int) -> str:
    return hashlib.sha256(f"{video_id}:{k}".encode()).hexdigest()[:20]


def exchanges_frame(video_id: str, turns: list[tuple[str, str]], counsellor_id: str = "gs_c1",
                    client_id: str = "gs_k1") -> pd.DataFrame:
    """One exchange per (prompt, response), each with the previous exchange as context."""
    rows = []
    for k, (prompt, response) in enumerate(turns):
        context = []
        if k:
            context = [
                {"turn_index": 2 * k - 2, "speaker": "SPEAKER_01", "role": "client",
                 "text": turns[k - 1][0]},
                {"turn_index": 2 * k - 1, "speaker": "SPEAKER_00", "role": "counsellor",
                 "text": turns[k - 1][1]},
            ]
        rows.append({
            "exchange_id": exchange_id(video_id, k),
            "video_id": video_id,
            "prompt_turn_index": 2 * k,
            "response_turn_index": 2 * k + 1,
            "prompt_speaker": "SPEAKER_01",
            "response_speaker": "SPEAKER_00",
            "prompt_global_speaker_id": client_id,
            "response_global_speaker_id": counsellor_id,
            "prompt_text": prompt,
            "response_text": response,
            "context": context,
            "prompt_start_s": 10.0 * k,
            "prompt_end_s": 10.0 * k + 4,
            "response_start_s": 10.0 * k + 4.5,
            "response_end_s": 10.0 * k + 9,
            "deep_link": f"https://www.youtube.com/watch?v={video_id}&t={10 * k}s",
            "title": "Counselling role-play",
            "channel": "Practice Channel",
            "upload_date": "20240102",
            "prompt_emotion": "sadness",
            "response_mi_code": "reflection",
        })
    return pd.DataFrame(rows)


def scores_frame(exchanges: pd.DataFrame, passed: list[bool] | None = None,
                 crisis: list[bool] | None = None, overall: list[float] | None = None
                 ) -> pd.DataFrame:
    n = len(exchanges)
    return pd.DataFrame({
        "exchange_id": exchanges["exchange_id"],
        "video_id": exchanges["video_id"],
        "empathy": 0.8, "appropriateness": 0.9, "authenticity": 0.7, "naturalness": 0.75,
        "overall": overall if overall is not None else [0.8] * n,
        "passed": passed if passed is not None else [True] * n,
        "reasons": [[] for _ in range(n)],
        "crisis": crisis if crisis is not None else [False] * n,
        "scorer": "offline", "rubric_version": "offline-1",
    })


def synthetic_pairs(n_videos: int, per_video: int, *, dim: int = 32, seed: int = 0,
                    counsellors: int = 5, clients_per_video: int = 1, video_offset: int = 0,
                    client_pool: int | None = None) -> pd.DataFrame:
    """Pairs of a corpus where counsellors recur across videos (video v has counsellor
    ``v % counsellors``) and clients are per video unless ``client_pool`` makes them recur."""
    rng = np.random.default_rng(seed + video_offset)
    rows = []
    for v in range(video_offset, video_offset + n_videos):
        video = f"vid{v:05d}"
        for k in range(per_video):
            client = (f"gs_k{rng.integers(client_pool)}" if client_pool else
                      f"gs_k{v}_{k % clients_per_video}")
            vector = rng.standard_normal(dim).astype(np.float32)
            rows.append({
                "video_id": video,
                "pair_id": pair_id_for(f"{video}:{k}"),
                "prompt": f"client {v} says thing {k}",
                "response": f"counsellor {v % counsellors} reflects {k}",
                "overall": float(rng.uniform(0.5, 1.0)),
                "empathy": float(rng.uniform(0.5, 1.0)),
                "pii_redactions": 0,
                "counsellor_global_speaker_id": f"gs_c{v % counsellors}",
                "client_global_speaker_id": client,
                "prompt_emotion": str(rng.choice(["sadness", "fear", "anger", "joy"])),
                "embedding": vector / np.linalg.norm(vector),
            })
    return pd.DataFrame(rows)
