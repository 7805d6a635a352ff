"""Bench: the pairs -> dataset -> export path on a synthetic corpus.

    .venv/bin/python bench/export.py [--pairs 200000] [--out DIR]

Builds N synthetic pairs (ASR-like text, some with PII; 384-d embeddings with planted near
duplicates; counsellors recurring across videos), then times each step: PII scrubbing of
prompt + response + one context turn, dedup (exact + near-duplicate), balance, split (the three
inside ``build_dataset``, timed separately here) and the export writer (JSONL, CSV, Parquet,
DuckDB, card, manifest). Prints seconds per step, near-duplicate recall on the planted copies
and peak RSS. Targets on 2 cores: < 3 min end to end, < 4 GB.

Where the near-duplicate cost goes: up to 20,000 pairs the search is exact, blocked
``E[i:i+B] @ E.T`` products, growing as n^2 d. Above that an IVF index (spherical k-means in a
64-d PCA subspace, sqrt(n * n_probe) cells, 3 probes) compares only vectors sharing a cell:
assignment costs n d cells and the in-cell products n^2 d n_probe / cells, so both grow as
about n^1.5 d; at 200k the k-means fit, assignment and in-cell products dominate in roughly
equal parts, and doubling the corpus costs about 2.8x.

Measured here (2 cores shared with other jobs, load average ~8.5, so roughly a quarter of the
machine): 200,000 pairs in 258 s, peak RSS 2.4 GB. Steps: importing presidio (which imports
torch) 41 s, scrub 60 s, dedup 54 s (IVF, planted near-duplicate recall 0.993), balance 8 s,
split 2 s, export 93 s. The 3-minute target needs an unloaded machine; this one could not
show it.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pixel_assets.export.writer import write_export  # noqa: E402
from pixel_assets.pairs.balance import BalanceOptions, balance  # noqa: E402
from pixel_assets.pairs.dedup import DedupOptions, deduplicate, pair_texts  # noqa: E402
from pixel_assets.pairs.select import pair_id_for  # noqa: E402
from pixel_assets.pairs.splits import SplitOptions, assign_splits, leaking_speakers  # noqa: E402

PROMPTS = [
    "i just feel like nobody at work listens to me anymore and it's been {n} weeks",
    "my mum passed away in the spring and i can't stop crying about it",
    "i keep thinking i'm going to mess up the interview on {day}",
    "we argue every night and i don't know if the relationship is worth it",
    "i haven't slept properly since the accident, maybe {n} hours a night",
    "my sister says i should call her on 555 {a} {b} but i never do",
    "you can email me at jane dot doe{n} at example dot com if that helps",
    "honestly i'm fine, it's just, um, everything is a lot right now",
    "my name's {name} and my husband doesn't know i'm here",
]
RESPONSES = [
    "it sounds like you feel unheard and that's really painful",
    "losing your mother is a huge loss, it makes sense that you're grieving",
    "so part of you is worried you'll let yourself down on {day}",
    "you're torn between staying and leaving, and both feel hard",
    "not sleeping for so long must leave you exhausted",
    "reaching out feels hard right now, even to your sister",
    "thank you, what would you like us to focus on today",
    "it sounds like a lot is landing on you at once",
    "{name}, it took courage to come here today",
]
NAMES = ["sarah", "jake", "priya", "tom", "linda", "oliver", "amara", "dave"]
DAYS = ["monday", "tuesday", "friday", "the weekend"]
WORDS = ("you know really kind of like just maybe always never again still lately mostly "
         "somehow honestly basically actually sort anyway tired angry scared lonely stuck "
         "lost calm okay better worse home work school family friends partner money sleep "
         "future past today tomorrow").split()


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def synthetic(n: int, dim: int, seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Pairs, their embeddings and the planted (kept, copy) near-duplicate index pairs."""
    rng = np.random.default_rng(seed)
    videos = max(1, n // 40)
    video = rng.integers(0, videos, n)
    p, r = rng.integers(0, len(PROMPTS), n), rng.integers(0, len(RESPONSES), n)
    nums, days = rng.integers(1, 99, n), rng.integers(0, len(DAYS), n)
    a, b = rng.integers(100, 999, n), rng.integers(1000, 9999, n)
    # Each prompt made unique by a few words (real utterances rarely carry digits).
    tails = [" ".join(WORDS[w] for w in rng.integers(0, len(WORDS), 4)) for _ in range(n)]
    names = [NAMES[k % len(NAMES)] for k in nums]
    prompts = [PROMPTS[i].format(n=k, day=DAYS[d], a=x, b=y, name=m) + ", " + tail
               for i, k, d, x, y, m, tail in zip(p, nums, days, a, b, names, tails, strict=True)]
    responses = [RESPONSES[i].format(day=DAYS[d], name=m)
                 for i, d, m in zip(r, days, names, strict=True)]
    # Topic structure like real sentence embeddings: a topic direction plus noise.
    topics = rng.standard_normal((len(PROMPTS) * len(RESPONSES), dim)).astype(np.float32)
    noise = rng.standard_normal((n, dim)).astype(np.float32) * 0.9
    vectors = topics[p * len(RESPONSES) + r] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    planted = max(1, n // 50)
    sources = rng.choice(n, planted, replace=False)
    copies = rng.choice(np.setdiff1d(np.arange(n), sources), planted, replace=False)
    noisy = vectors[sources] + rng.standard_normal((planted, dim)).astype(np.float32) * 0.012
    vectors[copies] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    exact = rng.choice(n, n // 100, replace=False)
    frame = pd.DataFrame({
        "video_id": [f"vid{v:06d}" for v in video],
        "pair_id": [pair_id_for(f"bench:{i}") for i in range(n)],
        "exchange_id": [f"{i:020x}" for i in range(n)],
        "prompt": prompts,
        "response": responses,
        "context": [[{"turn_index": 0, "speaker": "SPEAKER_01", "role": "client",
                      "text": "hi, thanks for seeing me"}]] * n,
        "overall": rng.uniform(0.5, 1.0, n),
        "empathy": rng.uniform(0.5, 1.0, n),
        "pii_redactions": 0,
        "counsellor_global_speaker_id": [f"gs_c{v % max(1, videos // 8)}" for v in video],
        "client_global_speaker_id": [f"gs_k{v}" for v in video],
        "prompt_emotion": rng.choice(["sadness", "fear", "anger", "joy", "neutral"], n),
        "crisis": False, "review_status": "not_required",
        "deep_link": [f"https://www.youtube.com/watch?v=vid{v:06d}&t=1s" for v in video],
        "source_url": [f"https://www.youtube.com/watch?v=vid{v:06d}" for v in video],
        "start_s": 1.0, "end_s": 9.0, "response_start_s": 5.0,
    })
    frame.loc[exact, "prompt"] = frame.loc[(exact + 1) % n, "prompt"].to_numpy()
    frame.loc[exact, "response"] = frame.loc[(exact + 1) % n, "response"].to_numpy()
    return frame, vectors, np.stack([sources, copies], axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=200_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--out", type=Path, default=None, help="export root (default: temp)")
    args = parser.parse_args()
    timings: dict[str, float] = {}

    def step(name: str, started: float) -> None:
        timings[name] = time.perf_counter() - started
        print(f"{name:>12}: {timings[name]:7.1f} s   (peak RSS {peak_rss_gb():.2f} GB)", flush=True)

    t = time.perf_counter()
    pairs, vectors, planted = synthetic(args.pairs, args.dim, seed=0)
    step("synthesise", t)

    t = time.perf_counter()
    from pixel_assets.pairs.pii import PiiScrubber

    scrubber = PiiScrubber()
    step("load_pii", t)
    t = time.perf_counter()
    # As select_pairs does: the names each video's own text gives, then every text scrubbed
    # with them (cached per video's names and text).
    found = {
        video: tuple(scrubber.names_in([*group["prompt"], *group["response"]]))
        for video, group in pairs.groupby("video_id", sort=False)
    }
    cache: dict[tuple[tuple[str, ...], str], str] = {}
    counts = np.zeros(len(pairs), dtype=np.int64)
    for column in ("prompt", "response"):
        out = []
        for i, (video, text) in enumerate(zip(pairs["video_id"], pairs[column], strict=True)):
            key = (found[video], text)
            if key not in cache:
                result = scrubber.scrub(text, ["Jane Doe"], found[video])
                cache[key] = result.text
                counts[i] += result.count
            out.append(cache[key])
        pairs[column] = out
    pairs["pii_redactions"] = counts
    step("scrub", t)

    t = time.perf_counter()
    deduped = deduplicate(pairs, pair_texts(pairs), vectors, DedupOptions())
    step("dedup", t)
    dropped = set(np.flatnonzero(~deduped.kept))
    recall = np.mean([(s in dropped) != (c in dropped) for s, c in planted])

    t = time.perf_counter()
    survivors = pairs[deduped.kept].reset_index(drop=True)
    balanced = balance(survivors, BalanceOptions(max_per_video=60, max_per_counsellor=3000))
    kept = survivors[balanced.kept].reset_index(drop=True)
    step("balance", t)

    t = time.perf_counter()
    splits = assign_splits(kept, SplitOptions())
    kept = kept.assign(split=splits["split"].to_numpy())
    step("split", t)
    leaks = leaking_speakers(kept, kept["split"])

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        result = write_export(kept, args.out or Path(tmp) / "exports")
        step("export", t)
        sizes = {name: info["bytes"] / 1e6 for name, info in result.files.items()}

    total = sum(v for k, v in timings.items() if k != "synthesise")
    stats = deduped.stats
    print(f"\npairs {len(pairs)}, kept {len(kept)}; exact dups {stats['exact_duplicates']}, "
          f"near dups {stats['near_duplicates']} ({stats['neighbour_search']}); "
          f"planted near-duplicate recall {recall:.3f}; leaking speakers {len(leaks)}")
    print(f"splits {result.split_counts}; files (MB) "
          + ", ".join(f"{k} {v:.1f}" for k, v in sorted(sizes.items())))
    print(f"total (without synthesis) {total:.1f} s; peak RSS {peak_rss_gb():.2f} GB")


if __name__ == "__main__":
    main()
