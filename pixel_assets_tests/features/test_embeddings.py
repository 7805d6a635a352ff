"""Sentence embeddings with the bundled all-MiniLM-L6-v2 (offline)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.features import UTTERANCE_EMBEDDINGS, embed_utterances
from pixel_assets.warehouse.contract import to_arrow

pytestmark = pytest.mark.slow


def test_same_sentence_is_identical_and_paraphrase_beats_unrelated(embedder):
    sentence = "I have not been sleeping well because I worry about work."
    paraphrase = "Worrying about my job keeps me awake at night."
    unrelated = "The train to the airport leaves from platform four."
    vectors = embedder.encode([sentence, sentence, paraphrase, unrelated])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosine = vectors @ vectors[0]
    assert cosine[1] == pytest.approx(1.0, abs=1e-5)
    assert cosine[2] > cosine[3] + 0.2


def test_embed_utterances_builds_valid_table_rows(embedder):
    transcripts = pd.DataFrame(
        {
            "video_id": "vid1",
            "segment_id": ["s1", "s2", "s3"],
            "text": ["How are you feeling?", None, "Thanks for listening."],
        }
    )
    rows = embed_utterances(transcripts, embedder)
    assert rows["segment_id"].tolist() == ["s1", "s2", "s3"]
    assert (rows["model"] == "all-MiniLM-L6-v2-offline").all()
    table = to_arrow(UTTERANCE_EMBEDDINGS, rows)
    assert table.schema.field("embedding").type == UTTERANCE_EMBEDDINGS.arrow_types["embedding"]
    assert len(table.column("embedding")[0]) == 384


def test_resource_loads_the_model_once_per_process(embedder):
    from pixel_assets.resources.features import EmbedderResource

    again = EmbedderResource(device="cpu").get_embedder()
    assert again is embedder


def test_missing_local_model_names_the_setting(tmp_path):
    from pixel_assets.features import SentenceEmbedder

    with pytest.raises(RuntimeError, match="does not exist; set the embedder's model"):
        SentenceEmbedder(str(tmp_path / "no-such-model"), device="cpu")
