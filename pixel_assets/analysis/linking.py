"""Link the same voice across videos: ``speakers.embedding`` → global speaker ids.

Method (constrained agglomerative merging on a neighbour graph, not an O(n²) Python loop):

1. Every diarized speaker's 256-d resemblyzer voice print is L2-normalised; sklearn's
   ``NearestNeighbors`` (cosine, brute force on BLAS) finds each print's ``n_neighbors``
   closest prints. Pairs at cosine ≥ ``threshold`` from *different* videos are candidate edges.
2. Edges are taken strongest first (Kruskal order). Two groups merge only if
   (a) they share no video (cannot-link: two speakers of one video are never one person), and
   (b) the cosine between their mean prints is still ≥ ``threshold`` (average-style linkage:
   stops single-linkage chains A~B~C from merging A and C when A and C are far apart).
3. Stable ids: with the previous ``speaker_links``, each earlier global speaker's members are
   seeded as one group before step 2, so a speaker keeps its id when new videos arrive. A group
   holding several earlier ids keeps the id with most members (ties: smallest id) and the other
   ids are logged as ``merged``; earlier ids with no members left (their videos were stopped or
   removed) are logged as ``retired``. A new group's id is ``spk_`` + a hash of its first
   member (earliest video, then speaker label), so a full recomputation gives the same ids.

The threshold: cosine between whole-video voice prints, chosen from the similarity
distributions ``bench/analysis.py`` measures on espeak voices (resemblyzer d-vectors of
whole-video speakers): the same voice reading different texts 0.85-0.95 (one_voice vs
two_voices speaker A: 0.98), clearly different voices (male/female) 0.60-0.65. Default 0.85
links every same-voice pair measured. espeak's accent variants of one synthesiser score
0.89-0.96 against each other (resemblyzer hears one voice), so they link: a limitation of
synthetic test voices. Re-measure on real corpus speech with the bench before trusting it for
look-alike voices; the threshold is an option.

Cost: the neighbour search is O(n² · d) flops in row chunks, O(n · n_neighbors) memory; the
merging is near-linear. Measured (``bench/analysis.py --scale``, 2 busy cores): 10,000 prints
6 s, 20,000 20 s, 40,000 90 s, purity 1.0 on planted identities. From ~20,000 prints (~4,000
videos) an approximate index (faiss, hnswlib, pynndescent) should replace step 1; steps 2-3
stay as they are.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pixel_assets.analysis.matrix import video_order
from pixel_assets.analysis.schemas import (
    CORPUS,
    GlobalSpeakers,
    SpeakerIdChanges,
    SpeakerLinks,
)


@dataclass(frozen=True)
class LinkOptions:
    """Settings of cross-video speaker linking.

    Attributes:
        threshold: Minimum cosine between voice prints (and between the mean prints of two
            groups) to link them; see the module docstring for how 0.85 was chosen.
        n_neighbors: Neighbours looked up per print. Bounds memory (n × n_neighbors edges);
            a voice in more videos than this still links through chains of neighbours.
    """

    threshold: float = 0.85
    n_neighbors: int = 30

    def __post_init__(self) -> None:
        if not -1.0 <= self.threshold <= 1.0:
            raise ValueError(f"LinkOptions.threshold={self.threshold} must be a cosine in [-1, 1].")
        if self.n_neighbors < 1:
            raise ValueError(f"LinkOptions.n_neighbors={self.n_neighbors} must be >= 1.")


@dataclass
class LinkResult:
    """Output of :func:`link_speakers`.

    Attributes:
        links: ``speaker_links`` rows for every video given (write one partition per video).
        global_speakers: ``global_speakers`` rows (one corpus partition).
        id_changes: ``speaker_id_changes``: earlier ids merged into another or retired.
        n_edges: Candidate edges (cross-video pairs at or above the threshold).
        n_blocked: Edges refused by the cannot-link rule.
    """

    links: pd.DataFrame
    global_speakers: pd.DataFrame
    id_changes: pd.DataFrame
    n_edges: int = 0
    n_blocked: int = 0
    stats: dict[str, float] = field(default_factory=dict)


class _Groups:
    """Union-find over speakers with per-group videos and summed voice prints."""

    def __init__(self, prints: np.ndarray, videos: np.ndarray) -> None:
        self.parent = list(range(len(prints)))
        self.prints = prints
        self.sums = prints.astype("float64", copy=True)
        self.videos: list[set[str]] = [{v} for v in videos]

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:  # path compression
            self.parent[i], i = root, self.parent[i]
        return root

    def can_link(self, a: int, b: int) -> bool:
        return self.videos[a].isdisjoint(self.videos[b])

    def mean_cosine(self, a: int, b: int) -> float:
        sa, sb = self.sums[a], self.sums[b]
        return float(sa @ sb / (np.linalg.norm(sa) * np.linalg.norm(sb) + 1e-12))

    def union(self, a: int, b: int) -> None:
        if len(self.videos[a]) < len(self.videos[b]):
            a, b = b, a
        self.parent[b] = a
        self.sums[a] += self.sums[b]
        self.videos[a] |= self.videos[b]
        self.videos[b] = set()


def _prints(speakers: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Normalised voice prints and a mask of the rows that have one."""
    has = speakers["embedding"].map(lambda e: e is not None and len(e) > 0).to_numpy(bool)
    if not has.any():
        return np.zeros((len(speakers), 0), dtype="float32"), has
    dims = {len(e) for e in speakers.loc[has, "embedding"]}
    if len(dims) != 1:
        raise ValueError(
            f"speakers.embedding has mixed lengths {sorted(dims)}; all voice prints must come "
            "from one encoder (rerun transcription for the odd videos)."
        )
    matrix = np.zeros((len(speakers), dims.pop()), dtype="float32")
    matrix[has] = np.stack([np.asarray(e, dtype="float32") for e in speakers.loc[has, "embedding"]])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return matrix, has & (norms[:, 0] > 0)


