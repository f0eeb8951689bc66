"""Preparation constraints: passionfinder within a job zone against My Next Move's way.

My Next Move (O*NET's career site) asks how much preparation a person is ready for (a job
zone) and lists the occupations of that zone whose interest (RIASEC) profile fits theirs.
On the labelled profiles with interests (data/eval_profiles.jsonl), each person's zone is the
most common job zone of their relevant occupations (ties: the lower), and both rankings are
restricted to that zone:

- My Next Move style: the occupations of the zone ranked by the correlation of their O*NET
  RIASEC profile with the person's (inferred from their text by passionfinder, the same
  profile shown as ``recs.riasec``) -- the interest profile alone, as the site does;
- passionfinder: ``recommend(profile, where=Constraints(min_job_zone=z, max_job_zone=z))``,
  the person's words, strengths and values ranked within the zone.

Reports recall@10 of the relevant occupations in the zone, hit@5 and MRR, the ratio to the
My Next Move style baseline of the same run, and the paired standard error of the difference.

Run: python benchmarks/bench_constraints.py [--data-home ../shared/data] [--cache-home /tmp/pfcache]
                                            [--out benchmarks/results/constraints.json]
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import finder_arguments, write_results

from passionfinder._evaluation import load_eval_profiles
from passionfinder._matching import riasec_agreement

ROOT = Path(__file__).resolve().parents[1]
K = 10


def metrics(ranked: Sequence[str], relevant: set[str]) -> tuple[float, float, float]:
    top = list(ranked[:K])
    recall = len(relevant & set(top)) / min(len(relevant), K)
    hit5 = float(bool(relevant & set(top[:5])))
    first = next((i for i, c in enumerate(top) if c in relevant), None)
    return recall, hit5, 0.0 if first is None else 1.0 / (first + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    finder_arguments(parser, "constraints")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from passionfinder import Constraints, PassionFinder, Profile

    start = time.perf_counter()
    finder = PassionFinder(data_home=args.data_home, cache_home=args.cache_home)
    occ = finder.catalog.occupations
    zones = occ["job_zone"]
    codes = np.array(occ.index)
    riasec = occ[["realistic", "investigative", "artistic", "social", "enterprising",
                  "conventional"]].to_numpy(dtype=np.float32)
    rows: dict[str, list[tuple[float, float, float]]] = {"my next move style": [],
                                                         "passionfinder": []}
    used = 0
    for person in load_eval_profiles(ROOT / "data" / "eval_profiles.jsonl"):
        if not person.get("interests"):
            continue
        known = [c for c in person["relevant"] if c in zones.index and zones.notna()[c]]
        if not known:
            continue
        counts = Counter(int(zones[c]) for c in known)
        zone = min(counts, key=lambda z: (-counts[z], z))
        relevant = {c for c in known if int(zones[c]) == zone}
        profile = Profile(interests=person.get("interests"), strengths=person.get("strengths"),
                          values=person.get("values"))
        where = Constraints(min_job_zone=zone, max_job_zone=zone)
        recs = finder.recommend(profile, k=K, where=where)
        if recs.riasec is None:
            continue
        used += 1
        rows["passionfinder"].append(metrics([r.onet_soc_code for r in recs], relevant))
        person_riasec = np.array([list(recs.riasec.values())], dtype=np.float32)
        fit = riasec_agreement(person_riasec, riasec)[0].astype(np.float64)
        in_zone = (zones == zone).fillna(False).to_numpy(dtype=bool) & ~np.isnan(fit)
        order = np.flatnonzero(in_zone)[np.argsort(-fit[in_zone], kind="stable")]
        rows["my next move style"].append(metrics(list(codes[order]), relevant))

    base = np.array(rows["my next move style"])
    results: dict[str, Any] = {"profiles": used, "k": K, "methods": {}}
    print(f"{used} labelled profiles with interests, each within the job zone of most of its "
          "relevant occupations")
    print(f"{'ranking within the zone':<24} {'recall@10':>9} {'x MNM':>7} {'± se':>6} "
          f"{'hit@5':>6} {'MRR':>6}")
    for name, values in rows.items():
        arr = np.array(values)
        diff = arr[:, 0] - base[:, 0]
        entry = {"recall_at_10": round(float(arr[:, 0].mean()), 4),
                 "hit_at_5": round(float(arr[:, 1].mean()), 4),
                 "mrr": round(float(arr[:, 2].mean()), 4),
                 "ratio_to_my_next_move_style": round(float(arr[:, 0].mean() / base[:, 0].mean()),
                                                      3),
                 "paired_se": round(float(diff.std(ddof=1) / np.sqrt(len(diff))), 4)}
        results["methods"][name] = entry
        print(f"{name:<24} {entry['recall_at_10']:>9.3f} "
              f"{entry['ratio_to_my_next_move_style']:>7.2f} {entry['paired_se']:>6.3f} "
              f"{entry['hit_at_5']:>6.3f} {entry['mrr']:>6.3f}")
    results["seconds"] = round(time.perf_counter() - start, 1)
    write_results(results, args.out)


if __name__ == "__main__":
    main()
