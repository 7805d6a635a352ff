"""End-to-end bench: raw batched faster-whisper vs the whole per-video chain, on one file.

Usage (repository root)::

    .venv/bin/python bench/pipeline.py                      # CPU, 20 min, Dagster chain
    .venv/bin/python bench/pipeline.py --device cuda        # GPU machine with dagster
    python3 bench/pipeline.py --device cuda --no-asset      # GPU box without dagster

Builds a ~20-minute two-speaker recording from the committed speech fixtures (``two_voices`` and
``one_voice``, voices A and B), then, in one run:

1. raw ASR: ``BatchedInferencePipeline.transcribe`` over Silero VAD clips (<= 30 s) with the same
   model, threads, beam and batch as the chain, word timestamps on (model load not timed);
2. the chain: ``pixel-voice run LIST --until filtered_transcripts`` on a fresh data dir and
   Dagster home (a child process, so process start and model loads count, as for a user), with
   per-stage times from Dagster's step stats; or, with ``--no-asset``, the same stage logic
   called in-process (audio QC, segments, transcription + diarization, filter), timed per stage.

Prints each stage's time, real-time factors, the chain's throughput as a share of raw ASR's and
peak RSS. Targets with tiny.en on 2 CPU cores: chain >= 20x real time, >= 0.4 of raw ASR,
peak RSS < 4 GB; on an H100 the chain >= 180x.
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

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may reach a model hub

ROOT = Path(__file__).resolve().parents[1]
SPEECH_DIR = ROOT / "pixel_assets_tests" / "fixtures" / "speech"
SAMPLE_RATE = 16_000
PIECES = ("two_voices", "one_voice")  # voices A and B only: a two-speaker file


def build_audio(minutes: float) -> np.ndarray:
    """The fixtures in turn, with 0.5-1.5 s pauses, until ``minutes`` of audio."""
    import soundfile as sf

    rng = np.random.default_rng(0)
    parts, total, i = [], 0, 0
    target = int(minutes * 60 * SAMPLE_RATE)
    while total < target:
        audio, sr = sf.read(SPEECH_DIR / f"{PIECES[i % len(PIECES)]}.flac", dtype="float32")
        assert sr == SAMPLE_RATE
        gap = np.zeros(int(rng.uniform(0.5, 1.5) * SAMPLE_RATE), dtype=np.float32)
        parts += [audio, gap]
        total += audio.size + gap.size
        i += 1
    return np.concatenate(parts)[:target]


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB (Linux reports KB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def run_raw(args: argparse.Namespace, audio: np.ndarray) -> dict[str, float]:
    """Raw batched faster-whisper on VAD clips, as the chain's transcription is configured."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    sys.path.insert(0, str(ROOT))
    from pixel_assets.transcription.asr import (
        resolve_asr_model,
        resolve_compute_type,
        resolve_device,
    )

    device = resolve_device(args.device)
    path = resolve_asr_model(args.model)
    model = WhisperModel(
        path, device=device, compute_type=resolve_compute_type(args.compute_type, device),
        cpu_threads=args.cpu_threads, local_files_only=Path(path).is_dir(),
    )
    pipeline = BatchedInferencePipeline(model)
    start = time.perf_counter()
    stamps = get_speech_timestamps(
        audio, VadOptions(min_silence_duration_ms=500, max_speech_duration_s=30)
    )
    clips = [{"start": s["start"] / SAMPLE_RATE, "end": s["end"] / SAMPLE_RATE} for s in stamps]
    vad_s = time.perf_counter() - start
    segments, _ = pipeline.transcribe(
        audio, clip_timestamps=clips, batch_size=args.batch_size, beam_size=args.beam_size,
        word_timestamps=True, without_timestamps=False, vad_filter=False, language="en",
    )
    words = sum(len(s.words or []) for s in segments)
    total = time.perf_counter() - start
    return {"raw ASR (incl. VAD)": total, "raw VAD": vad_s, "raw words": float(words)}


