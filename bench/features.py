"""Benchmark the feature stage (utterance_features, utterance_embeddings, speaker_profiles)
on about an hour of two-speaker speech.

    .venv/bin/python bench/features.py [--minutes 60] [--no-voice-quality] [--backend praat]

A child process transcribes the two-voice fixture once (whisper tiny.en, VAD segments, real
word timestamps, speakers from the scripted turns) and writes the hour by repeating it with
shifted times and fresh segment ids; so the parent's peak RSS is the feature stage's alone.
Then, timed, the parent runs what the feature assets run per video: every extractor of
``extract_utterance_features`` (text, speech, prosody), ``embed_utterances`` with the offline
MiniLM (loaded once, timed apart), ``speaker_profiles`` and the metadata plot and table.
Prints wall and process-CPU seconds per extractor, the real-time factor (audio seconds / wall
seconds) and peak RSS; on a shared machine (load average printed) the CPU figures are the ones
to compare. Targets: >= 60x real time on 2 cores with embeddings, peak RSS < 2 GB.
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
FIXTURE = ROOT / "pixel_assets_tests" / "fixtures" / "speech" / "two_voices"
SR = 16_000
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def build(out_dir: Path, minutes: float) -> None:
    """Write audio.npy, transcripts.parquet, words.parquet, speakers.parquet for the hour."""
    import pandas as pd
    import soundfile as sf
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    sys.path.insert(0, str(ROOT))
    from pixel_assets.transcription import WhisperTranscriber

    audio, sr = sf.read(f"{FIXTURE}.flac", dtype="float32")
    truth = json.loads(Path(f"{FIXTURE}.json").read_text())
    stamps = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300))
    spans = [(f"seg{i:03d}", s["start"] / sr, s["end"] / sr) for i, s in enumerate(stamps)]
    transcripts, words = WhisperTranscriber().transcribe(audio, sr, spans)
    turns = pd.DataFrame(truth["turns"])

    def speaker_at(t: float) -> str:
        return str(turns.loc[((turns["start_s"] + turns["end_s"]) / 2 - t).abs().idxmin(),
                             "speaker"])

    one = pd.DataFrame(
        {
            "segment_id": [t.segment_id for t in transcripts],
            "start_s": [t.start_s for t in transcripts],
            "end_s": [t.end_s for t in transcripts],
            "text": [t.text for t in transcripts],
            "n_words": [t.n_words for t in transcripts],
        }
    )
    one["speaker"] = [speaker_at((a + b) / 2) for a, b in zip(one.start_s, one.end_s, strict=True)]
    one_words = pd.DataFrame(
        [{"segment_id": w.segment_id, "word": w.word, "start_s": w.start_s, "end_s": w.end_s}
         for w in words]
    )
    repeats = max(1, round(minutes * 60 / (len(audio) / sr)))
    offset = len(audio) / sr
    segs, wrds = [], []
    for k in range(repeats):
        segs.append(one.assign(start_s=one.start_s + k * offset, end_s=one.end_s + k * offset,
                               segment_id=one.segment_id + f"_{k:04d}"))
        wrds.append(one_words.assign(start_s=one_words.start_s + k * offset,
                                     end_s=one_words.end_s + k * offset,
                                     segment_id=one_words.segment_id + f"_{k:04d}"))
    transcripts_df = pd.concat(segs, ignore_index=True).assign(video_id="bench")
    transcripts_df.to_parquet(out_dir / "transcripts.parquet")
    pd.concat(wrds, ignore_index=True).to_parquet(out_dir / "words.parquet")
    rng = np.random.default_rng(0)
    prints = rng.standard_normal((2, 256)).astype(np.float32)
    pd.DataFrame(
        {
            "video_id": "bench",
            "speaker": ["A", "B"],
            "talk_share": [0.5, 0.5],
            "speech_s": [0.0, 0.0],
            "embedding": list(prints / np.linalg.norm(prints, axis=1, keepdims=True)),
        }
    ).to_parquet(out_dir / "speakers.parquet")
    np.save(out_dir / "audio.npy", np.tile(audio, repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--no-voice-quality", action="store_true", help="skip jitter/shimmer")
    parser.add_argument("--backend", default="praat", choices=["praat", "librosa"])
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build, args.minutes)
        return

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--minutes", str(args.minutes), "--build", str(data)],
            check=True,
        )
        print(f"built {args.minutes:.0f} min of input in {time.perf_counter() - started:.1f} s "
              "(child process, not counted)")
        run(data, args)


def run(data: Path, args: argparse.Namespace) -> None:
    """Time the stage on the built input and print the figures."""
    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from pixel_assets.features import (
        FeatureOptions,
        embed_utterances,
        extract_utterance_features,
        features_plot_png,
        profiles_markdown,
        speaker_profiles,
    )
    from pixel_assets.features.text import nrc_lexicon, toxicity_scores
    from pixel_assets.resources.features import EmbedderResource

    transcripts = pd.read_parquet(data / "transcripts.parquet")
    words = pd.read_parquet(data / "words.parquet")
    speakers = pd.read_parquet(data / "speakers.parquet")
    audio = np.load(data / "audio.npy")
    audio_s = audio.size / SR
    options = FeatureOptions(voice_quality=not args.no_voice_quality,
                             prosody_backend=args.backend)

    # Once per process, as the resources do: model and lexicon loading is not per hour.
    load_avg = os.getloadavg()[0]
    started = time.perf_counter()
    embedder = EmbedderResource(device="cpu").get_embedder()
    embedder.encode(["warm up"])
    nrc_lexicon()
    toxicity_scores(["warm up"])
    load_s = time.perf_counter() - started

    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    features = extract_utterance_features(transcripts, words, audio, SR, options, timings=timings)
    cpu["text+speech+prosody"] = time.process_time() - cpu_started
    t0, c0 = time.perf_counter(), time.process_time()
    embeddings = embed_utterances(transcripts, embedder)
    timings["embeddings"], cpu["embeddings"] = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    profiles = speaker_profiles(features, speakers)
    features_plot_png(features, title="bench")
    profiles_markdown(profiles)
    timings["profiles+plot"] = time.perf_counter() - t0
    cpu["profiles+plot"] = time.process_time() - c0
    total_s = time.perf_counter() - started
    total_cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"audio {audio_s / 60:.1f} min, {len(transcripts)} utterances, {len(words)} words, "
          f"{len(embeddings)} embeddings, {len(profiles)} profiles; cpus {os.cpu_count()}, "
          f"load average {load_avg:.1f} at the start")
    print(f"model + lexicon load (once per process): {load_s:.1f} s")
    print("wall seconds per extractor:")
    for name, seconds in timings.items():
        print(f"  {name:<20} {seconds:7.2f} s {audio_s / max(seconds, 1e-9):8.0f}x real time")
    print("process CPU seconds (all threads; on 2 idle cores wall <= this):")
    for name, seconds in cpu.items():
        print(f"  {name:<20} {seconds:7.2f} s {audio_s / max(seconds, 1e-9):8.0f}x real time")
    print(f"features stage wall  {total_s:7.2f} s {audio_s / total_s:8.1f}x real time "
          "(target >= 60x)")
    print(f"features stage CPU   {total_cpu:7.2f} s {audio_s / total_cpu:8.1f}x real time")
    print(f"peak RSS             {peak_mb:7.0f} MB (target < 2048 MB)")
    null_share = float(features["f0_mean_hz"].isna().mean())
    print(f"null prosody share {null_share:.2f}; voice quality "
          f"{'off' if args.no_voice_quality else 'on'}; backend {args.backend}")


if __name__ == "__main__":
    main()
