"""Benchmark the cross-video analysis logic on a synthetic corpus.

    .venv/bin/python bench/analysis.py [--videos 2000] [--speakers 10000]
        [--utterances 500000] [--voices] [--scale]

Builds a synthetic corpus (2,000 videos, 10,000 diarized speakers whose 256-d voice prints come
from planted identities, 10,000 speaker profiles in planted style groups, 500,000 utterance
feature rows with a shifted newest list) and times each asset's logic, printing wall time and
peak RSS per step. Targets on 2 cores: linking 10,000 prints < 30 s with purity >= 0.95, the
whole cross-video refresh < 2 min, peak RSS < 4 GB.

``--voices`` first measures real resemblyzer similarity distributions on espeak voices (needs
espeak-ng; about a minute): the same voice reading different texts vs different voices, the
evidence for the linking threshold. ``--scale`` times linking at growing corpus sizes.

Per-video steps (speaker_links, speaker_clusters, outliers) run once per partition in Dagster;
the bench applies them to a sample of videos and reports the mean per video and the total for
a backfill of every video.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pixel_assets.analysis.consistency import speaker_consistency  # noqa: E402
from pixel_assets.analysis.drift import drift_report  # noqa: E402
from pixel_assets.analysis.linking import LinkOptions, link_speakers  # noqa: E402
from pixel_assets.analysis.outliers import (  # noqa: E402
    OutlierOptions,
    apply_outliers,
    fit_outlier_model,
)
from pixel_assets.analysis.style_clusters import (  # noqa: E402
    apply_style_clusters,
    describe_clusters,
    fit_style_clusters,
    scatter_png,
)

PROFILE_FEATURES = [
    "question_rate", "open_question_rate", "reflection_rate", "empathy_mean", "sentiment_mean",
    "sentiment_std", "emotion_joy", "emotion_sadness", "emotion_fear", "emotion_trust",
    "f0_mean_hz", "f0_std_hz", "speech_rate_wps", "filler_rate", "wpm", "talk_share",
]
UTTERANCE_FEATURES = [
    "n_words", "sentiment", "emotion_anger", "emotion_fear", "emotion_joy", "emotion_sadness",
    "emotion_trust", "empathy", "toxicity", "speech_rate_wps", "articulation_rate_wps",
    "mean_pause_s", "filler_rate", "f0_mean_hz", "f0_std_hz", "f0_range_st",
    "intensity_mean_db", "intensity_std_db", "jitter_local", "shimmer_local", "hnr_db",
]


def _peak_reset() -> None:
    """Reset the kernel's peak-RSS mark so each step's own peak can be read."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(name: str, fn: Callable[[], Any], times: dict[str, float]) -> Any:
    _peak_reset()
    start = time.perf_counter()
    out = fn()
    took = time.perf_counter() - start
    times[name] = took
    print(f"  {name:<34} {took:8.2f} s   peak RSS {_peak_mb():7.0f} MB", flush=True)
    return out


# ---------------------------------------------------------------- synthetic corpus