def run_chain_cli(args: argparse.Namespace, work: Path, audio_path: Path) -> dict[str, float]:
    """``pixel-voice run --until filtered_transcripts`` in a child; stage times from Dagster."""
    list_file = audio_path.parent / "bench.txt"
    list_file.write_text(f"{audio_path.name}\n")
    home = work / "dagster_home"
    home.mkdir()
    env = dict(os.environ, DAGSTER_HOME=str(home), PIXEL_DATA_DIR=str(work / "data"),
               HF_HUB_OFFLINE="1")
    sets = [f"asr.beam_size={args.beam_size}", f"asr.batch_size={args.batch_size}",
            f"asr.cpu_threads={args.cpu_threads}", f"asr.device={args.device}",
            f"asr.compute_type={args.compute_type}", f"diarizer.device={args.device}"]
    if args.model != "tiny.en-offline":
        sets.append(f"asr.model={args.model}")
    command = [sys.executable, "-m", "pixel_assets.cli", "run", str(list_file),
               "--until", "filtered_transcripts", "--allow-local-files", "--quiet"]
    for value in sets:
        command += ["--set", value]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"pixel-voice run failed ({done.returncode}):\n{done.stdout}\n"
                           f"{done.stderr[-4000:]}")
    out: dict[str, float] = {"chain wall (process)": wall,
                             "chain peak RSS MB": peak_rss_mb(resource.RUSAGE_CHILDREN)}
    out.update(_step_times(home, env))
    return out


