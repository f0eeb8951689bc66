"""``load_encoder``: from a ``model=`` argument and a backend to a ready encoder."""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

from .encoder import Encoder
from .export import _load_onnx
from .sources import (
    BASE_MODEL,
    DEFAULT_TUNED,
    TUNED_MODEL,
    _adapted_source,
    _default_source,
    _exportable_source,
    _Source,
)
from .torch_backend import SentenceTransformerEncoder

__all__ = ["load_encoder"]

logger = logging.getLogger(__name__)

BACKENDS = ("auto", "onnx", "torch")
PRECISIONS = ("fp32", "int8")


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

    from .adapter import is_adapter_folder, shipped_adapter

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
        from .adapter import merge_adapter

        merge_adapter(encoder.model[0].auto_model, source.adapter)
    return encoder


def _torch_backend_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "sentence_transformers"))
