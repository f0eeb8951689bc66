"""Export and quantisation: the model traced to ONNX (a LoRA adapter merged in first), quantised
to int8, checked against torch, and kept in the cache under a name that keys on the weights,
the adapter and the export recipe."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import inspect
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._atomic import atomic_path
from .._config import get_cache_home
from .._errors import CacheWarning, PassionfinderError, caller_stacklevel
from .encoder import _l2_normalise
from .manifest import (
    _MANIFEST,
    _MODEL_FILE,
    _TOKENIZER_FILE,
    _CorruptModelError,
    _file_sha256,
    _read_manifest,
    _source_sha256,
)
from .onnx_runtime import OnnxEncoder, _pool
from .sources import _Source
from .torch_backend import _quiet_transformers

logger = logging.getLogger(__name__)

# Version of the export recipe (tracer, opset, quantisation settings). Bump it whenever a change
# alters the numbers the exported model produces; the cached export is then rebuilt and the
# encoder name gains a suffix so that embeddings cached under the old name are not reused.
_ONNX_RECIPE = 2
_ONNX_OPSET = 17

_PIP_EXPORT = "pip install torch transformers onnx onnxruntime"

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


def _onnx_name(model_id: str, precision: str) -> str:
    suffix = f"onnx-{precision}"
    return f"{model_id}/{suffix}" if _ONNX_RECIPE == 1 else f"{model_id}/{suffix}-r{_ONNX_RECIPE}"


def _load_onnx(source: _Source, cache_home: str | os.PathLike[str] | None,
               precision: str = "fp32") -> OnnxEncoder:
    """Load the cached export of ``source``, building (or rebuilding) it when needed."""
    models_dir = get_cache_home(cache_home) / "models"
    digest = _source_sha256(source.weights, models_dir)
    if source.adapter is not None:
        from .adapter import adapter_digest

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
        from .adapter import merge_adapter

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


def _discard_dir(path: Path) -> None:
    """Remove a cache folder, moving it out of the way first so the name frees up atomically."""
    trash = path.with_name(f".trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(path, trash)
    except FileNotFoundError:
        return
    shutil.rmtree(trash, ignore_errors=True)


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
