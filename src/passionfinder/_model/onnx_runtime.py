"""Run time of an exported model: onnxruntime and the tokenizers library, no torch."""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .encoder import Encoder, _l2_normalise, _progress
from .manifest import (
    _MANIFEST,
    _MODEL_FILE,
    _OPTIMIZED_FILE,
    _TOKENIZER_FILE,
    _CorruptModelError,
    _optimized_graph,
    _read_manifest,
    _record_optimized_graph,
    _verify_files,
)

if TYPE_CHECKING:  # pragma: no cover
    import onnxruntime
    import tokenizers

__all__ = ["OnnxEncoder"]

logger = logging.getLogger(__name__)

_PIP_ONNX = "pip install onnxruntime tokenizers"


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
        ``manifest._OPTIMIZED_FILE``), else from model.onnx, whose optimised graph is then
        saved.
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
        os.replace(temporary, model_dir / _OPTIMIZED_FILE)
        _record_optimized_graph(model_dir, manifest, ort.__version__)
    except Exception as exc:  # noqa: BLE001 - a read-only folder, or onnxruntime's own errors
        logger.debug("could not save the optimised graph in %s: %s", model_dir, exc)
        temporary.unlink(missing_ok=True)


def _usable_cores() -> int:
    """CPU cores this process may run on (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


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
