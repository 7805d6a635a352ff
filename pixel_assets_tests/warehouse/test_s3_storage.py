"""Storage, DuckDB views, ``raw_audio`` and the list sensor against a real S3 API.

moto's server speaks the S3 REST protocol on 127.0.0.1, so s3fs, boto3 and dagster-aws make
the same HTTP requests they would make to AWS or MinIO; nothing is mocked in-process.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import soundfile as sf

from pixel_assets.catalog import open_storage
from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.list_watch import list_s3_lists, scan_lists
from pixel_assets.ingest.registry import record_list
from pixel_assets.ingest.sensors import video_list_sensor
from pixel_assets.ingest.video_lists import LocalFilePolicy, parse_video_list
from pixel_assets.resources import IngestResource, StorageResource
from pixel_assets.warehouse.query import connect
from pixel_assets.warehouse.storage import Storage

REGION = "us-east-1"
KEY = SECRET = "testing"


@dataclass
class Bucket:
    """A fresh bucket on the moto server and a boto3 client for checking it."""

    name: str
    endpoint: str
    client: Any

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(obj["Key"] for obj in listing.get("Contents", []))

    def fsspec_options(self) -> dict[str, Any]:
        return {
            "endpoint_url": self.endpoint,
            "key": KEY,
            "secret": SECRET,
            "client_kwargs": {"region_name": REGION},
        }

    def storage_resource(self, prefix: str = "prefix") -> StorageResource:
        return StorageResource(
            data_dir=f"s3://{self.name}/{prefix}",
            s3_endpoint_url=self.endpoint,
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
            region_name=REGION,
        )


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Bucket:
    """A new, empty bucket per test, so tests never see each other's objects."""
    import boto3

    # Dummy credentials: botocore refuses to sign without some, and no real ones may leak in.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    name = f"pixel-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return Bucket(name, s3_endpoint, client)


@pytest.fixture
def storage(bucket: Bucket, tmp_path: Path) -> Storage:
    return open_storage(
        f"s3://{bucket.name}/prefix",
        storage_options=bucket.fsspec_options(),
        cache_dir=str(tmp_path / "cache"),
    )


def _failure_rows(video_id: str, message: str) -> pd.DataFrame:
    """A one-row ``pipeline_failures`` frame (a declared table with a timestamp column)."""
    return pd.DataFrame(
        [
            {
                "video_id": video_id,
                "asset": "raw_audio",
                "error_type": "corrupt_media",
                "message": message,
                "source_url": f"https://example.com/{video_id}.mp3",
                "run_id": None,
                "failed_at": pd.Timestamp("2025-01-02T03:04:05Z"),
            }
        ]
    )


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- (a) Storage


def test_partitions_round_trip_and_rewrite_replaces_only_that_partition(
    storage: Storage, bucket: Bucket
) -> None:
    assert storage.read_partition("pipeline_failures", "vidA") is None
    assert storage.read_table("pipeline_failures").empty

    uri_a = storage.write_partition("pipeline_failures", "vidA", _failure_rows("vidA", "a1"))
    storage.write_partition("pipeline_failures", "vidB", _failure_rows("vidB", "b1"))

    assert uri_a == (
        f"s3://{bucket.name}/prefix/warehouse/pipeline_failures/video_asset=vidA/part.parquet"
    )
    assert bucket.keys("prefix/warehouse/") == [
        "prefix/warehouse/pipeline_failures/video_asset=vidA/part.parquet",
        "prefix/warehouse/pipeline_failures/video_asset=vidB/part.parquet",
    ]
    one = storage.read_partition("pipeline_failures", "vidA")
    assert one is not None
    assert one[["video_id", "message"]].to_dict("records") == [
        {"video_id": "vidA", "message": "a1"}
    ]
    # The declared Arrow types survive the trip through S3.
    assert str(one["failed_at"].dtype) == "datetime64[us, UTC]"

    storage.write_partition("pipeline_failures", "vidA", _failure_rows("vidA", "a2"))
    table = storage.read_table("pipeline_failures").sort_values("video_id")
    assert table[["video_id", "message"]].to_dict("records") == [
        {"video_id": "vidA", "message": "a2"},
        {"video_id": "vidB", "message": "b1"},
    ]

    storage.delete_partition("pipeline_failures", "vidA")
    storage.delete_partition("pipeline_failures", "never-written")  # no error
    assert storage.read_partition("pipeline_failures", "vidA") is None
    assert storage.read_table("pipeline_failures")["video_id"].tolist() == ["vidB"]
    assert bucket.keys("prefix/warehouse/") == [
        "prefix/warehouse/pipeline_failures/video_asset=vidB/part.parquet"
    ]
    assert "pipeline_failures" in storage.table_names()


