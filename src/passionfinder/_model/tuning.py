"""Tune the encoder on O*NET text: contrastive pairs from the catalog, or from a user's coded
answers, train a LoRA adapter on all-MiniLM-L6-v2 with sentence-transformers.

The held-out split is part of this module: the Sample of Reported Titles, the Emerging Tasks and
a fixed, seeded share of every occupation's task statements are never trained on, and no
training text repeats a held-out text (:func:`held_out`, :func:`catalog_pairs`). The benchmarks
measure on exactly these texts.

Retrain the shipped adapter (see docs/tuning.md)::

    python -m passionfinder.tuning --out build/onet-adapter

Training needs the ``[tune]`` extra (torch, sentence-transformers, peft); using a trained
adapter does not: the ONNX export merges it into the base weights on first use.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import logging
import math
import os
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import PassionfinderError
from .adapter import (
    ADAPTER_CONFIG,
    ADAPTER_WEIGHTS,
    START_FOLDER,
    adapter_digest,
    merge_adapter,
    shipped_adapter,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .._catalog import Catalog

__all__ = [
    "HeldOut",
    "Pair",
    "TrainingRecipe",
    "build_batches",
    "catalog_pairs",
    "held_out",
    "train_adapter",
    "tune",
]

logger = logging.getLogger(__name__)

TRAINING_RECORD = "training.json"

#: Seed and share of the task statements of every occupation that are never trained on.
HELD_OUT_SEED = 13
HELD_OUT_SHARE = 0.10

#: A detailed work activity shared by more occupations than this says too little to train on.
MAX_ACTIVITY_OWNERS = 5

#: The linear layers of the BERT encoder that get a LoRA update.
LORA_TARGETS = ("query", "key", "value", "dense")

#: Pair kinds, and the share of the training pairs each gets by default (the shipped recipe).
DEFAULT_MIX: Mapping[str, float] = {
    "task": 0.40,          # task statement -> "title. description"
    "title": 0.35,         # alternate title -> "title. description"
    "activity": 0.15,      # detailed work activity -> "title. description"
    "description": 0.10,   # description -> title
}
#: Every pair kind: the catalog's, and ``coded`` for a user's coded answers.
PAIR_KINDS = frozenset(DEFAULT_MIX) | {"coded"}
OBJECTIVES = ("pairs", "occupations")
SAVE_DTYPES = ("float32", "float16")
_PIP_TUNE = "pip install 'passionfinder[tune]'"


class TuningError(PassionfinderError, ValueError):
    """Training data that cannot be used (unknown codes, too few pairs, ...)."""


def _key(text: str) -> str:
    """A text as compared for duplicates: case-folded, punctuation and spacing collapsed."""
    return re.sub(r"[^a-z0-9]+", " ", str(text).casefold()).strip()


# --------------------------------------------------------------------------------------------
# Held-out split
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldOut:
    """The texts no training run sees, each with its true occupation code.

    ``task_rows`` are row positions in ``catalog.tasks``; ``tasks``, ``reported_titles`` and
    ``emerging_tasks`` are frames with columns ``text`` and ``onet_soc_code``.
    """

    task_rows: np.ndarray
    tasks: pd.DataFrame
    reported_titles: pd.DataFrame
    emerging_tasks: pd.DataFrame

    def keys(self) -> set[str]:
        """Every held-out text, as compared for duplicates."""
        out: set[str] = set()
        for frame in (self.tasks, self.reported_titles, self.emerging_tasks):
            out.update(_key(t) for t in frame["text"])
        out.discard("")
        return out


def held_out_task_rows(catalog: Catalog, *, seed: int = HELD_OUT_SEED,
                       share: float = HELD_OUT_SHARE) -> np.ndarray:
    """Row positions in ``catalog.tasks`` that are held out: a seeded ``share`` (rounded up) of
    every occupation's task statements, counting first the two per occupation that the quality
    benchmark holds out (:func:`passionfinder._evaluation.held_out_task_positions`)."""
    from .._evaluation import held_out_task_positions

    if catalog.tasks is None or catalog.tasks.empty:
        return np.zeros(0, dtype=np.int64)
    codes = catalog.tasks["onet_soc_code"].to_numpy()
    rng = np.random.default_rng(seed)
    bench = np.zeros(len(codes), dtype=bool)
    bench[held_out_task_positions(catalog)] = True
    held: list[int] = np.flatnonzero(bench).tolist()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1], True])
    for lo, hi in itertools.pairwise(bounds):
        mine = order[lo:hi]
        more = math.ceil(share * len(mine)) - int(bench[mine].sum())
        rest = mine[~bench[mine]]
        if more > 0 and len(rest) > 1:
            held.extend(rng.choice(rest, min(more, len(rest) - 1), replace=False).tolist())
    return np.array(sorted(held), dtype=np.int64)


def held_out(catalog: Catalog, *, seed: int = HELD_OUT_SEED,
             share: float = HELD_OUT_SHARE) -> HeldOut:
    """The held-out split of ``catalog``: reported titles, emerging tasks (when the release
    has them) and the seeded share of task statements (:func:`held_out_task_rows`)."""
    import pandas as pd

    def frame(texts: Iterable[str], codes: Iterable[str]) -> pd.DataFrame:
        out = pd.DataFrame({"text": list(texts), "onet_soc_code": list(codes)})
        return out[out["onet_soc_code"].isin(catalog.occupations.index)].reset_index(drop=True)

    rows = held_out_task_rows(catalog, seed=seed, share=share)
    if catalog.tasks is not None:
        tasks = frame(catalog.tasks["task"].to_numpy()[rows],
                      catalog.tasks["onet_soc_code"].to_numpy()[rows])
    else:
        tasks = frame([], [])
    rep = catalog.reported_titles
    reported = frame(rep["title"], rep["onet_soc_code"]) if rep is not None else frame([], [])
    emerging = _read_tuning_table(catalog, "emerging_tasks")
    emerging_frame = (frame(emerging["task"], emerging["onet_soc_code"])
                      if emerging is not None else frame([], []))
    return HeldOut(rows, tasks, reported, emerging_frame)


def _read_tuning_table(catalog: Catalog, name: str) -> pd.DataFrame | None:
    """A table only tuning reads (emerging tasks, DWAs), from the catalog's data folder."""
    from .._release import open_release

    if catalog.data_home is None:
        return None
    try:
        release = open_release(catalog.data_home)
    except PassionfinderError:
        return None
    return release.read(name)


