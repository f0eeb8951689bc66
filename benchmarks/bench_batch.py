"""Batch scoring throughput: PassionFinder.score_frame against a loop of single recommend()
calls, on survey answers written by scripts/make_sample_survey.py (several seeds, so most
interest answers are distinct and the text cache cannot carry the run).

    python benchmarks/bench_batch.py                  # 2,160 rows (6 seeds), loop on 300
    python benchmarks/bench_batch.py --seeds 2 --loop 100

Reports rows per second for both, their ratio, and where score_frame's time goes (the
encoder against everything else). Both runs start with an empty text cache. Writes
benchmarks/results/batch.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

import passionfinder as pf

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def survey(seeds: int) -> pd.DataFrame:
    spec = importlib.util.spec_from_file_location("make_sample_survey",
                                                  ROOT / "scripts" / "make_sample_survey.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    frames = []
    for n in range(seeds):
        rows = pd.DataFrame(module.build_rows(module.SEED + n))
        rows["respondent_id"] = f"S{n}-" + rows["respondent_id"]
        frames.append(rows)
    frame = pd.concat(frames, ignore_index=True)
    return frame.replace({"": None})


class TimedEncoder:
    """Wraps the finder's encoder and adds up the time spent in it."""

    def __init__(self, encoder: pf.Encoder) -> None:
        self.inner, self.seconds, self.texts = encoder, 0.0, 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def encode(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return self.inner.encode(texts, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start
            self.texts += len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6, help="survey copies (360 rows each)")
    parser.add_argument("--loop", type=int, default=300, help="rows for the single-call loop")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--precision", default=None, choices=["fp32", "int8"],
                        help="encoder precision (default: the library's default)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", pf.MissingDataWarning)

    start = time.perf_counter()
    options = {} if args.precision is None else {"precision": args.precision}
    finder = pf.PassionFinder(show_progress=False, **options)
    load = time.perf_counter() - start
    timed = TimedEncoder(finder.encoder)
    finder.encoder = timed  # type: ignore[assignment]
    df = survey(args.seeds)
    columns = {"interests": "interests", "strengths": "strengths", "values": "values",
               "id": "respondent_id"}
    finder.score_frame(df.head(20), **columns, k=args.k)  # warm-up (sessions, lazy tables)

    # baseline: one recommend() per row, as a first script would do it
    finder._text_cache.clear()
    finder._strength_rows.clear()
    loop_rows = df.sample(n=min(args.loop, len(df)), random_state=0)
    start = time.perf_counter()
    for _, row in loop_rows.iterrows():
        try:
            profile = pf.Profile(interests=row["interests"], strengths=row["strengths"],
                                 values=row["values"])
        except (pf.PassionfinderError, ValueError, TypeError):
            continue
        finder.recommend(profile, k=args.k)
    loop_seconds = time.perf_counter() - start
    loop_rate = len(loop_rows) / loop_seconds

    finder._text_cache.clear()
    finder._strength_rows.clear()
    timed.seconds, timed.texts = 0.0, 0
    start = time.perf_counter()
    out = finder.score_frame(df, **columns, k=args.k)
    batch_seconds = time.perf_counter() - start
    batch_rate = len(df) / batch_seconds
    statuses = out.groupby("respondent_id")["status"].first().value_counts().to_dict()

    result = {
        "machine": platform.machine(), "python": platform.python_version(),
        "model": finder.encoder.name,
        "rows": len(df), "k": args.k, "finder_load_s": round(load, 2),
        "loop_rows": len(loop_rows), "loop_rows_per_s": round(loop_rate, 1),
        "score_frame_s": round(batch_seconds, 2), "score_frame_rows_per_s": round(batch_rate, 1),
        "speedup": round(batch_rate / loop_rate, 2),
        "encoder_s": round(timed.seconds, 2), "encoded_texts": timed.texts,
        "share_outside_encoder": round(1 - timed.seconds / batch_seconds, 3),
        "statuses": statuses,
    }
    print(f"model {finder.encoder.name}; survey rows: {len(df):,} ({statuses}); "
          f"finder loaded in {load:.1f} s")
    print(f"{'method':<28}{'rows/s':>10}")
    print(f"{'recommend() loop':<28}{loop_rate:>10.1f}")
    print(f"{'score_frame':<28}{batch_rate:>10.1f}   ({batch_rate / loop_rate:.2f}x the loop)")
    print(f"score_frame: {timed.texts:,} texts encoded in {timed.seconds:.1f} s of "
          f"{batch_seconds:.1f} s ({1 - timed.seconds / batch_seconds:.0%} outside the encoder)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "batch.json" if args.precision is None else f"batch-{args.precision}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
