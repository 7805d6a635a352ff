"""Thread pools follow the CPUs the process may use, not the host's cores: a container's CPU
quota or LOKY_MAX_CPU_COUNT caps DNSMOS workers, VAD threads and torch's pool."""

from __future__ import annotations

import os
import subprocess
import sys

from pixel_assets.cpus import available_cpus


def test_a_cpu_limit_caps_the_count(monkeypatch):
    assert available_cpus() == len(os.sched_getaffinity(0))  # no quota on this machine
    monkeypatch.setenv("LOKY_MAX_CPU_COUNT", "1")
    assert available_cpus() == 1


def test_dnsmos_workers_follow_the_limit(monkeypatch):
    from pixel_assets.audio.dnsmos import DnsmosScorer

    monkeypatch.setenv("LOKY_MAX_CPU_COUNT", "1")
    assert DnsmosScorer().workers == 1
    monkeypatch.delenv("LOKY_MAX_CPU_COUNT")
    assert DnsmosScorer().workers == len(os.sched_getaffinity(0))


def test_building_a_diarizer_caps_torch_threads():
    # In a child: torch's pool is per process, and this worker's must stay as it is.
    code = (
        "import torch; torch.set_num_threads(8); "
        "from pixel_assets.transcription.diarization import make_diarizer; "
        "make_diarizer('resemblyzer', device='cpu'); print(torch.get_num_threads())"
    )
    env = {**os.environ, "LOKY_MAX_CPU_COUNT": "1", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "1"
