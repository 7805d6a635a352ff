"""Benchmark the audio QC + segmentation path on about an hour of audio.

    .venv/bin/python bench/audio_qc.py [--minutes 60] [--language] [--no-dnsmos]

Builds a long recording from the committed fixtures (speech utterances with short pauses,
plus the noisy, clipped, French, music and near-silent pieces) in a temp dir, written as
ingest would: ``source_16k.flac`` and the -23 LUFS ``audio.flac``. That happens in a child
process so the reported peak RSS is the pipeline's alone. Then, timed, it runs what the
audio assets run: read both files, VAD, ``measure_audio`` (+ optional language ID),
``make_segments``, ``measure_segments`` and ``split_segments``. Prints the real-time factor
(audio seconds / wall seconds), the CPU-time / wall ratio (how many cores the run kept busy)
and peak RSS. Targets: >= 150x real time on 2 cores, < 2 GB, near-linear speed-up with cores
(DNSMOS runs batched on a thread pool sized to the cores; ``--dnsmos-workers`` overrides).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "pixel_assets_tests" / "fixtures" / "audio"
SR = 16_000
# Speech pieces repeat often; the rest appear now and then, as in real uploads.
PLAYLIST = [
    "pauses_en",
    "clean_en",
    "noisy_en_20db",
    "pauses_en",
    "french",
    "noisy_en_10db",
    "pauses_en",
    "clipped_en",
    "tone_chord",
    "clean_en",
    "noisy_en_0db",
    "near_silence",
]


def build(out_dir: Path, minutes: float) -> None:
    """Write source_16k.flac and audio.flac of about ``minutes`` minutes to out_dir."""
    import pyloudnorm as pyln
    import soundfile as sf

    truth = json.loads((FIXTURES / "truth.json").read_text())
    rng = np.random.default_rng(0)
    pieces, total, i = [], 0, 0
    target = int(minutes * 60 * SR)
    while total < target:
        name = PLAYLIST[i % len(PLAYLIST)]
        audio, _ = sf.read(FIXTURES / f"{name}.flac", dtype="float32")
        spans = truth[name]["speech"]
        if spans:  # keep 0.15 s around the speech: files join with natural pauses
            a = max(0, int((spans[0][0] - 0.15) * SR))
            audio = audio[a : int((spans[-1][1] + 0.15) * SR)]
        gap = np.zeros(int(rng.uniform(0.2, 1.2) * SR), dtype=np.float32)
        pieces += [audio, gap]
        total += audio.size + gap.size
        i += 1
    source = np.concatenate(pieces)[:target]
    loudness = pyln.Meter(SR).integrated_loudness(source.astype(np.float64))
    normalised = pyln.normalize.loudness(source.astype(np.float64), loudness, -23.0)
    sf.write(out_dir / "source_16k.flac", source, SR, subtype="PCM_16")
    sf.write(
        out_dir / "audio.flac", np.clip(normalised, -1, 1).astype(np.float32), SR, subtype="PCM_16"
    )


def run(work: Path, language: bool, dnsmos: bool, workers: int = 0) -> None:
    import soundfile as sf

    from pixel_assets.audio.qc import (
        QCThresholds,
        SegmentThresholds,
        analyse_audio,
        evaluate,
        measure_audio,
    )
    from pixel_assets.audio.schemas import segments_frame, split_segments
    from pixel_assets.audio.segment_qc import measure_segments
    from pixel_assets.audio.vad import detect_speech, make_segments

    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = now - since
        return now

    scorer = None
    if dnsmos:
        from pixel_assets.audio.dnsmos import DnsmosScorer

        # One intra-op thread per call, as many calls at once as there are cores.
        scorer = DnsmosScorer(threads=1, workers=workers)
        print(f"DNSMOS: {scorer.workers} worker thread(s) on {scorer.providers[0]}")
    identifier = None
    if language:
        from pixel_assets.audio.language import LanguageIdentifier

        t_load = time.perf_counter()
        identifier = LanguageIdentifier(cache_dir=work / "models")
        print(
            f"language model load (once per process, not timed): "
            f"{time.perf_counter() - t_load:.1f}s"
        )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_start = usage.ru_utime + usage.ru_stime
    start = t = time.perf_counter()
    audio, sr = sf.read(work / "audio.flac", dtype="float32")
    source, _ = sf.read(work / "source_16k.flac", dtype="float32")
    t = lap("read flac x2", t)
    speech = detect_speech(audio, sr)
    t = lap("vad", t)
    lang = prob = None
    if identifier is not None:
        lang, prob = identifier.detect(audio, speech)
        t = lap("language id", t)
    analysis = analyse_audio(audio, sr, speech)  # shared by the file and segment metrics
    t = lap("analyse_audio", t)
    metrics = measure_audio(audio, source, sr, speech, lang, prob, scorer, analysis)
    evaluate(metrics, QCThresholds())
    t = lap("measure_audio", t)
    segments = make_segments(speech, audio=audio, sample_rate=sr)
    t = lap("make_segments", t)
    segment_thresholds = SegmentThresholds()
    rows = measure_segments(
        audio, source, sr, segments, speech, scorer, analysis, dnsmos_gate=segment_thresholds
    )
    t = lap("measure_segments", t)
    kept, rejected = split_segments(segments_frame("bench", segments, rows), segment_thresholds)
    t = lap("split_segments", t)
    wall = t - start

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_start
    duration = audio.size / sr
    # The CPUs this process may use (affinity, container quota): `taskset -c 0` gives 1.
    from pixel_assets.cpus import available_cpus

    cores = available_cpus()
    load = os.getloadavg()[0]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"audio: {duration / 60:.1f} min, {len(speech)} speech regions, "
        f"{len(segments)} segments ({len(kept)} kept, {len(rejected)} rejected), "
        f"speech_ratio {metrics.speech_ratio:.2f}, snr_db {metrics.snr_db:.1f}, "
        f"dnsmos_ovrl {metrics.dnsmos_ovrl}, language {lang} ({prob})"
    )
    dnsmos_runs = sum(row["dnsmos_ovrl"] is not None for row in rows)
    if dnsmos:
        print(
            f"DNSMOS windows: {metrics.dnsmos_windows} for the file, {dnsmos_runs} for segments "
            f"({len(segments) - dnsmos_runs} skipped: already rejected on duration/SNR/clipping)"
        )
    reasons = rejected["reasons"].explode().dropna().map(lambda r: r["rule"])
    print(f"rejections by column: {reasons.value_counts().to_dict()}")
    for name, seconds in timings.items():
        print(f"  {name:18s} {seconds:7.2f} s")
    print(f"wall {wall:.1f} s on {cores} cores -> real-time factor {duration / wall:.0f}x")
    # Other processes on the machine slow the wall clock; CPU time shows the work itself.
    print(
        f"CPU {cpu:.1f} s -> {duration / (cpu / cores):.0f}x if the {cores} cores were ours "
        f"(1-min load average at the end: {load:.1f})"
    )
    print(f"CPU time / wall {cpu / wall:.2f} (cores kept busy; {cores} available)")
    print(f"peak RSS {rss_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--language", action="store_true", help="also run Whisper language ID")
    parser.add_argument("--no-dnsmos", action="store_true", help="skip DNSMOS")
    parser.add_argument(
        "--dnsmos-workers", type=int, default=0, help="DNSMOS threads (0 = one per core)"
    )
    parser.add_argument("--build-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_into:
        build(args.build_into, args.minutes)
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="audio_qc_bench_") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--minutes", str(args.minutes), "--build-into", tmp],
            check=True,
        )
        print(f"built {args.minutes:g} min test file in {time.perf_counter() - t:.0f}s (not timed)")
        sys.path.insert(0, str(ROOT))
        run(work, language=args.language, dnsmos=not args.no_dnsmos, workers=args.dnsmos_workers)


if __name__ == "__main__":
    main()
