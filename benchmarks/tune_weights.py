"""Grid search of the matching weights on the labelled profiles (data/eval_profiles.jsonl).

Each field component is computed once; every weight combination is then scored by recall@10
of the codes a counsellor marked relevant (values are left out: they are a separate,
user-set trade-off). Weights are chosen on the odd-numbered half of the profiles and checked
on the even half, to keep the choice honest on a small set. The current defaults
(passionfinder._matching.MatchWeights) are printed for comparison.

Run: python benchmarks/tune_weights.py [--top 10]
"""

from __future__ import annotations

import argparse
import itertools
import os
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-home", default=os.environ.get("PASSIONFINDER_DATA",
                                                              str(ROOT.parent / "shared" / "data")))
    parser.add_argument("--cache-home", default=None)
    parser.add_argument("--top", type=int, default=10, help="combinations to print")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    import passionfinder as pf
    from passionfinder._evaluation import load_eval_profiles
    from passionfinder._matching import (
        MatchWeights,
        pool_per_occupation,
        riasec_agreement,
        riasec_profile,
        similarities,
        standardize,
        strength_scores,
    )

    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home)
    people = load_eval_profiles(ROOT / "data" / "eval_profiles.jsonl")
    profiles = [pf.Profile(interests=p["interests"], strengths=p["strengths"]) for p in people]
    rows = {c: i for i, c in enumerate(finder.catalog.occupations.index)}
    relevant = [np.array([rows[c] for c in p["relevant"]]) for p in people]
    index, n = finder.index, len(rows)
    enc = finder._encode(profiles)
    with_interests = [i for i, t in enumerate(enc.interest_ids) if t is not None]
    query = enc.vectors[[enc.interest_ids[i] for i in with_interests]]
    lexical = index.lexical.similarity([profiles[i].interests for i in with_interests])
    task_sims = similarities(query, index.tasks.vectors)
    parts = {f"tasks{t}": pool_per_occupation(task_sims, index.tasks, n, t)
             for t in (0.0, 0.05, 0.1, 0.2)}
    desc = similarities(query, index.descriptions.vectors)
    titles = similarities(query, index.title_centroids)
    riasec = riasec_agreement(riasec_profile(query, index), finder._riasec)
    strength_rows = {t: r for r, t in enumerate(dict.fromkeys(
        t for ids in enc.strength_ids for t in ids))}
    element, task, _ = strength_scores(
        enc.vectors[list(strength_rows)], [[strength_rows[t] for t in ids]
                                           for ids in enc.strength_ids], index, n, MatchWeights())
    has = np.array([bool(ids) for ids in enc.strength_ids])

    def full(z: np.ndarray) -> np.ndarray:
        out = np.zeros((len(people), n), dtype=np.float32)
        out[with_interests] = z
        return out

    z_riasec = full(standardize(riasec))
    z_element = np.zeros((len(people), n), np.float32)
    z_task = np.zeros((len(people), n), np.float32)
    z_element[has] = standardize(element[has])
    z_task[has] = standardize(task[has])
    mask = np.zeros(len(people), bool)
    mask[with_interests] = True

    def recall(score: np.ndarray, subset: np.ndarray) -> float:
        out = []
        for i in subset:
            top = np.argsort(-score[i], kind="stable")[:10]
            out.append(np.isin(top, relevant[i]).sum() / min(len(relevant[i]), 10))
        return float(np.mean(out))

    odd, even = np.arange(0, len(people), 2), np.arange(1, len(people), 2)
    grid = itertools.product((0.0, 0.05, 0.1, 0.2), (0.0, 0.3, 0.6), (0.0, 0.2, 0.5),
                             (0.0, 0.5, 1.0), (0.0, 0.15, 0.3), (0.0, 0.15, 0.3, 0.5),
                             (0.25,))
    results = []
    for tau, w_desc, w_title, w_lex, w_riasec, w_strength, share in grid:
        tasks = parts[f"tasks{tau}"]
        raw = np.where(np.isnan(tasks), desc, tasks) + w_desc * desc + w_title * titles \
            + w_lex * lexical
        total = full(standardize(raw)) + w_riasec * z_riasec
        weight = np.where(mask, 1.0 + w_riasec, 0.0)[:, None]
        total = total + np.where(has[:, None], w_strength * (share * z_element
                                                             + (1 - share) * z_task), 0.0)
        weight = weight + np.where(has, w_strength, 0.0)[:, None]
        score = total / np.maximum(weight, 1e-9)
        results.append(((tau, w_desc, w_title, w_lex, w_riasec, w_strength),
                        recall(score, odd), recall(score, even)))
    results.sort(key=lambda r: -r[1])
    print("tau  desc title lexical riasec strengths | recall@10 odd half | even half")
    for combo, a, b in results[:args.top]:
        print(" ".join(f"{x:<5}" for x in combo), f"| {a:.3f} | {b:.3f}")
    w = MatchWeights()
    current = (w.task_temperature, w.description, w.title, w.lexical, w.riasec, w.strengths)
    for combo, a, b in results:
        if combo == current:
            print("defaults:", " ".join(f"{x:<5}" for x in combo), f"| {a:.3f} | {b:.3f}")


if __name__ == "__main__":
    main()
