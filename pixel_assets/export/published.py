"""What an export may hold, decided at export time whatever the tables hold.

- **pairs** are the kept rows of the last ``training_dataset``, minus any whose exchange a
  reviewer has since rejected, that carry crisis content without a standing approval, or whose
  context quotes a turn of a crisis exchange not approved now (a review decision applies to
  the export at once, before the pairs are re-materialised);
- **the DuckDB file** holds only :data:`PUBLISHED_TABLES`, without the columns listed there.
  Transcripts, words, turns, exchanges, the review queue and raw judge answers are left out:
  they hold the unscrubbed text the pairs scrub or withhold (a pending crisis disclosure among
  it), and voice prints identify people.

Both the ``dataset_export`` asset and ``pixel-voice export`` read the warehouse only through
:class:`PublishedWarehouse` (``cli.export_from_storage`` wraps any storage it is given).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pixel_assets.validation.review import review_state
from pixel_assets.warehouse.storage import Storage

PUBLISHED_TABLES: dict[str, tuple[str, ...]] = {
    # table -> columns left out of the export's DuckDB file
    "therapeutic_pairs": ("embedding",),
    "dataset_pairs": (),
    "dropped_pairs": (),
    # list_speaker holds the names the pairs redact; paths are this machine's.
    "videos": ("list_speaker", "audio_path", "source_audio_path", "list_file", "line_number"),
    "audio_qc": (),
    "segments": (),
    "utterance_features": ("text",),
    "speaker_profiles": ("voice_print_ref",),
    "exchange_scores": ("crisis_text", "judge_rationale", "judge_raw", "judge_error"),
    "global_speakers": ("voice_print", "name"),
    "speaker_links": (),
    "speaker_clusters": (),
    "cluster_descriptions": (),
    "speaker_consistency": (),
    "outliers": (),
    "drift_columns": (),
}


class PublishedWarehouse:
    """The storage as the export reads it: only :data:`PUBLISHED_TABLES` (without their
    left-out columns), and ``therapeutic_pairs`` under the review decisions standing now.

    Everything else (paths, uploads for a remote root) is the wrapped storage's.
    """

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self.source = storage  # the whole warehouse (for review counts, never exported)
        self.withheld_now: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._storage, name)

    def table_names(self) -> list[str]:
        return sorted(set(self._storage.table_names()) & set(PUBLISHED_TABLES))

    def read_table(self, table: str) -> pd.DataFrame:
        if table not in PUBLISHED_TABLES:
            raise KeyError(f"table {table!r} is not published in exports (PUBLISHED_TABLES)")
        frame = self._storage.read_table(table)
        frame = frame.drop(columns=list(PUBLISHED_TABLES[table]), errors="ignore")
        if table == "therapeutic_pairs" and len(frame):
            frame = self._released_now(frame)
        return frame

    def _released_now(self, pairs: pd.DataFrame) -> pd.DataFrame:
        store = self._storage
        decisions = store.read_table("review_decisions")
        queue = store.read_table("review_queue")
        # The same rule as the pairs stage (validation.review.review_state), on today's
        # decisions: a pair whose crisis flag is missing counts as crisis content.
        state = review_state(pairs["exchange_id"].astype(str), pairs["crisis"], decisions, queue)
        held = state["review_pending"] | state["review_rejected"]
        # Crisis exchanges not cleared now (queued, or decided on, whether or not they are
        # pairs): neither they nor a pair quoting one of their turns in its context may leave.
        known = pd.Series(sorted(_ids(queue) | _ids(decisions)), dtype=object)
        others = review_state(known, pd.Series(False, index=known.index), decisions, queue)
        not_released = set(known[others["review_pending"] | others["review_rejected"]])
        held |= pairs["exchange_id"].astype(str).isin(not_released)
        turns = self._held_turns(not_released, queue)
        if turns:
            held |= pd.Series([
                any((video, t.get("turn_index")) in turns for t in _turns(context))
                for video, context in zip(pairs["video_id"], pairs["context"], strict=True)
            ], index=pairs.index, dtype=bool)
        self.withheld_now = sorted(pairs.loc[held, "pair_id"].astype(str))
        return pairs[~held].reset_index(drop=True)

    def _held_turns(self, exchange_ids: set[str], queue: pd.DataFrame) -> set[tuple[str, int]]:
        """``(video_id, turn_index)`` of the prompt and response turns of ``exchange_ids``."""
        if not exchange_ids:
            return set()
        videos = set(queue.loc[queue["exchange_id"].astype(str).isin(exchange_ids), "video_id"])
        found: set[tuple[str, int]] = set()
        for video_id in sorted(map(str, videos)):
            exchanges = self._storage.read_partition("exchanges", video_id)
            if exchanges is None:
                continue
            mine = exchanges[exchanges["exchange_id"].astype(str).isin(exchange_ids)]
            for side in ("prompt_turn_index", "response_turn_index"):
                found |= {(video_id, int(i)) for i in mine[side].dropna()}
        return found


def _ids(frame: pd.DataFrame) -> set[str]:
    if not len(frame) or "exchange_id" not in frame.columns:
        return set()
    return set(frame["exchange_id"].dropna().astype(str))


def _turns(context: Any) -> list[dict[str, Any]]:
    if context is None or isinstance(context, float):
        return []
    return [dict(turn) for turn in list(context)]
