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
# Transient download faults are retried after 0.5 s, then 1.5 s (the default 5 s, then 15 s,
# only waits); read when the code location loads, so set before any test imports it.
# test_settings_presets checks the default policy.
os.environ.setdefault("PIXEL_DOWNLOAD_RETRY_DELAY_S", "0.5")

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


def pytest_configure(config: pytest.Config) -> None:
    """Before the xdist workers start, compile librosa's numba kernels into its on-disk cache.

    On a clean clone two workers compiling them at once raced on that cache and one crashed
    (segfault in ``_parabolic_interpolation``); ``make env`` does the same once after install
    (``pixel_assets/warm_caches.py``), this covers a run without it. Seconds when warm.
    """
    parallel = (config.getoption("numprocesses", default=None) or 0) != 0
    if parallel and not os.environ.get("PYTEST_XDIST_WORKER"):
        from pixel_assets.warm_caches import warm_librosa

        warm_librosa()


# ---------------------------------------------------------------- parallel workers (xdist)
# `make test` hands whole modules to workers (--dist loadscope) in this order: the longest
# modules first, so that no worker is left with a long one at the end while the others idle.
# The first builds the shared transcribed chain while the second runs modules that do not need
# it; the chain's readers come after. Figures: `make test`'s --durations on 2 cores. A module
# missing from the list runs after these, in collection order.
LONGEST_FIRST = (
    "analysis/test_analysis_assets.py",  # builds transcribed_chain (shared_once)
    "test_dev_server.py",
    "reports/test_reports_assets.py",  # builds the reports (shared_once)
    "test_cli.py",
    "reports/test_dbt_project.py",
    "pairs/test_pairs_assets.py",
    "audio/test_audio_assets.py",
    "transcription/test_gpu_pool.py",
    "transcription/test_windows.py",
    "ingest/test_raw_audio.py",
    "reports/test_s3.py",
    "audio/test_qc.py",
)
# Modules that read one module-level scenario played in the first one's process: sent to the
# same worker, the scenario is played once rather than once per worker.
SAME_WORKER = {"export/test_export_assets.py": "pairs/test_pairs_assets.py"}


