"""Whole utterance_features rows against their table contract, and the metadata helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.features import (
    SPEAKER_PROFILES,
    TABLES,
    UTTERANCE_FEATURES,
    FeatureOptions,
    check_null_prosody,
    extract_utterance_features,
    features_plot_png,
    profiles_markdown,
    speaker_profiles,
)
from pixel_assets.warehouse.contract import TableContractError, to_arrow, validate

NO_WORDS = pd.DataFrame(columns=["segment_id", "start_s", "end_s"])
SPEAKER_OF = {"pitch_low": "S1", "rate_slow": "S1", "rate_fast": "S1", "silence": "S1"}


@pytest.fixture(scope="module")
def transcripts(prosody_sections) -> pd.DataFrame:
    rows = prosody_sections.reset_index(drop=True)
    # Listed out of time order on purpose: the output is in time order.
    return pd.DataFrame(
        {
            "video_id": "vid_prosody",
            "segment_id": rows["name"],
            "speaker": [SPEAKER_OF.get(n, "S2") for n in rows["name"]],
            "start_s": rows["start_s"],
            "end_s": rows["end_s"],
            "n_words": rows["n_words"],
            "text": rows["text"],
        }
    ).iloc[::-1]


@pytest.fixture(scope="module")
def features(transcripts, prosody_fixture) -> pd.DataFrame:
    timings: dict[str, float] = {}
    out = extract_utterance_features(
        transcripts, NO_WORDS, prosody_fixture.audio, prosody_fixture.sample_rate,
        timings=timings,
    )
    assert set(timings) == {"text", "speech", "prosody"}
    return out


def test_every_declared_column_is_filled_and_the_contract_holds(features, transcripts):
    assert list(features["start_s"]) == sorted(transcripts["start_s"])
    declared = set(UTTERANCE_FEATURES.columns)
    assert declared <= set(features.columns), declared - set(features.columns)
    table = to_arrow(UTTERANCE_FEATURES, features)
    assert table.num_rows == len(transcripts)
    assert table.schema.field("reasons").type == UTTERANCE_FEATURES.arrow_types["reasons"]
    by_id = features.set_index("segment_id")
    assert by_id.loc["silence", "prosody_null_reason"] == "min_voiced_s"
    assert by_id.loc["pitch_high", "f0_mean_hz"] > by_id.loc["pitch_low", "f0_mean_hz"]


def test_switched_off_extractors_are_stored_as_nulls(transcripts, prosody_fixture):
    off = FeatureOptions(text=False, speech=False, prosody=False)
    out = extract_utterance_features(transcripts, NO_WORDS, prosody_fixture.audio, 16000, off)
    stored = to_arrow(UTTERANCE_FEATURES, out).to_pandas()
    assert stored["sentiment"].isna().all() and stored["f0_mean_hz"].isna().all()
    assert stored["is_question"].isna().all()
    assert (stored["prosody_null_reason"] == "prosody_disabled").all()


def test_missing_audio_leaves_prosody_null_with_reason(transcripts):
    out = extract_utterance_features(transcripts, NO_WORDS, None, 16000)
    assert (out["prosody_null_reason"] == "no_audio").all()
    assert to_arrow(UTTERANCE_FEATURES, out).num_rows == len(transcripts)


@pytest.mark.parametrize(
    ("column", "value"),
    [("sentiment", 1.5), ("emotion_joy", -0.1), ("f0_mean_hz", 20.0), ("mi_code", "lecture"),
     ("empathy_exploration", 3)],
)
def test_contract_rejects_out_of_range_values(features, column, value):
    broken = features.copy()
    broken.loc[broken.index[0], column] = value
    with pytest.raises(TableContractError, match=column):
        validate(UTTERANCE_FEATURES, broken)


def test_transcripts_without_key_columns_are_named():
    with pytest.raises(KeyError, match="filtered_transcripts"):
        extract_utterance_features(pd.DataFrame({"segment_id": ["a"]}), NO_WORDS, None, 16000)


def test_profiles_from_features_share_talk_time(features):
    speakers = pd.DataFrame(
        {
            "video_id": "vid_prosody", "speaker": ["S1", "S2", "S3"],
            "talk_share": [0.5, 0.4, 0.1], "speech_s": [10.0, 8.0, 2.0],
            "embedding": [np.ones(256, np.float32) / 16, np.ones(256, np.float32) / 16, None],
        }
    )
    profiles = speaker_profiles(features, speakers).set_index("speaker")
    assert profiles["talk_share"].sum() == pytest.approx(1.0)
    assert profiles.loc["S3", "n_utterances"] == 0 and profiles.loc["S3", "talk_share"] == 0
    assert profiles.loc["S1", "voice_print_ref"] == "speakers/vid_prosody/S1"
    assert profiles.loc["S3", "voice_print_ref"] is None
    s1 = features[features["speaker"] == "S1"]
    assert profiles.loc["S1", "n_utterances"] == len(s1)
    assert profiles.loc["S1", "talk_time_s"] == pytest.approx((s1["end_s"] - s1["start_s"]).sum())
    # S1 has one silent section among four: a quarter of its utterances lack prosody.
    assert profiles.loc["S1", "null_prosody_share"] == pytest.approx(0.25)
    to_arrow(SPEAKER_PROFILES, profiles.reset_index())


def test_plot_markdown_and_null_prosody_check(features):
    png = features_plot_png(features, title="vid_prosody")
    assert png.startswith(b"\x89PNG") and 5_000 < len(png) < 200_000
    profiles = speaker_profiles(features)
    table = profiles_markdown(profiles)
    assert table.count("\n") == 1 + len(profiles)
    assert "| S1 |" in table and "talk share" in table
    # 2 of 6 sections (whisper, silence) have no prosody.
    check = check_null_prosody(features, max_null_share=0.5)
    assert check.passed and check.null_share == pytest.approx(2 / 6)
    assert check.by_reason == {"min_voiced_s": 2}
    failed = check_null_prosody(features, max_null_share=0.2)
    assert not failed.passed
    assert failed.reasons[0]["rule"] == "max_null_prosody_share"


def test_tables_are_declared_once_with_video_partitions():
    assert [t.name for t in TABLES] == [
        "utterance_features", "utterance_embeddings", "speaker_profiles",
    ]
    assert {t.partition_column for t in TABLES} == {"video_id"}
    for spec in TABLES:
        spec.arrow_schema()  # every column has an Arrow type


def test_a_video_without_kept_utterances_still_gives_valid_tables():
    empty = pd.DataFrame(
        columns=["video_id", "segment_id", "speaker", "start_s", "end_s", "n_words", "text"]
    )
    features = extract_utterance_features(empty, NO_WORDS, np.zeros(16000, np.float32), 16000)
    assert to_arrow(UTTERANCE_FEATURES, features).num_rows == 0
    speakers = pd.DataFrame({"video_id": ["v"], "speaker": ["S0"], "talk_share": [1.0],
                             "speech_s": [3.0], "embedding": [np.ones(4, np.float32)]})
    profiles = speaker_profiles(features, speakers)
    assert profiles[["speaker", "n_utterances", "talk_share"]].values.tolist() == [["S0", 0, 0.0]]
    assert to_arrow(SPEAKER_PROFILES, profiles).num_rows == 1
    assert to_arrow(SPEAKER_PROFILES, speaker_profiles(features)).num_rows == 0
    assert check_null_prosody(features).passed
    assert features_plot_png(features).startswith(b"\x89PNG")
