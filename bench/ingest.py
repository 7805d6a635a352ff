"""Ingest benchmarks: one sensor tick over a big list, and downloads + standardisation.

Prints figures only (no asserts), e.g.::

    .venv/bin/python bench/ingest.py --urls 10000 --downloads 20

(a) writes ``--urls`` YouTube URLs in mixed forms to a temp lists folder and times one real
    ``video_list_sensor`` tick on a persistent test instance, including applying the dynamic
    partition additions as the daemon would; then an unchanged second tick.
(b) serves ``--downloads`` copies of the test media over local HTTP and times
    ``ingest_video`` (download with yt-dlp, standardise to 16 kHz mono FLAC, store), then the
    same through ``materialize([raw_audio])`` unless ``--no-materialize``.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import http.server
import io
import json
import logging
import pstats
import random
import shutil
import string
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import dagster as dg

from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.raw_audio import ingest_video
from pixel_assets.ingest.registry import lookup_source, record_list
from pixel_assets.ingest.sensors import video_list_sensor
from pixel_assets.ingest.video_lists import parse_video_list
from pixel_assets.resources import IngestResource, StorageResource

MEDIA = Path(__file__).resolve().parents[1] / "pixel_assets_tests" / "fixtures" / "media"
_ID_ALPHABET = string.ascii_letters + string.digits + "_-"
# The URL forms people paste; the sensor must turn each into the same 11-character ID.
_URL_FORMS = (
    "https://www.youtube.com/watch?v={id}",
    "https://youtu.be/{id}",
    "https://youtu.be/{id}?si=AbCdEfGh12345",
    "https://m.youtube.com/watch?v={id}&t=42s",
    "https://www.youtube.com/shorts/{id}",
    "https://www.youtube.com/embed/{id}?start=30",
    "https://music.youtube.com/watch?v={id}&feature=share",
    "youtube.com/watch?v={id}",
    "{id}",
)
T = TypeVar("T")
# Dagster's console logger prints every event of every run; the figures are the output here.
_QUIET_RUN = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def random_urls(count: int, seed: int) -> list[str]:
    """``count`` URLs of distinct random valid video IDs, cycling through the URL forms."""
    rng = random.Random(seed)
    ids: set[str] = set()
    while len(ids) < count:
        ids.add("".join(rng.choices(_ID_ALPHABET, k=11)))
    return [_URL_FORMS[i % len(_URL_FORMS)].format(id=v) for i, v in enumerate(sorted(ids))]


def bench_sensor(urls: int, seed: int, profile: bool, work: Path) -> None:
    """(a) One sensor tick over a list of ``urls`` new videos, partitions applied."""
    lists_dir, data_dir = work / "lists", work / "data"
    lists_dir.mkdir()
    (lists_dir / "big.txt").write_text("\n".join(random_urls(urls, seed)) + "\n")
    resources = {
        "storage": StorageResource(data_dir=str(data_dir)),
        "ingest": IngestResource(video_lists_dir=str(lists_dir)),
    }
    with dg.instance_for_test() as instance:

        def tick(cursor: str | None) -> tuple[dg.SensorResult, float, float]:
            context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
            result, evaluate_s = _timed(lambda: video_list_sensor(context))
            start = time.perf_counter()
            # As the daemon does: partitions are added before the runs are launched.
            for request in result.dynamic_partitions_requests or []:
                instance.add_dynamic_partitions(
                    request.partitions_def_name, list(request.partition_keys)
                )
            return result, evaluate_s, time.perf_counter() - start

        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        (first, evaluate_s, apply_s), total_s = _timed(lambda: tick(None))
        if profiler:
            profiler.disable()
        (second, again_s, _), _ = _timed(lambda: tick(first.cursor))
        partitions = len(instance.get_dynamic_partitions("videos"))

    runs = len(first.run_requests or [])
    print(f"(a) sensor tick over {urls:,} URLs ({len(_URL_FORMS)} URL forms)")
    print(f"    evaluate (scan, parse, record list, diff)  {evaluate_s:7.2f} s")
    print(f"    apply dynamic partition additions          {apply_s:7.2f} s")
    print(
        f"    whole tick                                 {total_s:7.2f} s"
        f"  = {urls / total_s:,.0f} URLs/s  (target < 10 s)"
    )
    print(
        f"    run requests {runs:,}, partitions {partitions:,}, "
        f"cursor {len(first.cursor or '')} chars"
    )
    skipped = second.skip_reason.skip_message if second.skip_reason else "no skip reason"
    print(f"    unchanged second tick                      {again_s:7.2f} s  ({skipped})")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # yt-dlp's generic extractor reads the first bytes of a media URL and hangs up, so
        # broken pipes are expected, not failures worth a traceback.
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _rate(files: int, audio_s: float, wall_s: float) -> str:
    return (
        f"{wall_s:7.2f} s  = {files / wall_s:.2f} files/s, "
        f"{audio_s / wall_s:.1f} audio-s per wall-s"
    )


def bench_downloads(count: int, materialize: bool, work: Path) -> None:
    """(b) Download and standardise ``count`` files over local HTTP."""
    media_dir = work / "media"
    media_dir.mkdir()
    originals = sorted(p for p in MEDIA.glob("speech.*"))
    names = []
    for i in range(count):
        original = originals[i % len(originals)]
        name = f"talk_{i:03d}{original.suffix}"
        shutil.copyfile(original, media_dir / name)
        names.append(name)
    storage_resource = StorageResource(data_dir=str(work / "data_b"))
    ingest = IngestResource(
        video_lists_dir=str(work / "lists_b"), download_retries=0, socket_timeout_s=10
    )
    store = storage_resource.get_storage()
    quiet = logging.getLogger("bench.ingest")
    quiet.setLevel(logging.WARNING)
    print(f"(b) {count} files ({', '.join(p.name for p in originals)} copies) over local HTTP")
    with serve(media_dir) as base:
        parsed = parse_video_list("bench.txt", "\n".join(f"{base}/{n}" for n in names))
        record_list(store, parsed)
        keys = parsed.video_ids

        def ingest_all() -> float:
            audio_s = 0.0
            for key in keys:
                row = ingest_video(store, lookup_source(store, key), ingest.options(), quiet)
                audio_s += row["duration_s"]
            return audio_s

        audio_s, wall_s = _timed(ingest_all)
        print(f"    ingest_video           {_rate(len(keys), audio_s, wall_s)}")
        if not materialize:
            return
        with dg.instance_for_test() as instance:
            instance.add_dynamic_partitions("videos", keys)
            resources: dict[str, Any] = {"storage": storage_resource, "ingest": ingest}

            def materialize_all() -> int:
                return sum(
                    dg.materialize(
                        [raw_audio],
                        partition_key=key,
                        instance=instance,
                        resources=resources,
                        run_config=_QUIET_RUN,
                    ).success
                    for key in keys
                )

            ok, wall_s = _timed(materialize_all)
        print(f"    materialize(raw_audio) {_rate(ok, audio_s, wall_s)}  ({ok}/{len(keys)} ok)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=10_000, help="URLs in the sensor's list")
    parser.add_argument("--downloads", type=int, default=20, help="files to download")
    parser.add_argument("--seed", type=int, default=7, help="seed for the random video IDs")
    parser.add_argument("--profile", action="store_true", help="cProfile the sensor tick")
    parser.add_argument(
        "--no-materialize",
        dest="materialize",
        action="store_false",
        help="skip timing (b) through dagster.materialize",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pixel-bench-") as tmp:
        work = Path(tmp)
        if args.urls > 0:
            bench_sensor(args.urls, args.seed, args.profile, work)
        if args.downloads > 0:
            bench_downloads(args.downloads, args.materialize, work)
    print(json.dumps({"urls": args.urls, "downloads": args.downloads}))


if __name__ == "__main__":
    main()
