"""DNSMOS P.835 speech-quality scores (speechmos' ONNX model, without the P.808 head).

:class:`DnsmosScorer` holds one onnxruntime session; build it once per process (the
``dnsmos`` resource does) and share it: onnxruntime sessions are safe to call from threads.
:meth:`DnsmosScorer.score_many` scores many windows at once, in batches (the model takes any
batch size, with results equal to one window at a time) spread over a thread pool sized to the
cores, since ``session.run`` releases the GIL. On 16 cores the one-at-a-time loop kept about 2
busy (82 CPU-s in 33 s for an hour of segments).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

DNSMOS_SAMPLE_RATE = 16_000
DNSMOS_WINDOW_SAMPLES = int(9.01 * DNSMOS_SAMPLE_RATE)  # the model's fixed input length

# Polynomials that map the raw network outputs to MOS (speechmos.dnsmos, not personalised).
_P_SIG = np.poly1d([-0.08397278, 1.22083953, 0.0052439])
_P_BAK = np.poly1d([-0.13166888, 1.60915514, -0.39604546])
_P_OVR = np.poly1d([-0.06766283, 1.11546468, 0.04602535])


def _session(threads: int, providers: Sequence[str]) -> Any:
    try:
        import onnxruntime
        import speechmos
    except ImportError as exc:  # pragma: no cover - both are project dependencies
        raise RuntimeError(
            "DNSMOS needs the speechmos and onnxruntime packages (pip install speechmos), "
            "or set audio_quality.dnsmos=false"
        ) from exc
    path = Path(speechmos.__file__).parent / "dnsmos_models" / "sig_bak_ovr.onnx"
    options = onnxruntime.SessionOptions()
    # An explicit thread count and no busy-waiting: onnxruntime's defaults spin and size the
    # pool from the host, which costs 2-3x when other processes share the cores.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    available = set(onnxruntime.get_available_providers())
    chosen = [p for p in providers if p in available] or ["CPUExecutionProvider"]
    return onnxruntime.InferenceSession(str(path), sess_options=options, providers=chosen)


def dnsmos_input(window: np.ndarray) -> np.ndarray:
    """Tile/trim to the model's 9.01 s and peak-normalise, as speechmos expects."""
    window = np.asarray(window, dtype=np.float32)
    if window.size == 0:
        window = np.zeros(DNSMOS_WINDOW_SAMPLES, dtype=np.float32)
    window = np.resize(window, DNSMOS_WINDOW_SAMPLES)  # np.resize repeats the samples
    peak = float(np.abs(window).max())
    return window / peak if peak > 0 else window


class DnsmosScorer:
    """DNSMOS P.835 on 16 kHz windows.

    Args:
        threads: onnxruntime intra-op threads per call.
        providers: onnxruntime execution providers in order of preference (those not
            installed are skipped; CPU is the fallback). ``CUDAExecutionProvider`` is used
            when onnxruntime-gpu is installed.
        workers: Threads that call the session at once in :meth:`score_many`; 0 sizes the
            pool to the cores (``available CPUs // threads``; 1 on CUDA, where one batched call
            keeps the GPU busy).
        batch_size: Windows per session call in :meth:`score_many`. 1 keeps memory low on a
            CPU (batches of 8 on 2 threads peaked at 3.4 GB against 0.8 GB for 1, at the
            same speed); raise it on a GPU.
    """

    def __init__(
        self,
        threads: int = 1,
        providers: Sequence[str] = ("CPUExecutionProvider",),
        workers: int = 0,
        batch_size: int = 1,
    ):
        self.threads = max(1, int(threads))
        self.session = _session(self.threads, providers)
        self.providers = list(self.session.get_providers())
        self.batch_size = max(1, int(batch_size))
        if workers <= 0:
            from pixel_assets.cpus import available_cpus

            on_gpu = self.providers[0] != "CPUExecutionProvider"
            workers = 1 if on_gpu else max(1, available_cpus() // self.threads)
        self.workers = workers

    def score_many(self, windows: Sequence[np.ndarray]) -> np.ndarray:
        """``(ovrl, sig, bak)`` of each window, shape ``(n, 3)``; equal to :meth:`score_window`
        on each, computed in batches on :attr:`workers` threads."""
        if not windows:
            return np.zeros((0, 3))
        inputs = [dnsmos_input(w) for w in windows]
        batches = [
            np.stack(inputs[i : i + self.batch_size])
            for i in range(0, len(inputs), self.batch_size)
        ]

        def run(batch: np.ndarray) -> np.ndarray:
            return self.session.run(None, {"input_1": batch})[0]

        if self.workers > 1 and len(batches) > 1:
            with ThreadPoolExecutor(max_workers=min(self.workers, len(batches))) as pool:
                raw = np.concatenate(list(pool.map(run, batches)))
        else:
            raw = np.concatenate([run(b) for b in batches])
        return np.stack([_P_OVR(raw[:, 2]), _P_SIG(raw[:, 0]), _P_BAK(raw[:, 1])], axis=1)

    def score_window(self, window: np.ndarray) -> tuple[float, float, float]:
        """``(ovrl, sig, bak)`` of one window on the 1–5 MOS scale."""
        raw = self.session.run(None, {"input_1": dnsmos_input(window)[np.newaxis, :]})[0][0]
        return float(_P_OVR(raw[2])), float(_P_SIG(raw[0])), float(_P_BAK(raw[1]))

    def scores(self, windows: Sequence[np.ndarray]) -> dict[str, float] | None:
        """Mean scores over ``windows``: ``{"ovrl", "sig", "bak"}``, or None for no windows.

        Equal to ``speechmos.dnsmos.run`` on a single 9.01 s window.
        """
        if not windows:
            return None
        ovr, sig, bak = self.score_many(windows).mean(axis=0)
        return {"ovrl": float(ovr), "sig": float(sig), "bak": float(bak)}
