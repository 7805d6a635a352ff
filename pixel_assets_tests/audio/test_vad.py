"""Silero VAD regions and segmentation against the fixtures' ground truth."""

from __future__ import annotations

import numpy as np
import pytest

from pixel_assets.audio.vad import Segment, VadConfig, detect_speech, make_segments

from .helpers import SR, TRUTH, load, regions

TOLERANCE_S = 0.3


def near(value: float, targets: list[float], tol: float = TOLERANCE_S) -> bool:
    return min(abs(value - t) for t in targets) <= tol


@pytest.mark.parametrize("name", ["clean_en", "pauses_en", "french", "noisy_en_10db"])
def test_speech_regions_match_truth(name: str) -> None:
    found = regions(name)
    truth = TRUTH[name]["speech"]
    assert found
    assert near(found[0][0], [truth[0][0]]) and near(found[-1][1], [truth[-1][1]])
    for start, end in truth:  # every utterance is covered (VAD may split at sentence gaps)
        covered = sum(max(0.0, min(end, e) - max(start, s)) for s, e in found)
        assert covered >= 0.9 * (end - start)
    # Nothing is found in the silence around the speech.
    assert found[0][0] >= truth[0][0] - TOLERANCE_S and found[-1][1] <= truth[-1][1] + TOLERANCE_S


@pytest.mark.parametrize("name", ["silence", "near_silence", "tone_chord"])
def test_no_speech_found(name: str) -> None:
    assert regions(name) == []


def test_vad_model_is_loaded_once() -> None:
    from faster_whisper.vad import get_vad_model

    detect_speech(load("clean_en")[0][:SR], SR)
    before = get_vad_model.cache_info()
    detect_speech(load("clean_en")[0][:SR], SR)
    after = get_vad_model.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 1


def test_vad_config_changes_regions() -> None:
    audio, _ = load("pauses_en")
    coarse = detect_speech(audio, SR, VadConfig(min_silence_duration_ms=2000))
    assert len(coarse) < len(regions("pauses_en"))


def test_detect_speech_rejects_other_rates() -> None:
    with pytest.raises(ValueError, match="resample to 16000"):
        detect_speech(np.zeros(8000, dtype=np.float32), 8000)


def test_pause_fixture_segments_follow_the_pauses() -> None:
    truth = TRUTH["pauses_en"]["speech"]
    starts, ends = [s for s, _ in truth], [e for _, e in truth]
    total = truth[-1][1] - truth[0][0]
    max_s = 8.0
    assert total > max_s  # the fixture must force splitting
    segments = make_segments(regions("pauses_en"), min_s=2.0, max_s=max_s, merge_gap_s=2.0)
    assert len(segments) >= 3
    assert [s.index for s in segments] == list(range(len(segments)))
    for seg in segments:
        assert seg.duration_s <= max_s
        assert near(seg.start_s, starts), seg
        assert near(seg.end_s, ends), seg
    # Every utterance sits inside exactly one segment.
    for start, end in truth:
        inside = [s for s in segments if s.start_s <= start + 0.3 and s.end_s >= end - 0.3]
        assert len(inside) == 1


def test_single_long_region_is_cut_at_quiet_points() -> None:
    audio, _ = load("pauses_en")
    truth = TRUTH["pauses_en"]["speech"]
    pauses = [(truth[i][1], truth[i + 1][0]) for i in range(len(truth) - 1)]
    one_region = [(truth[0][0], truth[-1][1])]
    segments = make_segments(one_region, min_s=2.0, max_s=8.0, audio=audio, sample_rate=SR)
    assert len(segments) >= 3
    assert all(seg.duration_s <= 8.0 for seg in segments)
    for left, right in zip(segments, segments[1:], strict=False):
        assert left.end_s == right.start_s
        assert any(a - 0.05 <= left.end_s <= b + 0.05 for a, b in pauses), left
    # Without audio the cut falls in the middle, still within max_s.
    blind = make_segments(one_region, min_s=2.0, max_s=8.0)
    assert all(seg.duration_s <= 8.0 for seg in blind)


def test_short_segments_are_returned_not_dropped() -> None:
    segments = make_segments([(0.0, 1.0), (5.0, 6.0)], min_s=2.0, max_s=30.0, merge_gap_s=1.0)
    assert [(s.start_s, s.end_s) for s in segments] == [(0.0, 1.0), (5.0, 6.0)]
    assert all(s.duration_s < 2.0 for s in segments)


def test_short_piece_merges_into_neighbour() -> None:
    # The longest pause would leave a 1 s piece; it is merged back where max_s allows.
    segments = make_segments(
        [(0.0, 1.0), (1.5, 5.0), (5.3, 9.0)], min_s=2.0, max_s=6.0, merge_gap_s=1.0
    )
    assert all(s.duration_s <= 6.0 for s in segments)
    assert [(s.start_s, s.end_s) for s in segments] == [(0.0, 5.0), (5.3, 9.0)]


def test_segments_never_exceed_max_and_cover_all_speech() -> None:
    rng = np.random.default_rng(7)
    t, speech = 0.0, []
    for _ in range(300):
        t += rng.uniform(0.05, 2.5)
        length = rng.choice([rng.uniform(0.3, 4.0), rng.uniform(20, 70)], p=[0.9, 0.1])
        speech.append((t, t + length))
        t += length
    segments = make_segments(speech, min_s=3.0, max_s=15.0, merge_gap_s=0.8)
    assert all(s.duration_s <= 15.0 + 1e-9 for s in segments)
    assert all(a.end_s <= b.start_s for a, b in zip(segments, segments[1:], strict=False))
    for start, end in speech:
        covered = sum(max(0.0, min(end, s.end_s) - max(start, s.start_s)) for s in segments)
        assert covered == pytest.approx(end - start)


def test_make_segments_validates_arguments() -> None:
    with pytest.raises(ValueError, match="min_s < max_s"):
        make_segments([(0.0, 1.0)], min_s=5.0, max_s=5.0)
    assert make_segments([]) == []
    assert Segment(0, 1.0, 3.5).duration_s == 2.5


def test_long_audio_chunks_in_threads_give_the_same_regions() -> None:
    from pixel_assets.audio.vad import VAD_CHUNK_SAMPLES

    audio = np.tile(load("pauses_en")[0], 20)  # ~370 s: two VAD chunks
    assert audio.size > VAD_CHUNK_SAMPLES
    one = detect_speech(audio, SR, threads=1)
    two = detect_speech(audio, SR, threads=2)
    assert one == two
    assert len(one) == 20 * len(regions("pauses_en"))
