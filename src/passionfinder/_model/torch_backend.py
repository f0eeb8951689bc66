"""The torch backend: a sentence-transformers model on the CPU, imported only when asked for."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .encoder import Encoder, _l2_normalise, _want_progress
from .sources import _folder_model_id

if TYPE_CHECKING:  # pragma: no cover
    import tokenizers

__all__ = ["SentenceTransformerEncoder"]

_PIP_TORCH = "pip install sentence-transformers torch"


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