# --------------------------------------------------------------------------------------------
# Training pairs and batches
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """One training example: ``anchor`` should embed close to ``positive``, the text standing
    for occupation ``code``."""

    anchor: str
    positive: str
    code: str
    kind: str


def occupation_text(title: str, description: str) -> str:
    """The text an occupation is represented by in training: ``"title. description"``."""
    title = str(title).strip().rstrip(".")
    description = str(description or "").strip()
    return f"{title}. {description}" if description else title


def occupation_texts(catalog: Catalog) -> dict[str, str]:
    """Code -> :func:`occupation_text` of every occupation of the catalog."""
    occ = catalog.occupations
    return {code: occupation_text(t, d)
            for code, t, d in zip(occ.index, occ["title"], occ["description"], strict=True)}


def catalog_pairs(catalog: Catalog, *, held: HeldOut | None = None) -> list[Pair]:
    """Every training pair the catalog offers, none of them held out.

    Kinds: ``task`` (kept task statement -> occupation), ``title`` (alternate title ->
    occupation), ``activity`` (a detailed work activity of a kept task -> occupation),
    ``description`` (description -> title). The occupation side is
    :func:`occupation_text`. A pair whose anchor repeats a held-out text (case and punctuation
    aside) is dropped: every reported title is also an alternate title, for example.
    """
    held = held if held is not None else held_out(catalog)
    banned = held.keys()
    occ = catalog.occupations
    doc = occupation_texts(catalog)
    pairs: list[Pair] = []

    def add(anchor: Any, code: str, kind: str, positive: str | None = None) -> None:
        if not isinstance(anchor, str) or code not in doc:
            return
        anchor = anchor.strip()
        if not anchor or _key(anchor) in banned:
            return
        pairs.append(Pair(anchor, positive if positive is not None else doc[code], code, kind))

    kept_task_ids: set[tuple[str, str]] = set()
    if catalog.tasks is not None:
        keep = np.ones(len(catalog.tasks), dtype=bool)
        keep[held.task_rows] = False
        kept = catalog.tasks[keep]
        for code, text, task_id in zip(kept["onet_soc_code"], kept["task"], kept["task_id"],
                                       strict=True):
            add(text, code, "task")
            kept_task_ids.add((code, str(task_id)))
    if catalog.alternate_titles is not None:
        alt = catalog.alternate_titles
        for code, text in zip(alt["onet_soc_code"], alt["title"], strict=True):
            add(text, code, "title")
    links = _read_tuning_table(catalog, "tasks_to_dwas")
    reference = _read_tuning_table(catalog, "dwa_reference")
    if links is not None and reference is not None:
        names = dict(zip(reference["dwa_id"], reference["dwa_title"], strict=True))
        dwa_owners: dict[str, set[str]] = {}
        for code, dwa in zip(links["onet_soc_code"], links["dwa_id"], strict=True):
            dwa_owners.setdefault(dwa, set()).add(code)
        seen: set[tuple[str, str]] = set()
        for code, task_id, dwa in zip(links["onet_soc_code"], links["task_id"], links["dwa_id"],
                                      strict=True):
            if (code, str(task_id)) not in kept_task_ids or (code, dwa) in seen:
                continue
            seen.add((code, dwa))
            if len(dwa_owners.get(dwa, ())) <= MAX_ACTIVITY_OWNERS:
                add(names.get(dwa), code, "activity")
    for code, title, description in zip(occ.index, occ["title"], occ["description"],
                                        strict=True):
        add(description, code, "description", positive=str(title))
    return pairs


