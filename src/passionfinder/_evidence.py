"""Evidence: why each recommended occupation matched, for a whole batch of people at once.

For every (person, recommended occupation) pair, the catalog texts closest to each profile
field: for interests, the best task (the description for occupations without tasks) and the
best job title; for strengths, the best important skill / knowledge / work style and the best
task. The similarities come from the matrices matching already computed, gathered for all
pairs of the batch in a few array operations, so explaining costs little next to matching.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._index import FieldIndex, OccupationIndex
from ._matching import segment_argmax
from ._results import Evidence

__all__ = ["EvidenceRequest", "explain"]

#: an element is among an occupation's important ones at this weight or more
IMPORTANT_WEIGHT = 0.5
#: similarities gathered at once for strengths evidence (about 8 MB), and the task count an
#: occupation is budgeted for (O*NET averages about 20)
_CELLS = 1 << 21
_TASKS_PER_OCCUPATION = 40


@dataclass(frozen=True)
class EvidenceRequest:
    """One person of a batch: their words and where their similarities are.

    ``interests`` is their interest text (None without); ``interest_row`` its row in
    ``task_sims`` and ``interest_vector`` its vector. ``strengths`` are their strengths and
    ``strength_rows`` the rows of each in ``strength_task_sims`` / ``strength_element_sims``.
    ``occupations`` are the recommended catalog rows, in rank order.
    """

    occupations: Sequence[int]
    interests: str | None = None
    interest_row: int | None = None
    interest_vector: np.ndarray | None = None
    strengths: Sequence[str] = ()
    strength_rows: Sequence[int] = ()


def explain(index: OccupationIndex, descriptions: Sequence[str],
            requests: Sequence[EvidenceRequest], task_sims: np.ndarray | None,
            strength_task_sims: np.ndarray | None, strength_element_sims: np.ndarray | None
            ) -> tuple[list[list[list[Evidence]]], list[dict[int, list[str]]]]:
    """The evidence of every recommended occupation of every request.

    Returns ``(evidence, closest_titles)``: ``evidence[p][r]`` lists the :class:`Evidence` of
    request ``p``'s ``r``-th occupation (interests before strengths; for interests the task or
    description, then the title; for strengths the skill / knowledge / work style, then the
    task), and ``closest_titles[p]`` maps each of its occupations to the three job titles
    closest to the interests (for whom to talk to).
    """
    out: list[list[list[Evidence]]] = [[[] for _ in r.occupations] for r in requests]
    closest: list[dict[int, list[str]]] = [{} for _ in requests]
    if task_sims is not None:
        _interest_evidence(index, descriptions, requests, task_sims, out, closest)
    if strength_task_sims is not None and strength_element_sims is not None:
        _strength_evidence(index, requests, strength_task_sims, strength_element_sims, out)
    return out, closest


def _pairs(requests: Sequence[EvidenceRequest], wanted: Sequence[int]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(request, slot, occupation) arrays of the recommended pairs of the wanted requests."""
    req, slot, occ = [], [], []
    for p in wanted:
        n = len(requests[p].occupations)
        req.extend([p] * n)
        slot.extend(range(n))
        occ.extend(requests[p].occupations)
    return (np.array(req, dtype=np.int64), np.array(slot, dtype=np.int64),
            np.array(occ, dtype=np.int64))


