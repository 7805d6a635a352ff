"""Packing segments into decoding windows: the time map, and packed vs one-clip-per-segment."""

from __future__ import annotations

import numpy as np
import pytest
from transcription_helpers import load_fixture, vad_regions

from pixel_assets.transcription.align import SubSegment
from pixel_assets.transcription.asr import AsrOptions, WhisperTranscriber
from pixel_assets.transcription.asr_results import _Decoded, _Sub
from pixel_assets.transcription.coverage import asr_coverage
from pixel_assets.transcription.metrics import word_error_rate
from pixel_assets.transcription.windows import (
    SAMPLE_RATE,
    SEPARATOR_S,
    pack_audio,
    pack_windows,
    split_decoded,
)

# Measured with tiny.en int8, beam 5, batch 8, one segment per turn: WER of the joined text
# packed / one clip per segment two_voices 0.082 / 0.134, hard_pair 0.238 / 0.228; the bar
# allows a few words more from packing (context across segments changes beam search a little).
MAX_WER_INCREASE = 0.05
# Word times packed vs unpacked (same words), median absolute difference (s).
MAX_MEDIAN_WORD_SHIFT_S = 0.2


def test_windows_hold_consecutive_clips_up_to_the_limit():
    spans = [(40.0, 48.0), (0.5, 10.5), (11.0, 21.0), (21.0, 25.0), (60.0, 90.0), (91.0, 92.0)]
    windows = pack_windows(spans, max_window_s=30.0)
    # Time order; 0.5-10.5 and 11-21 are 0.5 s apart (separator), 21-25 follows 11-21 directly;
    # 40-48 would end the window at 33.2 s.
    assert [[p.clip for p in w.placements] for w in windows] == [[1, 2, 3], [0], [4], [5]]
    first = windows[0].placements
    gap = round(SEPARATOR_S * SAMPLE_RATE)
    assert first[1].offset == first[0].length + gap
    assert first[2].offset == first[1].offset + first[1].length
    assert windows[0].length == round(24.0 * SAMPLE_RATE) + gap
    assert all(w.length <= 30 * SAMPLE_RATE for w in windows)
    # A smaller window splits earlier; every clip is in exactly one window.
    small = pack_windows(spans, max_window_s=15.0)
    assert sorted(p.clip for w in small for p in w.placements) == list(range(len(spans)))
    assert [[p.clip for p in w.placements] for w in small][:2] == [[1], [2, 3]]


def test_window_audio_is_the_clips_own_audio_joined_by_silence():
    audio = np.arange(1, 20 * SAMPLE_RATE + 1, dtype=np.float32)  # nonzero everywhere
    spans = [(1.0, 2.0), (5.0, 6.5), (6.5, 7.0)]
    windows = pack_windows(spans, max_window_s=30.0)
    assert len(windows) == 1
    samples = windows[0].samples(audio)
    first, second, third = windows[0].placements
    assert np.array_equal(samples[: first.length], audio[SAMPLE_RATE : 2 * SAMPLE_RATE])
    # The audio between the segments (2.0-5.0 s) is never fed: silence stands in for it.
    assert not samples[first.length : second.offset].any()
    assert second.offset - first.length == round(SEPARATOR_S * SAMPLE_RATE)
    assert np.array_equal(samples[second.offset :], audio[5 * SAMPLE_RATE : 7 * SAMPLE_RATE])
    assert third.offset == second.offset + second.length
    packed, origins = pack_audio(audio, [*windows, *pack_windows([(10.0, 11.0)], 30.0)])
    assert origins == [0, windows[0].length]
    assert np.array_equal(packed[origins[1] :], audio[10 * SAMPLE_RATE : 11 * SAMPLE_RATE])


