"""The export: loads with `datasets`, chat roles, byte-identical re-exports, crisis review gate,
versioned atomic layout and the CLI over a real storage root."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pixel_assets.export.card import CardInfo, empty_split_reasons
from pixel_assets.export.cli import add_export_parser, run_export
from pixel_assets.export.writer import DUCKDB_FILE, ExportError, ExportOptions, write_export
from pixel_assets.pairs.dataset import build_dataset
from pixel_assets.pairs.pii import PiiScrubber
from pixel_assets.pairs.schemas import TABLES
from pixel_assets.pairs.select import select_pairs
from pixel_assets.warehouse.storage import Storage
from pixel_assets_tests.pairs.helpers import exchanges_frame, scores_frame

VIDEOS = {
    "vidA": [("I can't sleep since the accident.", "That sounds exhausting and frightening."),
             ("Some days I think everyone would be better off without me.",
              "Thank you for trusting me with that. Are you thinking about ending your life?"),
             ("Call me on 555 123 4567 if the group meets.", "I'll make a note of that.")],
    "vidB": [("My dad never listened to me.", "You wanted him to hear you."),
             ("I feel stuck at work.", "Stuck, like nothing you do changes anything?")],
}
VIDEO_ROWS = {v: {"video_id": v, "webpage_url": f"https://www.youtube.com/watch?v={v}",
                  "license": "Standard YouTube License", "title": f"Session {v}"}
              for v in VIDEOS}


@pytest.fixture(scope="module")
def scrubber() -> PiiScrubber:
    return PiiScrubber()


def _corpus(scrubber: PiiScrubber, decisions: pd.DataFrame | None = None):
    frames, queue = [], []
    for i, (video, turns) in enumerate(VIDEOS.items()):
        exchanges = exchanges_frame(video, turns, counsellor_id=f"gs_c{i}",
                                    client_id=f"gs_k{i}")
        crisis = ["better off without me" in p for p, _ in turns]
        scores = scores_frame(exchanges, crisis=crisis)
        queue += [{"exchange_id": e, "video_id": video, "reason": "suicidal_ideation",
                   "matched_text": "better off without me", "deep_link": None,
                   "status": "pending"}
                  for e, c in zip(exchanges["exchange_id"], crisis, strict=True) if c]
        frames.append(select_pairs(exchanges, scores, scrubber, review_queue=pd.DataFrame(queue),
                                   review_decisions=decisions, video=VIDEO_ROWS[video]).pairs)
    pairs = pd.concat(frames, ignore_index=True)
    dataset = build_dataset(pairs)
    split = pairs["pair_id"].map(dataset.kept_splits())
    return pairs.assign(split=split), dataset, pd.DataFrame(queue)


def _export(tmp: Path, pairs: pd.DataFrame, **kwargs):
    tables = {"videos": pd.DataFrame(VIDEO_ROWS.values())}
    return write_export(pairs, tmp, tables=tables, **kwargs)


def _all_text(folder: Path) -> str:
    texts = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".jsonl", ".csv", ".md", ".json"):
            texts.append(path.read_text(encoding="utf-8"))
    with duckdb.connect(str(folder / DUCKDB_FILE), read_only=True) as con:
        texts.append(str(con.execute("SELECT * FROM pairs").fetchall()))
    texts.append(str(pd.read_parquet(folder / "pairs.parquet").to_dict("records")))
    return "\n".join(texts)


def test_each_split_loads_with_datasets_and_ends_with_the_counsellor(scrubber, tmp_path):
    import datasets

    pairs, _, _ = _corpus(scrubber)
    result = _export(tmp_path / "exports", pairs)
    total = 0
    for split in ("train", "validation", "test"):
        path = result.path / f"{split}.jsonl"
        if result.split_counts[split] == 0:
            assert not path.exists()  # `datasets` cannot load an empty JSON file
            continue
        loaded = datasets.load_dataset("json", data_files=str(path), split="train",
                                       cache_dir=str(tmp_path / "hf"))
        assert len(loaded) == result.split_counts[split]
        for record in loaded:
            roles = [m["role"] for m in record["messages"]]
            assert roles[0] == "system" and roles[-1] == "assistant"
            assert all(a != b for a, b in zip(roles[1:], roles[2:], strict=False))
            assert record["metadata"]["pair_id"] and record["metadata"]["deep_link"]
        total += len(loaded)
    assert total == len(pairs)
    # Context turns became earlier user/assistant messages.
    lines = [json.loads(x) for p in result.path.glob("*.jsonl") for x in p.read_text().splitlines()]
    assert max(len(r["messages"]) for r in lines) == 5


def test_two_exports_of_the_same_data_are_byte_identical(scrubber, tmp_path):
    pairs, _, _ = _corpus(scrubber)
    first = _export(tmp_path / "one", pairs)
    second = _export(tmp_path / "two", pairs.sample(frac=1.0, random_state=3))
    assert first.version == second.version
    for path in sorted(first.path.iterdir()):
        if path.name == DUCKDB_FILE:
            continue  # header holds a random database id; contents are compared below
        assert path.read_bytes() == (second.path / path.name).read_bytes(), path.name
    manifest = json.loads((first.path / "manifest.json").read_text())
    assert manifest["duckdb"]["tables"]["pairs"]["rows"] == len(pairs)
    for name, info in manifest["files"].items():
        assert hashlib.sha256((first.path / name).read_bytes()).hexdigest() == info["sha256"]
    # Same data again under the same root: the version folder is reused, latest points at it.
    third = _export(tmp_path / "one", pairs)
    assert third.reused and third.path == first.path
    assert (tmp_path / "one" / "latest").resolve() == first.path.resolve()
    assert not [p for p in (tmp_path / "one").iterdir() if p.name.startswith(".")]


def test_pending_crisis_exchange_is_in_no_file_until_approved(scrubber, tmp_path):
    pairs, _, queue = _corpus(scrubber)
    crisis_id = queue["exchange_id"].iloc[0]
    held = _export(tmp_path / "held", pairs)
    assert "better off without me" not in _all_text(held.path)
    assert crisis_id not in _all_text(held.path)
    approve = pd.DataFrame({"exchange_id": [crisis_id], "decision": ["approve"]})
    approved_pairs, _, _ = _corpus(scrubber, approve)
    released = _export(tmp_path / "released", approved_pairs)
    text = _all_text(released.path)
    assert "better off without me" in text and released.version != held.version
    assert "555 123 4567" not in text and "[PHONE]" in text


def test_system_prompt_formats_and_card(scrubber, tmp_path):
    pairs, dataset, _ = _corpus(scrubber)
    result = write_export(pairs, out_dir=tmp_path / "out",
                          options=ExportOptions(formats=("jsonl",), system_prompt="Be kind."))
    # The tiny corpus fills only train: the empty splits get no file.
    assert sorted(p.name for p in result.path.iterdir()) == [
        "README.md", "manifest.json", "train.jsonl"]
    first = json.loads((result.path / "train.jsonl").read_text().splitlines()[0])
    assert first["messages"][0] == {"role": "system", "content": "Be kind."}
    card = (result.path / "README.md").read_text()
    for needed in ("configs:", "## Dataset Summary", "## Source Data", "## Processing",
                   "## Validation and Crisis Review", "## Personal and Sensitive Information",
                   "## Bias, Risks, and Limitations", "### Out-of-Scope Use",
                   "substitute for clinical care", "NRC", "https://www.youtube.com/watch?v=vidB",
                   "Standard YouTube License"):
        assert needed in card, needed
    with pytest.raises(ExportError, match="unknown export format"):
        ExportOptions(formats=("xml",))


def test_an_empty_split_has_no_file_and_the_card_and_manifest_say_why(scrubber, tmp_path):
    import datasets

    pairs, dataset, _ = _corpus(scrubber)
    counts = pairs["split"].value_counts().to_dict()
    assert counts == {"train": len(pairs)}  # two speaker groups, both placed in train
    result = _export(tmp_path / "exports", pairs, card=CardInfo(dataset=dataset.metadata))
    assert result.empty_splits.keys() == {"validation", "test"}
    assert all("2 speaker group(s)" in why for why in result.empty_splits.values())
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["empty_splits"] == result.empty_splits
    assert manifest["splits"] == {"train": len(pairs), "validation": 0, "test": 0}
    assert sorted(n for n in manifest["files"] if n.endswith(".jsonl")) == ["train.jsonl"]
    # Every split file written loads, one by one and through the card's `configs`.
    for path in sorted(result.path.glob("*.jsonl")):
        loaded = datasets.load_dataset("json", data_files=str(path), split="train",
                                       cache_dir=str(tmp_path / "hf"))
        assert len(loaded) == result.split_counts[path.stem]
    whole = datasets.load_dataset(str(result.path), cache_dir=str(tmp_path / "hf-card"))
    assert {name: len(split) for name, split in whole.items()} == {"train": len(pairs)}
    card = (result.path / "README.md").read_text()
    front = card.split("---")[1]
    assert "path: train.jsonl" in front
    assert "validation.jsonl" not in front and "test.jsonl" not in front
    for split in ("validation", "test"):
        assert f"| {split} | 0 |" in card
        assert f"The `{split}` split is empty" in card
        assert result.empty_splits[split] in card


def test_empty_split_reasons_name_the_cause():
    built = {"split_targets": {"train": 0.9, "validation": 0.1, "test": 0.0},
             "split_counts": {"train": 5, "validation": 2, "test": 0},
             "split_groups": 3, "kept": 7}
    reasons = empty_split_reasons({"train": 5, "validation": 0, "test": 0}, built)
    assert reasons["test"] == "its configured share of the pairs is 0"
    # The dataset had validation pairs, the export has none: withheld since the build.
    assert "2 pair(s) in the last training_dataset are not released now" in reasons[
        "validation"]
    assert empty_split_reasons({"train": 5, "validation": 1, "test": 1}, built) == {}
    assert empty_split_reasons({"train": 1, "validation": 0, "test": 1}, {}) == {
        "validation": "no exported pair was assigned to it"}


def test_cli_exports_from_a_storage_root(scrubber, tmp_path, capsys):
    pairs, dataset, _ = _corpus(scrubber)
    specs = {s.name: s for s in TABLES}
    storage = Storage(str(tmp_path / "root"), tables=specs)
    for video, rows in pairs.groupby("video_id"):
        storage.write_partition("therapeutic_pairs", video, rows)
    storage.write_partition("dataset_pairs", "all", dataset.dataset_pairs)
    parser = argparse.ArgumentParser(prog="pixel-voice")
    add_export_parser(parser.add_subparsers())
    args = parser.parse_args(["export", "--formats", "jsonl,duckdb"])
    assert run_export(args, storage) == 0
    out = capsys.readouterr().out
    assert f"Exported {len(pairs)} pairs" in out and "Example record:" in out
    # Without the build's metadata file the reason comes from dataset_pairs itself.
    assert ("Split 'test' is empty, no file written: too few pairs to hold it out: the "
            f"{len(pairs)} kept pair(s) form 2 speaker group(s)") in out
    latest = tmp_path / "root" / "exports" / "latest"
    with duckdb.connect(str(latest / DUCKDB_FILE), read_only=True) as con:
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        assert {"pairs", "therapeutic_pairs", "dataset_pairs"} <= tables
        assert con.execute("SELECT count(*) FROM pairs").fetchone()[0] == len(pairs)
    empty = Storage(str(tmp_path / "empty"), tables=specs)
    assert run_export(parser.parse_args(["export"]), empty) == 2
