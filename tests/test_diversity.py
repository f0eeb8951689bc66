"""Diversity re-ranking: mmr_order against a brute-force pure-Python MMR on small synthetic
matrices, its edge cases and errors, occupation_similarity on a synthetic index, and one check
on the real data."""

from __future__ import annotations

import re
from itertools import combinations
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from passionfinder._diversity import (
    REDUNDANCY_FLOOR,
    check_diversity,
    mmr_order,
    occupation_similarity,
)
from passionfinder._index import FieldIndex


def brute_mmr(scores: list[float], sim: list[list[float]], k: int, diversity: float,
              pool: int = 50, floor: float = REDUNDANCY_FLOOR, families: list[int] | None = None,
              family_weight: float = 0.0) -> list[int]:
    """MMR written out as in the docstring of mmr_order, one candidate at a time."""
    n = len(scores)
    pool = min(max(pool, k), n)
    order = sorted(range(n), key=lambda i: (-scores[i], i))[:pool]
    if diversity == 0:
        return order[:k]
    hi, lo = scores[order[0]], scores[order[-1]]
    rel = {o: (scores[o] - lo) / (hi - lo) if hi > lo else 1.0 for o in order}
    picked = [order[0]]
    while len(picked) < k:
        best, best_value = -1, -np.inf
        for j in order:  # in score order, so the first of equal values wins
            if j in picked:
                continue
            red = max(max(0.0, float(sim[i][j]) - floor) / (1.0 - floor) for i in picked)
            if families is not None and family_weight > 0:
                red += family_weight * any(families[i] == families[j] >= 0 for i in picked)
            value = (1 - diversity) * rel[j] - diversity * red
            if value > best_value:
                best, best_value = j, value
        picked.append(best)
    return picked


