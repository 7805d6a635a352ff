"""Optional classifier backend, with tiny random-initialised transformers models (no hub)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pixel_assets.features import (
    UTTERANCE_FEATURES,
    FeatureOptions,
    TextClassifier,
    extract_utterance_features,
)
from pixel_assets.warehouse.contract import to_arrow

pytestmark = pytest.mark.slow

TEXTS = [
    "I feel so alone since she left.",
    "Thanks, that really helps.",
    "How long have you felt this way, and what makes it worse?",
]


def save_tiny_model(folder: Path, labels: list[str], multi_label: bool) -> Path:
    """A 1-layer BERT with random weights and a word-level vocabulary, saved like a hub model."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    torch.manual_seed(0)
    words = sorted({w.strip(".,?").lower() for t in TEXTS for w in t.split()})
    folder.mkdir(parents=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ",", ".", "?",
                                *words]) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=16, num_hidden_layers=1,
        num_attention_heads=2, intermediate_size=32, max_position_embeddings=64,
        num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
        problem_type="multi_label_classification" if multi_label else None,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def emotion_dir(tmp_path_factory) -> Path:
    return save_tiny_model(tmp_path_factory.mktemp("clf") / "emotion",
                           ["joy", "Sadness", "neutral feeling"], multi_label=True)


@pytest.fixture(scope="module")
def empathy_dir(tmp_path_factory) -> Path:
    return save_tiny_model(tmp_path_factory.mktemp("clf") / "empathy",
                           ["no", "weak", "strong"], multi_label=False)


def test_softmax_classifier_gives_label_columns_that_sum_to_one(empathy_dir):
    scores = TextClassifier(str(empathy_dir), device="cpu").classify(TEXTS)
    assert list(scores.columns) == ["clf_no", "clf_weak", "clf_strong"]
    assert np.allclose(scores.sum(axis=1), 1.0, atol=1e-5)


def test_multi_label_classifier_scores_each_label_and_keeps_input_order(emotion_dir):
    classifier = TextClassifier(str(emotion_dir), device="cpu", batch_size=2)
    together = classifier.classify(TEXTS)
    assert list(together.columns) == ["clf_joy", "clf_sadness", "clf_neutral_feeling"]
    assert ((together > 0) & (together < 1)).all().all()
    # Batched (longest first) and one by one agree row for row.
    alone = pd.concat([classifier.classify([t]) for t in TEXTS], ignore_index=True)
    assert np.allclose(together.to_numpy(), alone.to_numpy(), atol=1e-5)


def test_resource_adds_classifier_columns_to_utterance_features(emotion_dir, empathy_dir):
    from pixel_assets.resources.features import FeaturesResource

    resource = FeaturesResource(
        emotion_classifier=str(emotion_dir), empathy_classifier=str(empathy_dir),
        classifier_device="cpu",
    )
    classifiers = resource.get_classifiers()
    assert resource.get_classifiers()[0] is classifiers[0]  # loaded once
    transcripts = pd.DataFrame(
        {
            "video_id": "v1", "segment_id": ["a", "b", "c"], "speaker": "S0",
            "start_s": [0.0, 3.0, 6.0], "end_s": [2.5, 5.5, 9.0], "n_words": [7, 4, 11],
            "text": TEXTS,
        }
    )
    features = extract_utterance_features(
        transcripts, pd.DataFrame(columns=["segment_id", "start_s", "end_s"]), None, 16000,
        FeatureOptions(prosody=False), classifiers=classifiers,
    )
    for column in ("clf_joy", "clf_sadness", "clf_empathy_strong", "clf_empathy_no"):
        assert features[column].between(0, 1).all(), column
    stored = to_arrow(UTTERANCE_FEATURES, features)
    assert "clf_empathy_weak" in stored.schema.names


def test_default_resource_has_no_classifier():
    from pixel_assets.resources.features import FeaturesResource

    assert FeaturesResource().get_classifiers() == ()


def test_missing_model_folder_names_the_model(tmp_path):
    with pytest.raises(RuntimeError, match="no-such-model"):
        TextClassifier(str(tmp_path / "no-such-model"), device="cpu")
