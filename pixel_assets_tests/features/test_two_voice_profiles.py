"""End to end on the two-voice fixture: the real upstream path (VAD, whisper, resemblyzer
diarization, speaker split) feeds the three feature tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.features import (
    SPEAKER_PROFILES,
    UTTERANCE_EMBEDDINGS,
    UTTERANCE_FEATURES,
    embed_utterances,
    extract_utterance_features,
    speaker_profiles,
)
from pixel_assets.warehouse.contract import to_arrow

pytestmark = pytest.mark.slow
VIDEO = "two_voices"


@pytest.fixture(scope="module")
def upstream(two_voices_fixture, transcriber):
    """``filtered_transcripts``-like rows, ``words`` and ``speakers`` as the transcription stage
    builds them."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from pixel_assets.transcription import (
        assign_speakers,
        make_diarizer,
        split_transcripts,
        talk_share,
        transcript_segments_frame,
        words_frame,
    )

    audio, sr = two_voices_fixture.audio, two_voices_fixture.sample_rate
    stamps = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300))
    regions = [(s["start"] / sr, s["end"] / sr) for s in stamps]
    result = make_diarizer("resemblyzer").diarize(audio, sr, regions)
    spans = [(f"seg{i:04d}", a, b) for i, (a, b) in enumerate(regions)]
    transcripts, words = transcriber.transcribe(audio, sr, spans)
    segments = transcript_segments_frame(VIDEO, transcripts, transcriber.model_label)
    word_rows = assign_speakers(words_frame(VIDEO, words), result.turns)
    segments, word_rows = split_transcripts(segments, word_rows, result.turns)
    shares = talk_share(result.turns)
    speakers = pd.DataFrame(
        {
            "video_id": VIDEO,
            "speaker": sorted(shares),
            "talk_share": [shares[s] for s in sorted(shares)],
            "speech_s": [sum(t.end_s - t.start_s for t in result.turns if t.speaker == s)
                         for s in sorted(shares)],
            "embedding": [result.speaker_embeddings.get(s) for s in sorted(shares)],
        }
    )
    return segments, word_rows, speakers


@pytest.fixture(scope="module")
def tables(upstream, two_voices_fixture, embedder):
    segments, word_rows, speakers = upstream
    features = extract_utterance_features(
        segments, word_rows, two_voices_fixture.audio, two_voices_fixture.sample_rate
    )
    return features, embed_utterances(segments, embedder), speaker_profiles(features, speakers)


def truth_speaker(features: pd.DataFrame, truth_turns: list[dict]) -> pd.Series:
    """The scripted voice (A or B) at each utterance's midpoint."""
    mid = (features["start_s"] + features["end_s"]) / 2
    turns = pd.DataFrame(truth_turns)
    return mid.map(lambda t: turns.loc[(turns["start_s"] - t).abs().add(
        (turns["end_s"] - t).abs()).idxmin(), "speaker"])


def test_all_three_tables_meet_their_contracts(tables, upstream):
    features, embeddings, profiles = tables
    segments = upstream[0]
    assert to_arrow(UTTERANCE_FEATURES, features).num_rows == len(segments)
    assert to_arrow(UTTERANCE_EMBEDDINGS, embeddings).num_rows == len(segments)
    assert to_arrow(SPEAKER_PROFILES, profiles).num_rows == len(profiles)
    assert set(embeddings["segment_id"]) == set(features["segment_id"])


def test_one_profile_per_diarized_speaker_and_shares_sum_to_one(tables, upstream):
    profiles, speakers = tables[2], upstream[2]
    assert sorted(profiles["speaker"]) == sorted(speakers["speaker"])
    assert len(profiles) == 2
    assert profiles.groupby("video_id")["talk_share"].sum().to_numpy() == pytest.approx([1.0])
    assert profiles["voice_print_ref"].tolist() == [
        f"speakers/{VIDEO}/{s}" for s in profiles["speaker"]
    ]


def test_profiles_tell_the_voices_and_the_roles_apart(tables, two_voices_fixture):
    features, _, profiles = tables
    scripted = truth_speaker(features, two_voices_fixture.truth["turns"])
    # Each diarized speaker maps to the scripted voice most of its utterances come from.
    mapping = scripted.groupby(features["speaker"]).agg(lambda s: s.mode().iloc[0])
    assert sorted(mapping) == ["A", "B"]
    by_voice = profiles.set_index(profiles["speaker"].map(mapping))
    # Voice B is espeak's f4 at -p 80, voice A en-us at -p 35.
    assert by_voice.loc["B", "f0_mean_hz"] > 1.8 * by_voice.loc["A", "f0_mean_hz"]
    # A is the scripted counsellor: both of the script's questions are A's.
    assert by_voice.loc["A", "question_rate"] > by_voice.loc["B", "question_rate"]
    assert by_voice.loc["A", "open_question_rate"] > 0
    assert np.isfinite(by_voice["speech_rate_wps"]).all()
