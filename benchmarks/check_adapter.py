"""A quick check of adapters while a recipe is being searched: nearest "title. description" on
the held-out sets, with the torch model (fp32), no index built.

For each model named, the 1,016 occupation texts and the held-out texts (task statements held
out of training, emerging tasks, a seeded 2,000 of the reported titles) are encoded, and each
held-out text is coded to its nearest occupation text. It takes two to four minutes a model on
2 cores, against ten or more for bench_tuning.py, which builds the whole index; use it on the
checkpoints of a run (``--save-every``), then measure the chosen adapter with bench_tuning.py.

Run: python benchmarks/check_adapter.py base src/passionfinder/adapters/onet RUN/step-150 ...
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np
from _common import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", help="'base' or adapter folders")
    parser.add_argument("--data-home", default=os.environ.get("PASSIONFINDER_DATA",
                                                              str(ROOT.parent / "shared" / "data")))
    parser.add_argument("--titles", type=int, default=2000)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    import passionfinder as pf
    from passionfinder._evaluation import topk_accuracy
    from passionfinder._model.tuning import (
        _load_st,
        base_model_folder,
        held_out,
        occupation_texts,
    )

    catalog = pf.load_catalog(args.data_home)
    held = held_out(catalog)
    documents = occupation_texts(catalog)
    codes = list(documents)
    row = {c: i for i, c in enumerate(codes)}
    reported = held.reported_titles
    pick = np.random.default_rng(0).choice(len(reported), min(args.titles, len(reported)),
                                           replace=False)
    sets = {"tasks": held.tasks, "emerging_tasks": held.emerging_tasks,
            "reported_titles": reported.iloc[np.sort(pick)]}
    results = {}
    for name in args.models:
        started = time.perf_counter()
        model = _load_st(base_model_folder(), None if name == "base" else Path(name), 128)
        targets = model.encode([documents[c] for c in codes], batch_size=64,
                               normalize_embeddings=True)
        out = {}
        for label, frame in sets.items():
            queries = model.encode(frame["text"].tolist(), batch_size=64,
                                   normalize_embeddings=True)
            truth = frame["onet_soc_code"].map(row).to_numpy()
            top1, top5 = topk_accuracy(queries @ targets.T, truth)
            out[label] = {"top1": round(top1, 4), "top5": round(top5, 4)}
        out["seconds"] = round(time.perf_counter() - started, 1)
        results[name] = out
        print(json.dumps({name: out}), flush=True)


if __name__ == "__main__":
    main()
