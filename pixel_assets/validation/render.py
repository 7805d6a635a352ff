"""The dialogue as markdown, with roles and each exchange's verdict (asset metadata)."""

from __future__ import annotations

import re

import pandas as pd

from pixel_assets.rules import render_reasons

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: object) -> str:
    """Escape markdown control characters in transcript text."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or ""))


def _clock(seconds: float) -> str:
    total = int(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def render_dialogue_markdown(
    turns: pd.DataFrame,
    exchanges: pd.DataFrame | None = None,
    scores: pd.DataFrame | None = None,
    max_turns: int = 200,
    released: pd.Series | None = None,
) -> str:
    """Markdown of the dialogue: one line per turn with role and time, and after each
    counsellor reply that forms an exchange, its verdict (scores, reasons, crisis).

    Args:
        turns: ``dialogue_turns`` of one video.
        exchanges: ``exchanges`` of the video (to place verdicts), optional.
        scores: ``exchange_scores`` of the video, optional.
        max_turns: Turns shown before the rest is summarised (metadata size).
        released: Optional ``exchange_id -> bool`` from the review decisions.
    """
    if turns.empty:
        return "_No turns (nothing was kept from the transcript)._"
    kind = str(turns["conversation_type"].iloc[0]) if "conversation_type" in turns else "?"
    lines = [f"**Conversation type:** {kind.replace('_', '-')}", ""]
    verdicts: dict[int, dict] = {}
    if exchanges is not None and scores is not None and not exchanges.empty and not scores.empty:
        merged = exchanges[["exchange_id", "response_turn_index"]].merge(scores, on="exchange_id")
        verdicts = {int(r["response_turn_index"]): r for r in merged.to_dict("records")}
    ordered = turns.sort_values("turn_index")
    for turn in ordered.head(max_turns).itertuples(index=False):
        role = str(turn.role).capitalize()
        who = f"{role} ({_md(turn.speaker)})" if turn.speaker is not None else role
        lines.append(f"**{who}** `{_clock(float(turn.start_s))}`: {_md(turn.text)}")
        lines.append("")
        verdict = verdicts.get(int(turn.turn_index))
        if verdict is None:
            continue
        mark = "PASS" if verdict["passed"] else "FAIL"
        parts = [
            f"> **{mark}** `{str(verdict['exchange_id'])[:8]}` overall "
            f"{_score(verdict.get('overall'))} (empathy {_score(verdict.get('empathy'))}, "
            f"appropriateness {_score(verdict.get('appropriateness'))}, authenticity "
            f"{_score(verdict.get('authenticity'))}, naturalness "
            f"{_score(verdict.get('naturalness'))})"
        ]
        reasons = verdict.get("reasons")
        if reasons is not None and len(reasons):
            parts.append(f"> reasons: {_md(render_reasons(list(reasons)))}")
        if verdict.get("crisis"):
            state = "pending review"
            if released is not None and bool(released.get(verdict["exchange_id"], False)):
                state = "approved"
            parts.append(f"> **CRISIS** ({_md(verdict.get('crisis_reason'))}): {state}")
        lines.extend([*parts, ""])
    if len(ordered) > max_turns:
        lines.append(f"_… {len(ordered) - max_turns} more turns not shown._")
    return "\n".join(lines).rstrip() + "\n"


def _score(value: object) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "n/a"
    return "n/a" if pd.isna(number) else f"{number:.2f}"