def random_case(n: int, seed: int, dim: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores, a Gram similarity matrix of random unit vectors (clustered), families."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4, dim))
    family = rng.integers(0, 4, size=n)
    vectors = centres[family] + 0.6 * rng.normal(size=(n, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sim = (vectors @ vectors.T).astype(np.float32)
    family[rng.random(n) < 0.1] = -1  # some without a family
    return rng.random(n), sim, family.astype(np.int64)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("diversity", [0.0, 0.1, 0.3, 0.7, 1.0])
@pytest.mark.parametrize(("k", "pool", "floor"), [(1, 10, 0.7), (4, 10, 0.0), (8, 20, 0.5),
                                                  (10, 50, 0.7), (12, 8, 0.3)])
def test_matches_brute_force(seed: int, diversity: float, k: int, pool: int,
                             floor: float) -> None:
    scores, sim, _ = random_case(40, seed)
    got = mmr_order(scores, sim, k, diversity, pool=pool, floor=floor)
    assert got.dtype == np.int64 and got.shape == (k,)
    assert got.tolist() == brute_mmr(scores.tolist(), sim.tolist(), k, diversity, pool, floor)
    assert len(set(got.tolist())) == k


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("family_weight", [0.1, 0.5, 1.0])
def test_family_penalty_matches_brute_force(seed: int, family_weight: float) -> None:
    scores, sim, family = random_case(30, seed)
    got = mmr_order(scores, sim, 8, 0.4, pool=20, families=family, family_weight=family_weight)
    assert got.tolist() == brute_mmr(scores.tolist(), sim.tolist(), 8, 0.4, 20,
                                     families=family.tolist(), family_weight=family_weight)
    # families without a weight change nothing
    assert mmr_order(scores, sim, 8, 0.4, pool=20, families=family).tolist() == \
        mmr_order(scores, sim, 8, 0.4, pool=20).tolist()


def test_diversity_zero_is_top_k_with_ties_by_index() -> None:
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 6, size=1016).astype(np.float32)  # many ties at every boundary
    sim = np.eye(1016, dtype=np.float32)
    for k in (1, 10, 50, 1016):
        expected = sorted(range(1016), key=lambda i: (-scores[i], i))[:k]
        assert mmr_order(scores, sim, k, 0.0).tolist() == expected
        assert mmr_order(scores, sim, k, 0, pool=3).tolist() == expected
    # integer (even unsigned) scores are fine
    assert mmr_order(np.array([1, 3, 2, 3], dtype=np.uint8), np.eye(4), 3, 0.0).tolist() == \
        [1, 3, 2]


def test_removes_a_near_duplicate_and_keeps_the_top_1() -> None:
    #                 A    A'   B    C
    scores = np.array([1.0, 0.9, 0.8, 0.0])
    sim = np.array([[1.0, 0.95, 0.2, 0.0],
                    [0.95, 1.0, 0.2, 0.0],
                    [0.2, 0.2, 1.0, 0.0],
                    [0.0, 0.0, 0.0, 1.0]])
    assert mmr_order(scores, sim, 3, 0.0).tolist() == [0, 1, 2]
    # A' = 0.7 * 0.9 - 0.3 * (0.25 / 0.3) = 0.38 < B = 0.7 * 0.8 = 0.56
    assert mmr_order(scores, sim, 3, 0.3).tolist() == [0, 2, 1]
    # only redundancy counts at diversity 1: C (redundancy 0, ties with B) goes before A'
    assert mmr_order(scores, sim, 4, 1.0).tolist() == [0, 2, 3, 1]


def test_deterministic_and_ties_go_to_the_better_score() -> None:
    scores, sim, _ = random_case(60, 9)
    first = mmr_order(scores, sim, 10, 0.3)
    for _ in range(3):
        assert np.array_equal(mmr_order(scores.copy(), sim.copy(), 10, 0.3), first)
    # everything equal: catalog order at any level
    flat = np.full(20, 0.5)
    same = np.full((20, 20), 0.9)
    for diversity in (0.0, 0.3, 1.0):
        assert mmr_order(flat, same, 5, diversity).tolist() == [0, 1, 2, 3, 4]
    # no redundancy at all: MMR keeps the score order
    assert mmr_order(scores, np.zeros((60, 60)), 10, 0.8).tolist() == \
        mmr_order(scores, sim, 10, 0.0).tolist()


def test_k_larger_than_pool_grows_the_pool() -> None:
    scores, sim, _ = random_case(30, 2)
    top = mmr_order(scores, sim, 12, 0.0)
    got = mmr_order(scores, sim, 12, 0.5, pool=5)
    assert sorted(got.tolist()) == sorted(top.tolist())  # a reordering of the top 12
    assert got[0] == top[0]
    assert got.tolist() == brute_mmr(scores.tolist(), sim.tolist(), 12, 0.5, pool=12)
    # k = n and pool > n
    everything = mmr_order(scores, sim, 30, 0.5, pool=1000)
    assert sorted(everything.tolist()) == list(range(30))


def test_single_candidate() -> None:
    assert mmr_order(np.array([0.3]), np.ones((1, 1)), 1, 0.5).tolist() == [0]


@pytest.mark.parametrize("value", [2, -0.1, 1.5, float("nan"), True, "0.3", None, [0.3]])
def test_check_diversity_rejects(value: Any) -> None:
    message = (f"The 'diversity' parameter of PassionFinder.recommend must be a number in "
               f"[0, 1]. Got {value!r} instead.")
    with pytest.raises(ValueError, match=re.escape(message)):
        check_diversity(value, "PassionFinder.recommend")


def test_check_diversity_accepts() -> None:
    assert check_diversity(0, "f") == 0.0
    assert check_diversity(1, "f") == 1.0
    assert check_diversity(np.float32(0.25), "f") == 0.25
    assert isinstance(check_diversity(np.int64(1), "f"), float)


def test_check_diversity_message_in_project_style() -> None:
    with pytest.raises(ValueError) as info:
        check_diversity(2, "PassionFinder.recommend")
    assert str(info.value) == ("The 'diversity' parameter of PassionFinder.recommend must be a "
                               "number in [0, 1]. Got 2 instead.")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"diversity": 2}, "The 'diversity' parameter of mmr_order must be a number in [0, 1]. "
                       "Got 2 instead."),
    ({"k": 0}, "The 'k' parameter of mmr_order must be an int in [1, 5]. Got 0 instead."),
    ({"k": 6}, "The 'k' parameter of mmr_order must be an int in [1, 5]. Got 6 instead."),
    ({"k": 2.0}, "The 'k' parameter of mmr_order must be an int in [1, 5]. Got 2.0 instead."),
    ({"pool": 0}, "The 'pool' parameter of mmr_order must be an int in [1, "),
    ({"floor": 1.0}, "The 'floor' parameter of mmr_order must be a number in [0, 1). "
                     "Got 1.0 instead."),
    ({"family_weight": -1}, "The 'family_weight' parameter of mmr_order must be a number in "
                            "[0, 1]. Got -1 instead."),
    ({"similarity": np.eye(4)}, "The 'similarity' parameter of mmr_order must have shape "
                                "(5, 5) to match 'scores'. Got (4, 4) instead."),
    ({"scores": np.ones((5, 1))}, "The 'scores' parameter of mmr_order must be a non-empty 1-D"),
    ({"scores": np.array([0.1, np.nan, 0.3, 0.2, 0.0])},
     "The 'scores' parameter of mmr_order must be finite. Got 1 NaN or infinite value(s)"),
    ({"families": np.zeros(5)}, "The 'families' parameter of mmr_order must be an (5,) integer "
                                "array. Got shape (5,) and dtype float64 instead."),
    ({"families": np.zeros(4, dtype=int)}, "The 'families' parameter of mmr_order must be an "
                                           "(5,) integer array. Got shape (4,)"),
])
def test_mmr_order_rejects_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    args: dict[str, Any] = {"scores": np.linspace(1, 0, 5), "similarity": np.eye(5), "k": 3,
                            "diversity": 0.3}
    args.update(kwargs)
    with pytest.raises(ValueError, match=re.escape(match)):
        mmr_order(**args)