def _module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0].removeprefix("pixel_assets_tests/")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    for module, joins in SAME_WORKER.items():
        rank.setdefault(module, rank.get(joins, len(rank)) + 0.5)
    items.sort(key=lambda item: rank.get(_module_of(item.nodeid), len(rank) + 1))


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Module scopes in collection order (LONGEST_FIRST), SAME_WORKER modules together."""
    if config.getoption("dist", None) != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class LongestFirstScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = _module_of(nodeid)
            return "pixel_assets_tests/" + SAME_WORKER.get(module, module)

    config.option.loadscopereorder = False  # keep the order above, not "most tests first"
    return LongestFirstScheduling(config, log)


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


# --------------------------------------------------------------------------- the chain, once
# Fixture recordings that go through ingest → filtered_transcripts once per test session; the
# later stages' asset tests start from a copy of that warehouse instead of transcribing again.
CHAIN_FIXTURES = {
    "session.flac": FIXTURES / "counselling" / "session.flac",
    "monologue.flac": FIXTURES / "counselling" / "monologue.flac",
    "two_voices.flac": FIXTURES / "speech" / "two_voices.flac",
    "one_voice.flac": FIXTURES / "speech" / "one_voice.flac",
}


def all_resources_for(data_dir: Path, lists_dir: Path, files_root: Path) -> dict:
    """Every resource of the code location with its defaults, on a temp storage root."""
    from pixel_assets.resources import IngestResource, StorageResource, resources_for

    return {
        **resources_for(),
        "storage": StorageResource(data_dir=str(data_dir)),
        "ingest": IngestResource(
            video_lists_dir=str(lists_dir),
            allow_local_files=True,
            local_files_root=str(files_root),
            download_retries=0,
            socket_timeout_s=5,
        ),
    }


def shared_once(tmp_path_factory: pytest.TempPathFactory, name: str, build):
    """``build(folder)`` once per test run, its (pickled) result shared by every xdist worker.

    ``make test`` runs modules on parallel workers (pytest-xdist) and each worker has its own
    session; an expensive session fixture would be built once per worker. The first worker to
    ask builds it in the run's shared temp folder under a file lock, the others wait for it and
    read the result. A build that failed half-way is started again by the next worker.
    """
    import pickle

    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by every worker of this run
    folder = base / name
    done = base / f"{name}.pickle"
    with FileLock(str(base / f"{name}.lock")):
        if not done.exists():
            if folder.exists():
                import shutil

                shutil.rmtree(folder)
            folder.mkdir()
            done.write_bytes(pickle.dumps(build(folder)))
    return pickle.loads(done.read_bytes())


@pytest.fixture(scope="session")
def transcribed_chain(tmp_path_factory) -> dict:
    """The per-video chain up to ``filtered_transcripts`` for ``CHAIN_FIXTURES``, run once per
    test run (``shared_once``).

    Returns ``{"root": folder, "videos": {file name: video_id}}``; ``root/data`` is the
    warehouse. Copy it (``copy_chain``) before writing to it.
    """
    return shared_once(tmp_path_factory, "transcribed_chain",
                       lambda root: {"root": root, "videos": _build_chain(root)})


def _build_chain(root: Path) -> dict[str, str]:
    import shutil

    import dagster as dg

    from pixel_assets.definitions import PER_VIDEO_ASSETS
    from pixel_assets.ingest.registry import record_list
    from pixel_assets.ingest.video_lists import LocalFilePolicy, read_video_list
    from pixel_assets.partitions import videos_partitions

    lists = root / "lists"
    lists.mkdir()
    for name, source in CHAIN_FIXTURES.items():
        shutil.copy(source, lists / name)
    (lists / "videos.txt").write_text("\n".join(CHAIN_FIXTURES) + "\n")
    resources = all_resources_for(root / "data", lists, root)
    storage = resources["storage"].get_storage()
    parsed = read_video_list(lists / "videos.txt", local_files=LocalFilePolicy(allowed=True))
    record_list(storage, parsed)
    videos = dict(zip(CHAIN_FIXTURES, parsed.video_ids, strict=True))
    chain = [a for a in PER_VIDEO_ASSETS
             if a.key.to_user_string() in {"raw_audio", "audio_qc", "segments", "transcripts",
                                           "filtered_transcripts"}]
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(videos_partitions.name, list(videos.values()))
        for key in videos.values():
            result = dg.materialize(chain, partition_key=key, instance=instance,
                                    resources=resources, raise_on_error=False)
            assert result.success, f"chain failed for {key}"
    return videos


def copy_chain(chain: dict, tmp_path: Path) -> dict:
    """A private copy of the transcribed warehouse and the resources pointing at it."""
    import shutil

    shutil.copytree(chain["root"] / "data", tmp_path / "data")
    shutil.copytree(chain["root"] / "lists", tmp_path / "lists")
    resources = all_resources_for(tmp_path / "data", tmp_path / "lists", tmp_path)
    return {"resources": resources, "videos": chain["videos"],
            "storage": resources["storage"].get_storage()}


@pytest.fixture
def chain_copy(transcribed_chain, tmp_path, dagster_instance) -> dict:
    """A writable copy of the transcribed chain, its videos registered in a fresh instance."""
    from pixel_assets.partitions import videos_partitions

    copied = copy_chain(transcribed_chain, tmp_path)
    dagster_instance.add_dynamic_partitions(
        videos_partitions.name, list(copied["videos"].values())
    )
    return {**copied, "instance": dagster_instance}


# --------------------------------------------------------------------------- S3 on loopback
@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """URL of a moto S3 server on a free 127.0.0.1 port, shared by the session's S3 tests.

    moto's server speaks the S3 REST protocol, so s3fs, boto3, dagster-aws and dbt-duckdb make
    the same HTTP requests they would make to AWS or MinIO; each test uses its own bucket.
    """
    import logging

    from moto.server import ThreadedMotoServer

    # werkzeug logs every request at INFO; the tests' own output is what matters.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
