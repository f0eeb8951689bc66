"""The fast paths give the results of the plain ones.

- ``_evidence.explain`` (the evidence of a whole batch in a few array operations) against a
  brute-force reference written here with plain loops, on small hand-built indexes with many
  ties, occupations without tasks or titles, and strengths lists of different lengths;
- ``FieldIndex.spans`` against ``span`` for every owner;
- ``StepWriter``'s kept steps against what a fresh writer writes, and the bound on the store;
- ``recommend_many`` encoding the next batch in a background thread: the same results as one
  batch and as single calls, and an error while ranking or encoding propagates and leaves no
  thread behind.

Fast tests use hand-built indexes, the synthetic catalog and the hashing test encoder; the one
on the real finder is marked ``slow`` and ``data``.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from embedder import HashingEncoder
from synthetic import write_release
from test_concurrency import PROFILES as MIXED_PROFILES

import passionfinder as pf
from passionfinder import PassionFinder, Profile
from passionfinder import _steps as steps_module
from passionfinder._evidence import EvidenceRequest, explain
from passionfinder._index import FieldIndex, OccupationIndex
from passionfinder._results import Evidence, ValueContribution
from passionfinder._steps import StepWriter

AHEAD = "passionfinder-ahead"
DIM = 4

# ---------------------------------------------------------------------------------------------
# explain: a brute-force reference
# ---------------------------------------------------------------------------------------------


def field(owners: Sequence[int], rng: np.random.Generator, name: str) -> FieldIndex:
    """A field with texts '<name> <row>' and vectors on a coarse grid (exact float32 products,
    many ties)."""
    n = len(owners)
    return FieldIndex(np.array([f"{name} {j}" for j in range(n)], dtype=object),
                      grid(rng, (n, DIM)), np.array(owners, dtype=np.int32))


def grid(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values in {-1, -0.5, 0, 0.5, 1}: sums of a few products are exact in float32."""
    return (rng.integers(-2, 3, size=shape) / 2).astype(np.float32)


def owners_of(counts: Sequence[int]) -> list[int]:
    return [o for o, c in enumerate(counts) for _ in range(c)]


def make_index(rng: np.random.Generator, task_counts: Sequence[int],
               title_counts: Sequence[int], weights: np.ndarray) -> OccupationIndex:
    """An index of len(task_counts) occupations; element texts 'Name e: about e' (one without
    a colon), kinds cycling through skill / knowledge / work style, owner -1."""
    n_occ, n_elements = weights.shape
    assert len(task_counts) == len(title_counts) == n_occ
    elements = FieldIndex(
        np.array([f"Element {e}: what element {e} is" if e != 2 else "Element 2"
                  for e in range(n_elements)], dtype=object),
        grid(rng, (n_elements, DIM)), np.full(n_elements, -1, dtype=np.int32))
    empty = FieldIndex(np.array([], dtype=object), np.zeros((0, DIM), np.float32),
                       np.zeros(0, np.int32))
    fields = {"tasks": field(owners_of(task_counts), rng, "task"),
              "titles": field(owners_of(title_counts), rng, "title"),
              "descriptions": field(list(range(n_occ)), rng, "description"),
              "elements": elements, "riasec": empty, "values": empty}
    kinds = np.array([("skill", "knowledge", "work style")[e % 3] for e in range(n_elements)],
                     dtype=object)
    return OccupationIndex(fields, weights.astype(np.float32),
                           np.array([f"E{e}" for e in range(n_elements)], dtype=object), kinds,
                           np.zeros(0, np.int8), "test", None)  # type: ignore[arg-type]


def first_max(candidates: Sequence[Any], value: Callable[[Any], float]) -> Any:
    """The first candidate with the largest value (plain loop, strict comparison)."""
    best, best_value = None, None
    for c in candidates:
        v = value(c)
        if best_value is None or v > best_value:
            best, best_value = c, v
    return best


def dot(a: np.ndarray, b: np.ndarray) -> float:
    return sum(float(x) * float(y) for x, y in zip(a.tolist(), b.tolist(), strict=True))


