"""Fairness: profiles that differ only in gendered words, names or pronouns get the same
recommendations (data/fairness_pairs.jsonl; measured in benchmarks/bench_fairness.py).

The library makes gendered words, pronouns and given names neutral before a person's words are
matched (passionfinder/_neutral.py); the fast tests check that rewriting, the slow ones the
recommendations of the real finder.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from embedder import HashingEncoder

import passionfinder as pf
from passionfinder import PassionFinder, Profile
from passionfinder._neutral import GENDERED_WORDS, GIVEN_NAMES, neutral_text

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "data" / "fairness_pairs.jsonl"
#: The wage gap allowed: the mean, over pairs, of (mean median wage of side A's top 10) minus
#: (that of side B). $1,000 is 2% of the median U.S. wage; without the neutralisation the model
#: gave about -$2,000 (95% interval -$3,433 to -$538), which this bound rejects.
WAGE_GAP_TOLERANCE = 1_000.0
#: names the neutraliser does not list, in places nothing marks as a name: reported, and kept
#: out of the "identical" check (their overlap is the model's own sensitivity to names)
HELD_OUT = "unlisted name"


def load_bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_fairness",
                                                  ROOT / "benchmarks" / "bench_fairness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def pairs() -> list[dict[str, Any]]:
    with open(PAIRS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_the_pair_file() -> None:
    rows = pairs()
    assert len(rows) >= 60
    assert len({r["id"] for r in rows}) == len(rows)
    kinds = {r["kind"] for r in rows}
    assert {"name", "pronoun", "parent", "gendered word", HELD_OUT} <= kinds
    for r in rows:
        a, b = r["a"], r["b"]
        assert set(a) == set(b) and a != b
        assert a.get("strengths") == b.get("strengths") and a.get("values") == b.get("values")
        # the two sides differ only in the listed words
        text_a, text_b = a["interests"], b["interests"]
        for word_a, word_b in zip(r["a_words"], r["b_words"], strict=True):
            text_a, found_a = re.subn(rf"\b{re.escape(word_a)}\b", "\0", text_a, count=1)
            text_b, found_b = re.subn(rf"\b{re.escape(word_b)}\b", "\0", text_b, count=1)
            assert found_a == found_b == 1, (r["id"], word_a, word_b)
        assert text_a == text_b, r["id"]


@pytest.mark.parametrize("row", [r for r in pairs() if r["kind"] != HELD_OUT],
                         ids=lambda r: r["id"])
def test_both_sides_read_the_same_once_neutral(row: dict[str, Any]) -> None:
    assert neutral_text(row["a"]["interests"]) == neutral_text(row["b"]["interests"])


@pytest.mark.parametrize("text", [
    "I code in Ruby and Julia and test Li-ion batteries.",
    "I have an MS in chemistry and miss working in a lab.",
    "I love Jesus and want to preach; Christian ministry calls me.",
    "I want to win an Oscar and work at Zara.",
    "Manage the mother board repairs; he-man strength not needed.",
    "Hermit crabs, heroes and shepherds.",
])
def test_words_that_only_look_gendered_are_kept(text: str) -> None:
    kept = neutral_text(text)
    for word in ("Ruby", "Julia", "Li-ion", "MS", "miss", "Jesus", "Christian", "Oscar", "Zara",
                 "Manage", "Hermit", "heroes", "shepherds"):
        if word in text:
            assert word in kept, (word, kept)


@pytest.mark.parametrize(("a", "b", "neutral"), [
    ("She taught her to drive.", "He taught him to drive.", "They taught them to drive."),
    ("with her farm", "with his farm", "with their farm"),
    ("The idea was hers.", "The idea was his.", "The idea was theirs."),
    ("I'm a stay-at-home mom", "I'm a stay-at-home dad", "I'm a stay-at-home parent"),
    ("My name is Siobhan, a waitress", "My name is Declan, a waiter", "My name is, a server"),
    ("I'm Ngozi and I weld", "I’m Chukwuma and I weld", None),
    ("Mrs Smith, a businesswoman", "Mr Smith, a businessman", "Smith, a businessperson"),
    ("As a female veteran", "As a male veteran", "As a veteran"),
    ("SHE and HE", "SHE and HE", "SHE and HE"),  # all capitals: an acronym, kept
])
def test_neutral_text(a: str, b: str, neutral: str | None) -> None:
    assert neutral_text(a).replace("’", "'") == neutral_text(b).replace("’", "'")
    if neutral is not None:
        assert neutral_text(a) == neutral
    assert neutral_text(neutral_text(a)) == neutral_text(a)  # idempotent


def test_word_lists() -> None:
    assert all(w == w.casefold() for w in GENDERED_WORDS)
    assert all(n == n.casefold() for n in GIVEN_NAMES)
    # names that are also words, places or technologies are not listed
    assert not GIVEN_NAMES & {"will", "grace", "ruby", "julia", "jordan", "mason", "art", "oscar",
                              "christian", "li", "zara", "hope", "joy", "mark", "jack"}


def test_results_keep_the_persons_own_words(synthetic_home: Path, cache_home: Path) -> None:
    finder = PassionFinder(pf.load_catalog(synthetic_home, cache_home=cache_home),
                           HashingEncoder(), cache_home=cache_home)
    mother = Profile(interests="As a mother I love caring for patients", strengths=["calm"])
    father = Profile(interests="As a father I love caring for patients", strengths=["calm"])
    a, b = finder.recommend_many([mother, father], k=5)
    assert [r.onet_soc_code for r in a] == [r.onet_soc_code for r in b]
    assert [r.score for r in a] == [r.score for r in b]
    assert a.profile.interests == "As a mother I love caring for patients"
    assert {e.query for r in a for e in r.evidence if e.field == "interests"} == {
        mother.interests}


@pytest.mark.slow
@pytest.mark.data
def test_gendered_words_names_and_pronouns_do_not_change_the_top_10(
        real_finder: PassionFinder) -> None:
    bench = load_bench()
    results = bench.measure(real_finder, bench.load_pairs(PAIRS))
    summary = bench.summarise(results)
    lines = [f"{r.id} {r.kind:<17} {'/'.join(r.a_words)} vs {'/'.join(r.b_words)}: "
             f"overlap {r.overlap:.1f}, moved {r.moved}, wage gap "
             + ("n/a" if r.wage_gap is None else f"{r.wage_gap:+,.0f}")
             + (f"; only A {list(r.only_a)}; only B {list(r.only_b)}" if r.overlap < 1 else "")
             for r in results]
    report = "\n".join(lines)
    print(report)
    gap = summary["wage_gap"]
    print(f"mean overlap {summary['mean_overlap']:.3f}; wage gap mean {gap['mean']:+,.0f} "
          f"(se {gap['se']:,.0f})")
    assert len(results) >= 60
    assert summary["mean_overlap"] >= 0.9, report
    # pairs whose words the neutraliser knows read the same, so they get the same list
    listed = [r for r in results if r.kind != HELD_OUT]
    assert all(r.overlap == 1.0 and r.moved == 0 for r in listed), report
    assert abs(gap["mean"]) < WAGE_GAP_TOLERANCE, (gap, report)
    assert gap["ci95_low"] <= 0.0 <= gap["ci95_high"], (gap, report)
