"""Where the transcription time goes on a GPU: cProfile of ``WhisperTranscriber.transcribe``.

Runs on the case of ``bench/transcribe.py`` (fixture copies) with each word-timing mode and
with re-decoding of untranscribed stretches on and off, printing the wall time of each and
the 25 functions with the most cumulative time for the slowest. Usage (GPU machine, after
``bench/gpu/run.sh`` has staged everything)::

    python3 bench/gpu/profile_asr.py --model /tmp/tinyen --copies 5
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from transcribe import build_case, run_logic  # noqa: E402

from pixel_assets.transcription.asr import AsrOptions, WhisperTranscriber  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    base = AsrOptions(model=args.model, device="cuda", compute_type="float16",
                      batch_size=args.batch_size, beam_size=5)
    with tempfile.TemporaryDirectory() as tmp:
        case = build_case(Path(tmp), copies=args.copies)
        print(f"audio {case.duration_s:.0f} s, {len(case.segments)} segments")
        worst = None
        for mode, gap in (("inline", 1.0), ("pass", 1.0), ("pass", 0.0), ("inline", 0.0)):
            transcriber = WhisperTranscriber(replace(base, word_alignment=mode, min_gap_s=gap))
            run_logic(transcriber, case)  # warm-up
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            run_logic(transcriber, case)
            profiler.disable()
            wall = time.perf_counter() - start
            print(f"words {mode:6s} re-decode gaps {'on ' if gap else 'off'}: {wall:6.2f} s "
                  f"= {case.duration_s / wall:6.1f}x real time", flush=True)
            if worst is None or wall > worst[0]:
                worst = (wall, mode, gap, profiler)
        wall, mode, gap, profiler = worst
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(f"\nslowest: words {mode}, gaps {gap}\n{out.getvalue()}")


if __name__ == "__main__":
    main()
