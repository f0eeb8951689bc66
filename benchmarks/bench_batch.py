"""Batch scoring throughput: PassionFinder.score_frame against a loop of single recommend()
calls, on survey answers written by scripts/make_sample_survey.py (several seeds, so most
interest answers are distinct and the text cache cannot carry the run).

    python benchmarks/bench_batch.py                  # 2,160 rows (6 seeds), loop on 300
    python benchmarks/bench_batch.py --seeds 2 --loop 100 --short 500

Then the same score_frame on short three-field answers (bench_speed's profiles).

Reports rows per second for both, their ratio, and where score_frame's time goes (the same
texts encoded on their own against the whole run, see _encoder_share.py). Both runs start
with nothing kept from earlier calls. Writes
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _encoder_share import forget, measure  # noqa: E402
from bench_speed import make_profiles  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6, help="survey copies (360 rows each)")
    parser.add_argument("--loop", type=int, default=300, help="rows for the single-call loop")
    parser.add_argument("--short", type=int, default=2000,
                        help="rows of short three-field answers (as in bench_speed)")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--precision", default=None, choices=["fp32", "int8"],
                        help="encoder precision (default: the library's default)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", pf.MissingDataWarning)

    start = time.perf_counter()
    options = {} if args.precision is None else {"precision": args.precision}
    finder = pf.PassionFinder(show_progress=False, **options)
    load = time.perf_counter() - start
    df = survey(args.seeds)
    columns = {"interests": "interests", "strengths": "strengths", "values": "values",
               "id": "respondent_id"}
    finder.score_frame(df.head(20), **columns, k=args.k)  # warm-up (sessions, lazy tables)

    # baseline: one recommend() per row, as a first script would do it
    forget(finder)
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

    forget(finder)
    frames: list[pd.DataFrame] = []
    run = measure(finder, lambda: frames.append(finder.score_frame(df, **columns, k=args.k)))
    out = frames[0]
    batch_seconds = run["seconds"]
    batch_rate = len(df) / batch_seconds
    statuses = out.groupby("respondent_id")["status"].first().value_counts().to_dict()

    # the same on short three-field answers (bench_speed's profiles: a sentence of two
    # activities, three strengths and two values), where the encoder has less to do
    short = pd.DataFrame(make_profiles(args.short))
    short["respondent_id"] = [f"P{i}" for i in range(len(short))]
    forget(finder)
    run_short = measure(finder, lambda: finder.score_frame(short, **columns, k=args.k))
    short_rate = len(short) / run_short["seconds"]

    result = {
        "machine": platform.machine(), "python": platform.python_version(),
        "model": finder.encoder.name,
        "rows": len(df), "k": args.k, "finder_load_s": round(load, 2),
        "loop_rows": len(loop_rows), "loop_rows_per_s": round(loop_rate, 1),
        "score_frame_s": round(batch_seconds, 2), "score_frame_rows_per_s": round(batch_rate, 1),
        "speedup": round(batch_rate / loop_rate, 2),
        "encoder_alone_s": round(run["encoder_alone_seconds"], 2),
        "encoded_texts": run["texts"],
        "share_outside_encoder": round(run["share_outside_encode_wall"], 3),
        "share_outside_encoder_cpu": round(run["share_outside_encode_cpu"], 3),
        "statuses": statuses,
        "short_rows": len(short), "short_rows_per_s": round(short_rate, 1),
        "short_encoder_alone_s": round(run_short["encoder_alone_seconds"], 2),
        "short_share_outside_encoder": round(run_short["share_outside_encode_wall"], 3),
        "short_share_outside_encoder_cpu": round(run_short["share_outside_encode_cpu"], 3),
    }
    print(f"model {finder.encoder.name}; survey rows: {len(df):,} ({statuses}); "
          f"finder loaded in {load:.1f} s")
    print(f"{'method':<28}{'rows/s':>10}")
    print(f"{'recommend() loop':<28}{loop_rate:>10.1f}")
    print(f"{'score_frame':<28}{batch_rate:>10.1f}   ({batch_rate / loop_rate:.2f}x the loop)")
    print(f"score_frame: {batch_seconds:.1f} s; its {run['texts']:,} texts take "
          f"{run['encoder_alone_seconds']:.1f} s to encode on their own "
          f"({run['share_outside_encode_wall']:.0%} of the wall time outside the encoder, "
          f"{run['share_outside_encode_cpu']:.0%} of the CPU time)")
    print(f"{'score_frame, short answers':<28}{short_rate:>10.1f}   ({len(short):,} rows; "
          f"{run_short['share_outside_encode_wall']:.0%} of the wall time outside the encoder)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "batch.json" if args.precision is None else f"batch-{args.precision}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
