"""The encoder interface: texts in, unit-length float32 vectors out, long texts split and their
pieces averaged. The backends (ONNX, torch) implement two hooks."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from .splitting import split_text

__all__ = ["Encoder"]

logger = logging.getLogger(__name__)

_PROGRESS_MIN_BATCHES = 8  # show_progress=None: a bar only from this many batches on


class Encoder:
    """Base class of the text encoders: texts in, L2-normalised float32 vectors out.

    Attributes
    ----------
    name : str
        Stable identifier of model, backend and quantisation, e.g.
        ``"all-MiniLM-L6-v2/onnx-fp32"``; use it in cache keys of stored embeddings.
    dim : int
        Embedding size.
    max_tokens : int
        Longest sequence, in model tokens with the special ones, the model reads at once.

    Notes
    -----
    Subclasses implement ``_tokenize`` (texts to token ids, never truncated) and ``_embed``
    (pieces that fit ``max_tokens`` to normalised vectors); :meth:`encode` does the validation
    and the chunking of long texts. Any object with ``name``, ``dim`` and ``encode`` is also
    accepted by :func:`passionfinder.load_encoder`.
    """

    name: str
    dim: int
    max_tokens: int
    #: True when a text's vector never depends on the other texts encoded with it, so that
    #: vectors may be reused across calls (PassionFinder keeps a cache of recent texts).
    batch_independent: bool = False

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 64,
        show_progress: bool | None = None,
    ) -> NDArray[np.float32]:
        """Embed texts as unit-length vectors.

        A text longer than :attr:`max_tokens` is never truncated: it is split into pieces
        that fit (see :func:`split_text`), every piece is embedded, and the text's vector is
        the token-count-weighted mean of its pieces' vectors, re-normalised. All pieces of
        all texts go through the model together, in batches of similar length.

        Parameters
        ----------
        texts : sequence of str
            The texts (a list, tuple, pandas Series, ...). A bare ``str`` is refused.
        batch_size : int, default 64
            Number of pieces per forward pass.
        show_progress : bool or None, default None
            ``None`` shows a progress bar only for many batches and when stderr is a
            terminal; ``False`` never, ``True`` always.

        Returns
        -------
        numpy.ndarray
            float32 array of shape ``(len(texts), dim)`` whose rows have unit L2 norm;
            ``(0, dim)`` for no texts.

        Raises
        ------
        TypeError
            If ``texts`` is a string or holds something that is not a string.
        ValueError
            If ``batch_size`` is smaller than 1.
        """
        items = _as_text_list(texts)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer. Got {batch_size!r} instead.")
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)

        ids = self._tokenize(items)
        if all(len(seq) <= self.max_tokens for seq in ids):
            return self._embed(items, ids, batch_size=batch_size, show_progress=show_progress)

        pieces: list[str] = []
        piece_ids: list[Sequence[int]] = []
        owners: list[int] = []
        for i, (text, seq) in enumerate(zip(items, ids, strict=False)):
            if len(seq) <= self.max_tokens:
                pieces.append(text)
                piece_ids.append(seq)
                owners.append(i)
                continue
            chunks = split_text(text, self.max_tokens, self._count_tokens)
            logger.debug("text %d (%d tokens) split into %d pieces", i, len(seq), len(chunks))
            pieces.extend(chunks)
            piece_ids.extend(self._tokenize(chunks))
            owners.extend([i] * len(chunks))

        emb = self._embed(pieces, piece_ids, batch_size=batch_size, show_progress=show_progress)
        weights = np.fromiter((len(seq) for seq in piece_ids), dtype=np.float32, count=len(pieces))
        owner = np.asarray(owners)
        # a text that fits keeps its own vector, exactly as when encoded alone; a split text is
        # the token-weighted mean of its pieces, summed in piece order
        out = np.zeros((len(items), emb.shape[1]), dtype=np.float32)
        split = np.bincount(owner, minlength=len(items)) > 1
        for piece, i in enumerate(owners):
            if split[i]:
                out[i] += emb[piece] * weights[piece]
            else:
                out[i] = emb[piece]
        out[split] = _l2_normalise(out[split])
        return out

    # -- hooks for subclasses ----------------------------------------------------------------

    def _tokenize(self, texts: list[str]) -> list[Sequence[int]]:
        """Token ids of each text, special tokens included, without truncation."""
        raise NotImplementedError

    def _embed(
        self,
        texts: list[str],
        ids: list[Sequence[int]],
        *,
        batch_size: int,
        show_progress: bool | None,
    ) -> NDArray[np.float32]:
        """Normalised vectors of pieces that fit ``max_tokens`` (texts and their ids)."""
        raise NotImplementedError

    def _count_tokens(self, text: str) -> int:
        return len(self._tokenize([text])[0])

    def __repr__(self) -> str:
        cls = type(self).__name__
        return f"{cls}(name={self.name!r}, dim={self.dim}, max_tokens={self.max_tokens})"


def _as_text_list(texts: Iterable[str]) -> list[str]:
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            "encode expects a sequence of strings, not a single string; wrap it in a list: "
            "encode([text])."
        )
    items = list(texts)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"texts[{i}] is a {type(item).__name__}, not a str.")
    return items


def _l2_normalise(x: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


def _want_progress(show: bool | None, n_batches: int) -> bool:
    if show is None:
        stream = sys.stderr
        return n_batches >= _PROGRESS_MIN_BATCHES and stream is not None and stream.isatty()
    return bool(show)


@contextlib.contextmanager
def _progress(n_batches: int, show: bool | None) -> Iterator[Callable[[], None]]:
    if not _want_progress(show, n_batches):
        yield lambda: None
        return
    from tqdm.auto import tqdm

    with tqdm(total=n_batches, desc="Encoding", unit="batch", leave=False) as bar:
        yield lambda: bar.update(1)
