"""The ``gpu`` pool keeps two runs' transcription steps apart, across processes.

Two real runs on one persistent instance whose pools are limited to 1 (as
``deploy/dagster.*.yaml`` set them), in two processes: one launched as a separate
``dagster asset materialize`` process (loading the code location, as a launched run does),
the other in this test's process (as ``pixel-voice run`` materialises), started once the
first is executing so that both reach transcription together.

Kept fast without proving less: steps run inside each run's process (``in_process``
executor; a step subprocess per asset only re-imports the code location, and both executors
claim the pool the same way, through ``InstanceConcurrencyContext``); the stages skip the
models this test is not about (DNSMOS, language ID, a wide beam); no per-step log capture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml

from pixel_assets.catalog import open_storage
from pixel_assets.definitions import PER_VIDEO_ASSETS
from pixel_assets.ingest.registry import record_list
from pixel_assets.ingest.video_lists import LocalFilePolicy, read_video_list
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import IngestResource, StorageResource, resources_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "audio" / "reflection.ogg"
CHAIN = ["raw_audio", "audio_qc", "segments", "transcripts"]
INSTANCE = """\
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
compute_logs:
  module: dagster._core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
"""
RESOURCES = {
    "audio_quality": {"config": {"dnsmos": False, "detect_language": False}},
    "asr": {"config": {"beam_size": 1, "batch_size": 1, "language": "en"}},
}


def step_window(instance: dg.DagsterInstance, run_id: str, step: str) -> tuple[float, float]:
    """When ``step`` of ``run_id`` started and ended, from the event log."""
    records = instance.all_logs(run_id)
    start = [r.timestamp for r in records if r.step_key == step
             and r.dagster_event and r.dagster_event.event_type_value == "STEP_START"]
    end = [r.timestamp for r in records if r.step_key == step and r.dagster_event
           and r.dagster_event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE")]
    return start[0], end[-1]


def materialize_cmd(select: str, key: str, config: Path) -> list[str]:
    dagster = str(Path(sys.executable).parent / "dagster")
    return [dagster, "asset", "materialize", "-m", "pixel_assets.definitions", "--select",
            select, "--partition", key, "-c", str(config)]


def wait_for_first_step(instance: dg.DagsterInstance, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        for run in instance.get_runs():
            if any(r.step_key == "raw_audio" for r in instance.all_logs(run.run_id)):
                return
        assert proc.poll() is None, proc.communicate()[0][-3000:]
        time.sleep(0.2)
    pytest.fail("the other run never started executing")


def test_gpu_pool_limit_one_serialises_transcription_across_runs(tmp_path, monkeypatch):
    """Two runs in two processes on one instance; pool ``gpu`` limited to 1."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(INSTANCE)
    data = tmp_path / "data"
    env = {**os.environ, "DAGSTER_HOME": str(home), "PIXEL_DATA_DIR": str(data),
           "PIXEL_ALLOW_LOCAL_FILES": "true", "HF_HUB_OFFLINE": "1"}
    lists = tmp_path / "lists"
    lists.mkdir()
    for name in ("a.ogg", "b.ogg"):
        shutil.copy(SAMPLE, lists / name)
    (lists / "videos.txt").write_text("a.ogg\nb.ogg\n")
    parsed = read_video_list(lists / "videos.txt", local_files=LocalFilePolicy(allowed=True))
    record_list(open_storage(str(data)), parsed)
    here, there = parsed.video_ids
    config = tmp_path / "run.yaml"
    config.write_text(yaml.safe_dump({"execution": {"config": {"in_process": {}}},
                                      "resources": RESOURCES}))
    resources = {
        **resources_for(),
        "storage": StorageResource(data_dir=str(data)),
        "ingest": IngestResource(video_lists_dir=str(lists), allow_local_files=True,
                                 local_files_root=str(tmp_path)),
    }

    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.add_dynamic_partitions(videos_partitions.name, [here, there])
        proc = subprocess.Popen(materialize_cmd(",".join(CHAIN), there, config), cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        try:
            wait_for_first_step(instance, proc)
            local = dg.materialize(PER_VIDEO_ASSETS, selection=CHAIN, partition_key=here,
                                   instance=instance, resources=resources,
                                   run_config={"resources": RESOURCES}, raise_on_error=False)
            output = proc.communicate(timeout=400)[0]
        finally:
            proc.kill()
        assert local.success
        assert proc.returncode == 0, output[-3000:]

        runs = instance.get_runs()
        assert len(runs) == 2
        windows = sorted(step_window(instance, r.run_id, "transcripts") for r in runs)
        (_, first_end), (second_start, _) = windows
        assert second_start >= first_end, f"transcription steps overlapped: {windows}"
        # Without the pool they would overlap: the earlier steps of both runs did.
        upstream = [step_window(instance, r.run_id, "raw_audio") for r in runs]
        assert max(s for s, _ in upstream) < min(e for _, e in windows)
        # And where the later run was ready to transcribe while the earlier one held the slot
        # (its segments step ended before the earlier transcription did), it waited for the
        # pool rather than merely starting late. Which happens depends on the machine's speed.
        (later,) = [r for r in runs
                    if step_window(instance, r.run_id, "transcripts")[0] == second_start]
        if step_window(instance, later.run_id, "segments")[1] < first_end:
            assert any("blocked by limit for pool gpu" in (r.user_message or "")
                       for r in instance.all_logs(later.run_id)
                       if r.step_key == "transcripts")

        # In a real code location (repository loaded), a quality stop in `audio_qc` withdraws
        # the video's transcripts written above.
        strict = tmp_path / "strict.yaml"
        too_clean = {**RESOURCES["audio_quality"]["config"], "min_snr_db": 59.0}
        strict.write_text(yaml.safe_dump({
            "execution": {"config": {"in_process": {}}},
            "resources": {**RESOURCES, "audio_quality": {"config": too_clean}},
        }))
        stopped = subprocess.run(materialize_cmd("audio_qc", here, strict), cwd=ROOT,
                                 env=env, capture_output=True, text=True, timeout=300)
        assert stopped.returncode != 0, stopped.stdout[-2000:]  # the blocking check failed
        store = open_storage(str(data))
        assert not store.read_partition("audio_qc", here)["passed"].iloc[0]
        assert store.read_partition("transcript_segments", here) is None
        assert store.read_partition("transcript_segments", there) is not None
