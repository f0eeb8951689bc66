"""PassionFinder: the pipeline from profiles to ranked, explained occupation suggestions.

profiles -> encoding (one batched pass) -> matching (per field, standardized, blended)
-> values (re-ranking) -> results. The single-profile call is the batch call with one row.
"""

from __future__ import annotations

import contextvars
import logging
import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from ._calibration import Calibration, calibration_for
from ._constraints import Constraints, NoOccupationPassesError, Screen, as_constraints, screen
from ._diversity import DIVERSITY, check_diversity, mmr_order
from ._errors import InputTypeError, InvalidInputError
from ._evidence import EvidenceRequest, explain
from ._exact import median as middle
from ._exact import on_grid, weighted_sums
from ._feedback import (
    Feedback,
    occupation_vectors,
    read_feedback,
    shift_lexical,
    shift_query,
)
from ._kept import KeptRows
from ._matching import (
    MatchWeights,
    best_text,
    pool_per_occupation,
    riasec_agreement,
    riasec_profile,
    similarities,
    standardize,
    strength_scores,
    text_scores,
)
from ._negation import ProfileReading, apply_avoidance, avoided_scores, read_profile
from ._neutral import neutral_text
from ._profile import Profile, as_profile, clean_text
from ._ranking import best_first, rounded, tie_priority
from ._release import RIASEC
from ._results import (
    Classification,
    Evidence,
    OccupationMatch,
    Recommendation,
    Recommendations,
    ValueContribution,
)
from ._summary import VALUE_NAMES as _VALUE_NAMES
from ._summary import load_summary
from ._values import value_scores

if TYPE_CHECKING:
    import pandas as pd

    from ._batch import ScoreSummary
    from ._catalog import Catalog
    from ._explain import Comparison, Explanation
    from ._index import OccupationIndex
    from ._model.encoder import Encoder
    from ._steps import StarterStep, StepWriter

__all__ = ["PassionFinder"]

logger = logging.getLogger(__name__)

_RIASEC_NAMES = RIASEC
#: A free-text value clause counts when its best vocabulary entry is at least this similar,
VALUE_TEXT_THRESHOLD = 0.5
#: or at least this similar and this many standard deviations above its mean similarity to
#: all entries (keeps "never worry about money", drops "pizza" and "the weather is nice").
VALUE_TEXT_MIN, VALUE_TEXT_Z = 0.4, 2.5
#: how many strengths' task-similarity rows the finder keeps (about 75 KB each)
STRENGTH_ROWS = 512
#: a stated strength covers a skill or knowledge area at this cosine or more (learn steps)
COVERED_SIMILARITY = 0.4
#: How much lower the catch-all "All Other" groups are placed in the ranking: they name no
#: one job, so they should not crowd out the named occupations next to them (docs/matching.md).
CATCH_ALL_PENALTY = 0.08
#: texts of at most this many words are treated as job titles by classify()
TITLE_WORDS = 6


