"""The O*NET-tuned encoder against plain all-MiniLM-L6-v2, on held-out text, in the same run.

Every text measured here is held out of training by construction (passionfinder.tuning.held_out):

1. Held-out task statements: the two per occupation that bench_quality.py holds out, classified
   against an index without them (classify) and against "title. description" alone (nearest
   description).
2. Sample of Reported Titles: classify (with and without the exact-title lookup) and nearest
   description.
3. Emerging Tasks: classify and nearest description.
4. Labelled profiles (data/eval_profiles.jsonl): recall@10, hit@5, MRR of recommend().
5. Encoding speed: the same 2,000 held-out texts encoded by each model, in alternating rounds,
   texts per second and the ratio to the first model named.
6. Calibration of classify: temperatures fitted (maximum likelihood) on one seeded half of the
   texts of 1-3, expected calibration error (ECE, 15 bins) of the top-1 confidence on the
   other half; ``--write-calibration`` stores the temperatures in
   src/passionfinder/calibration.json.

Run: python benchmarks/bench_tuning.py [--models base onet] [--write-calibration]
     [--out benchmarks/results/tuning.json]

``base`` is plain all-MiniLM-L6-v2, ``onet`` the same with the shipped O*NET adapter,
``default`` the library's default; a folder with an adapter (``adapter_config.json``) can be
named too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from passionfinder._calibration import (
    expected_calibration_error,
    fit_temperature,
    softmax,
)
from passionfinder._evaluation import (
    held_out_tasks,
    load_eval_profiles,
    profile_metrics,
    topk_accuracy,
)

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION_FILE = ROOT / "src" / "passionfinder" / "calibration.json"
SPLIT_SEED = 7


class IndexedEncoder:
    """An encoder that answers from vectors it already has (those of a built index) and asks
    the wrapped encoder for the rest: the index of a smaller catalog costs nothing to build.
    Exact for encoders whose vector of a text does not depend on the other texts of a call."""

    def __init__(self, inner: Any, texts: Any, vectors: np.ndarray) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.batch_independent = getattr(inner, "batch_independent", False)
        self.known = {str(t): v for t, v in zip(texts, vectors, strict=True)}

    def encode(self, texts: Any, batch_size: int = 64, show_progress: Any = None,
               **kwargs: Any) -> np.ndarray:
        texts = list(texts)
        todo = [t for t in dict.fromkeys(texts) if t not in self.known]
        if todo:
            fresh = self.inner.encode(todo, batch_size=batch_size)
            self.known.update(zip(todo, fresh, strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.known[t] for t in texts]).astype(np.float32)


def _topk(scores: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    top1, top5 = topk_accuracy(scores, truth)
    return {"top1": round(top1, 4), "top5": round(top5, 4)}


def measure(model: str | None, catalog: Any, cache_home: str | None, precision: str
            ) -> tuple[dict[str, Any], dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    from passionfinder._finder import TITLE_WORDS, PassionFinder
    from passionfinder._model.load import load_encoder
    from passionfinder.tuning import held_out

    encoder = load_encoder(model, cache_home=cache_home, precision=precision)
    out: dict[str, Any] = {"model": encoder.name}
    started = time.perf_counter()
    finder = PassionFinder(catalog, encoder, cache_home=cache_home)
    out["index_seconds"] = round(time.perf_counter() - started, 1)
    index = finder.index
    texts = np.concatenate([f.texts for f in index.fields.values()])
    vectors = np.concatenate([f.vectors for f in index.fields.values()])
    memo = IndexedEncoder(encoder, texts, vectors)
    codes = {c: i for i, c in enumerate(catalog.occupations.index)}
    descriptions = index.descriptions.vectors
    held = held_out(catalog)
    scored: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    reduced, task_texts, task_truth = held_out_tasks(catalog)
    small = PassionFinder(reduced, memo, cache_home=cache_home)
    sets = {
        "held_out_tasks": (small, task_texts, np.asarray(task_truth)),
        "reported_titles": (finder, held.reported_titles["text"].tolist(),
                            held.reported_titles["onet_soc_code"].map(codes).to_numpy()),
        "emerging_tasks": (finder, held.emerging_tasks["text"].tolist(),
                           held.emerging_tasks["onet_soc_code"].map(codes).to_numpy()),
    }
    for name, (f, queries, truth) in sets.items():
        start = time.perf_counter()
        q = f._vectors(queries)
        scores = f._classify_scores(queries, q)
        row: dict[str, Any] = {"queries": len(queries),
                               "classify": _topk(scores, truth),
                               "nearest_description": _topk(q @ descriptions.T, truth)}
        if name == "reported_titles":
            row["classify_without_exact_lookup"] = _topk(scores - f._exact_titles(queries),
                                                         truth)
        row["seconds"] = round(time.perf_counter() - start, 1)
        short = np.array([len(t.split()) <= TITLE_WORDS for t in queries])
        scored[name] = (scores, truth, short)
        out[name] = row
    people = load_eval_profiles(ROOT / "data" / "eval_profiles.jsonl")
    out["profiles"], _, _ = profile_metrics(finder, people)
    return out, scored


def calibrate(scored: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]) -> dict[str, Any]:
    """Fit temperatures (short / long texts) on one half, report ECE on the other half."""
    scores = np.concatenate([s for s, _, _ in scored.values()])
    truth = np.concatenate([t for _, t, _ in scored.values()])
    short = np.concatenate([h for _, _, h in scored.values()])
    source = np.concatenate([[n] * len(t) for n, (_, t, _) in scored.items()])
    fit = np.random.default_rng(SPLIT_SEED).random(len(truth)) < 0.5
    temps = {}
    for label, mask in (("short", short), ("long", ~short)):
        temps[label] = round(fit_temperature(scores[fit & mask], truth[fit & mask]), 5)
    t = np.where(short, temps["short"], temps["long"])[:, None]
    probs = softmax(scores, t)
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == truth
    test = ~fit
    report: dict[str, Any] = {"temperatures": temps, "fitted_on": int(fit.sum()),
                              "measured_on": int(test.sum())}
    report["ece"] = round(expected_calibration_error(conf[test], correct[test]), 4)
    report["ece_by_set"] = {
        n: round(expected_calibration_error(conf[test & (source == n)],
                                            correct[test & (source == n)]), 4)
        for n in scored}
    report["mean_confidence"] = round(float(conf[test].mean()), 4)
    report["top1_accuracy"] = round(float(correct[test].mean()), 4)
    for threshold in (0.3, 0.5, 0.7):
        kept = test & (conf >= threshold)
        report[f"at_min_confidence_{threshold}"] = {
            "share_codable": round(float(kept.sum() / test.sum()), 4),
            "top1_accuracy_of_codable": round(float(correct[kept].mean()), 4) if kept.any()
            else None}
    return report


def speed(models: list[str], texts: list[str], cache_home: str | None, precision: str,
          rounds: int = 3) -> dict[str, Any]:
    """Texts per second of each model on the same texts, rounds alternating between models
    (median of ``rounds``), and the ratio of each to the first model."""
    from passionfinder._model.load import load_encoder

    encoders = {m: load_encoder(None if m == "default" else m, cache_home=cache_home,
                                precision=precision) for m in models}
    for encoder in encoders.values():
        encoder.encode(texts[:64])  # warm up the session
    seconds: dict[str, list[float]] = {m: [] for m in models}
    for _ in range(rounds):
        for m, encoder in encoders.items():
            start = time.perf_counter()
            encoder.encode(texts, batch_size=64)
            seconds[m].append(time.perf_counter() - start)
    first = float(np.median(seconds[models[0]]))
    return {m: {"texts": len(texts), "texts_per_second": round(len(texts) / float(np.median(s)), 1),
                "time_ratio_to_" + models[0]: round(float(np.median(s)) / first, 3)}
            for m, s in seconds.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-home", default=os.environ.get("PASSIONFINDER_DATA",
                                                              str(ROOT.parent / "shared" / "data")))
    parser.add_argument("--cache-home", default=None)
    parser.add_argument("--models", nargs="+", default=["base", "onet"])
    parser.add_argument("--precision", default="int8", choices=["int8", "fp32"])
    parser.add_argument("--write-calibration", action="store_true")
    parser.add_argument("--save-scores", default=None,
                        help="also save the classify scores to PREFIX-<model>.npz")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tuning.json"))
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    import passionfinder as pf

    catalog = pf.load_catalog(args.data_home, cache_home=args.cache_home)
    results: dict[str, Any] = {}
    t0 = time.perf_counter()
    for model in args.models:
        row, scored = measure(None if model == "default" else model, catalog, args.cache_home,
                              args.precision)
        row["calibration"] = calibrate(scored)
        if args.save_scores:
            np.savez_compressed(f"{args.save_scores}-{model.replace('/', '_')}.npz",
                                **{f"{n}_{part}": a for n, arrays in scored.items()
                                   for part, a in zip(("scores", "truth", "short"), arrays,
                                                      strict=True)})
        results[model] = row
        print(json.dumps({model: row}, indent=2), flush=True)
        if args.write_calibration:
            name = row["model"].split("/", 1)[0]
            table = (json.loads(CALIBRATION_FILE.read_text()) if CALIBRATION_FILE.is_file()
                     else {"about": "classify() temperatures per model, fitted by "
                                    "benchmarks/bench_tuning.py --write-calibration",
                           "models": {}})
            cal = row["calibration"]
            table["models"][name] = {**cal["temperatures"], "ece": cal["ece"]}
            CALIBRATION_FILE.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n")
    from passionfinder.tuning import held_out

    held = held_out(catalog)
    sample = (held.reported_titles["text"].tolist()[:1000] + held.tasks["text"].tolist()[:1000])
    results["speed"] = speed(args.models, sample, args.cache_home, args.precision)
    print(json.dumps({"speed": results["speed"]}, indent=2), flush=True)
    results["seconds"] = round(time.perf_counter() - t0, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
