"""Optional hub text classifier (e.g. a GoEmotions or EPITOME model) → ``clf_<label>`` columns.

Any transformers sequence-classification model works: its ``id2label`` names the columns and
its ``problem_type`` picks sigmoid (multi-label, e.g. GoEmotions) or softmax scores. Nothing
here runs unless a model is configured; the default feature path never needs it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pixel_assets.cpus import cap_torch_threads
from pixel_assets.features.embeddings import resolve_torch_device

COLUMN_PREFIX = "clf_"


def label_column(label: str, prefix: str = COLUMN_PREFIX) -> str:
    """Column name for a model label: ``"Emotional Reaction"`` → ``clf_emotional_reaction``."""
    slug = re.sub(r"[^0-9a-z]+", "_", str(label).lower()).strip("_")
    return f"{prefix}{slug or 'label'}"


class TextClassifier:
    """A loaded transformers text classifier (build once per process).

    Args:
        model: Hub name or local folder with a sequence-classification model and its tokenizer.
        device: ``auto``, ``cpu`` or ``cuda``.
        batch_size: Texts per forward pass.
        max_length: Tokens kept per text (longer texts are truncated).
        prefix: Column prefix; use different prefixes for two classifiers (``clf_emo_``...).

    Raises:
        RuntimeError: the model cannot be loaded (names the model and the fix).
    """

    def __init__(
        self,
        model: str,
        device: str = "auto",
        batch_size: int = 32,
        max_length: int = 256,
        prefix: str = COLUMN_PREFIX,
    ) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        cap_torch_threads()

        self.model_name = model
        self.device = resolve_torch_device(device)
        self.batch_size = batch_size
        self.max_length = max_length
        self.prefix = prefix
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model)
            self.model = AutoModelForSequenceClassification.from_pretrained(model)
        except OSError as exc:
            raise RuntimeError(
                f"Text classifier {model!r} could not be loaded ({exc}). Give a local folder "
                "holding a sequence-classification model and its tokenizer, or a hub name "
                "with network access; or leave the classifier unset."
            ) from exc
        self.model.to(self.device).eval()
        self._torch = torch
        config = self.model.config
        self.labels = [config.id2label[i] for i in range(config.num_labels)]
        self.multi_label = config.problem_type == "multi_label_classification"

    @property
    def columns(self) -> list[str]:
        """Output column names, in label-id order."""
        return [label_column(label, self.prefix) for label in self.labels]

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Label probabilities, shape ``(len(texts), n_labels)``."""
        torch = self._torch
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        # Longest first keeps padding per batch small.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i] or ""))
        with torch.inference_mode():
            for begin in range(0, len(order), self.batch_size):
                chunk = order[begin : begin + self.batch_size]
                batch = self.tokenizer(
                    [texts[i] or "" for i in chunk],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                ).to(self.device)
                logits = self.model(**batch).logits.float()
                probs = torch.sigmoid(logits) if self.multi_label else logits.softmax(dim=-1)
                out[chunk] = probs.cpu().numpy()
        return out

    def classify(self, texts: Sequence[str]) -> pd.DataFrame:
        """``clf_<label>`` probability columns, one row per text (input order)."""
        return pd.DataFrame(self.scores(list(texts)), columns=self.columns, dtype=float)
