"""Tune the encoder on O*NET text, or on your own coded answers: the public name of the training
code, which lives with the rest of the model layer in ``passionfinder/_model/tuning.py``.

Retrain the shipped adapter (see docs/tuning.md)::

    python -m passionfinder.tuning --out build/onet-adapter
"""

from __future__ import annotations

from .._model.tuning import (
    HeldOut,
    Pair,
    TrainingRecipe,
    TuningError,
    build_batches,
    catalog_pairs,
    held_out,
    main,
    train_adapter,
    tune,
)

__all__ = [
    "HeldOut",
    "Pair",
    "TrainingRecipe",
    "TuningError",
    "build_batches",
    "catalog_pairs",
    "held_out",
    "main",
    "train_adapter",
    "tune",
]
