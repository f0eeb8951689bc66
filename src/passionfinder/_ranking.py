"""The order of occupations: scores rounded to a fixed precision, ties broken by a rule.

Every list passionfinder returns (recommendations, classifications, the diversity step's
candidates) is ordered by

1. the score rounded to :data:`RANK_DECIMALS` decimals (the precision results show), highest
   first (recommendations rank on their score less the catch-all penalty, and the diversity
   step then keeps near-duplicates apart, see ``_finder`` and ``_diversity``);
2. then the broader occupation first: an O*NET-SOC code ending in ``.00`` (the SOC
   occupation itself) before its detailed O*NET occupations (``.01``, ``.02``, ...);
3. then code order.

Two occupations whose scores agree to the shown precision are therefore ordered by a rule a
reader can check, never by float noise: ``classify("rn")`` puts Registered Nurses
(29-1141.00) before Critical Care Nurses (29-1141.03), which carry the same title.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["RANK_DECIMALS", "best_first", "rounded", "tie_priority"]

#: scores are compared after rounding to this many decimals (the precision results show)
RANK_DECIMALS = 6


def rounded(scores: np.ndarray) -> np.ndarray:
    """Scores as they are ranked: float64, rounded to :data:`RANK_DECIMALS` decimals."""
    return np.round(np.asarray(scores, dtype=np.float64), RANK_DECIMALS)


def tie_priority(codes: Sequence[str] | np.ndarray) -> np.ndarray:
    """Position of each occupation under the tie rule (``.00`` codes first, then code order):
    (n,) int64, 0 for the one that wins every tie."""
    codes = np.asarray([str(c) for c in codes])
    detailed = np.array([not c.endswith(".00") for c in codes], dtype=bool)
    order = np.lexsort((codes, detailed))
    priority = np.empty(len(codes), dtype=np.int64)
    priority[order] = np.arange(len(codes))
    return priority


def best_first(scores: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Indices of ``scores`` (n,) best first: rounded score, then ``priority`` (lower first)."""
    return np.lexsort((priority, -rounded(scores)))
