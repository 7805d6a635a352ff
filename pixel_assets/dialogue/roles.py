"""Counselling roles (counsellor / client / other) and the conversation type of a video.

No labels are needed: each speaker gets a *counsellor score* from cues that separate the two
roles in real sessions, and in a two-party conversation the higher score is the counsellor.
Cues are read from the speaker's turns (see :mod:`.markers`), and taken from
``speaker_profiles`` instead where that table measured them (``question_rate``,
``open_question_rate``, ``reflection_rate``, ``empathy_mean``/``mean_empathy``, ``talk_share``):

=======================  ======  ==========================================================
cue                      weight  why
=======================  ======  ==========================================================
question_rate            +1.0    counsellors ask; clients answer
open_question_rate       +0.5    open questions are the counsellor's main tool
reflection_rate          +1.5    "it sounds like you…" is counsellor talk, rarely client talk
empathy (0..1)           +2.0    EPITOME-style markers (emotional reaction, interpretation…)
second_person_share-0.5  +1.0    counsellors say "you", clients say "I/my"
opens the conversation   +0.25   the counsellor usually opens a session (weak: intros vary)
talk_share-0.5           -0.5    clients usually talk more (weak: some counsellors lecture)
=======================  ======  ==========================================================

``role_confidence`` is ``0.5 + 0.5·tanh(score margin)`` between the two participants.

**Conversation type**: speakers with at least ``min_talk_share`` of the talk time are the
participants; one participant is a ``monologue``, two a ``two_party`` conversation, three or more
a ``panel``. Monologues and panels get role ``other`` for everyone and no exchanges. Speakers
below the share (a misdiarised cough, a short greeting by a third voice) are ``other``.

**Overrides**, strongest first: the video list's ``roles`` metadata (:func:`parse_role_spec`,
``role_source = metadata``), then an LLM judge's answer (``judge``), then the heuristic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from pixel_assets.dialogue.markers import text_markers

WEIGHTS: dict[str, float] = {
    "question_rate": 1.0,
    "open_question_rate": 0.5,
    "reflection_rate": 1.5,
    "empathy": 2.0,
    "second_person_share": 1.0,
    "opens": 0.25,
    "talk_share": -0.5,
}
# Cues centred before weighting, so a neutral value adds nothing.
_CENTRES = {"second_person_share": 0.5, "talk_share": 0.5}
# speaker_profiles column names accepted for each cue (first present, non-null wins).
PROFILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "question_rate": ("question_rate",),
    "open_question_rate": ("open_question_rate",),
    "reflection_rate": ("reflection_rate",),
    "empathy": ("empathy_mean", "mean_empathy", "empathy"),
    "talk_share": ("talk_share",),
}
_ROLE_ALIASES = {
    "counsellor": "counsellor",
    "counselor": "counsellor",
    "therapist": "counsellor",
    "interviewer": "counsellor",
    "client": "client",
    "patient": "client",
    "other": "other",
}
_TYPE_ALIASES = {
    "two_party": "two_party",
    "two-party": "two_party",
    "dialogue": "two_party",
    "monologue": "monologue",
    "panel": "panel",
}
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3}


@dataclass(frozen=True)
class RoleOptions:
    """Role inference settings.

    Attributes:
        min_talk_share: A speaker with less of the talk time is not a participant (role
            ``other``, not counted for the conversation type).
    """

    min_talk_share: float = 0.1


@dataclass(frozen=True)
class RoleSpec:
    """Roles stated in the video list (``roles`` column).

    Attributes:
        assignments: ``(role, selector)`` pairs; a selector is ``first``/``second``/``third``
            (order of first speaking), ``last``, ``most``/``least`` (talk time), or a speaker
            label or global speaker id.
        conversation_type: ``two_party``/``monologue``/``panel`` when the list states it.
    """

    assignments: tuple[tuple[str, str], ...] = ()
    conversation_type: str | None = None


@dataclass
class RoleReport:
    """How roles were decided for one video (for asset metadata)."""

    conversation_type: str
    participants: list[str]
    counsellor: str | None
    client: str | None
    cues: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: dict[str, str] = field(default_factory=dict)


def parse_role_spec(spec: str | None) -> RoleSpec | None:
    """Parse a list's ``roles`` value, e.g. ``counsellor=first`` or
    ``therapist=SPEAKER_01; client=SPEAKER_00`` or ``type=monologue``.

    Entries are separated by ``;`` or ``,``; a bare ``monologue``/``panel``/``two_party`` sets
    the conversation type. Empty → None.

    Raises:
        ValueError: naming the entry and the accepted forms.
    """
    if spec is None or not str(spec).strip():
        return None
    assignments: list[tuple[str, str]] = []
    conversation_type = None
    for entry in re.split(r"[;,]", str(spec)):
        entry = entry.strip()
        if not entry:
            continue
        key, sep, value = (part.strip() for part in entry.partition("="))
        if not sep and key.lower() in _TYPE_ALIASES:
            conversation_type = _TYPE_ALIASES[key.lower()]
        elif sep and key.lower() in ("type", "conversation", "conversation_type"):
            if value.lower() not in _TYPE_ALIASES:
                raise ValueError(
                    f"roles {spec!r}: unknown conversation type {value!r}; use one of "
                    f"{sorted(set(_TYPE_ALIASES.values()))}."
                )
            conversation_type = _TYPE_ALIASES[value.lower()]
        elif sep and key.lower() in _ROLE_ALIASES and value:
            assignments.append((_ROLE_ALIASES[key.lower()], value))
        else:
            raise ValueError(
                f"roles {spec!r}: cannot read {entry!r}; write role=speaker entries such as "
                "'counsellor=first', 'client=SPEAKER_01' or 'type=monologue' (roles: "
                "counsellor/therapist, client/patient, other; speakers: first, second, last, "
                "most, least, a speaker label or a global speaker id)."
            )
    return RoleSpec(tuple(assignments), conversation_type)


def speaker_cues(
    turns: pd.DataFrame, profiles: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per-speaker cues and counsellor score (one row per speaker, in order of first turn).

    Args:
        turns: ``dialogue_turns`` rows of one video (``speaker``, ``start_s``, ``end_s``,
            ``text``, ``turn_index``).
        profiles: Optional ``speaker_profiles`` rows; their measured cues replace the ones
            read from the turns.
    """
    known = turns[turns["speaker"].notna()].sort_values("turn_index")
    if known.empty:
        return pd.DataFrame(columns=["speaker", *WEIGHTS, "score"])
    duration = (known["end_s"] - known["start_s"]).clip(lower=0)
    total = float(duration.sum()) or 1.0
    first_speaker = known["speaker"].iloc[0]
    rows = []
    for speaker, group in known.groupby("speaker", sort=False):
        marks = [text_markers(t) for t in group["text"]]
        first = sum(m.first_person for m in marks)
        second = sum(m.second_person for m in marks)
        n = max(len(marks), 1)
        rows.append(
            {
                "speaker": speaker,
                "n_turns": len(marks),
                "talk_s": float(duration[group.index].sum()),
                "question_rate": sum(m.is_question for m in marks) / n,
                "open_question_rate": sum(m.is_open_question for m in marks) / n,
                "reflection_rate": sum(m.is_reflection for m in marks) / n,
                "empathy": sum(m.empathy for m in marks) / n,
                "second_person_share": second / (first + second) if first + second else 0.5,
                "opens": 1.0 if speaker == first_speaker else 0.0,
                "talk_share": float(duration[group.index].sum()) / total,
            }
        )
    cues = pd.DataFrame(rows)
    if profiles is not None and not profiles.empty and "speaker" in profiles:
        by_speaker = profiles.drop_duplicates("speaker").set_index("speaker")
        for cue, names in PROFILE_COLUMNS.items():
            name = next((c for c in names if c in by_speaker.columns), None)
            if name is None:
                continue
            measured = pd.to_numeric(cues["speaker"].map(by_speaker[name]), errors="coerce")
            cues[cue] = measured.where(measured.notna(), cues[cue])
    cues["score"] = sum(
        weight * (cues[cue] - _CENTRES.get(cue, 0.0)) for cue, weight in WEIGHTS.items()
    )
    return cues


