"""Calibrated confidence for classify(): temperature scaling of the classification scores.

``confidence = softmax(scores / T)``, over all occupations, with one temperature for short
texts (job titles) and one for longer ones (descriptions of work), because the two are scored
with different weights. The temperatures are fitted on held-out texts so that the top-1
confidence is calibrated (the log loss of top-1 correctness, :func:`fit_temperature`)
(``benchmarks/bench_tuning.py --write-calibration``) and stored per model in
``calibration.json`` beside this module, with the expected calibration error (ECE) measured on
a second held-out half.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

__all__ = [
    "Calibration",
    "calibration_for",
    "expected_calibration_error",
    "fit_temperature",
    "softmax",
]

_FILE = Path(__file__).with_name("calibration.json")
#: Temperatures used for a model without fitted ones (fitted for plain all-MiniLM-L6-v2).
_FALLBACK_MODEL = "all-MiniLM-L6-v2"


def softmax(scores: np.ndarray, temperature: float | np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``scores / temperature`` (float64, rows sum to one)."""
    z = np.asarray(scores, dtype=np.float64) / np.asarray(temperature, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def fit_temperature(scores: np.ndarray, truth: np.ndarray, *, target: str = "top1") -> float:
    """The temperature that best calibrates ``softmax(scores / T)``.

    ``target="top1"`` (the default) minimises the log loss of the top-1 confidence against
    whether the top-1 occupation is the true one: the number a user thresholds on
    (``min_confidence``) is then calibrated. ``target="likelihood"`` minimises the negative
    log-likelihood of the true column over all occupations. A golden-section search over log T
    in [1e-3, 10].
    """
    scores = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(truth, dtype=np.int64)
    if len(scores) == 0:
        raise ValueError("fit_temperature needs at least one scored text.")
    if target not in ("top1", "likelihood"):
        raise ValueError(f"target must be 'top1' or 'likelihood'; got {target!r}.")
    rows = np.arange(len(truth))
    correct = scores.argmax(axis=1) == truth

    def nll(log_t: float) -> float:
        z = scores / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1))
        if target == "likelihood":
            return float(np.mean(log_norm - z[rows, truth]))
        top = np.clip(np.exp(-log_norm), 1e-12, 1 - 1e-12)  # the top-1 probability
        return float(-np.mean(np.where(correct, np.log(top), np.log1p(-top))))

    lo, hi = np.log(1e-3), np.log(10.0)
    g = (np.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(80):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(b)
    return float(np.exp((lo + hi) / 2))


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray,
                               bins: int = 15) -> float:
    """ECE: the mean, weighted by bin size, of |accuracy - mean confidence| over equal-width
    confidence bins."""
    confidence = np.asarray(confidence, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    if len(confidence) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total / len(confidence))


@dataclass(frozen=True)
class Calibration:
    """Temperatures of one model: ``short`` for texts of at most six words, ``long`` else."""

    model: str
    short: float
    long: float
    fitted: bool = True  # False: the temperatures of another model, used as a fallback

    def probabilities(self, scores: np.ndarray, short: np.ndarray) -> np.ndarray:
        """softmax(scores / T) per row, T chosen by the row's text length."""
        t = np.where(np.asarray(short, dtype=bool), self.short, self.long)[:, None]
        return softmax(scores, t)


@cache
def _table() -> Mapping[str, Mapping[str, float]]:
    if not _FILE.is_file():
        return {}
    return json.loads(_FILE.read_text())["models"]


def calibration_for(encoder_name: str) -> Calibration:
    """The fitted temperatures of a model (by the encoder's name up to ``/``); the plain
    all-MiniLM-L6-v2's, marked ``fitted=False``, for a model without its own."""
    model = encoder_name.split("/", 1)[0]
    table = _table()
    if model in table:
        entry = table[model]
        return Calibration(model, float(entry["short"]), float(entry["long"]))
    entry = table.get(_FALLBACK_MODEL, {"short": 0.05, "long": 0.05})
    return Calibration(model, float(entry["short"]), float(entry["long"]), fitted=False)
