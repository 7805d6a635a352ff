"""A local pyannote.audio pipeline directory with untrained (randomly initialised) models.

The real diarization weights are gated on the Hugging Face hub and cannot be fetched here, so
the optional-backend tests load this instead. It exercises everything our adapters do with
pyannote.audio and WhisperX (loading a local pipeline directory, moving it to a device,
calling it on an in-memory waveform, reading its annotation back into speaker turns) but says
nothing about diarization quality: with random weights the speakers found are arbitrary.

Only importable where the ``pyannote`` or ``whisperx`` extra is installed.
"""

from __future__ import annotations

from pathlib import Path

import lightning
import numpy as np
import torch
import yaml
from pyannote.audio import __version__ as pyannote_version
from pyannote.audio.core.task import Problem, Resolution, Specifications
from pyannote.audio.models.embedding import WeSpeakerResNet34
from pyannote.audio.models.segmentation import PyanNet

# Layout of pyannote/speaker-diarization-community-1 (pyannote.audio 4's default pipeline:
# segmentation, WeSpeaker embedding, PLDA + VBx clustering), with "$model/..." standing for
# this directory, which pyannote.audio expands for local pipelines.
PIPELINE_CONFIG = {
    "pipeline": {
        "name": "pyannote.audio.pipelines.SpeakerDiarization",
        "params": {
            "segmentation": "$model/segmentation",
            "embedding": "$model/embedding",
            "plda": "$model/plda",
            "clustering": "VBxClustering",
            "embedding_batch_size": 8,
            "embedding_exclude_overlap": True,
            "segmentation_batch_size": 8,
        },
    },
    "params": {
        "clustering": {"threshold": 0.6, "Fa": 0.07, "Fb": 0.8},
        "segmentation": {"min_duration_off": 0.0},
    },
}
EMBEDDING_DIM = 256  # WeSpeakerResNet34's output
LDA_DIM = 128  # pyannote.audio's PLDA default lda_dimension


def _save(model: torch.nn.Module, folder: Path) -> None:
    """Write ``model`` as the lightning checkpoint ``Model.from_pretrained`` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "state_dict": model.state_dict(),
        "hyper_parameters": dict(model.hparams),
        "pytorch-lightning_version": lightning.__version__,
    }
    model.on_save_checkpoint(checkpoint)
    torch.save(checkpoint, folder / "pytorch_model.bin")


def build_untrained_pipeline(folder: Path, seed: int = 0) -> Path:
    """Write segmentation + embedding checkpoints and config.yaml under ``folder``."""
    torch.manual_seed(seed)
    segmentation = PyanNet(sincnet={"stride": 10})
    # What the speaker-diarization-3.1 segmentation model declares: 10 s chunks, 3 local
    # speakers, at most 2 at once (powerset).
    segmentation.specifications = Specifications(
        problem=Problem.MONO_LABEL_CLASSIFICATION,
        resolution=Resolution.FRAME,
        duration=10.0,
        classes=["speaker#1", "speaker#2", "speaker#3"],
        powerset_max_classes=2,
        permutation_invariant=True,
    )
    segmentation.setup()
    _save(segmentation, folder / "segmentation")

    embedding = WeSpeakerResNet34()
    embedding.specifications = Specifications(
        problem=Problem.REPRESENTATION, resolution=Resolution.CHUNK, duration=3.0
    )
    embedding.setup()
    _save(embedding, folder / "embedding")

    # PLDA: a random LDA projection and a well-conditioned random PLDA, shaped as VBx expects.
    rng = np.random.default_rng(seed)
    plda = folder / "plda"
    plda.mkdir(exist_ok=True)
    np.savez(
        plda / "xvec_transform.npz",
        mean1=rng.normal(size=EMBEDDING_DIM) * 0.01,
        mean2=np.zeros(LDA_DIM),
        lda=rng.normal(size=(EMBEDDING_DIM, LDA_DIM)) / np.sqrt(EMBEDDING_DIM),
    )
    np.savez(
        plda / "plda.npz",
        mu=np.zeros(LDA_DIM),
        tr=np.eye(LDA_DIM) + 0.01 * rng.normal(size=(LDA_DIM, LDA_DIM)),
        psi=np.linspace(5.0, 0.1, LDA_DIM),
    )

    config = {**PIPELINE_CONFIG, "dependencies": {"pyannote.audio": pyannote_version}}
    (folder / "config.yaml").write_text(yaml.safe_dump(config))
    return folder
