"""Optional backends behind the Diarizer protocol: pyannote.audio and WhisperX (extras)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pixel_assets.transcription.diarization.types import (
    EMBED_SAMPLE_RATE,
    DiarizationResult,
    MissingBackendError,
    SpeakerTurn,
    prepare_audio,
)


def _install_hint(backend: str, package: str, extra: str) -> str:
    # The extras hold an older torch than the default path, so they get an environment of
    # their own with their own pinned set rather than being added on top of this one.
    return (
        f"The {backend!r} diarization backend needs {package}: install it with "
        f"`make env BACKEND={extra}` (a separate .venv-{extra}), or with "
        f"`uv pip install -c constraints-{extra}.txt 'pixel-voice[{extra}]'` in a fresh "
        "environment"
    )


def _import_backend(module: str, backend: str, extra: str, after: str) -> Any:
    """Import an optional backend's module, or say exactly how to get a working one."""
    import importlib
    import os

    # pyannote.audio (also under WhisperX) sends usage telemetry to otel.pyannote.ai unless
    # told not to: a data pipeline should not phone home, and offline it only waits.
    # Setting PYANNOTE_METRICS_ENABLED=true opts back in.
    os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "false")
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingBackendError(_install_hint(backend, module, extra) + after) from exc
    except OSError as exc:
        # Seen with torchaudio built for another torch release: its compiled ops fail to load.
        import torch

        raise MissingBackendError(
            f"The {backend!r} diarization backend is installed but {module} cannot be loaded "
            f"({exc}); torchaudio must be built for this torch ({torch.__version__}). "
            + _install_hint(backend, module, extra)
            + after
        ) from exc