def reference(index: OccupationIndex, descriptions: Sequence[str],
              requests: Sequence[EvidenceRequest], task_sims: np.ndarray | None,
              strength_task_sims: np.ndarray | None, strength_element_sims: np.ndarray | None
              ) -> tuple[list[list[list[Evidence]]], list[dict[int, list[str]]]]:
    """explain() one pair at a time, with plain loops."""
    tasks, titles = index.tasks, index.titles
    out: list[list[list[Evidence]]] = []
    closest: list[dict[int, list[str]]] = []
    for r in requests:
        mine: list[list[Evidence]] = []
        near: dict[int, list[str]] = {}
        with_interests = (task_sims is not None and bool(r.interests)
                          and r.interest_row is not None and r.interest_vector is not None)
        with_strengths = (strength_task_sims is not None and strength_element_sims is not None
                          and len(r.strength_rows) > 0)
        for o in r.occupations:
            why: list[Evidence] = []
            task_rows = [j for j in range(len(tasks)) if int(tasks.owner[j]) == o]
            title_rows = [j for j in range(len(titles)) if int(titles.owner[j]) == o]
            if with_interests:
                assert task_sims is not None and r.interest_vector is not None
                row = r.interest_row
                if task_rows:
                    j = first_max(task_rows, lambda j, row=row: task_sims[row, j])
                    why.append(Evidence("interests", "task", str(tasks.texts[j]),
                                        str(r.interests), round(float(task_sims[row, j]), 4)))
                else:
                    sim = dot(index.descriptions.vectors[o], r.interest_vector)
                    why.append(Evidence("interests", "description", descriptions[o],
                                        str(r.interests), round(sim, 4)))
                if title_rows:
                    sims = {j: dot(titles.vectors[j], r.interest_vector) for j in title_rows}
                    j = first_max(title_rows, sims.__getitem__)
                    why.append(Evidence("interests", "title", str(titles.texts[j]),
                                        str(r.interests), round(sims[j], 4)))
                    top = sorted(title_rows, key=lambda j: (-sims[j], j))[:3]
                    near[o] = [str(titles.texts[j]) for j in top]
            if with_strengths:
                assert strength_element_sims is not None and strength_task_sims is not None
                important = [e for e in range(index.element_weights.shape[1])
                             if index.element_weights[o, e] >= 0.5]
                pairs = [(i, e) for i in range(len(r.strength_rows)) for e in important]
                if pairs:
                    i, e = first_max(pairs, lambda ie, rows=r.strength_rows:
                                     strength_element_sims[rows[ie[0]], ie[1]])
                    why.append(Evidence(
                        "strengths", str(index.element_kinds[e]),
                        str(index.elements.texts[e]).split(":", 1)[0], r.strengths[i],
                        round(float(strength_element_sims[r.strength_rows[i], e]), 4)))
                pairs = [(j, i) for j in task_rows for i in range(len(r.strength_rows))]
                if pairs:
                    j, i = first_max(pairs, lambda ji, rows=r.strength_rows:
                                     strength_task_sims[rows[ji[1]], ji[0]])
                    why.append(Evidence(
                        "strengths", "task", str(tasks.texts[j]), r.strengths[i],
                        round(float(strength_task_sims[r.strength_rows[i], j]), 4)))
            mine.append(why)
        out.append(mine)
        closest.append(near)
    return out, closest


# occupations: 1 has no tasks, 4 has no titles, 6 has neither; 3 has no important element
TASK_COUNTS = (3, 0, 4, 1, 2, 3, 0, 5)
TITLE_COUNTS = (4, 2, 1, 5, 0, 3, 0, 4)


def random_weights(rng: np.random.Generator, n_occ: int, n_elements: int) -> np.ndarray:
    """Element weights around the 0.5 line (exactly 0.5 counts as important)."""
    weights = rng.choice(np.array([0.0, 0.25, 0.49, 0.5, 0.75, 1.0]), size=(n_occ, n_elements))
    weights[3] = np.minimum(weights[3], 0.49)
    return weights


def random_batch(rng: np.random.Generator, n_occ: int, n_interest_rows: int,
                 n_strength_rows: int) -> list[EvidenceRequest]:
    """People with interests only, strengths only (1 to 4 of them), both and neither; each
    recommended a few occupations in any order; every occupation recommended to someone."""
    kinds = ["interests", "strengths", "both", "neither", "both", "strengths", "interests",
             "both"]
    rng.shuffle(kinds)
    requests = []
    for p, kind in enumerate(kinds):
        k = int(rng.integers(1, n_occ + 1))
        occupations = [int(o) for o in rng.permutation(n_occ)[:k]]
        interests = kind in ("interests", "both")
        strengths = kind in ("strengths", "both")
        n_strengths = int(rng.integers(1, 5))
        requests.append(EvidenceRequest(
            occupations,
            interests=f"interests of person {p}" if interests else None,
            interest_row=int(rng.integers(n_interest_rows)) if interests else None,
            interest_vector=grid(rng, (DIM,)) if interests else None,
            strengths=[f"strength {p}.{i}" for i in range(n_strengths)] if strengths else (),
            strength_rows=[int(x) for x in rng.integers(n_strength_rows, size=n_strengths)]
            if strengths else ()))
    # everyone recommended every occupation once, so each kind of occupation meets each kind
    # of person; and one person recommended nothing
    requests.append(EvidenceRequest(list(range(n_occ))[::-1], interests="all of them",
                                    interest_row=0, interest_vector=grid(rng, (DIM,)),
                                    strengths=["first", "second"], strength_rows=[1, 0]))
    requests.append(EvidenceRequest([], interests="nothing", interest_row=0,
                                    interest_vector=grid(rng, (DIM,)), strengths=["x"],
                                    strength_rows=[0]))
    return requests


