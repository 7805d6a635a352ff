"""``dataset_export`` as the definitions compose it, on the pairs assets' scenario.

The scenario (see :mod:`pixel_assets_tests.pairs.test_pairs_assets`) exports four times: with
the session's crisis exchange pending ("held"), again with nothing changed ("again"), after a
reviewer approved it (and the next exchange, whose context repeats it) and the pairs and dataset
ran again ("approved"), and after a later rejection of the disclosure, before the pairs ran
again ("rejected").
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pixel_assets.definitions import defs
from pixel_assets.export.cli import run_export
from pixel_assets.export.published import PUBLISHED_TABLES
from pixel_assets.export.writer import DUCKDB_FILE
from pixel_assets_tests.pairs.test_pairs_assets import CRISIS_WORDS, scenario_for

pytestmark = pytest.mark.slow

SPLITS = ("train", "validation", "test")


@pytest.fixture(scope="module")
def scenario(request, transcribed_chain, tmp_path_factory) -> dict:
    return scenario_for(request, transcribed_chain, tmp_path_factory)


def export_text(folder: Path) -> str:
    """Everything an export holds, as text: every file, every DuckDB table, the Parquet rows."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())
             if p.suffix in (".jsonl", ".csv", ".md", ".json")]
    with duckdb.connect(str(folder / DUCKDB_FILE), read_only=True) as con:
        names = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        for (table,) in names:
            texts.append(str(con.execute(f'SELECT * FROM "{table}"').fetchall()))
    texts.append(str(pd.read_parquet(folder / "pairs.parquet").to_dict("records")))
    return "\n".join(texts)