def test_window_times_map_back_to_video_times():
    window = pack_windows([(3.0, 7.0), (12.0, 15.0)], 30.0)[0]
    a, b = window.placements
    for place, (start, end) in ((a, (3.0, 7.0)), (b, (12.0, 15.0))):
        offset_s = place.offset / SAMPLE_RATE
        for t in np.linspace(start, end, 7):
            assert place.to_absolute(offset_s + (t - start)) == pytest.approx(t, abs=1e-6)
    # Outside its clip a time is clamped into the clip.
    assert a.to_absolute(4.2) == pytest.approx(7.0)
    assert b.to_absolute(0.0) == pytest.approx(12.0)
    # A time in the separator (4.0-4.6 s) belongs to the nearer clip.
    assert window.index_at(1.0) == 0 and window.index_at(4.1) == 0
    assert window.index_at(4.4) == 1 and window.index_at(6.0) == 1 and window.index_at(9.0) == 1


def _word_sub(words, start, end, n_tokens=10):
    return _Sub(
        text="".join(w[0] for w in words), n_tokens=n_tokens, avg_logprob=-0.3,
        no_speech_prob=0.01, tokens=SubSegment([1, 2, 3], start, end, list(words)),
    )


def test_words_go_to_their_segment_with_absolute_times():
    # Clip 0 is 30-33 s of the video, clip 1 is 10-14 s; in the window 4.6-7.6 s and 0-4 s.
    window = pack_windows([(30.0, 33.0), (10.0, 14.0)], 30.0)[0]
    assert [p.clip for p in window.placements] == [1, 0]
    origin = 100.0  # where the window sits in the packed array
    words = [
        (" Hello", origin + 0.5, origin + 0.9, 0.9),
        # A last word stretched over the separator: its start decides, its end is clamped.
        (" there.", origin + 3.7, origin + 5.2, 0.8),
        (" So", origin + 4.4, origin + 4.9, 0.7),  # starts in the separator, nearer the 2nd
        (" yes", origin + 5.0, origin + 5.5, 0.95),
    ]
    part = _Decoded([_word_sub(words, origin + 0.5, origin + 5.5)])
    first, second = split_decoded(window, part, origin)
    assert [w[0] for s in first.subs for w in s.tokens.words] == [" Hello", " there."]
    assert [w[0] for s in second.subs for w in s.tokens.words] == [" So", " yes"]
    assert np.allclose([w[1:3] for w in first.subs[0].tokens.words], [(10.5, 10.9), (13.7, 14.0)])
    # " So" starts in the separator: clamped to the second clip's start (30 s).
    assert np.allclose([w[1:3] for w in second.subs[0].tokens.words], [(30.0, 30.3), (30.4, 30.9)])
    assert first.subs[0].text == " Hello there." and second.subs[0].text == " So yes"
    assert first.subs[0].tokens.start == pytest.approx(10.5)
    assert second.subs[0].tokens.end == pytest.approx(30.9)
    # Token counts are shared by words; the window's scores are kept.
    assert first.subs[0].n_tokens + second.subs[0].n_tokens == 10
    assert first.subs[0].avg_logprob == second.subs[0].avg_logprob == -0.3


def test_sub_segments_without_words_go_whole_to_their_midpoint():
    window = pack_windows([(10.0, 14.0), (30.0, 33.0)], 30.0)[0]
    quiet = _Sub(" Mm.", 3, -0.8, 0.4, SubSegment([1], 5.0, 6.0))
    loud = _Sub(" Hi there.", 4, -0.2, 0.1, SubSegment([2], 0.2, 1.0))
    first, second = split_decoded(window, _Decoded([loud, quiet]), 0.0)
    assert [s.text for s in first.subs] == [" Hi there."]
    assert [s.text for s in second.subs] == [" Mm."]
    assert second.subs[0].tokens.start == pytest.approx(30.4)
    assert first.subs[0].tokens.end == pytest.approx(11.0)


@pytest.fixture(scope="module")
def unpacked():
    return WhisperTranscriber(AsrOptions(pack_window_s=0))


def _turn_segments(name):
    fixture = load_fixture(name)
    turns = fixture.truth["turns"]
    segments = [
        (f"{name}_{i:04d}", max(0.0, t["start_s"] - 0.2), min(fixture.duration_s, t["end_s"] + 0.2))
        for i, t in enumerate(turns)
    ]
    return fixture, segments