def similarity_tables(rng: np.random.Generator, index: OccupationIndex, coarse: bool
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(task_sims, strength_task_sims, strength_element_sims): coarse values tie often."""
    def table(rows: int, cols: int) -> np.ndarray:
        if coarse:
            return (rng.integers(0, 4, size=(rows, cols)) / 4).astype(np.float32)
        return rng.uniform(-1, 1, size=(rows, cols)).astype(np.float32)
    n_tasks, n_elements = len(index.tasks), index.element_weights.shape[1]
    return table(3, n_tasks), table(5, n_tasks), table(5, n_elements)


@pytest.mark.parametrize("coarse", [True, False], ids=["ties", "continuous"])
@pytest.mark.parametrize("seed", range(12))
def test_explain_matches_the_reference(seed: int, coarse: bool) -> None:
    rng = np.random.default_rng(seed)
    n_occ, n_elements = len(TASK_COUNTS), 7
    index = make_index(rng, TASK_COUNTS, TITLE_COUNTS, random_weights(rng, n_occ, n_elements))
    descriptions = [f"what occupation {o} does" for o in range(n_occ)]
    requests = random_batch(rng, n_occ, 3, 5)
    task_sims, strength_task_sims, strength_element_sims = similarity_tables(rng, index, coarse)
    got = explain(index, descriptions, requests, task_sims, strength_task_sims,
                  strength_element_sims)
    expected = reference(index, descriptions, requests, task_sims, strength_task_sims,
                         strength_element_sims)
    for p, r in enumerate(requests):
        assert got[0][p] == expected[0][p], (p, r)
    assert got[1] == expected[1]
    # the batch really covers every path
    kinds = {e.kind for person in got[0] for why in person for e in why}
    assert {"task", "description", "title"} <= kinds
    assert kinds & {"skill", "knowledge", "work style"}
    assert any(len(why) == 0 for person in got[0] for why in person)  # 'neither', or none fit


@pytest.mark.parametrize("seed", range(4))
def test_explain_alone_equals_explain_in_a_batch(seed: int) -> None:
    """A person's evidence does not depend on who else is in the batch (padding of shorter
    strengths lists, rows gathered per person)."""
    rng = np.random.default_rng(100 + seed)
    n_occ = len(TASK_COUNTS)
    index = make_index(rng, TASK_COUNTS, TITLE_COUNTS, random_weights(rng, n_occ, 7))
    descriptions = [f"what occupation {o} does" for o in range(n_occ)]
    requests = random_batch(rng, n_occ, 3, 5)
    tables = similarity_tables(rng, index, coarse=True)
    together = explain(index, descriptions, requests, *tables)
    for p, r in enumerate(requests):
        alone = explain(index, descriptions, [r], *tables)
        assert alone[0][0] == together[0][p]
        assert alone[1][0] == together[1][p]


@pytest.mark.parametrize("layout", [
    "no tasks at all",
    "no titles at all",
    "tasks of no occupation", "nothing important"])
def test_explain_on_an_index_missing_a_whole_field(layout: str) -> None:
    rng = np.random.default_rng(7)
    n_occ, n_elements = 5, 4
    tasks = (0,) * n_occ if layout == "no tasks at all" else (2, 1, 3, 1, 2)
    titles = (0,) * n_occ if layout == "no titles at all" else (1, 3, 2, 2, 1)
    weights = (np.zeros((n_occ, n_elements)) if layout == "nothing important"
               else random_weights(rng, n_occ, n_elements)[:n_occ])
    index = make_index(rng, tasks, titles, weights)
    if layout == "tasks of no occupation":  # texts there, owned by -1
        index.tasks = FieldIndex(index.tasks.texts, index.tasks.vectors,
                                 np.full(len(index.tasks), -1, dtype=np.int32))
    descriptions = [f"what occupation {o} does" for o in range(n_occ)]
    requests = random_batch(rng, n_occ, 3, 5)
    tables = similarity_tables(rng, index, coarse=True)
    got = explain(index, descriptions, requests, *tables)
    assert got == reference(index, descriptions, requests, *tables)
    kinds = {e.kind for person in got[0] for why in person for e in why}
    if layout in ("no tasks at all", "tasks of no occupation"):
        assert "task" not in kinds and "description" in kinds
    elif layout == "no titles at all":
        assert "title" not in kinds and got[1] == [{} for _ in requests]
    else:
        assert {"skill", "knowledge", "work style"}.isdisjoint(kinds)


def test_explain_without_interest_or_strength_similarities() -> None:
    rng = np.random.default_rng(3)
    n_occ = len(TASK_COUNTS)
    index = make_index(rng, TASK_COUNTS, TITLE_COUNTS, random_weights(rng, n_occ, 7))
    descriptions = [f"what occupation {o} does" for o in range(n_occ)]
    requests = random_batch(rng, n_occ, 3, 5)
    task_sims, strength_task_sims, strength_element_sims = similarity_tables(rng, index, True)
    for tables in ((None, strength_task_sims, strength_element_sims),
                   (task_sims, None, None), (task_sims, strength_task_sims, None),
                   (None, None, None)):
        got = explain(index, descriptions, requests, *tables)
        assert got == reference(index, descriptions, requests, *tables)
        fields = {e.field for person in got[0] for why in person for e in why}
        assert ("interests" in fields) == (tables[0] is not None)
        assert ("strengths" in fields) == (tables[2] is not None)
    assert explain(index, descriptions, [], task_sims, strength_task_sims,
                   strength_element_sims) == ([], [])


def test_explain_ties_by_hand() -> None:
    """Ties written out, independently of the reference: the first task / title / element
    wins, the three closest titles keep row order among equals, a strength wins a tie only
    against later ones."""
    rng = np.random.default_rng(0)
    # occupation 0: tasks 0-2, titles 0-4; occupation 1: no tasks, title 5
    weights = np.array([[0.2, 0.5, 0.9, 0.5], [0.0, 0.0, 0.0, 0.7]])
    index = make_index(rng, (3, 0), (5, 1), weights)
    index.titles.vectors[:] = 0
    v = np.array([1, 0, 0, 0], dtype=np.float32)
    index.titles.vectors[:5, 0] = [0.5, 1.0, 0.5, 1.0, 0.0]  # rows 1 and 3 tie for best
    index.descriptions.vectors[1] = [0.5, 0.5, 0, 0]
    task_sims = np.array([[0.25, 0.75, 0.75]], dtype=np.float32)  # tasks 1 and 2 tie
    # strengths rows: 0 and 1 tie on every element; row 2 beats both on element 3
    strength_element_sims = np.array([[0.9, 0.5, 0.5, 0.5],
                                      [0.9, 0.5, 0.5, 0.5],
                                      [0.0, 0.0, 0.0, 0.6]], dtype=np.float32)
    # row 1 ties row 0 on task 2 (the best task); row 2 is best on task 1, lower than task 2
    strength_task_sims = np.array([[0.1, 0.2, 0.8], [0.1, 0.2, 0.8], [0.1, 0.7, 0.0]],
                                  dtype=np.float32)
    requests = [
        EvidenceRequest([0, 1], interests="likes", interest_row=0, interest_vector=v,
                        strengths=["a", "b"], strength_rows=[0, 1]),
        EvidenceRequest([1, 0], strengths=["c"], strength_rows=[2]),
        EvidenceRequest([0], strengths=["b2", "a2", "c2"], strength_rows=[1, 0, 2]),
    ]
    (first, second, third), closest = explain(
        index, ["zero", "one"], requests, task_sims, strength_task_sims, strength_element_sims)
    assert first == [
        [Evidence("interests", "task", "task 1", "likes", 0.75),
         Evidence("interests", "title", "title 1", "likes", 1.0),
         Evidence("strengths", "knowledge", "Element 1", "a", 0.5),  # element 0 not important
         Evidence("strengths", "task", "task 2", "a", 0.8)],
        [Evidence("interests", "description", "one", "likes", 0.5),
         Evidence("interests", "title", "title 5", "likes", 0.0),
         Evidence("strengths", "skill", "Element 3", "a", 0.5)],
    ]
    assert closest == [{0: ["title 1", "title 3", "title 0"], 1: ["title 5"]}, {}, {}]
    assert second == [[Evidence("strengths", "skill", "Element 3", "c", 0.6)],
                      [Evidence("strengths", "skill", "Element 3", "c", 0.6),
                       Evidence("strengths", "task", "task 1", "c", 0.7)]]
    # a three-strength person next to one- and two-strength people: ties go to the first
    # strength listed (b2), the strict best element to c2
    assert third == [[Evidence("strengths", "skill", "Element 3", "c2", 0.6),
                      Evidence("strengths", "task", "task 2", "b2", 0.8)]]


# ---------------------------------------------------------------------------------------------
# FieldIndex.spans
# ---------------------------------------------------------------------------------------------


def plain_field(owners: Sequence[int]) -> FieldIndex:
    n = len(owners)
    return FieldIndex(np.array([f"t{j}" for j in range(n)], dtype=object),
                      np.zeros((n, 2), np.float32), np.array(owners, dtype=np.int32))


OWNER_LAYOUTS = {
    "gaps": [0, 0, 2, 2, 2, 5, 7, 7],
    "starts late": [3, 4, 4, 9],
    "one owner": [0, 0, 0],
    "one text each": list(range(6)),
    "empty": [],
}


@pytest.mark.parametrize("layout", list(OWNER_LAYOUTS))
def test_spans_equal_span_for_every_owner(layout: str) -> None:
    fld = plain_field(OWNER_LAYOUTS[layout])
    owners = [*range(-4, 14), 2**31 - 1, -(2**31), 2**40]
    lo, hi = fld.spans(np.array(owners, dtype=np.int64))
    assert [(int(a), int(b)) for a, b in zip(lo, hi, strict=True)] == [fld.span(o) for o in owners]
    # any integer dtype, lists, order and repeats
    for query in (np.array([5, 0, 5, 2], dtype=np.int32), [5, 0, 5, 2],
                  np.array([7, 7, -1], dtype=np.int16)):
        lo, hi = fld.spans(query)  # type: ignore[arg-type]
        assert [(int(a), int(b)) for a, b in zip(lo, hi, strict=True)] == [
            fld.span(int(o)) for o in query]
    # unknown and negative owners have no texts
    for o in (-1, -4, 13, 2**40):
        assert fld.span(o) == (0, 0)
    lo, hi = fld.spans(np.zeros(0, dtype=np.int64))
    assert lo.shape == hi.shape == (0,)


def test_spans_on_the_synthetic_index(synthetic_home: Path, cache_home: Path) -> None:
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    finder = PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    n = len(catalog)
    for name in ("tasks", "titles", "descriptions", "values"):
        fld = finder.index.fields[name]
        owners = np.arange(-3, n + 4)
        lo, hi = fld.spans(owners)
        assert [(int(a), int(b)) for a, b in zip(lo, hi, strict=True)] == [
            fld.span(int(o)) for o in owners], name
        for o in range(n if name != "values" else 0):
            a, b = fld.span(o)
            assert b > a and set(fld.owner[a:b].tolist()) == {o}, (name, o)


def test_spans_equal_span_for_the_no_occupation_owner() -> None:
    fld = plain_field([-1, -1, 0, 0, 3])
    lo, hi = fld.spans(np.array([-1]))
    assert (int(lo[0]), int(hi[0])) == fld.span(-1)


@pytest.mark.filterwarnings("error::RuntimeWarning")  # no "mean of empty slice" either
def test_recommend_without_the_optional_task_statements(tmp_path: Path, cache_home: Path) -> None:
    """Task Statements.txt is optional ('Everything else works'); without it the tasks field
    has no texts, and the evidence of every recommendation needs its spans."""
    home = write_release(tmp_path / "data", omit={"Task Statements.txt"})
    with pytest.warns(pf.MissingDataWarning):
        catalog = pf.load_catalog(home, cache_home=cache_home)
    finder = PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    recs = finder.recommend(Profile(interests="cooking food", strengths=["calm"]), k=3)
    assert all(e.kind != "task" for rec in recs for e in rec.evidence)
    assert any(e.kind == "description" for e in recs[0].evidence)


# ---------------------------------------------------------------------------------------------
# StepWriter: kept steps
# ---------------------------------------------------------------------------------------------

VALUE_NAMES = ["helping others", "good pay", "independence", "creativity", "job security",
               "variety", "not a vocabulary value"]
DETAILS = ["ranks above 40% of other occupations", "median wage $50,000; ranks above 10%",
           "employment growth +4.0% 2024-34; ranks above 80%", "no data (counted as average)"]


def random_values(rnd: random.Random) -> tuple[ValueContribution, ...]:
    out = []
    for name in rnd.sample(VALUE_NAMES, rnd.randint(0, 3)):
        weight = rnd.choice([0.2, 0.5, 0.5, 1.0])  # ties in weight
        score = rnd.choice([None, 0.1, 0.5, 0.9, 1.0])
        out.append(ValueContribution(name, weight, score, weight * (score or 0.5),
                                     rnd.choice(DETAILS)))
    return tuple(out)


def random_arguments(rnd: random.Random, writer: StepWriter, o: int) -> dict[str, Any]:
    """Arguments for writer.steps(o, ...) drawn from small pools, so that the same key parts
    come back with different other parts (a kept step is then reused)."""
    facts = writer.facts
    n = len(facts)
    own_tasks = list(facts[o].core_tasks)
    other_tasks = list(facts[(o + 1) % n].core_tasks)
    names = sorted({x for f in facts for x in f.important})
    own_titles = list(facts[o].titles)
    return {
        "matched_task": rnd.choice([None, *own_tasks[:3], *other_tasks[:1],
                                    "Fix old bicycles."]),
        "strengths_given": rnd.random() < 0.6,
        "covered": frozenset(rnd.sample(list(facts[o].important), rnd.randint(0, 2))
                             + rnd.sample(names, rnd.randint(0, 2))),
        "values": random_values(rnd),
        "listed": rnd.choice([(), (o,), tuple(rnd.sample(range(n), 5)),
                              tuple(writer._neighbours(o)[:1]), tuple(range(n))]),
        "titles": rnd.choice([None, [], own_titles[:1], own_titles[1:4],
                              [facts[o].title, *own_titles[:2]], ["Someone Else"]]),
    }


@pytest.fixture
def catalog(synthetic_home: Path, cache_home: Path) -> pf.Catalog:
    return pf.load_catalog(synthetic_home, cache_home=cache_home)


def fresh_steps(catalog: pf.Catalog, facts: Any, o: int, arguments: dict[str, Any]
                ) -> tuple[Any, ...]:
    """What a new StepWriter writes (its facts, computed once elsewhere, are plain data)."""
    writer = StepWriter(catalog)
    writer.__dict__["facts"] = facts
    return writer.steps(o, **arguments)


def test_kept_steps_are_what_a_fresh_writer_writes(catalog: pf.Catalog) -> None:
    kept = StepWriter(catalog)
    facts = StepWriter(catalog).facts
    rnd = random.Random(42)
    n = len(kept.facts)
    calls = [(o, random_arguments(rnd, kept, o)) for o in range(n) for _ in range(40)]
    rnd.shuffle(calls)
    reused = 0
    for o, arguments in calls + calls[::-1]:  # the second pass meets only kept steps
        before = {kind: dict(store) for kind, store in kept._written.items()}
        got = kept.steps(o, **arguments)
        assert got == fresh_steps(catalog, facts, o, arguments), (o, arguments)
        # (a connect step is put together from two kept halves, so it is never the same object)
        reused += sum(any(step is s for s in before.get(step.kind, {}).values()) for step in got)
    assert reused > len(calls)  # kept steps were really handed out again
    # the memo holds several steps per occupation for the argument-dependent kinds
    assert len(kept._written["train"]) == n
    for kind in ("try", "learn", "connect-who", "connect-ask", "explore", "values"):
        assert len(kept._written[kind]) > n, kind


def test_kept_steps_across_arguments_that_share_key_parts(catalog: pf.Catalog) -> None:
    """Pairs of calls that differ in one argument only: the second (partly from the store) is
    what a fresh writer writes."""
    kept = StepWriter(catalog)
    facts = StepWriter(catalog).facts
    rnd = random.Random(7)
    variations: list[Callable[[dict[str, Any], int], dict[str, Any]]] = [
        lambda a, o: {**a, "matched_task": None},
        lambda a, o: {**a, "matched_task": (facts[o].core_tasks or ("x",))[-1]},
        lambda a, o: {**a, "strengths_given": not a["strengths_given"]},
        lambda a, o: {**a, "covered": frozenset(facts[o].important[:1])},
        lambda a, o: {**a, "covered": frozenset(facts[o].important)},
        lambda a, o: {**a, "values": a["values"][::-1]},
        lambda a, o: {**a, "values": a["values"][:1]},
        lambda a, o: {**a, "values": ()},
        lambda a, o: {**a, "listed": ()},
        lambda a, o: {**a, "listed": kept._neighbours(o)},
        lambda a, o: {**a, "titles": None},
        lambda a, o: {**a, "titles": list(facts[o].titles[::-1][:3])},
    ]
    for o, _ in itertools.product(range(len(facts)), range(6)):
        base = random_arguments(rnd, kept, o)
        for vary in variations:
            for arguments in (base, vary(base, o), base):
                assert kept.steps(o, **arguments) == fresh_steps(catalog, facts, o, arguments), (
                    o, arguments)


@pytest.mark.parametrize("size", [1, 3])
def test_a_kinds_store_never_exceeds_memo_size(catalog: pf.Catalog,
                                               monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(steps_module, "MEMO_SIZE", size)
    kept = StepWriter(catalog)
    facts = StepWriter(catalog).facts
    rnd = random.Random(size)
    largest = dict.fromkeys(kept._written, 0)
    shrank = dict.fromkeys(kept._written, False)
    for _ in range(300):
        o = rnd.randrange(len(facts))
        arguments = random_arguments(rnd, kept, o)
        before = {kind: len(store) for kind, store in kept._written.items()}
        assert kept.steps(o, **arguments) == fresh_steps(catalog, facts, o, arguments)
        for kind, store in kept._written.items():
            assert len(store) <= size, kind
            largest[kind] = max(largest[kind], len(store))
            shrank[kind] |= len(store) < before[kind]
    assert all(n == size for n in largest.values()), largest  # every kind reached the bound
    assert all(shrank.values()) or size == 1, shrank  # ... and started afresh


# ---------------------------------------------------------------------------------------------
# recommend_many: the next batch encoded ahead
# ---------------------------------------------------------------------------------------------

# the mixed profiles of the concurrency test, then more, so that batches of 7 differ
PROFILES: list[Any] = [
    *MIXED_PROFILES,
    Profile(values=["independence", "creativity"]),
    Profile(strengths=["strong", "good with my hands", "calm under pressure", "patient"]),
    {"interests": "designing posters and logos", "values": ["creativity"]},
    "I don't like math but I love helping families in trouble",
    Profile(interests="numbers, budgets and spreadsheets", strengths=["careful", "honest"],
            values={"financial security": 1}),
    "writing software and building web apps",
    Profile(interests="marketing campaigns and brands", strengths="persuasive, creative",
            values="I want variety and to lead a team"),
    "caring for patients and giving medications",  # a repeat, in another batch
    Profile(strengths=["calm"]),
    "fixing engines",
    Profile(interests="analysing data for audits", values=["job security", "good pay"]),
    "cooking food in a busy kitchen",
    Profile(interests="building decks and framing houses", strengths=["good with my hands"],
            values=["work-life balance"]),
    "teaching and coaching kids after school",
    Profile(strengths=["analytical", "good with computers"], values=["innovation"]),
    "hauling freight across the country",
    Profile(interests="social work with children and families", strengths=["good listener"],
            values="I want to make a difference"),
    "drawing comics and designing characters",
    Profile(values={"good pay": 1}),
    "running the kitchen of a restaurant",
    Profile(interests="electrical panels", strengths=["careful", "calm"]),
    "accounting",
    "🙂 I like machine learning models 🙂",
]


def make_finder(catalog: pf.Catalog, cache: Path, text_cache: bool) -> PassionFinder:
    encoder = HashingEncoder()
    if text_cache:
        encoder.batch_independent = True
    return PassionFinder(catalog, encoder, cache_home=cache, text_cache_size=5 if text_cache
                         else 10_000)


def ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(AHEAD)]


def record_encoding_threads(finder: PassionFinder, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    encode = finder._encode

    def recorded(profiles: Any) -> Any:
        names.append(threading.current_thread().name)
        return encode(profiles)

    monkeypatch.setattr(finder, "_encode", recorded)
    return names


@pytest.mark.parametrize("text_cache", [False, True], ids=["plain", "text-cache"])
def test_batches_encoded_ahead_give_the_results_of_one_batch_and_of_single_calls(
        catalog: pf.Catalog, cache_home: Path, monkeypatch: pytest.MonkeyPatch,
        text_cache: bool) -> None:
    assert len(PROFILES) > 28
    finder = make_finder(catalog, cache_home, text_cache)
    names = record_encoding_threads(finder, monkeypatch)
    small = [r.to_dict() for r in finder.recommend_many(PROFILES, k=5, batch_size=7)]
    assert len(names) == 5 and all(n.startswith(AHEAD) for n in names), names
    assert not ahead_threads()
    names.clear()
    whole = [r.to_dict() for r in finder.recommend_many(iter(PROFILES), k=5, batch_size=1000)]
    assert names == [threading.current_thread().name]  # one batch: no thread
    other = make_finder(catalog, cache_home, text_cache)  # its own kept steps
    single = [other.recommend(p, k=5).to_dict() for p in PROFILES]
    assert len(small) == len(whole) == len(single) == len(PROFILES)
    for i, (a, b, c) in enumerate(zip(small, whole, single, strict=True)):
        assert a == b, (i, PROFILES[i])
        assert a == c, (i, PROFILES[i])
    # also with other options and a last batch of one
    odd = finder.recommend_many(PROFILES, k=3, value_weight=0.8, diversity=0.0, batch_size=10)
    assert [r.to_dict() for r in odd] == [
        other.recommend(p, k=3, value_weight=0.8, diversity=0.0).to_dict() for p in PROFILES]
    assert not ahead_threads()


class Boom(RuntimeError):
    pass


def fail_on_call(method: Callable[..., Any], failing: int, delay: float = 0.0
                 ) -> tuple[Callable[..., Any], list[int]]:
    """``method`` that raises Boom on call number ``failing`` (1-based); every call waits
    ``delay`` seconds first."""
    count = [0]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        time.sleep(delay)
        if count[0] == failing:
            raise Boom(f"call {count[0]}")
        return method(*args, **kwargs)

    return wrapped, count


def ahead_threads_end() -> None:
    """Wait (up to a minute) for ahead threads still finishing a batch, then check they ended."""
    for thread in ahead_threads():
        thread.join(timeout=60)
    assert not ahead_threads()


@pytest.mark.parametrize("where", ["ranking", "encoding"])
def test_an_error_in_a_batch_propagates_and_leaves_no_thread(
        catalog: pf.Catalog, cache_home: Path, where: str) -> None:
    finder = make_finder(catalog, cache_home, text_cache=False)
    expected = [r.to_dict() for r in finder.recommend_many(PROFILES, k=4, batch_size=7)]
    assert not ahead_threads()
    # the replacements are instance attributes, removed again below
    if where == "ranking":  # the second batch's ranking (on the calling thread) fails
        finder._recommend_batch, count = fail_on_call(  # type: ignore[method-assign]
            finder._recommend_batch, 2)
        message, calls = "call 2", 2
    else:  # the third batch's encoding (on the ahead thread) fails
        finder._encode, count = fail_on_call(finder._encode, 3)  # type: ignore[method-assign]
        message, calls = "call 3", 3
    with pytest.raises(Boom, match=message):
        finder.recommend_many(PROFILES, k=4, batch_size=7)
    ahead_threads_end()
    assert count[0] == calls  # nothing was ranked or encoded after the failure
    vars(finder).pop("_recommend_batch", None)
    vars(finder).pop("_encode", None)
    # the finder is unharmed
    assert [r.to_dict() for r in finder.recommend_many(PROFILES, k=4, batch_size=7)] == expected
    assert not ahead_threads()


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_an_error_while_ranking_does_not_wait_for_the_next_batch(
        catalog: pf.Catalog, cache_home: Path, error: type[BaseException]) -> None:
    """The first batch's ranking fails while the second batch's encoding is held on a gate:
    the error must reach the caller at once, with the ahead thread still held."""
    finder = make_finder(catalog, cache_home, text_cache=False)
    gate, held, timed_out = threading.Event(), threading.Event(), []
    encode, calls = finder._encode, [0]

    def held_encode(profiles: Any) -> Any:
        calls[0] += 1
        if calls[0] >= 2:
            held.set()
            timed_out.append(not gate.wait(timeout=60))
        return encode(profiles)

    def failing_rank(*args: Any, **kwargs: Any) -> Any:
        held.wait(timeout=60)  # the second batch is on the ahead thread by now
        raise error("ranking failed")

    finder._encode = held_encode  # type: ignore[method-assign]
    finder._recommend_batch = failing_rank  # type: ignore[method-assign]
    try:
        with pytest.raises(error, match="ranking failed"):
            finder.recommend_many(PROFILES, k=4, batch_size=7)
        assert not timed_out and ahead_threads()  # raised while the ahead thread was held
    finally:
        gate.set()
    ahead_threads_end()
    assert calls[0] == 2 and timed_out == [False]  # the third batch was never started


def test_the_ahead_thread_runs_in_the_callers_context(catalog: pf.Catalog,
                                                       cache_home: Path) -> None:
    """numpy error settings (a context variable) and others reach the ahead thread."""
    finder = make_finder(catalog, cache_home, text_cache=False)
    read, seen = finder._read, []

    def recording_read(profiles: Any) -> Any:
        seen.append((threading.current_thread().name, np.geterr()["invalid"]))
        return read(profiles)

    finder._read = recording_read  # type: ignore[method-assign]
    with np.errstate(invalid="raise"):
        finder.recommend_many(PROFILES[:14], k=3, batch_size=7)
    assert [name.startswith(AHEAD) for name, _ in seen] == [True, True]
    assert [setting for _, setting in seen] == ["raise", "raise"]
    ahead_threads_end()


@pytest.mark.slow
@pytest.mark.data
def test_real_finder_batches_encoded_ahead_agree_with_single_calls(
        real_finder: PassionFinder) -> None:
    small = [r.to_dict() for r in real_finder.recommend_many(PROFILES, k=5, batch_size=7)]
    assert not ahead_threads()
    whole = [r.to_dict() for r in real_finder.recommend_many(PROFILES, k=5, batch_size=1000)]
    single = [real_finder.recommend(p, k=5).to_dict() for p in PROFILES]
    for i, (a, b, c) in enumerate(zip(small, whole, single, strict=True)):
        assert a == b, (i, PROFILES[i])
        assert a == c, (i, PROFILES[i])