def _edges(prints: np.ndarray, videos: np.ndarray, options: LinkOptions) -> np.ndarray:
    """Cross-video neighbour pairs (i < j) at cosine ≥ threshold, strongest first."""
    n = len(prints)
    if n < 2:
        return np.zeros((0, 3))
    k = min(options.n_neighbors + 1, n)  # +1: a print is its own nearest neighbour
    import sklearn  # lazily: see style_clusters.py
    from sklearn.neighbors import NearestNeighbors

    search = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute").fit(prints)
    # sklearn computes distances in row chunks of `working_memory` MB (default 1 GB): 128 MB
    # keeps the peak low at no measurable cost, since BLAS is just as fast on smaller chunks.
    with sklearn.config_context(working_memory=128):
        distance, index = search.kneighbors(prints)
    rows = np.repeat(np.arange(n), k)
    cols = index.ravel()
    sims = 1.0 - distance.ravel()
    keep = (rows != cols) & (sims >= options.threshold) & (videos[rows] != videos[cols])
    a, b = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    pairs = pd.DataFrame({"a": a, "b": b, "s": sims[keep]})
    pairs = pairs.groupby(["a", "b"], sort=False, as_index=False)["s"].max()
    pairs = pairs.sort_values(["s", "a", "b"], ascending=[False, True, True], kind="stable")
    return pairs.to_numpy()


def _new_id(video_id: str, speaker: str) -> str:
    return "spk_" + hashlib.sha1(f"{video_id}/{speaker}".encode()).hexdigest()[:12]


def _validate_speakers(speakers: pd.DataFrame) -> pd.DataFrame:
    missing = {"video_id", "speaker", "embedding"} - set(speakers.columns)
    if missing:
        raise ValueError(
            f"speakers frame lacks {sorted(missing)} (has {list(speakers.columns)}); pass the "
            "`speakers` table of the transcription stage."
        )
    dup = speakers.duplicated(["video_id", "speaker"])
    if dup.any():
        first = speakers.loc[dup, ["video_id", "speaker"]].iloc[0].tolist()
        raise ValueError(f"speakers has duplicate (video_id, speaker) rows, e.g. {first}.")
    return speakers.dropna(subset=["video_id", "speaker"])


