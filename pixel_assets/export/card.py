"""The export's ``README.md``: a dataset card following the Hugging Face template.

YAML front matter (language, licence, task, ``configs`` naming the split files, so
``datasets.load_dataset(<export dir>)`` finds them; an empty split has no file and is left out
of ``configs``, since ``datasets`` cannot load an empty JSON file or a split with no data), then
the template's sections: summary, structure and counts (empty splits and why), sources with
URLs and licences, processing with thresholds and model versions, validation and crisis review,
personal information, biases and limitations, uses.
Nothing time-dependent is written, so the same data gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pixel_assets.pairs.schemas import SPLITS


@dataclass
class CardInfo:
    """What the card reports beyond the pairs themselves.

    Attributes:
        pretty_name: The dataset's display name.
        processing: Step name -> its settings (thresholds, model names and versions), e.g.
            ``{"transcription": {"model": "tiny.en", "min_avg_logprob": -1.0}}``.
        dataset: ``DatasetResult.metadata`` (dedup, balance, split figures).
        review: Crisis review figures, e.g. ``{"flagged": 4, "approved": 1, "pending": 3}``.
        pii_counts: Placeholder -> replacements in the exported pairs.
    """

    pretty_name: str = "Pixel Voice therapeutic dialogue pairs"
    processing: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    dataset: Mapping[str, Any] = field(default_factory=dict)
    review: Mapping[str, Any] = field(default_factory=dict)
    pii_counts: Mapping[str, int] = field(default_factory=dict)


def _size_category(n: int) -> str:
    for bound, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M")):
        if n < bound:
            return label
    return "1M<n<10M"


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _values(pairs: pd.DataFrame, column: str) -> str:
    if column not in pairs.columns:
        return "not recorded"
    values = sorted({str(v) for v in pairs[column].dropna()})
    return ", ".join(f"`{v}`" for v in values) if values else "not recorded"


def empty_split_reasons(
    split_counts: Mapping[str, int], dataset: Mapping[str, Any]
) -> dict[str, str]:
    """Why each split without exported pairs is empty (split -> reason; {} when none is).

    Args:
        split_counts: Exported pairs per split.
        dataset: The last ``training_dataset`` build's metadata (``split_targets``,
            ``split_counts``, ``split_groups``, ``kept``), possibly empty.
    """
    targets = dict(dataset.get("split_targets") or {})
    built = dict(dataset.get("split_counts") or {})
    groups, kept = dataset.get("split_groups"), dataset.get("kept")
    reasons: dict[str, str] = {}
    for split in SPLITS:
        if int(split_counts.get(split, 0)):
            continue
        if split in targets and not targets[split]:
            reasons[split] = "its configured share of the pairs is 0"
        elif int(built.get(split, 0)):
            reasons[split] = (
                f"its {int(built[split])} pair(s) in the last training_dataset are not released "
                "now (a crisis review decision since, or their videos' pairs changed); "
                "materialise therapeutic_pairs and training_dataset again"
            )
        elif groups is not None:
            reasons[split] = (
                f"too few pairs to hold it out: the {kept} kept pair(s) form {groups} speaker "
                "group(s), each placed whole in one split so that no speaker is in two splits, "
                "and none was left for this one"
            )
        else:
            reasons[split] = "no exported pair was assigned to it"
    return reasons


def render_card(
    pairs: pd.DataFrame,
    split_counts: Mapping[str, int],
    info: CardInfo,
    split_files: Sequence[str] | None = None,
) -> str:
    """The dataset card for ``pairs`` (the exported rows, with ``split``).

    Args:
        pairs: The exported rows, with ``split``.
        split_counts: Pairs per split.
        info: Facts beyond the pairs.
        split_files: The per-split files written (``configs`` names only these); default:
            ``<split>.jsonl`` of every non-empty split.
    """
    total = int(sum(split_counts.values()))
    empty = empty_split_reasons(split_counts, info.dataset)
    if split_files is None:
        split_files = [f"{s}.jsonl" for s in SPLITS if s not in empty]
    configs = [s for s in SPLITS if f"{s}.jsonl" in split_files]
    lines = [
        "---",
        "language:",
        "- en",
        "license: other",
        "license_name: mixed-source-licences",
        "task_categories:",
        "- text-generation",
        "tags:",
        "- counselling",
        "- mental-health",
        "- dialogue",
        "- speech-transcripts",
        f"pretty_name: {info.pretty_name}",
        "size_categories:",
        f"- {_size_category(total)}",
    ]
    if configs:
        lines += ["configs:", "- config_name: default", "  data_files:"]
    for split in configs:
        lines += [f"  - split: {split}", f"    path: {split}.jsonl"]
    lines += ["---", "", f"# Dataset Card for {info.pretty_name}", ""]

    lines += [
        "## Dataset Summary", "",
        "Client/counsellor exchanges transcribed from public videos of counselling sessions and "
        "role-plays, validated for empathy and appropriateness, reviewed for crisis content, "
        "and scrubbed of personal information. Each record is a chat conversation whose last "
        f"message is the counsellor's reply. {total} pairs from "
        f"{pairs['video_id'].nunique() if 'video_id' in pairs else 0} videos.", "",
        "## Dataset Structure", "",
        "| split | pairs |", "| --- | --- |",
        *[f"| {s} | {int(split_counts.get(s, 0))} |" for s in SPLITS],
        f"| total | {total} |", "",
        *[f"The `{s}` split is empty, so no `{s}.jsonl` is written and `configs` does not name "
          f"it: {reason}." for s, reason in empty.items()],
        *([""] if empty else []),
        "Files: "
        + (", ".join(f"`{name}`" for name in split_files) + " (chat format: `messages` with "
           "`system`, `user`, `assistant` roles, earlier turns as earlier messages, plus "
           "`metadata`), " if split_files else "")
        + "`pairs.csv` and `pairs.parquet` (one row per pair, every split), "
        "`pixel_voice.duckdb` (`pairs` and the publishable warehouse tables: no transcripts, "
        "no voice prints), `manifest.json` (checksums, row counts, empty splits and why).", "",
        "Splits are grouped by speaker: the connected components of the client/counsellor "
        "graph (cross-video `global_speaker_id`s) are assigned whole, so no speaker appears in "
        "two splits, and a pair keeps its split when new videos arrive unless its group "
        "changes.", "",
    ]

    lines += ["## Source Data", "", "| video | title | channel | URL | licence |",
              "| --- | --- | --- | --- | --- |"]
    if len(pairs):
        columns = [c for c in ("video_id", "title", "channel", "source_url", "license")
                   if c in pairs.columns]
        sources = pairs[columns].drop_duplicates("video_id").sort_values("video_id")
        for row in sources.to_dict("records"):
            cells = [str(row.get(c) if row.get(c) is not None else "not stated")
                     .replace("|", "\\|") for c in ("video_id", "title", "channel",
                                                     "source_url", "license")]
            lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "", "A video's licence is as its source states it (`not stated` when the platform gives "
        "none): check it before redistributing text derived from that video.", "",
        "## Processing", "",
        f"- Speech recognition: {_values(pairs, 'asr_model')}; diarization: "
        f"{_values(pairs, 'diarizer')}; scorer: {_values(pairs, 'scorer')} (rubric "
        f"{_values(pairs, 'rubric_version')}); pipeline version "
        f"{_values(pairs, 'pipeline_version')}.",
    ]
    for step in sorted(info.processing):
        settings = info.processing[step]
        rendered = ", ".join(f"`{k}` = {_value(settings[k])}" for k in sorted(settings))
        lines.append(f"- {step}: {rendered or 'defaults'}")
    dedup = dict(info.dataset.get("dedup", {}))
    if dedup:
        lines.append(
            f"- Deduplication: exact (normalised text) and near-duplicate (embedding cosine >= "
            f"{dedup.get('near_duplicate_cosine')}, {dedup.get('neighbour_search')} search); "
            f"{dedup.get('exact_duplicates', 0)} exact and {dedup.get('near_duplicates', 0)} "
            "near duplicates dropped, the best-scored copy kept."
        )
    caps = info.dataset.get("balance_caps")
    if caps:
        lines.append(f"- Balance caps: {_value(dict(caps))}; "
                     f"{info.dataset.get('balance_dropped', 0)} pairs dropped.")
    lines += [
        "- Emotion features use the NRC Emotion Lexicon, whose licence permits research use "
        "only: commercial use of those features needs a licence from the NRC.", "",
        "## Validation and Crisis Review", "",
        "Every exchange is scored for empathy, appropriateness, authenticity and naturalness "
        "(0-1) by the configured scorer; only exchanges that pass every rule become pairs. A "
        "detector for suicidal ideation, self-harm, harm to others and abuse disclosure sends "
        "matching exchanges to a review queue; they are exported only after a person approves "
        "them (`pixel-voice review approve ID`), and never while pending or after rejection.",
    ]
    if info.review:
        lines.append(f"Review figures: {_value(dict(info.review))}.")
    crisis = int(pairs["crisis"].fillna(False).astype(bool).sum()) if "crisis" in pairs else 0
    lines += [f"Approved crisis exchanges in this export: {crisis}.", "",
              "## Personal and Sensitive Information", "",
              "Text is scrubbed before it is stored: phone numbers (including digits as speech "
              "recognition writes them, e.g. \"555, 123 ,567\" or spoken digits), card, account "
              "and ID numbers, social media handles, e-mail "
              "addresses (also spelled out, \"jane dot doe at example dot com\"), URLs, street "
              "addresses, named streets, schools and hospitals, towns and cities after a "
              "place word (\"I grew up in Croydon\"; GeoNames, CC BY 4.0), dates of birth, "
              "and person names from the video and list metadata, capitalised given names, or "
              "names after a title, a "
              "relation (\"my daughter Emily\"), a greeting (\"Hi Sophie\") or in an "
              "introduction, wherever the video says them "
              "again, are replaced by `[PHONE]`, `[NUMBER]`, `[EMAIL]`, `[URL]`, `[HANDLE]`, "
              "`[ADDRESS]`, `[PLACE]`, `[DOB]`, `[NAME]`. "
              "Each pair's `pii_redactions` counts its replacements. Pattern-based scrubbing "
              "misses names nobody listed and unusual phrasings; the content is still about "
              "mental health and must be handled as sensitive."]
    if info.pii_counts:
        lines.append("Replacements in this export: "
                     + ", ".join(f"{k} {v}" for k, v in sorted(info.pii_counts.items())) + ".")
    lines += [
        "", "## Bias, Risks, and Limitations", "",
        "- Sources are public videos, many of them role-plays and demonstrations by trainers, "
        "not real sessions; styles follow the channels that publish most, within the balance "
        "caps.",
        "- English only; transcripts come from automatic speech recognition and contain its "
        "errors; speaker roles are inferred and can be wrong.",
        "- Scores come from automatic scorers and encode their rubric's view of good practice.",
        "- Counsellor demographics, modalities and cultures are not balanced or recorded.", "",
        "## Uses", "",
        "### Direct Use", "",
        "Research on and fine-tuning of supportive-dialogue models, evaluation of empathy "
        "classifiers, and counsellor-training tools, with human oversight.", "",
        "### Out-of-Scope Use", "",
        "Not a substitute for clinical care: models trained on this data must not diagnose, "
        "treat, or be presented as a therapist, and must not be used for crisis intervention "
        "without qualified humans. Do not attempt to re-identify speakers.", "",
    ]
    return "\n".join(lines)
