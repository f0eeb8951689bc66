"""How far can held-out task coding go without changing the encoder? A supervised probe.

A softmax classifier over the 1,016 occupations is trained on the frozen embeddings of every
training text of the tuning split (kept task statements, alternate titles, detailed work
activities; passionfinder.tuning.catalog_pairs, so no held-out text is seen). It starts from the
description vectors and learns one direction per occupation from about 65,000 examples. It is
then scored on the held-out task statements of bench_quality.py / bench_tuning.py, alone and
added to classify's scores.

The probe is an upper-bound check, not a feature: if a classifier fitted on all the training
text cannot move held-out tasks much beyond classify, the plain embeddings hold little more
about a task's occupation, and the gains have to come from the encoder itself.

Run: python benchmarks/probe_frozen_ceiling.py [--model base] [--epochs 6]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import numpy as np
from _common import finder_arguments, write_results
from bench_tuning import IndexedEncoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    finder_arguments(parser, "frozen_ceiling")
    parser.add_argument("--model", default="base")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    import torch
    import torch.nn.functional as F

    import passionfinder as pf
    from passionfinder._evaluation import held_out_tasks, topk_accuracy
    from passionfinder._model.load import load_encoder
    from passionfinder._model.tuning import catalog_pairs, held_out

    torch.manual_seed(args.seed)
    catalog = pf.load_catalog(args.data_home, cache_home=args.cache_home)
    encoder = load_encoder(args.model, cache_home=args.cache_home)
    index = pf.PassionFinder(catalog, encoder, cache_home=args.cache_home).index
    fields = (index.tasks, index.titles, index.descriptions)
    memo = IndexedEncoder(encoder, np.concatenate([f.texts for f in fields]),
                          np.concatenate([f.vectors for f in fields]))
    pairs = [p for p in catalog_pairs(catalog, held=held_out(catalog)) if p.kind != "description"]
    rows = {c: i for i, c in enumerate(catalog.occupations.index)}
    x = torch.tensor(memo.encode([p.anchor for p in pairs]))
    y = torch.tensor([rows[p.code] for p in pairs])

    reduced, texts, truth = held_out_tasks(catalog)
    small = pf.PassionFinder(reduced, memo, cache_home=args.cache_home)
    queries = small._vectors(texts)
    classify = small._classify_scores(texts, queries)
    truth = np.asarray(truth)

    directions = torch.nn.Parameter(torch.tensor(index.descriptions.vectors.copy()))
    bias = torch.nn.Parameter(torch.zeros(len(rows)))
    optimizer = torch.optim.Adam([directions, bias], lr=3e-3)
    scale = 20.0
    started = time.perf_counter()
    for _ in range(args.epochs):
        order = torch.randperm(len(x))
        for i in range(0, len(order), 512):
            batch = order[i:i + 512]
            logits = scale * x[batch] @ F.normalize(directions, dim=1).T + bias
            loss = F.cross_entropy(logits, y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        probe = (torch.tensor(queries) @ F.normalize(directions, dim=1).T + bias / scale).numpy()

    def top(scores: np.ndarray) -> dict[str, float]:
        top1, top5 = topk_accuracy(scores, truth)
        return {"top1": round(top1, 4), "top5": round(top5, 4)}

    results = {
        "model": encoder.name, "training_texts": len(pairs), "held_out_tasks": len(texts),
        "seconds": round(time.perf_counter() - started, 1),
        "classify": top(classify), "probe_alone": top(probe),
        "classify_plus_probe": {str(w): top(classify + w * (probe - probe.max(1, keepdims=True)))
                                for w in (0.5, 1.0, 2.0)},
    }
    print(json.dumps(results, indent=1))
    write_results(results, args.out)


if __name__ == "__main__":
    main()
