"""Diversity in the top k: occupation-occupation similarity and maximal marginal relevance (MMR)
re-ranking of the best-scoring occupations, measured in benchmarks/bench_diversity.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._errors import InvalidInputError
from ._exact import on_grid, weighted_sums

if TYPE_CHECKING:
    from ._index import FieldIndex, OccupationIndex

__all__ = ["DIVERSITY", "FAMILY_WEIGHT", "REDUNDANCY_FLOOR", "SIMILARITY_WEIGHTS",
           "check_diversity", "mmr_order", "occupation_similarity"]

#: Weights of the three cosines that make up occupation-occupation similarity: task centroids,
#: title centroids, descriptions. Chosen against O*NET's own "Related Occupations" (the
#: 10 primary related occupations of each of the 923 occupations that have them): share of an
#: occupation's 10 nearest neighbours that O*NET lists as primary related -- descriptions 0.439,
#: titles 0.470, tasks 0.501, equal thirds 0.578, these weights 0.593 (AUC of related against
#: unrelated pairs 0.970). Adding skill/knowledge/style profiles reached 0.610 but needs a
#: fallback for the 93 occupations without them; not worth it for re-ranking.
SIMILARITY_WEIGHTS: dict[str, float] = {"tasks": 0.4, "titles": 0.4, "descriptions": 0.2}

#: Similarity below which two occupations are not redundant at all (:func:`mmr_order`). 0.7 is
#: above the similarity of O*NET's typical related occupations (mean 0.63) and below that of
#: job variants (the six "Cooks, ..." 0.81-0.92; the vehicle mechanics 0.74-0.87). Against plain
#: MMR (floor 0) at the same recall it halves the near-duplicates left instead of pulling in
#: occupations unrelated to everything (benchmarks/bench_diversity.py).
REDUNDANCY_FLOOR = 0.7

#: The recommended default diversity level (benchmarks/bench_diversity.py): on the 80 labelled
#: profiles it cuts the top 10's near-duplicate pairs (similarity >= 0.8) from 3.6 to 1.9 and
#: adds half a job family for 2.6 points of recall@10; MRR and the top 1 are unchanged.
DIVERSITY = 0.3

#: Extra redundancy of a candidate whose job family is already in the list (``families`` in
#: :func:`mmr_order`); 0 (the default) turns the family term off. O*NET's 23 job families are
#: coarse; the term raises the family count but is not needed to remove job variants.
FAMILY_WEIGHT = 0.0


def check_diversity(value: Any, where: str) -> float:
    """Validate a diversity level.

    Parameters
    ----------
    value : Any
        The value given; must be a real number in [0, 1] (not a bool).
    where : str
        The function to name in the error message, e.g. ``"PassionFinder.recommend"``.

    Returns
    -------
    float
        ``value`` as a float.

    Raises
    ------
    InvalidInputError
        (a ``ValueError``) if ``value`` is not a number in [0, 1].
    """
    if not _is_number(value) or not 0.0 <= float(value) <= 1.0:
        raise InvalidInputError(f"The 'diversity' parameter of {where} must be a number in "
                                f"[0, 1]. Got {value!r} instead.")
    return float(value)


def _centroids(field: FieldIndex, n: int, fallback: np.ndarray) -> np.ndarray:
    """Normalised mean vector of each owner's texts; ``fallback`` rows for owners without any."""
    out = fallback.astype(np.float32, copy=True)
    if len(field):
        starts = field.starts
        owners = field.owner[starts]
        keep = (owners >= 0) & (owners < n)
        sums = np.add.reduceat(field.vectors, starts, axis=0)[keep]
        ok = np.abs(sums).sum(axis=1) > 0
        out[owners[keep][ok]] = on_grid(sums[ok])
    return out


