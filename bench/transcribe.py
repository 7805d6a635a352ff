"""Benchmark the transcription logic against raw faster-whisper, and report WER / DER.

Usage (repository root)::

    .venv/bin/python bench/transcribe.py                    # CPU, defaults of AsrOptions
    .venv/bin/python bench/transcribe.py --device cuda --compute-type float16 --batch-size 16
    .venv/bin/python bench/transcribe.py --word-alignment pass   # separate alignment pass
    .venv/bin/python bench/transcribe.py --pack-window-s 0       # one clip per segment

``--word-alignment`` picks how (2)-(5) get word timestamps (``auto``: a separate batched pass
on CUDA, inline on CPU); raw (1) always aligns inline, as faster-whisper does.

Times, on the same ~3 min of audio (the speech fixtures concatenated, written as ``audio.flac``
in a temp dir and read back as ingest output would be) and the same clip timestamps:

1. raw: ``BatchedInferencePipeline.transcribe`` with the same model / threads / batch size;
2. logic: ``WhisperTranscriber.transcribe`` (what the transcripts asset calls); with packing on
   (``--pack-window-s`` > 0) also (2u), the same without packing, and WER for both;
3. logic + diarization + word-speaker join + split (the whole stage minus storage).

``run_raw``, ``run_logic`` and ``run_stage`` are importable so that a later bench can add the
Dagster asset's own timing on the same :class:`BenchCase`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may reach a model hub

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pixel_assets.transcription.asr import AsrOptions, WhisperTranscriber  # noqa: E402
from pixel_assets.transcription.diarization import Diarizer, make_diarizer  # noqa: E402
from pixel_assets.transcription.metrics import (  # noqa: E402
    diarization_error_rate,
    word_error_rate,
)
from pixel_assets.transcription.schemas import (  # noqa: E402
    transcript_segments_frame,
    words_frame,
)
from pixel_assets.transcription.speakers import (  # noqa: E402
    assign_speakers,
    split_segments_at_speaker_changes,
)

SPEECH_DIR = ROOT / "pixel_assets_tests" / "fixtures" / "speech"
SAMPLE_RATE = 16_000


@dataclass
class BenchCase:
    """Audio of one synthetic "video" and its QC-like segments."""

    audio: np.ndarray
    segments: list[tuple[str, float, float]]

    @property
    def duration_s(self) -> float:
        """Audio length."""
        return len(self.audio) / SAMPLE_RATE

    @property
    def speech_s(self) -> float:
        """Total length of the segments."""
        return sum(b - a for _, a, b in self.segments)


def speech_segments(audio: np.ndarray, video_id: str) -> list[tuple[str, float, float]]:
    """QC-like segments (<= 30 s) from Silero VAD, ids as the QC stage names them."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(
        audio, VadOptions(min_silence_duration_ms=500, max_speech_duration_s=30)
    )
    return [
        (f"{video_id}_{i:04d}", s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE)
        for i, s in enumerate(stamps)
    ]


def build_case(workdir: Path, copies: int = 3) -> BenchCase:
    """Concatenate the fixtures ``copies`` times, write/read ``audio.flac`` like ingest does."""
    parts = []
    for _ in range(copies):
        for name in ("one_voice", "two_voices"):
            audio, sr = sf.read(SPEECH_DIR / f"{name}.flac", dtype="float32")
            assert sr == SAMPLE_RATE
            parts.append(audio)
    path = workdir / "audio.flac"
    sf.write(path, np.concatenate(parts), SAMPLE_RATE, subtype="PCM_16")
    audio, _ = sf.read(path, dtype="float32")
    return BenchCase(audio, speech_segments(audio, "bench"))


def run_raw(transcriber: WhisperTranscriber, case: BenchCase) -> list:
    """Raw faster-whisper: one ``BatchedInferencePipeline.transcribe`` over the clips."""
    from faster_whisper import BatchedInferencePipeline

    pipeline = transcriber.pipeline or BatchedInferencePipeline(transcriber.model)
    segments, _ = pipeline.transcribe(
        case.audio,
        clip_timestamps=[{"start": a, "end": b} for _, a, b in case.segments],
        batch_size=max(1, transcriber.options.batch_size),
        without_timestamps=False,
        **transcriber._decode_kwargs(),
    )
    return list(segments)


def run_logic(transcriber: WhisperTranscriber, case: BenchCase):
    """What the transcripts asset calls."""
    return transcriber.transcribe(case.audio, SAMPLE_RATE, case.segments)


@contextlib.contextmanager
def packing(transcriber: WhisperTranscriber, pack_window_s: float):
    """Run with another ``pack_window_s`` on the same loaded model (a second model in memory
    would slow both)."""
    saved = transcriber.options
    transcriber.options = replace(saved, pack_window_s=pack_window_s)
    try:
        yield transcriber
    finally:
        transcriber.options = saved


def run_unpacked(transcriber: WhisperTranscriber, case: BenchCase):
    """(2) with one clip per segment (``pack_window_s=0``)."""
    with packing(transcriber, 0.0):
        return run_logic(transcriber, case)


