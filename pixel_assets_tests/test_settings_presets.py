"""The environment picks the resources: the GPU preset switches ASR and diarization to CUDA
settings for large GPUs; without it the offline CPU defaults stay."""

from __future__ import annotations

from pixel_assets.resources import resources_for
from pixel_assets.resources.transcription import ASR_GPU_PRESET, DIARIZER_GPU_PRESET
from pixel_assets.settings import load_settings


def test_gpu_preset_only_when_asked(monkeypatch, tmp_path):
    monkeypatch.setenv("PIXEL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PIXEL_GPU_PRESET", raising=False)
    plain = resources_for(load_settings())
    assert plain["asr"].compute_type == "auto" and plain["asr"].word_alignment == "auto"

    monkeypatch.setenv("PIXEL_GPU_PRESET", "true")
    settings = load_settings()
    assert settings.gpu_preset
    gpu = resources_for(settings)
    for field, value in ASR_GPU_PRESET.items():
        assert getattr(gpu["asr"], field) == value, field
    for field, value in DIARIZER_GPU_PRESET.items():
        assert getattr(gpu["diarizer"], field) == value, field
    assert gpu["asr"].batch_size > plain["asr"].batch_size


def test_download_retry_policy_follows_the_environment(monkeypatch):
    import pytest

    from pixel_assets.ingest.assets import download_retry_policy

    monkeypatch.delenv("PIXEL_DOWNLOAD_RETRIES", raising=False)
    monkeypatch.delenv("PIXEL_DOWNLOAD_RETRY_DELAY_S", raising=False)
    default = download_retry_policy()
    assert (default.max_retries, default.calculate_delay(1), default.calculate_delay(2)) == (
        2, 5, 15
    )

    monkeypatch.setenv("PIXEL_DOWNLOAD_RETRIES", "4")
    monkeypatch.setenv("PIXEL_DOWNLOAD_RETRY_DELAY_S", "0.5")
    quick = download_retry_policy()
    assert quick.max_retries == 4 and quick.calculate_delay(3) == 3.5

    for name, bad in (("PIXEL_DOWNLOAD_RETRIES", "-1"), ("PIXEL_DOWNLOAD_RETRIES", "two"),
                      ("PIXEL_DOWNLOAD_RETRY_DELAY_S", "-5")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ValueError, match=name):
            load_settings()
        monkeypatch.delenv(name)