def text_owners(pairs: Iterable[Pair]) -> dict[str, frozenset[str]]:
    """Anchor text (as compared for duplicates) -> every occupation it stands for."""
    owners: dict[str, set[str]] = {}
    for p in pairs:
        owners.setdefault(_key(p.anchor), set()).add(p.code)
    return {k: frozenset(v) for k, v in owners.items()}


def sample_pairs(pairs: Sequence[Pair], n: int, *, mix: Mapping[str, float] = DEFAULT_MIX,
                 seed: int = 0) -> list[Pair]:
    """Draw about ``n`` pairs, kind by kind in the shares of ``mix`` (seeded, no repeats)."""
    rng = random.Random(seed)
    by_kind: dict[str, list[Pair]] = {}
    for p in pairs:
        by_kind.setdefault(p.kind, []).append(p)
    total = sum(v for k, v in mix.items() if k in by_kind) or 1.0
    out: list[Pair] = []
    for kind in sorted(by_kind):
        want = round(n * mix.get(kind, 0.0) / total)
        pool = by_kind[kind]
        out.extend(rng.sample(pool, min(want, len(pool))))
    rng.shuffle(out)
    return out


def build_batches(pairs: Sequence[Pair], batch_size: int, *, seed: int = 0,
                  owners: Mapping[str, frozenset[str]] | None = None,
                  neighbour_share: float = 0.0) -> list[list[Pair]]:
    """Cut pairs into batches of one kind each, in which no text stands for an occupation of
    another pair of the same batch.

    With in-batch negatives every other pair's positive is a negative, so two pairs of the same
    occupation, or an anchor shared by two occupations (a title both carry), would teach the
    model to push apart texts that belong together. A pair that does not fit waits for a later
    batch; the last, smaller batch of a kind is kept when it has two pairs or more. Batches of
    all kinds are shuffled together (seeded).

    ``neighbour_share`` of each kind's pairs (seeded) go to *neighbour batches*: their pairs
    are taken in O*NET-SOC code order, so a batch holds occupations of one SOC group and its
    neighbours (nurses against other nurses, not against welders). Their in-batch negatives are
    hard negatives, at no extra cost per step.
    """
    if batch_size < 2:
        raise TuningError(f"batch_size must be at least 2 for in-batch negatives; got {batch_size}.")
    if not 0.0 <= neighbour_share <= 1.0:
        raise TuningError(f"neighbour_share must be between 0 and 1; got {neighbour_share}.")
    owners = owners if owners is not None else text_owners(pairs)
    rng = random.Random(seed)
    by_kind: dict[str, list[Pair]] = {}
    for p in pairs:
        by_kind.setdefault(p.kind, []).append(p)
    batches: list[list[Pair]] = []
    for kind in sorted(by_kind):
        queue = list(by_kind[kind])
        rng.shuffle(queue)
        n_near = round(neighbour_share * len(queue))
        near = sorted(queue[:n_near], key=lambda p: p.code)  # stable: shuffled within a code
        batches.extend(_fill_batches(queue[n_near:], batch_size, owners))
        batches.extend(_fill_batches(near, batch_size, owners))
    rng.shuffle(batches)
    return batches