def test_files_put_copy_and_bytes(storage: Storage, bucket: Bucket, tmp_path: Path) -> None:
    local = tmp_path / "local.bin"
    local.write_bytes(b"\x00audio bytes\xff")

    uri = storage.put_file(local, "audio", "vid1", "audio.flac")
    assert uri == f"s3://{bucket.name}/prefix/audio/vid1/audio.flac"
    assert storage.exists("audio", "vid1", "audio.flac")
    body = bucket.client.get_object(Bucket=bucket.name, Key="prefix/audio/vid1/audio.flac")
    assert body["Body"].read() == b"\x00audio bytes\xff"

    copy = storage.local_copy("audio", "vid1", "audio.flac")
    assert copy.is_file() and copy.read_bytes() == b"\x00audio bytes\xff"
    assert copy.is_relative_to(tmp_path / "cache")

    storage.write_bytes(b'{"ok": true}', "reports", "summary.json")
    assert bucket.keys("prefix/reports/") == ["prefix/reports/summary.json"]
    assert storage.path("reports", "summary.json").read_bytes() == b'{"ok": true}'


def test_local_copy_follows_a_rewritten_object(storage: Storage) -> None:
    """Re-materialising a video rewrites its audio; the local cache must not serve the old one."""
    storage.write_bytes(b"first take", "audio", "vid1", "audio.flac")
    assert storage.local_copy("audio", "vid1", "audio.flac").read_bytes() == b"first take"

    storage.write_bytes(b"second, longer take", "audio", "vid1", "audio.flac")
    assert storage.local_copy("audio", "vid1", "audio.flac").read_bytes() == (
        b"second, longer take"
    )


def test_partitions_written_by_another_process_are_seen(storage: Storage, bucket: Bucket) -> None:
    """Run workers are separate processes: a long-lived reader must not trust old listings."""
    storage.write_partition("pipeline_failures", "vidA", _failure_rows("vidA", "a1"))
    assert storage.read_table("pipeline_failures")["video_id"].tolist() == ["vidA"]

    # Another process (plain boto3 here) adds vidB and removes vidA behind this one's back.
    bucket.client.put_object(
        Bucket=bucket.name,
        Key="prefix/warehouse/pipeline_failures/video_asset=vidB/part.parquet",
        Body=_parquet_bytes(_failure_rows("vidB", "b1")),
    )
    bucket.client.delete_object(
        Bucket=bucket.name, Key="prefix/warehouse/pipeline_failures/video_asset=vidA/part.parquet"
    )
    assert storage.read_table("pipeline_failures")["video_id"].tolist() == ["vidB"]
    assert storage.read_partition("pipeline_failures", "vidA") is None


# ----------------------------------------------------------------------------- (b) DuckDB


def test_duckdb_sees_s3_tables_by_name(storage: Storage) -> None:
    storage.write_partition("pipeline_failures", "vidA", _failure_rows("vidA", "a1"))
    storage.write_partition("pipeline_failures", "vidB", _failure_rows("vidB", "b1"))

    con = connect(storage)
    rows = con.execute(
        "SELECT video_id, message FROM pipeline_failures ORDER BY video_id"
    ).fetchall()
    assert rows == [("vidA", "a1"), ("vidB", "b1")]
    # Declared tables with no files yet are still queryable, with their columns.
    assert con.execute("SELECT count(*) FROM videos").fetchone() == (0,)
    columns = [row[0] for row in con.execute("DESCRIBE videos").fetchall()]
    assert {"video_id", "audio_path", "sample_rate"} <= set(columns)