def synthetic_speakers(n_videos: int, n_speakers: int, seed: int = 0):
    """``speakers`` rows with planted identities and ``videos`` rows.

    Identities recur Zipf-like (a few counsellors in many videos, most people once), prints are
    resemblyzer-like: a shared positive direction plus an identity offset (different identities
    at cosine ~0.5-0.7) plus per-video noise (same identity ~0.88-0.93).
    """
    rng = np.random.default_rng(seed)
    per_video = n_speakers // n_videos
    n_ids = int(n_speakers * 0.4)
    weights = 1.0 / np.arange(1, n_ids + 1) ** 0.8
    weights /= weights.sum()
    common = np.abs(rng.normal(size=256))
    centers = common + 0.9 * rng.normal(size=(n_ids, 256))
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    who = np.concatenate([rng.choice(n_ids, size=per_video, replace=False, p=weights)
                          for _ in range(n_videos)])
    prints = centers[who] + 0.02 * rng.normal(size=(len(who), 256))
    prints /= np.linalg.norm(prints, axis=1, keepdims=True)
    video_ids = np.repeat([f"vid{v:05d}" for v in range(n_videos)], per_video)
    speakers = pd.DataFrame({
        "video_id": video_ids,
        "speaker": [f"SPEAKER_{i % per_video:02d}" for i in range(len(who))],
        "embedding": list(prints.astype("float32")),
        "speech_s": rng.uniform(20, 600, len(who)),
        "talk_share": 1.0 / per_video,
        "n_turns": rng.integers(1, 40, len(who)),
    })
    lists = 10
    videos = pd.DataFrame({
        "video_id": [f"vid{v:05d}" for v in range(n_videos)],
        "list_file": [f"lists/batch{v * lists // n_videos:02d}.csv" for v in range(n_videos)],
        "ingested_at": pd.Timestamp("2024-01-01", tz="UTC")
        + pd.to_timedelta(np.arange(n_videos), unit="h"),
        "upload_date": [(pd.Timestamp("2015-01-01") + pd.Timedelta(days=int(d))).strftime(
            "%Y%m%d") for d in rng.integers(0, 3000, n_videos)],
    })
    return speakers, videos, who


def synthetic_profiles(speakers: pd.DataFrame, who: np.ndarray, seed: int = 1) -> pd.DataFrame:
    """One profile per speaker: four planted style groups, each identity a stable style of its
    own (video-to-video noise a third of the within-group spread)."""
    rng = np.random.default_rng(seed)
    n_ids = int(who.max()) + 1
    group_of = rng.integers(0, 4, n_ids)
    centers = rng.normal(size=(4, len(PROFILE_FEATURES))) * 2.0
    style = centers[group_of] + rng.normal(size=(n_ids, len(PROFILE_FEATURES)))
    values = style[who] + 0.3 * rng.normal(size=(len(speakers), len(PROFILE_FEATURES)))
    frame = pd.DataFrame(values, columns=PROFILE_FEATURES)
    frame.insert(0, "video_id", speakers["video_id"].to_numpy())
    frame.insert(1, "speaker", speakers["speaker"].to_numpy())
    frame["talk_s"] = speakers["speech_s"].to_numpy()
    return frame


