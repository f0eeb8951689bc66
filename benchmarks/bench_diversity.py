"""Diversity of the top 10 against relevance, for MMR re-ranking (passionfinder._diversity).

1. Similarity representation: for each candidate occupation-occupation similarity, the share
   of each occupation's 10 nearest neighbours that O*NET's "Related Occupations" lists among
   its 10 primary related occupations, and the AUC of related (any tier) against unrelated
   pairs. This chose passionfinder._diversity.SIMILARITY_WEIGHTS.
2. Diversity levels: on the 80 labelled profiles (data/eval_profiles.jsonl, all fields), the
   undiversified top 50 (recommend_many, ordered by score) is re-ranked with mmr_order at each
   level, and the top 10 is measured: mean pairwise similarity, near-duplicate pairs
   (similarity >= 0.8, e.g. two kinds of cooks), share of pairs that O*NET lists as related
   (redundancy by a measure independent of ours), distinct job families, how many entries come
   from beyond the undiversified top 10, recall@10 (with the paired standard error of its
   change), hit@5 and MRR of the relevant codes, and how often the top 1 is kept.
3. Variants at a fixed level: plain MMR (floor 0), other redundancy floors, candidate pool
   size, and the optional job-family penalty.
4. Examples: the top 10 of a few one-line profiles without and with the default diversity.
5. Speed: occupation_similarity once, mmr_order per call.

Run: python benchmarks/bench_diversity.py [--data-home ../shared/data] [--cache-home /tmp/pfcache]
                                          [--out benchmarks/results/diversity.json]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
from _common import finder_arguments

from passionfinder._diversity import (
    DIVERSITY,
    REDUNDANCY_FLOOR,
    SIMILARITY_WEIGHTS,
    mmr_order,
    occupation_similarity,
)
from passionfinder._evaluation import load_eval_profiles

ROOT = Path(__file__).resolve().parents[1]
LEVELS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
K = 10
DUPLICATE = 0.8  # similarity of a near-duplicate pair (job variants: 0.75-0.92)


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def related_matrices(finder: Any) -> tuple[np.ndarray, np.ndarray]:
    """(any tier, primary tiers) boolean (n, n) matrices of O*NET's related occupations."""
    codes = finder.catalog.occupations.index
    row = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    anyr, primary = np.zeros((n, n), bool), np.zeros((n, n), bool)
    rel = finder.catalog.related
    if rel is None:
        return anyr, primary
    for a, b, tier in zip(rel["onet_soc_code"], rel["related_code"], rel["tier"], strict=True):
        if a in row and b in row:
            anyr[row[a], row[b]] = True
            primary[row[a], row[b]] = str(tier).startswith("Primary")
    return anyr, primary


def bench_representation(finder: Any, anyr: np.ndarray, primary: np.ndarray) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    index = finder.index
    n = len(index.descriptions.vectors)
    desc = index.descriptions.vectors
    titles = index.title_centroids
    tasks = index.tasks
    sums = np.zeros_like(desc)
    sums[tasks.owner[tasks.starts]] = np.add.reduceat(tasks.vectors, tasks.starts, axis=0)
    has_tasks = np.linalg.norm(sums, axis=1) > 0
    task_c = np.where(has_tasks[:, None], _unit(sums), desc)
    weights = index.element_weights
    elements = _unit(weights - weights.mean(0))
    no_elements = weights.sum(1) == 0
    cos = {"tasks": task_c @ task_c.T, "titles": titles @ titles.T,
           "descriptions": desc @ desc.T}
    sim_e = elements @ elements.T
    w = SIMILARITY_WEIGHTS
    chosen = sum(w[f] * cos[f] for f in cos) / sum(w.values())
    candidates = {
        "descriptions": cos["descriptions"], "titles": cos["titles"], "task centroids": cos["tasks"],
        "skill/knowledge/style profiles": sim_e,
        "tasks + descriptions (1:1)": (cos["tasks"] + cos["descriptions"]) / 2,
        "tasks + titles + descriptions (1:1:1)": sum(cos.values()) / 3,
        "chosen: tasks + titles + descriptions (0.4:0.4:0.2)": chosen,
        "chosen + profiles (0.4:0.4:0.2:0.1)":
            (chosen + 0.1 * np.where(no_elements[:, None] | no_elements[None, :], chosen, sim_e))
            / 1.1,
    }
    has = np.asarray(primary.any(axis=1))
    mask = ~np.eye(n, dtype=bool) & has[:, None]
    out: dict[str, Any] = {}
    for name, sim in candidates.items():
        s = sim.astype(np.float64).copy()
        np.fill_diagonal(s, -np.inf)
        nearest = np.argsort(-s, axis=1, kind="stable")[:, :K]
        out[name] = {
            "precision_at_10_primary_related": round(float(
                np.take_along_axis(primary, nearest, 1)[has].mean()), 4),
            "auc_related_vs_unrelated": round(float(roc_auc_score(anyr[mask], s[mask])), 4)}
    out["occupations_with_related"] = int(has.sum())
    return out


