"""Fairness across gendered words, names and pronouns: pairs of profiles that differ only in
them (data/fairness_pairs.jsonl) should get the same recommendations.

For each pair, both sides are recommended with the defaults (k = 10) and measured:

- top-10 overlap: the share of the 10 occupations the two sides have in common (1.0 = same
  set; the order inside the ten is not counted);
- rank changes: how many of the ten sit at a different rank;
- wage of the list: the mean of the BLS median annual wage of the ten occupations (those with
  a published wage), side A (the female-coded side: she, mother, Maria) minus side B.

Reported: mean and worst overlap, the worst pairs with what entered and left, and the wage
gap averaged over pairs with its standard deviation, standard error and 95% interval, overall
and per kind of pair (names, pronouns, parenthood, gendered words, and "unlisted name": names
the neutraliser does not know, where nothing introduces them as a name). The same is measured
with the neutralisation of passionfinder/_neutral.py switched off, to show what it changes.

Run: python benchmarks/bench_fairness.py [--data-home ../shared/data] [--cache-home /tmp/pfcache]
                                         [--out benchmarks/results/fairness.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "data" / "fairness_pairs.jsonl"
K = 10


@dataclass(frozen=True)
class PairResult:
    """What the two sides of one pair got."""

    id: str
    kind: str
    a_words: tuple[str, ...]
    b_words: tuple[str, ...]
    overlap: float  # share of the top K in common
    moved: int  # of the top K, how many sit at another rank (or are not in the other list)
    only_a: tuple[str, ...]  # titles only side A got
    only_b: tuple[str, ...]
    wage_a: float | None  # mean median annual wage of side A's top K (published wages only)
    wage_b: float | None

    @property
    def wage_gap(self) -> float | None:
        if self.wage_a is None or self.wage_b is None:
            return None
        return self.wage_a - self.wage_b


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    """The pairs: id, kind, the words that differ on each side, and the two profiles."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _mean_wage(recs: Any, wages: dict[str, float]) -> float | None:
    values = [wages[r.onet_soc_code] for r in recs if not math.isnan(wages[r.onet_soc_code])]
    return float(np.mean(values)) if values else None


def measure(finder: Any, pairs: list[dict[str, Any]], k: int = K) -> list[PairResult]:
    """Recommend both sides of every pair (one batched call) and compare them."""
    profiles = [p["a"] for p in pairs] + [p["b"] for p in pairs]
    recs = finder.recommend_many(profiles, k=k)
    wages = finder.catalog.occupations["wage_median"].astype(float).to_dict()
    out = []
    for i, pair in enumerate(pairs):
        a, b = recs[i], recs[len(pairs) + i]
        codes_a, codes_b = [r.onet_soc_code for r in a], [r.onet_soc_code for r in b]
        common = set(codes_a) & set(codes_b)
        moved = sum(1 for x, y in zip(codes_a, codes_b, strict=True) if x != y)
        out.append(PairResult(
            pair["id"], pair["kind"], tuple(pair["a_words"]), tuple(pair["b_words"]),
            len(common) / k, moved,
            tuple(r.title for r in a if r.onet_soc_code not in common),
            tuple(r.title for r in b if r.onet_soc_code not in common),
            _mean_wage(a, wages), _mean_wage(b, wages)))
    return out


def gap_summary(gaps: list[float]) -> dict[str, float]:
    """Mean of the per-pair wage gaps with its spread: sd, standard error, 95% interval."""
    n = len(gaps)
    mean = statistics.fmean(gaps) if gaps else 0.0
    sd = statistics.stdev(gaps) if n > 1 else 0.0
    se = sd / math.sqrt(n) if n else 0.0
    return {"pairs": n, "mean": mean, "sd": sd, "se": se, "ci95_low": mean - 1.96 * se,
            "ci95_high": mean + 1.96 * se, "min": min(gaps, default=0.0),
            "max": max(gaps, default=0.0), "nonzero": sum(1 for g in gaps if g != 0)}


