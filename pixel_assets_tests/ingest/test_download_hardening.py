"""Hostile and private sources on a loopback server: slow drips stop on the deadline and the
throughput rule, credentials download but are never stored, permanent faults fail at once."""

from __future__ import annotations

import base64
import http.server
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from pixel_assets.errors import DownloadTooSlowError, TransientDownloadError
from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.download import DownloadOptions, download_audio
from pixel_assets.ingest.registry import lookup_source, record_list
from pixel_assets.ingest.standardise import ffmpeg_executable
from pixel_assets.ingest.video_lists import parse_video_list
from pixel_assets.partitions import videos_partitions
from pixel_assets_tests.conftest import MEDIA

PASSWORD = "Secret-Pa55"
MP3 = (MEDIA / "speech.mp3").read_bytes()


def _video_only_mp4(folder: Path) -> bytes:
    """A real MP4 with a video stream and no audio (a screen recording without sound)."""
    out = folder / "video_only.mp4"
    subprocess.run(
        [ffmpeg_executable(), "-y", "-loglevel", "error", "-f", "lavfi", "-i",
         "testsrc=duration=1:size=32x32:rate=5", "-c:v", "mpeg4", str(out)],
        check=True,
    )
    return out.read_bytes()


class _Hostile(http.server.BaseHTTPRequestHandler):
    """Each path is one kind of source seen in the wild."""

    protocol_version = "HTTP/1.1"
    payloads: dict[str, bytes] = {}
    requests: list[str] = []

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        type(self).requests.append(self.path)
        name = self.path.lstrip("/").split("?")[0]
        if name == "drip.mp3":  # a steady trickle: one byte every 0.3 s, forever
            self.send_response(200)
            self.send_header("Content-Type", "audio/mpeg")
            self.send_header("Content-Length", str(len(MP3)))
            self.end_headers()
            try:
                for byte in MP3:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass  # the client gave up: that is the point
            return
        if name == "private.mp3":
            expected = "Basic " + base64.b64encode(f"user:{PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != expected:  # case-sensitive, as servers are
                self._send(401, headers={"WWW-Authenticate": 'Basic realm="talks"'})
                return
            self._send(200, MP3, {"Content-Type": "audio/mpeg"})
            return
        if name == "loop.mp3":
            self._send(302, headers={"Location": "/loop.mp3"})
            return
        if name == "empty.mp3":
            self._send(200, b"", {"Content-Type": "audio/mpeg"})
            return
        if name == "long.mp3":
            self._send(414)
            return
        if name == "down.mp3":
            self._send(503)
            return
        if name in self.payloads:
            self._send(200, self.payloads[name], {"Content-Type": "application/octet-stream"})
            return
        self._send(404)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Iterator[str]:
    _Hostile.payloads = {"silent.mp4": _video_only_mp4(tmp_path_factory.mktemp("media"))}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def register(storage, instance, lines: list[str], tmp_path: Path) -> list[str]:
    list_file = tmp_path / "private.txt"
    list_file.write_text("\n".join(lines) + "\n")
    parsed = parse_video_list(str(list_file), list_file.read_text())
    assert not parsed.rejections, parsed.rejections
    record_list(storage, parsed)
    instance.add_dynamic_partitions(videos_partitions.name, parsed.video_ids)
    return parsed.video_ids


def materialize(key, instance, resources) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [raw_audio], partition_key=key, instance=instance, resources=resources,
        raise_on_error=False,
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (DownloadOptions(deadline_s=2, min_bytes_per_s=0, poll_interval_s=0.05),
         "overall deadline of 2s"),
        (DownloadOptions(deadline_s=600, min_bytes_per_s=1000, throughput_window_s=1.5,
                         poll_interval_s=0.05), "below the minimum of 1000 bytes/s"),
    ],
    ids=["deadline", "throughput"],
)
def test_slow_drip_download_stops_on_deadline_and_throughput(hostile, tmp_path, options,
                                                             expected):
    started = time.monotonic()
    with pytest.raises(DownloadTooSlowError, match=expected) as caught:
        download_audio("url-drip", f"http://{hostile}/drip.mp3", tmp_path, options)
    # Without the rule the drip would keep the download open for hours.
    assert time.monotonic() - started < 8
    assert caught.value.retryable is False
    assert "PIXEL_" in str(caught.value)  # the message names the setting that changes it


