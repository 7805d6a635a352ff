"""One video's therapeutic pairs: which exchanges are released, scrubbed, with provenance.

An exchange becomes a pair when it passed validation, is not waiting in or rejected by crisis
review, and (optionally) is not an outlier. The release decision goes through the rules engine,
so every withheld exchange carries machine-readable reasons (``validation_passed``,
``review_pending``, ``review_rejected``, ``context_review_pending``, ``not_outlier``). A crisis
exchange is released only by an ``approve`` decision, and a pair whose context repeats a turn of
a crisis exchange still held is held too. Whether review clears an exchange is decided by the
one rule in :func:`pixel_assets.validation.review.review_state` (the latest decision wins, so
an approval followed by a rejection withholds it again). All text (prompt, response, context
turns) is scrubbed before the frame is returned, so nothing unscrubbed reaches the stored table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pixel_assets.pairs.dedup import pair_texts
from pixel_assets.pairs.names import names_from_metadata
from pixel_assets.pairs.schemas import TherapeuticPairs
from pixel_assets.rules import Rule, RuleSet
from pixel_assets.validation.review import review_state

if TYPE_CHECKING:  # presidio (and through it torch) loads only where scrubbing runs
    from pixel_assets.pairs.pii import PiiScrubber, ScrubResult

OUTLIER_FLAG_COLUMNS = ("is_outlier", "outlier", "flagged")

Embedder = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class PairOptions:
    """What makes an exchange a training pair.

    Attributes:
        exclude_outliers: Withhold exchanges whose exchange or speaker is flagged in
            ``outliers`` (cross-video stage). Outliers are never deleted, only withheld here.
        min_overall: An extra bar on the scorer's ``overall`` on top of ``passed`` (None: off).
    """

    exclude_outliers: bool = False
    min_overall: float | None = None


@dataclass(frozen=True)
class Provenance:
    """Where a video's pairs came from, for each row and the dataset card.

    Attributes:
        asr_model: Speech recogniser (``filtered_transcripts.model``).
        diarizer: Diarization backend name.
        pipeline_version: Pixel Voice version; defaults to the installed package's version.
    """

    asr_model: str | None = None
    diarizer: str | None = None
    pipeline_version: str | None = None

    def version(self) -> str:
        if self.pipeline_version:
            return self.pipeline_version
        try:
            return metadata.version("pixel-voice")
        except metadata.PackageNotFoundError:
            return "unknown"


@dataclass
class PairSelection:
    """The outcome for one video.

    Attributes:
        pairs: ``therapeutic_pairs`` rows (validated against the table's model).
        withheld: Exchanges not released, with ``exchange_id`` and ``reasons``.
        pii_counts: Placeholder -> number of replacements across this video's pairs.
    """

    pairs: pd.DataFrame
    withheld: pd.DataFrame
    pii_counts: dict[str, int] = field(default_factory=dict)


def pair_id_for(exchange_id: str) -> str:
    """A pair's stable id: a hash of its exchange's (itself stable) id."""
    return hashlib.sha256(f"pair:{exchange_id}".encode()).hexdigest()[:20]


def release_rules(options: PairOptions) -> RuleSet:
    """The release conditions, in the order reasons are listed."""
    rules = [
        Rule("validation_passed", "validation_passed", "true"),
        Rule("min_overall", "overall", "ge", options.min_overall),
        Rule("review_pending", "review_pending", "false"),
        Rule("review_rejected", "review_rejected", "false"),
        Rule("context_review_pending", "context_review_pending", "false"),
    ]
    if options.exclude_outliers:
        rules.append(Rule("not_outlier", "is_outlier", "false"))
    return RuleSet.of(rules)


def release_status(
    exchanges: pd.DataFrame,
    scores: pd.DataFrame,
    review_queue: pd.DataFrame | None = None,
    review_decisions: pd.DataFrame | None = None,
    outliers: pd.DataFrame | None = None,
    options: PairOptions | None = None,
) -> pd.DataFrame:
    """Join exchanges with their scores and review state and apply :func:`release_rules`.

    Returns:
        The exchanges with score columns, ``validation_passed``, ``crisis``,
        ``review_status``, ``is_outlier``, and the rules engine's ``passed`` (= released) and
        ``reasons``.
        An exchange without a score row is withheld (``validation_passed`` fails).
    """
    options = options or PairOptions()
    score_columns = [
        c for c in ("exchange_id", "empathy", "appropriateness", "authenticity", "naturalness",
                    "overall", "passed", "crisis", "scorer", "rubric_version")
        if c in scores.columns
    ]
    if "exchange_id" not in score_columns or "passed" not in score_columns:
        raise KeyError(
            "exchange_scores needs 'exchange_id' and 'passed' columns; it has "
            f"{list(scores.columns)}."
        )
    frame = exchanges.merge(
        scores[score_columns].drop_duplicates("exchange_id", keep="last"),
        on="exchange_id", how="left", suffixes=("", "_score"),
    ).rename(columns={"passed": "validation_passed"})
    # No score row (or a null verdict) is not a pass.
    frame["validation_passed"] = _flag(frame["validation_passed"])
    review = review_state(frame["exchange_id"], frame.get("crisis"), review_decisions,
                          review_queue)
    frame["crisis"] = review["crisis"]
    frame["review_pending"] = review["review_pending"]
    frame["review_rejected"] = review["review_rejected"]
    frame["review_status"] = np.where(review["review_approved"], "approved", "not_required")
    frame["is_outlier"] = _outlier_flags(frame, outliers)
    frame["context_review_pending"] = _context_held(frame)
    return release_rules(options).apply(frame)


def _context_held(frame: pd.DataFrame) -> pd.Series:
    """True where an exchange's context repeats a turn of a crisis exchange not approved.

    The validation stage flags such exchanges itself; this is the safety net, so a held
    disclosure cannot leave through the next pair's context.
    """
    held = frame[frame["crisis"] & (frame["review_pending"] | frame["review_rejected"])]
    if held.empty or "context" not in frame.columns:
        return _flag(None, frame.index)
    turns, texts = set(), set()
    for row in held.to_dict("records"):
        for side in ("prompt", "response"):
            if row.get(f"{side}_turn_index") is not None:
                turns.add((row["video_id"], int(row[f"{side}_turn_index"])))
            texts.add((row["video_id"], str(row.get(f"{side}_text") or "").strip()))
    flags = []
    for video_id, context in zip(frame["video_id"], frame["context"], strict=True):
        hit = False
        for turn in _context_list(context):
            index = turn.get("turn_index")
            if (index is not None and (video_id, int(index)) in turns) or (
                    video_id, str(turn.get("text") or "").strip()) in texts:
                hit = True
                break
        flags.append(hit)
    return pd.Series(flags, index=frame.index, dtype=bool)


def _flag(values: pd.Series | None, index: pd.Index | None = None) -> pd.Series:
    """A boolean column with nulls as False."""
    if values is None:
        return pd.Series(False, index=index)
    return values.astype("boolean").fillna(False).astype(bool)


def _outlier_flags(frame: pd.DataFrame, outliers: pd.DataFrame | None) -> pd.Series:
    """True where the exchange, or its prompt or response speaker, is a flagged outlier."""
    flags = _flag(None, frame.index)
    if outliers is None or outliers.empty:
        return flags
    flag_column = next((c for c in OUTLIER_FLAG_COLUMNS if c in outliers.columns), None)
    flagged = outliers if flag_column is None else outliers[_flag(outliers[flag_column])]
    if "exchange_id" in flagged.columns:
        flags |= frame["exchange_id"].isin(flagged["exchange_id"].dropna())
    if "speaker" in flagged.columns:
        speaker_rows = flagged
        if "level" in flagged.columns:
            speaker_rows = flagged[flagged["level"].astype(str).eq("speaker")]
        speakers = set(speaker_rows["speaker"].dropna())
        for column in ("prompt_speaker", "response_speaker"):
            if column in frame.columns:
                flags |= frame[column].isin(speakers)
    return flags


def _fill_global_ids(frame: pd.DataFrame, speaker_links: pd.DataFrame | None) -> pd.DataFrame:
    for column in ("prompt_global_speaker_id", "response_global_speaker_id"):
        if column not in frame.columns:
            frame[column] = None
    if speaker_links is None or speaker_links.empty:
        return frame
    links = speaker_links.drop_duplicates(["video_id", "speaker"]).set_index(
        ["video_id", "speaker"])["global_speaker_id"]
    for side in ("prompt", "response"):
        keys = pd.MultiIndex.from_arrays([frame["video_id"], frame[f"{side}_speaker"]])
        mapped = pd.Series(links.reindex(keys).to_numpy(), index=frame.index)
        column = f"{side}_global_speaker_id"
        frame[column] = frame[column].where(frame[column].notna(), mapped)
    return frame


class _CachedScrubber:
    """Context turns repeat across a video's pairs: scrub each distinct text once."""

    def __init__(
        self, scrubber: PiiScrubber, names: Sequence[str], found_names: Sequence[str] = ()
    ) -> None:
        self.scrubber, self.names, self.found = scrubber, list(names), list(found_names)
        self.cache: dict[str, ScrubResult] = {}

    def __call__(self, text: Any) -> ScrubResult:
        text = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
        if text not in self.cache:
            self.cache[text] = self.scrubber.scrub(text, self.names, self.found)
        return self.cache[text]


def _video_texts(exchanges: pd.DataFrame) -> list[str]:
    """Every text of a video's exchanges (prompts, replies, context turns), released or not:
    a name told in a withheld exchange is still redacted where a released one says it."""
    texts: list[str] = []
    for column in ("prompt_text", "response_text"):
        if column in exchanges.columns:
            texts.extend(t for t in exchanges[column] if isinstance(t, str))
    if "context" in exchanges.columns:
        for value in exchanges["context"]:
            texts.extend(t.get("text") for t in _context_list(value)
                         if isinstance(t.get("text"), str))
    return texts


def _context_list(value: Any) -> list[dict[str, Any]]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [dict(item) for item in list(value)]


def select_pairs(
    exchanges: pd.DataFrame,
    scores: pd.DataFrame,
    scrubber: PiiScrubber,
    *,
    review_queue: pd.DataFrame | None = None,
    review_decisions: pd.DataFrame | None = None,
    outliers: pd.DataFrame | None = None,
    speaker_links: pd.DataFrame | None = None,
    video: Mapping[str, Any] | None = None,
    extra_names: Sequence[str] = (),
    provenance: Provenance | None = None,
    options: PairOptions | None = None,
    embed: Embedder | None = None,
    splits: Mapping[str, str] | None = None,
) -> PairSelection:
    """Build one video's ``therapeutic_pairs``.

    Args:
        exchanges: The video's ``exchanges`` rows.
        scores: Its ``exchange_scores`` rows (``passed``, scores, ``crisis``, scorer...).
        scrubber: The process's :class:`PiiScrubber` (from the pairs resource).
        review_queue: ``review_queue`` rows (any videos); a queued exchange is a crisis one.
        review_decisions: ``review_decisions`` rows; the latest per exchange counts.
        outliers: The video's ``outliers`` rows (used when ``options.exclude_outliers``).
        speaker_links: ``speaker_links`` rows, filling global speaker ids the exchanges lack.
        video: The video's ``videos`` row (source URL, licence, names to redact).
        extra_names: More names to redact (e.g. ``global_speakers.name`` of its speakers).
        provenance: ASR model, diarizer and pipeline version for every row.
        options: Release options.
        embed: Text embedder (all-MiniLM-L6-v2 by default in the resource); None leaves
            ``embedding`` null, and the dataset then deduplicates these pairs by text only.
        splits: ``pair_id -> split`` already assigned by ``training_dataset`` (optional).

    Returns:
        The pairs (scrubbed, validated against ``TherapeuticPairs``) and the withheld exchanges.
    """
    provenance = provenance or Provenance()
    video = dict(video or {})
    judged = release_status(exchanges, scores, review_queue, review_decisions, outliers, options)
    withheld = judged.loc[~judged["passed"], ["exchange_id", "video_id", "reasons"]].reset_index(
        drop=True)
    released = _fill_global_ids(judged[judged["passed"]].reset_index(drop=True), speaker_links)
    names = names_from_metadata(video, extra_names)
    scrub = _CachedScrubber(scrubber, names, scrubber.names_in(_video_texts(exchanges)))

    rows: list[dict[str, Any]] = []
    pii_counts: dict[str, int] = {}
    for record in released.to_dict("records"):
        prompt, response = scrub(record.get("prompt_text")), scrub(record.get("response_text"))
        context, entities = [], [*prompt.entities, *response.entities]
        for turn in _context_list(record.get("context")):
            scrubbed = scrub(turn.get("text"))
            entities.extend(scrubbed.entities)
            context.append({
                "turn_index": turn.get("turn_index"), "speaker": turn.get("speaker"),
                "role": turn.get("role"), "text": scrubbed.text,
            })
        for entity in entities:
            pii_counts[entity] = pii_counts.get(entity, 0) + 1
        pair_id = pair_id_for(record["exchange_id"])
        rows.append({
            "video_id": record["video_id"],
            "pair_id": pair_id,
            "exchange_id": record["exchange_id"],
            "prompt": prompt.text,
            "response": response.text,
            "context": context,
            **{k: _num(record.get(k)) for k in
               ("empathy", "appropriateness", "authenticity", "naturalness", "overall")},
            "crisis": bool(record["crisis"]),
            "review_status": record["review_status"],
            "prompt_emotion": record.get("prompt_emotion"),
            "mi_code": record.get("response_mi_code", record.get("mi_code")),
            "source_url": video.get("webpage_url") or video.get("source_url"),
            "deep_link": record.get("deep_link"),
            "start_s": float(record.get("prompt_start_s", record.get("response_start_s"))),
            "end_s": float(record["response_end_s"]),
            "response_start_s": float(record["response_start_s"]),
            "title": record.get("title") or video.get("title"),
            "channel": record.get("channel") or video.get("channel"),
            "upload_date": record.get("upload_date") or video.get("upload_date"),
            "license": video.get("license"),
            "asr_model": provenance.asr_model,
            "diarizer": provenance.diarizer,
            "scorer": record.get("scorer"),
            "rubric_version": record.get("rubric_version"),
            "pipeline_version": provenance.version(),
            "prompt_speaker": record.get("prompt_speaker"),
            "response_speaker": record.get("response_speaker"),
            "client_global_speaker_id": record.get("prompt_global_speaker_id"),
            "counsellor_global_speaker_id": record.get("response_global_speaker_id"),
            "split": (splits or {}).get(pair_id),
            "pii_redactions": len(entities),
            "pii_entities": sorted(entities),
        })
    pairs = pd.DataFrame(rows, columns=[c for c in TherapeuticPairs.to_schema().columns
                                        if c != "embedding"])
    pairs = pairs.sort_values("pair_id", kind="stable").reset_index(drop=True)
    if embed is not None and len(pairs):
        vectors = np.asarray(embed(pair_texts(pairs)), dtype=np.float32)
        pairs["embedding"] = list(vectors)
    else:
        pairs["embedding"] = None
    pairs = pairs.astype({"prompt_emotion": object, "mi_code": object, "split": object})
    pairs = TherapeuticPairs.validate(pairs)
    return PairSelection(pairs, withheld, dict(sorted(pii_counts.items())))


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number