class PyannoteDiarizer:
    """pyannote.audio pipeline (optional extra ``pyannote``, pyannote.audio 4).

    Args:
        pipeline: A local pipeline directory or its config.yaml (offline), or a hub name such
            as ``"pyannote/speaker-diarization-community-1"`` (gated: needs ``hf_token`` and
            network).
        hf_token: Hugging Face token for gated hub pipelines.
        device: Torch device.
        num_speakers: Force a speaker count; None lets pyannote decide within the bounds.
        min_speakers: Lower bound for pyannote's count.
        max_speakers: Upper bound for pyannote's count.
    """

    def __init__(
        self,
        pipeline: str = "pyannote/speaker-diarization-community-1",
        hf_token: str | None = None,
        device: str = "cpu",
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> None:
        _check_local_pipeline(pipeline)
        pipeline_cls = _import_backend(
            "pyannote.audio", "pyannote", "pyannote",
            " (then set the pipeline to a local pipeline directory, or to a hub name with an "
            "HF token when online), or use the default 'resemblyzer' backend.",
        ).Pipeline
        import torch

        self.pipeline = _load_pyannote_pipeline(
            pipeline_cls.from_pretrained, pipeline, hf_token=hf_token, name=pipeline
        )
        self.pipeline.to(torch.device(device))
        self.kwargs = _speaker_bounds(num_speakers, min_speakers, max_speakers)

    def diarize(
        self,
        audio: np.ndarray,
        sample_rate: int,
        speech_regions: Sequence[tuple[float, float]],
    ) -> DiarizationResult:
        """Run the pipeline on the whole audio and keep the parts inside ``speech_regions``."""
        import torch

        waveform = torch.from_numpy(prepare_audio(audio, sample_rate)).unsqueeze(0)
        output = self.pipeline(
            {"waveform": waveform, "sample_rate": EMBED_SAMPLE_RATE}, **self.kwargs
        )
        # pyannote.audio 4 also gives an overlap-free version meant for aligning with
        # transcripts: one speaker per instant, which is what word assignment needs.
        annotation = getattr(
            output, "exclusive_speaker_diarization", getattr(output, "speaker_diarization", output)
        )
        raw = [
            (str(spk), float(seg.start), float(seg.end))
            for seg, _, spk in annotation.itertracks(yield_label=True)
        ]
        return _turns_within(raw, speech_regions)


class WhisperXDiarizer:
    """WhisperX's diarization pipeline (optional extra ``whisperx``; pyannote underneath).

    Args:
        model_name: Pipeline hub name or local pipeline directory passed to WhisperX (None:
            WhisperX's default hub pipeline).
        hf_token: Hugging Face token for gated hub pipelines.
        device: Torch device.
        num_speakers: Force a speaker count; None lets the pipeline decide within the bounds.
        min_speakers: Lower bound for the count.
        max_speakers: Upper bound for the count.
    """

    def __init__(
        self,
        model_name: str | None = None,
        hf_token: str | None = None,
        device: str = "cpu",
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> None:
        _check_local_pipeline(model_name)
        _import_backend(
            "whisperx", "whisperx", "whisperx",
            " (its pyannote pipeline then needs a local directory or an HF token when online), "
            "or use the default 'resemblyzer' backend.",
        )
        from whisperx.diarize import DiarizationPipeline

        kwargs: dict[str, Any] = {"device": device}
        if model_name:
            kwargs["model_name"] = model_name
        self.pipeline = _load_pyannote_pipeline(
            DiarizationPipeline, kwargs=kwargs, hf_token=hf_token,
            name=model_name or "WhisperX's default pipeline",
        )
        self.kwargs = _speaker_bounds(num_speakers, min_speakers, max_speakers)

    def diarize(
        self,
        audio: np.ndarray,
        sample_rate: int,
        speech_regions: Sequence[tuple[float, float]],
    ) -> DiarizationResult:
        """Run WhisperX diarization on the whole audio, keep the parts inside the regions."""
        frame = self.pipeline(prepare_audio(audio, sample_rate), **self.kwargs)
        raw = [(str(r.speaker), float(r.start), float(r.end)) for r in frame.itertuples()]
        return _turns_within(raw, speech_regions)


def _check_local_pipeline(name: str | None) -> None:
    """Fail clearly on a missing local pipeline path instead of pyannote's hub lookup error.

    A hub name is ``owner/repo``; anything written as a path (absolute, ``./``, ``~``, a
    ``.yaml`` file) must exist.
    """
    if not name:
        return
    from pathlib import Path

    looks_local = name.startswith(("/", ".", "~")) or name.endswith((".yaml", ".yml"))
    if looks_local and not Path(name).expanduser().exists():
        raise FileNotFoundError(
            f"Diarization pipeline {name!r} does not exist: set diarizer.pipeline to a local "
            "pipeline directory (holding config.yaml) or its config.yaml, or to a hub name "
            "such as 'pyannote/speaker-diarization-community-1' with hf_token when online."
        )


def _load_pyannote_pipeline(
    factory: Any,
    *args: Any,
    hf_token: str | None,
    name: str,
    kwargs: dict[str, Any] | None = None,
) -> Any:
    """Call a pyannote-based loader with the token argument its version takes."""
    kwargs = dict(kwargs or {})
    try:
        loaded = factory(*args, **kwargs, token=hf_token)
    except TypeError as exc:
        if "token" not in str(exc):
            raise
        loaded = factory(*args, **kwargs, use_auth_token=hf_token)  # pyannote.audio 3.x
    if loaded is None:
        raise RuntimeError(
            f"Diarization pipeline {name!r} could not be loaded: give a local pipeline "
            "directory, or accept its terms on the hub and pass hf_token."
        )
    return loaded


def _speaker_bounds(
    num_speakers: int | None, min_speakers: int | None, max_speakers: int | None
) -> dict[str, int]:
    """pyannote's speaker-count arguments: a fixed count wins over the bounds."""
    if num_speakers is not None:
        return {"num_speakers": num_speakers}
    return {
        k: v for k, v in (("min_speakers", min_speakers), ("max_speakers", max_speakers))
        if v is not None
    }


def _turns_within(
    raw: list[tuple[str, float, float]], regions: Sequence[tuple[float, float]]
) -> DiarizationResult:
    """Intersect backend turns with the speech regions and relabel by first appearance."""
    clipped = []
    for spk, a, b in raw:
        for ra, rb in regions:
            lo, hi = max(a, ra), min(b, rb)
            if hi > lo:
                clipped.append((spk, lo, hi))
    clipped.sort(key=lambda t: t[1])
    names: dict[str, str] = {}
    for spk, _, _ in clipped:
        names.setdefault(spk, f"SPEAKER_{len(names):02d}")
    return DiarizationResult(
        turns=[SpeakerTurn(names[s], round(a, 3), round(b, 3)) for s, a, b in clipped]
    )
