"""Make the demo's sample audio (committed; re-run to regenerate).

Needs espeak-ng and sox (Debian packages) and the project's venv (for ffmpeg).
Usage: .venv/bin/python samples/make_samples.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from pixel_assets.ingest.standardise import ffmpeg_executable

HERE = Path(__file__).parent / "audio"

# Voices resemblyzer tells apart (see pixel_assets_tests/fixtures/make_speech_fixtures.py).
COUNSELLOR = ("en-us", "35", [
    "Thanks for coming in today. How have you been feeling this week?",
    "That sounds really hard. What helps you when the worry gets loud?",
])
CLIENT = ("en-us+f4", "80", [
    "Honestly, I have been anxious most mornings, and it is hard to get started.",
    "Talking to my sister helps, and going for a short walk before work.",
])


def say(text: str, voice: str, pitch: str, out: Path) -> None:
    subprocess.run(
        ["espeak-ng", "-v", voice, "-p", pitch, "-s", "165", "-w", str(out), text], check=True
    )


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        turns = []
        for index in range(2):
            for who, (voice, pitch, lines) in enumerate((COUNSELLOR, CLIENT)):
                wav = tmp / f"turn{index}{who}.wav"
                say(lines[index], voice, pitch, wav)
                turns.append(str(wav))
        silence = tmp / "pause.wav"
        subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", str(silence), "trim", "0", "0.6"],
                       check=True)
        joined = [part for turn in turns for part in (turn, str(silence))]
        dialogue = tmp / "dialogue.wav"
        subprocess.run(["sox", *joined, str(dialogue)], check=True)
        # Stereo 44.1 kHz MP3 and Ogg/Vorbis at an odd level: standardisation has work to do.
        subprocess.run([ffmpeg_executable(), "-y", "-loglevel", "error", "-i", str(dialogue),
                        "-ac", "2", "-ar", "44100", "-af", "volume=-9dB", "-b:a", "48k",
                        str(HERE / "session_dialogue.mp3")], check=True)
        single = tmp / "single.wav"
        say(" ".join(CLIENT[2]), CLIENT[0], CLIENT[1], single)
        subprocess.run([ffmpeg_executable(), "-y", "-loglevel", "error", "-i", str(single),
                        "-ar", "22050", "-c:a", "libvorbis", "-q:a", "1",
                        str(HERE / "reflection.ogg")], check=True)


if __name__ == "__main__":
    main()
