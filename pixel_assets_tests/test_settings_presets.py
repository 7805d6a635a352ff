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