def _field(vectors: np.ndarray, owner: list[int]) -> FieldIndex:
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    return FieldIndex(np.array([f"t{i}" for i in range(len(owner))], dtype=object), vectors,
                      np.array(owner, dtype=np.int32))


def test_occupation_similarity_on_a_synthetic_index() -> None:
    rng = np.random.default_rng(0)
    n, dim = 5, 8
    descriptions = _field(rng.normal(size=(n, dim)), list(range(n)))
    task_owner = [0, 0, 1, 3, 3, 3, 4]  # occupation 2 has no tasks
    tasks = _field(rng.normal(size=(len(task_owner), dim)), task_owner)
    titles = _field(rng.normal(size=(8, dim)), [0, 0, 1, 2, 2, 3, 4, 4])
    centroids = np.stack([titles.vectors[titles.owner == o].sum(0) for o in range(n)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    index: Any = SimpleNamespace(descriptions=descriptions, tasks=tasks, titles=titles,
                                 title_centroids=centroids)
    sim = occupation_similarity(index)
    assert sim.dtype == np.float32 and sim.shape == (n, n)

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.linalg.norm(v)

    task_c = [unit(tasks.vectors[tasks.owner == o].sum(0)) if o in task_owner
              else descriptions.vectors[o] for o in range(n)]
    for a, b in combinations(range(n), 2):
        expected = (0.4 * task_c[a] @ task_c[b] + 0.4 * centroids[a] @ centroids[b]
                    + 0.2 * descriptions.vectors[a] @ descriptions.vectors[b])
        # task centroids are rounded to the grid of passionfinder/_exact.py (1 / 2048)
        assert sim[a, b] == pytest.approx(expected, abs=1e-3)
    assert np.array_equal(sim, sim.T)
    assert np.all(np.diag(sim) == 1.0)


@pytest.mark.slow
@pytest.mark.data
def test_real_data_diversity_spreads_the_top_10(real_finder: Any) -> None:
    from passionfinder import Profile

    recs = real_finder.recommend(Profile(interests="I like repairing cars and trucks"), k=50)
    row_of = {c: i for i, c in enumerate(real_finder.catalog.occupations.index)}
    # the top 50 by score, however recommend() orders them
    ranked = sorted(recs, key=lambda r: -r.score)
    rows = np.array([row_of[r.onet_soc_code] for r in ranked])
    scores = np.array([r.score for r in ranked])
    sim = occupation_similarity(real_finder.index)
    assert sim.shape == (len(row_of), len(row_of))

    def mean_pairwise(chosen: np.ndarray) -> float:
        return float(np.mean([sim[a, b] for a, b in combinations(chosen.tolist(), 2)]))

    plain = rows[mmr_order(scores, sim[np.ix_(rows, rows)], 10, 0.0)]
    diverse = rows[mmr_order(scores, sim[np.ix_(rows, rows)], 10, 0.3)]
    assert np.array_equal(plain, rows[:10])
    assert diverse[0] == plain[0]
    assert set(diverse.tolist()) != set(plain.tolist())
    assert mean_pairwise(diverse) < mean_pairwise(plain)