def link_speakers(
    speakers: pd.DataFrame,
    videos: pd.DataFrame | None = None,
    previous_links: pd.DataFrame | None = None,
    options: LinkOptions | None = None,
) -> LinkResult:
    """Give each diarized speaker a global speaker id shared by the same voice in other videos.

    Args:
        speakers: ``speakers`` rows of every passing video (``video_id``, ``speaker``,
            ``embedding``; ``speech_s`` for talk time). Speakers without a voice print (the
            ``none`` diarizer) get an id of their own.
        videos: ``videos`` rows (``upload_date``, ``ingested_at`` for order; ``list_speaker``
            names a global speaker); optional.
        previous_links: The last ``speaker_links`` (all videos), to keep ids stable; optional.
        options: Threshold and neighbour count.

    Returns:
        A :class:`LinkResult` with ``speaker_links``, ``global_speakers`` and the id-change log.
    """
    options = options or LinkOptions()
    speakers = _validate_speakers(speakers)
    order = video_order(videos, speakers["video_id"].tolist())
    rank = dict(zip(order["video_id"], order["rank"], strict=True))
    frame = speakers.assign(_rank=speakers["video_id"].map(rank))
    frame = frame.sort_values(["_rank", "speaker"], kind="stable").reset_index(drop=True)
    prints, has_print = _prints(frame)
    video_ids = frame["video_id"].astype(str).to_numpy()
    groups = _Groups(prints, video_ids)

    previous = _previous_ids(frame, previous_links)
    for members in _seed_groups(previous).values():
        for other in members[1:]:
            ra, rb = groups.find(members[0]), groups.find(other)
            # An earlier id spanning two speakers of one video (a hand-edited or foreign links
            # table) is not trusted: the cannot-link rule wins, the extra speaker stays apart.
            if ra != rb and groups.can_link(ra, rb):
                groups.union(ra, rb)

    printed = np.flatnonzero(has_print)
    edges = _edges(prints[printed], video_ids[printed], options)
    n_blocked = 0
    for a, b, _sim in edges:
        ra, rb = groups.find(int(printed[int(a)])), groups.find(int(printed[int(b)]))
        if ra == rb:
            continue
        if not groups.can_link(ra, rb):
            n_blocked += 1
            continue
        if groups.mean_cosine(ra, rb) >= options.threshold:
            groups.union(ra, rb)

    roots = np.array([groups.find(i) for i in range(len(frame))])
    ids, changes = _assign_ids(frame, roots, previous, previous_links, groups)
    frame["global_speaker_id"] = ids
    frame["link_similarity"] = _leave_one_out(prints, has_print, roots, groups)
    links = frame[list(SpeakerLinks.to_schema().columns)].copy()
    global_speakers = _global_table(frame, roots, groups, has_print, videos)
    return LinkResult(
        links=links,
        global_speakers=global_speakers,
        id_changes=changes,
        n_edges=len(edges),
        n_blocked=n_blocked,
        stats={
            "n_speakers": float(len(frame)),
            "n_global_speakers": float(len(global_speakers)),
            "n_linked_speakers": float((frame["link_similarity"].notna()).sum()),
        },
    )


def _previous_ids(frame: pd.DataFrame, previous_links: pd.DataFrame | None) -> pd.Series:
    """Earlier global id of each current speaker (NaN if new)."""
    if previous_links is None or previous_links.empty:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    earlier = previous_links.drop_duplicates(["video_id", "speaker"]).set_index(
        ["video_id", "speaker"]
    )["global_speaker_id"]
    keys = pd.MultiIndex.from_frame(frame[["video_id", "speaker"]])
    return pd.Series(earlier.reindex(keys).to_numpy(), index=frame.index, dtype=object)


def _seed_groups(previous: pd.Series) -> dict[str, list[int]]:
    seeds: dict[str, list[int]] = {}
    for position, gid in enumerate(previous.to_numpy()):
        if isinstance(gid, str):
            seeds.setdefault(gid, []).append(position)
    return seeds


def _assign_ids(
    frame: pd.DataFrame,
    roots: np.ndarray,
    previous: pd.Series,
    previous_links: pd.DataFrame | None,
    groups: _Groups,
) -> tuple[list[str], pd.DataFrame]:
    """One id per group (earlier id kept where there is one) and the log of ids that ended."""
    ids: dict[int, str] = {}
    changes: list[dict] = []
    earlier = previous.to_numpy()
    members_of: dict[int, list[int]] = {}
    for position, root in enumerate(roots):
        members_of.setdefault(int(root), []).append(position)
    taken: set[str] = set()
    # Biggest groups first, so an earlier id split over two groups stays with the bigger part.
    for root, members in sorted(members_of.items(), key=lambda kv: (-len(kv[1]), kv[1][0])):
        counts = Counter(g for g in earlier[members] if isinstance(g, str) and g not in taken)
        if not counts:
            first = frame.iloc[members[0]]  # members are in video order: the anchor
            ids[root] = _new_id(str(first["video_id"]), str(first["speaker"]))
            taken.add(ids[root])
            continue
        kept = sorted(counts, key=lambda g: (-counts[g], g))[0]
        ids[root] = kept
        taken.update(counts)
        for gone in sorted(set(counts) - {kept}):
            changes.append(
                {
                    "global_speaker_id": gone,
                    "change": "merged",
                    "into_global_speaker_id": kept,
                    "n_speakers": counts[gone],
                    "similarity": _group_cosine(groups, members, earlier, gone, kept),
                }
            )
    alive = set(ids.values()) | {c["global_speaker_id"] for c in changes}
    if previous_links is not None and not previous_links.empty:
        sizes = previous_links["global_speaker_id"].value_counts()
        for gid in sorted(set(sizes.index) - alive):
            changes.append(
                {
                    "global_speaker_id": gid,
                    "change": "retired",
                    "into_global_speaker_id": None,
                    "n_speakers": int(sizes[gid]),
                    "similarity": None,
                }
            )
    log = pd.DataFrame(changes, columns=[c for c in SpeakerIdChanges.to_schema().columns
                                         if c != "corpus"])
    log.insert(0, "corpus", CORPUS)
    return [ids[int(r)] for r in roots], log