def _text_rows(field: FieldIndex, occupations: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The text rows of each occupation, concatenated: (rows, lengths, has_texts); lengths and
    has_texts are per occupation, rows only for those with texts."""
    lo, hi = field.spans(occupations)
    lengths = hi - lo
    has = lengths > 0
    lengths, lo = lengths[has], lo[has]
    first = np.cumsum(lengths) - lengths
    rows = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(lo - first, lengths)
    return rows, lengths, has


def _interest_evidence(index: OccupationIndex, descriptions: Sequence[str],
                       requests: Sequence[EvidenceRequest], task_sims: np.ndarray,
                       out: list[list[list[Evidence]]],
                       closest: list[dict[int, list[str]]]) -> None:
    wanted = [p for p, r in enumerate(requests) if r.interests and r.interest_row is not None
              and r.interest_vector is not None]
    if not wanted:
        return
    req, slot, occ = _pairs(requests, wanted)
    if not len(occ):
        return
    # the best task, or the description for occupations without tasks
    rows, lengths, has = _text_rows(index.tasks, occ)
    if len(lengths):
        query_row = np.array([requests[p].interest_row for p in req[has]], dtype=np.int64)
        values = task_sims[np.repeat(query_row, lengths), rows]
        best = segment_argmax(values, lengths)
        texts = index.tasks.texts
        for p, s, j, sim in zip(req[has].tolist(), slot[has].tolist(), rows[best].tolist(),
                                values[best].tolist(), strict=True):
            out[p][s].append(Evidence("interests", "task", str(texts[j]),
                                      str(requests[p].interests), round(sim, 4)))
    for p, s, o in zip(req[~has].tolist(), slot[~has].tolist(), occ[~has].tolist(),
                       strict=True):
        sim = float(index.descriptions.vectors[o] @ requests[p].interest_vector)
        out[p][s].append(Evidence("interests", "description", str(descriptions[o]),
                                  str(requests[p].interests), round(sim, 4)))
    # the best title, and the three closest: one product per occupation's run of titles
    # (a slice, never a copy)
    rows, lengths, has = _text_rows(index.titles, occ)
    if not len(lengths):
        return
    values = np.empty(len(rows), dtype=np.float32)
    lo, _ = index.titles.spans(occ[has])
    vectors = index.titles.vectors
    start = 0
    for p, a, n in zip(req[has].tolist(), lo.tolist(), lengths.tolist(), strict=True):
        values[start:start + n] = vectors[a:a + n] @ requests[p].interest_vector
        start += n
    best = segment_argmax(values, lengths)
    texts = index.titles.texts
    start = 0
    for p, s, o, n, j, sim in zip(req[has].tolist(), slot[has].tolist(), occ[has].tolist(),
                                  lengths.tolist(), rows[best].tolist(), values[best].tolist(),
                                  strict=True):
        out[p][s].append(Evidence("interests", "title", str(texts[j]),
                                  str(requests[p].interests), round(sim, 4)))
        # most similar first, ties in catalog order
        top = np.argsort(-values[start:start + n], kind="stable")[:3] + start
        closest[p][o] = [str(texts[t]) for t in rows[top].tolist()]
        start += n


def _strength_evidence(index: OccupationIndex, requests: Sequence[EvidenceRequest],
                       strength_task_sims: np.ndarray, strength_element_sims: np.ndarray,
                       out: list[list[list[Evidence]]]) -> None:
    # people with the same number of strengths together, a bounded number of pairs at a time,
    # so memory stays small whatever one person lists (each pair is explained on its own)
    by_width: dict[int, list[int]] = {}
    for p, r in enumerate(requests):
        if r.strength_rows and r.occupations:
            by_width.setdefault(len(r.strength_rows), []).append(p)
    n_elements = strength_element_sims.shape[1]
    for width, group in sorted(by_width.items()):
        budget = max(1, _CELLS // (width * max(n_elements, _TASKS_PER_OCCUPATION)))
        chunk: list[int] = []
        pairs = 0
        for p in group:
            chunk.append(p)
            pairs += len(requests[p].occupations)
            if pairs >= budget:
                _strength_chunk(index, requests, chunk, width, strength_task_sims,
                                strength_element_sims, out)
                chunk, pairs = [], 0
        if chunk:
            _strength_chunk(index, requests, chunk, width, strength_task_sims,
                            strength_element_sims, out)


def _strength_chunk(index: OccupationIndex, requests: Sequence[EvidenceRequest],
                    wanted: list[int], width: int, strength_task_sims: np.ndarray,
                    strength_element_sims: np.ndarray, out: list[list[list[Evidence]]]) -> None:
    """The strengths evidence of requests that all have ``width`` strengths."""
    req, slot, occ = _pairs(requests, wanted)
    table = np.array([requests[p].strength_rows for p in wanted], dtype=np.int64)
    position = {p: n for n, p in enumerate(wanted)}
    of_pair = np.array([position[p] for p in req.tolist()], dtype=np.int64)
    # the best important skill / knowledge / work style (the first maximum: strengths in
    # order, then elements)
    element_sims = strength_element_sims[table[of_pair]]  # (pairs, width, elements)
    n_elements = element_sims.shape[2]
    mask = index.element_weights[occ] >= IMPORTANT_WEIGHT  # (pairs, elements)
    masked = np.where(mask[:, None, :], element_sims, -np.inf)
    flat = masked.reshape(len(occ), -1).argmax(axis=1)
    item, element = np.divmod(flat, n_elements)
    kinds, names = index.element_kinds, index.elements.texts
    for n, (p, s) in enumerate(zip(req.tolist(), slot.tolist(), strict=True)):
        if not mask[n].any():
            continue
        i, e = int(item[n]), int(element[n])
        out[p][s].append(Evidence("strengths", str(kinds[e]), str(names[e]).split(":", 1)[0],
                                  str(requests[p].strengths[i]),
                                  round(float(element_sims[n, i, e]), 4)))
    # the task that best matches any strength (the first maximum: tasks, then strengths)
    rows, lengths, has = _text_rows(index.tasks, occ)
    if not len(lengths):
        return
    items = table[np.repeat(of_pair[has], lengths)]  # (rows, width)
    sims = strength_task_sims[items, rows[:, None]]
    best_item = sims.argmax(axis=1)
    values = sims[np.arange(len(rows)), best_item]
    best = segment_argmax(values, lengths)
    texts = index.tasks.texts
    for p, s, j, i, sim in zip(req[has].tolist(), slot[has].tolist(), rows[best].tolist(),
                               best_item[best].tolist(), values[best].tolist(), strict=True):
        out[p][s].append(Evidence("strengths", "task", str(texts[j]),
                                  str(requests[p].strengths[i]), round(sim, 4)))
