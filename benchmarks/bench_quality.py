"""Matching quality of passionfinder against baselines measured in the same run.

1. Activity text -> occupation: two task statements per occupation (with >= 4 tasks) are held
   out with a fixed seed, the rest are indexed, and the held-out tasks are classified.
   Baselines: TF-IDF over title + description, and plain MiniLM cosine over title +
   description.
2. Job title -> occupation: O*NET's sample of reported titles, with the occupation titles and
   alternate titles indexed (reported titles are not indexed). Also without the exact-title
   lookup, to show what the embeddings alone do.
3. Profiles (data/eval_profiles.jsonl, 80 hand-labelled people): recall@10 and hit@5 of the
   codes a counsellor marked relevant, with and without each profile field.
4. Values: for profiles that name values, the share of the top 10 in the top third of all
   occupations on those values, before (value_weight=0) and after re-ranking, and the
   relevance it costs.

Run: python benchmarks/bench_quality.py [--data-home ../shared/data] [--out benchmarks/results/quality.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from passionfinder._evaluation import (
    held_out_tasks,
    load_eval_profiles,
    profile_metrics,
    topk_accuracy,
)
from passionfinder._finder import _norm_title

ROOT = Path(__file__).resolve().parents[1]


def bench_tasks(catalog, encoder, cache_home, results):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    from passionfinder._finder import PassionFinder

    reduced, queries, truth = held_out_tasks(catalog)
    finder = PassionFinder(reduced, encoder, cache_home=cache_home)
    occ = catalog.occupations
    docs = (occ["title"] + ". " + occ["description"]).tolist()
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    doc_matrix = tfidf.fit_transform(docs)
    tfidf_scores = (tfidf.transform(queries) @ doc_matrix.T).toarray()
    qv = encoder.encode(queries, batch_size=128)
    minilm_scores = qv @ finder.index.descriptions.vectors.T
    start = time.perf_counter()
    ours = finder.classify_scores(queries)
    elapsed = time.perf_counter() - start
    rows = {
        "tfidf_title_description": topk_accuracy(tfidf_scores, truth),
        "minilm_title_description": topk_accuracy(minilm_scores, truth),
        "passionfinder": topk_accuracy(ours, truth),
    }
    results["activity_to_occupation"] = {
        "queries": len(queries), "seconds": round(elapsed, 2),
        **{k: {"top1": round(a, 4), "top5": round(b, 4)} for k, (a, b) in rows.items()}}
    return finder


def bench_titles(catalog, finder, results):  # type: ignore[no-untyped-def]
    rep = catalog.reported_titles
    codes = {c: i for i, c in enumerate(catalog.occupations.index)}
    truth = rep["onet_soc_code"].map(codes).to_numpy()
    texts = rep["title"].tolist()
    scores = finder.classify_scores(texts)
    exact = finder._exact_titles(texts)
    embedding_only = scores - exact
    results["title_to_occupation"] = {
        "queries": len(texts),
        "passionfinder": dict(zip(("top1", "top5"), map(lambda x: round(x, 4),
                                                       topk_accuracy(scores, truth)), strict=False)),
        "without_exact_lookup": dict(zip(("top1", "top5"), map(lambda x: round(x, 4),
                                                              topk_accuracy(embedding_only,
                                                                            truth)), strict=False)),
        "note": "every reported title also appears among the alternate titles",
        "ceiling_top1": round(title_ceiling(texts, rep["onet_soc_code"].tolist()), 4),
    }


def title_ceiling(texts: list[str], codes: list[str]) -> float:
    """The best top-1 any classifier of the title alone can reach: rows whose (case-folded)
    title also belongs to other occupations can only be right for one of those occupations."""
    frame = pd.DataFrame({"title": [_norm_title(t) for t in texts], "code": codes})
    best = frame.groupby(["title", "code"]).size().groupby(level=0).max()
    return float(best.sum() / len(frame))


def load_profiles():  # type: ignore[no-untyped-def]
    return load_eval_profiles(ROOT / "data" / "eval_profiles.jsonl")


def bench_profiles(finder, results):  # type: ignore[no-untyped-def]
    people = load_profiles()
    out = {}
    for name, fields in {"all fields": ("interests", "strengths", "values"),
                         "interests only": ("interests",),
                         "interests + strengths": ("interests", "strengths"),
                         "strengths only": ("strengths",)}.items():
        out[name], _, _ = profile_metrics(finder, people, fields=fields)
    results["profiles"] = out


def bench_values(finder, results):  # type: ignore[no-untyped-def]
    people = [p for p in load_profiles() if p.get("values")]
    table = finder.value_table
    out = {}
    for lam in (0.0, 0.15, finder.value_weight, 0.5):
        metrics, recs, _usable = profile_metrics(finder, people, value_weight=lam)
        shares = []
        for r in recs:
            names = list(r.value_weights)
            if not names:
                continue
            standing = table.loc[[x.onet_soc_code for x in r], names].mean(axis=1)
            shares.append(float((standing >= 2 / 3).mean()))
        out[f"value_weight={lam}"] = {"top10_share_in_top_third_on_values":
                                      round(float(np.mean(shares)), 4), **metrics}
    results["values"] = out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-home", default=os.environ.get("PASSIONFINDER_DATA",
                                                              str(ROOT.parent / "shared" / "data")))
    parser.add_argument("--cache-home", default=None)
    parser.add_argument("--model", default="default",
                        help='"default" (the library default: plain MiniLM), "onet" (MiniLM + the '
                             'O*NET adapter), "base" or an adapter folder')
    parser.add_argument("--out", default=None,
                        help="JSON output (default benchmarks/results/quality[-fp32].json)")
    parser.add_argument("--precision", default="int8", choices=["int8", "fp32"],
                        help="encoder precision (default int8, the library's default)")
    args = parser.parse_args()
    if args.out is None:
        suffix = "" if args.precision == "int8" else f"-{args.precision}"
        args.out = str(ROOT / "benchmarks" / "results" / f"quality{suffix}.json")
    warnings.simplefilter("ignore")
    import passionfinder as pf
    from passionfinder._finder import PassionFinder
    from passionfinder._model.load import load_encoder

    catalog = pf.load_catalog(args.data_home, cache_home=args.cache_home)
    encoder = load_encoder(None if args.model == "default" else args.model,
                           cache_home=args.cache_home, precision=args.precision)
    results: dict = {"model": encoder.name}
    t0 = time.perf_counter()
    bench_tasks(catalog, encoder, args.cache_home, results)
    finder = PassionFinder(catalog, encoder, cache_home=args.cache_home)
    bench_titles(catalog, finder, results)
    bench_profiles(finder, results)
    bench_values(finder, results)
    results["seconds"] = round(time.perf_counter() - t0, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