def occupation_similarity(index: OccupationIndex) -> np.ndarray:
    """Similarity of every pair of occupations, from their embedded texts.

    ``S = 0.4 cos(task centroids) + 0.4 cos(title centroids) + 0.2 cos(descriptions)``
    (:data:`SIMILARITY_WEIGHTS`), where a task centroid is the normalised mean of the
    occupation's task-statement vectors and a title centroid that of its title and alternate
    titles. An occupation without tasks uses its description vector in place of the task
    centroid (likewise for titles). The weighted unit vectors are concatenated, so ``S`` is a
    Gram matrix: symmetric, positive semi-definite, with ones on the diagonal.

    Parameters
    ----------
    index : OccupationIndex
        The occupation index (rows in ``catalog.occupations`` order).

    Returns
    -------
    numpy.ndarray
        (n_occupations, n_occupations) float32; off-diagonal values are cosines, mostly in
        [0.1, 0.7] for MiniLM (median 0.33; O*NET's related occupations average 0.63).
    """
    descriptions = np.asarray(index.descriptions.vectors, dtype=np.float32)
    n = len(descriptions)
    tasks = _centroids(index.tasks, n, descriptions)
    titles = np.asarray(index.title_centroids, dtype=np.float32)
    if titles.shape != descriptions.shape:  # occupations without any title row
        titles = _centroids(index.titles, n, descriptions)
    w = SIMILARITY_WEIGHTS
    joint = np.hstack([np.sqrt(np.float32(w["tasks"])) * tasks,
                       np.sqrt(np.float32(w["titles"])) * titles,
                       np.sqrt(np.float32(w["descriptions"])) * descriptions])
    joint /= np.float32(sum(w.values()) ** 0.5)
    sim = weighted_sums(joint, joint)  # the same digits on any BLAS kernel (_exact.py)
    np.fill_diagonal(sim, 1.0)
    return np.ascontiguousarray(sim, dtype=np.float32)


def _top(scores: np.ndarray, m: int, priority: np.ndarray | None) -> np.ndarray:
    """Indices of the ``m`` highest scores, highest first, ties by ``priority`` (lower first;
    None: lower index)."""
    if priority is None:
        return np.argsort(-scores, kind="stable")[:m]
    return np.lexsort((priority, -scores))[:m]


def _is_number(value: Any) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(
        value, (int, float, np.integer, np.floating))


def _check_int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not (
            low <= value <= high):
        raise ValueError(f"The '{name}' parameter of mmr_order must be an int in [{low}, {high}]. "
                         f"Got {value!r} instead.")
    return int(value)


