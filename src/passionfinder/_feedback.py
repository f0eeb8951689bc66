"""Relevance feedback: "more like these, less like that". A Rocchio shift of the person's
interest query toward the occupations they liked and away from those they disliked.

``q' = ALPHA q + BETA mean(liked) - GAMMA mean(disliked)``, normalised to unit length, where
an occupation's vector is the normalised blend of its task centroid, title centroid and
description (the weights of occupation-occupation similarity, ``_diversity``). The word-overlap
(TF-IDF) part of the query is shifted the same way, toward the liked occupations' documents.
The shifted query then goes through matching exactly as the person's own words would; values,
strengths and constraints are untouched. Measured in benchmarks/bench_feedback.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._diversity import SIMILARITY_WEIGHTS, _centroids
from ._errors import InputTypeError, InvalidInputError
from ._exact import on_grid

if TYPE_CHECKING:
    from ._index import OccupationIndex

__all__ = ["ALPHA", "BETA", "GAMMA", "Feedback", "occupation_vectors", "read_feedback",
           "shift_lexical", "shift_query"]

#: Rocchio weights: the person's own query, the liked centroid, the disliked centroid
#: (the textbook relevance-feedback weights; benchmarks/bench_feedback.py measures them)
ALPHA, BETA, GAMMA = 1.0, 0.75, 0.25


@dataclass(frozen=True)
class Feedback:
    """Liked and disliked occupations of one person, as catalog rows (in the order given)."""

    liked: tuple[int, ...] = ()
    disliked: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.liked or self.disliked)


def _occupation_list(value: Any, name: str, caller: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputTypeError(f"The '{name}' parameter of {caller} must be a list of O*NET-SOC "
                             f"codes or titles. Got {type(value).__name__} instead.")
    out = []
    for item in value:
        code = getattr(item, "onet_soc_code", item)  # a Recommendation is taken as its code
        if not isinstance(code, str):
            raise InputTypeError(f"The '{name}' parameter of {caller} must hold O*NET-SOC "
                                 f"codes or titles (str). Got {item!r} instead.")
        out.append(code)
    return out


def read_feedback(liked: Any, disliked: Any, resolve: Callable[[str], int], caller: str
                  ) -> Feedback:
    """Liked and disliked codes or titles as catalog rows (``resolve`` reads one).

    Raises InvalidInputError when an occupation is both liked and disliked.
    """
    liked_rows = {resolve(c): c for c in _occupation_list(liked, "liked", caller)}
    disliked_rows = {resolve(c): c for c in _occupation_list(disliked, "disliked", caller)}
    both = [liked_rows[r] for r in liked_rows if r in disliked_rows]
    if both:
        raise InvalidInputError(
            f"The 'liked' and 'disliked' parameters of {caller} share {', '.join(both)}: an "
            "occupation is liked or disliked, not both.")
    return Feedback(tuple(liked_rows), tuple(disliked_rows))


def occupation_vectors(index: OccupationIndex) -> np.ndarray:
    """One unit vector per occupation in the encoder's space: the task centroid, title
    centroid and description blended with the weights of occupation similarity."""
    descriptions = np.asarray(index.descriptions.vectors, dtype=np.float32)
    n = len(descriptions)
    tasks = _centroids(index.tasks, n, descriptions)
    titles = np.asarray(index.title_centroids, dtype=np.float32)
    if titles.shape != descriptions.shape:
        titles = _centroids(index.titles, n, descriptions)
    w = SIMILARITY_WEIGHTS
    blend = w["tasks"] * tasks + w["titles"] * titles + w["descriptions"] * descriptions
    return on_grid(blend)


def shift_query(query: np.ndarray | None, occupations: np.ndarray, feedback: Feedback
                ) -> np.ndarray:
    """The Rocchio-shifted query, unit length. ``query`` None (no interests given) starts
    from zero, so the liked and disliked occupations alone make the query."""
    dim = occupations.shape[1]
    shifted = np.zeros(dim, dtype=np.float64) if query is None else ALPHA * query.astype(
        np.float64)
    if feedback.liked:
        shifted += BETA * occupations[list(feedback.liked)].astype(np.float64).mean(axis=0)
    if feedback.disliked:
        shifted -= GAMMA * occupations[list(feedback.disliked)].astype(np.float64).mean(axis=0)
    if not np.any(shifted):
        raise InvalidInputError("The feedback cancels the interest query out; like at least "
                                "one occupation or give interests.")
    # unit length on the grid of _exact.py, as the encoder's vectors are, so that its
    # similarities with the index have the same digits on any CPU
    return on_grid(shifted[None, :].astype(np.float32))[0]


def shift_lexical(own: np.ndarray, documents: Any, feedback: Feedback) -> np.ndarray:
    """The same Rocchio shift in the word-overlap (TF-IDF) space: the cosine of every
    occupation document with ``ALPHA q + BETA mean(liked) - GAMMA mean(disliked)``.

    ``own`` (N,) holds the cosines of the person's own words ``q`` with each document (all
    zero when none of their words is in the vocabulary: then ``q`` counts as zero);
    ``documents`` is the L2-normalised (N, vocabulary) sparse matrix of the documents. The
    shifted query is never formed: its cosines follow from document-document cosines, since
    they are linear in it.
    """
    liked, disliked = list(feedback.liked), list(feedback.disliked)
    rows = liked + disliked
    if not rows:
        return own
    between = np.asarray((documents[rows] @ documents.T).todense(), dtype=np.float64)
    weights = np.array([BETA / max(len(liked), 1)] * len(liked)
                       + [-GAMMA / max(len(disliked), 1)] * len(disliked))
    alpha = ALPHA if np.any(own) else 0.0
    dot = alpha * own.astype(np.float64) + weights @ between  # q' . every document
    norm2 = (alpha ** 2 + 2 * alpha * float(weights @ own[rows].astype(np.float64))
             + float(weights @ between[:, rows] @ weights))
    if norm2 <= 1e-12:
        return np.zeros_like(own)
    return (dot / np.sqrt(norm2)).astype(np.float32)
