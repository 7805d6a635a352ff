"""Validation asset: ``exchange_scores`` (offline scorer and/or LLM judge, GPU pool) with the
crisis ``review_queue``; a blocking check stops a video whose judge answers mostly failed.

Assets never write ``review_decisions``: it is written only by ``pixel-voice review`` and is
partitioned by exchange, so neither re-materialising a video nor a quality stop removes it.
"""

from __future__ import annotations

import dagster as dg
import pandas as pd

from pixel_assets.errors import MissingInputError
from pixel_assets.resources import StorageResource
from pixel_assets.resources.validation import JudgeResource, ValidationResource
from pixel_assets.rules import reason_counts
from pixel_assets.validation.render import render_dialogue_markdown
from pixel_assets.validation.review import build_review_queue, latest_decisions
from pixel_assets.validation.schemas import TABLES as VALIDATION_TABLES
from pixel_assets.validation.scoring import judge_failure_rate, pass_rate, score_exchanges
from pixel_assets.warehouse.storage import Storage
from pixel_assets.wiring import GateResult, QualityGate, StageOutput, per_video_asset

EXCHANGE_SCORES, REVIEW_QUEUE, REVIEW_DECISIONS = VALIDATION_TABLES
JUDGE_FAILURE_CHECK = "exchange_scores_judge_failure_rate"


def approvals(store: Storage, exchange_ids: pd.Series) -> pd.Series:
    """``exchange_id -> approved`` from the reviewers' latest decisions (read only)."""
    histories = [
        frame
        for exchange_id in exchange_ids.astype(str)
        if (frame := store.read_partition(REVIEW_DECISIONS.name, exchange_id)) is not None
    ]
    if not histories:
        return pd.Series(dtype=bool)
    latest = latest_decisions(pd.concat(histories, ignore_index=True))
    return latest["decision"] == "approve"


def _judge_errors(scores: pd.DataFrame, limit: int = 3) -> list[str]:
    if "judge_error" not in scores:
        return []
    errors = scores["judge_error"].dropna().astype(str)
    return list(dict.fromkeys(errors))[:limit]


@per_video_asset(
    group="validation",
    deps=["exchanges"],
    tables=[EXCHANGE_SCORES, REVIEW_QUEUE],
    gate=QualityGate(
        JUDGE_FAILURE_CHECK,
        "The share of exchanges the LLM judge failed to score is at most "
        "max_judge_failure_rate (passes when no judge runs).",
    ),
    # A local judge model uses the GPU: one judging step at a time across runs.
    pool="gpu",
)
def exchange_scores(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    validation: ValidationResource,
    judge: JudgeResource,
) -> StageOutput:
    """Each exchange scored for empathy, appropriateness, authenticity, naturalness and overall
    (offline scorer, LLM judge, or both), pass/fail with reasons, and crisis content flagged;
    crisis exchanges go to `review_queue` (pending until `pixel-voice review approve`)."""
    store = storage.get_storage()
    video_id = context.partition_key
    exchanges = store.read_partition("exchanges", video_id)
    if exchanges is None:
        raise MissingInputError(
            f"Video {video_id}: exchanges is missing; materialise exchanges first."
        )
    options = validation.scoring_options()
    if options.scorer == "offline":
        # The default never reaches a model service: the judge client is not even built.
        scores = score_exchanges(exchanges, options)
    else:
        with judge.get_client(store) as client:
            scores = score_exchanges(exchanges, options, judge=client)
    store.write_partition(EXCHANGE_SCORES.name, video_id, scores)
    queue = build_review_queue(exchanges, scores)
    if queue.empty:
        store.delete_partition(REVIEW_QUEUE.name, video_id)
    else:
        store.write_partition(REVIEW_QUEUE.name, video_id, queue)

    turns = store.read_partition("dialogue_turns", video_id)
    approved = approvals(store, queue["exchange_id"]) if len(queue) else None
    rate = pass_rate(scores)
    failure_rate = judge_failure_rate(scores)
    ceiling = validation.max_judge_failure_rate
    judge_ok = failure_rate is None or failure_rate <= ceiling
    answers = (
        scores["judge_ok"].dropna().astype(bool) if "judge_ok" in scores else pd.Series(dtype=bool)
    )
    judged, failed = len(answers), int((~answers).sum())
    errors = _judge_errors(scores)
    return StageOutput(
        metadata={
            "scorer": options.scorer,
            "rubric_version": ", ".join(sorted(set(scores["rubric_version"].astype(str))))
            if len(scores)
            else "n/a",
            "exchanges": len(scores),
            "passed": int(scores["passed"].astype(bool).sum()) if len(scores) else 0,
            "pass_rate": round(rate, 3) if rate is not None else "n/a",
            "crisis_count": int(scores["crisis"].astype(bool).sum()) if len(scores) else 0,
            "queued_for_review": len(queue),
            "judge_failure_rate": round(failure_rate, 3) if failure_rate is not None else "n/a",
            "reasons": dg.MetadataValue.json(
                reason_counts(scores["reasons"]) if len(scores) else {}
            ),
            "dialogue": dg.MetadataValue.md(
                render_dialogue_markdown(turns, exchanges, scores, released=approved)
                if turns is not None
                else "_dialogue_turns missing_"
            ),
        },
        gate=GateResult(
            passed=judge_ok,
            error_type="judge_failure_rate_high",
            message=(
                f"Video {video_id}: the LLM judge failed on {failed}/{judged} exchanges "
                f"(failure rate {failure_rate or 0.0:.2f} > max_judge_failure_rate "
                f"{ceiling:.2f}; e.g. {'; '.join(errors) or 'no error text'}); check the judge "
                "resource's base_url/model and the server, then materialise exchange_scores "
                "again (answers already given are cached)."
            ),
            metadata={
                "judge_failure_rate": round(failure_rate, 3) if failure_rate is not None else 0.0,
                "max_judge_failure_rate": ceiling,
                "judged": judged,
                "judge_failed": failed,
                "judge_errors": dg.MetadataValue.json(errors),
            },
        ),
    )
