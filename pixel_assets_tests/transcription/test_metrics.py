"""WER and DER helpers."""

from __future__ import annotations

import pytest

from pixel_assets.transcription.diarization import SpeakerTurn
from pixel_assets.transcription.metrics import (
    diarization_error_rate,
    normalize_text,
    word_error_rate,
)


def test_wer_ignores_case_and_punctuation():
    assert normalize_text("Hello, World!  It's   fine.") == "hello world it's fine"
    assert word_error_rate("Hello, world.", "hello world") == 0.0
    assert word_error_rate("one two three four", "one two tree four") == pytest.approx(0.25)
    with pytest.raises(ValueError, match="empty"):
        word_error_rate("...", "x")


def test_der_is_label_invariant_and_counts_confusion():
    ref = [("A", 0.0, 5.0), ("B", 5.0, 10.0)]
    hyp = [SpeakerTurn("SPEAKER_01", 0.0, 5.0), SpeakerTurn("SPEAKER_00", 5.0, 10.0)]
    assert diarization_error_rate(ref, hyp) == pytest.approx(0.0)
    one_label = [SpeakerTurn("SPEAKER_00", 0.0, 10.0)]
    # Half the speech is attributed to the wrong speaker (minus the collar around 5 s).
    assert diarization_error_rate(ref, one_label, collar=0.0) == pytest.approx(0.5)
    dicts = [{"speaker": "A", "start_s": 0.0, "end_s": 5.0}]
    assert diarization_error_rate(dicts, [("x", 0.0, 5.0)]) == pytest.approx(0.0)
