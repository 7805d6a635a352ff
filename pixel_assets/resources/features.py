"""Feature-stage resources: extractor switches and rule thresholds, the optional hub classifiers
and the sentence embedder.

Models load once per process and configuration (cached loaders), so every video of a run, and
the CLI's many in-process runs, share one embedder and one classifier.
"""

from __future__ import annotations

from functools import cache

import dagster as dg
from pydantic import Field

from pixel_assets.features.classifier import TextClassifier
from pixel_assets.features.embeddings import DEFAULT_EMBEDDING_MODEL, SentenceEmbedder
from pixel_assets.features.options import FeatureOptions

_F = FeatureOptions()


@cache
def _embedder(model: str, device: str, batch_size: int) -> SentenceEmbedder:
    return SentenceEmbedder(model, device=device, batch_size=batch_size)


@cache
def _classifier(model: str, device: str, batch_size: int, prefix: str) -> TextClassifier:
    return TextClassifier(model, device=device, batch_size=batch_size, prefix=prefix)


class FeaturesResource(dg.ConfigurableResource):
    """Which feature extractors run, the lexicon-rule thresholds, the optional hub classifiers
    and the null-prosody check. Override per run in the launchpad or with ``--set``."""

    text: bool = Field(_F.text, description="sentiment, emotion, counselling markers, toxicity")
    speech: bool = Field(_F.speech, description="speech/articulation rate, pauses, fillers")
    prosody: bool = Field(_F.prosody, description="F0 and intensity from the audio")
    voice_quality: bool = Field(_F.voice_quality, description="jitter, shimmer, HNR (praat)")
    prosody_backend: str = Field(
        _F.prosody_backend,
        description="praat (Parselmouth, GPL-3, all measures) | librosa (pYIN F0 + RMS only)",
    )
    analysis_rate_hz: int = Field(_F.analysis_rate_hz, description="pitch analysis rate (Hz)")
    f0_min_hz: float = Field(_F.f0_min_hz, description="pitch floor (Hz)")
    f0_max_hz: float = Field(_F.f0_max_hz, description="pitch ceiling (Hz)")
    frame_step_s: float = Field(_F.frame_step_s, description="pitch/intensity frame step (s)")
    min_voiced_s: float = Field(
        _F.min_voiced_s, description="less voiced speech than this leaves prosody null (s)"
    )
    min_pause_s: float = Field(_F.min_pause_s, description="shortest gap counted as a pause (s)")
    long_pause_s: float = Field(_F.long_pause_s, description="shortest long pause (s)")
    fillers: list[str] = Field(list(_F.fillers), description="fillers counted by filler_rate")
    exploration_min_words: int = Field(
        _F.exploration_min_words, description="words of a specific exploring open question"
    )
    invalidation_patterns: list[str] = Field(
        list(_F.invalidation_patterns), description="regexes that set `invalidation`"
    )
    invalidation_empathy_factor: float = Field(
        _F.invalidation_empathy_factor, description="empathy multiplier when invalidating"
    )
    emotion_classifier: str | None = Field(
        None,
        description="transformers text-classification model (dir or hub name) for emotion; "
        "adds clf_<label> columns. Unset: lexicon only",
    )
    empathy_classifier: str | None = Field(
        None, description="classifier for empathy (e.g. an EPITOME model): clf_empathy_<label>"
    )
    classifier_device: str = Field("auto", description="auto | cpu | cuda")
    classifier_batch_size: int = Field(32, description="texts per classifier batch")
    max_null_prosody_share: float = Field(
        0.5, description="the null-prosody check warns above this share of utterances"
    )

    def options(self) -> FeatureOptions:
        """The plain options the logic takes."""
        return FeatureOptions(
            text=self.text,
            speech=self.speech,
            prosody=self.prosody,
            voice_quality=self.voice_quality,
            prosody_backend=self.prosody_backend,
            analysis_rate_hz=self.analysis_rate_hz,
            f0_min_hz=self.f0_min_hz,
            f0_max_hz=self.f0_max_hz,
            frame_step_s=self.frame_step_s,
            min_voiced_s=self.min_voiced_s,
            min_pause_s=self.min_pause_s,
            long_pause_s=self.long_pause_s,
            fillers=tuple(self.fillers),
            exploration_min_words=self.exploration_min_words,
            invalidation_patterns=tuple(self.invalidation_patterns),
            invalidation_empathy_factor=self.invalidation_empathy_factor,
        )

    def get_classifiers(self) -> tuple[TextClassifier, ...]:
        """The configured classifiers, loaded once per process (empty by default)."""
        wanted = [(self.emotion_classifier, "clf_"), (self.empathy_classifier, "clf_empathy_")]
        return tuple(
            _classifier(model, self.classifier_device, self.classifier_batch_size, prefix)
            for model, prefix in wanted
            if model
        )


class EmbedderResource(dg.ConfigurableResource):
    """Sentence embeddings for ``utterance_embeddings``. ``model``: the offline
    all-MiniLM-L6-v2 by default, or any sentence-transformers hub name or local folder."""

    model: str = Field(
        DEFAULT_EMBEDDING_MODEL, description="sentence-transformers name or local folder"
    )
    device: str = Field("auto", description="auto | cpu | cuda")
    batch_size: int = Field(128, description="sentences per batch (128 fastest on 2 CPU cores)")

    def get_embedder(self) -> SentenceEmbedder:
        """The embedder, loaded once per process and configuration."""
        return _embedder(self.model, self.device, self.batch_size)
