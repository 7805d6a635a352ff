"""Near-duplicate search: all pairs of unit vectors with cosine >= a threshold.

Small corpora are searched exactly with blocked matrix products (``E[i:i+B] @ E.T``, cost
``n^2 d``). Past ``exact_max`` vectors that is too slow on two cores (200k x 384 is about
1.5e13 multiply-adds, minutes), so the search becomes an inverted-file index as in FAISS'
IVF: spherical k-means on a sample gives ``~sqrt(n)`` cells; each vector is stored in its
nearest cell and probes its ``n_probe`` nearest cells, and only vectors sharing a probed cell
are compared, again as blocked products. Cost is ``n^2 d n_probe / cells`` plus
``n d cells`` for assignment, i.e. about ``n^1.5 d``. Two vectors this close (cosine >= 0.9)
nearly always share their nearest cell; the bench measures the recall on planted duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class NeighbourOptions:
    """How near-duplicate candidates are found.

    Attributes:
        exact_max: Up to this many vectors the search is exact (blocked brute force).
        block_size: Rows per matrix product block (memory: block_size x n floats).
        cells: IVF cells; None picks ``sqrt(n * n_probe)``, which balances assigning vectors
            to cells (``n d cells``) against comparing within cells (``n^2 d n_probe / cells``).
        n_probe: Cells each vector probes (more: better recall, proportionally slower).
        kmeans_sample: Vectors sampled to fit the cells.
        kmeans_iterations: Lloyd iterations of the spherical k-means.
        cell_dims: PCA dimensions the cells are fitted and assigned in (0: full vectors).
        seed: Seed of the sample and of the initial centroids (results are deterministic).
    """

    exact_max: int = 20_000
    block_size: int = 2048
    cells: int | None = None
    n_probe: int = 3
    kmeans_sample: int = 30_000
    kmeans_iterations: int = 8
    cell_dims: int = 64
    seed: int = 0


@dataclass
class Edges:
    """Similar pairs ``(left[k], right[k])`` with ``left < right`` and their cosine."""

    left: np.ndarray
    right: np.ndarray
    similarity: np.ndarray
    method: str

    def __len__(self) -> int:
        return len(self.left)


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Float32 rows scaled to unit length (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def similar_pairs(
    vectors: np.ndarray, threshold: float, options: NeighbourOptions | None = None
) -> Edges:
    """Every pair of rows whose cosine is at least ``threshold``.

    Args:
        vectors: ``(n, d)`` embeddings (normalised here).
        threshold: Cosine bar, e.g. 0.92.
        options: Search options.

    Returns:
        The pairs, sorted by (left, right), each once.
    """
    options = options or NeighbourOptions()
    unit = normalise_rows(vectors)
    n = len(unit)
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return Edges(empty, empty, np.zeros(0, dtype=np.float32), "exact")
    if n <= options.exact_max:
        left, right, sims = _exact(unit, threshold, options.block_size)
        method = "exact"
    else:
        left, right, sims = _ivf(unit, threshold, options)
        method = "ivf"
    order = np.lexsort((right, left))
    return Edges(left[order], right[order], sims[order], method)


def _exact(unit: np.ndarray, threshold: float, block: int):
    lefts, rights, sims = [], [], []
    for start in range(0, len(unit), block):
        stop = min(start + block, len(unit))
        # Only columns after the block's first row: each pair is computed at most twice.
        product = unit[start:stop] @ unit[start:].T
        rows, cols = np.nonzero(product >= threshold)
        cols = cols + start
        rows = rows + start
        keep = cols > rows
        lefts.append(rows[keep])
        rights.append(cols[keep])
        sims.append(product[rows[keep] - start, cols[keep] - start])
    return _concat(lefts, rights, sims)


def _concat(lefts, rights, sims):
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return (
        np.concatenate(lefts).astype(np.int64),
        np.concatenate(rights).astype(np.int64),
        np.concatenate(sims).astype(np.float32),
    )


def spherical_kmeans(
    unit: np.ndarray, cells: int, iterations: int, sample: int, seed: int
) -> np.ndarray:
    """Unit-length centroids fitted on a deterministic sample of rows."""
    rng = np.random.default_rng(seed)
    take = min(len(unit), max(sample, cells))
    fit = unit[np.sort(rng.choice(len(unit), size=take, replace=False))]
    centroids = fit[rng.choice(len(fit), size=cells, replace=False)].copy()
    for _ in range(iterations):
        assign = np.argmax(fit @ centroids.T, axis=1)
        # Per-cell sums as one sparse product (np.add.at is far slower).
        indicator = sparse.csr_matrix(
            (np.ones(len(fit), dtype=np.float32), (assign, np.arange(len(fit)))),
            shape=(cells, len(fit)),
        )
        sums = np.asarray(indicator @ fit, dtype=np.float32)
        empty = ~sums.any(axis=1)
        sums[empty] = centroids[empty]  # an empty cell keeps its centroid
        centroids = normalise_rows(sums)
    return centroids


def _top_cells(unit: np.ndarray, centroids: np.ndarray, n_probe: int, block: int) -> np.ndarray:
    """The ``n_probe`` nearest centroids of each row, nearest first."""
    out = np.empty((len(unit), n_probe), dtype=np.int64)
    for start in range(0, len(unit), block * 4):
        scores = unit[start:start + block * 4] @ centroids.T
        rows = np.arange(len(scores))
        # A few argmax passes beat argpartition for a handful of probes.
        for k in range(n_probe):
            best = np.argmax(scores, axis=1)
            out[start:start + len(scores), k] = best
            scores[rows, best] = -np.inf
    return out


def _projection(unit: np.ndarray, dims: int, sample: int, seed: int) -> np.ndarray | None:
    """Top principal directions of a sample (``d x dims``), or None if not worth it."""
    if dims <= 0 or dims >= unit.shape[1]:
        return None
    rng = np.random.default_rng(seed + 1)
    rows = unit[np.sort(rng.choice(len(unit), size=min(sample, len(unit)), replace=False))]
    centred = rows - rows.mean(axis=0)
    # Eigenvectors of the d x d covariance: much cheaper than an SVD of the sample.
    _, vectors = np.linalg.eigh((centred.T @ centred).astype(np.float64))
    return np.ascontiguousarray(vectors[:, ::-1][:, :dims].astype(np.float32))


def _ivf(unit: np.ndarray, threshold: float, options: NeighbourOptions):
    n = len(unit)
    n_probe = max(1, options.n_probe)
    cells = options.cells or max(8, int(np.sqrt(n * n_probe)))
    n_probe = min(n_probe, cells)
    # Cells are fitted and assigned in a PCA subspace (cheaper); the comparisons that decide
    # a duplicate use the full vectors.
    basis = _projection(unit, options.cell_dims, options.kmeans_sample, options.seed)
    reduced = unit if basis is None else normalise_rows(unit @ basis)
    centroids = spherical_kmeans(
        reduced, cells, options.kmeans_iterations, options.kmeans_sample, options.seed
    )
    probes = _top_cells(reduced, centroids, n_probe, options.block_size)
    # Store vectors sorted by home cell, so each cell's members are one contiguous slice.
    order = np.argsort(probes[:, 0], kind="stable")
    stored_all = unit[order]
    bounds = np.searchsorted(probes[order, 0], np.arange(cells + 1))
    queries = _group(probes.ravel(), cells, np.repeat(np.arange(n), n_probe))
    lefts, rights, sims = [], [], []
    for cell in range(cells):
        lo, hi = bounds[cell], bounds[cell + 1]
        asking = queries[cell]
        if hi == lo or len(asking) == 0:
            continue
        stored = stored_all[lo:hi]
        for start in range(0, len(asking), options.block_size):
            q = asking[start:start + options.block_size]
            product = unit[q] @ stored.T
            rows, cols = np.nonzero(product >= threshold)
            a, b = q[rows], order[lo + cols]
            keep = a != b
            lefts.append(np.minimum(a[keep], b[keep]))
            rights.append(np.maximum(a[keep], b[keep]))
            sims.append(product[rows[keep], cols[keep]])
    left, right, sim = _concat(lefts, rights, sims)
    # A pair found through several probed cells is reported once.
    if len(left):
        key = left * n + right
        _, first = np.unique(key, return_index=True)
        left, right, sim = left[first], right[first], sim[first]
    return left, right, sim


def _group(cell_of: np.ndarray, cells: int, values: np.ndarray | None = None) -> list[np.ndarray]:
    """Row indices (or ``values``) grouped by cell, each group in ascending order."""
    values = np.arange(len(cell_of)) if values is None else values
    order = np.argsort(cell_of, kind="stable")
    bounds = np.searchsorted(cell_of[order], np.arange(cells + 1))
    return [values[order[bounds[c]:bounds[c + 1]]] for c in range(cells)]
