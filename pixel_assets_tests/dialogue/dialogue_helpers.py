"""Small transcript frames for the dialogue tests."""

from __future__ import annotations

import pandas as pd

COUNSELLING = [
    # (speaker, start, end, text)
    ("SPEAKER_00", 0.5, 3.0, "Welcome back. What would you like to talk about today?"),
    ("SPEAKER_01", 3.8, 7.0, "I have been really struggling since I lost my job."),
    ("SPEAKER_01", 7.3, 10.0, "I feel like I failed my family and I can't sleep."),
    ("SPEAKER_00", 10.8, 14.0, "It sounds like you're carrying a lot of shame right now."),
    ("SPEAKER_00", 14.3, 16.0, "How has that been affecting your days?"),
    ("SPEAKER_01", 16.8, 21.0, "Most days I stay in bed. I stopped answering my friends."),
    ("SPEAKER_00", 21.8, 25.0, "That sounds really painful. Can you tell me more?"),
]


def segments(rows=COUNSELLING, video_id: str = "vid00000001") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"video_id": video_id, "segment_id": f"{video_id}_{i:04d}", "speaker": s,
             "start_s": a, "end_s": b, "text": t, "n_words": len(t.split()),
             "confidence": 0.9}
            for i, (s, a, b, t) in enumerate(rows)
        ]
    )
