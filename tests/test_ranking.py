"""The order of occupations (passionfinder/_ranking.py): rounded scores, then the tie rule."""

from __future__ import annotations

import numpy as np
import pytest

from passionfinder._diversity import mmr_order
from passionfinder._ranking import RANK_DECIMALS, best_first, rounded, tie_priority

CODES = ["29-1141.03", "29-1141.00", "11-1011.00", "29-1141.01", "13-2011.00", "11-1011.03"]


def test_tie_priority_puts_broader_codes_first_then_code_order() -> None:
    priority = tie_priority(CODES)
    by_priority = [CODES[i] for i in np.argsort(priority)]
    assert by_priority == ["11-1011.00", "13-2011.00", "29-1141.00", "11-1011.03",
                           "29-1141.01", "29-1141.03"]


def test_scores_equal_to_the_shown_precision_are_ordered_by_the_rule() -> None:
    priority = tie_priority(CODES)
    step = 10.0 ** -RANK_DECIMALS
    # all equal after rounding, whatever noise below the precision says
    noise = np.array([3e-8, -2e-8, 1e-8, 4e-8, 0.0, -4e-8])
    order = best_first(0.5 + noise, priority)
    assert [CODES[i] for i in order] == ["11-1011.00", "13-2011.00", "29-1141.00",
                                         "11-1011.03", "29-1141.01", "29-1141.03"]
    # a difference of one step at the shown precision wins over the rule
    scores = np.full(len(CODES), 0.5)
    scores[0] += step
    assert CODES[best_first(scores, priority)[0]] == "29-1141.03"
    assert rounded(np.array([0.1234564, 0.1234566]))[0] != rounded(np.array([0.1234566]))[0]


def test_the_order_does_not_depend_on_where_an_occupation_sits() -> None:
    rng = np.random.default_rng(0)
    scores = np.round(rng.random(len(CODES)), 2)
    scores[[1, 0]] = scores[2]  # three-way tie
    priority = tie_priority(CODES)
    expected = [CODES[i] for i in best_first(scores, priority)]
    for seed in range(10):
        perm = np.random.default_rng(seed).permutation(len(CODES))
        codes = [CODES[i] for i in perm]
        got = [codes[i] for i in best_first(scores[perm], tie_priority(codes))]
        assert got == expected


def test_mmr_order_breaks_ties_by_the_priority() -> None:
    scores = np.array([0.5, 0.5, 0.5, 0.9])
    similarity = np.eye(4)
    priority = np.array([2, 0, 1, 3])
    assert list(mmr_order(scores, similarity, 4, 0.0, priority=priority)) == [3, 1, 2, 0]
    assert list(mmr_order(scores, similarity, 4, 0.5, priority=priority)) == [3, 1, 2, 0]
    assert list(mmr_order(scores, similarity, 4, 0.0)) == [3, 0, 1, 2]


def test_mmr_order_refuses_a_priority_of_another_length() -> None:
    with pytest.raises(ValueError, match="'priority' parameter of mmr_order must have shape"):
        mmr_order(np.array([0.5, 0.4]), np.eye(2), 2, 0.0, priority=np.array([0, 1, 2]))
