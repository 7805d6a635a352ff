"""The dbt profile reads the warehouse from S3: a moto S3 server on loopback, the same real
S3 API the storage tests use. DuckDB reaches it through fsspec (s3fs), registered by
dbt-duckdb's ``filesystems`` option, because httpfs would have to be downloaded at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from pixel_assets.reports import dbt as dbt_runner
from pixel_assets.reports.synthetic import SyntheticOptions, build_tables, write_warehouse
from pixel_assets.warehouse.storage import Storage

pytestmark = pytest.mark.slow
REGION = "us-east-1"
KEY = SECRET = "testing"


def test_dbt_builds_from_an_s3_warehouse(
    s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    # Dummy credentials for moto; dbt's child process gets them from the environment only.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    client.create_bucket(Bucket="pixel-reports")
    root = "s3://pixel-reports/prod"
    storage = Storage(root, {"endpoint_url": s3_endpoint, "key": KEY, "secret": SECRET,
                             "client_kwargs": {"region_name": REGION}})
    tables = build_tables(SyntheticOptions(n_videos=6, segments_per_video=8, seed=2))
    write_warehouse(storage, tables)

    options = dbt_runner.DbtOptions(
        data_dir=root, target="prod", target_path=str(tmp_path / "t"),
        s3_endpoint_url=s3_endpoint, aws_region=REGION,
    )
    run = dbt_runner.build(options)
    assert run.ok and not run.failed()

    marts = dbt_runner.read_marts(options)
    funnel = marts["video_funnel"]
    assert sorted(funnel["video_id"]) == sorted(tables["video_sources"]["video_id"])
    assert funnel["n_exported_pairs"].sum() == len(tables["therapeutic_pairs"])

    written = dbt_runner.publish_marts(storage, options)
    assert written["video_funnel"] == len(funnel)
    keys = {o["Key"] for o in client.list_objects_v2(Bucket="pixel-reports",
                                                      Prefix="prod/warehouse/video_funnel")
            .get("Contents", [])}
    assert keys == {"prod/warehouse/video_funnel/corpus=all/part.parquet"}
