"""Prosody on the espeak-ng prosody fixture (made by fixtures/make_prosody_fixtures.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.features import PROSODY_COLUMNS, FeatureOptions, prosody_frame


@pytest.fixture(scope="module")
def measured(prosody_fixture, prosody_sections) -> pd.DataFrame:
    out = prosody_frame(prosody_sections, prosody_fixture.audio, prosody_fixture.sample_rate)
    return out.set_axis(prosody_sections.index)


def test_higher_pitch_setting_gives_clearly_higher_f0(measured):
    low, high = measured.loc["pitch_low", "f0_mean_hz"], measured.loc["pitch_high", "f0_mean_hz"]
    assert 60 < low < high < 300
    assert high / low > 1.3  # espeak -p 20 vs -p 80: about 82 vs 139 Hz
    # No octave errors: the low voice's range stays within an octave.
    assert measured.loc["pitch_low", "f0_range_st"] < 12


def test_voiced_sections_get_every_measure(measured):
    voiced = measured.loc[["pitch_low", "pitch_high", "rate_slow", "rate_fast"]]
    assert voiced[list(PROSODY_COLUMNS)].notna().all().all()
    assert voiced["prosody_null_reason"].isna().all()
    assert ((voiced["jitter_local"] > 0) & (voiced["jitter_local"] < 0.1)).all()
    assert ((voiced["hnr_db"] > 0) & (voiced["hnr_db"] < 40)).all()
    assert (voiced["voiced_s"] >= 1.0).all()


@pytest.mark.parametrize("section", ["whisper", "silence"])
def test_unvoiced_and_silent_sections_are_null_with_a_reason(measured, section):
    row = measured.loc[section]
    assert row[list(PROSODY_COLUMNS)].isna().all()
    assert row["voiced_s"] < 0.3
    assert row["prosody_null_reason"] == "min_voiced_s"
    assert [r["rule"] for r in row["reasons"]] == ["min_voiced_s"]
    assert row["reasons"][0]["threshold"] == "0.30"


def test_segment_outside_the_audio_is_null_not_an_error(prosody_fixture):
    beyond = pd.DataFrame({"start_s": [1000.0], "end_s": [1002.0]})
    row = prosody_frame(beyond, prosody_fixture.audio, prosody_fixture.sample_rate).iloc[0]
    assert row["prosody_null_reason"] == "no_audio"
    assert np.isnan(row["f0_mean_hz"])


def test_voicing_threshold_is_configurable(prosody_fixture, prosody_sections):
    section = prosody_sections.loc[["pitch_high"]]
    strict = FeatureOptions(min_voiced_s=60.0)
    row = prosody_frame(section, prosody_fixture.audio, prosody_fixture.sample_rate, strict)
    assert row.loc[0, "prosody_null_reason"] == "min_voiced_s"


def test_int16_audio_gives_the_same_f0(prosody_fixture, prosody_sections, measured):
    pcm = (prosody_fixture.audio * 32767).astype(np.int16)
    section = prosody_sections.loc[["pitch_high"]]
    row = prosody_frame(section, pcm, prosody_fixture.sample_rate).iloc[0]
    assert row["f0_mean_hz"] == pytest.approx(measured.loc["pitch_high", "f0_mean_hz"], rel=0.01)


def test_without_voice_quality_jitter_is_null_but_f0_is_measured(prosody_fixture,
                                                                  prosody_sections):
    section = prosody_sections.loc[["pitch_low"]]
    out = prosody_frame(section, prosody_fixture.audio, prosody_fixture.sample_rate,
                        FeatureOptions(voice_quality=False)).iloc[0]
    assert np.isnan(out["jitter_local"]) and np.isnan(out["hnr_db"])
    assert out["f0_mean_hz"] > 0


def test_stereo_audio_is_rejected_with_the_fix():
    with pytest.raises(ValueError, match="mono"):
        prosody_frame(pd.DataFrame({"start_s": [0.0], "end_s": [1.0]}),
                      np.zeros((16000, 2), dtype=np.float32), 16000)


def test_two_voices_fixture_high_voice_has_higher_f0(two_voices_fixture):
    turns = pd.DataFrame(two_voices_fixture.truth["turns"])
    out = prosody_frame(turns, two_voices_fixture.audio, two_voices_fixture.sample_rate)
    by_speaker = out.groupby(turns["speaker"].to_numpy())["f0_mean_hz"].mean()
    assert by_speaker["B"] > 1.8 * by_speaker["A"]  # en-us -p 35 vs en-us+f4 -p 80


@pytest.mark.slow
def test_librosa_backend_orders_pitch_and_leaves_voice_quality_null(prosody_fixture,
                                                                     prosody_sections):
    sections = prosody_sections.loc[["pitch_low", "pitch_high", "silence"]]
    out = prosody_frame(sections, prosody_fixture.audio, prosody_fixture.sample_rate,
                        FeatureOptions(prosody_backend="librosa")).set_axis(sections.index)
    assert out.loc["pitch_high", "f0_mean_hz"] > 1.3 * out.loc["pitch_low", "f0_mean_hz"]
    assert out[["jitter_local", "shimmer_local", "hnr_db"]].isna().all().all()
    assert out.loc["silence", "prosody_null_reason"] == "min_voiced_s"


def test_unknown_backend_is_rejected_with_the_choices():
    with pytest.raises(ValueError, match="praat, librosa"):
        FeatureOptions(prosody_backend="opensmile")
