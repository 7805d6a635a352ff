"""Dialogue assets: ``dialogue_turns`` (turns with counselling roles) and ``exchanges``
(client turn → counsellor reply candidates with context, deep link and features)."""

from __future__ import annotations

from typing import Any

import dagster as dg
import pandas as pd

from pixel_assets.dialogue.exchanges import build_exchanges
from pixel_assets.dialogue.roles import RoleReport, assign_roles
from pixel_assets.dialogue.schemas import TABLES as DIALOGUE_TABLES
from pixel_assets.dialogue.turns import build_turns
from pixel_assets.errors import MissingInputError, PipelineError
from pixel_assets.resources import StorageResource
from pixel_assets.resources.validation import JudgeResource, ValidationResource
from pixel_assets.validation.render import render_dialogue_markdown
from pixel_assets.warehouse.storage import Storage
from pixel_assets.wiring import StageOutput, per_video_asset

DIALOGUE_TURNS, EXCHANGES = DIALOGUE_TABLES
# Cue columns shown in the UI, in the order of the role heuristic's table.
_CUE_COLUMNS = (
    "speaker", "role", "source", "n_turns", "talk_share", "question_rate", "open_question_rate",
    "reflection_rate", "empathy", "second_person_share", "opens", "score",
)


class RoleMetadataError(PipelineError):
    """The video list's ``roles`` value cannot be applied to this video."""

    error_type = "invalid_role_metadata"


def read_required(store: Storage, table: str, video_id: str, fix: str) -> pd.DataFrame:
    """The video's rows of ``table``; a missing partition names the table and the fix."""
    frame = store.read_partition(table, video_id)
    if frame is None:
        raise MissingInputError(f"Video {video_id}: {table} is missing; {fix}")
    return frame


def video_row(store: Storage, video_id: str) -> dict[str, Any]:
    """The video's ``videos`` row (title, channel, URLs, list metadata)."""
    videos = read_required(
        store, "videos", video_id, "materialise raw_audio first (it records the video)."
    )
    if videos.empty:
        raise MissingInputError(
            f"Video {video_id}: the videos table has no row for it; materialise raw_audio again."
        )
    row = videos.iloc[0].to_dict()
    return {k: (None if _missing(v) else v) for k, v in row.items()}


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False


def global_speaker_ids(store: Storage, video_id: str) -> dict[str, str]:
    """``speaker -> global_speaker_id`` from the cross-video ``speaker_links`` when it exists.

    Never required: a video not linked yet (or a deployment without the analysis stage) gets
    null global ids, and the next materialisation after linking fills them in.
    """
    links = store.read_partition("speaker_links", video_id)
    if links is None or links.empty:
        return {}
    links = links.dropna(subset=["speaker", "global_speaker_id"])
    return dict(zip(links["speaker"].astype(str), links["global_speaker_id"].astype(str),
                    strict=True))


def cues_markdown(report: RoleReport) -> str:
    """The role heuristic's per-speaker cues and decision as a markdown table."""
    if report.cues.empty:
        return "_no speakers_"
    columns = [c for c in _CUE_COLUMNS if c in report.cues.columns]
    return report.cues[columns].to_markdown(index=False, floatfmt=".2f")