def _group_cosine(
    groups: _Groups, members: list[int], earlier: np.ndarray, gone: str, kept: str
) -> float | None:
    """Cosine between the mean prints of the merged id's members and the kept id's members."""
    gone_rows = [m for m in members if earlier[m] == gone]
    kept_rows = [m for m in members if earlier[m] == kept]
    if groups.prints.shape[1] == 0 or not gone_rows or not kept_rows:
        return None
    return _cosine_of_means(groups.prints[gone_rows], groups.prints[kept_rows])


def _cosine_of_means(a: np.ndarray, b: np.ndarray) -> float:
    ma, mb = a.mean(axis=0), b.mean(axis=0)
    return float(ma @ mb / (np.linalg.norm(ma) * np.linalg.norm(mb) + 1e-12))


def _leave_one_out(
    prints: np.ndarray, has_print: np.ndarray, roots: np.ndarray, groups: _Groups
) -> np.ndarray:
    """Cosine of each print to the mean of the other prints of its group (NaN when alone)."""
    out = np.full(len(roots), np.nan)
    if prints.shape[1] == 0:
        return out
    counts = pd.Series(roots[has_print]).value_counts()
    group_size = pd.Series(roots).map(counts).fillna(0).to_numpy()
    rest = groups.sums[roots] - prints
    norms = np.linalg.norm(rest, axis=1)
    ok = has_print & (group_size >= 2) & (norms > 0)
    out[ok] = np.clip(np.einsum("ij,ij->i", prints[ok], rest[ok]) / norms[ok], -1.0, 1.0)
    return out


def _global_table(
    frame: pd.DataFrame,
    roots: np.ndarray,
    groups: _Groups,
    has_print: np.ndarray,
    videos: pd.DataFrame | None,
) -> pd.DataFrame:
    talk = pd.to_numeric(frame["speech_s"], errors="coerce") if "speech_s" in frame \
        else pd.Series(0.0, index=frame.index)
    work = frame.assign(_root=roots, _talk=talk.fillna(0.0).clip(lower=0.0))
    grouped = work.groupby("global_speaker_id", sort=False)
    table = pd.DataFrame(
        {
            "n_videos": grouped["video_id"].nunique(),
            "total_talk_s": grouped["_talk"].sum(),
            "first_video_id": grouped["video_id"].first(),
            "mean_link_similarity": grouped["link_similarity"].mean(),
            "_root": grouped["_root"].first(),
        }
    ).reset_index()
    dims = groups.sums.shape[1]
    voice_prints = []
    for root in table["_root"]:
        total = groups.sums[int(root)]
        norm = np.linalg.norm(total)
        voice_prints.append((total / norm).astype("float32") if norm > 0
                            else np.zeros(dims, dtype="float32"))
    table["voice_print"] = voice_prints
    table["name"] = table["global_speaker_id"].map(_names(work, videos))
    table.insert(0, "corpus", CORPUS)
    return table[list(GlobalSpeakers.to_schema().columns)]


def _names(work: pd.DataFrame, videos: pd.DataFrame | None) -> dict[str, str]:
    """Credit each ``list_speaker`` name to one global speaker.

    A name given for a video belongs to one of its speakers. It goes to the global speaker
    present in most of the videos listing that name (a counsellor across a channel), ties broken
    by talk time in those videos (the main voice of a single named video).
    """
    if videos is None or "list_speaker" not in videos.columns:
        return {}
    named = videos.dropna(subset=["list_speaker"]).drop_duplicates("video_id")
    named = named[named["list_speaker"].astype(str).str.strip() != ""]
    if named.empty:
        return {}
    votes = work.merge(named[["video_id", "list_speaker"]], on="video_id")
    score = votes.groupby(["list_speaker", "global_speaker_id"]).agg(
        n=("video_id", "nunique"), talk=("_talk", "sum")
    ).reset_index().sort_values(["list_speaker", "n", "talk", "global_speaker_id"],
                                ascending=[True, False, False, True])
    winners = score.drop_duplicates("list_speaker")
    # A voice credited with several names keeps the one it won most clearly.
    winners = winners.sort_values(["n", "talk"], ascending=False).drop_duplicates(
        "global_speaker_id"
    )
    return dict(zip(winners["global_speaker_id"], winners["list_speaker"].astype(str),
                    strict=True))