# ------------------------------------------------------------------ (c) raw_audio on S3


def test_raw_audio_materialises_into_s3(
    bucket: Bucket,
    media_server: str,
    lists_dir: Path,
    dagster_instance: dg.DagsterInstance,
    tmp_path: Path,
) -> None:
    storage_resource = bucket.storage_resource()
    store = storage_resource.get_storage()
    parsed = parse_video_list(
        "s3://lists/demo.txt",
        f"{media_server}/speech.mp3\n{media_server}/corrupt.mp3\n",
    )
    assert not parsed.rejections
    good, corrupt = parsed.video_ids
    record_list(store, parsed)
    dagster_instance.add_dynamic_partitions("videos", [good, corrupt])
    resources = {
        "storage": storage_resource,
        "ingest": IngestResource(
            video_lists_dir=str(lists_dir), download_retries=0, socket_timeout_s=5
        ),
    }

    result = dg.materialize(
        [raw_audio], partition_key=good, instance=dagster_instance, resources=resources
    )
    assert result.success

    row = store.read_partition("videos", good)
    assert row is not None and len(row) == 1
    video = row.iloc[0]
    assert video["source_url"] == f"{media_server}/speech.mp3"
    assert (video["sample_rate"], video["channels"]) == (16000, 1)
    audio_key = f"prefix/audio/{good}/audio.flac"
    assert video["audio_path"] == f"s3://{bucket.name}/{audio_key}"
    assert bucket.keys(f"prefix/audio/{good}/") == [
        audio_key,
        f"prefix/audio/{good}/source_16k.flac",
    ]
    downloaded = tmp_path / "audio.flac"
    bucket.client.download_file(bucket.name, audio_key, str(downloaded))
    info = sf.info(str(downloaded))
    assert (info.samplerate, info.channels, info.format) == (16000, 1, "FLAC")
    assert info.duration == pytest.approx(video["duration_s"], abs=0.05)

    # A bad file fails only its own partition, and the failure row lands in S3 too.
    failed = dg.materialize(
        [raw_audio],
        partition_key=corrupt,
        instance=dagster_instance,
        resources=resources,
        raise_on_error=False,
    )
    assert not failed.success
    failures = (
        connect(store).execute("SELECT video_id, error_type FROM pipeline_failures").fetchall()
    )
    assert failures == [(corrupt, "corrupt_media")]
    assert store.read_partition("videos", corrupt) is None


# --------------------------------------------------------------- (d) sensor on an S3 prefix


def _run_sensor(
    instance: dg.DagsterInstance, resources: dict[str, Any], cursor: str | None
) -> dg.SensorResult:
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
    result = video_list_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def _requested(result: dg.SensorResult) -> tuple[list[str], list[str]]:
    """(keys in the dynamic-partition add requests, partition keys of the run requests)."""
    added = [
        key
        for request in result.dynamic_partitions_requests or []
        for key in request.partition_keys
    ]
    runs = [request.partition_key for request in result.run_requests or []]
    return added, runs