def _fill_batches(queue: list[Pair], batch_size: int,
                  owners: Mapping[str, frozenset[str]]) -> list[list[Pair]]:
    """Batches from ``queue`` in its order, a pair waiting while it conflicts (see
    :func:`build_batches`)."""
    batches: list[list[Pair]] = []
    while queue:
        batch: list[Pair] = []
        taken: set[str] = set()
        waiting: list[Pair] = []
        for i, p in enumerate(queue):
            stands_for = owners.get(_key(p.anchor), frozenset()) | {p.code}
            if stands_for & taken:
                waiting.append(p)
                continue
            batch.append(p)
            taken |= stands_for
            if len(batch) == batch_size:
                waiting.extend(queue[i + 1:])
                break
        if len(batch) >= 2:
            batches.append(batch)
        if len(batch) < batch_size:
            break  # what is left cannot fill a batch without a conflict
        queue = waiting
    return batches


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRecipe:
    """The settings of one training run (all of them recorded next to the adapter). The
    defaults are the recipe of the shipped adapter (docs/tuning.md)."""

    steps: int = 320
    batch_size: int = 64
    learning_rate: float = 2e-4
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    max_seq_length: int = 48
    warmup: float = 0.1
    scale: float = 20.0
    seed: int = 0
    neighbour_share: float = 0.5
    save_dtype: str = "float16"
    #: ``"pairs"``: in-batch negatives (MultipleNegativesRankingLoss). ``"occupations"``: every
    #: anchor is scored against the texts of *all* occupations, re-encoded without gradients
    #: every ``refresh`` steps (see :class:`OccupationTargets`).
    objective: str = "pairs"
    refresh: int = 20
    mix: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_MIX))

    def __post_init__(self) -> None:
        """Refuse settings that would fail only later, some after the whole run."""
        if self.objective not in OBJECTIVES:
            raise TuningError(f"objective must be one of {OBJECTIVES}; got {self.objective!r}.")
        if self.save_dtype not in SAVE_DTYPES:
            raise TuningError(f"save_dtype must be one of {SAVE_DTYPES}; got {self.save_dtype!r}.")
        if not 0.0 <= self.neighbour_share <= 1.0:
            raise TuningError(f"neighbour_share must be between 0 and 1; got "
                              f"{self.neighbour_share}.")
        if self.steps < 1 or self.refresh < 1:
            raise TuningError(f"steps and refresh must be at least 1; got {self.steps} and "
                              f"{self.refresh}.")
        unknown = sorted(set(self.mix) - PAIR_KINDS)
        if unknown or any(v < 0 for v in self.mix.values()) or not any(self.mix.values()):
            raise TuningError(f"mix must give non-negative shares of the pair kinds "
                              f"{sorted(PAIR_KINDS)}, not all zero; got {dict(self.mix)}.")


