"""Exchanges: client turn -> counsellor turn, stable ids, context, links, features."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dialogue_helpers import segments

from pixel_assets.dialogue.exchanges import (
    ExchangeOptions,
    build_exchanges,
    deep_link,
    youtube_id,
)
from pixel_assets.dialogue.roles import assign_roles
from pixel_assets.dialogue.schemas import TABLES
from pixel_assets.dialogue.turns import build_turns
from pixel_assets.warehouse.contract import to_arrow, validate

VIDEO = {"video_id": "vid00000001", "webpage_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
         "title": "Session 4", "channel": "Counselling Demos", "upload_date": "20240131"}


def turns(rows=None):
    out, _ = assign_roles(build_turns(segments() if rows is None else rows))
    return out


def test_client_turns_followed_by_counsellor_turns():
    ex = build_exchanges(turns(), VIDEO)
    assert list(zip(ex["prompt_turn_index"], ex["response_turn_index"], strict=True)) == [
        (1, 2), (3, 4)]
    first = ex.iloc[0]
    assert first["prompt_text"].startswith("I have been really struggling")
    assert first["response_text"].startswith("It sounds like")
    assert first["prompt_speaker"] == "SPEAKER_01" and first["response_speaker"] == "SPEAKER_00"
    assert (first["response_start_s"], first["response_end_s"]) == (10.8, 16.0)
    assert first["deep_link"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3s"
    assert (first["title"], first["channel"], first["upload_date"]) == (
        "Session 4", "Counselling Demos", "20240131")
    validate(TABLES[1], ex)
    assert to_arrow(TABLES[1], ex).num_rows == 2


def test_context_holds_up_to_k_previous_turns():
    ex = build_exchanges(turns(), VIDEO, options=ExchangeOptions(context_turns=2))
    assert [c["turn_index"] for c in ex.iloc[0]["context"]] == [0]
    assert [c["turn_index"] for c in ex.iloc[1]["context"]] == [1, 2]
    assert ex.iloc[1]["context"][0]["role"] == "client"
    none = build_exchanges(turns(), VIDEO, options=ExchangeOptions(context_turns=0))
    assert all(len(c) == 0 for c in none["context"])


def test_exchange_id_is_stable_and_content_bound():
    a = build_exchanges(turns(), VIDEO)["exchange_id"]
    b = build_exchanges(turns(), VIDEO)["exchange_id"]
    assert list(a) == list(b) and a.str.fullmatch(r"[0-9a-f]{20}").all() and a.is_unique
    changed = segments()
    changed.loc[3, "text"] = "It sounds like you're carrying a lot of guilt right now."
    c = build_exchanges(turns(changed), VIDEO)["exchange_id"]
    assert c.iloc[0] != a.iloc[0] and c.iloc[1] == a.iloc[1]


def test_monologue_yields_no_exchanges():
    mono = segments().assign(speaker="SPEAKER_00")
    assert build_exchanges(turns(mono), VIDEO).empty


@pytest.mark.parametrize(
    "url,expected",
    [("https://youtu.be/dQw4w9WgXcQ?si=x", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=123s"),
     ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=123s"),
     ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=123s"),
     ("https://vimeo.com/12345", "https://vimeo.com/12345"),
     ("https://www.youtube.com/watch?v=bad", "https://www.youtube.com/watch?v=bad"),
     (None, None)],
)
def test_deep_links(url, expected):
    assert deep_link(url, 123.9) == expected


def test_youtube_id_rejects_lookalike_hosts():
    assert youtube_id("https://notyoutube.com/watch?v=dQw4w9WgXcQ") is None


def test_features_of_prompt_and_response():
    segs = segments()
    ids = list(segs["segment_id"])
    features = pd.DataFrame({
        "segment_id": ids,
        "n_words": segs["n_words"],
        "sentiment": [0.1, -0.6, -0.4, 0.2, 0.1, -0.5, 0.0],
        "emotion_sadness": [0, 0.3, 0.4, 0.1, 0, 0.5, 0.2],
        "emotion_fear": [0, 0.1, 0.2, 0, 0, 0.1, 0],
        "empathy": [0.1, 0, 0, 0.8, 0.6, 0, 0.9],
        "toxicity": [0.01] * 7,
        "invalidation": [False] * 7,
        "mi_code": ["open question", "other", "other", "reflection", "open question", "other",
                    "affirmation"],
        "speech_rate_wps": [2.5] * 7,
        "filler_rate": [0.0] * 7,
    })
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(7, 8)).astype(np.float32)
    vectors[3] = vectors[1] + 0.1 * vectors[3]  # response 1 paraphrases its prompt
    embeddings = pd.DataFrame({"segment_id": ids, "embedding": list(vectors)})
    ex = build_exchanges(turns(), VIDEO, features=features, embeddings=embeddings)
    first = ex.iloc[0]
    assert first["prompt_emotion"] == "sadness"
    assert -0.6 < first["prompt_sentiment"] < -0.4
    assert 0.6 < first["response_empathy"] < 0.8
    assert first["response_mi_code"] == "reflection"  # the code carried by most words
    assert first["response_confidence"] == pytest.approx(0.9)
    assert first["similarity"] > ex.iloc[1]["similarity"]
    validate(TABLES[1], ex)
