"""Settings of the feature stage: which extractors run and the lexicon-rule thresholds.

:class:`FeatureOptions` is the plain dataclass the logic takes; the Dagster resource
(``pixel_assets.resources.features.FeaturesResource``) turns its fields into one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pixel_assets.counselling_language import INVALIDATION_PATTERNS

PROSODY_BACKENDS = ("praat", "librosa")

DEFAULT_FILLERS: tuple[str, ...] = (
    "um", "umm", "uh", "uhh", "uhm", "erm", "er", "ah", "hmm", "mm", "mhm",
    "you know", "i mean", "kind of", "sort of",
)
"""Filled pauses and discourse fillers counted by ``filler_rate`` (whisper drops many of them,
so the rate is a lower bound on ASR text)."""

DEFAULT_INVALIDATION_PATTERNS: tuple[str, ...] = INVALIDATION_PATTERNS
"""Minimising or dismissive phrasing (regular expressions on normalised text) that sets
``invalidation``: the lexicon the offline scorer also uses. Rule-based: it flags the phrase,
not the intent."""


@dataclass(frozen=True)
class FeatureOptions:
    """Which extractors run and their thresholds.

    Attributes:
        text: Sentiment (VADER), NRC emotion shares, counselling markers (questions, empathy,
            MI code, invalidation) and toxicity.
        speech: Speech/articulation rate, pauses and fillers from word timestamps.
        prosody: F0 and intensity from the audio.
        voice_quality: Jitter, shimmer and HNR (praat backend only; the costliest part).
        prosody_backend: ``praat`` (Parselmouth, GPL-3: F0, intensity, jitter, shimmer, HNR) or
            ``librosa`` (ISC: YIN F0 and RMS intensity only; voice quality stays null).
        analysis_rate_hz: Segments are resampled to this rate before pitch analysis; 8 kHz keeps
            every harmonic that matters below ``f0_max_hz`` and halves praat's cost.
        f0_min_hz: Pitch floor (Praat's default 75 Hz covers low male voices).
        f0_max_hz: Pitch ceiling (600 Hz covers high female and child voices).
        frame_step_s: Pitch/intensity frame step.
        min_voiced_s: Below this much voiced speech a segment's prosody is null, with the reason.
        min_pause_s: A gap between consecutive words at least this long is a pause (shorter gaps
            are co-articulation and ASR timing jitter).
        long_pause_s: A pause at least this long counts in ``long_pauses``.
        fillers: Fillers counted (single words or phrases, lower case).
        exploration_min_words: An open question of at least this many words that addresses the
            listener ("you") is specific exploration (EPITOME level 2); shorter ones are generic.
        invalidation_patterns: Regular expressions that set ``invalidation``.
        invalidation_empathy_factor: ``empathy`` is multiplied by this when ``invalidation`` is
            set ("I'm sorry, but just get over it" is not empathic); 1.0 leaves it alone.
    """

    text: bool = True
    speech: bool = True
    prosody: bool = True
    voice_quality: bool = True
    prosody_backend: str = "praat"
    analysis_rate_hz: int = 8000
    f0_min_hz: float = 75.0
    f0_max_hz: float = 600.0
    frame_step_s: float = 0.01
    min_voiced_s: float = 0.3
    min_pause_s: float = 0.15
    long_pause_s: float = 1.0
    fillers: tuple[str, ...] = DEFAULT_FILLERS
    exploration_min_words: int = 6
    invalidation_patterns: tuple[str, ...] = field(default=DEFAULT_INVALIDATION_PATTERNS)
    invalidation_empathy_factor: float = 0.0

    def __post_init__(self) -> None:
        if self.prosody_backend not in PROSODY_BACKENDS:
            raise ValueError(
                f"FeatureOptions.prosody_backend {self.prosody_backend!r} is not one of "
                f"{', '.join(PROSODY_BACKENDS)}; set the features resource's prosody_backend."
            )
        if not 0 < self.f0_min_hz < self.f0_max_hz:
            raise ValueError(
                f"FeatureOptions: f0_min_hz {self.f0_min_hz} must be positive and below "
                f"f0_max_hz {self.f0_max_hz}."
            )
        if self.analysis_rate_hz < 4 * self.f0_max_hz:
            raise ValueError(
                f"FeatureOptions.analysis_rate_hz {self.analysis_rate_hz} is too low for "
                f"f0_max_hz {self.f0_max_hz}; use at least {int(4 * self.f0_max_hz)} Hz."
            )
        if not 0.0 <= self.invalidation_empathy_factor <= 1.0:
            raise ValueError(
                "FeatureOptions.invalidation_empathy_factor must be within [0, 1], got "
                f"{self.invalidation_empathy_factor}."
            )
