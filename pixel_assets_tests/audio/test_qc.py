"""Audio QC metrics and thresholds on real (synthesised) audio."""

from __future__ import annotations

import dataclasses
import functools
import subprocess
import sys

import numpy as np
import pyloudnorm as pyln
import pytest

from pixel_assets.audio import qc, segment_qc
from pixel_assets.audio.dnsmos import DnsmosScorer
from pixel_assets.audio.qc import AudioQCMetrics, QCThresholds, evaluate, measure_audio
from pixel_assets.audio.vad import make_segments

from .helpers import SR, TRUTH, load, regions, true_snr_db


@functools.cache
def scorer() -> DnsmosScorer:
    return DnsmosScorer()


def measure(name: str, dnsmos: bool = False, **kwargs: object) -> AudioQCMetrics:
    audio, source = load(name)
    return measure_audio(
        audio, source, SR, regions(name), dnsmos=scorer() if dnsmos else None, **kwargs
    )


def test_logic_modules_do_not_import_dagster() -> None:
    code = (
        "import sys\n"
        "import pixel_assets.audio.qc, pixel_assets.audio.vad, pixel_assets.audio.language\n"
        "import pixel_assets.audio.schemas, pixel_assets.audio.plots\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'dagster')\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_clean_speech_passes_with_dnsmos() -> None:
    metrics = measure("clean_en", dnsmos=scorer())
    assert evaluate(metrics, QCThresholds()) == []
    assert metrics.passed and metrics.reasons == []
    assert metrics.loudness_lufs == pytest.approx(-23.0, abs=0.2)
    assert metrics.clipping_ratio == 0.0
    assert metrics.speech_ratio > 0.7
    assert metrics.snr_db == qc.SNR_MAX_DB  # digital silence between utterances
    assert metrics.dnsmos_ovrl is not None and metrics.dnsmos_ovrl > 2.4
    assert metrics.dnsmos_windows == 1


def test_fixture_snr_matches_its_definition() -> None:
    clean = load("clean_en")[1]
    for db in (0, 10, 20):
        assert true_snr_db(clean, load(f"noisy_en_{db}db")[1]) == pytest.approx(db, abs=0.3)


def test_snr_estimate_within_3_db_and_ordered() -> None:
    estimates = {db: measure(f"noisy_en_{db}db").snr_db for db in (0, 10, 20)}
    clean = load("clean_en")[1]
    for db in (10, 20):
        truth = true_snr_db(clean, load(f"noisy_en_{db}db")[1])
        assert estimates[db] == pytest.approx(truth, abs=3.0), estimates
    assert estimates[0] < estimates[10] < estimates[20]
    assert measure("noisy_en_10db").snr_method == "vad"


def test_snr_fallback_without_non_speech_keeps_order() -> None:
    # Crop to the speech only, so there are no non-speech frames to take the noise from.
    estimates = {}
    for db in (0, 10, 20):
        audio, _ = load(f"noisy_en_{db}db")
        start, end = TRUTH[f"noisy_en_{db}db"]["speech"][0]
        speech = audio[int(start * SR) : int(end * SR)]
        metrics = measure_audio(speech, speech, SR, [(0.0, speech.size / SR)], dnsmos=None)
        assert metrics.snr_method == "percentile"
        estimates[db] = metrics.snr_db
    assert estimates[0] < estimates[10] < estimates[20]
    assert estimates[10] == pytest.approx(10, abs=3.0)


def test_clipped_speech_fails_on_clipping() -> None:
    metrics = measure("clipped_en")
    thresholds = QCThresholds()
    assert metrics.clipping_ratio > 4 * thresholds.max_clipping_ratio
    reasons = evaluate(metrics, thresholds)
    assert any(r.startswith("clipping_ratio ") and "max_clipping_ratio" in r for r in reasons)
    assert measure("clean_en").clipping_ratio == 0.0


def test_clipping_plateaus_found_after_gain_reduction() -> None:
    # Clipped, then turned down: no sample reaches full scale, the flat tops remain.
    _, source = load("clipped_en")
    quieter = source * np.float32(0.5)
    assert np.abs(quieter).max() < qc.CLIP_LEVEL
    # Flat runs shorter than 3 samples are not counted, so a little less than at full scale.
    assert 0.8 * qc.clipping_ratio(source) < qc.clipping_ratio(quieter) <= qc.clipping_ratio(source)
    assert qc.clipping_ratio(load("clean_en")[1] * np.float32(2.0)) == 0.0


@pytest.mark.parametrize("name", ["silence", "near_silence"])
def test_silence_fails_on_speech_ratio(name: str) -> None:
    metrics = measure(name)
    assert metrics.speech_ratio < 0.02
    assert metrics.snr_db is None
    assert metrics.silence_ratio > 0.95
    reasons = evaluate(metrics, QCThresholds())
    assert any(r.startswith("speech_ratio 0.00 < min_speech_ratio") for r in reasons), reasons


def test_digital_silence_has_no_loudness_or_dnsmos() -> None:
    metrics = measure("silence", dnsmos=scorer())
    assert metrics.loudness_lufs is None and metrics.peak_dbfs is None
    assert metrics.dnsmos_ovrl is None


def test_tone_chord_fails_as_no_speech() -> None:
    metrics = measure("tone_chord")
    assert metrics.speech_ratio < QCThresholds().min_speech_ratio
    assert not regions("tone_chord")
    assert any("speech_ratio" in r for r in evaluate(metrics, QCThresholds()))


def test_language_reasons_name_the_language() -> None:
    metrics = measure("french", language="fr", language_probability=0.97)
    reasons = evaluate(metrics, QCThresholds(allowed_languages=("en",)))
    assert "language fr not in allowed_languages [en]" in reasons
    assert evaluate(metrics, QCThresholds(allowed_languages=("en", "fr"))) == []
    assert evaluate(metrics, QCThresholds(allowed_languages=None)) == []
    unsure = dataclasses.replace(metrics, language="en", language_probability=0.3)
    assert evaluate(unsure, QCThresholds()) == [
        "language_probability 0.30 < min_language_probability 0.50"
    ]


def test_thresholds_change_the_outcome() -> None:
    noisy = measure("noisy_en_0db")
    assert any(r.startswith("snr_db") for r in evaluate(noisy, QCThresholds()))
    assert not noisy.passed
    assert evaluate(noisy, QCThresholds(min_snr_db=-5.0)) == []
    assert noisy.passed
    clipped = measure("clipped_en")
    assert evaluate(clipped, QCThresholds(max_clipping_ratio=0.2)) == []
    short = measure("clean_en")
    assert evaluate(short, QCThresholds(min_duration_s=60.0)) == [
        f"duration_s {short.duration_s:.2f} < min_duration_s 60.00"
    ]


def test_thresholds_reject_bad_values() -> None:
    with pytest.raises(ValueError, match="max_clipping_ratio"):
        QCThresholds(max_clipping_ratio=2.0)
    with pytest.raises(ValueError, match="tuple"):
        QCThresholds(allowed_languages="en")  # type: ignore[arg-type]


def test_loudness_matches_pyloudnorm() -> None:
    meter = pyln.Meter(SR)
    for name in ("clean_en", "noisy_en_10db", "pauses_en", "tone_chord"):
        _, source = load(name)
        ours = qc.gated_loudness(qc.k_weighted_hop_energy(source, SR), SR)
        assert ours == pytest.approx(meter.integrated_loudness(source.astype(np.float64)), abs=0.1)


def test_to_row_is_flat() -> None:
    metrics = measure("clipped_en")
    evaluate(metrics, QCThresholds())
    row = metrics.to_row()
    assert row["reason_text"].startswith("clipping_ratio")
    assert [r["rule"] for r in row["reasons"]] == ["max_clipping_ratio"]
    assert row["passed"] is False


def test_segment_metrics() -> None:
    audio, source = load("noisy_en_10db")
    start, end = regions("noisy_en_10db")[0]
    one = segment_qc.segment_metrics(
        audio, source, SR, start, end, regions("noisy_en_10db"), dnsmos=None
    )
    assert set(one) == {"snr_db", "loudness_lufs", "clipping_ratio", "dnsmos_ovrl"}
    assert one["snr_db"] == pytest.approx(10.0, abs=3.0)
    assert one["loudness_lufs"] == pytest.approx(-23.0, abs=1.5)
    assert one["dnsmos_ovrl"] is None
    # Shorter than one 400 ms gating block: still a loudness.
    short = segment_qc.segment_metrics(
        audio, source, SR, start + 1.0, start + 1.3, regions("noisy_en_10db"), dnsmos=None
    )
    assert short["loudness_lufs"] is not None and np.isfinite(short["loudness_lufs"])
    clipped_audio, clipped_source = load("clipped_en")
    rows = segment_qc.measure_segments(
        clipped_audio,
        clipped_source,
        SR,
        make_segments(regions("clipped_en")),
        regions("clipped_en"),
        dnsmos=None,
    )
    assert rows[0]["clipping_ratio"] > 0.01


@pytest.mark.parametrize("name", ["noisy_en_10db", "near_silence"])
def test_stored_analysis_gives_the_same_segment_metrics(name: str) -> None:
    """segments reuses audio_qc's analysis through its .npz: the metrics must not change."""
    audio, source = load(name)
    analysis = qc.analyse_audio(audio, SR, regions(name))
    stored = qc.AudioAnalysis.from_npz(analysis.to_npz())
    assert stored.describes(audio, SR, regions(name))
    assert stored.global_noise == analysis.global_noise  # None for near silence
    segments = make_segments(regions(name)) or [(0.5, 2.0)]
    fresh = segment_qc.measure_segments(audio, source, SR, segments, regions(name))
    reused = segment_qc.measure_segments(
        audio, source, SR, segments, regions(name), analysis=stored
    )
    assert reused == fresh
    # Another file, or other VAD regions, are not described by it.
    assert not stored.describes(audio[: audio.size // 2], SR, regions(name))
    assert not stored.describes(audio, SR, [(0.0, 1.0)])


@pytest.mark.slow
def test_dnsmos_separates_clean_from_noisy_and_matches_speechmos() -> None:
    from speechmos import dnsmos

    scores = {
        name: measure(name, dnsmos=scorer()).dnsmos_ovrl
        for name in ("clean_en", "noisy_en_20db", "noisy_en_0db")
    }
    threshold = QCThresholds().min_dnsmos_ovrl
    assert scores["clean_en"] > scores["noisy_en_20db"] > scores["noisy_en_0db"]
    assert scores["clean_en"] >= threshold > scores["noisy_en_0db"]
    audio, _ = load("pauses_en")
    window = audio[: qc.DNSMOS_WINDOW_SAMPLES]
    reference = dnsmos.run(window / np.abs(window).max(), SR)
    ours = scorer().scores([window])
    assert ours["ovrl"] == pytest.approx(reference["ovrl_mos"], abs=1e-3)
    assert ours["sig"] == pytest.approx(reference["sig_mos"], abs=1e-3)
    assert ours["bak"] == pytest.approx(reference["bak_mos"], abs=1e-3)
    per_segment = segment_qc.measure_segments(
        audio,
        load("pauses_en")[1],
        SR,
        make_segments(regions("pauses_en")),
        regions("pauses_en"),
        dnsmos=scorer(),
    )
    assert all(row["dnsmos_ovrl"] >= threshold for row in per_segment)


def test_bad_input_names_the_fix() -> None:
    stereo = np.zeros((SR, 2), dtype=np.float32)
    with pytest.raises(ValueError, match="mono"):
        measure_audio(stereo, None, SR, [], dnsmos=None)
    with pytest.raises(ValueError, match="dtype='float32'"):
        measure_audio(np.zeros(SR, dtype=np.int16), None, SR, [], dnsmos=None)
    with pytest.raises(ValueError, match="16000 Hz"):
        measure_audio(np.zeros(SR, dtype=np.float32), None, 8000, [], dnsmos=scorer())


def test_shared_analysis_and_dnsmos_gate() -> None:
    audio, source = load("pauses_en")
    speech = regions("pauses_en")
    analysis = qc.analyse_audio(audio, SR, speech)
    segments = make_segments(speech)
    alone = segment_qc.measure_segments(audio, source, SR, segments, speech, dnsmos=None)
    shared = segment_qc.measure_segments(audio, source, SR, segments, speech, None, analysis)
    assert alone == shared
    with pytest.raises(ValueError, match="analyse_audio"):
        measure_audio(audio[:SR], None, SR, speech, dnsmos=None, analysis=analysis)
    # Every segment fails the gate's duration limit, so no DNSMOS is run at all.
    gate = qc.SegmentThresholds(min_duration_s=20.0, max_duration_s=30.0)
    rows = segment_qc.measure_segments(
        audio, source, SR, segments, speech, dnsmos=scorer(), dnsmos_gate=gate
    )
    assert all(row["dnsmos_ovrl"] is None for row in rows)
    with pytest.raises(ValueError, match="outside the audio"):
        segment_qc.segment_metrics(audio, source, SR, 100.0, 101.0, speech, dnsmos=None)


def test_waveform_png_is_small() -> None:
    from pixel_assets.audio.plots import waveform_png

    audio, _ = load("pauses_en")
    png = waveform_png(audio, SR, regions("pauses_en"), make_segments(regions("pauses_en")))
    assert png.startswith(b"\x89PNG") and len(png) < 60_000
    assert waveform_png(np.zeros(0, dtype=np.float32), SR, [], []).startswith(b"\x89PNG")


@pytest.mark.slow
def test_parallel_dnsmos_equals_serial() -> None:
    """Batches on a thread pool give the same scores as one window per call, in order."""
    audio, source = load("pauses_en")
    rng = np.random.default_rng(7)
    starts = rng.integers(0, audio.size - 2 * SR, 5)  # 7 windows: 4 batches of 2 on 3 threads
    # Windows of different lengths (tiled to 9.01 s inside), some from the noisy fixture.
    noisy, _ = load("noisy_en_10db")
    windows = [audio[s : s + int(rng.uniform(0.5, 9.5) * SR)] for s in starts]
    windows += [noisy[: 3 * SR], noisy[SR : 10 * SR]]
    serial = np.array([scorer().score_window(w) for w in windows])
    parallel = DnsmosScorer(workers=3, batch_size=2)
    assert parallel.workers == 3
    assert np.allclose(parallel.score_many(windows), serial, atol=1e-5)
    assert DnsmosScorer().workers >= 1 and scorer().score_many([]).shape == (0, 3)
    # measure_segments scores every segment in one parallel call: same values as one by one.
    segments = make_segments(regions("pauses_en"))
    rows = segment_qc.measure_segments(
        audio, source, SR, segments, regions("pauses_en"), dnsmos=parallel
    )
    for segment, row in zip(segments, rows, strict=True):
        one = segment_qc.segment_metrics(
            audio, source, SR, segment.start_s, segment.end_s, regions("pauses_en"),
            dnsmos=scorer(),
        )
        assert row["dnsmos_ovrl"] == pytest.approx(one["dnsmos_ovrl"], abs=1e-5)
