"""Pairs as chat records: ``{"messages": [system, user, assistant, ...], "metadata": {...}}``.

This is the conversational format TRL's SFTTrainer, Axolotl (``type: chat_template``) and
OpenAI fine-tuning read. Context turns become earlier messages: client (and any third speaker)
as ``user``, counsellor as ``assistant``; consecutive turns of one role are joined so roles
alternate, and leading assistant turns are dropped, because many chat templates (Llama 2,
Mistral) reject a conversation that does not go user/assistant/user/... The prompt is the last
``user`` message and the counsellor's response the final ``assistant`` message.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

DEFAULT_SYSTEM_PROMPT = (
    "You are a supportive, empathic listener trained on counselling conversations. Reflect "
    "what the person says, ask open questions, and never diagnose. If someone may be at risk "
    "of harm, encourage them to contact local emergency services or a crisis line."
)
ROLE_OF = {"client": "user", "counsellor": "assistant", "other": "user"}
METADATA_FIELDS = (
    "pair_id", "split", "video_id", "source_url", "deep_link", "start_s", "end_s", "title",
    "channel", "upload_date", "license", "empathy", "appropriateness", "authenticity",
    "naturalness", "overall", "prompt_emotion", "mi_code", "crisis", "review_status",
    "client_global_speaker_id", "counsellor_global_speaker_id", "pii_redactions", "asr_model",
    "diarizer", "scorer", "rubric_version", "pipeline_version",
)


def plain(value: Any) -> Any:
    """A JSON-safe scalar: NaN/NA become null, numpy scalars become Python ones."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _context(value: Any) -> list[Mapping[str, Any]]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [dict(v) for v in list(value)]


def messages_for(pair: Mapping[str, Any], system_prompt: str | None) -> list[dict[str, str]]:
    """The chat messages of one pair (see the module docstring for the role rules)."""
    turns: list[tuple[str, str]] = []
    for turn in _context(pair.get("context")):
        text = str(turn.get("text") or "").strip()
        if text:
            turns.append((ROLE_OF.get(str(turn.get("role")), "user"), text))
    turns.append(("user", str(pair["prompt"]).strip()))
    turns.append(("assistant", str(pair["response"]).strip()))
    merged: list[list[str]] = []
    for role, text in turns:
        if merged and merged[-1][0] == role:
            merged[-1][1] += "\n" + text
        else:
            merged.append([role, text])
    while merged and merged[0][0] == "assistant":
        merged.pop(0)
    messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
    messages.extend({"role": role, "content": text} for role, text in merged)
    return messages


def chat_record(pair: Mapping[str, Any], system_prompt: str | None = DEFAULT_SYSTEM_PROMPT
                ) -> dict[str, Any]:
    """One JSONL record: messages plus the pair's provenance and scores."""
    return {
        "messages": messages_for(pair, system_prompt),
        "metadata": {name: plain(pair.get(name)) for name in METADATA_FIELDS},
    }


def chat_records(pairs: pd.DataFrame, system_prompt: str | None = DEFAULT_SYSTEM_PROMPT
                 ) -> list[dict[str, Any]]:
    """:func:`chat_record` for every row, with the metadata converted column-wise (fast)."""
    columns = {name: pairs[name] if name in pairs else pd.Series(None, index=pairs.index)
               for name in METADATA_FIELDS}
    # object dtype turns numpy scalars into Python ones; nulls become None.
    meta = pd.DataFrame(columns).astype(object)
    meta = meta.where(meta.notna(), None).to_dict("records")
    texts = pairs[["prompt", "response", "context"]].to_dict("records")
    return [
        {"messages": messages_for(text, system_prompt), "metadata": m}
        for text, m in zip(texts, meta, strict=True)
    ]


def jsonl_line(record: Mapping[str, Any]) -> str:
    """One record as a deterministic JSON line (UTF-8 text, fixed key order, no NaN)."""
    return json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n"
