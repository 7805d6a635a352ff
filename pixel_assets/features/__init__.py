"""Feature extraction (seed stage 5): per-utterance text, counselling, speech and prosody
features, sentence embeddings and speaker profiles. Plain logic; the assets live in
``assets.py`` and the models in ``pixel_assets.resources.features``."""

from pixel_assets.features.classifier import TextClassifier, label_column
from pixel_assets.features.counselling import MI_CODES, QUESTION_TYPES, counselling_frame
from pixel_assets.features.embeddings import (
    DEFAULT_EMBEDDING_MODEL,
    SentenceEmbedder,
    embed_utterances,
    resolve_embedding_model,
)
from pixel_assets.features.extract import extract_utterance_features
from pixel_assets.features.options import FeatureOptions
from pixel_assets.features.profiles import speaker_profiles, voice_print_ref
from pixel_assets.features.prosody import PROSODY_COLUMNS, prosody_frame
from pixel_assets.features.report import (
    NullProsodyCheck,
    check_null_prosody,
    features_plot_png,
    null_prosody_share,
    profiles_markdown,
)
from pixel_assets.features.schemas import (
    SPEAKER_PROFILES,
    TABLES,
    UTTERANCE_EMBEDDINGS,
    UTTERANCE_FEATURES,
)
from pixel_assets.features.speech import speech_frame
from pixel_assets.features.text import EMOTIONS, emotion_frame, sentiment_frame, toxicity_scores

__all__ = [
    "DEFAULT_EMBEDDING_MODEL",
    "EMOTIONS",
    "MI_CODES",
    "PROSODY_COLUMNS",
    "QUESTION_TYPES",
    "SPEAKER_PROFILES",
    "TABLES",
    "UTTERANCE_EMBEDDINGS",
    "UTTERANCE_FEATURES",
    "FeatureOptions",
    "NullProsodyCheck",
    "SentenceEmbedder",
    "TextClassifier",
    "check_null_prosody",
    "counselling_frame",
    "embed_utterances",
    "emotion_frame",
    "extract_utterance_features",
    "features_plot_png",
    "label_column",
    "null_prosody_share",
    "profiles_markdown",
    "prosody_frame",
    "resolve_embedding_model",
    "sentiment_frame",
    "speaker_profiles",
    "speech_frame",
    "toxicity_scores",
    "voice_print_ref",
]
