"""Peak memory of PassionFinder.score_file against the length of the input: each size runs in
a fresh process, which reports its peak resident memory (ru_maxrss).

    python benchmarks/bench_batch_memory.py                    # 10,000 and 100,000 rows
    python benchmarks/bench_batch_memory.py --rows 10000 1000000

The input repeats data/sample_survey.csv (360 answers) with a distinct id per row, so the run
time stays short while the file, the number of chunks and the output grow with the rows.
Writes benchmarks/results/batch_memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

CHILD = """
import resource, sys, time, warnings
warnings.simplefilter("ignore")
import passionfinder as pf
finder = pf.PassionFinder(show_progress=False)
start = time.perf_counter()
summary = finder.score_file(sys.argv[1], sys.argv[2], interests="interests",
                            strengths="strengths", values="values", id="respondent_id", k=5,
                            show_progress=False)
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{summary.rows} {seconds:.2f} {peak_mb:.1f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    survey = pd.read_csv(ROOT / "data" / "sample_survey.csv", dtype=str)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.rows:
            reps = -(-n // len(survey))
            frame = pd.concat([survey] * reps, ignore_index=True).iloc[:n].copy()
            frame["respondent_id"] = [f"R{i:07d}" for i in range(n)]
            source, output = Path(tmp) / f"survey-{n}.csv", Path(tmp) / f"scored-{n}.parquet"
            frame.to_csv(source, index=False)
            del frame
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, str(source), str(output)],
                                 capture_output=True, text=True, check=True,
                                 env={**os.environ, "HF_HUB_OFFLINE": "1"})
            rows, seconds, peak = out.stdout.split()
            results.append({"rows": int(rows), "input_mb": round(source.stat().st_size / 2**20, 1),
                            "output_mb": round(output.stat().st_size / 2**20, 1),
                            "score_seconds": float(seconds), "peak_rss_mb": float(peak),
                            "wall_seconds": round(time.perf_counter() - start, 1)})
            print(f"{n:>10,} rows: input {results[-1]['input_mb']} MB, output "
                  f"{results[-1]['output_mb']} MB, peak memory {float(peak):,.0f} MB, "
                  f"{float(seconds):.1f} s")
    base = results[0]["peak_rss_mb"]
    for r in results:
        r["peak_vs_first"] = round(r["peak_rss_mb"] / base, 3)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "batch_memory.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
