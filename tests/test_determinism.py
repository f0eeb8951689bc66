"""Determinism: the same input gives byte-identical output (``to_dict()`` as JSON with sorted
keys) in two separate Python processes, under another BLAS kernel, between single and batch
calls, in any batch order or size, and call after call (the promise of docs/reliability.md).

Fast tests use the synthetic catalog and the hashing test encoder; the slow ones the real
finder. The processes get different hash seeds, so any dependence on set or dict order of
strings shows up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from embedder import HashingEncoder
from synthetic import write_release
from test_exact import OTHER_KERNEL

import passionfinder as pf
from passionfinder import PassionFinder, Profile

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# Varied enough that a batch holds more than eight distinct texts of each kind (several
# code paths of the products change with the number of rows) and every value form is used.
PROFILES: list[Any] = [
    Profile(interests="I love fixing old bikes and being outdoors", strengths=["patient"],
            values={"independence", "variety", "good pay"}),  # a set: its order varies
    Profile(interests="Numbers and spreadsheets all day, honestly", strengths="careful"),
    Profile(interests="caring for patients and giving medications",
            strengths=["calm", "caring", "good listener"], values=["helping others"]),
    Profile(strengths=["strong", "good with my hands"], values={"job security": 2, "good pay": 1}),
    Profile(values="I want to make a difference and never worry about money"),
    "cooking food for lots of people in a busy kitchen",
    {"interests": "teaching children to read and write", "values": ["work-life balance"]},
    "wiring houses, fixing circuits and electrical panels",
    "drawing comics and designing characters",
    Profile(interests="statistics, data and machine learning models", strengths=["analytical"]),
    "As a mother of two I love organising budgets",
    "I don't like math but I love animals and the outdoors",
]
CLASSIFY = ["rn", "truck driver", "I repair diesel engines", "Electrician", "",
            "software developer building web apps", "chef", "teacher", "nurse", "welder"]


def dumps(results: list[Any]) -> str:
    return json.dumps(results, sort_keys=True, ensure_ascii=False, allow_nan=False)


def run_all(finder: PassionFinder) -> str:
    """Every public result kind for the fixed inputs, as one JSON text."""
    recs = [r.to_dict() for r in finder.recommend_many(PROFILES, k=8)]
    classes = [[m.__dict__ for m in c.matches] for c in finder.classify(CLASSIFY, k=5)]
    # steering: constraints, feedback (the shifted queries) and explanations
    steered = [r.to_dict() for r in finder.recommend_many(
        PROFILES[:4], k=5, where={"max_job_zone": 3},
        liked=[["47-2111.00"], None, ["29-1141.00"], None],
        disliked=[None, ["13-2011.00"], None, None])]
    why = [e.to_dict() for e in finder.explain(  # type: ignore[union-attr]
        PROFILES[2], ["29-1141.00", "47-2031.00"], k=5, liked=["47-2111.00"])]
    return dumps({"recommend": recs, "classify": classes, "steered": steered, "explain": why})


CHILD = textwrap.dedent("""
    import sys, warnings
    sys.path[:0] = [{tests!r}]
    warnings.simplefilter("ignore")
    import test_determinism as t
    finder = t.make_finder({mode!r}, {args!r})
    sys.stdout.write(t.run_all(finder))
