"""Resources: the only place storage clients and models are built.

:func:`resources_for` builds the whole resource dict for an environment (local / ci / prod)
from :mod:`pixel_assets.settings`, read when called.
"""

from __future__ import annotations

from typing import Any

from pixel_assets.resources.analysis import AnalysisResource
from pixel_assets.resources.audio import (
    AudioQualityResource,
    DnsmosResource,
    LanguageIdResource,
)
from pixel_assets.resources.features import EmbedderResource, FeaturesResource
from pixel_assets.resources.ingest import IngestResource
from pixel_assets.resources.pairs import PairsResource
from pixel_assets.resources.storage import StorageResource
from pixel_assets.resources.transcription import (
    AsrResource,
    DiarizerResource,
    TranscriptFilterResource,
    gpu_resources,
)
from pixel_assets.resources.validation import JudgeResource, ValidationResource
from pixel_assets.settings import Settings, load_settings

__all__ = [
    "AnalysisResource",
    "AsrResource",
    "AudioQualityResource",
    "DiarizerResource",
    "DnsmosResource",
    "EmbedderResource",
    "FeaturesResource",
    "TranscriptFilterResource",
    "IngestResource",
    "JudgeResource",
    "LanguageIdResource",
    "PairsResource",
    "StorageResource",
    "ValidationResource",
    "resources_for",
]


def resources_for(settings: Settings | None = None) -> dict[str, Any]:
    """The resources of the code location for ``settings`` (default: the environment's)."""
    settings = settings or load_settings()
    resources = {
        "storage": StorageResource.from_settings(settings),
        "ingest": IngestResource.from_settings(settings),
        "audio_quality": AudioQualityResource(),
        "language_id": LanguageIdResource(),
        "dnsmos": DnsmosResource(),
        "asr": AsrResource(),
        "diarizer": DiarizerResource(),
        "transcript_filter": TranscriptFilterResource(),
        "analysis": AnalysisResource(),
        "features": FeaturesResource(),
        "embedder": EmbedderResource(),
        # Scorer "offline" by default: the judge is only called when `validation.scorer` is
        # llm/both or `judge_roles` is on, at the base_url configured here.
        "validation": ValidationResource(),
        "judge": JudgeResource(),
        # PII scrubbing, dataset caps/splits and export formats (pairs and export stages).
        "pairs": PairsResource(),
        # dbt_reports (the report marts): the target is PIXEL_ENV's; dagster-dbt is imported
        # only here, so commands that never build resources do not load it.
        "dbt": _reports_dbt_cli(settings.environment),
    }
    if settings.gpu_preset:
        # Large GPUs: float16, bigger batches, the alignment pass, the diarizer on CUDA.
        resources.update(gpu_resources())
    return resources


def _reports_dbt_cli(target: str) -> Any:
    from pixel_assets.resources.reports import reports_dbt_cli

    return reports_dbt_cli(target)
