"""Roles without labels, conversation types, and the metadata/judge overrides."""

from __future__ import annotations

import pandas as pd
import pytest
from dialogue_helpers import COUNSELLING, segments

from pixel_assets.dialogue.roles import assign_roles, parse_role_spec
from pixel_assets.dialogue.turns import build_turns


def turns_of(rows=COUNSELLING):
    return build_turns(segments(rows))


def roles_by_speaker(turns: pd.DataFrame) -> dict[str, str]:
    return dict(zip(turns["speaker"], turns["role"], strict=True))


def test_counsellor_and_client_from_the_text_alone():
    turns, report = assign_roles(turns_of())
    assert roles_by_speaker(turns) == {"SPEAKER_00": "counsellor", "SPEAKER_01": "client"}
    assert report.conversation_type == "two_party" and report.counsellor == "SPEAKER_00"
    assert set(turns["role_source"]) == {"heuristic"}
    assert turns["role_confidence"].min() > 0.9


def test_the_client_opening_does_not_fool_it():
    # The client speaks first and talks most; questions and reflections still decide.
    rows = [("SPEAKER_01", 0.0, 9.0, "I don't even know where to start. My marriage is "
             "falling apart and I feel so alone every single day."), *COUNSELLING[3:]]
    turns, _ = assign_roles(turns_of(rows))
    assert roles_by_speaker(turns) == {"SPEAKER_00": "counsellor", "SPEAKER_01": "client"}


def test_speaker_profiles_override_text_cues():
    profiles = pd.DataFrame([
        {"speaker": "SPEAKER_00", "question_rate": 0.0, "reflection_rate": 0.0,
         "empathy_mean": 0.0, "talk_share": 0.9},
        {"speaker": "SPEAKER_01", "question_rate": 0.9, "reflection_rate": 0.8,
         "empathy_mean": 0.8, "talk_share": 0.1},
    ])
    turns, report = assign_roles(turns_of(), profiles=profiles)
    assert report.counsellor == "SPEAKER_01"


def test_monologue_and_panel_get_no_pairs():
    mono = [("SPEAKER_00", 0.0, 5.0, "Have you ever noticed your heart racing?"),
            ("SPEAKER_00", 9.0, 15.0, "That reaction is your body trying to protect you.")]
    turns, report = assign_roles(turns_of(mono))
    assert report.conversation_type == "monologue"
    assert set(turns["role"]) == {"other"} and set(turns["conversation_type"]) == {"monologue"}

    panel = [*COUNSELLING, ("SPEAKER_02", 26.0, 32.0, "As a psychiatrist I would add that "
                            "sleep problems are very common after a job loss.")]
    turns, report = assign_roles(turns_of(panel))
    assert report.conversation_type == "panel" and set(turns["role"]) == {"other"}


def test_a_minor_third_voice_is_other():
    rows = [*COUNSELLING, ("SPEAKER_02", 25.5, 25.9, "Sorry.")]
    turns, report = assign_roles(turns_of(rows))
    assert report.conversation_type == "two_party"
    assert roles_by_speaker(turns)["SPEAKER_02"] == "other"


@pytest.mark.parametrize(
    "spec,counsellor",
    [("counsellor=second", "SPEAKER_01"), ("client=first", "SPEAKER_01"),
     ("therapist=SPEAKER_01", "SPEAKER_01"), ("counsellor=G-CLIENT", "SPEAKER_01"),
     ("counsellor=most", "SPEAKER_00"), ("client=least", "SPEAKER_00")],
)
def test_metadata_overrides_the_heuristic(spec: str, counsellor: str):
    turns = turns_of()
    turns["global_speaker_id"] = turns["speaker"].map({"SPEAKER_01": "G-CLIENT"})
    out, report = assign_roles(turns, spec=spec)
    assert report.counsellor == counsellor
    assert set(out["role_source"]) == {"metadata"}
    assert set(out["role_confidence"]) == {1.0}
    assert sorted(roles_by_speaker(out).values()) == ["client", "counsellor"]


def test_metadata_states_the_conversation_type():
    out, report = assign_roles(turns_of(), spec="type=panel")
    assert report.conversation_type == "panel" and set(out["role"]) == {"other"}
    assert set(out["role_source"]) == {"metadata"}


def test_judge_overrides_heuristic_but_not_metadata():
    judge = {"SPEAKER_01": "counsellor"}
    out, report = assign_roles(turns_of(), judge_roles=judge)
    assert report.counsellor == "SPEAKER_01" and set(out["role_source"]) == {"judge"}
    out, report = assign_roles(turns_of(), spec="counsellor=first", judge_roles=judge)
    assert report.counsellor == "SPEAKER_00" and set(out["role_source"]) == {"metadata"}


def test_bad_role_specs_are_named():
    assert parse_role_spec("") is None
    assert parse_role_spec("Therapist=first; patient=second").assignments == (
        ("counsellor", "first"), ("client", "second"))
    with pytest.raises(ValueError, match="cannot read 'host first'"):
        parse_role_spec("host first")
    with pytest.raises(ValueError, match="not in this video"):
        assign_roles(turns_of(), spec="counsellor=SPEAKER_09")