@per_video_asset(
    group="dialogue",
    deps=["filtered_transcripts", "speaker_profiles"],
    tables=[DIALOGUE_TURNS],
)
def dialogue_turns(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    validation: ValidationResource,
    judge: JudgeResource,
) -> StageOutput:
    """Consecutive kept segments of one speaker merged into turns, each with a counselling role
    (counsellor/client/other) from the video list's `roles`, the LLM judge when configured, or
    the speaker-profile heuristic; monologues and panels are labelled so."""
    store = storage.get_storage()
    video_id = context.partition_key
    segments = read_required(
        store, "filtered_transcripts", video_id, "materialise filtered_transcripts first."
    )
    profiles = read_required(
        store, "speaker_profiles", video_id, "materialise speaker_profiles (features) first."
    )
    video = video_row(store, video_id)
    ids = global_speaker_ids(store, video_id)
    turns = build_turns(segments, validation.turn_options(), global_speaker_ids=ids)

    judged: dict[str, str] = {}
    if validation.judge_roles and not turns.empty:
        with judge.get_client(store) as client:
            judged = client.judge_roles(turns.to_dict("records"))
        if not judged:
            context.log.warning(
                f"Video {video_id}: the judge gave no usable roles; the heuristic decides."
            )
    spec = video.get("list_role")
    try:
        turns, report = assign_roles(
            turns, profiles, spec=spec, judge_roles=judged, options=validation.role_options()
        )
    except ValueError as exc:
        if not spec:
            raise
        raise RoleMetadataError(
            f"Video {video_id}: its video list's roles value {spec!r} cannot be applied: {exc}"
        ) from exc
    store.write_partition(DIALOGUE_TURNS.name, video_id, turns)

    return StageOutput(
        metadata={
            "turns": len(turns),
            "conversation_type": report.conversation_type,
            "counsellor": report.counsellor or "none",
            "client": report.client or "none",
            "role_sources": dg.MetadataValue.json(report.sources),
            "role_metadata": spec or "none",
            "judge_roles": dg.MetadataValue.json(judged),
            "global_speaker_ids": dg.MetadataValue.json(ids),
            "role_cues": dg.MetadataValue.md(cues_markdown(report)),
            "dialogue": dg.MetadataValue.md(render_dialogue_markdown(turns)),
        }
    )


def exchanges_preview(exchanges: pd.DataFrame, limit: int = 5) -> str:
    """The first exchanges as markdown (prompt, reply, link) for the UI."""
    if exchanges.empty:
        return "_no exchanges_"
    lines = []
    for row in exchanges.head(limit).itertuples():
        link = f" [{row.response_start_s:.0f}s]({row.deep_link})" if row.deep_link else ""
        lines.append(
            f"- **Client:** {_clip(row.prompt_text)}\n  **Counsellor:** "
            f"{_clip(row.response_text)}{link}"
        )
    if len(exchanges) > limit:
        lines.append(f"_… {len(exchanges) - limit} more._")
    return "\n".join(lines)


def _clip(text: object, limit: int = 160) -> str:
    value = str(text or "").replace("\n", " ")
    value = value.replace("[", "\\[").replace("]", "\\]")
    return value if len(value) <= limit else value[: limit - 1] + "…"


@per_video_asset(
    group="dialogue",
    deps=[dialogue_turns, "utterance_features", "utterance_embeddings"],
    tables=[EXCHANGES],
)
def exchanges(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    validation: ValidationResource,
) -> StageOutput:
    """Every client turn directly answered by a counsellor turn: prompt, reply, up to k
    context turns, a deep link to the moment, video details, speakers and global speaker ids,
    the prompt's emotion and the reply's features. Monologues and panels give none."""
    store = storage.get_storage()
    video_id = context.partition_key
    turns = read_required(store, DIALOGUE_TURNS.name, video_id, "materialise dialogue_turns.")
    features = read_required(
        store, "utterance_features", video_id, "materialise utterance_features first."
    )
    embeddings = read_required(
        store, "utterance_embeddings", video_id, "materialise utterance_embeddings first."
    )
    video = video_row(store, video_id)
    frame = build_exchanges(turns, video, features, embeddings, validation.exchange_options())
    store.write_partition(EXCHANGES.name, video_id, frame)

    kind = str(turns["conversation_type"].iloc[0]) if len(turns) else "empty"
    with_features = (
        float(frame["response_empathy"].notna().mean()) if len(frame) else 0.0
    )
    return StageOutput(
        metadata={
            "exchanges": len(frame),
            "conversation_type": kind,
            "context_turns": validation.context_turns,
            "with_features_share": round(with_features, 3),
            "with_deep_link": int(frame["deep_link"].notna().sum()) if len(frame) else 0,
            "preview": dg.MetadataValue.md(
                exchanges_preview(frame)
                if len(frame) or kind == "two_party"
                else f"_no exchanges: the video is a {kind.replace('_', '-')} conversation_"
            ),
        }
    )
