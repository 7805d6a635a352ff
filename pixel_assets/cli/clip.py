"""``pixel-voice clip SEGMENT_ID``: export one segment's audio to a file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from pixel_assets.cli.common import EXIT_OK, EXIT_USAGE, open_cli_storage


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``clip`` to the main CLI's sub-parsers."""
    clip = subparsers.add_parser("clip", help="export one segment's audio to a file")
    clip.add_argument("segment_id", help="e.g. dQw4w9WgXcQ_0003 (see the segments table)")
    clip.add_argument("-o", "--output", help="output file (.wav or .flac); default SEGMENT.wav")
    return clip


def run(args: argparse.Namespace, console: Console) -> int:
    """Carry out ``pixel-voice clip``; returns the exit code."""
    from pixel_assets.audio.clips import export_clip
    from pixel_assets.ingest.raw_audio import audio_parts

    storage = open_cli_storage()
    table = storage.read_table("segments")
    rows = table[table["segment_id"] == args.segment_id]
    if rows.empty:
        console.print(
            f"[red]Segment {escape(repr(args.segment_id))} is not in the segments table; list "
            "them with `pixel-voice query \"SELECT segment_id FROM segments\"`.[/red]"
        )
        return EXIT_USAGE
    row = rows.iloc[0]
    out = Path(args.output or f"{args.segment_id}.wav")
    audio_file = storage.local_copy(*audio_parts(row["video_id"]))
    export_clip(audio_file, row["start_s"], row["end_s"], out)
    console.print(
        f"Wrote {escape(str(out))} ({row['end_s'] - row['start_s']:.2f}s of "
        f"{escape(row['video_id'])})."
    )
    return EXIT_OK