""")


def make_finder(mode: str, args: dict[str, str]) -> PassionFinder:
    """The finder a child process uses: the synthetic one or the real one."""
    if mode == "synthetic":
        catalog = pf.load_catalog(args["data"], cache_home=args["cache"])
        return PassionFinder(catalog, HashingEncoder(), cache_home=args["cache"])
    catalog = pf.load_catalog(args["data"], cache_home=args["catalog_cache"])
    return PassionFinder(catalog, cache_home=args["model_cache"])


def in_child(mode: str, args: dict[str, str], seed: str, kernel: str | None = None) -> str:
    """run_all in a new process; ``kernel`` makes OpenBLAS use another of its kernels."""
    env = dict(os.environ, PYTHONHASHSEED=seed)
    env.pop("OPENBLAS_CORETYPE", None)
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    code = CHILD.format(tests=str(TESTS), mode=mode, args=args)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("determinism")
    return {"data": str(write_release(root / "data")), "cache": str(root / "cache")}


@pytest.fixture(scope="module")
def finder(synthetic: dict[str, str]) -> PassionFinder:
    return make_finder("synthetic", synthetic)


def test_two_processes_give_the_same_bytes(finder: PassionFinder,
                                           synthetic: dict[str, str]) -> None:
    here = run_all(finder)
    first = in_child("synthetic", synthetic, seed="1")
    second = in_child("synthetic", synthetic, seed="2")
    assert first == second == here


@pytest.mark.skipif(OTHER_KERNEL is None, reason="no second OpenBLAS kernel known for this CPU")
def test_another_blas_kernel_gives_the_same_bytes(finder: PassionFinder,
                                                  synthetic: dict[str, str]) -> None:
    assert in_child("synthetic", synthetic, seed="3", kernel=OTHER_KERNEL) == run_all(finder)


def check_single_batch_repeat(finder: PassionFinder) -> None:
    batch = [r.to_dict() for r in finder.recommend_many(PROFILES, k=8)]
    # batch again, reversed order and in small batches: each profile's result is the same
    again = [r.to_dict() for r in finder.recommend_many(PROFILES, k=8)]
    reversed_ = [r.to_dict() for r in finder.recommend_many(PROFILES[::-1], k=8)][::-1]
    small = [r.to_dict() for r in finder.recommend_many(PROFILES, k=8, batch_size=3)]
    single = [finder.recommend(p, k=8).to_dict() for p in PROFILES]
    for name, other in (("again", again), ("reversed", reversed_), ("batch_size=3", small),
                        ("single", single)):
        for i, (a, b) in enumerate(zip(batch, other, strict=True)):
            assert dumps(a) == dumps(b), (name, i)
    one = [finder.classify(t, k=5) for t in CLASSIFY]
    many = finder.classify(CLASSIFY, k=5)
    assert one == many
    assert finder.classify(CLASSIFY[::-1], k=5)[::-1] == many


def test_single_batch_and_repeated_calls_agree(finder: PassionFinder) -> None:
    check_single_batch_repeat(finder)


def test_the_text_cache_changes_nothing(synthetic: dict[str, str]) -> None:
    catalog = pf.load_catalog(synthetic["data"], cache_home=synthetic["cache"])
    encoder = HashingEncoder()
    encoder.batch_independent = True  # so the finder keeps a text cache
    cached = PassionFinder(catalog, encoder, cache_home=synthetic["cache"], text_cache_size=5)
    plain = PassionFinder(catalog, HashingEncoder(), cache_home=synthetic["cache"],
                          text_cache_size=0)
    assert run_all(cached) == run_all(cached) == run_all(plain)
    check_single_batch_repeat(cached)


@pytest.mark.slow
@pytest.mark.data
def test_real_finder_single_batch_and_repeated_calls_agree(real_finder: PassionFinder) -> None:
    check_single_batch_repeat(real_finder)


@pytest.mark.slow
@pytest.mark.data
def test_real_finder_two_processes_give_the_same_bytes(
        real_finder: PassionFinder, real_data_home: Path, real_cache_home: Path,
        model_cache_home: Path) -> None:
    args = {"data": str(real_data_home), "catalog_cache": str(real_cache_home),
            "model_cache": str(model_cache_home)}
    here = run_all(real_finder)
    first = in_child("real", args, seed="11")
    second = in_child("real", args, seed="12", kernel=OTHER_KERNEL)
    assert first == second  # in another process, and under another BLAS kernel
    assert first == here


def test_a_compiled_and_a_cached_catalog_give_the_same_results(tmp_path: Path) -> None:
    """The first load compiles the release and writes the catalog cache; later loads read
    the cache, whose tables may be laid out differently in memory. Results must not tell."""
    data = write_release(tmp_path / "data")
    compiled = pf.load_catalog(data, cache_home=tmp_path / "cache")
    cached = pf.load_catalog(data, cache_home=tmp_path / "cache")
    first = PassionFinder(compiled, HashingEncoder(), cache_home=tmp_path / "cache")
    second = PassionFinder(cached, HashingEncoder(), cache_home=tmp_path / "cache")
    assert run_all(first) == run_all(second)


@pytest.mark.slow
@pytest.mark.data
@pytest.mark.filterwarnings("ignore::passionfinder.MissingDataWarning")
def test_real_compiled_and_cached_catalogs_give_the_same_results(
        real_finder: PassionFinder, real_data_home: Path, real_cache_home: Path,
        model_cache_home: Path) -> None:
    """real_finder's catalog was compiled this session; a second load reads the cache (whose
    columns come back in another memory layout). The two finders must agree to the digit."""
    cached = pf.load_catalog(real_data_home, cache_home=real_cache_home)
    again = PassionFinder(cached, cache_home=model_cache_home)
    assert run_all(again) == run_all(real_finder)