@pytest.mark.slow
@pytest.mark.parametrize("name", ["two_voices", "hard_pair"])
def test_packed_words_match_one_clip_per_segment(transcriber, unpacked, name):
    assert transcriber.options.pack_window_s == 30.0
    fixture, segments = _turn_segments(name)
    # The case packing exists for: several short turns share each window.
    assert len(pack_windows([(a, b) for _, a, b in segments], 30.0)) < len(segments) / 2
    packed_rows, packed_words = transcriber.transcribe(fixture.audio, 16_000, segments)
    plain_rows, plain_words = unpacked.transcribe(fixture.audio, 16_000, segments)
    turns = fixture.truth["turns"]
    bounds = {sid: (a, b) for sid, a, b in segments}
    for row, plain, turn in zip(packed_rows, plain_rows, turns, strict=True):
        # Each turn's words land in its own row: a word moved to a neighbour costs both rows.
        assert row.words, row.segment_id
        wer, plain_wer = (word_error_rate(turn["text"], r.text) for r in (row, plain))
        assert wer <= plain_wer + 0.2, (row.segment_id, row.text, plain.text)
        a, b = bounds[row.segment_id]
        # Within the segment (times are rounded to ms).
        assert all(a - 1e-3 <= w.start_s <= w.end_s <= b + 1e-3 for w in row.words)
        # Whisper scores the window; each of its segments gets them.
        assert row.avg_logprob > -1.0 and 0.0 <= row.no_speech_prob <= 0.6
    reference = fixture.truth["text"]
    packed_wer = word_error_rate(reference, " ".join(t.text for t in packed_rows))
    plain_wer = word_error_rate(reference, " ".join(t.text for t in plain_rows))
    assert packed_wer <= plain_wer + MAX_WER_INCREASE, (packed_wer, plain_wer)
    # Same words (where the text agrees) at the same times.
    plain_by_key = {}
    for w in plain_words:
        plain_by_key.setdefault((w.segment_id, w.word.lower()), []).append(w)
    shifts = []
    for w in packed_words:
        same = plain_by_key.get((w.segment_id, w.word.lower()))
        if same:
            nearest = min(same, key=lambda p: abs(p.start_s - w.start_s))
            shifts.append(max(abs(nearest.start_s - w.start_s), abs(nearest.end_s - w.end_s)))
    assert len(shifts) >= 0.8 * len(packed_words)
    assert np.median(shifts) <= MAX_MEDIAN_WORD_SHIFT_S


@pytest.mark.slow
def test_packed_shared_segments_keep_both_utterances(transcriber):
    shared = load_fixture("shared_segment")
    segments = [(g["label"], *g["segment"]) for g in shared.truth["groups"]]
    assert len(pack_windows([(a, b) for _, a, b in segments], 30.0)) < len(segments)
    regions = vad_regions(shared.audio)
    transcripts, words = transcriber.transcribe(
        shared.audio, 16_000, segments, speech_regions=regions
    )
    for group, t in zip(shared.truth["groups"], transcripts, strict=True):
        for u in group["utterances"]:
            got = [
                w for w in t.words if u["start_s"] - 0.2 <= (w.start_s + w.end_s) / 2
                <= u["end_s"] + 0.2
            ]
            assert len(got) >= 0.6 * len(u["text"].split()), (group["label"], u["text"], t.text)
        assert t.untranscribed == []
    covered = asr_coverage(regions, segments, [(w.segment_id, w.start_s, w.end_s) for w in words])
    assert covered.coverage > 0.97


@pytest.mark.slow
@pytest.mark.parametrize("word_alignment", ["inline", "pass"])
def test_packed_vad_segments_cover_clean_speech(transcriber, word_alignment):
    fixture = load_fixture("two_voices")
    regions = vad_regions(fixture.audio)
    segments = [(f"two_{i:04d}", a, b) for i, (a, b) in enumerate(regions)]
    model = (
        transcriber if word_alignment == "inline"
        else WhisperTranscriber(AsrOptions(word_alignment="pass"))
    )
    transcripts, words = model.transcribe(fixture.audio, 16_000, segments, speech_regions=regions)
    assert all(t.words for t in transcripts)
    result = asr_coverage(regions, segments, [(w.segment_id, w.start_s, w.end_s) for w in words])
    assert result.coverage > 0.99 and result.gaps == []
    assert word_error_rate(fixture.truth["text"], " ".join(t.text for t in transcripts)) < 0.2


