"""Word timestamps from the separate alignment pass agree with the inline ones."""

from __future__ import annotations

import numpy as np
import pytest
from transcription_helpers import load_fixture, vad_regions

from pixel_assets.transcription.asr import AsrOptions, WhisperTranscriber, resolve_word_alignment
from pixel_assets.transcription.metrics import word_error_rate


def test_auto_alignment_is_a_pass_on_cuda_only():
    assert resolve_word_alignment("auto", "cuda") == "pass"
    assert resolve_word_alignment("auto", "cpu") == "inline"
    assert resolve_word_alignment("inline", "cuda") == "inline"
    with pytest.raises(ValueError, match="not one of auto, inline, pass"):
        resolve_word_alignment("dtw", "cpu")


@pytest.fixture(scope="module")
def pass_transcriber():
    return WhisperTranscriber(AsrOptions(word_alignment="pass"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["one_voice", "two_voices"])
def test_alignment_pass_matches_inline_words(transcriber, pass_transcriber, name):
    assert transcriber.word_alignment == "inline" and pass_transcriber.word_alignment == "pass"
    fixture = load_fixture(name)
    segments = [(f"{name}_{i:04d}", a, b) for i, (a, b) in enumerate(vad_regions(fixture.audio))]
    inline, inline_words = transcriber.transcribe(fixture.audio, 16_000, segments)
    aligned, pass_words = pass_transcriber.transcribe(fixture.audio, 16_000, segments)
    # Same decoding, so the same words; the pass must not change the text (WER unchanged).
    assert [t.text for t in aligned] == [t.text for t in inline]
    assert [w.word for w in pass_words] == [w.word for w in inline_words]
    starts = np.abs([a.start_s - b.start_s for a, b in zip(pass_words, inline_words, strict=True)])
    ends = np.abs([a.end_s - b.end_s for a, b in zip(pass_words, inline_words, strict=True)])
    assert np.median(starts) <= 0.2 and np.median(ends) <= 0.2
    reference = fixture.truth["text"]
    hypothesis = " ".join(t.text for t in aligned)
    assert word_error_rate(reference, hypothesis) == pytest.approx(
        word_error_rate(reference, " ".join(t.text for t in inline))
    )
    # Word probabilities come from the alignment too, so confidence is filled in.
    assert all(0.0 <= t.confidence <= 1.0 for t in aligned if t.words)
