"""The jobs' console logger: one concise ERROR line per failed try, stack traces at DEBUG only.

A per-video stage built with the real wiring fails on every try with a retryable error; the real
``per_video_job`` (it selects every per-video asset by tag) with the Definitions' logger prints
what the terminal of `make dev` shows. ``test_dev_server.py`` checks the same in `dagster dev`.
"""

from __future__ import annotations

import dagster as dg
import pandas as pd
import pytest

from pixel_assets.errors import TransientDownloadError
from pixel_assets.jobs import per_video_job
from pixel_assets.loggers import concise_console_logger
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import StorageResource
from pixel_assets.wiring import StageOutput, per_video_asset, stamp_pipeline_layout

FIX = "Fix: re-run later, or check that the host is up."


@per_video_asset(group="flaky", tables=[], retry_policy=dg.RetryPolicy(max_retries=2))
def flaky_source(context: dg.AssetExecutionContext, storage: StorageResource) -> StageOutput:
    """Always fails as a source that is down does."""
    tries = context.retry_number + 1
    raise TransientDownloadError(
        f"Video {context.partition_key}: download of http://host/down.mp3 failed: host "
        f"answered HTTP 503. {FIX}"
    ).with_tries(tries, 3)


@per_video_asset(group="flaky", tables=[], deps=[flaky_source])
def after_source(context: dg.AssetExecutionContext, storage: StorageResource) -> StageOutput:
    """The step after it (skipped when the source fails)."""
    return StageOutput(metadata={"rows": len(pd.DataFrame())})


def run_flaky(tmp_path, instance) -> dg.ExecuteInProcessResult:
    defs = dg.Definitions(
        assets=stamp_pipeline_layout([flaky_source, after_source]),
        resources={"storage": StorageResource(data_dir=str(tmp_path / "data"))},
        jobs=[per_video_job],
        loggers={"console": concise_console_logger},
    )
    instance.add_dynamic_partitions(videos_partitions.name, ["vid1"])
    job = defs.resolve_job_def("per_video_job")
    return job.execute_in_process(partition_key="vid1", instance=instance, raise_on_error=False)


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if " - ERROR - " in line]


def test_one_concise_error_line_per_try_with_reason_and_fix(tmp_path, dagster_instance, capfd,
                                                            monkeypatch):
    monkeypatch.delenv("PIXEL_LOG_LEVEL", raising=False)
    result = run_flaky(tmp_path, dagster_instance)
    assert not result.success
    printed = capfd.readouterr()
    text = printed.out + printed.err
    errors = error_lines(text)
    assert len(errors) == 3, "\n".join(errors)
    assert ["try 1 of 3" in errors[0], "try 2 of 3" in errors[1]] == [True, True], errors
    assert "failed after 3 tries" in errors[2]
    assert all("vid1" in line and FIX in line for line in errors), errors
    assert "Traceback" not in text and "Stack Trace" not in text and 'File "' not in text
    assert "Not executing" not in text  # the skipped step after it is not an error to act on
    # The event log keeps everything: the UI still shows the full error.
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.step_failure_data.error.stack


def test_debug_level_brings_the_stack_traces_back(tmp_path, dagster_instance, capfd,
                                                  monkeypatch):
    monkeypatch.setenv("PIXEL_LOG_LEVEL", "debug")
    run_flaky(tmp_path, dagster_instance)
    printed = capfd.readouterr()
    text = printed.out + printed.err
    assert "Traceback (most recent call last)" in text  # the step's own, at DEBUG
    assert "Stack Trace" in text or 'File "' in text
    assert "Not executing" in text


def test_unknown_log_level_names_the_variable(monkeypatch):
    from pixel_assets.settings import log_level

    monkeypatch.setenv("PIXEL_LOG_LEVEL", "loud")
    with pytest.raises(ValueError, match="PIXEL_LOG_LEVEL='LOUD'.*DEBUG, INFO"):
        log_level()