@pytest.mark.slow
def test_sequential_decoding_unpacks_too():
    """batch_size 1 decodes each window with ``WhisperModel.transcribe`` (it seeks within)."""
    fixture, segments = _turn_segments("two_voices")
    sequential = WhisperTranscriber(AsrOptions(batch_size=1, beam_size=1))
    transcripts, words = sequential.transcribe(fixture.audio, 16_000, segments)
    for t, turn in zip(transcripts, fixture.truth["turns"], strict=True):
        assert t.words and word_error_rate(turn["text"], t.text) < 0.4, (t.segment_id, t.text)
    assert word_error_rate(fixture.truth["text"], " ".join(t.text for t in transcripts)) < 0.2


@pytest.mark.slow
@pytest.mark.parametrize("noise", [
    "white", "tone",
    # Speech-like garbage fools whisper packed or not: on 2026-11-26 time-reversed speech came
    # out as "Say hi, back here, having a big music." (packed; no_speech 0.32, confidence 0.50)
    # and "Yeah, I mean, you can use that..." (one clip; 0.25, 0.55), both kept. No transcript
    # bar separates it from speech; strict, so a fix shows here.
    pytest.param("reversed", marks=pytest.mark.xfail(
        strict=True, reason="reversed speech passes every transcript bar (known limitation)")),
])
def test_a_noise_segment_packed_between_speech_is_not_kept(transcriber, noise):
    """Whisper scores no_speech_prob per window, so a noise segment packed with speech inherits
    the speech's low value: what whisper makes of the noise must still fail the other bars
    (words, confidence, words per minute) or yield nothing, and the speech on both sides
    must be kept."""
    from pixel_assets.transcription.schemas import (
        filter_transcripts,
        transcript_segments_frame,
    )

    fixture, turns = _turn_segments("two_voices")
    (_, a0, b0), (_, a1, b1) = turns[0], turns[1]
    first = fixture.audio[int(a0 * SAMPLE_RATE) : int(b0 * SAMPLE_RATE)]
    second = fixture.audio[int(a1 * SAMPLE_RATE) : int(b1 * SAMPLE_RATE)]
    n = 4 * SAMPLE_RATE
    rng = np.random.default_rng(0)
    if noise == "white":
        garbage = rng.normal(0, 0.05, n)
    elif noise == "tone":
        garbage = 0.1 * np.sin(2 * np.pi * 440 * np.arange(n) / SAMPLE_RATE)
    else:
        _, a2, b2 = turns[2]
        garbage = np.resize(fixture.audio[int(a2 * SAMPLE_RATE) : int(b2 * SAMPLE_RATE)][::-1], n)
    garbage = garbage.astype(np.float32)
    gap = np.zeros(int(0.5 * SAMPLE_RATE), dtype=np.float32)
    audio = np.concatenate([first, gap, garbage, gap, second])
    t1 = first.size / SAMPLE_RATE + 0.5
    t2 = t1 + 4.0
    segments = [("speech_a", 0.0, first.size / SAMPLE_RATE), ("noise", t1, t2),
                ("speech_b", t2 + 0.5, audio.size / SAMPLE_RATE)]
    assert len(pack_windows([(a, b) for _, a, b in segments], 30.0)) == 1  # one window

    transcripts, _ = transcriber.transcribe(audio, SAMPLE_RATE, segments)
    kept, rejected = filter_transcripts(transcript_segments_frame("v", transcripts, "m"))

    assert set(kept["segment_id"]) == {"speech_a", "speech_b"}, kept[["segment_id", "text"]]
    by_id = {t.segment_id: t for t in transcripts}
    assert not by_id["noise"].words or "noise" in set(rejected["segment_id"]), by_id["noise"]
