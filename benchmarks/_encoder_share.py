"""How much of a batch run is the model's own encoding, for the speed benchmarks.

The batch paths encode the next batch while ranking the current one, so timing the encoder's
calls inside the run would count overlapped time twice. Instead the run records which texts it
encoded; afterwards the same texts are encoded again on their own, in the same groups, and
that time (wall clock and CPU of all threads) is set against the whole run's:

    share outside encode (wall) = 1 - encoder-alone wall time / run wall time
    share outside encode (CPU)  = 1 - encoder-alone CPU time / run CPU time
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from typing import Any


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class RecordingEncoder:
    """Wraps a finder's encoder and records the texts of each encode call."""

    def __init__(self, encoder: Any) -> None:
        self.inner = encoder
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def encode(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        self.calls.append((list(texts), dict(kwargs)))
        return self.inner.encode(texts, **kwargs)

    @property
    def texts(self) -> int:
        return sum(len(texts) for texts, _ in self.calls)


def forget(finder: Any) -> None:
    """Empty what a finder keeps from earlier calls (text vectors, strength rows, written
    starter steps and their parts, value details), so a timed run pays for them as a new
    survey would. (The catalog's own tables, built once per finder, stay.)"""
    finder._text_cache.clear()
    finder._strength_rows.clear()
    writer = finder._step_writer
    for kept in writer._written.values():
        kept.clear()
    writer._differences.clear()
    finder._details.clear()


def measure(finder: Any, run: Callable[[], object]) -> dict[str, float]:
    """Run ``run()`` with the finder's encoder recorded, then encode the same texts alone.

    Returns wall and CPU seconds of the run and of the encoder alone, the shares outside the
    encoder, and the number of texts encoded.
    """
    recorder = RecordingEncoder(finder.encoder)
    finder.encoder = recorder
    try:
        wall, cpu = time.perf_counter(), cpu_seconds()
        run()
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    finally:
        finder.encoder = recorder.inner
    enc_wall, enc_cpu = time.perf_counter(), cpu_seconds()
    for texts, kwargs in recorder.calls:
        recorder.inner.encode(texts, **kwargs)
    enc_wall, enc_cpu = time.perf_counter() - enc_wall, cpu_seconds() - enc_cpu
    return {
        "seconds": wall, "cpu_seconds": cpu,
        "encoder_alone_seconds": enc_wall, "encoder_alone_cpu_seconds": enc_cpu,
        "share_outside_encode_wall": 1 - enc_wall / wall,
        "share_outside_encode_cpu": 1 - enc_cpu / cpu,
        "texts": recorder.texts,
    }