def summarise(results: list[PairResult]) -> dict[str, Any]:
    overlaps = [r.overlap for r in results]
    gaps = [g for g in (r.wage_gap for r in results) if g is not None]
    by_kind: dict[str, Any] = {}
    for kind in sorted({r.kind for r in results}):
        rows = [r for r in results if r.kind == kind]
        kind_gaps = [g for g in (r.wage_gap for r in rows) if g is not None]
        by_kind[kind] = {"pairs": len(rows),
                         "mean_overlap": statistics.fmean(r.overlap for r in rows),
                         "min_overlap": min(r.overlap for r in rows),
                         "identical_top10": sum(1 for r in rows if r.overlap == 1.0),
                         "wage_gap": gap_summary(kind_gaps)}
    worst = sorted(results, key=lambda r: (r.overlap, -r.moved, r.id))[:8]
    return {
        "pairs": len(results),
        "k": K,
        "mean_overlap": statistics.fmean(overlaps),
        "min_overlap": min(overlaps),
        "identical_top10": sum(1 for o in overlaps if o == 1.0),
        "identical_order": sum(1 for r in results if r.moved == 0),
        "mean_rank_changes": statistics.fmean(r.moved for r in results),
        "wage_gap": gap_summary(gaps),
        "by_kind": by_kind,
        "worst": [asdict(r) | {"wage_gap": r.wage_gap} for r in worst],
    }


@contextlib.contextmanager
def neutralisation_off(finder: Any) -> Iterator[None]:
    """The raw model: person's words sent as written (for comparison only)."""
    import passionfinder._finder as finder_module
    import passionfinder._lexical as lexical_module

    saved = finder_module.neutral_text, lexical_module.neutral_text
    finder_module.neutral_text = lexical_module.neutral_text = lambda text: text
    finder._text_cache.clear()
    try:
        yield
    finally:
        finder_module.neutral_text, lexical_module.neutral_text = saved
        finder._text_cache.clear()


def _print(summary: dict[str, Any], label: str) -> None:
    gap = summary["wage_gap"]
    print(f"== {label}")
    print(f"{summary['pairs']} pairs, top {K}: mean overlap {summary['mean_overlap']:.3f}, "
          f"worst {summary['min_overlap']:.1f}; identical top 10 in "
          f"{summary['identical_top10']}, identical order in {summary['identical_order']}; "
          f"{summary['mean_rank_changes']:.2f} of 10 ranks differ on average")
    print(f"wage gap (A - B, mean median wage of the top 10): mean ${gap['mean']:+,.0f} "
          f"(sd ${gap['sd']:,.0f}, se ${gap['se']:,.0f}, 95% CI ${gap['ci95_low']:+,.0f} to "
          f"${gap['ci95_high']:+,.0f}; range ${gap['min']:+,.0f} to ${gap['max']:+,.0f}; "
          f"{gap['nonzero']} of {gap['pairs']} pairs differ)")
    print("\n| kind | pairs | mean overlap | worst | identical top 10 | wage gap mean (sd) |")
    print("|---|---|---|---|---|---|")
    for kind, row in summary["by_kind"].items():
        g = row["wage_gap"]
        print(f"| {kind} | {row['pairs']} | {row['mean_overlap']:.3f} | "
              f"{row['min_overlap']:.1f} | {row['identical_top10']} | "
              f"${g['mean']:+,.0f} (${g['sd']:,.0f}) |")
    print("\nworst pairs:")
    for r in summary["worst"]:
        if r["overlap"] == 1.0:
            continue
        gap_text = "n/a" if r["wage_gap"] is None else f"${r['wage_gap']:+,.0f}"
        print(f"  {r['id']} {r['kind']:<17} {'/'.join(r['a_words'])} vs "
              f"{'/'.join(r['b_words'])}: overlap {r['overlap']:.1f}, wage gap {gap_text}")
        for side in ("a", "b"):
            if r[f"only_{side}"]:
                print(f"      only {side.upper()}: {'; '.join(r[f'only_{side}'])}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=os.environ.get("PASSIONFINDER_DATA"))
    parser.add_argument("--cache-home", default=os.environ.get("PASSIONFINDER_CACHE"))
    parser.add_argument("--model", default="default",
                        help='"default" (the library default: plain MiniLM), "onet" (MiniLM + the '
                             'O*NET adapter), "base" or an adapter folder')
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "fairness.json"))
    args = parser.parse_args()

    import passionfinder as pf

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pf.MissingDataWarning)
        finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home,
                                  model=None if args.model == "default" else args.model)
    pairs = load_pairs()
    results = measure(finder, pairs)
    summary = summarise(results)
    with neutralisation_off(finder):
        raw = summarise(measure(finder, pairs))
    summary["seconds"] = round(time.perf_counter() - start, 1)
    _print(summary, "passionfinder (gendered words, pronouns and names made neutral)")
    _print(raw, "the same model without the neutralisation")
    summary["without_neutralisation"] = raw
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary | {"per_pair": [asdict(r) | {"wage_gap": r.wage_gap}
                                                      for r in results]}, indent=2) + "\n")
    print(f"\nwritten to {out} in {summary['seconds']} s")


if __name__ == "__main__":
    main()
