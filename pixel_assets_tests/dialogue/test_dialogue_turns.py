"""Turns: consecutive segments of one speaker merge within the maximum gap."""

from __future__ import annotations

import pytest
from dialogue_helpers import segments

from pixel_assets.dialogue.turns import TurnOptions, build_turns


def test_consecutive_segments_of_one_speaker_merge():
    turns = build_turns(segments())
    assert list(turns["speaker"]) == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00", "SPEAKER_01",
                                      "SPEAKER_00"]
    second = turns.iloc[1]
    assert second["segment_ids"] == ["vid00000001_0001", "vid00000001_0002"]
    assert second["start_s"] == 3.8 and second["end_s"] == 10.0
    assert second["text"].startswith("I have been") and second["text"].endswith("can't sleep.")
    assert second["n_words"] == 21
    assert list(turns["turn_index"]) == list(range(5))


def test_a_long_pause_starts_a_new_turn():
    rows = segments()
    assert len(build_turns(rows, TurnOptions(max_gap_s=0.2))) == 7
    assert len(build_turns(rows, TurnOptions(max_gap_s=0.4))) == 5


def test_order_and_global_ids():
    shuffled = segments().sample(frac=1.0, random_state=3)
    turns = build_turns(shuffled, global_speaker_ids={"SPEAKER_01": "G7"})
    assert list(turns["start_s"]) == sorted(turns["start_s"])
    assert set(turns.loc[turns["speaker"] == "SPEAKER_01", "global_speaker_id"]) == {"G7"}
    assert turns.loc[turns["speaker"] == "SPEAKER_00", "global_speaker_id"].isna().all()


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="lack columns"):
        build_turns(segments().drop(columns=["speaker"]))
    both = segments()
    both.loc[0, "video_id"] = "other"
    with pytest.raises(ValueError, match="one video"):
        build_turns(both)
    assert build_turns(segments().iloc[0:0]).empty
