"""Audio quality control: measure a video's audio (and its segments) and judge it.

``measure_audio`` computes :class:`AudioQCMetrics` for one video, ``evaluate`` compares them
with :class:`QCThresholds`; ``segment_qc.measure_segments`` gives the per-segment figures
that the segment rules filter on (``segment_rules``); ``levels`` holds loudness and clipping.
Plain Python on numpy arrays, no Dagster.

Inputs are the two arrays ingest writes: ``audio`` (16 kHz mono, loudness-normalised to
-23 LUFS) and ``source_audio`` (the same audio before normalisation, used for clipping).

Methods, in short:

* SNR: 30 ms frame powers; noise power = median power of the non-speech frames (outside
  the VAD regions); signal power = mean power of the speech frames minus the noise power
  (speech frames contain the noise too). With fewer than 0.3 s of non-speech the noise
  power is the 10th percentile of the speech-frame powers (the pauses between words), which
  overestimates noise for dense speech, so the fallback errs towards rejecting. Clipped to
  [SNR_MIN_DB, SNR_MAX_DB]; digital silence between utterances gives SNR_MAX_DB.
* Clipping: share of source samples at full scale (|x| >= 0.999) plus samples in flat runs
  (>= 3 equal consecutive samples) within 1% of the file's peak, which catches audio that
  was clipped and then turned down before upload. Resampling to 16 kHz rounds off the flat
  tops, so on ``source_16k`` the ratio undercounts (about 60 % of the true share for audio
  clipped at full scale, much less for clipped-then-attenuated audio); hence the low default
  threshold.
* Loudness: ITU-R BS.1770-4 integrated loudness with pyloudnorm's K-weighting filters and
  400 ms / 75 % overlap gating, vectorised so an hour of audio and all its segments cost one
  filter pass. Matches ``pyloudnorm.Meter.integrated_loudness`` within 0.1 LU.
* DNSMOS P.835 (speechmos' ONNX model, without the P.808 head we do not use): mean over up to
  ``DNSMOS_MAX_WINDOWS`` windows of 9.01 s evenly spread over the speech, each peak-normalised;
  one centred window per segment. Short audio is tiled to 9.01 s as speechmos does.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pixel_assets.audio.dnsmos import DNSMOS_SAMPLE_RATE, DNSMOS_WINDOW_SAMPLES, DnsmosScorer
from pixel_assets.audio.levels import (  # noqa: F401 (CLIP_LEVEL: part of qc's interface)
    CHUNK_SAMPLES,
    CLIP_LEVEL,
    LOUDNESS_BLOCK_S,
    LOUDNESS_HOP_S,
    _short_loudness,
    check_audio,
    clipping_ratio,
    gated_loudness,
    k_weighted_hop_energy,
)
from pixel_assets.audio.vad import Region, normalise_regions
from pixel_assets.rules import Rule, RuleSet

DNSMOS_MAX_WINDOWS = 6
FRAME_S = 0.03
SILENCE_FLOOR_DBFS = -50.0
SNR_MIN_DB = -10.0
SNR_MAX_DB = 60.0
MIN_NOISE_FRAMES = 10  # 0.3 s of non-speech before the VAD-based noise estimate is trusted
SEGMENT_NOISE_CONTEXT_S = 10.0


@dataclass(frozen=True)
class QCThresholds:
    """Whole-video audio quality thresholds.

    Attributes:
        min_snr_db: Lowest accepted estimated SNR in dB (speech power over noise power).
        min_dnsmos_ovrl: Lowest accepted DNSMOS P.835 overall score (MOS scale 1–5).
        max_clipping_ratio: Highest accepted share (0–1) of clipped source samples.
        min_speech_ratio: Lowest accepted share (0–1) of the duration that the VAD marks as
            speech.
        min_duration_s: Shortest accepted audio, in seconds.
        max_duration_s: Longest accepted audio, in seconds.
        allowed_languages: ISO 639-1 codes (Whisper's) to keep; None accepts any language.
        min_language_probability: Lowest accepted language-ID probability (0–1).
    """

    min_snr_db: float = 10.0
    min_dnsmos_ovrl: float = 2.0
    max_clipping_ratio: float = 0.001
    min_speech_ratio: float = 0.2
    min_duration_s: float = 1.0
    max_duration_s: float = 4 * 3600.0
    allowed_languages: tuple[str, ...] | None = ("en",)
    min_language_probability: float = 0.5

    def __post_init__(self) -> None:
        for name in ("max_clipping_ratio", "min_speech_ratio", "min_language_probability"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"QCThresholds.{name}={value}: use a share between 0 and 1")
        if not 0 <= self.min_duration_s < self.max_duration_s:
            raise ValueError(
                f"QCThresholds: need 0 <= min_duration_s < max_duration_s, got "
                f"{self.min_duration_s} and {self.max_duration_s}"
            )
        if isinstance(self.allowed_languages, str):
            raise ValueError(
                f"QCThresholds.allowed_languages={self.allowed_languages!r}: pass a tuple "
                f"such as ({self.allowed_languages!r},), not a string"
            )


@dataclass(frozen=True)
class SegmentThresholds:
    """Per-segment quality thresholds, applied by ``schemas.split_segments``.

    Attributes:
        min_duration_s: Shortest kept segment, in seconds.
        max_duration_s: Longest kept segment, in seconds (``make_segments`` max_s).
        min_snr_db: Lowest accepted segment SNR in dB.
        max_clipping_ratio: Highest accepted share (0–1) of clipped source samples.
        min_dnsmos_ovrl: Lowest accepted DNSMOS overall score (1–5) of the segment.
    """

    min_duration_s: float = 2.0
    max_duration_s: float = 30.0
    min_snr_db: float = 10.0
    max_clipping_ratio: float = 0.001
    min_dnsmos_ovrl: float = 2.0

    def __post_init__(self) -> None:
        if not 0 <= self.min_duration_s < self.max_duration_s:
            raise ValueError(
                f"SegmentThresholds: need 0 <= min_duration_s < max_duration_s, got "
                f"{self.min_duration_s} and {self.max_duration_s}"
            )

    @classmethod
    def from_qc(
        cls, qc: QCThresholds, min_duration_s: float = 2.0, max_duration_s: float = 30.0
    ) -> SegmentThresholds:
        """Segment thresholds sharing SNR, clipping and DNSMOS limits with ``qc``."""
        return cls(
            min_duration_s=min_duration_s,
            max_duration_s=max_duration_s,
            min_snr_db=qc.min_snr_db,
            max_clipping_ratio=qc.max_clipping_ratio,
            min_dnsmos_ovrl=qc.min_dnsmos_ovrl,
        )


@dataclass
class AudioQCMetrics:
    """Measured quality of one video's audio. None means "not measurable / not measured".

    Attributes:
        duration_s: Length in seconds.
        loudness_lufs: BS.1770 integrated loudness of the normalised audio (LUFS); None when
            everything is below the -70 LUFS gate or shorter than 0.4 s.
        peak_dbfs: Sample peak of the normalised audio in dBFS; None for digital silence.
        source_peak_dbfs: Sample peak of the source (pre-normalisation) audio in dBFS.
        clipping_ratio: Share (0–1) of clipped source samples (see module docstring).
        silence_ratio: Share (0–1) of 30 ms frames of the source (pre-normalisation) audio
            whose RMS is below -50 dBFS: recording-level silence, informational only.
        speech_ratio: VAD speech time divided by duration (0–1).
        snr_db: Estimated SNR in dB, in [-10, 60]; None without speech.
        snr_method: "vad" (noise from non-speech frames), "percentile" (fallback) or "none".
        language: Whisper language code, None when not measured or no speech.
        language_probability: Whisper's probability for ``language``.
        dnsmos_ovrl: DNSMOS P.835 overall MOS (1–5); None when not computed.
        dnsmos_sig: DNSMOS speech-signal MOS.
        dnsmos_bak: DNSMOS background-noise MOS (higher = cleaner background).
        dnsmos_windows: Number of 9.01 s windows averaged for DNSMOS.
        passed: Set by ``evaluate``: True when no threshold failed.
        reasons: Set by ``evaluate``: one ``{rule, column, measured, threshold}`` record per
            failed threshold (see ``pixel_assets.rules``).
        reason_text: The same as one readable line.
    """

    duration_s: float
    loudness_lufs: float | None
    peak_dbfs: float | None
    source_peak_dbfs: float | None
    clipping_ratio: float
    silence_ratio: float
    speech_ratio: float
    snr_db: float | None
    snr_method: str
    language: str | None = None
    language_probability: float | None = None
    dnsmos_ovrl: float | None = None
    dnsmos_sig: float | None = None
    dnsmos_bak: float | None = None
    dnsmos_windows: int = 0
    passed: bool = False
    reasons: list[dict[str, str]] = field(default_factory=list)
    reason_text: str = ""

    def to_row(self) -> dict[str, Any]:
        """Flat dict for the audio_qc table."""
        return asdict(self)


# --------------------------------------------------------------------------- helpers


def frame_powers(audio: np.ndarray, frame: int) -> np.ndarray:
    """Mean power of consecutive non-overlapping frames (float64), streamed in chunks."""
    n = audio.size // frame
    view = audio[: n * frame].reshape(n, frame)
    out = np.empty(n, dtype=np.float64)
    step = max(1, CHUNK_SAMPLES // frame)
    for i in range(0, n, step):
        block = view[i : i + step].astype(np.float64)
        out[i : i + step] = np.einsum("ij,ij->i", block, block) / frame
    return out


def _region_mask(times: np.ndarray, regions: Sequence[Region]) -> np.ndarray:
    """True where a time lies inside one of the (sorted, disjoint) regions."""
    if not regions:
        return np.zeros(times.size, dtype=bool)
    starts = np.array([r[0] for r in regions])
    ends = np.array([r[1] for r in regions])
    idx = np.searchsorted(starts, times, side="right") - 1
    inside = idx >= 0
    inside[inside] = times[inside] < ends[idx[inside]]
    return inside


def _speech_seconds(regions: Sequence[Region], start: float, end: float) -> float:
    return sum(max(0.0, min(e, end) - max(s, start)) for s, e in regions)


def _snr(speech: np.ndarray, noise_power: float | None) -> tuple[float | None, str]:
    """SNR from speech-frame powers and a noise power (None = percentile fallback)."""
    if speech.size == 0:
        return None, "none"
    method = "vad"
    if noise_power is None:
        noise_power = float(np.percentile(speech, 10))
        method = "percentile"
    signal_power = float(speech.mean()) - noise_power
    if noise_power <= 1e-12:  # below 16-bit quantisation noise: digital silence
        return SNR_MAX_DB, method
    if signal_power <= 0:
        return SNR_MIN_DB, method
    snr = 10.0 * math.log10(signal_power / noise_power)
    return float(min(SNR_MAX_DB, max(SNR_MIN_DB, snr))), method


def _speech_windows(
    audio: np.ndarray, sample_rate: int, regions: Sequence[Region], max_windows: int
) -> list[np.ndarray]:
    """Up to max_windows 9.01 s excerpts spread evenly over the concatenated speech."""
    spans = [
        (int(s * sample_rate), min(audio.size, int(e * sample_rate)))
        for s, e in (regions or [(0.0, audio.size / sample_rate)])
    ]
    spans = [(a, b) for a, b in spans if b > a]
    total = sum(b - a for a, b in spans)
    if total == 0:
        return []
    n = max(1, min(max_windows, math.ceil(total / DNSMOS_WINDOW_SAMPLES)))
    length = min(total, DNSMOS_WINDOW_SAMPLES)
    offsets = np.linspace(0, total - length, n).astype(int) if n > 1 else [0]
    cum = np.cumsum([0] + [b - a for a, b in spans])
    windows = []
    for offset in offsets:
        pieces, need = [], length
        k = int(np.searchsorted(cum, offset, side="right") - 1)
        pos = spans[k][0] + (offset - cum[k])
        while need > 0 and k < len(spans):
            take = min(need, spans[k][1] - pos)
            pieces.append(audio[pos : pos + take])
            need -= take
            k += 1
            if k < len(spans):
                pos = spans[k][0]
        windows.append(np.concatenate(pieces))
    return windows


# --------------------------------------------------------------------------- whole audio


@dataclass
class AudioAnalysis:
    """Per-file arrays shared by ``measure_audio`` and ``measure_segments``.

    Build it once with ``analyse_audio`` and pass it to both to skip a second pass over
    the file (an hour of audio costs about 1.5 s per pass).
    """

    sample_rate: int
    n_samples: int
    regions: list[Region]
    frame: int
    powers: np.ndarray  # 30 ms frame powers of the normalised audio
    speech: np.ndarray  # frame centre inside a speech region
    hop_energy: np.ndarray  # K-weighted energy per 100 ms
    global_noise: float | None  # median non-speech frame power, None if too little

    def to_npz(self) -> bytes:
        """The analysis as ``.npz`` bytes: ``audio_qc`` stores it so ``segments`` reuses it."""
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            sample_rate=self.sample_rate,
            n_samples=self.n_samples,
            regions=np.asarray(self.regions, dtype=np.float64).reshape(-1, 2),
            frame=self.frame,
            powers=self.powers,
            speech=self.speech,
            hop_energy=self.hop_energy,
            global_noise=np.nan if self.global_noise is None else self.global_noise,
        )
        return buffer.getvalue()

    @classmethod
    def from_npz(cls, data: bytes) -> AudioAnalysis:
        """Read what :meth:`to_npz` wrote."""
        with np.load(io.BytesIO(data)) as arrays:
            noise = float(arrays["global_noise"])
            return cls(
                sample_rate=int(arrays["sample_rate"]),
                n_samples=int(arrays["n_samples"]),
                regions=[(float(a), float(b)) for a, b in arrays["regions"]],
                frame=int(arrays["frame"]),
                powers=arrays["powers"],
                speech=arrays["speech"].astype(bool),
                hop_energy=arrays["hop_energy"],
                global_noise=None if np.isnan(noise) else noise,
            )

    def describes(
        self, audio: np.ndarray, sample_rate: int, speech_regions: Sequence[Region]
    ) -> bool:
        """Whether this analysis was built from ``audio`` and these VAD regions."""
        return (self.n_samples, self.sample_rate) == (audio.size, sample_rate) and (
            self.regions == normalise_regions(speech_regions)
        )

    def check_matches(self, audio: np.ndarray, sample_rate: int, what: str) -> None:
        """Raise if this analysis was built from other audio."""
        if (self.n_samples, self.sample_rate) != (audio.size, sample_rate):
            raise ValueError(
                f"{what}: analysis is of {self.n_samples} samples at {self.sample_rate} Hz "
                f"but the audio has {audio.size} at {sample_rate} Hz; build it with "
                "analyse_audio() from the same audio"
            )


def analyse_audio(
    audio: np.ndarray, sample_rate: int, speech_regions: Sequence[Region]
) -> AudioAnalysis:
    """Frame powers, speech mask, K-weighted loudness hops and noise floor of the audio.

    Args:
        audio: Loudness-normalised mono float samples.
        sample_rate: Their sample rate.
        speech_regions: VAD regions of the whole file.
    """
    audio = check_audio(audio, "analyse_audio(audio)")
    regions = normalise_regions(speech_regions)
    frame = max(1, int(round(FRAME_S * sample_rate)))
    powers = frame_powers(audio, frame)
    centres = (np.arange(powers.size) + 0.5) * frame / sample_rate
    speech = _region_mask(centres, regions)
    noise = powers[~speech]
    return AudioAnalysis(
        sample_rate=sample_rate,
        n_samples=audio.size,
        regions=regions,
        frame=frame,
        powers=powers,
        speech=speech,
        hop_energy=k_weighted_hop_energy(audio, sample_rate),
        global_noise=float(np.median(noise)) if noise.size >= MIN_NOISE_FRAMES else None,
    )


def _prepare_inputs(
    caller: str,
    audio: np.ndarray,
    source_audio: np.ndarray | None,
    sample_rate: int,
    speech_regions: Sequence[Region],
    dnsmos: DnsmosScorer | None,
    analysis: AudioAnalysis | None,
) -> tuple[np.ndarray, np.ndarray, AudioAnalysis]:
    """Validate the arrays shared by ``measure_audio`` and ``measure_segments``."""
    audio = check_audio(audio, f"{caller}(audio)")
    source = audio if source_audio is None else check_audio(source_audio, "source_audio")
    if dnsmos is not None and sample_rate != DNSMOS_SAMPLE_RATE:
        raise ValueError(
            f"{caller}: DNSMOS needs {DNSMOS_SAMPLE_RATE} Hz audio, got {sample_rate} Hz; "
            "resample first or pass dnsmos=None"
        )
    if analysis is None:
        analysis = analyse_audio(audio, sample_rate, speech_regions)
    analysis.check_matches(audio, sample_rate, caller)
    return audio, source, analysis


def measure_audio(
    audio: np.ndarray,
    source_audio: np.ndarray | None,
    sample_rate: int,
    speech_regions: Sequence[Region],
    language: str | None = None,
    language_probability: float | None = None,
    dnsmos: DnsmosScorer | None = None,
    analysis: AudioAnalysis | None = None,
) -> AudioQCMetrics:
    """Measure one video's audio.

    Args:
        audio: Loudness-normalised mono float samples in [-1, 1] (ingest's audio.flac).
        source_audio: The same audio before normalisation (source_16k.flac), for clipping;
            None uses ``audio``.
        sample_rate: Sample rate of both arrays; 16000 is required when ``dnsmos`` is given.
        speech_regions: ``(start_s, end_s)`` speech regions from ``vad.detect_speech``.
        language: Language code from ``LanguageIdentifier.detect``, if measured.
        language_probability: Its probability.
        dnsmos: Scorer for DNSMOS on up to ``DNSMOS_MAX_WINDOWS`` speech windows (~0.1 s
            each); None skips it.
        analysis: ``analyse_audio(audio, sample_rate, speech_regions)`` if already built.

    Returns:
        The metrics, with ``passed``/``reasons`` left for ``evaluate`` to fill.
    """
    audio, source, analysis = _prepare_inputs(
        "measure_audio", audio, source_audio, sample_rate, speech_regions, dnsmos, analysis
    )
    duration = audio.size / sample_rate
    speech_powers = analysis.powers[analysis.speech]
    snr_db, snr_method = _snr(speech_powers, analysis.global_noise)
    if not analysis.speech.any():
        snr_db, snr_method = None, "none"
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    source_peak = float(np.abs(source).max()) if source.size else 0.0
    # Silence is judged on the source: normalisation lifts a near-silent file's hiss to
    # programme level, which would hide that the recording itself was (almost) silent.
    source_powers = frame_powers(source, analysis.frame)
    silence_ratio = (
        float(np.mean(source_powers < 10 ** (SILENCE_FLOOR_DBFS / 10)))
        if source_powers.size
        else 0.0
    )
    scores = None
    windows = 0
    # Digital silence has no quality to score; DNSMOS would still return a number.
    if dnsmos is not None and peak > 0:
        excerpts = _speech_windows(audio, sample_rate, analysis.regions, DNSMOS_MAX_WINDOWS)
        scores = dnsmos.scores(excerpts)
        windows = len(excerpts)
    return AudioQCMetrics(
        duration_s=duration,
        loudness_lufs=gated_loudness(analysis.hop_energy, sample_rate),
        peak_dbfs=20 * math.log10(peak) if peak > 0 else None,
        source_peak_dbfs=20 * math.log10(source_peak) if source_peak > 0 else None,
        clipping_ratio=clipping_ratio(source),
        silence_ratio=silence_ratio,
        speech_ratio=_speech_seconds(analysis.regions, 0.0, duration) / duration
        if duration
        else 0.0,
        snr_db=snr_db,
        snr_method=snr_method,
        language=language,
        language_probability=language_probability,
        dnsmos_ovrl=scores["ovrl"] if scores else None,
        dnsmos_sig=scores["sig"] if scores else None,
        dnsmos_bak=scores["bak"] if scores else None,
        dnsmos_windows=windows,
    )


def qc_rules(thresholds: QCThresholds) -> RuleSet:
    """The video-level thresholds as rules (``audio_qc``); unmeasured metrics are not judged."""
    t = thresholds
    return RuleSet.of(
        [
            Rule("min_duration_s", "duration_s", "ge", t.min_duration_s),
            Rule("max_duration_s", "duration_s", "le", t.max_duration_s, digits=1),
            Rule("min_speech_ratio", "speech_ratio", "ge", t.min_speech_ratio),
            Rule("min_snr_db", "snr_db", "ge", t.min_snr_db, digits=1),
            Rule("max_clipping_ratio", "clipping_ratio", "le", t.max_clipping_ratio, digits=4),
            Rule("min_dnsmos_ovrl", "dnsmos_ovrl", "ge", t.min_dnsmos_ovrl),
            Rule("allowed_languages", "language", "isin", t.allowed_languages),
            Rule(
                "min_language_probability",
                "language_probability",
                "ge",
                t.min_language_probability,
            ),
        ]
    )


def segment_rules(thresholds: SegmentThresholds | QCThresholds) -> RuleSet:
    """The segment thresholds as rules (``segments``); a ``QCThresholds`` is converted with
    ``SegmentThresholds.from_qc``. Null SNR / DNSMOS (not computed) pass."""
    t = (
        SegmentThresholds.from_qc(thresholds)
        if isinstance(thresholds, QCThresholds)
        else thresholds
    )
    return RuleSet.of(
        [
            Rule("min_duration_s", "duration_s", "ge", t.min_duration_s),
            Rule("max_duration_s", "duration_s", "le", t.max_duration_s),
            Rule("min_snr_db", "snr_db", "ge", t.min_snr_db, digits=1),
            Rule("max_clipping_ratio", "clipping_ratio", "le", t.max_clipping_ratio, digits=4),
            Rule("min_dnsmos_ovrl", "dnsmos_ovrl", "ge", t.min_dnsmos_ovrl),
        ]
    )


def evaluate(metrics: AudioQCMetrics, thresholds: QCThresholds) -> list[str]:
    """Compare metrics with thresholds; fills ``metrics.passed`` and ``metrics.reasons``.

    Checks whose metric is None (not measurable, e.g. SNR without speech, or language not
    measured) are skipped; a missing-speech file still fails on ``speech_ratio``.

    Returns:
        The failed thresholds as text, e.g. ``["snr_db 4.2 < min_snr_db 10.0"]``.
    """
    rules = qc_rules(thresholds)
    measured = {k: v for k, v in asdict(metrics).items() if k not in ("reasons", "reason_text")}
    judged = rules.apply(pd.DataFrame([measured]))
    metrics.reasons = list(judged["reasons"].iloc[0])
    metrics.passed = not metrics.reasons
    metrics.reason_text = rules.render(metrics.reasons)
    return [rules.render([reason]) for reason in metrics.reasons]
