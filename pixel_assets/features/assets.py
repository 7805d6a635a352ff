"""Feature assets: ``utterance_features`` (text, counselling, speech timing, prosody; a
non-blocking null-prosody check), ``utterance_embeddings`` (sentence embeddings) and
``speaker_profiles`` (one row per diarized speaker)."""

from __future__ import annotations

import math
import time

import dagster as dg
import pandas as pd

from pixel_assets.errors import MissingInputError
from pixel_assets.features.embeddings import embed_utterances
from pixel_assets.features.extract import extract_utterance_features
from pixel_assets.features.profiles import speaker_profiles as build_speaker_profiles
from pixel_assets.features.prosody import DISABLED, NO_AUDIO
from pixel_assets.features.report import (
    NullProsodyCheck,
    check_null_prosody,
    features_plot_png,
    profiles_markdown,
)
from pixel_assets.features.schemas import (
    SPEAKER_PROFILES,
    UTTERANCE_EMBEDDINGS,
    UTTERANCE_FEATURES,
)
from pixel_assets.ingest.raw_audio import read_normalised_audio
from pixel_assets.ingest.standardise import SAMPLE_RATE
from pixel_assets.resources import StorageResource
from pixel_assets.resources.features import EmbedderResource, FeaturesResource
from pixel_assets.warehouse.storage import Storage
from pixel_assets.wiring import GateResult, QualityGate, StageOutput, per_video_asset, png_markdown

NULL_PROSODY_CHECK = "utterance_features_null_prosody"
_WORD_COLUMNS = ["video_id", "segment_id", "word", "start_s", "end_s", "probability", "speaker"]


def _filtered_transcripts(store: Storage, video_id: str, asset: str) -> pd.DataFrame:
    table = store.read_partition("filtered_transcripts", video_id)
    if table is None:
        raise MissingInputError(
            f"Video {video_id}: filtered_transcripts is missing, which {asset} reads; "
            "materialise filtered_transcripts for this video first."
        )
    return table


def _rounded(value: float, digits: int = 3) -> float | str:
    # Dagster's float metadata cannot hold NaN: an empty video shows "n/a".
    return "n/a" if value is None or math.isnan(value) else round(float(value), digits)


def _null_prosody_result(video_id: str, check: NullProsodyCheck) -> GateResult:
    """The non-blocking check's outcome, its message naming the likely cause and the fix."""
    causes = sorted(check.by_reason.items(), key=lambda kv: -kv[1])
    top = causes[0][0] if causes else ""
    fix = {
        DISABLED: "prosody is switched off (features.prosody = false); switch it on to "
        "measure F0 and intensity",
        NO_AUDIO: "the video's audio file is missing or shorter than its transcript; "
        "re-materialise raw_audio",
    }.get(
        top,
        "too little voiced speech per segment (music, noise or whispering under the speech, "
        "or the wrong audio); listen to the video, or lower features.min_voiced_s",
    )
    share = check.null_share
    return GateResult(
        passed=check.passed,
        error_type="null_prosody_share_high",
        message=(
            f"Video {video_id}: prosody is null for {share:.0%} of {check.n_utterances} "
            f"utterances (features.max_null_prosody_share {check.threshold:.2f}); likely cause: "
            f"{fix}. Text features and later stages are unaffected."
        ),
        metadata={
            "null_prosody_share": _rounded(share),
            "max_null_prosody_share": check.threshold,
            "utterances": check.n_utterances,
            "null_rows_by_reason": dg.MetadataValue.json(check.by_reason),
            "likely_cause": fix if not check.passed else "",
        },
    )


