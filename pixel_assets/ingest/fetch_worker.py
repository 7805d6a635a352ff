"""The child process behind :func:`pixel_assets.ingest.download.download_audio`.

yt-dlp runs here, not in the Dagster step, so the step can stop it at any moment: a
blocking socket read cannot be interrupted inside one process, but a child can be killed
(on Ctrl-C, on the overall deadline, when throughput stays too low). The job arrives as JSON
on stdin, never on the command line, because the URL and headers may hold credentials; the
answer is written as JSON to the job's ``result_file``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

# Fields kept from yt-dlp's info dict (the rest is large and unused).
INFO_FIELDS = (
    "id", "title", "channel", "uploader", "duration", "upload_date", "webpage_url",
    "original_url", "extractor_key", "extractor", "license", "ext",
)


class _StderrLogger:
    """yt-dlp's messages go to stderr (the parent keeps them in a log file)."""

    def debug(self, msg: str) -> None:
        pass

    def info(self, msg: str) -> None:
        pass

    def warning(self, msg: str) -> None:
        print(msg, file=sys.stderr)

    def error(self, msg: str) -> None:
        print(msg, file=sys.stderr)


def fetch(job: dict[str, Any]) -> dict[str, Any]:
    """Run one download; the answer says ``ok``, or why not (``message`` / ``too_long_s``)."""
    import yt_dlp
    from yt_dlp.utils import YoutubeDLError

    options = {**job["ydl"], "logger": _StderrLogger()}
    try:
        with yt_dlp.YoutubeDL(options) as ydl:
            info = ydl.extract_info(job["url"], download=False)
            if info is None:
                return {"ok": False, "message": "yt-dlp found nothing at this URL"}
            duration = info.get("duration")
            if duration and duration > job["max_duration_s"]:
                return {"ok": False, "too_long_s": float(duration)}
            info = ydl.process_ie_result(info, download=True)
    except YoutubeDLError as exc:
        return {"ok": False, "message": str(exc)}
    except OSError as exc:  # e.g. a local file that cannot be read
        return {"ok": False, "message": f"{type(exc).__name__}: {exc}"}
    kept = {k: info.get(k) for k in INFO_FIELDS}
    return {"ok": True, "info": json.loads(json.dumps(kept, default=str))}


def main() -> int:
    job = json.loads(sys.stdin.read())
    answer = fetch(job)
    target = Path(job["result_file"])
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(answer))
    os.replace(tmp, target)  # the parent never reads half an answer
    return 0


if __name__ == "__main__":
    sys.exit(main())