def records(folder: Path, split: str) -> list[dict]:
    """The split's chat records; none for an empty split, which has no file."""
    path = folder / f"{split}.jsonl"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_each_split_loads_with_datasets_and_counts_match_the_pairs(scenario, tmp_path):
    import datasets

    export = scenario["export_approved"]
    folder, meta = export["folder"], export["meta"]
    kept = scenario["dataset_approved"]
    kept = kept[kept["kept"]]
    pairs = scenario["pairs_approved"]
    assert meta["pairs"] == len(kept) == len(pairs)
    loaded = {}
    for split in SPLITS:
        expected = int((kept["split"] == split).sum())
        assert meta["split_counts"][split] == expected
        if expected == 0:  # the scenario's pairs leave test empty: no file, and the reason
            assert not (folder / f"{split}.jsonl").exists()
            assert meta["empty_splits"][split] in (folder / "README.md").read_text()
            continue
        dataset = datasets.load_dataset("json", data_files=str(folder / f"{split}.jsonl"),
                                        split="train", cache_dir=str(tmp_path / "hf"))
        loaded[split] = len(dataset)
        assert len(dataset) == expected
        assert all(r["messages"][-1]["role"] == "assistant" for r in dataset)
        assert all(r["messages"][0]["role"] == "system" for r in dataset)
    assert sum(loaded.values()) == len(pairs) and set(loaded) == {"train", "validation"}
    assert set(meta["empty_splits"]) == {"test"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["empty_splits"] == meta["empty_splits"]
    # The card's `configs` name only the files written, so the folder loads as a whole.
    whole = datasets.load_dataset(str(folder), cache_dir=str(tmp_path / "hf-card"))
    assert {name: len(split) for name, split in whole.items()} == loaded


def test_pending_crisis_exchange_is_in_no_export_file_until_approved(scenario):
    crisis_pair = scenario["pairs_approved"].set_index("exchange_id").loc[
        scenario["crisis_id"], "pair_id"]
    held = export_text(scenario["export_held"]["folder"])
    assert CRISIS_WORDS not in held and crisis_pair not in held
    assert "those thoughts" not in held  # the counsellor's reply to it
    approved = export_text(scenario["export_approved"]["folder"])
    assert CRISIS_WORDS in approved and crisis_pair in approved
    # Scrubbed: the client's surname from the list metadata is nowhere in the export.
    assert "[NAME]" in approved and not re.search(r"\bnoon\b", approved, re.I)
    approved_records = [r for s in SPLITS for r in records(scenario["export_approved"]["folder"],
                                                           s)]
    crisis = [r for r in approved_records if r["metadata"]["pair_id"] == crisis_pair]
    assert len(crisis) == 1 and CRISIS_WORDS in crisis[0]["messages"][-2]["content"]


def test_a_rejection_applies_to_the_next_export_at_once(scenario):
    export = scenario["export_rejected"]
    text = export_text(export["folder"])
    assert CRISIS_WORDS not in text
    # The rejected pair and the pair whose context quotes it, before the pairs ran again.
    assert export["meta"]["withheld_by_review_now"] == 2
    assert export["meta"]["pairs"] == scenario["export_approved"]["meta"]["pairs"] - 2
    assert export["meta"]["version"] != scenario["export_approved"]["meta"]["version"]


def test_the_same_data_gives_the_same_version_and_bytes(scenario):
    first, second = scenario["export_held"], scenario["export_again"]
    assert first["meta"]["version"] == second["meta"]["version"]
    assert first["meta"]["unchanged"] is False and second["meta"]["unchanged"] is True
    assert first["folder"] == second["folder"]
    assert first["folder"].name == first["meta"]["version"]
    # DuckDB files carry a random header id; the manifest hashes their tables instead.
    same = {n: b for n, b in first["bytes"].items() if n != DUCKDB_FILE}
    assert same == {n: b for n, b in second["bytes"].items() if n != DUCKDB_FILE}
    assert scenario["export_approved"]["meta"]["version"] != first["meta"]["version"]


def test_metadata_names_version_path_counts_and_an_example(scenario):
    meta = scenario["export_approved"]["meta"]
    folder = scenario["export_approved"]["folder"]
    assert folder.is_dir() and folder.parent.name == "exports"
    assert scenario["export_approved"]["latest"] == folder.resolve()  # when it was written
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["version"] == meta["version"] and manifest["splits"] == meta["split_counts"]
    assert meta["files"]["train.jsonl"] == meta["split_counts"]["train"]
    example = meta["example_record"]
    assert example == records(folder, "train")[0]
    assert example["messages"][-1]["role"] == "assistant" and "pair_id" in example["metadata"]


def test_duckdb_holds_the_pairs_and_only_published_tables(scenario):
    folder = scenario["export_approved"]["folder"]
    with duckdb.connect(str(folder / DUCKDB_FILE), read_only=True) as con:
        tables = {t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        columns = {(t, c) for t, c in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns").fetchall()}
        pairs = con.execute("SELECT count(*) FROM pairs").fetchone()[0]
    assert "pairs" in tables and tables - {"pairs"} <= set(PUBLISHED_TABLES)
    assert {"therapeutic_pairs", "dataset_pairs", "videos", "exchange_scores"} <= tables
    for private in ("filtered_transcripts", "words", "exchanges", "dialogue_turns",
                    "review_queue", "review_decisions", "speakers"):
        assert private not in tables
    for table, dropped in PUBLISHED_TABLES.items():
        assert not {(table, c) for c in dropped} & columns
    assert pairs == scenario["export_approved"]["meta"]["pairs"]


def test_card_lists_processing_dataset_and_review(scenario):
    card = (scenario["export_approved"]["folder"] / "README.md").read_text()
    for step in ("Speech recognition", "Transcript filter", "Validation", "Pair selection",
                 "Deduplication", "Balance caps"):
        assert step in card
    queued = len(scenario["queue"])
    assert f"Approved crisis exchanges in this export: {queued}." in card
    assert f'"approved": {queued}' in card and f'"flagged": {queued}' in card
    assert "not a substitute for clinical care".lower() in card.lower()


def test_export_is_in_group_export_after_the_dataset():
    graph = defs.resolve_asset_graph()
    node = graph.get(dg.AssetKey("dataset_export"))
    assert node.group_name == "export" and node.partitions_def is None
    assert dg.AssetKey("training_dataset") in node.parent_keys
    assert node.automation_condition is None  # exported on demand (or `pixel-voice export`)


def test_cli_export_leaves_private_tables_out(scenario, tmp_path):
    args = argparse.Namespace(out=tmp_path / "cli", formats="jsonl,duckdb", system_prompt=None)
    assert run_export(args, scenario["storage"]) == 0
    with duckdb.connect(str(tmp_path / "cli" / DUCKDB_FILE), read_only=True) as con:
        tables = {t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
    assert "filtered_transcripts" not in tables
