"""LoRA adapters for the encoder: where the shipped one lives, its digest, and merging one into
the base weights (torch and safetensors only; peft is needed to train, not to use)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .._errors import PassionfinderError

__all__ = ["ADAPTER_CONFIG", "ADAPTER_WEIGHTS", "adapter_digest", "is_adapter_folder",
           "merge_adapter", "shipped_adapter"]

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
#: Name of the adapter shipped in the package, trained on O*NET text (docs/tuning.md).
SHIPPED_NAME = "onet"


def shipped_adapter() -> Path | None:
    """The adapter shipped in the package (``passionfinder/adapters/onet``), if present."""
    folder = Path(__file__).parents[1] / "adapters" / SHIPPED_NAME
    return folder if is_adapter_folder(folder) else None


def is_adapter_folder(folder: str | os.PathLike[str]) -> bool:
    """Whether ``folder`` holds a LoRA adapter (config and safetensors weights)."""
    folder = Path(folder)
    return (folder / ADAPTER_CONFIG).is_file() and (folder / ADAPTER_WEIGHTS).is_file()


#: Sub-folder of an adapter that holds the adapter it was trained on top of (merged first).
START_FOLDER = "start"


def adapter_digest(folder: str | os.PathLike[str]) -> str:
    """sha256 over the adapter's config and weights (and those of the adapter it was trained
    on top of): what caches key on."""
    h = hashlib.sha256()
    start = Path(folder) / START_FOLDER
    if is_adapter_folder(start):
        h.update(adapter_digest(start).encode())
    for name in (ADAPTER_CONFIG, ADAPTER_WEIGHTS):
        h.update(name.encode())
        h.update((Path(folder) / name).read_bytes())
    return h.hexdigest()


def merge_adapter(model: Any, folder: str | os.PathLike[str]) -> int:
    """Add a LoRA adapter's update ``(alpha / r) * B @ A`` into the weights of ``model`` (a
    transformers model) in place; an adapter trained on top of another one (in its ``start``
    sub-folder) merges that one first. Returns the number of layers changed.

    Raises
    ------
    PassionfinderError
        If the adapter names a layer the model does not have, or holds no LoRA weights.
    """
    import torch
    from safetensors.torch import load_file

    folder = Path(folder)
    changed = 0
    if is_adapter_folder(folder / START_FOLDER):
        changed += merge_adapter(model, folder / START_FOLDER)
    cfg = json.loads((folder / ADAPTER_CONFIG).read_text())
    scale = float(cfg["lora_alpha"]) / float(cfg["r"])
    tensors = load_file(str(folder / ADAPTER_WEIGHTS))
    modules = dict(model.named_modules())
    for key, a in sorted(tensors.items()):
        if not key.endswith(".lora_A.weight"):
            continue
        path = key[: -len(".lora_A.weight")].removeprefix("base_model.model.")
        b = tensors[key.replace(".lora_A.", ".lora_B.")]
        target = modules.get(path)
        if target is None or not hasattr(target, "weight"):
            raise PassionfinderError(
                f"The adapter in {folder} does not fit this model: it has no layer {path!r}.")
        with torch.no_grad():
            target.weight += scale * (b.to(target.weight.dtype) @ a.to(target.weight.dtype))
        changed += 1
    if not changed:
        raise PassionfinderError(f"The adapter in {folder} holds no LoRA weights.")
    return changed
