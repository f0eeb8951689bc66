"""Matching: field-against-field cosine scores, pooled per occupation and blended.

Pure numpy on vectors the encoding layer produced; every formula and weight here is described
in docs/matching.md, with the measurements that chose it (benchmarks/bench_quality.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._exact import weighted_sums
from ._index import FieldIndex, OccupationIndex

__all__ = [
    "MatchWeights",
    "best_text",
    "pool_per_occupation",
    "riasec_agreement",
    "riasec_profile",
    "standardize",
    "strength_scores",
    "text_scores",
]


@dataclass(frozen=True)
class MatchWeights:
    """The measured constants of matching (see docs/matching.md)."""

    #: temperature of the log-mean-exp pooling of task similarities (0 -> max, inf -> mean)
    task_temperature: float = 0.1
    #: weight of the description similarity added to the pooled task similarity
    description: float = 0.3
    #: weight of the best title similarity
    title: float = 0.5
    #: weight of the TF-IDF word overlap with the occupation document
    lexical: float = 1.0
    #: field weights when combining standardized field scores
    interests: float = 1.0
    strengths: float = 0.3
    riasec: float = 0.15
    #: share of the element (skill / knowledge / style) score in the strength score; the rest
    #: is the strengths' similarity to tasks
    strength_elements: float = 0.25
    #: read what the person says they would avoid ("I don't like math") out of their
    #: interests and strengths (passionfinder/_negation.py); False matches the text as written
    read_negation: bool = True
    #: what the person avoids counts against an occupation when it is closer to it than this
    #: many standard deviations above the average occupation ...
    avoid_floor: float = 1.0
    #: ... by this much per standard deviation beyond (0: avoided clauses are only dropped)
    avoid: float = 0.5


def similarities(query: np.ndarray, vectors: np.ndarray, columns: np.ndarray | None = None
                 ) -> np.ndarray:
    """``query @ vectors.T``: (q, n), exact for the grid vectors the encoder gives.

    ``columns``, when given, is ``vectors.T`` laid out row-major (``FieldIndex.columns``): the
    product then reads the table without repacking it, about twice as fast for a few query
    rows.

    Both sides are on the grid of passionfinder/_exact.py, so every entry is the exact dot
    product: the same bits whatever BLAS kernel runs, whatever the batch, its order or size,
    and however many threads (tests/test_determinism.py checks this under a second kernel).
    Numbers that are not grid vectors go through :func:`~passionfinder._exact.weighted_sums`.
    """
    table = vectors.T if columns is None else columns
    return query @ table


#: how many similarities pool_per_occupation works on at a time (about 1 MB)
_POOL_CELLS = 1 << 18


def pool_per_occupation(sims: np.ndarray, field: FieldIndex, n_occupations: int,
                        temperature: float) -> np.ndarray:
    """Pool text similarities (q, n_texts) into (q, n_occupations) by log-mean-exp.

    ``temperature`` 0 gives the max. Occupations without texts get NaN.
    """
    out = np.full((sims.shape[0], n_occupations), np.nan, dtype=np.float32)
    if sims.shape[1] == 0:
        return out
    starts = field.starts
    owners = field.owner[starts]
    if temperature <= 0:
        out[:, owners] = np.maximum.reduceat(sims, starts, axis=1)
        return out
    # log-mean-exp, shifted by the row max for numerical safety; a few rows at a time, in
    # place, so the work stays in the CPU cache (each row is computed alone either way)
    counts = np.diff(np.r_[starts, sims.shape[1]])
    step = max(1, _POOL_CELLS // max(1, sims.shape[1]))
    work = np.empty((min(step, sims.shape[0]), sims.shape[1]), dtype=sims.dtype)
    for a in range(0, sims.shape[0], step):
        rows = sims[a:a + step]
        x = work[:len(rows)]
        top = rows.max(axis=1, keepdims=True)
        np.subtract(rows, top, out=x)
        np.divide(x, temperature, out=x)
        np.exp(x, out=x)
        summed = np.add.reduceat(x, starts, axis=1)
        out[a:a + step, owners] = top + temperature * np.log(summed / counts)
    return out


def best_text(query: np.ndarray, field: FieldIndex, occupation: int) -> tuple[int, float] | None:
    """(index into the field's texts, similarity) of the occupation's text closest to
    ``query`` (d,) or to any row of ``query`` (m, d); None when it has no texts."""
    lo, hi = field.span(occupation)
    if hi == lo:
        return None
    sims = field.vectors[lo:hi] @ np.atleast_2d(query).T  # (texts, m)
    flat = int(np.argmax(sims))
    return lo + flat // sims.shape[1], float(sims.flat[flat])


def segment_argmax(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Position of the (first) largest value of each consecutive segment of ``values``.

    ``lengths`` are the segment sizes, all >= 1. Returns one index into ``values`` per segment.
    """
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    maxima = np.maximum.reduceat(values, starts)
    hits = np.flatnonzero(values == np.repeat(maxima, lengths))
    return hits[np.searchsorted(hits, starts)]


def standardize(scores: np.ndarray) -> np.ndarray:
    """Per row: (x - mean) / std over occupations; NaN (no data) becomes 0, the average, and
    a row with no data at all is all 0."""
    some = ~np.isnan(scores).all(axis=1)
    if not some.all():  # (nanmean would warn of an empty slice)
        z = np.zeros(scores.shape, dtype=np.float32)
        z[some] = standardize(scores[some])
        return z
    mean = np.nanmean(scores, axis=1, keepdims=True)
    std = np.nanstd(scores, axis=1, keepdims=True)
    z = (scores - mean) / np.where(std > 0, std, 1.0)
    return np.nan_to_num(z, nan=0.0).astype(np.float32)


def text_scores(query: np.ndarray, index: OccupationIndex, lexical: np.ndarray | None,
                weights: MatchWeights, n_occupations: int, *, all_titles: bool = False
                ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """How well each occupation's work matches each query text: (q, n_occupations).

    pooled task similarity + w_d x description similarity + w_t x title similarity
    + w_l x TF-IDF similarity. The title similarity is to the occupation's title centroid,
    or with ``all_titles`` the best of all its titles. Occupations without tasks use the
    description alone. Also returns the raw task similarities ('tasks') for evidence.
    """
    task_sims = similarities(query, index.tasks.vectors, index.tasks.columns)
    tasks = pool_per_occupation(task_sims, index.tasks, n_occupations,
                                weights.task_temperature)
    desc = pool_per_occupation(similarities(query, index.descriptions.vectors),
                               index.descriptions, n_occupations, 0.0)
    if all_titles:
        titles = pool_per_occupation(similarities(query, index.titles.vectors), index.titles,
                                     n_occupations, 0.0)
    else:
        titles = similarities(query, index.title_centroids)
    tasks = np.where(np.isnan(tasks), desc, tasks)
    score = tasks + weights.description * desc + weights.title * np.nan_to_num(titles, nan=0.0)
    if lexical is not None and weights.lexical:
        score = score + weights.lexical * lexical
    return score.astype(np.float32), {"tasks": task_sims}


def strength_scores(vectors: np.ndarray, items: list[list[int]], index: OccupationIndex,
                    n_occupations: int, weights: MatchWeights,
                    task_sims: np.ndarray | None = None, element_sims: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How well each occupation uses each person's strengths.

    ``vectors`` holds the strength vectors; ``items[i]`` lists the rows of profile i's
    strengths (empty for none). For each profile: the affinity of the person to each skill /
    knowledge / work-style element is the best similarity of any strength to it, centred on
    the person's mean affinity and clipped at 0 (only elements that stand out count). The
    element score of an occupation is the importance-weighted mean of those affinities; the
    task score is the pooled similarity of the strengths (best strength per task) to its
    tasks. Returns (element score, task score) — each (n_profiles, n_occupations), NaN rows
    for profiles without strengths — and the strength-task similarities (rows of ``vectors``).
    """
    n = len(items)
    element_score = np.full((n, n_occupations), np.nan, dtype=np.float32)
    task_score = np.full((n, n_occupations), np.nan, dtype=np.float32)
    if task_sims is None:  # the caller may pass them (kept rows of recurring strengths)
        task_sims = (similarities(vectors, index.tasks.vectors, index.tasks.columns)
                     if len(vectors) else np.zeros((0, 0)))
    rows = [i for i, mine in enumerate(items) if mine]
    if not rows:
        return element_score, task_score, task_sims
    # (profiles, most strengths) table of rows; shorter lists repeat their first strength
    width = max(len(items[i]) for i in rows)
    table = np.array([items[i] + [items[i][0]] * (width - len(items[i])) for i in rows])
    if element_sims is None:  # the caller may pass them (it shows them as evidence too)
        element_sims = similarities(vectors, index.elements.vectors)
    affinity = _max_over_items(element_sims, table)
    relevance = np.clip(affinity - affinity.mean(axis=1, keepdims=True), 0.0, None)
    weight_sum = index.element_weights.sum(axis=1)
    safe = np.where(weight_sum > 0, weight_sum, 1.0)
    element = weighted_sums(relevance, index.element_weights) / safe
    element_score[rows] = np.where(weight_sum > 0, element, np.nan)
    # a few profiles at a time: their best-strength rows stay in the CPU cache for pooling
    step = max(1, _POOL_CELLS // max(1, task_sims.shape[1]))
    for a in range(0, len(rows), step):
        best = _max_over_items(task_sims, table[a:a + step])
        task_score[rows[a:a + step]] = pool_per_occupation(best, index.tasks, n_occupations,
                                                           weights.task_temperature)
    return element_score, task_score, task_sims


def _max_over_items(sims: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Row-wise max of ``sims`` over each profile's rows: (profiles, columns)."""
    best = sims[table[:, 0]]
    for j in range(1, table.shape[1]):
        np.maximum(best, sims[table[:, j]], out=best)
    return best


def riasec_profile(query: np.ndarray, index: OccupationIndex, top: int = 5) -> np.ndarray:
    """A person's RIASEC profile from their interests: (q, 6), each row summing to 1.

    For each type, the mean of the ``top`` similarities of the interests to that type's
    illustrative activities and keywords in the release; then a softmax with temperature 0.05 turns the
    six means into shares.
    """
    sims = similarities(query, index.riasec.vectors)
    means = np.zeros((query.shape[0], 6), dtype=np.float32)
    for t in range(6):
        cols = sims[:, index.riasec_type == t]
        if cols.shape[1] == 0:
            continue
        k = min(top, cols.shape[1])
        means[:, t] = np.sort(cols, axis=1)[:, -k:].mean(axis=1)
    logits = (means - means.max(axis=1, keepdims=True)) / 0.05
    shares = np.exp(logits)
    return shares / shares.sum(axis=1, keepdims=True)


def riasec_agreement(person: np.ndarray, occupations: np.ndarray) -> np.ndarray:
    """Pearson correlation of person profiles (q, 6) with occupation profiles (n, 6).

    Occupations with no interest data give NaN (not zero).
    """
    p = person - person.mean(axis=1, keepdims=True)
    p /= np.linalg.norm(p, axis=1, keepdims=True) + 1e-9
    o = occupations - occupations.mean(axis=1, keepdims=True)
    o = o / (np.linalg.norm(o, axis=1, keepdims=True) + 1e-9)
    return weighted_sums(p, o)