def test_credentials_download_exactly_and_are_never_stored_or_logged(
    hostile, tmp_path, pixel_resources, dagster_instance, caplog
):
    storage = pixel_resources["storage"].get_storage()
    url = f"http://user:{PASSWORD}@{hostile}/private.mp3"
    (key,) = register(storage, dagster_instance, [url], tmp_path)
    # The key is the URL's without credentials: a password change keeps the same video.
    assert key == parse_video_list("l.txt", f"http://{hostile}/private.mp3").video_ids[0]
    assert lookup_source(storage, key).source_url == f"http://***@{hostile}/private.mp3"

    caplog.set_level("DEBUG")
    result = materialize(key, dagster_instance, pixel_resources)
    assert result.success

    videos = storage.read_table("videos")
    assert videos["source_url"].tolist() == [f"http://***@{hostile}/private.mp3"]
    assert videos["webpage_url"].iloc[0] is None or PASSWORD not in videos["webpage_url"].iloc[0]
    everything_stored = b"".join(p.read_bytes() for p in Path(storage.root).rglob("*")
                                 if p.is_file())
    assert PASSWORD.encode() not in everything_stored
    assert PASSWORD.lower().encode() not in everything_stored
    events = "".join(str(r) for r in dagster_instance.all_logs(result.run_id))
    assert PASSWORD not in events
    assert PASSWORD not in caplog.text
    home = Path(dagster_instance.root_directory)
    assert not any(PASSWORD.encode() in p.read_bytes() for p in home.rglob("*") if p.is_file())


def test_wrong_case_password_is_refused_once_with_a_fix(
    hostile, tmp_path, pixel_resources, dagster_instance
):
    storage = pixel_resources["storage"].get_storage()
    (key,) = register(storage, dagster_instance,
                      [f"http://user:{PASSWORD.lower()}@{hostile}/private.mp3"], tmp_path)
    result = materialize(key, dagster_instance, pixel_resources)
    assert not result.success
    failure = storage.read_table("pipeline_failures").iloc[0]
    assert "HTTP 401" in failure["message"] and "case-sensitive" in failure["message"]
    assert PASSWORD.lower() not in failure["message"]


PERMANENT = [
    ("loop.mp3", "video_unavailable", "redirects in a loop"),
    ("empty.mp3", "empty_media", "empty file (0 bytes)"),
    ("long.mp3", "video_unavailable", "URL is too long (HTTP 414)"),
    ("gone.mp3", "video_unavailable", "no such file (HTTP 404)"),
    ("silent.mp4", "no_audio_stream", "has no audio stream"),
]


def test_each_permanent_fault_fails_in_one_try_with_reason_and_fix(
    hostile, tmp_path, pixel_resources, dagster_instance
):
    storage = pixel_resources["storage"].get_storage()
    urls = [f"http://{hostile}/{name}" for name, _, _ in PERMANENT]
    keys = register(storage, dagster_instance, urls, tmp_path)
    failures = {}
    for key, url in zip(keys, urls, strict=True):
        started = time.monotonic()
        result = materialize(key, dagster_instance, pixel_resources)
        events = [e.event_type_value for e in result.all_events]
        assert not result.success
        assert "STEP_UP_FOR_RETRY" not in events, url
        assert time.monotonic() - started < 20, url
        failures[key] = storage.read_partition("pipeline_failures", f"{key}__raw_audio")
    for key, url, (name, error_type, reason) in zip(keys, urls, PERMANENT, strict=True):
        row = failures[key].iloc[0]
        assert row["error_type"] == error_type, (name, row["message"])
        assert reason in row["message"], (name, row["message"])
        assert "Fix:" in row["message"] and "retried" not in row["message"]
        assert row["source_url"] == url
        assert "caused by" not in row["message"]  # the cause is said once


def test_transient_message_says_which_try_and_the_last_says_after_n_tries():
    error = TransientDownloadError(
        "Video v: download of http://h/x failed: h answered HTTP 503. Fix: re-run later."
    )
    first = error.with_tries(1, 3)
    assert first.retryable and "try 1 of 3, retried" in str(first)
    last = error.with_tries(3, 3)
    assert not last.retryable
    assert "failed after 3 tries: h answered HTTP 503" in str(last)


def test_overlong_list_lines_are_rejected_and_not_stored_whole():
    line = "https://example.com/" + "a" * 5_000_000
    parsed = parse_video_list("big.txt", f"https://example.com/ok.mp3\n{line}\n")
    assert len(parsed.entries) == 1
    (rejection,) = parsed.rejections
    assert "over the 4096-character limit" in rejection.reason
    assert len(rejection.raw_text) < 300
    jsonl = parse_video_list("big.jsonl", '{"url": "' + line + '"}\n')
    assert "over the 4096-character limit" in jsonl.rejections[0].reason