def synthetic_utterances(speakers: pd.DataFrame, videos: pd.DataFrame, n_rows: int,
                         seed: int = 2) -> pd.DataFrame:
    """Utterance features; the newest list's videos have a shifted F0 (drift to find)."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(speakers), n_rows)
    pick.sort()
    values = rng.normal(size=(n_rows, len(UTTERANCE_FEATURES))).astype("float64")
    frame = pd.DataFrame(values, columns=UTTERANCE_FEATURES)
    frame.loc[rng.random(n_rows) < 0.1, ["f0_mean_hz", "f0_std_hz", "jitter_local"]] = np.nan
    frame.insert(0, "video_id", speakers["video_id"].to_numpy()[pick])
    frame.insert(1, "speaker", speakers["speaker"].to_numpy()[pick])
    frame.insert(2, "segment_id", [f"seg{i:07d}" for i in range(n_rows)])
    newest = videos.loc[videos["list_file"] == videos["list_file"].max(), "video_id"]
    frame.loc[frame["video_id"].isin(newest), "f0_mean_hz"] += 0.8
    return frame


# ---------------------------------------------------------------- measurements


VOICES = {
    "en-us male": ["-v", "en-us", "-p", "35"],
    "en-gb male": ["-v", "en-gb", "-p", "45"],
    "en-us female": ["-v", "en-us+f4", "-p", "80"],
    "en-gb female": ["-v", "en-gb+f3", "-p", "70"],
    "en-us low": ["-v", "en-us+m3", "-p", "20"],
    "scottish": ["-v", "en-gb-scotland", "-p", "50"],
}
TEXTS = [
    "The weather was calm this morning, so we walked down to the harbour and watched boats.",
    "How have you been feeling this week? It sounds like work has been really demanding.",
    "Writing things down often makes them feel smaller, and that can help you sleep at night.",
]


def measure_voices() -> None:
    """Same-voice vs different-voice cosine of real resemblyzer prints on espeak speech."""
    import librosa
    import soundfile as sf
    from resemblyzer import VoiceEncoder

    encoder = VoiceEncoder("cpu", verbose=False)
    prints = {}
    for (voice, args), (t, text) in itertools.product(VOICES.items(), enumerate(TEXTS)):
        wav = subprocess.run(["espeak-ng", *args, "--stdout", text], capture_output=True,
                             check=True).stdout
        audio, rate = sf.read(io.BytesIO(wav), dtype="float32")
        prints[(voice, t)] = encoder.embed_utterance(
            librosa.resample(audio, orig_sr=rate, target_sr=16_000))
    same, different = [], {}
    for a, b in itertools.combinations(prints, 2):
        cosine = float(prints[a] @ prints[b])
        if a[0] == b[0]:
            same.append(cosine)
        else:
            different.setdefault(tuple(sorted((a[0], b[0]))), []).append(cosine)
    print("\nResemblyzer voice prints of espeak speech (cosine, one print per ~6 s clip):")
    print(f"  same voice, different text   min {min(same):.3f}  median {np.median(same):.3f}"
          f"  max {max(same):.3f}  ({len(same)} pairs)")
    for pair, values in sorted(different.items(), key=lambda kv: -max(kv[1])):
        print(f"  {pair[0]:>12} vs {pair[1]:<12}  max {max(values):.3f}")
    print(f"  default threshold {LinkOptions().threshold}: links every same-voice pair; espeak "
          "accent variants of one synthesiser score as high as the same voice")


def similarity_distribution(speakers: pd.DataFrame, who: np.ndarray, n: int = 3000) -> None:
    prints = np.stack(speakers["embedding"].to_numpy()[:n])
    sims = prints @ prints.T
    upper = np.triu_indices(len(prints), 1)
    same = (who[:n, None] == who[None, :n])[upper]
    values = sims[upper]
    print("Synthetic voice prints (cosine):")
    print("  same identity       " + _percentiles(values[same]))
    print("  different identity  " + _percentiles(values[~same]))


def _percentiles(values: np.ndarray) -> str:
    p = np.percentile(values, [0, 1, 50, 99, 100])
    return "min {:.3f}  p1 {:.3f}  median {:.3f}  p99 {:.3f}  max {:.3f}".format(*p)


def purity(links: pd.DataFrame, speakers: pd.DataFrame, who: np.ndarray) -> float:
    truth = speakers[["video_id", "speaker"]].assign(truth=who)
    merged = links.merge(truth, on=["video_id", "speaker"])
    top = merged.groupby("global_speaker_id")["truth"].agg(lambda t: t.value_counts().iloc[0])
    return float(top.sum() / len(merged))


def per_video(name: str, frame: pd.DataFrame, fn: Callable[[pd.DataFrame], Any], n_sample: int,
              n_videos: int, times: dict[str, float]) -> None:
    groups = dict(list(frame.groupby("video_id", sort=False))[:n_sample])
    _peak_reset()
    start = time.perf_counter()
    for part in groups.values():
        fn(part)
    took = time.perf_counter() - start
    mean = took / max(len(groups), 1)
    times[name] = mean * n_videos
    print(f"  {name:<34} {mean * 1000:8.1f} ms/video → {mean * n_videos:6.1f} s for "
          f"{n_videos} videos   peak RSS {_peak_mb():7.0f} MB", flush=True)


def scale(max_n: int) -> None:
    print("\nLinking cost vs corpus size (5 speakers per video):")
    for n in (2_500, 5_000, 10_000, 20_000, 40_000):
        if n > max_n:
            break
        speakers, _, who = synthetic_speakers(n // 5, n)
        start = time.perf_counter()
        result = link_speakers(speakers)
        took = time.perf_counter() - start
        print(f"  {n:>6} prints  {took:6.2f} s  purity {purity(result.links, speakers, who):.4f}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--videos", type=int, default=2000)
    parser.add_argument("--speakers", type=int, default=10_000)
    parser.add_argument("--utterances", type=int, default=500_000)
    parser.add_argument("--sample-videos", type=int, default=100,
                        help="videos used to time per-video steps")
    parser.add_argument("--voices", action="store_true", help="measure espeak voice prints")
    parser.add_argument("--scale", type=int, default=0, metavar="MAX",
                        help="time linking up to MAX prints (e.g. 40000)")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  corpus: {args.videos} videos, {args.speakers} speakers, "
          f"{args.utterances} utterance rows")
    if args.voices:
        measure_voices()

    times: dict[str, float] = {}
    print("\nBuilding the synthetic corpus (not timed as analysis)")
    speakers, videos, who = synthetic_speakers(args.videos, args.speakers)
    profiles = synthetic_profiles(speakers, who)
    utterances = synthetic_utterances(speakers, videos, args.utterances)
    similarity_distribution(speakers, who)

    print("\nCorpus models (one run per refresh):")
    linked = step("global_speakers (link_speakers)", lambda: link_speakers(speakers, videos),
                  times)
    print(f"    {len(linked.global_speakers)} global speakers for {len(np.unique(who))} planted "
          f"identities, purity {purity(linked.links, speakers, who):.4f}, "
          f"{linked.n_edges} edges, {linked.n_blocked} cannot-link refusals")
    model = step("cluster_model (fit k=2..10)", lambda: fit_style_clusters(profiles), times)
    print(f"    k={model.k}  silhouette {model.silhouette_by_k[model.k]:.3f}")
    step("cluster_descriptions + scatter PNG",
         lambda: (describe_clusters(model), scatter_png(model)), times)
    consistency = step("speaker_consistency",
                       lambda: speaker_consistency(profiles, linked.links, videos), times)
    print(f"    {consistency['global_speaker_id'].nunique()} recurring speakers, "
          f"{int(consistency['flagged'].sum())} videos flagged")
    utterance_model = step("outlier_model (utterance)", lambda: fit_outlier_model(
        utterances, OutlierOptions(level="utterance")), times)
    speaker_model = step("outlier_model (speaker)", lambda: fit_outlier_model(
        profiles, OutlierOptions(level="speaker", contamination=0.02)), times)
    drift = step("drift_report (evidently)", lambda: drift_report(utterances, videos), times)
    print(f"    {drift.message}; HTML {len(drift.html) / 1e6:.1f} MB")

    print(f"\nPer-video assignments (mean over {args.sample_videos} videos, × {args.videos}):")
    links = dict(list(linked.links.groupby("video_id")))  # the asset reads its own partition
    per_video("speaker_clusters", profiles,
              lambda part: apply_style_clusters(model, part, links[part.video_id.iloc[0]]),
              args.sample_videos, args.videos, times)
    per_video("outliers (utterance + speaker)", utterances,
              lambda part: (apply_outliers(utterance_model, part),
                            apply_outliers(speaker_model, profiles[
                                profiles.video_id == part.video_id.iloc[0]])),
              args.sample_videos, args.videos, times)

    print("\nThe same assignments for every video in one call (a full refresh in one process):")
    step("speaker_clusters, all videos",
         lambda: apply_style_clusters(model, profiles, linked.links), times)
    step("outliers, all videos", lambda: (apply_outliers(utterance_model, utterances),
                                          apply_outliers(speaker_model, profiles)), times)
    per_call = ("speaker_clusters", "outliers (utterance + speaker)")
    corpus = sum(v for k, v in times.items() if "all videos" not in k and k not in per_call)
    whole = sum(v for k, v in times.items() if k not in per_call)
    print(f"\nCorpus refresh (models + consistency + drift): {corpus:.1f} s; with every "
          f"video's assignments in one process: {whole:.1f} s (target < 120 s)")
    print(f"Peak RSS of the whole run: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.scale:
        scale(args.scale)


if __name__ == "__main__":
    main()