def _step_times(home: Path, env: dict[str, str]) -> dict[str, float]:
    """Per-step wall times of every run in the bench's Dagster home (a child process, so the
    bench itself does not import dagster before the chain runs)."""
    code = (
        "import json, dagster as dg\n"
        "inst = dg.DagsterInstance.get()\n"
        "out = {}\n"
        "for run in inst.get_runs():\n"
        "    for s in inst.get_run_step_stats(run.run_id):\n"
        "        if s.start_time and s.end_time:\n"
        "            out[s.step_key] = out.get(s.step_key, 0) + s.end_time - s.start_time\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True)
    return {f"step {k}": v for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


def run_chain_logic(args: argparse.Namespace, audio: np.ndarray) -> dict[str, float]:
    """The chain's stage logic in-process, without Dagster (for bare GPU machines)."""
    sys.path.insert(0, str(ROOT))
    from pixel_assets.audio.dnsmos import DnsmosScorer
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
    from pixel_assets.transcription.asr import AsrOptions, WhisperTranscriber
    from pixel_assets.transcription.coverage import asr_coverage
    from pixel_assets.transcription.diarization import make_diarizer
    from pixel_assets.transcription.overlap import transcribe_while_diarizing
    from pixel_assets.transcription.schemas import (
        filter_transcripts,
        transcript_segments_frame,
        words_frame,
    )
    from pixel_assets.transcription.speakers import assign_speakers, split_transcripts

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    options = AsrOptions(model=args.model, device=args.device, compute_type=args.compute_type,
                         beam_size=args.beam_size, batch_size=args.batch_size,
                         cpu_threads=args.cpu_threads)
    transcriber = WhisperTranscriber(options)
    diarizer = make_diarizer("resemblyzer", device=args.device)
    providers = ("CUDAExecutionProvider", "CPUExecutionProvider")
    scorer = DnsmosScorer(threads=1, providers=providers)
    times["model loads (not in chain)"] = time.perf_counter() - t0

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        times[f"stage {name}"] = now - since
        return now

    start = t = time.perf_counter()
    speech = detect_speech(audio, SAMPLE_RATE)
    analysis = analyse_audio(audio, SAMPLE_RATE, speech)
    metrics = measure_audio(audio, audio, SAMPLE_RATE, speech, dnsmos=scorer, analysis=analysis)
    evaluate(metrics, QCThresholds())
    t = lap("audio_qc", t)
    segments = make_segments(speech, audio=audio, sample_rate=SAMPLE_RATE)
    gate = SegmentThresholds()
    rows = measure_segments(audio, audio, SAMPLE_RATE, segments, speech, scorer, analysis,
                            dnsmos_gate=gate)
    kept, _ = split_segments(segments_frame("bench", segments, rows), gate)
    t = lap("segments", t)
    spans = list(zip(kept["segment_id"], kept["start_s"], kept["end_s"], strict=True))
    # As the asset does: diarization in a second thread while ASR runs.
    (transcripts, words), result = transcribe_while_diarizing(
        lambda: transcriber.transcribe(audio, SAMPLE_RATE, spans, speech_regions=speech),
        lambda: diarizer.diarize(audio, SAMPLE_RATE, speech),
    )
    t = lap("transcripts: ASR beside diarization", t)
    frame = transcript_segments_frame("bench", transcripts, transcriber.model_label)
    words_df = assign_speakers(words_frame("bench", words), result.turns)
    frame, words_df = split_transcripts(frame, words_df, result.turns)
    coverage = asr_coverage(speech, spans, words_df)
    t = lap("transcripts: join, split, coverage", t)
    passed, rejected = filter_transcripts(frame)
    t = lap("filtered_transcripts", t)
    times["chain (stages)"] = t - start
    times["segments kept"] = float(len(spans))
    times["speakers"] = float(len(result.speakers))
    times["asr_coverage"] = coverage.coverage
    times["rows passed / rejected"] = float(len(passed)) + len(rejected) / 1000
    return times


def main(argv: list[str] | None = None) -> None:
    """Build the file, run raw ASR and the chain, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--model", default="tiny.en-offline")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--compute-type", default="auto")
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--cpu-threads", type=int, default=0)
    parser.add_argument("--no-asset", action="store_true",
                        help="run the stage logic in-process instead of pixel-voice (no dagster)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    audio = build_audio(args.minutes)
    duration = audio.size / SAMPLE_RATE
    print(f"audio: {duration / 60:.1f} min; model {args.model}, device {args.device}, "
          f"beam {args.beam_size}, batch {args.batch_size}, threads {args.cpu_threads or 'auto'}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="pipeline_bench_") as tmp:
        work = Path(tmp)
        figures = run_raw(args, audio)
        print(f"raw ASR {figures['raw ASR (incl. VAD)']:.1f} s", flush=True)
        if args.no_asset:
            figures.update(run_chain_logic(args, audio))
            chain = figures["chain (stages)"]
        else:
            import soundfile as sf

            media = work / "lists"
            media.mkdir()
            sf.write(media / "bench.wav", audio, SAMPLE_RATE, subtype="PCM_16")
            figures.update(run_chain_cli(args, work, media / "bench.wav"))
            chain = figures["chain wall (process)"]
    raw = figures["raw ASR (incl. VAD)"]
    for name, value in figures.items():
        is_time = name.startswith(("raw ASR", "raw VAD", "step", "stage", "chain", "model"))
        if is_time and "RSS" not in name:
            print(f"  {name:40s} {value:8.2f} s  {duration / max(value, 1e-9):8.1f}x real time")
        else:
            print(f"  {name:40s} {value:10.3f}")
    ratio = raw / chain
    rss = max(peak_rss_mb(), figures.get("chain peak RSS MB", 0.0))
    print(f"raw ASR {duration / raw:.1f}x real time; chain {duration / chain:.1f}x real time; "
          f"chain / raw throughput {ratio:.2f} (targets on 2 cores: chain >= 20x, >= 0.4)")
    print(f"peak RSS {rss:.0f} MB (target < 4096)")
    if args.json:
        args.json.write_text(json.dumps({**figures, "duration_s": duration, "ratio": ratio,
                                         "peak_rss_mb": rss}, indent=2))


if __name__ == "__main__":
    main()