def _require_tune_deps() -> None:
    import importlib.util

    missing = [m for m in ("torch", "sentence_transformers", "peft")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise ImportError(f"Training needs {', '.join(missing)}: {_PIP_TUNE}")


def base_model_folder() -> Path:
    """The folder of the packaged all-MiniLM-L6-v2 (sentence-transformers layout)."""
    from .sources import _default_source

    return _default_source().folder


def _load_st(folder: Path, adapter: Path | None, max_seq_length: int) -> Any:
    from sentence_transformers import SentenceTransformer

    from .torch_backend import _quiet_transformers

    with _quiet_transformers():
        model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    if adapter is not None:
        merge_adapter(model[0].auto_model, adapter)
    model.max_seq_length = max_seq_length
    return model


class OccupationTargets:
    """The ``"occupations"`` objective: each anchor against the texts of all occupations.

    With in-batch negatives an anchor meets 63 other occupations per step, most of them easy,
    and half the work of a step goes into encoding the positives. Here the occupation texts
    (:func:`occupation_text`) are encoded once without gradients and re-encoded every
    ``refresh`` steps as the adapter moves; a step encodes only its anchors, and the loss is
    the cross-entropy of ``scale * cosine(anchor, occupation)`` over every occupation, so every
    neighbouring occupation is a negative on every step. Another occupation that carries the
    same anchor text (a title two occupations share) is masked, never a negative.
    """

    def __init__(self, model: Any, texts: Mapping[str, str], owners: Mapping[str, frozenset[str]],
                 *, scale: float, refresh: int) -> None:
        if refresh < 1:
            raise TuningError(f"refresh must be at least 1; got {refresh}.")
        self.model, self.scale, self.refresh = model, scale, refresh
        self.codes = sorted(texts)
        self.row = {c: i for i, c in enumerate(self.codes)}
        self.texts = [texts[c] for c in self.codes]
        self.owners = owners
        self.vectors: Any = None

    def encode_targets(self) -> None:
        """Re-encode the occupation texts with the current weights (no gradients)."""
        import torch

        was_training = self.model.training
        self.model.eval()
        with torch.no_grad():
            self.vectors = self.model.encode(self.texts, batch_size=128, convert_to_tensor=True,
                                             normalize_embeddings=True,
                                             show_progress_bar=False).clone()
        self.model.train(was_training)

    def loss(self, step: int, batch: Sequence[Pair], prepare: Callable[[list[str]], Any]) -> Any:
        import torch
        import torch.nn.functional as F

        if self.vectors is None or step % self.refresh == 0:
            self.encode_targets()
        features = self.model(prepare([p.anchor for p in batch]))
        anchors = F.normalize(features["sentence_embedding"], dim=-1)
        logits = self.scale * anchors @ self.vectors.T
        target = torch.tensor([self.row[p.code] for p in batch])
        mask = torch.zeros_like(logits, dtype=torch.bool)
        for i, p in enumerate(batch):
            for other in self.owners.get(_key(p.anchor), frozenset()) - {p.code}:
                if other in self.row:
                    mask[i, self.row[other]] = True
        return F.cross_entropy(logits.masked_fill(mask, float("-inf")), target)


def train_adapter(pairs: Sequence[Pair], out: str | os.PathLike[str], *,
                  recipe: TrainingRecipe = TrainingRecipe(),
                  base: str | os.PathLike[str] | None = None,
                  start_adapter: str | os.PathLike[str] | None = None,
                  threads: int | None = None,
                  save_every: int = 0,
                  record: Mapping[str, Any] | None = None,
                  occupations: Mapping[str, str] | None = None,
                  log: Callable[[str], None] = logger.info) -> Path:
    """Train a LoRA adapter on ``pairs`` with in-batch negatives; write it to ``out``.

    The model is ``base`` (default: the packaged all-MiniLM-L6-v2), with ``start_adapter``
    merged into it first when given. Batches come from :func:`build_batches`, re-drawn with a
    new seed whenever the pairs run out before ``recipe.steps``. The loss is
    sentence-transformers' ``MultipleNegativesRankingLoss``. ``out`` gets
    ``adapter_config.json`` and ``adapter_model.safetensors`` (peft's layout) and
    ``training.json`` (recipe, pair counts, loss curve, time). ``occupations`` (code ->
    occupation text) are the targets of the ``"occupations"`` objective (default: those the
    pairs name).
    """
    _require_tune_deps()
    import torch
    from peft import LoraConfig, inject_adapter_in_model
    try:  # sentence-transformers >= 6 moved the losses (the old path warns)
        from sentence_transformers.sentence_transformer.losses import (
            MultipleNegativesRankingLoss,
        )
    except ImportError:  # pragma: no cover - older sentence-transformers
        from sentence_transformers.losses import MultipleNegativesRankingLoss  # type: ignore[no-redef]

    if recipe.objective == "occupations":
        # description -> title pairs have no occupation text on their right-hand side
        pairs = [p for p in pairs if p.kind != "description"]
    if not pairs:
        raise TuningError("No training pairs.")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if threads:
        torch.set_num_threads(int(threads))
    random.seed(recipe.seed)
    np.random.seed(recipe.seed)
    torch.manual_seed(recipe.seed)

    base_folder = Path(base) if base is not None else base_model_folder()
    model = _load_st(base_folder, Path(start_adapter) if start_adapter else None,
                     recipe.max_seq_length)
    bert = model[0].auto_model
    config = LoraConfig(r=recipe.rank, lora_alpha=recipe.alpha, lora_dropout=recipe.dropout,
                        target_modules=list(LORA_TARGETS), bias="none")
    inject_adapter_in_model(config, bert)
    trainable = []
    for name, param in model.named_parameters():
        param.requires_grad = "lora_" in name
        if param.requires_grad:
            trainable.append(param)
    log(f"LoRA rank {recipe.rank}: {sum(p.numel() for p in trainable):,} trainable parameters")

    owners = text_owners(pairs)
    batches: list[list[Pair]] = []
    epoch = 0
    while len(batches) < recipe.steps:
        more = build_batches(pairs, recipe.batch_size, seed=recipe.seed + epoch, owners=owners,
                             neighbour_share=recipe.neighbour_share)
        if not more:
            raise TuningError("The pairs do not make a single batch (too few occupations?).")
        batches.extend(more)
        epoch += 1
    batches = batches[:recipe.steps]

    if recipe.objective == "occupations":
        texts = dict(occupations) if occupations else {p.code: p.positive for p in pairs}
        targets = OccupationTargets(model, texts, owners,
                                    scale=recipe.scale, refresh=recipe.refresh)
        log(f"objective: each anchor against all {len(targets.codes)} occupations, their texts "
            f"re-encoded every {recipe.refresh} steps")
    else:
        in_batch = MultipleNegativesRankingLoss(model, scale=recipe.scale)
    optimizer = torch.optim.AdamW(trainable, lr=recipe.learning_rate, weight_decay=0.0)
    warmup = max(1, round(recipe.warmup * recipe.steps))

    def rate(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (recipe.steps - step) / max(1, recipe.steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    # sentence-transformers >= 5.2 calls it preprocess (tokenize is deprecated there)
    prepare = getattr(model, "preprocess", None) or model.tokenize
    model.train()
    losses: list[float] = []
    started = time.perf_counter()
    for step, batch in enumerate(batches):
        if recipe.objective == "occupations":
            loss = targets.loss(step, batch, prepare)
        else:
            loss = in_batch([prepare([p.anchor for p in batch]),
                             prepare([p.positive for p in batch])], None)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(round(float(loss.detach()), 4))
        if save_every and (step + 1) % save_every == 0 and step + 1 < len(batches):
            _save_adapter(bert, out / f"step-{step + 1}", recipe)
        if step % 10 == 0 or step == len(batches) - 1:
            elapsed = time.perf_counter() - started
            log(f"step {step + 1}/{len(batches)} loss {np.mean(losses[-10:]):.4f} "
                f"({batch[0].kind}) {elapsed:.0f} s, "
                f"{elapsed / (step + 1) * (len(batches) - step - 1):.0f} s to go")
    seconds = time.perf_counter() - started
    model.eval()

    _save_adapter(bert, out, recipe)
    kinds: dict[str, int] = {}
    for b in batches:
        for p in b:
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
    info = {
        "recipe": {k: (dict(v) if isinstance(v, Mapping) else v)
                   for k, v in recipe.__dict__.items()},
        "threads": threads, "pairs": len(pairs), "pairs_seen": kinds,
        "batches": len(batches), "seconds": round(seconds, 1),
        "loss_first_10": round(float(np.mean(losses[:10])), 4),
        "loss_last_10": round(float(np.mean(losses[-10:])), 4), "losses": losses,
        "adapter_sha256": adapter_digest(out), **dict(record or {}),
    }
    (out / TRAINING_RECORD).write_text(json.dumps(info, indent=2) + "\n")
    log(f"wrote {out / ADAPTER_WEIGHTS} after {seconds:.0f} s")
    return out


def _save_adapter(bert: Any, out: Path, recipe: TrainingRecipe) -> None:
    """Write the LoRA weights of ``bert`` in peft's layout (config + safetensors)."""
    import torch
    from peft import get_peft_model_state_dict
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    state = get_peft_model_state_dict(bert)
    dtype = getattr(torch, recipe.save_dtype)  # one of SAVE_DTYPES (checked by the recipe)
    tensors = {f"base_model.model.{k}": v.detach().to(dtype).contiguous()
               for k, v in sorted(state.items())}
    save_file(tensors, str(out / ADAPTER_WEIGHTS), metadata={"format": "pt"})
    cfg = {"peft_type": "LORA", "r": recipe.rank, "lora_alpha": recipe.alpha,
           "lora_dropout": recipe.dropout, "target_modules": list(LORA_TARGETS),
           "bias": "none", "base_model_name_or_path": "all-MiniLM-L6-v2"}
    (out / ADAPTER_CONFIG).write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")


# --------------------------------------------------------------------------------------------
# Users' own coded data
# --------------------------------------------------------------------------------------------


def coded_pairs(catalog: Catalog, frame: pd.DataFrame, *, text: str, code: str) -> list[Pair]:
    """Pairs from a user's coded answers: each answer -> its occupation's text.

    Raises :class:`TuningError` naming every code that is not in the catalog, and for missing
    columns; empty answers are reported, not dropped silently.
    """
    for column in (text, code):
        if column not in frame.columns:
            raise TuningError(f"The frame has no column {column!r}; its columns are "
                              f"{list(frame.columns)}.")
    codes = frame[code].astype("string").str.strip()
    unknown = sorted({str(c) for c in codes.dropna() if c not in catalog.occupations.index})
    if unknown or codes.isna().any():
        shown = ", ".join(unknown[:20]) + (" ..." if len(unknown) > 20 else "")
        missing = int(codes.isna().sum())
        raise TuningError(
            f"{len(unknown)} code(s) in column {code!r} are not O*NET-SOC codes of this "
            f"catalog{': ' + shown if unknown else ''}"
            f"{f'; {missing} row(s) have no code' if missing else ''}. Fix or remove those "
            "rows first.")
    texts = frame[text]
    empty = [i for i, t in zip(frame.index, texts, strict=True)
             if not isinstance(t, str) or not t.strip()]
    if empty:
        raise TuningError(f"{len(empty)} row(s) have no text in column {text!r} (index "
                          f"{', '.join(map(str, empty[:20]))}{' ...' if len(empty) > 20 else ''}).")
    occ = catalog.occupations
    return [Pair(str(t).strip(), occupation_text(occ.at[c, "title"], occ.at[c, "description"]),
                 str(c), "coded")
            for t, c in zip(texts, codes, strict=True)]


def tune(catalog: Catalog, frame: pd.DataFrame, *, text: str = "text",
         code: str = "onet_soc_code", out: str | os.PathLike[str] | None = None,
         steps: int | None = None, batch_size: int = 32, learning_rate: float = 2e-4,
         rank: int = 8, start: str = "onet", seed: int = 0,
         threads: int | None = None) -> Path:
    """Tune the encoder further on your own hand-coded answers.

    Researchers with a few thousand hand-coded survey answers get a model fitted to their
    population: each answer is pulled toward its occupation's text (``"title. description"``),
    away from the other occupations of its batch, by a LoRA adapter trained on top of the
    shipped O*NET adapter (``start="onet"``) or of plain all-MiniLM-L6-v2 (``start="base"``).

    Parameters
    ----------
    catalog : Catalog
    frame : pandas.DataFrame
        One row per coded answer.
    text, code : str
        Columns with the answer text and its O*NET-SOC code.
    out : path, optional
        Folder to write the adapter to (default: a folder under the cache named by the data's
        digest). ``PassionFinder(model=out)`` and ``load_encoder(out)`` load it.
    steps : int, optional
        Training steps (default: two passes over the answers).
    batch_size, learning_rate, rank, seed, threads
        As for ``python -m passionfinder.tuning`` (docs/tuning.md).
    start : {"onet", "base"}
        Train on top of the shipped O*NET adapter or of plain all-MiniLM-L6-v2.

    Returns
    -------
    pathlib.Path
        The adapter folder.

    Raises
    ------
    TuningError
        Codes not in the catalog (all listed), rows without text or code, missing columns,
        fewer than two occupations.
    ImportError
        Without the ``[tune]`` extra.

    Examples
    --------
    >>> folder = pf.tune(catalog, answers, text="answer", code="soc_code")  # doctest: +SKIP
    >>> finder = pf.PassionFinder(catalog, model=folder)                    # doctest: +SKIP
    """
    import shutil

    if start not in ("onet", "base"):
        raise TuningError(f"start must be 'onet' or 'base'; got {start!r}.")
    pairs = coded_pairs(catalog, frame, text=text, code=code)
    if len({p.code for p in pairs}) < 2:
        raise TuningError("Tuning needs answers coded to at least two occupations.")
    steps = steps or max(1, math.ceil(2 * len(pairs) / batch_size))
    recipe = TrainingRecipe(steps=steps, batch_size=batch_size, learning_rate=learning_rate,
                            rank=rank, alpha=2 * rank, seed=seed, mix={"coded": 1.0},
                            max_seq_length=64, neighbour_share=0.0, save_dtype="float32")
    first = shipped_adapter() if start == "onet" else None
    if out is None:
        from .._config import get_cache_home

        digest = hashlib.sha256(json.dumps(
            [[p.anchor, p.code] for p in pairs] + [repr(recipe), start]).encode()).hexdigest()
        out = get_cache_home() / "tuned" / digest[:16]
    out = Path(out)
    train_adapter(pairs, out, recipe=recipe, start_adapter=first, threads=threads)
    if first is not None:
        shutil.rmtree(out / START_FOLDER, ignore_errors=True)
        shutil.copytree(first, out / START_FOLDER,
                        ignore=shutil.ignore_patterns(TRAINING_RECORD))
    return out


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m passionfinder.tuning",
        description="Train the O*NET LoRA adapter for all-MiniLM-L6-v2 (held-out texts never "
                    "trained on).")
    parser.add_argument("--out", required=True, help="folder for the adapter")
    parser.add_argument("--data-home", default=None, help="O*NET data folder")
    parser.add_argument("--cache-home", default=None)
    defaults = TrainingRecipe()
    parser.add_argument("--steps", type=int, default=defaults.steps)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    parser.add_argument("--rank", type=int, default=defaults.rank)
    parser.add_argument("--max-seq-length", type=int, default=defaults.max_seq_length)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--neighbour-share", type=float, default=defaults.neighbour_share,
                        help="share of each kind's pairs batched among neighbouring occupations "
                             "(SOC code order): hard in-batch negatives")
    parser.add_argument("--objective", choices=["pairs", "occupations"],
                        default=defaults.objective,
                        help="in-batch negatives (pairs) or every anchor against all "
                             "occupations (occupations)")
    parser.add_argument("--refresh", type=int, default=defaults.refresh,
                        help="with --objective occupations: re-encode the occupation texts "
                             "every N steps")
    parser.add_argument("--save-dtype", choices=["float32", "float16"],
                        default=defaults.save_dtype,
                        help="dtype of the written adapter weights (float16 halves its size)")
    parser.add_argument("--mix", default=None,
                        help="pair shares, e.g. task=0.4,title=0.3,activity=0.2,description=0.1")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--save-every", type=int, default=0,
                        help="also write the adapter every N steps (into OUT/step-N)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)

    from .._catalog import load_catalog

    mix = dict(DEFAULT_MIX)
    if args.mix:
        try:
            mix = {k.strip(): float(v) for k, v in (item.split("=") for item in args.mix.split(","))}
        except ValueError:
            parser.error(f"--mix takes kind=share pairs separated by commas, e.g. "
                         f"task=0.4,title=0.35; got {args.mix!r}")
    try:
        recipe = TrainingRecipe(steps=args.steps, batch_size=args.batch_size,
                                learning_rate=args.learning_rate, rank=args.rank,
                                alpha=2 * args.rank, max_seq_length=args.max_seq_length,
                                seed=args.seed, mix=mix, neighbour_share=args.neighbour_share,
                                save_dtype=args.save_dtype, objective=args.objective,
                                refresh=args.refresh)
    except TuningError as err:
        parser.error(str(err))
    catalog = load_catalog(args.data_home, cache_home=args.cache_home)
    held = held_out(catalog)
    pairs = catalog_pairs(catalog, held=held)
    chosen = sample_pairs(pairs, math.ceil(1.1 * recipe.steps * recipe.batch_size), mix=mix,
                          seed=recipe.seed)
    logger.info("held out: %d tasks, %d reported titles, %d emerging tasks; %d pairs available, "
                "%d drawn", len(held.tasks), len(held.reported_titles), len(held.emerging_tasks),
                len(pairs), len(chosen))
    record = {"held_out": {"tasks": len(held.tasks), "reported_titles": len(held.reported_titles),
                           "emerging_tasks": len(held.emerging_tasks),
                           "seed": HELD_OUT_SEED, "share": HELD_OUT_SHARE},
              "pairs_available": len(pairs), "release": catalog.release,
              "command": " ".join(["python -m passionfinder.tuning", *(argv or sys.argv[1:])])}
    train_adapter(chosen, args.out, recipe=recipe, threads=args.threads, save_every=args.save_every,
                  record=record, occupations=occupation_texts(catalog), log=logger.info)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