def test_sensor_reads_lists_from_an_s3_prefix(
    bucket: Bucket, dagster_instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    empty_dir = tmp_path / "no_local_lists"
    empty_dir.mkdir()
    resources = {
        "storage": bucket.storage_resource(prefix="warehouse-root"),
        "ingest": IngestResource(
            video_lists_dir=str(empty_dir), video_lists_s3_prefix=f"s3://{bucket.name}/lists/"
        ),
    }
    ids = ["dQw4w9WgXcQ", "9bZkp7q19f0", "kJQP7kiw5Fk"]
    lines = [f"https://www.youtube.com/watch?v={ids[0]}", f"https://youtu.be/{ids[1]}", ids[2]]
    put = bucket.client.put_object
    put(Bucket=bucket.name, Key="lists/batch1.txt", Body="\n".join(lines).encode())
    put(Bucket=bucket.name, Key="lists/notes.md", Body=b"https://youtu.be/aaaaaaaaaaa")
    put(Bucket=bucket.name, Key="elsewhere/other.txt", Body=b"https://youtu.be/bbbbbbbbbbb")

    first = _run_sensor(dagster_instance, resources, cursor=None)
    assert _requested(first) == (ids, ids)
    assert all(r.run_key == r.partition_key for r in first.run_requests or [])
    assert list(json.loads(first.cursor or "{}")) == [f"s3://{bucket.name}/lists/batch1.txt"]
    # The sensor registered the list in the warehouse on S3, so raw_audio can find the URLs.
    store = resources["storage"].get_storage()
    sources = store.read_table("video_sources").sort_values("line_number")
    assert sources["video_id"].tolist() == ids
    assert set(sources["list_file"]) == {f"s3://{bucket.name}/lists/batch1.txt"}
    # The daemon applies the additions before launching runs; do the same here.
    dagster_instance.add_dynamic_partitions("videos", ids)

    again = _run_sensor(dagster_instance, resources, cursor=first.cursor)
    assert _requested(again) == ([], [])
    assert again.skip_reason is not None
    assert "no new or changed video lists" in again.skip_reason.skip_message

    # A changed object (new ETag) is re-read whole; only the video that is new is requested.
    new_id = "OPf0YbXqDm0"
    lines.append(f"https://m.youtube.com/watch?v={new_id}")
    put(Bucket=bucket.name, Key="lists/batch1.txt", Body="\n".join(lines).encode())
    changed = _run_sensor(dagster_instance, resources, cursor=again.cursor)
    assert _requested(changed) == ([new_id], [new_id])
    assert changed.cursor != first.cursor


def test_an_unreadable_s3_list_is_retried_and_does_not_block_others(
    bucket: Bucket, storage: Storage
) -> None:
    """An object that fails between LIST and GET must not fail the tick or lose its videos."""
    put = bucket.client.put_object
    prefix = f"s3://{bucket.name}/lists/"
    good, flaky = f"{prefix}good.txt", f"{prefix}flaky.txt"
    put(Bucket=bucket.name, Key="lists/good.txt", Body=b"https://youtu.be/dQw4w9WgXcQ\n")
    put(Bucket=bucket.name, Key="lists/flaky.txt", Body=b"https://youtu.be/9bZkp7q19f0\n")
    policy = LocalFilePolicy(allowed=False)
    first = scan_lists(
        storage, None, {}, local_files=policy, remote=list_s3_lists(bucket.client, prefix)
    )
    assert sorted(first.cursor) == [flaky, good]

    # Both lists change; flaky.txt then vanishes (or turns forbidden) before it is fetched.
    put(Bucket=bucket.name, Key="lists/good.txt", Body=b"https://youtu.be/kJQP7kiw5Fk\n")
    put(Bucket=bucket.name, Key="lists/flaky.txt", Body=b"https://youtu.be/OPf0YbXqDm0\n")
    remote = list_s3_lists(bucket.client, prefix)
    bucket.client.delete_object(Bucket=bucket.name, Key="lists/flaky.txt")
    scan = scan_lists(storage, None, first.cursor, local_files=policy, remote=remote)

    assert [p.video_ids for p in scan.parsed] == [["kJQP7kiw5Fk"]]
    assert "cannot read the list from S3" in scan.unreadable[flaky]
    # Not remembered in the cursor, so the next tick fetches the object again ...
    assert list(scan.cursor) == [good]
    # ... and the videos registered from its last good read are kept meanwhile.
    sources = storage.read_table("video_sources")
    assert sorted(zip(sources["list_file"], sources["video_id"], strict=True)) == [
        (flaky, "9bZkp7q19f0"),
        (good, "kJQP7kiw5Fk"),
    ]
    assert storage.read_table("ingest_rejections").empty