def _check_int(name: str, value: Any, low: int, high: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not (
            low <= value <= high):
        raise InvalidInputError(f"The '{name}' parameter of {where} must be an int in "
                                f"[{low}, {high}]. Got {value!r} instead.")
    return int(value)


def check_ranking(k: Any, value_weight: Any, diversity: Any, where: str,
                  k_max: int | None = None) -> tuple[int, float | None, float | None]:
    """Check the options of a ranking call: ``k`` in [1, ``k_max``] (at least 1 when the
    catalog is not at hand), ``value_weight`` and ``diversity`` in [0, 1] or None. Returns
    them as plain Python numbers."""
    if k_max is None:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise InvalidInputError(f"The 'k' parameter of {where} must be a positive int. "
                                    f"Got {k!r} instead.")
        k = int(k)
    else:
        k = _check_int("k", k, 1, k_max, where)
    lam = None if value_weight is None else _check_fraction("value_weight", value_weight, where)
    spread = None if diversity is None else check_diversity(diversity, where)
    return k, lam, spread


def _check_fraction(name: str, value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not (
            0.0 <= float(value) <= 1.0):
        raise InvalidInputError(f"The '{name}' parameter of {where} must be a number in "
                                f"[0, 1]. Got {value!r} instead.")
    return float(value)


def _value_clauses(text: str) -> list[str]:
    parts = re.split(r"(?:[.;,!?\n]|\band\b|\bbut\b|\balso\b)", text, flags=re.IGNORECASE)
    clauses = [p.strip() for p in parts if len(p.strip()) > 2]
    return clauses or [text]


def _money(x: float | None) -> str:
    return "not published by BLS" if x is None or np.isnan(x) else f"${x:,.0f}"


@dataclass
class _Encoded:
    """The vectors of one batch of profiles: each distinct text once."""

    vectors: np.ndarray  # (U, d): every distinct text of the batch
    texts: list[str]  # (U,): those texts
    interest_ids: list[int | None]  # per profile: row of its interests, or None
    strength_ids: list[list[int]]  # per profile: rows of its strengths
    value_weights: list[dict[str, float]]
    value_mapping: list[list[tuple[str, float]]]
    readings: list[ProfileReading]  # per profile: what it wants and what it avoids
    avoided_ids: list[list[int]]  # per profile: rows of its avoided topics
    #: rows of interest queries shifted by relevance feedback -> that feedback
    shifted: dict[int, Feedback] = field(default_factory=dict)


@dataclass
class _Scores:
    """Everything matching computed for one batch, kept for ranking and evidence."""

    match: np.ndarray  # (n, N) blended standardized match, NaN rows: nothing to match
    fields: dict[str, np.ndarray]  # per-field z-scores (n, N)
    riasec: np.ndarray | None  # (n, 6) person RIASEC shares
    interest_rows: dict[int, int]  # distinct-text row -> row of the similarity matrices
    task_sims: np.ndarray | None  # (distinct interests, tasks)
    strength_rows: dict[int, int]  # distinct-text row -> row of strength_task_sims
    strength_task_sims: np.ndarray | None  # (distinct strengths, tasks)
    strength_element_sims: np.ndarray | None  # (distinct strengths, elements)


@dataclass
class _Ranked:
    """One person's scores against every occupation: what recommend ranks and explain reads."""

    final: np.ndarray  # (N,) the score
    match01: np.ndarray  # (N,) match rescaled: the person's median 0, their best 1
    median: float  # of the person's blended match
    scale: float  # best - median (1 when all equal)
    value_score: np.ndarray | None  # (N,) weighted standing on the person's values
    standing: np.ndarray | None  # (N, values) standing per value, NaN: no data
    weights: dict[str, float]  # the person's values and their weights
    has_match: bool  # something to match (else the values alone rank)
    value_weight: float  # the share of the values in the score
    order_key: np.ndarray  # (N,) float64: what the list is ordered by
    candidates: np.ndarray  # (N,) bool: passes the constraints and is not disliked


class PassionFinder:
    """Suggest occupations for people from their interests, strengths and values.

    Parameters
    ----------
    catalog : Catalog, optional
        The occupation catalog; by default :func:`passionfinder.load_catalog` with
        ``data_home``.
    model : str, path or Encoder, optional
        The sentence-transformers model; by default the packaged all-MiniLM-L6-v2, run as an
        ONNX export (see :func:`passionfinder.load_encoder`).
    data_home, cache_home : path, optional
        Data and cache folders (see :func:`passionfinder.load_catalog`).
    value_weight : float, default 0.3
        How much the person's values count against the match in the final score (0-1).
    backend : {"auto", "onnx", "torch"}
        Which runtime runs the model.
    precision : {"int8", "fp32"}, default "int8"
        Of the ONNX model (see :func:`passionfinder.load_encoder`): "int8" is about 2.5 times
        faster at the same measured matching quality; "fp32" gives the model's own vectors.
    show_progress : bool, optional
        Progress bars for long work (the first index build); None: only in a terminal.
    weights : MatchWeights, optional
        The matching constants (see docs/matching.md); the measured defaults otherwise.
    diversity : float, default 0.3
        How strongly near-duplicate occupations are kept apart in the list (0-1; see
        :meth:`recommend`).
    text_cache_size : int, default 10000
        How many recent texts' vectors to keep, so repeated strengths, values and answers
        are encoded once; 0 turns it off. Used only with encoders whose vectors do not
        depend on the batch (the ONNX models at either precision), so it never changes a
        result.

    Examples
    --------
    >>> import passionfinder as pf                                    # doctest: +SKIP
    >>> finder = pf.PassionFinder()                                   # doctest: +SKIP
    >>> recs = finder.recommend(pf.Profile(interests="I love fixing old bikes",
    ...                                    values=["independence"]))  # doctest: +SKIP
    >>> recs[0].title                                                 # doctest: +SKIP
    'Bicycle Repairers'
    """

    def __init__(self, catalog: Catalog | None = None, model: str | os.PathLike[str] | Encoder
                 | None = None, *, data_home: str | os.PathLike[str] | None = None,
                 cache_home: str | os.PathLike[str] | None = None, value_weight: float = 0.3,
                 backend: str = "auto", precision: str = "int8",
                 show_progress: bool | None = None, weights: MatchWeights | None = None,
                 text_cache_size: int = 10_000, diversity: float = DIVERSITY) -> None:
        from ._catalog import Catalog, load_catalog
        from ._index import OccupationIndex
        from ._model.load import load_encoder

        if catalog is None:
            catalog = load_catalog(data_home, cache_home=cache_home)
        elif not isinstance(catalog, Catalog):
            raise InputTypeError("The 'catalog' parameter of PassionFinder must be a Catalog "
                                 f"from load_catalog(). Got {type(catalog).__name__} instead.")
        self.value_weight = _check_fraction("value_weight", value_weight, "PassionFinder")
        self.diversity = check_diversity(diversity, "PassionFinder")
        self.catalog = catalog
        self._cache_home = cache_home
        self.encoder = load_encoder(model, backend=backend, cache_home=cache_home,
                                    precision=precision)
        self.index: OccupationIndex = OccupationIndex.load_or_build(
            catalog, self.encoder, cache_home=cache_home, show_progress=show_progress)
        self.weights = weights or MatchWeights()
        # the per-occupation columns as arrays, cached per catalog: no table is read for them
        summary = load_summary(catalog, cache_home=cache_home)
        self._codes = np.array(summary.codes, dtype=object)
        #: the tie rule of passionfinder/_ranking.py: .00 codes first, then code order
        self._tie_priority = tie_priority(self._codes)
        self._titles = np.array(summary.titles, dtype=object)
        self._family_names = list(summary.families)
        self._riasec = summary.riasec  # row-major float32
        #: standing of every occupation on every value: percentile (0-1), NaN = no data
        self._values = summary.value_standing.astype(np.float32)
        # share of the other occupations (with data) that score strictly lower, for the text
        self._share_below = summary.value_share_below
        self._wages = summary.wage_median
        self._growth = summary.growth_pct
        self._descriptions = summary.descriptions
        size = _check_int("text_cache_size", text_cache_size, 0, 10_000_000, "PassionFinder")
        #: vectors of recently seen texts (strengths and values repeat across people)
        self._text_cache = KeptRows(size)
        #: similarity rows of recent strengths to every task (about 75 KB each)
        self._strength_rows = KeptRows(min(STRENGTH_ROWS, size))
        #: (value, occupation row) -> the standing shown in value contributions
        self._details: dict[tuple[str, int], str] = {}
        #: recent constraints read against the catalog (see screen)
        self._screens: dict[Constraints, Screen] = {}
        self._screens_lock = threading.Lock()

    def __repr__(self) -> str:
        source = f" ({self.catalog.source})" if self.catalog.source else ""
        return (f"<PassionFinder O*NET {self.catalog.release}{source}, {len(self.catalog)} "
                f"occupations, model {self.encoder.name}>")

    # -- encoding ------------------------------------------------------------------------------
    def _encode(self, profiles: Sequence[Profile],
                feedback: Sequence[Feedback] | None = None) -> _Encoded:
        # what each person would avoid is split off first (docs/matching.md, Negation)
        readings = [read_profile(p) if self.weights.read_negation else
                    ProfileReading(p.interests, p.strengths, p.values, ()) for p in profiles]
        texts: list[str] = []
        for reading in readings:
            if reading.interests:
                texts.append(reading.interests)
            texts.extend(reading.strengths)
            texts.extend(reading.avoided)
            if isinstance(reading.values, str):
                texts.extend(_value_clauses(reading.values))
        unique = list(dict.fromkeys(texts))
        pos = {t: i for i, t in enumerate(unique)}
        vectors = self._vectors(unique)
        interest_ids = [pos[r.interests] if r.interests else None for r in readings]
        strength_ids = [[pos[s] for s in r.strengths] for r in readings]
        avoided_ids = [[pos[t] for t in r.avoided] for r in readings]
        weights, mappings = [], []
        values_field = self.index.values
        for p in profiles:
            if isinstance(p.values, Mapping):
                weights.append(dict(p.values))
                mappings.append([])
            elif isinstance(p.values, str):
                found: dict[str, float] = {}
                mapping = []
                for clause in _value_clauses(p.values):
                    sims = pool_per_occupation(
                        (values_field.vectors @ vectors[pos[clause]])[None, :], values_field,
                        len(_VALUE_NAMES), 0.0)[0]
                    best = int(np.argmax(sims))
                    mapping.append((f"{clause} -> {_VALUE_NAMES[best]}", float(sims[best])))
                    z = (sims[best] - sims.mean()) / (sims.std() or 1.0)
                    if sims[best] >= VALUE_TEXT_THRESHOLD or (
                            sims[best] >= VALUE_TEXT_MIN and z >= VALUE_TEXT_Z):
                        found[_VALUE_NAMES[best]] = found.get(_VALUE_NAMES[best], 0.0) + float(
                            sims[best])
                total = sum(found.values())
                weights.append({k: v / total for k, v in found.items()} if total else {})
                mappings.append(mapping)
            else:
                weights.append({})
                mappings.append([])
        shifted: dict[int, Feedback] = {}
        if feedback is not None:
            vectors = self._shift_queries(vectors, unique, interest_ids, readings, feedback,
                                          shifted)
        return _Encoded(vectors, unique, interest_ids, strength_ids, weights, mappings, readings,
                        avoided_ids, shifted)

    def _shift_queries(self, vectors: np.ndarray, texts: list[str],
                       interest_ids: list[int | None], readings: list[ProfileReading],
                       feedback: Sequence[Feedback], shifted_rows: dict[int, Feedback]
                       ) -> np.ndarray:
        """Relevance feedback (_feedback.py): each person with feedback gets a row of their
        own, their interest query shifted toward what they liked and away from what they
        disliked. The row's text is their own words, and ``shifted_rows`` notes the row, so
        that matching shifts the word-overlap part the same way. Without interests, the liked
        occupations alone make the query; dislikes alone only drop out."""
        shifted = []
        for i, fb in enumerate(feedback):
            if not fb or (interest_ids[i] is None and not fb.liked):
                continue
            own = interest_ids[i]
            shifted.append(shift_query(None if own is None else vectors[own],
                                       self._occupation_vectors, fb))
            interest_ids[i] = len(texts)
            shifted_rows[len(texts)] = fb
            texts.append(readings[i].interests or "")
        return np.vstack([vectors, *shifted]) if shifted else vectors

    def _vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors of distinct texts: recent ones from the text cache, the rest in one batch.

        The cache is used only with an encoder whose vectors do not depend on the batch
        (``Encoder.batch_independent``), so a cached vector is exactly what encoding again
        would give; with any other encoder every text is encoded every time. Gendered words,
        pronouns and given names are made neutral first (``_neutral.neutral_text``).
        """
        dim = self.index.tasks.vectors.shape[1]
        texts = [neutral_text(t) for t in texts]
        if not texts:
            return np.zeros((0, dim), dtype=np.float32)
        if not self._text_cache.size or not getattr(self.encoder, "batch_independent", False):
            return self._grid_vectors(texts)
        return self._text_cache.rows(texts, dim, self._grid_vectors)

    def _grid_vectors(self, texts: list[str]) -> np.ndarray:
        """The encoder's vectors on the grid of passionfinder/_exact.py, as the index's are, so
        that every similarity with the index is exact on any CPU, kernel and batch."""
        return on_grid(self.encoder.encode(texts, batch_size=64))

    def _strength_task_rows(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """Similarity of each strength to every task: (len(texts), n_tasks).

        Strengths repeat across people ("patient", "good with my hands"), so the rows of
        the most recent STRENGTH_ROWS of them are kept. A kept row has exactly the digits a
        new product would give (see _matching.similarities), so keeping never changes a result;
        like the text cache, it is used only with batch-independent encoders.
        """
        tasks = self.index.tasks.vectors
        keep = self._strength_rows.size and getattr(self.encoder, "batch_independent", False)
        if not len(vectors):
            return np.zeros((0, len(tasks)), np.float32)
        if not keep:
            return similarities(vectors, tasks, self.index.tasks.columns)
        position = {text: i for i, text in enumerate(texts)}
        return self._strength_rows.rows(
            texts, len(tasks),
            lambda todo: similarities(vectors[[position[t] for t in todo]], tasks,
                                      self.index.tasks.columns))

    # -- scoring -------------------------------------------------------------------------------
    def _match(self, profiles: Sequence[Profile], enc: _Encoded) -> _Scores:
        """Standardized, blended match of each profile with each occupation.

        Each distinct interest text and strength is scored once, however many profiles
        share it.
        """
        n, n_occ = len(profiles), len(self._codes)
        w = self.weights
        total = np.zeros((n, n_occ), dtype=np.float32)
        weight_sum = np.zeros((n, 1), dtype=np.float32)
        fields: dict[str, np.ndarray] = {}
        person_riasec = None
        interest_rows: dict[int, int] = {}
        task_sims = None
        rows = [i for i, t in enumerate(enc.interest_ids) if t is not None]
        if rows:
            distinct = list(dict.fromkeys(enc.interest_ids[i] for i in rows))
            interest_rows = {t: r for r, t in enumerate(distinct)}
            query = enc.vectors[distinct]
            lexical = self.index.lexical.similarity(
                [enc.texts[t] for t in distinct]) if w.lexical else None
            if lexical is not None:  # relevance feedback shifts the word part too
                for r, t in enumerate(distinct):
                    if t in enc.shifted:
                        lexical[r] = shift_lexical(lexical[r], self.index.lexical.documents,
                                                   enc.shifted[t])
            raw, sims = text_scores(query, self.index, lexical, w, n_occ)
            task_sims = sims["tasks"]
            person = riasec_profile(query, self.index)
            gather = [interest_rows[enc.interest_ids[i]] for i in rows]
            interest = standardize(raw)[gather]
            agreement = standardize(riasec_agreement(person, self._riasec))[gather]
            for field_name, z, fw in (("interests", interest, w.interests),
                                      ("riasec", agreement, w.riasec)):
                full = np.full((n, n_occ), np.nan, dtype=np.float32)
                full[rows] = z
                fields[field_name] = full
                total[rows] += fw * z
                weight_sum[rows] += fw
            person_riasec = np.full((n, 6), np.nan, dtype=np.float32)
            person_riasec[rows] = person[gather]
        distinct_strengths = list(dict.fromkeys(t for ids in enc.strength_ids for t in ids))
        strength_rows = {t: r for r, t in enumerate(distinct_strengths)}
        strength_vectors = enc.vectors[distinct_strengths]
        strength_task_sims = self._strength_task_rows(
            [enc.texts[t] for t in distinct_strengths], strength_vectors)
        strength_element_sims = similarities(strength_vectors, self.index.elements.vectors)
        element, task, _ = strength_scores(
            strength_vectors, [[strength_rows[t] for t in ids] for ids in enc.strength_ids],
            self.index, n_occ, w, task_sims=strength_task_sims,
            element_sims=strength_element_sims)
        has_strengths = np.array([bool(ids) for ids in enc.strength_ids])
        if has_strengths.any():
            share = w.strength_elements
            z = share * standardize(element[has_strengths]) + (1 - share) * standardize(
                task[has_strengths])
            full = np.full((n, n_occ), np.nan, dtype=np.float32)
            full[has_strengths] = z
            fields["strengths"] = full
            total[has_strengths] += w.strengths * z
            weight_sum[has_strengths] += w.strengths
        with np.errstate(invalid="ignore", divide="ignore"):
            match = np.where(weight_sum > 0, total / np.where(weight_sum > 0, weight_sum, 1),
                             np.nan)
        avoided = avoided_scores(enc.vectors, enc.avoided_ids,
                                 [p.avoided for p in enc.readings], self.index, w)
        if avoided is not None:
            match = apply_avoidance(match, avoided, w.avoid, w.avoid_floor)
        return _Scores(match.astype(np.float32), fields, person_riasec, interest_rows,
                       task_sims, strength_rows,
                       strength_task_sims if distinct_strengths else None,
                       strength_element_sims if distinct_strengths else None)

    def _value_score(self, weights: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """(value score per occupation, per-value standing with NaN) for one profile."""
        cols = [_VALUE_NAMES.index(name) for name in weights]
        standing = self._values[:, cols]
        w = np.array(list(weights.values()), dtype=np.float32)
        return weighted_sums(np.nan_to_num(standing, nan=0.5), w[None, :])[:, 0], standing

    # -- public API ----------------------------------------------------------------------------
    def recommend(self, profile: Profile | str | Mapping[str, Any], k: int = 10, *,
                  value_weight: float | None = None, diversity: float | None = None,
                  where: Constraints | Mapping[str, Any] | None = None,
                  liked: Sequence[str] | None = None, disliked: Sequence[str] | None = None
                  ) -> Recommendations:
        """Suggest ``k`` occupations for one person.

        Parameters
        ----------
        profile : Profile, str or dict
            A :class:`Profile`; a string is taken as interests; a dict gives the fields.
        k : int, default 10
            How many suggestions, 1 to the number of occupations.
        value_weight : float, optional
            Overrides the finder's ``value_weight`` for this call.
        diversity : float, optional
            0-1: how strongly near-duplicate occupations are kept apart in the list
            (maximal marginal relevance over the top 50; 0 is the plain ranking). Overrides
            the finder's ``diversity`` (default 0.3, see docs/matching.md).
        where : Constraints or dict, optional
            Which occupations to consider at all (job zone, education, wage, growth, job
            family, codes; see :class:`Constraints`). Applied before the top ``k`` and
            before diversity, so ``k`` come back whenever ``k`` occupations pass.
        liked, disliked : list of str, optional
            Relevance feedback: O*NET-SOC codes or titles (or recommendations) the person
            liked or disliked in an earlier list. The interest query is shifted toward the
            liked ones and away from the disliked ones (docs/steering.md); values and
            constraints stay as they are. Disliked occupations drop out of the list; liked
            ones that pass the constraints stay in it.

        Returns
        -------
        Recommendations

        Raises
        ------
        NoOccupationPassesError
            When no occupation passes ``where``.

        Examples
        --------
        >>> recs = finder.recommend("caring for patients", k=5,
        ...                         where={"max_job_zone": 3, "min_wage": 45_000})  # doctest: +SKIP
        >>> more = finder.recommend("caring for patients", k=5,
        ...                         liked=[recs[0].onet_soc_code])                  # doctest: +SKIP
        """
        return self.recommend_many(
            [profile], k=k, value_weight=value_weight, diversity=diversity, where=where,
            liked=None if liked is None else [liked],
            disliked=None if disliked is None else [disliked])[0]

    def recommend_many(self, profiles: Iterable[Profile | str | Mapping[str, Any]],
                       k: int = 10, *, value_weight: float | None = None,
                       diversity: float | None = None,
                       where: Constraints | Mapping[str, Any] | None = None,
                       liked: Sequence[Sequence[str] | None] | None = None,
                       disliked: Sequence[Sequence[str] | None] | None = None,
                       batch_size: int = 256) -> list[Recommendations]:
        """Suggest ``k`` occupations for each of many people, in batches.

        All texts of a batch are encoded together (duplicates once); the result list has
        one :class:`Recommendations` per input, in order, each exactly what
        :meth:`recommend` gives for that profile alone.

        Parameters
        ----------
        profiles : iterable of Profile, str or dict
            As for :meth:`recommend`; read in full before any work starts.
        k, value_weight, diversity, where
            As for :meth:`recommend`; ``where`` applies to every profile.
        liked, disliked : list of lists, optional
            Relevance feedback as for :meth:`recommend`, one list (or None) per profile.
        batch_size : int, default 256
            Profiles per batch. With more than one batch, the next batch is encoded and
            matched on a helper thread while the current one is ranked and explained; the
            thread ends with the call (docs/reliability.md).

        Returns
        -------
        list of Recommendations
        """
        if isinstance(profiles, (str, bytes, Profile, Mapping)):
            raise InputTypeError("recommend_many takes a list of profiles; use recommend() for "
                                 f"one. Got a single {type(profiles).__name__} instead.")
        if not isinstance(profiles, Iterable):
            raise InputTypeError("The 'profiles' parameter of PassionFinder.recommend_many must "
                                 "be a list (or other iterable) of profiles. Got "
                                 f"{type(profiles).__name__} instead.")
        where_name = "PassionFinder.recommend"
        items = [as_profile(p) for p in profiles]
        feedback = None
        if liked is not None or disliked is not None:
            per_person = []
            for name, given in (("liked", liked), ("disliked", disliked)):
                if given is None:
                    given = [None] * len(items)
                elif isinstance(given, (str, bytes, Mapping)) or not isinstance(
                        given, Sequence) or len(given) != len(items):
                    raise InvalidInputError(
                        f"The '{name}' parameter of PassionFinder.recommend_many must be a list "
                        f"with one list of occupations (or None) per profile, {len(items)} in "
                        f"all. Got {given!r} instead.")
                per_person.append(given)
            feedback = [self._feedback(a, b, where_name)
                        for a, b in zip(*per_person, strict=True)]
            most = max((len(fb.liked) for fb in feedback), default=0)
            if isinstance(k, (int, np.integer)) and not isinstance(k, bool) and most > k:
                raise InvalidInputError(
                    f"The 'k' parameter of {where_name} must be at least the number of liked "
                    f"occupations ({most}), so that they stay in the list. Got {k!r} instead.")
        return self._recommend_all(items, k, value_weight, diversity, where, feedback,
                                   batch_size, where_name)

    def _recommend_all(self, items: list[Profile], k: Any, value_weight: Any, diversity: Any,
                       where: Any, feedback: list[Feedback] | None, batch_size: Any,
                       where_name: str) -> list[Recommendations]:
        k, lam, spread = check_ranking(k, value_weight, diversity, where_name, len(self._codes))
        lam = self.value_weight if lam is None else lam
        spread = self.diversity if spread is None else spread
        batch_size = _check_int("batch_size", batch_size, 1, 1_000_000, where_name)
        passing = self.screen(where, where_name)
        batches = [range(start, min(start + batch_size, len(items)))
                   for start in range(0, len(items), batch_size)]

        def read(rows: range) -> tuple[_Encoded, _Scores]:
            batch = [items[r] for r in rows]
            if feedback is None:
                return self._read(batch)
            return self._read(batch, [feedback[r] for r in rows])

        def rank(rows: range, enc: _Encoded, scores: _Scores) -> list[Recommendations]:
            return self._recommend_batch([items[r] for r in rows], enc, scores, k, lam, spread,
                                         passing, [feedback[r] for r in rows]
                                         if feedback is not None else None)

        out: list[Recommendations] = []
        if len(batches) <= 1:
            for rows in batches:
                out.extend(rank(rows, *read(rows)))
            return out
        # The next batch is encoded and matched while this one is ranked and explained: the
        # encoder's runs and the large array products leave the interpreter free, so the two
        # overlap on the cores (docs/benchmarks.md). Vectors never depend on the batch, so the
        # results are those of one batch at a time.
        ahead = ThreadPoolExecutor(1, thread_name_prefix="passionfinder-ahead")

        def read_ahead(rows: range) -> Future[tuple[_Encoded, _Scores]]:
            # in the caller's context (numpy error settings and other context variables)
            return ahead.submit(contextvars.copy_context().run, read, rows)

        try:
            coming = read_ahead(batches[0])
            for b, rows in enumerate(batches):
                enc, scores = coming.result()
                if b + 1 < len(batches):
                    coming = read_ahead(batches[b + 1])
                out.extend(rank(rows, enc, scores))
        except BaseException:
            # raise now (an interrupt should not wait for the next batch); the ahead thread
            # finishes the batch it is on, if any, and ends
            ahead.shutdown(wait=False, cancel_futures=True)
            raise
        ahead.shutdown(wait=True)
        return out

    def screen(self, where: Constraints | Mapping[str, Any] | None,
               caller: str = "PassionFinder.screen") -> Screen:
        """Read constraints against this finder's catalog: which occupations pass, how many
        have no data on a filtered field, and why any one does not pass.

        Raises the errors of :class:`Constraints` (with ``caller`` named), an unknown family
        or code, or :class:`NoOccupationPassesError` when nothing passes.
        """
        constraints = as_constraints(where, caller)
        kept = self._screens.get(constraints)
        if kept is None:
            kept = screen(self.catalog, constraints)
            with self._screens_lock:
                if len(self._screens) >= 64:  # a few recent ones; each is a few KB
                    self._screens.pop(next(iter(self._screens)))
                self._screens[constraints] = kept
        return kept

    def _feedback(self, liked: Any, disliked: Any, caller: str) -> Feedback:
        return read_feedback(liked, disliked, self._occupation_row, caller)

    def _occupation_row(self, occupation: Any) -> int:
        """The catalog row of an O*NET-SOC code or a title (an exact title, an alternate
        title naming one occupation); otherwise an UnknownOccupationError with close titles."""
        code = getattr(occupation, "onet_soc_code", occupation)
        if isinstance(code, str):
            row = self._code_rows.get(code.strip())
            if row is not None:
                return row
            owners = self._title_lookup.get(_norm_title(code))
            if owners is not None:
                exact = [o for o in owners if _norm_title(str(self._titles[o])) == _norm_title(
                    code)]
                if len(exact) == 1 or len(owners) == 1:
                    return exact[0] if exact else next(iter(owners))
        self.catalog._check_code(code)  # raises with the closest titles or codes
        raise AssertionError("unreachable")  # pragma: no cover - _check_code raised

    @cached_property
    def _code_rows(self) -> dict[str, int]:
        return {str(c): i for i, c in enumerate(self._codes)}

    @cached_property
    def _occupation_vectors(self) -> np.ndarray:
        return occupation_vectors(self.index)

    def _read(self, profiles: Sequence[Profile], feedback: Sequence[Feedback] | None = None
              ) -> tuple[_Encoded, _Scores]:
        """Encode a batch of profiles and match them against every occupation."""
        enc = self._encode(profiles) if feedback is None else self._encode(profiles, feedback)
        return enc, self._match(profiles, enc)

    def _score_profile(self, enc: _Encoded, scores: _Scores, i: int, lam: float,
                       passing: Screen, feedback: Feedback | None) -> _Ranked:
        """The one scoring path: person ``i``'s score on every occupation, as recommend,
        recommend_many, batch scoring and explain all read it."""
        match = scores.match[i]
        weights = enc.value_weights[i]
        has_match = not np.isnan(match).all()
        median, scale = 0.0, 1.0
        if has_match:
            median, best = middle(match), float(match.max())
            scale = best - median if best > median else 1.0
            match01 = np.clip((match - median) / scale, 0, 1)
        else:
            match01 = np.zeros(len(self._codes), dtype=np.float32)
        if weights:
            value_score, standing = self._value_score(weights)
            final = (1 - lam) * match01 + lam * value_score if has_match else value_score
        else:
            value_score, standing = None, None
            final = match01
        # catch-all "All Other" groups are placed CATCH_ALL_PENALTY lower (docs/matching.md)
        order_key = final.astype(np.float64) - CATCH_ALL_PENALTY * self._catch_all
        candidates = passing.passes
        if feedback is not None and feedback.disliked:
            candidates = candidates.copy()
            candidates[list(feedback.disliked)] = False
        return _Ranked(final, match01, median, scale, value_score, standing, weights, has_match,
                       (lam if has_match else 1.0) if weights else 0.0, order_key, candidates)

    def _order(self, ranked: _Ranked, k: int, spread: float, pinned: Sequence[int] = ()
               ) -> list[int]:
        """The list: the ``k`` best candidates in the order of passionfinder/_ranking.py
        (the order key to RANK_DECIMALS, then the tie rule), near-duplicates kept apart by
        maximal marginal relevance when ``spread`` > 0; ``pinned`` candidates (liked
        occupations) are kept in it at their place by score."""
        allowed = np.flatnonzero(ranked.candidates)
        if not len(allowed):
            raise NoOccupationPassesError(
                "No occupation is left once the disliked ones are taken out of the ones that "
                "pass the constraints.")
        key = rounded(ranked.order_key)
        k = min(k, len(allowed))
        if len(allowed) < len(key):
            # the others go below every candidate, and the pool holds candidates only
            key = np.where(ranked.candidates, key, key[allowed].min() - 1.0)
            top = mmr_order(key, self._occupation_similarity, k, spread,
                            pool=min(50, len(allowed)), priority=self._tie_priority)
        else:
            top = mmr_order(key, self._occupation_similarity, k, spread,
                            priority=self._tie_priority)
        order = [int(o) for o in top]
        keep = [o for o in dict.fromkeys(pinned) if ranked.candidates[o]]
        missing = [o for o in keep if o not in order]
        if missing:
            room = k - len(keep)
            others = [o for o in order if o not in set(keep)][:room]
            order = [o for o in order if o in set(keep) or o in set(others)]
            for o in sorted(missing, key=lambda o: (-key[o], self._tie_priority[o])):
                at = next((j for j, x in enumerate(order) if key[x] < key[o]), len(order))
                order.insert(at, o)
        return order

    def _recommend_batch(self, profiles: Sequence[Profile], enc: _Encoded, scores: _Scores,
                         k: int, lam: float, spread: float, passing: Screen,
                         feedback: Sequence[Feedback] | None = None) -> list[Recommendations]:
        person_riasec = scores.riasec
        ranked, tops = [], []
        for i in range(len(profiles)):
            fb = feedback[i] if feedback is not None else None
            r = self._score_profile(enc, scores, i, lam, passing, fb)
            ranked.append(r)
            tops.append(self._order(r, k, spread, fb.liked if fb is not None else ()))
        evidence, closest_titles = self._evidence(enc, scores, tops)
        results = []
        for i, profile in enumerate(profiles):
            r, top = ranked[i], tops[i]
            covered = self._covered_elements(enc, scores, i)
            recs = []
            for rank, (o, why) in enumerate(zip(top, evidence[i], strict=True), start=1):
                contributions = self._contributions(o, r.standing, r.weights)
                task = next((e.text for e in why if e.field == "interests" and e.kind == "task"),
                            None)
                steps = self._step_writer.steps(
                    o, matched_task=task, strengths_given=bool(profile.strengths),
                    covered=covered, values=contributions, listed=top,
                    titles=closest_titles[i].get(o))
                recs.append(self._record(rank, o, why, contributions, steps, scores, i, r.final,
                                         r.match01, r.value_score, r.has_match))
            riasec = None
            if person_riasec is not None and not np.isnan(person_riasec[i]).any():
                riasec = {name: round(float(v), 4) for name, v in zip(_RIASEC_NAMES,
                                                                      person_riasec[i],
                                                                      strict=True)}
            fb = feedback[i] if feedback is not None else None
            results.append(Recommendations(
                recs, profile=profile, riasec=riasec, value_weights=r.weights,
                occupation_riasec={rec.onet_soc_code: self._riasec_shown(o)
                                   for rec, o in zip(recs, top, strict=True)},
                value_mapping=enc.value_mapping[i], avoided=enc.readings[i].avoided,
                value_weight=r.value_weight,
                attribution=self.catalog.attribution, release=self.catalog.release,
                constraints=passing.constraints if passing.constraints else None,
                candidates=int(r.candidates.sum()), excluded_no_data=passing.no_data,
                liked=() if fb is None else tuple(str(self._codes[o]) for o in fb.liked),
                disliked=() if fb is None else tuple(str(self._codes[o]) for o in fb.disliked)))
        return results

    def explain(self, profile: Profile | str | Mapping[str, Any],
                occupation: str | Sequence[str], k: int = 10, *,
                value_weight: float | None = None, diversity: float | None = None,
                where: Constraints | Mapping[str, Any] | None = None,
                liked: Sequence[str] | None = None, disliked: Sequence[str] | None = None
                ) -> Explanation | list[Explanation]:
        """Why an occupation is where it is for this person ("why isn't it on my list?").

        The same scoring as :meth:`recommend` with the same arguments, read for the asked
        occupation: its rank, each part of its score (they add up to the score ``recommend``
        gives it), the closest evidence, and what holds it back (a constraint, a value, a
        weak match, the diversity step).

        Parameters
        ----------
        profile : Profile, str or dict
            As for :meth:`recommend`.
        occupation : str or list of str
            An O*NET-SOC code ("29-1141.00") or a title ("Registered Nurses"); a list gives a
            list of explanations.
        k, value_weight, diversity, where, liked, disliked
            As for :meth:`recommend`: the list the occupation is explained against.

        Returns
        -------
        Explanation or list of Explanation

        Raises
        ------
        UnknownOccupationError
            A code or title that is not in the catalog (the message names the closest).

        Examples
        --------
        >>> why = finder.explain("caring for patients", "Registered Nurses")  # doctest: +SKIP
        >>> print(why.report())                                              # doctest: +SKIP
        """
        from ._explain import build_explanation

        where_name = "PassionFinder.explain"
        single = isinstance(occupation, str) or hasattr(occupation, "onet_soc_code")
        if not single and (isinstance(occupation, (bytes, Mapping))
                           or not isinstance(occupation, Iterable)):
            raise InputTypeError(f"The 'occupation' parameter of {where_name} must be an "
                                 "O*NET-SOC code or title, or a list of them. Got "
                                 f"{type(occupation).__name__} instead.")
        asked = [occupation] if single else list(occupation)
        rows = [self._occupation_row(x) for x in asked]
        person = as_profile(profile)
        fb = self._feedback(liked, disliked, where_name)
        k, lam, spread = check_ranking(k, value_weight, diversity, where_name, len(self._codes))
        lam = self.value_weight if lam is None else lam
        spread = self.diversity if spread is None else spread
        passing = self.screen(where, where_name)
        enc, scores = self._read([person], [fb])
        ranked = self._score_profile(enc, scores, 0, lam, passing, fb)
        top = self._order(ranked, k, spread, fb.liked)
        evidence, _ = self._evidence(enc, scores, [rows])
        out = [build_explanation(self, o, ranked, top, k, spread, scores, enc, passing, fb,
                                 evidence[0][j]) for j, o in enumerate(rows)]
        return out[0] if single else out

    def compare(self, profile: Profile | str | Mapping[str, Any], a: str, b: str,
                k: int = 10, **options: Any) -> Comparison:
        """Two occupations side by side for one person: :meth:`explain` of each, with the
        same arguments (``options`` as for :meth:`explain`)."""
        from ._explain import Comparison

        first, second = self.explain(profile, [a, b], k, **options)  # type: ignore[misc]
        return Comparison(first, second)

    @cached_property
    def _catch_all(self) -> np.ndarray:
        """1.0 for the catch-all "All Other" groups, else 0.0."""
        return np.array([str(t).endswith("All Other") for t in self._titles], dtype=np.float64)

    def _riasec_shown(self, o: int) -> dict[str, float | None]:
        """Occupation ``o``'s RIASEC profile as shown in results (None: no data)."""
        return dict(zip(_RIASEC_NAMES, (None if np.isnan(v) else round(v, 2)
                                        for v in self._riasec[o].tolist()), strict=True))

    @property
    def _occupation_similarity(self) -> np.ndarray:
        return self.index.occupation_similarity

    @cached_property
    def _step_writer(self) -> StepWriter:
        # imported here: a finder that only classifies never loads the step rules
        from ._steps import StepWriter

        return StepWriter(self.catalog, cache_home=self._cache_home)

    def _covered_elements(self, enc: _Encoded, scores: _Scores, i: int) -> frozenset[str]:
        """Skill / knowledge / style names the person's stated strengths already cover:
        cosine >= COVERED_SIMILARITY between some strength and the element."""
        ids = enc.strength_ids[i]
        if not ids or scores.strength_element_sims is None:
            return frozenset()
        sims = scores.strength_element_sims[[scores.strength_rows[t] for t in ids]].max(axis=0)
        return frozenset(str(self.index.elements.texts[j]).split(":", 1)[0]
                         for j in np.flatnonzero(sims >= COVERED_SIMILARITY))

    def _contributions(self, o: int, standing: np.ndarray | None,
                       weights: Mapping[str, float]) -> tuple[ValueContribution, ...]:
        """How occupation ``o`` serves each of the person's values (see docs/values.md)."""
        if not weights or standing is None:
            return ()
        out = []
        for j, (name, w) in enumerate(weights.items()):
            s = float(standing[o, j])
            score = None if np.isnan(s) else s
            used = 0.5 if score is None else score
            detail = self._details.get((name, o))
            if detail is None:  # the detail depends on the occupation and value only
                detail = self._details[name, o] = self._value_detail(name, o, score)
            out.append(ValueContribution(
                name, round(float(w), 6), None if score is None else round(score, 4),
                round(float(w) * used, 6), detail))
        return tuple(out)

    def _record(self, rank: int, o: int, evidence: list[Evidence],
                contributions: tuple[ValueContribution, ...], steps: tuple[StarterStep, ...],
                scores: _Scores, i: int, final: np.ndarray, match01: np.ndarray,
                value_score: np.ndarray | None, has_match: bool) -> Recommendation:
        field_scores = {name: round(float(z[i, o]), 4) for name, z in scores.fields.items()
                        if not np.isnan(z[i, o])}
        return Recommendation(
            rank=rank, onet_soc_code=str(self._codes[o]), title=str(self._titles[o]),
            score=round(float(final[o]), 6),
            match_score=round(float(match01[o]), 6) if has_match else 0.0,
            value_score=None if value_score is None else round(float(value_score[o]), 6),
            job_family=self._family_names[o],
            field_scores=field_scores, evidence=tuple(evidence), values=contributions,
            starter_steps=steps)

    def _evidence(self, enc: _Encoded, scores: _Scores, tops: list[list[int]]
                  ) -> tuple[list[list[list[Evidence]]], list[dict[int, list[str]]]]:
        """The evidence of each profile's recommended occupations, and the job titles closest
        to its interests (see _evidence.explain)."""
        requests = []
        for i, top in enumerate(tops):
            reading, interest_id = enc.readings[i], enc.interest_ids[i]
            interest = {} if interest_id is None else {
                "interests": reading.interests, "interest_vector": enc.vectors[interest_id],
                "interest_row": scores.interest_rows.get(interest_id)}
            requests.append(EvidenceRequest(
                top, **interest, strengths=reading.strengths,
                strength_rows=[scores.strength_rows[t] for t in enc.strength_ids[i]]))
        return explain(self.index, self._descriptions, requests, scores.task_sims,
                       scores.strength_task_sims, scores.strength_element_sims)

    @cached_property
    def value_table(self) -> pd.DataFrame:
        """Standing of every occupation on every value: its percentile (0-1) among the
        occupations with data, NaN for none; indexed like ``catalog.occupations``, one column
        per value (docs/values.md). Made on first access (it needs pandas)."""
        return value_scores(self.catalog).rank(pct=True)

    def _value_detail(self, name: str, o: int, standing: float | None) -> str:
        if standing is None:
            return f"no data on {name} for this occupation (counted as average)"
        below = self._share_below[o, _VALUE_NAMES.index(name)]
        pct = (f"ranks above every other occupation on {name}" if below >= 1.0 else
               f"ranks above {int(below * 100)}% of other occupations on {name}")
        wage, growth = self._wages[o], self._growth[o]
        if name in ("financial security", "good pay"):
            return (f"median wage {_money(wage)}; "
                    + (f"employment growth {growth:+.1f}% 2024-34; " if not np.isnan(growth)
                       else "") + pct)
        if name == "job security" and not np.isnan(growth):
            return f"employment growth {growth:+.1f}% 2024-34; {pct}"
        return pct

    def score_frame(self, df: pd.DataFrame, *, interests: str | None = None,
                    strengths: str | None = None, values: str | None = None,
                    id: str | None = None, k: int = 5, value_weight: float | None = None,
                    diversity: float | None = None, chunk_size: int = 2000,
                    show_progress: bool | None = None,
                    where: Constraints | Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Score a table of survey answers: one output row per respondent and rank.

        Parameters
        ----------
        df : pandas.DataFrame
            One respondent per row; it is never modified.
        interests, strengths, values : str, optional
            The columns holding each field (at least one). Cells are free text; strengths
            are split on commas and sentence ends, values are read as free text.
        id : str, optional
            The column that identifies a respondent; by default the output's ``row``
            column holds the input's index label.
        k : int, default 5
            Recommendations per respondent.
        value_weight, diversity, where : optional
            As in :meth:`recommend`; ``where`` (constraints) applies to every row and is
            checked before any row is scored.
        chunk_size : int, default 2000
            Rows scored per batch (identical profiles in a chunk are scored once).
        show_progress : bool, optional
            A progress bar; by default on when stderr is a terminal.

        Returns
        -------
        pandas.DataFrame
            Columns: the id (``id`` or ``row``), ``status`` (``"ok"``, ``"empty"`` or
            ``"error"``), ``message`` (why a row has no recommendations, or what in it was
            ignored), ``rank``, ``onet_soc_code``, ``title``, ``job_family``, ``score``,
            ``match_score``, ``value_score``, ``evidence_field`` and ``evidence`` (the best
            evidence), ``first_step`` and ``holland_code``. A scored row gives ``k`` rows; an
            empty or unreadable one gives one row with the rank missing, so no respondent is
            ever dropped.

        Examples
        --------
        >>> survey = pd.DataFrame({"who": ["a", "b"],
        ...                        "likes": ["fixing bikes outdoors", None]})
        >>> out = finder.score_frame(survey, interests="likes", id="who", k=3)  # doctest: +SKIP
        >>> out.groupby("status").who.nunique().to_dict()                       # doctest: +SKIP
        {'empty': 1, 'ok': 1}
        """
        from ._batch import score_frame

        return score_frame(self, df, interests=interests, strengths=strengths, values=values,
                           id=id, k=k, value_weight=value_weight, diversity=diversity,
                           chunk_size=chunk_size, show_progress=show_progress, where=where)

    def score_file(self, source: str | os.PathLike[str], output: str | os.PathLike[str], *,
                   interests: str | None = None, strengths: str | None = None,
                   values: str | None = None, id: str | None = None, k: int = 5,
                   value_weight: float | None = None, diversity: float | None = None,
                   chunk_size: int = 2000, resume: bool = False, csv_escape: bool = True,
                   show_progress: bool | None = None,
                   where: Constraints | Mapping[str, Any] | None = None) -> ScoreSummary:
        """Score a CSV or Parquet file of survey answers into a CSV or Parquet file.

        The input is read and scored ``chunk_size`` rows at a time, so memory stays flat
        however long the file is. Each finished chunk is kept in ``<output>.parts/`` until the
        run completes. After an interruption, ``resume=True`` scores only the missing chunks,
        and the output is exactly what an uninterrupted run writes. The output has the
        columns of :meth:`score_frame`; without ``id`` its ``row`` column is the 0-based row
        number in the file. CSV cells are read as text. ``where`` (constraints) is as in
        :meth:`recommend`; a resumed run must use the same.

        A CSV output is safe to open in a spreadsheet: a text cell (an id, a message, ...)
        that starts with ``=``, ``+``, ``-``, ``@``, a tab, a line break or NUL gets a leading
        ``'``, so that no spreadsheet runs it as a formula; numbers, and text that is a plain
        number such as ``-5``, are written as they are. ``csv_escape=False`` writes the raw
        text. A resumed run must use the ``csv_escape`` of the run it resumes. Parquet output
        is never escaped.

        Returns
        -------
        ScoreSummary
            Rows read, rows per status, chunks (and how many were kept from an earlier run).
        """
        from ._batch import score_file

        return score_file(self, source, output, interests=interests, strengths=strengths,
                          values=values, id=id, k=k, value_weight=value_weight,
                          diversity=diversity, chunk_size=chunk_size, resume=resume,
                          csv_escape=csv_escape, show_progress=show_progress, where=where)

    def classify(self, texts: str | Sequence[str], k: int = 5, *,
                 min_confidence: float | None = None
                 ) -> Classification | list[Classification]:
        """Code free text (a job title or a description of work) to O*NET-SOC occupations.

        A string gives one :class:`Classification`, a list gives a list. Empty texts give a
        classification with no matches. Every match carries a calibrated ``confidence`` in
        [0, 1] (the probability that it is the text's occupation, fitted on held-out O*NET
        text; see docs/matching.md).

        Parameters
        ----------
        texts : str or list of str
        k : int, default 5
            Candidates per text.
        min_confidence : float in [0, 1], optional
            A text whose best match is less confident than this is returned with
            ``codable=False`` (its matches kept), e.g. for manual coding.
        """
        if min_confidence is not None and (
                isinstance(min_confidence, bool) or not isinstance(min_confidence, (int, float))
                or not 0.0 <= float(min_confidence) <= 1.0):
            raise InvalidInputError(
                "The 'min_confidence' parameter of PassionFinder.classify must be a number "
                f"between 0 and 1. Got {min_confidence!r} instead.")
        single = isinstance(texts, str)
        if not single and (isinstance(texts, (bytes, Mapping)) or not isinstance(texts, Iterable)):
            raise InputTypeError("PassionFinder.classify takes a string or a list of strings. "
                                 f"Got {type(texts).__name__} instead.")
        items = [texts] if single else list(texts)
        k = _check_int("k", k, 1, len(self._codes), "PassionFinder.classify")
        for t in items:
            if not isinstance(t, str):
                raise InputTypeError("PassionFinder.classify takes a string or a list of "
                                     f"strings. Got an item of type {type(t).__name__} instead.")
        cleaned = [clean_text(t) for t in items]
        todo = [t for t in dict.fromkeys(cleaned) if t]
        vectors = self._vectors(todo)
        scores = self._classify_scores(todo, vectors)
        probabilities = self.calibration.probabilities(
            scores, np.array([len(t.split()) <= TITLE_WORDS for t in todo], dtype=bool))
        row = {t: r for r, t in enumerate(todo)}
        out = []
        for original, text in zip(items, cleaned, strict=True):
            if not text:
                out.append(Classification(original, ()))
                continue
            s = scores[row[text]]
            order = best_first(s, self._tie_priority)[:k]
            q = vectors[row[text]]
            matches = []
            for o in order:
                found = best_text(q, self.index.titles, int(o))
                matched = str(self.index.titles.texts[found[0]]) if found is not None else ""
                matches.append(OccupationMatch(
                    str(self._codes[o]), str(self._titles[o]), round(float(s[o]), 6), matched,
                    round(float(probabilities[row[text], o]), 4)))
            codable = min_confidence is None or matches[0].confidence >= min_confidence
            out.append(Classification(original, tuple(matches), codable))
        return out[0] if single else out

    @cached_property
    def calibration(self) -> Calibration:
        """The temperatures that turn classify scores into confidences, for this model."""
        return calibration_for(self.encoder.name)

    def classify_scores(self, texts: list[str]) -> np.ndarray:
        """Classification scores of texts against every occupation: (len(texts), N)."""
        return self._classify_scores(texts, self._vectors(list(texts)))

    def _classify_scores(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        w = self.weights
        n_occ = len(self._codes)
        if not texts:
            return np.zeros((0, n_occ), dtype=np.float32)
        titles = pool_per_occupation(similarities(vectors, self.index.titles.vectors),
                                     self.index.titles, n_occ, 0.0)
        lexical = self.index.lexical.similarity(texts) if w.lexical else None
        work, _ = text_scores(vectors, self.index, lexical, w, n_occ, all_titles=True)
        exact = self._exact_titles(texts)
        # A short text is most likely a job title: titles lead. A longer one describes work:
        # tasks and descriptions lead (weights measured in benchmarks/bench_quality.py).
        short = np.array([len(t.split()) <= TITLE_WORDS for t in texts])[:, None]
        title_weight = np.where(short, 1.0, 0.25)
        work_weight = np.where(short, 0.5, 1.0)
        return (title_weight * np.nan_to_num(titles, nan=0.0) + work_weight * work + exact
                ).astype(np.float32)

    @cached_property
    def _title_lookup(self) -> dict[str, set[int]]:
        """Normalised title -> the occupations that carry it (built on first classify)."""
        lookup: dict[str, set[int]] = {}
        for text, owner in zip(self.index.titles.texts, self.index.titles.owner, strict=True):
            for key in _title_keys(str(text)):
                lookup.setdefault(key, set()).add(int(owner))
        return lookup

    def _exact_titles(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self._codes)), dtype=np.float32)
        for r, t in enumerate(texts):
            owners = self._title_lookup.get(_norm_title(t))
            if owners:
                out[r, list(owners)] = 0.5
        return out


def _norm_title(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _title_keys(title: str) -> set[str]:
    """The whole title, and for 'Registered Nurse (RN)' also 'registered nurse' and 'rn'."""
    keys = {_norm_title(title)}
    match = re.fullmatch(r"\s*(.+?)\s*\(([^()]+)\)\s*", title)
    if match:
        keys.update({_norm_title(match.group(1)), _norm_title(match.group(2))})
    return {k for k in keys if k}
