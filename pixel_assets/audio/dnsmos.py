"""DNSMOS P.835 speech-quality scores (speechmos' ONNX model, without the P.808 head).

:class:`DnsmosScorer` holds one onnxruntime session; build it once per process (the
``dnsmos`` resource does) and share it: onnxruntime sessions are safe to call from threads.
"""

from __future__ import annotations

from collections.abc import Sequence
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
        threads: onnxruntime intra-op threads.
        providers: onnxruntime execution providers in order of preference (those not
            installed are skipped; CPU is the fallback).
    """

    def __init__(self, threads: int = 1, providers: Sequence[str] = ("CPUExecutionProvider",)):
        self.threads = max(1, int(threads))
        self.session = _session(self.threads, providers)
        self.providers = list(self.session.get_providers())

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
        ovr, sig, bak = zip(*(self.score_window(w) for w in windows), strict=True)
        return {"ovrl": float(np.mean(ovr)), "sig": float(np.mean(sig)), "bak": float(np.mean(bak))}