def top10_metrics(orders: list[np.ndarray], people: list[dict[str, Any]], codes: np.ndarray,
                  sim: np.ndarray, related: np.ndarray, family: np.ndarray,
                  baseline: list[np.ndarray]) -> dict[str, float]:
    pair_sim, dup, pair_rel, fams, new, recall, hit5, mrr, top1, d_recall = ([] for _ in range(10))
    for order, person, base in zip(orders, people, baseline, strict=True):
        top = order[:K]
        pairs = list(combinations(top.tolist(), 2))
        pair_sim.append(np.mean([sim[a, b] for a, b in pairs]))
        dup.append(sum(sim[a, b] >= DUPLICATE for a, b in pairs))
        pair_rel.append(np.mean([related[a, b] or related[b, a] for a, b in pairs]))
        fams.append(len(set(family[top].tolist())))
        new.append(len(set(top.tolist()) - set(base[:K].tolist())))
        relevant = set(person["relevant"])
        got = codes[top].tolist()
        recall.append(len(relevant & set(got)) / min(len(relevant), K))
        d_recall.append(recall[-1] - len(relevant & set(codes[base[:K]].tolist()))
                        / min(len(relevant), K))
        hit5.append(bool(relevant & set(got[:5])))
        ranks = [i for i, c in enumerate(got) if c in relevant]
        mrr.append(1.0 / (ranks[0] + 1) if ranks else 0.0)
        top1.append(top[0] == base[0])
    return {"mean_pairwise_similarity": round(float(np.mean(pair_sim)), 4),
            "near_duplicate_pairs": round(float(np.mean(dup)), 3),
            "share_of_pairs_onet_related": round(float(np.mean(pair_rel)), 4),
            "distinct_job_families": round(float(np.mean(fams)), 3),
            "new_in_top10": round(float(np.mean(new)), 3),
            "recall_at_10": round(float(np.mean(recall)), 4),
            "recall_change_se": round(float(np.std(d_recall, ddof=1) / np.sqrt(len(d_recall))),
                                      4),
            "hit_at_5": round(float(np.mean(hit5)), 4),
            "mrr": round(float(np.mean(mrr)), 4),
            "top1_kept": round(float(np.mean(top1)), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    finder_arguments(parser, "diversity")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from passionfinder import PassionFinder, Profile

    t0 = time.perf_counter()
    finder = PassionFinder(data_home=args.data_home, cache_home=args.cache_home)
    occ = finder.catalog.occupations
    codes = occ.index.to_numpy()
    row_of = {c: i for i, c in enumerate(occ.index)}
    family_names = occ["job_family"].fillna("").to_numpy()
    _, family_codes = np.unique(family_names, return_inverse=True)
    family_codes = np.where(family_names == "", -1, family_codes).astype(np.int64)
    anyr, primary = related_matrices(finder)
    results: dict[str, Any] = {"representation": bench_representation(finder, anyr, primary)}

    start = time.perf_counter()
    sim = occupation_similarity(finder.index)
    sim_seconds = time.perf_counter() - start
    start = time.perf_counter()
    sim = occupation_similarity(finder.index)
    sim_seconds_warm = time.perf_counter() - start

    people = load_eval_profiles(ROOT / "data" / "eval_profiles.jsonl")
    profiles = [Profile(interests=p.get("interests"), strengths=p.get("strengths"),
                        values=p.get("values")) for p in people]
    recs = finder.recommend_many(profiles, k=100)
    rows = [np.array([row_of[r.onet_soc_code] for r in rec]) for rec in recs]
    scores = [np.array([r.score for r in rec], dtype=np.float64) for rec in recs]

    def rerank(level: float, pool: int = 50, floor: float = REDUNDANCY_FLOOR,
               family_weight: float = 0.0) -> list[np.ndarray]:
        out = []
        for r, s in zip(rows, scores, strict=True):
            r, s = r[:pool], s[:pool]
            sub = sim[np.ix_(r, r)]
            picked = mmr_order(s, sub, K, level, pool=pool, families=family_codes[r],
                               floor=floor, family_weight=family_weight)
            out.append(r[picked])
        return out

    baseline = rerank(0.0)
    assert all(np.array_equal(b, r[:K]) for b, r in zip(baseline, rows, strict=True))
    args_m = (people, codes, sim, anyr, family_codes, baseline)
    levels = {f"{d}": top10_metrics(rerank(d), *args_m) for d in LEVELS}
    results["levels"] = levels
    variants = {}
    for d in (0.2, 0.3, 0.4, 0.5):
        variants[f"diversity={d} floor=0 (plain MMR)"] = top10_metrics(rerank(d, floor=0.0),
                                                                       *args_m)
    for floor in (0.6, 0.8):
        for d in (0.3, 0.4):
            variants[f"diversity={d} floor={floor}"] = top10_metrics(rerank(d, floor=floor),
                                                                     *args_m)
    for pool in (20, 30, 100):
        variants[f"diversity={DIVERSITY} pool={pool}"] = top10_metrics(
            rerank(DIVERSITY, pool=pool), *args_m)
    for fw in (0.1, 0.2):
        variants[f"diversity={DIVERSITY} family_weight={fw}"] = top10_metrics(
            rerank(DIVERSITY, family_weight=fw), *args_m)
    results["variants"] = variants

    examples = {}
    titles = occ["title"].to_numpy()
    lines = ("fixing engines and machines", "I love cooking and trying new recipes",
             "I like helping people and talking to them about their problems")
    for line, rec in zip(lines, finder.recommend_many(list(lines), k=50), strict=True):
        r = np.array([row_of[x.onet_soc_code] for x in rec])
        s = np.array([x.score for x in rec])
        examples[line] = {f"diversity={d}": titles[r[mmr_order(s, sim[np.ix_(r, r)], K, d)]].tolist()
                          for d in (0.0, DIVERSITY)}
    results["examples"] = examples

    # speed: one call per profile on the full score vector, as recommend() will do
    rng = np.random.default_rng(0)
    full = [rng.random(len(codes)) for _ in range(2000)]
    timing = {}
    for d in (0.0, 0.3):
        start = time.perf_counter()
        for s in full:
            mmr_order(s, sim, K, d, pool=50)
        timing[f"mmr_order_us_per_call_k10_pool50_diversity{d}"] = round(
            (time.perf_counter() - start) / len(full) * 1e6, 1)
    timing["occupation_similarity_seconds_first"] = round(sim_seconds, 3)
    timing["occupation_similarity_seconds_warm"] = round(sim_seconds_warm, 3)
    results["timing"] = timing
    results["profiles"] = len(people)
    results["defaults"] = {"diversity": DIVERSITY, "floor": REDUNDANCY_FLOOR, "pool": 50,
                           "similarity_weights": SIMILARITY_WEIGHTS}
    results["seconds"] = round(time.perf_counter() - t0, 1)

    print(f"Similarity representation (P@10 = share of 10 nearest that O*NET lists as primary "
          f"related, {results['representation']['occupations_with_related']} occupations):")
    for name, m in results["representation"].items():
        if isinstance(m, dict):
            print(f"  {name:55s} P@10 {m['precision_at_10_primary_related']:.3f}  "
                  f"AUC {m['auc_related_vs_unrelated']:.3f}")
    header = (f"{'setting':36s} {'pair sim':>8s} {'dup':>5s} {'related':>7s} {'families':>8s} "
              f"{'new':>5s} {'recall@10 (se)':>15s} {'hit@5':>6s} {'MRR':>6s} {'top1':>5s}")
    print(f"\nTop 10 of {len(people)} labelled profiles, MMR over the top 50 by score "
          f"(floor {REDUNDANCY_FLOOR} unless said):")
    print(header)
    for name, m in [*((f"diversity={d}", levels[f"{d}"]) for d in LEVELS), *variants.items()]:
        print(f"{name:36s} {m['mean_pairwise_similarity']:8.3f} {m['near_duplicate_pairs']:5.2f} "
              f"{m['share_of_pairs_onet_related']:7.3f} {m['distinct_job_families']:8.2f} "
              f"{m['new_in_top10']:5.2f} {m['recall_at_10']:8.3f} ({m['recall_change_se']:.3f}) "
              f"{m['hit_at_5']:6.3f} {m['mrr']:6.3f} {m['top1_kept']:5.2f}")
    for line, lists in examples.items():
        print(f"\n{line!r}:")
        plain, diverse = lists.values()
        for a, b in zip(plain, diverse, strict=True):
            print(f"  {a[:48]:50s} {b[:48]}")
    print("\n" + json.dumps(timing, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
