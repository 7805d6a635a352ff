"""Synthetic frames with planted structure for the analysis tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

PROFILE_FEATURES = ["question_rate", "empathy_mean", "f0_std_hz", "sentiment_mean",
                    "speech_rate_wps", "filler_rate"]


def planted_prints(
    n_identities: int, n_videos: int, per_video: int, seed: int = 0, noise: float = 0.02
) -> tuple[pd.DataFrame, np.ndarray]:
    """``speakers`` rows whose voice prints come from planted identities, and the truth.

    Prints mimic resemblyzer's: non-negative-leaning 256-d vectors sharing a common direction,
    so different identities sit at cosine ~0.5-0.7 and appearances of one identity at ~0.9.
    """
    rng = np.random.default_rng(seed)
    common = np.abs(rng.normal(size=256))
    centers = common + 0.9 * rng.normal(size=(n_identities, 256))
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    rows, truth = [], []
    for v in range(n_videos):
        for s, who in enumerate(rng.choice(n_identities, size=per_video, replace=False)):
            print_ = centers[who] + noise * rng.normal(size=256)
            rows.append({"video_id": f"vid{v:04d}", "speaker": f"SPEAKER_{s:02d}",
                         "embedding": (print_ / np.linalg.norm(print_)).astype("float32"),
                         "speech_s": float(rng.uniform(20, 300)), "talk_share": 1 / per_video,
                         "n_turns": 5})
            truth.append(int(who))
    return pd.DataFrame(rows), np.array(truth)


def planted_profiles(n_per_group: int = 40, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Speaker profiles in three well-separated style groups (truth = group)."""
    rng = np.random.default_rng(seed)
    centers = np.array(
        [
            [0.45, 0.8, 20.0, 0.3, 2.4, 0.01],  # questioning, empathic, flat pitch
            [0.05, 0.2, 45.0, -0.4, 3.4, 0.05],  # fast, negative, varied pitch
            [0.20, 0.4, 30.0, 0.6, 2.0, 0.12],  # positive, slow, many fillers
        ]
    )
    spread = np.array([0.04, 0.06, 3.0, 0.08, 0.15, 0.01])
    rows, truth = [], []
    for i in range(3 * n_per_group):
        group = i % 3
        values = centers[group] + spread * rng.normal(size=len(spread))
        rows.append({"video_id": f"vid{i // 2:04d}", "speaker": f"SPEAKER_{i % 2:02d}",
                     "talk_s": float(rng.uniform(30, 600)),
                     **dict(zip(PROFILE_FEATURES, values.tolist(), strict=True))})
        truth.append(group)
    return pd.DataFrame(rows), np.array(truth)
