"""End to end on the espeak counselling fixtures: real ASR (tiny.en) and real diarization
(resemblyzer), then turns, roles, exchanges, scores and the review queue.

The fixture's sentence times stand in for the segments stage (segments are cut at pauses);
everything after that is what the assets run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import soundfile as sf

from pixel_assets.dialogue.exchanges import build_exchanges
from pixel_assets.dialogue.roles import assign_roles
from pixel_assets.dialogue.turns import build_turns
from pixel_assets.validation.review import build_review_queue
from pixel_assets.validation.scoring import score_exchanges

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "counselling"
VIDEO = {"webpage_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Fixture"}

pytestmark = pytest.mark.slow


def transcribe(name: str, transcriber, diarizer) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    from pixel_assets.transcription.schemas import (
        filter_transcripts,
        transcript_segments_frame,
        words_frame,
    )
    from pixel_assets.transcription.speakers import assign_speakers, split_transcripts

    truth = json.loads((FIXTURES / f"{name}.json").read_text())
    audio, sr = sf.read(FIXTURES / truth["audio"], dtype="float32")
    spans = [(f"{name}_{i:04d}", max(s["start_s"] - 0.15, 0), s["end_s"] + 0.15)
             for i, s in enumerate(truth["sentences"])]
    transcripts, words = transcriber.transcribe(audio, sr, spans)
    segments = transcript_segments_frame(name, transcripts, transcriber.model_label)
    diarization = diarizer.diarize(audio, sr, [(a, b) for _, a, b in spans])
    words = assign_speakers(words_frame(name, words), diarization.turns)
    segments, words = split_transcripts(segments, words, diarization.turns)
    kept, _ = filter_transcripts(segments)
    return kept, truth, words


@pytest.fixture(scope="module")
def transcribed() -> dict[str, tuple[pd.DataFrame, dict, pd.DataFrame]]:
    from pixel_assets.transcription.asr import WhisperTranscriber
    from pixel_assets.transcription.diarization import make_diarizer

    transcriber, diarizer = WhisperTranscriber(), make_diarizer("resemblyzer")
    return {name: transcribe(name, transcriber, diarizer) for name in ("session", "monologue")}


def truth_role(turn: pd.Series, truth: dict) -> str:
    """The scripted role of the sentences this turn overlaps most."""
    overlap: dict[str, float] = {}
    for s in truth["sentences"]:
        shared = min(turn["end_s"], s["end_s"]) - max(turn["start_s"], s["start_s"])
        if shared > 0:
            overlap[s["role"]] = overlap.get(s["role"], 0.0) + shared
    return max(overlap, key=overlap.__getitem__)


def test_roles_are_right_for_every_turn_without_metadata(transcribed):
    segments, truth, _ = transcribed["session"]
    turns, report = assign_roles(build_turns(segments))
    assert report.conversation_type == "two_party"
    assert len(turns) == truth["n_turns"]
    expected = [truth_role(t, truth) for _, t in turns.iterrows()]
    assert list(turns["role"]) == expected
    assert set(turns["role_source"]) == {"heuristic"}


def test_session_exchanges_scores_and_crisis_review(transcribed):
    segments, truth, _ = transcribed["session"]
    turns, _ = assign_roles(build_turns(segments))
    exchanges = build_exchanges(turns, VIDEO)
    assert list(exchanges["prompt_turn_index"]) == [1, 3, 5]
    scores = score_exchanges(exchanges)
    # The counsellor in the script reflects and explores: every reply is acceptable.
    assert scores["passed"].all(), scores[["overall", "reasons"]]
    queue = build_review_queue(exchanges, scores)
    # The disclosure (turn 3) flags its own exchange and the next one, which has it as context.
    disclosed = set(truth["crisis_turns"])
    expected = [
        bool(disclosed & ({e.prompt_turn_index} | {c["turn_index"] for c in e.context}))
        for e in exchanges.itertuples()
    ]
    assert expected == [False, True, True]
    assert list(scores["crisis"]) == expected
    assert list(queue["exchange_id"]) == list(exchanges.loc[expected, "exchange_id"])
    assert set(queue["reason"]) == {"suicidal_ideation"}
    # tiny.en hears the script's "better off without me" as better/bigger/bitter/beta.
    assert re.search(r"\b\w+ off without me", queue.iloc[0]["matched_text"].lower())
    assert queue.iloc[0]["deep_link"].startswith("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=")


def test_metadata_overrides_the_heuristic_on_the_fixture(transcribed):
    segments, _, _ = transcribed["session"]
    turns, _ = assign_roles(build_turns(segments), spec="client=first")
    first = turns["speaker"].iloc[0]
    assert set(turns.loc[turns["speaker"] == first, "role"]) == {"client"}
    assert set(turns["role_source"]) == {"metadata"}


def test_monologue_is_not_turned_into_exchanges(transcribed):
    segments, _, _ = transcribed["monologue"]
    turns, report = assign_roles(build_turns(segments))
    assert report.conversation_type == "monologue"
    assert set(turns["role"]) == {"other"}
    assert build_exchanges(turns, VIDEO).empty


def test_with_the_feature_tables(transcribed):
    """The features stage's utterance_features and speaker_profiles feed roles and scores."""
    from pixel_assets.features.extract import extract_utterance_features
    from pixel_assets.features.profiles import speaker_profiles

    segments, truth, words = transcribed["session"]
    features = extract_utterance_features(segments, words, None, 16_000)
    profiles = speaker_profiles(features)
    turns, report = assign_roles(build_turns(segments), profiles=profiles)
    assert list(turns["role"]) == [truth_role(t, truth) for _, t in turns.iterrows()]
    exchanges = build_exchanges(turns, VIDEO, features=features)
    assert exchanges["response_empathy"].notna().all()
    assert exchanges["prompt_sentiment"].notna().all()
    assert exchanges["response_mi_code"].notna().all()
    scores = score_exchanges(exchanges)
    assert scores["passed"].all(), scores[["overall", "reasons"]]
