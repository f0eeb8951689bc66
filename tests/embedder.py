"""A small deterministic test embedder: hashed bag of word stems, L2-normalised.

It stands in for the real model in fast unit tests: texts that share words are similar, others
are not, and the same text always gives the same vector, in any process.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from passionfinder import Encoder


class HashingEncoder(Encoder):
    """Bag of word stems (first 5 letters), each hashed to a signed dimension."""

    def __init__(self, dim: int = 256) -> None:
        self.name = f"test-hashing-{dim}"
        self.dim = dim
        self.max_tokens = 10_000
        self.calls: list[int] = []

    def encode(self, texts: Sequence[str], *, batch_size: int = 64,
               show_progress: bool | None = None) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode takes a list of texts")
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                if len(word) < 3:
                    continue
                digest = hashlib.md5(word[:5].encode()).digest()
                j = int.from_bytes(digest[:4], "little") % self.dim
                out[i, j] += 1.0 if digest[4] % 2 else -1.0
            norm = np.linalg.norm(out[i])
            if norm > 0:
                out[i] /= norm
            else:
                out[i, 0] = 1.0
        return out
