"""Relevance feedback: does one round of "more like these" find the other relevant occupations?

On the 80 labelled profiles (data/eval_profiles.jsonl, all fields), a simulated person looks at
their first list (recommend, k=10, default settings) and likes the relevant occupations in it.
For each person with at least one relevant occupation in the first list and at least one
outside it, the benchmark measures recall@10 of the OTHER relevant occupations (those not
liked) in the residual ranking: the list with the liked occupations taken out, so that the
occupations the person has already judged do not count.

- before: the ranking without feedback (the same call, no feedback: the baseline of this run);
- after: ``recommend(profile, liked=...)``, the Rocchio shift with the shipped weights;
- liked + disliked: the person also dislikes the non-relevant occupations of the first list;
- neighbours only: the occupations most similar to the liked ones (mean occupation
  similarity), ignoring the person's text: what "more like this" gives without the profile;
- BETA / GAMMA variants of the Rocchio weights, for the record.

The same is measured with the value re-ranking and diversity off (value_weight=0,
diversity=0) and on interests alone, to show how much of the list the other fields hold in
place: feedback moves the interest query only.

Reports each setting's mean recall@10 of the other relevant occupations, the ratio to the
before figure and the paired standard error of the change.

Run: python benchmarks/bench_feedback.py [--data-home ../shared/data] [--cache-home /tmp/pfcache]
                                         [--out benchmarks/results/feedback.json]
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import finder_arguments, write_results

from passionfinder import _feedback
from passionfinder._evaluation import load_eval_profiles, profiles_from

ROOT = Path(__file__).resolve().parents[1]
K = 10


def residual_recall(ranked: Sequence[str], liked: set[str], others: set[str]) -> float:
    """recall@K of ``others`` in ``ranked`` with the liked codes taken out."""
    rest = [c for c in ranked if c not in liked][:K]
    return len(others & set(rest)) / min(len(others), K)


def summary(values: list[float], before: list[float]) -> dict[str, float]:
    change = np.array(values) - np.array(before)
    mean_before = float(np.mean(before))
    return {"recall_at_10": round(float(np.mean(values)), 4),
            "ratio_to_before": round(float(np.mean(values)) / mean_before, 3)
            if mean_before else float("nan"),
            "change": round(float(change.mean()), 4),
            "paired_se": round(float(change.std(ddof=1) / np.sqrt(len(change))), 4),
            "better": int((change > 0).sum()), "worse": int((change < 0).sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    finder_arguments(parser, "feedback")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from passionfinder import PassionFinder

    start = time.perf_counter()
    finder = PassionFinder(data_home=args.data_home, cache_home=args.cache_home)
    people = load_eval_profiles(ROOT / "data" / "eval_profiles.jsonl")
    sim = finder._occupation_similarity
    codes = np.array(finder.catalog.occupations.index)
    row = {c: i for i, c in enumerate(codes)}
    shipped = (_feedback.BETA, _feedback.GAMMA)

    def scenario(fields: Sequence[str], options: dict[str, Any], variants: bool
                 ) -> dict[str, Any]:
        profiles, usable = profiles_from(people, fields)
        first = finder.recommend_many(profiles, k=K, **options)
        cases = []
        for person, profile, recs in zip(usable, profiles, first, strict=True):
            shown = [r.onet_soc_code for r in recs]
            relevant = set(person["relevant"])
            liked = [c for c in shown if c in relevant]
            others = relevant - set(liked)
            if liked and others:
                cases.append((profile, liked, [c for c in shown if c not in relevant], others))

        def run(like: bool = False, dislike: bool = False) -> list[float]:
            out = []
            for profile, liked, disliked, others in cases:
                given = {"liked": liked if like else None,
                         "disliked": disliked if dislike else None}
                k = K + len(liked) + (len(disliked) if dislike else 0)
                ranked = finder.recommend(profile, k=k, **given, **options)
                out.append(residual_recall([r.onet_soc_code for r in ranked], set(liked),
                                           others))
            return out

        before = run()
        settings = {"after: liked": run(like=True),
                    "after: liked + disliked": run(like=True, dislike=True)}
        neighbours = []
        for _, liked, _, others in cases:
            closeness = sim[[row[c] for c in liked]].mean(axis=0)
            order = codes[np.argsort(-closeness, kind="stable")]
            neighbours.append(residual_recall(list(order[:K + len(liked)]), set(liked), others))
        settings["neighbours of liked only (no profile)"] = neighbours
        if variants:
            for beta in (0.5, 1.0, 1.5):
                _feedback.BETA = beta
                settings[f"after: liked, BETA={beta}"] = run(like=True)
            _feedback.BETA = shipped[0]
            _feedback.GAMMA = 0.5
            settings["after: liked + disliked, GAMMA=0.5"] = run(like=True, dislike=True)
            _feedback.BETA, _feedback.GAMMA = shipped
        return {"fields": list(fields), "options": options, "profiles": len(usable),
                "cases": len(cases),
                "mean_liked": round(float(np.mean([len(c[1]) for c in cases])), 2),
                "mean_others": round(float(np.mean([len(c[3]) for c in cases])), 2),
                "before": {"recall_at_10": round(float(np.mean(before)), 4)},
                "settings": {name: summary(values, before)
                             for name, values in settings.items()}}

    all_fields = ("interests", "strengths", "values")
    scenarios = {
        "all fields, default settings": scenario(all_fields, {}, True),
        "all fields, value_weight=0, diversity=0": scenario(
            all_fields, {"value_weight": 0.0, "diversity": 0.0}, False),
        "interests only, default settings": scenario(("interests",), {}, False),
    }
    results: dict[str, Any] = {
        "weights": {"ALPHA": _feedback.ALPHA, "BETA": shipped[0], "GAMMA": shipped[1]},
        "scenarios": scenarios, "seconds": round(time.perf_counter() - start, 1)}
    for title, res in scenarios.items():
        print(f"\n{title}: recall@10 of the other relevant occupations (residual ranking), "
              f"{res['cases']} of {res['profiles']} profiles, {res['mean_liked']} liked and "
              f"{res['mean_others']} others on average")
        print(f"{'setting':<44} {'recall@10':>9} {'x before':>9} {'change':>8} {'± se':>7} "
              f"{'better':>6} {'worse':>6}")
        print(f"{'before (no feedback)':<44} {res['before']['recall_at_10']:>9.3f}")
        for name, s in res["settings"].items():
            print(f"{name:<44} {s['recall_at_10']:>9.3f} {s['ratio_to_before']:>9.2f} "
                  f"{s['change']:>+8.3f} {s['paired_se']:>7.3f} {s['better']:>6} "
                  f"{s['worse']:>6}")
    write_results(results, args.out)


if __name__ == "__main__":
    main()
