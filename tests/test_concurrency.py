"""Thread safety: one PassionFinder used from 8 threads at once (mixed recommend,
recommend_many and classify calls) gives exactly the results of sequential calls, also when
the threads are the first to touch its lazily built parts and its text cache is small enough
to evict while they run."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from embedder import HashingEncoder
from synthetic import write_release

import passionfinder as pf
from passionfinder import PassionFinder, Profile

THREADS = 8
PROFILES: list[Any] = [
    Profile(interests="caring for patients and giving medications", strengths=["calm", "caring"],
            values=["helping others"]),
    Profile(interests="wiring houses and fixing electrical circuits", strengths="careful",
            values={"good pay": 2, "job security": 1}),
    "cooking food in a busy kitchen",
    Profile(strengths=["good with numbers", "organised"], values="I never want to worry about money"),
    "teaching children to read",
    "statistics and machine learning models on data",
    Profile(interests="As a father I love building wooden cabinets", strengths=["patient"]),
    "driving trucks long distance",
]
TITLES = ["rn", "truck driver", "Electrician", "cook", "data scientist", "", "carpenter",
          "I repair diesel engines"]


def calls() -> list[tuple[str, Callable[[PassionFinder], Any]]]:
    """Mixed work: (name, call) pairs, each returning plain JSON-ready data."""
    out: list[tuple[str, Callable[[PassionFinder], Any]]] = []
    for i, profile in enumerate(PROFILES):
        out.append((f"recommend {i}", lambda f, p=profile: f.recommend(p, k=5).to_dict()))
    for i in range(0, len(PROFILES), 3):
        chunk = PROFILES[i:i + 3]
        out.append((f"recommend_many {i}", lambda f, c=chunk: [
            r.to_dict() for r in f.recommend_many(c, k=5, batch_size=2)]))
    out.append(("classify all", lambda f: [[m.__dict__ for m in c.matches]
                                           for c in f.classify(TITLES, k=3)]))
    for title in TITLES:
        out.append((f"classify {title!r}", lambda f, t=title: [
            m.__dict__ for m in f.classify(t, k=3).matches]))
    return out


def run_concurrently(finder: PassionFinder, rounds: int) -> list[tuple[str, str]]:
    """Every call ``rounds`` times from THREADS threads that all start together."""
    work = calls() * rounds
    start = threading.Barrier(THREADS)

    def one(item: tuple[str, Callable[[PassionFinder], Any]]) -> tuple[str, str]:
        name, call = item
        return name, json.dumps(call(finder), sort_keys=True)

    def first(item: tuple[str, Callable[[PassionFinder], Any]]) -> tuple[str, str]:
        start.wait(timeout=60)  # the first call of every thread starts at the same moment
        return one(item)

    with ThreadPoolExecutor(THREADS) as pool:
        head = list(pool.map(first, work[:THREADS]))
        rest = list(pool.map(one, work[THREADS:]))
    return head + rest


def sequential(finder: PassionFinder) -> dict[str, str]:
    return {name: json.dumps(call(finder), sort_keys=True) for name, call in calls()}


def check(make: Callable[[], PassionFinder], rounds: int) -> None:
    expected = sequential(make())
    fresh = make()  # nothing lazily built yet: the threads race to build it
    for name, got in run_concurrently(fresh, rounds):
        assert got == expected[name], name
    # and the finder still answers the same afterwards
    assert sequential(fresh) == expected


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("concurrency")
    return write_release(root / "data"), root / "cache"


def test_threads_get_the_sequential_results(release: tuple[Path, Path]) -> None:
    home, cache = release
    catalog = pf.load_catalog(home, cache_home=cache)
    check(lambda: PassionFinder(catalog, HashingEncoder(), cache_home=cache), rounds=4)


def test_threads_share_a_small_text_cache(release: tuple[Path, Path]) -> None:
    home, cache = release
    catalog = pf.load_catalog(home, cache_home=cache)

    def make() -> PassionFinder:
        encoder = HashingEncoder()
        encoder.batch_independent = True  # the text cache is used ...
        return PassionFinder(catalog, encoder, cache_home=cache, text_cache_size=4)  # ... and evicts

    check(make, rounds=4)


def test_threads_build_the_index_lazy_parts_once(release: tuple[Path, Path]) -> None:
    home, cache = release
    finder = PassionFinder(pf.load_catalog(home, cache_home=cache), HashingEncoder(),
                           cache_home=cache)
    start = threading.Barrier(THREADS)

    def touch(_: int) -> tuple[Any, ...]:
        start.wait(timeout=60)
        return (finder._step_writer, finder._occupation_similarity, finder._title_lookup,
                finder.index.title_centroids, finder._step_writer.facts)

    with ThreadPoolExecutor(THREADS) as pool:
        seen = list(pool.map(touch, range(THREADS)))
    if sys.version_info < (3, 12):  # functools.cached_property locks: each part built once
        assert len({tuple(id(part) for part in parts) for parts in seen}) == 1
    # (from 3.12 on, two threads may both build a part; what they build is the same)
    for parts in seen[1:]:
        assert parts[1].tobytes() == seen[0][1].tobytes()
        assert parts[2] == seen[0][2] and parts[4] == seen[0][4]
        assert parts[3].tobytes() == seen[0][3].tobytes()


@pytest.mark.slow
@pytest.mark.data
def test_real_finder_from_threads(real_catalog: pf.Catalog, model_cache_home: Path) -> None:
    check(lambda: PassionFinder(real_catalog, cache_home=model_cache_home), rounds=1)