def mmr_order(scores: np.ndarray, similarity: np.ndarray, k: int, diversity: float, *,
              pool: int = 50, families: np.ndarray | None = None,
              floor: float = REDUNDANCY_FLOOR, family_weight: float = FAMILY_WEIGHT,
              priority: np.ndarray | None = None) -> np.ndarray:
    """Pick ``k`` occupations from the best ``pool`` by maximal marginal relevance (MMR).

    The candidates are the ``pool`` highest scores (``pool`` is raised to ``k`` when smaller
    and capped at ``len(scores)``), ordered by score, ties by ``priority`` (by default the lower
    index). Each candidate's
    relevance is its score rescaled within the pool, ``rel = (s - min) / (max - min)`` (the
    best candidate 1, the worst 0; all 1 when the scores are equal). The first pick is the best
    candidate; each next pick is, among the candidates not yet picked,

    ``argmax (1 - diversity) * rel(j) - diversity * red(j)``, with

    ``red(j) = max over picked i of max(0, similarity[i, j] - floor) / (1 - floor)``
    ``+ family_weight * [the family of j is among the picked ones]``

    ties going to the better-scored candidate (then the tie rule). With ``floor=0``,
    non-negative similarities and no families this is textbook MMR. ``diversity=0`` returns
    exactly the top ``k`` by score and tie rule; ``diversity=1`` ignores relevance after
    the first pick. The result is deterministic.

    Parameters
    ----------
    scores : numpy.ndarray
        (n,) finite scores, higher is better.
    similarity : numpy.ndarray
        (n, n) similarity, e.g. :func:`occupation_similarity`; only the pool's rows and columns
        are read.
    k : int
        How many to pick, 1 to n.
    diversity : float
        0 (by score only) to 1 (by redundancy only); :data:`DIVERSITY` is the recommended level.
    pool : int, default 50
        How many of the best-scoring entries are candidates (at least 1).
    families : numpy.ndarray, optional
        (n,) integer job-family code per entry, negative for none (e.g.
        ``pandas.factorize(occupations["job_family"])[0]``). Used when ``family_weight > 0``.
    floor : float, default :data:`REDUNDANCY_FLOOR`
        Similarity that counts as no redundancy, in [0, 1).
    family_weight : float, default :data:`FAMILY_WEIGHT`
        Redundancy added for a family already picked, in [0, 1].
    priority : numpy.ndarray, optional
        (n,) integers: among equal scores the lower value comes first
        (:func:`passionfinder._ranking.tie_priority`); by default the lower index.

    Returns
    -------
    numpy.ndarray
        (k,) int64 indices into ``scores``, in pick order.

    Raises
    ------
    ValueError
        On a bad argument: shapes that do not match, non-finite scores, ``k`` or ``pool``
        out of range, ``diversity`` or ``family_weight`` outside [0, 1], ``floor`` outside
        [0, 1).
    """
    scores = np.asarray(scores)
    if scores.ndim != 1 or scores.dtype.kind not in "fiu" or len(scores) == 0:
        raise ValueError("The 'scores' parameter of mmr_order must be a non-empty 1-D array of "
                         f"numbers. Got shape {scores.shape} and dtype {scores.dtype} instead.")
    n = len(scores)
    scores = scores.astype(np.float64, copy=False)
    if not np.isfinite(scores).all():
        raise ValueError("The 'scores' parameter of mmr_order must be finite. Got "
                         f"{int((~np.isfinite(scores)).sum())} NaN or infinite value(s) instead.")
    similarity = np.asarray(similarity)
    if similarity.shape != (n, n):
        raise ValueError(f"The 'similarity' parameter of mmr_order must have shape ({n}, {n}) to "
                         f"match 'scores'. Got {similarity.shape} instead.")
    k = _check_int("k", k, 1, n)
    pool = min(max(_check_int("pool", pool, 1, 2**62), k), n)
    diversity = check_diversity(diversity, "mmr_order")
    if not _is_number(floor) or not 0 <= floor < 1:
        raise ValueError("The 'floor' parameter of mmr_order must be a number in [0, 1). "
                         f"Got {floor!r} instead.")
    if not _is_number(family_weight) or not 0 <= family_weight <= 1:
        raise ValueError("The 'family_weight' parameter of mmr_order must be a number in "
                         f"[0, 1]. Got {family_weight!r} instead.")
    if families is not None:
        families = np.asarray(families)
        if families.shape != (n,) or families.dtype.kind not in "iu":
            raise ValueError(f"The 'families' parameter of mmr_order must be an ({n},) integer "
                             f"array. Got shape {families.shape} and dtype {families.dtype} "
                             "instead.")
    use_families = families is not None and family_weight > 0

    if priority is not None and np.shape(priority) != (n,):
        raise ValueError(f"The 'priority' parameter of mmr_order must have shape ({n},). "
                         f"Got {np.shape(priority)} instead.")
    candidates = _top(scores, pool if diversity > 0 else k, priority)
    if diversity == 0 or k == 1:
        return candidates[:k].astype(np.int64)

    s = scores[candidates]
    spread = s[0] - s[-1]
    rel = (s - s[-1]) / spread if spread > 0 else np.ones(len(s))
    gain = (1.0 - diversity) * rel
    sub = similarity.take(candidates, 0).take(candidates, 1).astype(np.float64)
    sub = np.maximum(sub - floor, 0.0, out=sub) / (1.0 - floor) if floor > 0 else \
        np.maximum(sub, 0.0, out=sub)
    if use_families:
        fam = families[candidates]  # type: ignore[index]
        same = ((fam[:, None] == fam[None, :]) & (fam[:, None] >= 0)) * float(family_weight)
        family_term = same[0].copy()

    picked = np.zeros(k, dtype=np.int64)  # the first pick is the best candidate, 0
    # max redundancy with the picks so far; +inf marks a pick, so it never wins again
    redundancy = sub[0].copy()
    redundancy[0] = np.inf
    for step in range(1, k):
        if use_families:
            value = gain - diversity * (redundancy + family_term)
        else:
            value = gain - diversity * redundancy
        j = int(np.argmax(value))
        picked[step] = j
        np.maximum(redundancy, sub[j], out=redundancy)
        redundancy[j] = np.inf
        if use_families:
            np.maximum(family_term, same[j], out=family_term)
    return candidates[picked].astype(np.int64, copy=False)
