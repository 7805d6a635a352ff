"""Shared test fixtures: offline models, a real HTTP server for media, temp storage roots."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# No test may reach a model hub: fail fast instead of hanging on a download.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIXTURES = Path(__file__).parent / "fixtures"
MEDIA = FIXTURES / "media"


class _MediaHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mp3": "audio/mpeg",
        ".ogg": "audio/ogg",
        ".wav": "audio/wav",
        ".flac": "audio/flac",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_MediaHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def media_server() -> Iterator[str]:
    """Base URL of an HTTP server on 127.0.0.1 serving ``fixtures/media``."""
    with serve_directory(MEDIA) as url:
        yield url


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def lists_dir(tmp_path: Path) -> Path:
    path = tmp_path / "video_lists"
    path.mkdir()
    return path


@pytest.fixture
def pixel_resources(data_dir: Path, lists_dir: Path, tmp_path: Path) -> dict:
    """Resources on a temp storage root; local files allowed under tmp_path."""
    from pixel_assets.resources import IngestResource, StorageResource

    return {
        "storage": StorageResource(data_dir=str(data_dir)),
        "ingest": IngestResource(
            video_lists_dir=str(lists_dir),
            allow_local_files=True,
            local_files_root=str(tmp_path),
            download_retries=0,
            socket_timeout_s=5,
        ),
    }


@pytest.fixture
def dagster_instance():
    """A persistent (temp-dir SQLite) Dagster instance, as sensors need."""
    import dagster as dg

    with dg.instance_for_test() as instance:
        yield instance
