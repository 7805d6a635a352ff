"""Validation benchmarks: the offline scorer's throughput and the LLM judge's.

Prints figures only (no asserts), e.g.::

    .venv/bin/python bench/validation.py --exchanges 10000 --concurrency 8

(a) builds ``--exchanges`` synthetic exchanges the way the assets do (turns with roles,
    then :func:`build_exchanges` looking up each turn's ``utterance_features`` and embeddings),
    and scores them with the offline scorer including crisis detection. Target: >= 500
    exchanges/s on 2 cores, feature lookups included.
(b) runs the judge against the scripted OpenAI-compatible server on 127.0.0.1 (in its own
    process, ``pixel_assets_tests/validation/judge_server.py``) answering after a fixed
    ``--latency-ms``; target: throughput >= 0.8 x concurrency / latency.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from pixel_assets.dialogue.exchanges import build_exchanges
from pixel_assets.validation.judge import JudgeClient, JudgeOptions
from pixel_assets.validation.scoring import ScoringOptions, score_exchanges

PROMPTS = [
    "I lost my job last month and I feel like I failed my family",
    "my mother passed away in the spring and I still can't sleep",
    "work has been so stressful I cry in the car before I go in",
    "I keep arguing with my partner about money and I don't know what to do",
    "sometimes I think everyone would be better off without me",
    "I feel anxious all the time especially at night",
    "my friends stopped calling and I feel so alone",
]
RESPONSES = [
    "It sounds like you feel ashamed and exhausted. That must be really hard. How has that "
    "been affecting your days?",
    "That sounds really painful. Thank you for telling me. Can you tell me more about it?",
    "I see. When did that start?",
    "Everybody has problems. Just get over it.",
    "You should exercise more. You need to sleep earlier. Just stop worrying.",
    "So the nights feel the hardest when you are on your own. What helps you get through?",
]
EMOTIONS = ("anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise", "trust")


def synthetic_video(video_id: str, n_exchanges: int, rng: np.random.Generator):
    """Turns (client/counsellor alternating), utterance_features and embeddings of a video."""
    turns, features, embeddings = [], [], []
    t = 0.0
    for i in range(2 * n_exchanges):
        client = i % 2 == 0
        base = PROMPTS[rng.integers(len(PROMPTS))] if client else RESPONSES[
            rng.integers(len(RESPONSES))]
        # A varying tail keeps every text distinct (no free cache hits for the crisis check).
        text = f"{base} and it has been {rng.integers(2, 60)} days since {rng.integers(1e6)}"
        segment_ids = [f"{video_id}_{i:05d}_{k}" for k in range(2)]
        duration = 2 + 6 * rng.random()
        turns.append({"video_id": video_id, "turn_index": i,
                      "speaker": "SPEAKER_01" if client else "SPEAKER_00",
                      "global_speaker_id": None, "role": "client" if client else "counsellor",
                      "role_confidence": 0.95, "role_source": "heuristic",
                      "conversation_type": "two_party", "start_s": t, "end_s": t + duration,
                      "text": text, "segment_ids": segment_ids, "n_words": len(text.split()),
                      "confidence": 0.7 + 0.3 * rng.random()})
        for seg in segment_ids:
            shares = rng.dirichlet(np.ones(len(EMOTIONS)))
            features.append({"segment_id": seg, "n_words": int(rng.integers(3, 20)),
                             "sentiment": float(rng.uniform(-1, 1)),
                             **{f"emotion_{e}": float(s) for e, s in zip(EMOTIONS, shares,
                                                                        strict=True)},
                             "empathy": float(rng.random()), "toxicity": float(rng.random() / 5),
                             "invalidation": bool(rng.random() < 0.1),
                             "mi_code": str(rng.choice(["reflection", "open question",
                                                        "advice", "other"])),
                             "question_type": "open", "speech_rate_wps": float(rng.uniform(2, 4)),
                             "filler_rate": float(rng.random() / 10)})
            embeddings.append({"segment_id": seg,
                               "embedding": rng.normal(size=384).astype(np.float32)})
        t += duration + 0.5
    return pd.DataFrame(turns), pd.DataFrame(features), pd.DataFrame(embeddings)


def bench_offline(n: int, per_video: int) -> None:
    rng = np.random.default_rng(0)
    videos = [synthetic_video(f"vid{v:08d}", per_video, rng) for v in range(max(n // per_video, 1))]
    score_exchanges(build_exchanges(*videos[0][:1], features=videos[0][1]).head(2))  # warm-up
    video = {"webpage_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}
    started, cpu_started = time.perf_counter(), time.process_time()
    built = [build_exchanges(turns, video, features, embeddings)
             for turns, features, embeddings in videos]
    built_s = time.perf_counter() - started
    scored = [score_exchanges(ex) for ex in built]
    total_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu_started
    count = sum(len(e) for e in built)
    passed = sum(int(s["passed"].sum()) for s in scored)
    crisis = sum(int(s["crisis"].sum()) for s in scored)
    # One process scores one video at a time, as one asset run does; CPU time shows the cost
    # when the machine is shared (wall time then overstates it).
    print(f"offline: {count} exchanges in {len(videos)} videos: build (feature lookups) "
          f"{built_s:.2f} s, build + score {total_s:.2f} s wall / {cpu_s:.2f} s CPU -> "
          f"{count / total_s:,.0f} exchanges/s wall, {count / cpu_s:,.0f} per CPU-second "
          f"(target >= 500); passed {passed}, crisis {crisis}")


@contextmanager
def judge_server(latency_ms: float) -> Iterator[str]:
    """The scripted server in its own process (as a model server is), yielding its URL."""
    script = Path(__file__).resolve().parents[1] / "pixel_assets_tests" / "validation"
    process = subprocess.Popen(
        [sys.executable, str(script / "judge_server.py"), "--latency-ms", str(latency_ms)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def bench_judge(concurrency: int, latency_ms: float, requests: int) -> None:
    latency = latency_ms / 1000
    rows = [{"exchange_id": f"{i:020x}", "video_id": "v", "prompt_text": f"{PROMPTS[0]} {i}",
             "response_text": RESPONSES[0], "context": []} for i in range(requests)]
    with judge_server(latency_ms) as url:
        options = JudgeOptions(base_url=url, model="bench", concurrency=concurrency,
                               timeout_s=10)
        with JudgeClient(options) as client:
            client.judge(rows[0])  # warm-up (connection, rubric)
            started = time.perf_counter()
            scores = score_exchanges(pd.DataFrame(rows[1:]), ScoringOptions(scorer="llm"),
                                     judge=client)
            elapsed = time.perf_counter() - started
    rate = len(scores) / elapsed
    target = 0.8 * concurrency / latency if latency else float("inf")
    ok = int(scores["judge_ok"].sum())
    print(f"judge: {len(scores)} exchanges at concurrency {concurrency}, {latency_ms:.0f} ms "
          f"latency: {elapsed:.2f} s -> {rate:.1f} exchanges/s (target >= {target:.1f}); "
          f"{ok} answers parsed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=10_000)
    parser.add_argument("--per-video", type=int, default=100, help="exchanges per video")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--requests", type=int, default=0, help="judge requests (0: 10 x conc.)")
    args = parser.parse_args()
    bench_offline(args.exchanges, args.per_video)
    bench_judge(args.concurrency, args.latency_ms, args.requests or 10 * args.concurrency + 1)


if __name__ == "__main__":
    main()