def _select(selector: str, cues: pd.DataFrame, ids: Mapping[str, str], spec: str) -> str:
    order = list(cues["speaker"])
    key = selector.strip().lower()
    if key in _ORDINALS and _ORDINALS[key] < len(order):
        return order[_ORDINALS[key]]
    if key == "last" and order:
        return order[-1]
    if key in ("most", "least") and order:
        ranked = cues.sort_values("talk_s", ascending=(key == "least"), kind="stable")
        return str(ranked["speaker"].iloc[0])
    for speaker in order:
        if selector.strip() in (speaker, ids.get(speaker)):
            return speaker
    raise ValueError(
        f"roles {spec!r}: speaker {selector!r} is not in this video (speakers in order of "
        f"first speaking: {order}, global ids: {[ids.get(s) for s in order]}); fix the video "
        "list's roles column."
    )


def assign_roles(
    turns: pd.DataFrame,
    profiles: pd.DataFrame | None = None,
    spec: RoleSpec | str | None = None,
    judge_roles: Mapping[str, str] | None = None,
    options: RoleOptions | None = None,
) -> tuple[pd.DataFrame, RoleReport]:
    """Give every turn a role, confidence and source, and label the conversation type.

    Args:
        turns: Output of :func:`pixel_assets.dialogue.turns.build_turns` for one video.
        profiles: Optional ``speaker_profiles`` rows of the video.
        spec: The video list's ``roles`` value (string or parsed), strongest override.
        judge_roles: ``speaker -> role`` from an LLM judge, used unless the list says.
        options: Participation threshold.

    Returns:
        ``(turns with role, role_confidence, role_source, conversation_type; report)``.
    """
    options = options or RoleOptions()
    parsed = parse_role_spec(spec) if isinstance(spec, str) or spec is None else spec
    spec_text = spec if isinstance(spec, str) else repr(parsed)
    cues = speaker_cues(turns, profiles)
    ids: dict[str, str] = {}
    if "global_speaker_id" in turns:
        for speaker, gid in zip(turns["speaker"], turns["global_speaker_id"], strict=True):
            if speaker is not None and isinstance(gid, str):
                ids.setdefault(speaker, gid)
    participants = [
        str(s) for s, share in zip(cues["speaker"], cues["talk_share"], strict=True)
        if share >= options.min_talk_share
    ]
    detected = {0: "empty", 1: "monologue", 2: "two_party"}.get(len(participants), "panel")

    roles: dict[str, str] = {str(s): "other" for s in cues["speaker"]}
    confidence: dict[str, float] = {s: 1.0 for s in roles}
    sources: dict[str, str] = {s: "conversation_type" for s in roles}
    named: dict[str, str] = {}
    if parsed is not None:
        for role, selector in parsed.assignments:
            named[_select(selector, cues, ids, str(spec_text))] = role
    stated = parsed.conversation_type if parsed is not None else None
    conversation_type = stated or detected
    if conversation_type == "two_party" and len(participants) < 2:
        # The list says two people talk, but one of them spoke less than min_talk_share.
        ranked = cues.sort_values("talk_s", ascending=False, kind="stable")
        participants = [str(s) for s in ranked["speaker"].head(2)]
        if len(participants) < 2:
            conversation_type = "monologue" if participants else "empty"
    named_pair = {"counsellor", "client"} <= set(named.values())
    if conversation_type == "panel" and named_pair:
        # The list names who counsels whom inside a panel: pair those two.
        conversation_type = "two_party"
        participants = [s for s, r in named.items() if r in ("counsellor", "client")]

    if conversation_type == "two_party" and len(participants) >= 2:
        pair = cues[cues["speaker"].isin(participants)].sort_values("score", ascending=False)
        top, second = str(pair["speaker"].iloc[0]), str(pair["speaker"].iloc[1])
        margin = float(pair["score"].iloc[0] - pair["score"].iloc[1])
        for speaker in roles:
            sources[speaker] = "heuristic"
        roles[top], roles[second] = "counsellor", "client"
        confidence[top] = confidence[second] = 0.5 + 0.5 * math.tanh(margin)
        for source, override, conf in (
            ("judge", dict(judge_roles or {}), 0.9),
            ("metadata", named, 1.0),
        ):
            override = {s: r for s, r in override.items() if s in roles}
            if not override:
                continue
            for speaker, role in override.items():
                if role not in ("counsellor", "client", "other"):
                    raise ValueError(
                        f"{source} role {role!r} for speaker {speaker!r} is not one of "
                        "counsellor/client/other."
                    )
                roles[speaker], confidence[speaker], sources[speaker] = role, conf, source
            # Naming one side of a two-party conversation decides the other side too.
            given = set(override.values())
            for one, other in (("counsellor", "client"), ("client", "counsellor")):
                if one in given and other not in given:
                    for speaker in (top, second):
                        if speaker not in override:
                            roles[speaker], confidence[speaker] = other, conf
                            sources[speaker] = source
    elif parsed is not None and parsed.conversation_type:
        sources = {s: "metadata" for s in roles}

    out = turns.copy()
    speaker_key = out["speaker"].astype(object)
    out["role"] = [roles.get(s, "other") if s is not None else "other" for s in speaker_key]
    out["role_confidence"] = [
        confidence.get(s, 1.0) if s is not None else 1.0 for s in speaker_key
    ]
    out["role_source"] = [
        sources.get(s, "conversation_type") if s is not None else "conversation_type"
        for s in speaker_key
    ]
    out["conversation_type"] = conversation_type
    cues = cues.assign(
        role=cues["speaker"].map(roles), source=cues["speaker"].map(sources)
    )
    report = RoleReport(
        conversation_type=conversation_type,
        participants=participants,
        counsellor=next((s for s, r in roles.items() if r == "counsellor"), None),
        client=next((s for s, r in roles.items() if r == "client"), None),
        cues=cues,
        sources=sources,
    )
    return out, report