@per_video_asset(
    group="features",
    deps=["filtered_transcripts"],
    tables=[UTTERANCE_FEATURES],
    warnings=[
        QualityGate(
            NULL_PROSODY_CHECK,
            "Share of utterances without prosody (F0, intensity) is at most "
            "features.max_null_prosody_share; a flagged video goes on (WARN).",
        )
    ],
)
def utterance_features(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    features: FeaturesResource,
) -> StageOutput:
    """Per kept transcript segment: VADER sentiment, NRC emotions, rule-based counselling
    markers (questions, EPITOME-style empathy, MI codes, invalidation), toxicity, speech timing
    from word timestamps, and prosody/voice quality from the audio (null with a reason)."""
    store = storage.get_storage()
    video_id = context.partition_key
    transcripts = _filtered_transcripts(store, video_id, "utterance_features")
    words = store.read_partition("words", video_id)
    if words is None:
        # Speech rate then falls back to segment bounds; the rest does not need words.
        context.log.warning(f"Video {video_id}: no words table; speech timing uses segments.")
        words = pd.DataFrame(columns=_WORD_COLUMNS)
    options = features.options()
    audio = None
    if options.prosody:
        try:
            audio = read_normalised_audio(store, video_id)
        except MissingInputError as exc:
            # Prosody goes null (reason no_audio) and the null-prosody check flags the video.
            context.log.warning(f"{exc} Prosody columns are left null.")
    timings: dict[str, float] = {}
    frame = extract_utterance_features(
        transcripts, words, audio, SAMPLE_RATE, options,
        classifiers=features.get_classifiers(), timings=timings,
    )
    store.write_partition("utterance_features", video_id, frame)

    check = check_null_prosody(frame, features.max_null_prosody_share)
    metadata: dict[str, object] = {
        "utterances": len(frame),
        "speakers": int(frame["speaker"].nunique()) if len(frame) else 0,
        "null_prosody_share": _rounded(check.null_share),
        "timings_s": dg.MetadataValue.json({k: round(v, 3) for k, v in timings.items()}),
        "prosody_backend": options.prosody_backend if options.prosody else "off",
    }
    if "sentiment" in frame and len(frame):
        metadata["mean_sentiment"] = _rounded(float(frame["sentiment"].mean()))
    if "mi_code" in frame:
        counts = frame["mi_code"].value_counts()
        metadata["mi_codes"] = dg.MetadataValue.json({str(k): int(v) for k, v in counts.items()})
    metadata["plot"] = png_markdown(
        features_plot_png(frame, title=video_id), "sentiment and F0 over time by speaker"
    )
    return StageOutput(
        metadata=metadata,
        warnings={NULL_PROSODY_CHECK: _null_prosody_result(video_id, check)},
    )


@per_video_asset(
    group="features",
    deps=["filtered_transcripts"],
    tables=[UTTERANCE_EMBEDDINGS],
)
def utterance_embeddings(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    embedder: EmbedderResource,
) -> StageOutput:
    """L2-normalised sentence embedding of every kept transcript segment (all-MiniLM-L6-v2,
    384-d, by default), with the model that made it."""
    store = storage.get_storage()
    video_id = context.partition_key
    transcripts = _filtered_transcripts(store, video_id, "utterance_embeddings")
    model = embedder.get_embedder()
    started = time.perf_counter()
    frame = embed_utterances(transcripts, model)
    seconds = time.perf_counter() - started
    store.write_partition("utterance_embeddings", video_id, frame)
    return StageOutput(
        metadata={
            "utterances": len(frame),
            "model": model.model_label,
            "dimension": model.dimension,
            "device": model.device,
            "embedding_seconds": round(seconds, 3),
        }
    )


@per_video_asset(
    group="features",
    deps=[utterance_features, "transcripts"],
    tables=[SPEAKER_PROFILES],
)
def speaker_profiles(context: dg.AssetExecutionContext, storage: StorageResource) -> StageOutput:
    """One row per diarized speaker: talk time and share of the kept utterances, counselling
    style rates, mean empathy, sentiment, emotions, F0, speech rate, and a pointer to the
    speaker's voice print in `speakers`."""
    store = storage.get_storage()
    video_id = context.partition_key
    frame = store.read_partition("utterance_features", video_id)
    if frame is None:
        raise MissingInputError(
            f"Video {video_id}: utterance_features is missing, which speaker_profiles reads; "
            "materialise utterance_features for this video first."
        )
    speakers = store.read_partition("speakers", video_id)
    if speakers is None:
        raise MissingInputError(
            f"Video {video_id}: the speakers table (voice prints) is missing, which "
            "speaker_profiles joins; materialise transcripts for this video first."
        )
    profiles = build_speaker_profiles(frame, speakers)
    store.write_partition("speaker_profiles", video_id, profiles)
    return StageOutput(
        metadata={
            "speakers": len(profiles),
            "talk_share": dg.MetadataValue.json(
                {str(r.speaker): round(float(r.talk_share), 3) for r in profiles.itertuples()}
            ),
            "profiles": dg.MetadataValue.md(profiles_markdown(profiles)),
        }
    )