def run_stage(transcriber: WhisperTranscriber, diarizer: Diarizer, case: BenchCase):
    """Transcription + diarization + word-speaker join + split at speaker changes."""
    transcripts, words = transcriber.transcribe(case.audio, SAMPLE_RATE, case.segments)
    result = diarizer.diarize(case.audio, SAMPLE_RATE, [(a, b) for _, a, b in case.segments])
    seg_df = transcript_segments_frame("bench", transcripts, transcriber.model_label)
    words_df = assign_speakers(words_frame("bench", words), result.turns)
    return split_segments_at_speaker_changes(seg_df, words_df, result.turns)


def asset_runner(case: BenchCase, workdir: Path, options: AsrOptions, backend: str):
    """A callable that materialises the real ``transcripts`` asset on the case's audio.

    Upstream tables (audio, ``segments``, ``speech_regions``) are written as the earlier
    stages would, so only the transcription step is timed, with its Dagster overhead.
    """
    import dagster as dg
    import pandas as pd

    from pixel_assets.catalog import open_storage
    from pixel_assets.ingest.raw_audio import AUDIO_FILE, SOURCE_AUDIO_FILE, audio_parts
    from pixel_assets.resources import (
        AsrResource,
        DiarizerResource,
        StorageResource,
        TranscriptFilterResource,
    )
    from pixel_assets.transcription.assets import transcripts

    key = f"bench-{backend}"
    storage = open_storage(str(workdir / f"data-{backend}"))
    flac = workdir / "audio.flac"
    sf.write(flac, case.audio, SAMPLE_RATE, subtype="PCM_16")
    for name in (AUDIO_FILE, SOURCE_AUDIO_FILE):
        storage.put_file(flac, *audio_parts(key, name))
    # Rows as the QC stage writes them (ids <video>_<index>, QC measures not taken here).
    storage.write_partition("segments", key, pd.DataFrame(
        [{"video_id": key, "segment_id": f"{key}_{i:04d}", "segment_index": i, "start_s": a,
          "end_s": b, "duration_s": b - a, "snr_db": None, "loudness_lufs": None,
          "clipping_ratio": 0.0, "dnsmos_ovrl": None, "passed": True, "reasons": [],
          "reason_text": None} for i, (_, a, b) in enumerate(case.segments)]
    ))
    storage.write_partition("speech_regions", key, pd.DataFrame(
        [{"video_id": key, "region_index": i, "start_s": a, "end_s": b}
         for i, (_, a, b) in enumerate(case.segments)]
    ))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("videos", [key])
    resources = {
        "storage": StorageResource(data_dir=str(workdir / f"data-{backend}")),
        "asr": AsrResource.from_options(options),
        "diarizer": DiarizerResource(backend=backend, device="cpu"),
        "transcript_filter": TranscriptFilterResource(),
    }

    def run() -> None:
        result = dg.materialize(
            [transcripts], partition_key=key, instance=instance, resources=resources,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
        assert result.success

    return run


def best_times(runners: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Fastest of ``repeats`` runs of each runner after one warm-up run each (seconds).

    The runners take turns (round robin), so a change in machine load during the bench
    (other jobs, CPU frequency) falls on all of them alike instead of on whichever ran then;
    their ratios are what the bench reports.
    """
    for fn in runners.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(repeats):
        for name, fn in runners.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def quality(transcriber: WhisperTranscriber, diarizer: Diarizer) -> dict[str, float]:
    """WER on the fixtures and DER / speaker count (DER needs pyannote.metrics)."""
    import json

    out: dict[str, float] = {}
    for name in ("one_voice", "two_voices", "hard_pair"):
        audio, _ = sf.read(SPEECH_DIR / f"{name}.flac", dtype="float32")
        truth = json.loads((SPEECH_DIR / f"{name}.json").read_text())
        segments = speech_segments(audio, name)
        transcripts, _ = transcriber.transcribe(audio, SAMPLE_RATE, segments)
        hyp = " ".join(t.text for t in transcripts)
        out[f"wer_{name}"] = word_error_rate(truth["text"], hyp)
        result = diarizer.diarize(audio, SAMPLE_RATE, [(a, b) for _, a, b in segments])
        out[f"speakers_{name}"] = len(result.speakers)
        try:
            out[f"der_{name}"] = diarization_error_rate(truth["turns"], result.turns, collar=0.25)
        except ImportError:  # pyannote.metrics is not staged on bare GPU machines
            out[f"der_{name}"] = float("nan")
    return out


def main(argv: list[str] | None = None) -> None:
    """Parse options, run the three timings and the quality figures, print a report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    defaults = AsrOptions()
    parser.add_argument("--model", default=defaults.model)
    parser.add_argument("--device", default=defaults.device, choices=["auto", "cpu", "cuda"])
    parser.add_argument("--compute-type", default=defaults.compute_type)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--beam-size", type=int, default=defaults.beam_size)
    parser.add_argument("--cpu-threads", type=int, default=defaults.cpu_threads)
    parser.add_argument(
        "--word-alignment", default=defaults.word_alignment, choices=["auto", "inline", "pass"]
    )
    parser.add_argument(
        "--pack-window-s", type=float, default=defaults.pack_window_s,
        help="pack segments into decoding windows of up to this many s; 0 = one clip each",
    )
    parser.add_argument("--no-quality", action="store_true", help="skip the WER / DER part")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--copies", type=int, default=3, help="fixture copies (~60 s each)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-asset", action="store_true",
        help="skip (4)/(5), the Dagster asset runs (e.g. on a GPU box without dagster)",
    )
    args = parser.parse_args(argv)

    options = AsrOptions(
        model=args.model,
        device=args.device,
        compute_type=args.compute_type,
        batch_size=args.batch_size,
        beam_size=args.beam_size,
        cpu_threads=args.cpu_threads,
        word_alignment=args.word_alignment,
        pack_window_s=args.pack_window_s,
    )
    start = time.perf_counter()
    if args.no_asset:
        transcriber = WhisperTranscriber(options)
    else:
        # The very model the asset's resource will use: a run holds one model per process, and
        # a second copy in memory slows whichever of the two is used (measured ~5 %).
        from pixel_assets.resources import AsrResource

        transcriber = AsrResource.from_options(options).get_transcriber()
    load_asr = time.perf_counter() - start
    start = time.perf_counter()
    diarizer = make_diarizer(
        "resemblyzer", device="cuda" if transcriber.device == "cuda" else "cpu"
    )
    load_dia = time.perf_counter() - start

    tmp_dir = tempfile.TemporaryDirectory()
    workdir = Path(tmp_dir.name)
    case = build_case(workdir, args.copies)
    print(
        f"model {transcriber.model_label} on {transcriber.device}, batch {args.batch_size}, "
        f"beam {args.beam_size}, words {transcriber.word_alignment}, "
        f"threads {args.cpu_threads or 'auto'}, pack {args.pack_window_s:g} s; "
        f"load ASR {load_asr:.2f} s, diarizer {load_dia:.2f} s"
    )
    print(
        f"audio {case.duration_s:.1f} s, {len(case.segments)} segments, "
        f"{case.speech_s:.1f} s of speech"
    )
    runners: dict[str, Callable[[], object]] = {
        "(1) raw BatchedInferencePipeline": lambda: run_raw(transcriber, case),
        "(2) WhisperTranscriber.transcribe": lambda: run_logic(transcriber, case),
        "(3) transcribe + diarize + split": lambda: run_stage(transcriber, diarizer, case),
    }
    if args.pack_window_s > 0:
        runners["(2u) transcribe, pack_window_s=0"] = lambda: run_unpacked(transcriber, case)
    # The asset's resources share this process's cached models, as in a real run.
    if not args.no_asset:
        runners["(4) transcripts asset, no diarization"] = asset_runner(
            case, workdir, options, "none"
        )
        runners["(5) transcripts asset, diarization"] = asset_runner(
            case, workdir, options, "resemblyzer"
        )
    best = best_times(runners, args.repeats)
    timings = list(best.items())
    t_raw, t_logic, t_stage = (best[name] for name in list(runners)[:3])
    t_asset_plain = best.get("(4) transcripts asset, no diarization", float("nan"))
    tmp_dir.cleanup()
    for label, t in timings:
        speed = case.duration_s / t
        print(f"{label:36s} {t:7.2f} s  {speed:6.1f}x real time  RTF {1 / speed:.4f}")
    print(f"throughput ratio (2)/(1): {t_raw / t_logic:.2f}")
    if "(2u) transcribe, pack_window_s=0" in best:
        t_unpacked = best["(2u) transcribe, pack_window_s=0"]
        print(f"throughput ratio (2u)/(1): {t_raw / t_unpacked:.2f}; packing speed-up "
              f"(2u)/(2): {t_unpacked / t_logic:.2f}")
    if not args.no_asset:
        print(f"asset throughput / raw, (4)/(1): {t_raw / t_asset_plain:.2f}  (goal >= 0.9)")
    print(f"diarization share of (3): {(t_stage - t_logic) / t_stage:.0%}")
    figures = {label: case.duration_s / t for label, t in timings}
    if not args.no_quality:
        for key, value in quality(transcriber, diarizer).items():
            fmt = f"{value:.0f}" if key.startswith("speakers") else f"{value:.3f}"
            print(f"{key:22s} {fmt}")
            figures[key] = value
        if args.pack_window_s > 0:
            with packing(transcriber, 0.0):
                for key, value in quality(transcriber, diarizer).items():
                    if key.startswith("wer"):
                        print(f"{key + ' (unpacked)':22s} {value:.3f}")
                        figures[f"{key}_unpacked"] = value
    if args.json:
        import json

        args.json.write_text(json.dumps(
            {"device": transcriber.device, "word_alignment": transcriber.word_alignment,
             "batch_size": args.batch_size, "beam_size": args.beam_size,
             "x_real_time": figures}, indent=2))


if __name__ == "__main__":
    main()
