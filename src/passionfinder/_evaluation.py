"""Evaluation helpers shared by the quality benchmark and the quality tests: the held-out task
split, top-k accuracy and profile relevance metrics."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ._catalog import Catalog
    from ._finder import PassionFinder
    from ._profile import Profile
    from ._results import Recommendations

__all__ = ["held_out_task_positions", "held_out_tasks", "load_eval_profiles", "profile_metrics",
           "profiles_from",
           "topk_accuracy"]


def held_out_task_positions(catalog: Catalog, seed: int = 0, per_occupation: int = 2,
                            min_tasks: int = 4) -> np.ndarray:
    """Row positions in ``catalog.tasks`` of the ``per_occupation`` task statements held out
    of every occupation with ``min_tasks`` or more (fixed seed), sorted."""
    assert catalog.tasks is not None
    rows = {c: i for i, c in enumerate(catalog.occupations.index)}
    owner = catalog.tasks["onet_soc_code"].map(rows).to_numpy()
    rng = np.random.default_rng(seed)
    held: list[int] = []
    for o in np.unique(owner):
        mine = np.flatnonzero(owner == o)
        if len(mine) >= min_tasks:
            held.extend(rng.choice(mine, per_occupation, replace=False).tolist())
    return np.array(sorted(held), dtype=np.int64)


def held_out_tasks(catalog: Catalog, seed: int = 0, per_occupation: int = 2,
                   min_tasks: int = 4) -> tuple[Catalog, list[str], np.ndarray]:
    """Hold out ``per_occupation`` task statements of every occupation with ``min_tasks`` or
    more (fixed seed). Returns (catalog without them, the held-out texts, their true rows)."""
    assert catalog.tasks is not None
    rows = {c: i for i, c in enumerate(catalog.occupations.index)}
    owner = catalog.tasks["onet_soc_code"].map(rows).to_numpy()
    held_rows = held_out_task_positions(catalog, seed, per_occupation, min_tasks)
    kept = catalog.tasks.drop(index=catalog.tasks.index[held_rows]).reset_index(drop=True)
    texts = catalog.tasks["task"].to_numpy()[held_rows].tolist()
    return catalog.with_tables(tasks=kept), texts, owner[held_rows]


def topk_accuracy(scores: np.ndarray, truth: np.ndarray, k: int = 5) -> tuple[float, float]:
    """(top-1, top-k) accuracy of score rows against true column indices."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return float((order[:, 0] == truth).mean()), float((order == truth[:, None]).any(1).mean())


def load_eval_profiles(path: str | Path) -> list[dict[str, Any]]:
    """The labelled profiles (JSON lines: interests, strengths, values, relevant codes)."""
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def profiles_from(people: Sequence[dict[str, Any]], fields: Sequence[str]
                  ) -> tuple[list[Profile], list[dict[str, Any]]]:
    """A Profile of ``fields`` for each labelled person that has any of them, and those people
    (in the same order)."""
    from ._profile import Profile

    profiles, usable = [], []
    for person in people:
        try:
            profiles.append(Profile(**{f: person.get(f) for f in fields}))
        except ValueError:
            continue
        usable.append(person)
    return profiles, usable


def profile_metrics(finder: PassionFinder, people: Sequence[dict[str, Any]], *,
                    fields: Sequence[str] = ("interests", "strengths", "values"),
                    value_weight: float | None = None, k: int = 10
                    ) -> tuple[dict[str, float], list[Recommendations], list[dict[str, Any]]]:
    """recall@k, hit@5 and MRR of the codes marked relevant, using only ``fields``.

    People with none of ``fields`` filled are skipped. Returns (metrics, recommendations,
    the people used).
    """
    profiles, usable = profiles_from(people, fields)
    recs = finder.recommend_many(profiles, k=k, value_weight=value_weight)
    recall, hit5, mrr = [], [], []
    for person, r in zip(usable, recs, strict=True):
        relevant = set(person["relevant"])
        got = [x.onet_soc_code for x in r]
        recall.append(len(relevant & set(got)) / min(len(relevant), k))
        hit5.append(bool(relevant & set(got[:5])))
        ranks = [i for i, c in enumerate(got) if c in relevant]
        mrr.append(1.0 / (ranks[0] + 1) if ranks else 0.0)
    metrics = {"profiles": len(usable), "recall_at_10": round(float(np.mean(recall)), 4),
               "hit_at_5": round(float(np.mean(hit5)), 4), "mrr": round(float(np.mean(mrr)), 4)}
    return metrics, recs, usable
