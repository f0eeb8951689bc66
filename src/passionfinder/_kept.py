"""Rows kept for recent texts: a bounded, thread-safe, least-recently-used store of one
float32 row per text (a text's vector, or its similarity to every task)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator

import numpy as np

__all__ = ["KeptRows"]


class KeptRows:
    """At most ``size`` rows, keyed by text; the least recently used go first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._rows: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._rows))

    def __contains__(self, text: object) -> bool:
        return text in self._rows

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()

    def rows(self, texts: list[str], width: int,
             compute: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """The row of each text: kept ones from the store, the others from one call of
        ``compute`` (given the missing texts, in order), then kept."""
        out = np.empty((len(texts), width), dtype=np.float32)
        missing = []
        with self._lock:
            for i, text in enumerate(texts):
                row = self._rows.get(text)
                if row is None:
                    missing.append(i)
                else:
                    self._rows.move_to_end(text)
                    out[i] = row
        if missing:
            fresh = compute([texts[i] for i in missing])
            out[missing] = fresh
            with self._lock:
                for i, row in zip(missing, fresh, strict=True):
                    self._rows[texts[i]] = np.array(row, dtype=np.float32)
                while len(self._rows) > self.size:
                    self._rows.popitem(last=False)
        return out
