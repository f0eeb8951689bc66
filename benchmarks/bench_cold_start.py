"""Cold start: how fast the first answer comes, each measurement in a fresh process, on a warm
cache (the model export, catalog, index and step facts already built).

Measured (median of --runs fresh processes each):

- numpy read: ``import numpy`` and ``np.load`` of every file of the embedding index in use
  (the floor: the data any finder has to read);
- ``PassionFinder()``: ``import passionfinder`` and the constructor;
- the first ``recommend`` in that process, and a warm one (a second, different profile);
- the CLI: ``passionfinder recommend --interests ... --strengths ... --values ...``, wall time
  of the whole process (interpreter start, imports, finder, answer, printed report).

and reported as three ratios to baselines measured in the same run:

- first recommend / warm recommend (goal <= 3);
- PassionFinder() / numpy read (goal <= 2);
- CLI / (PassionFinder() + warm recommend) (goal <= 1.5).

Times inside a process are from before its first import to the end of the step, so both
sides of a ratio pay for their own imports; the interpreter's own start (tens of ms) is in
the CLI figure only.

Run: python benchmarks/bench_cold_start.py [--runs 5] [--out benchmarks/results/cold_start.json]
(with PASSIONFINDER_DATA / PASSIONFINDER_CACHE set as for any run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

PROFILE = {"interests": "I love fixing old bikes and spending the day outdoors",
           "strengths": "patient, good with my hands", "values": "independence, variety"}
SECOND = {"interests": "I enjoy teaching kids to swim and organising summer camps",
          "strengths": "calm under pressure, a good listener", "values": "helping others"}

_INDEX_FOLDER = """
import hashlib, json, warnings
warnings.simplefilter("ignore")
import passionfinder as pf
from passionfinder._config import get_cache_home
from passionfinder._index import INDEX_VERSION
finder = pf.PassionFinder()  # builds whatever is missing, so the cache is warm
finder.recommend(pf.Profile(**PROFILE), k=5)
key = hashlib.sha256(f"{finder.catalog.fingerprint}|{finder.encoder.name}|{INDEX_VERSION}"
                     .encode()).hexdigest()[:16]
print(json.dumps(str(get_cache_home() / "index" / key)))
"""

_NUMPY_READ = """
import time
start = time.perf_counter()
import numpy as np
from pathlib import Path
for path in sorted(Path(FOLDER).glob("*.npy")):
    np.load(path, allow_pickle=False)
print(json.dumps({"numpy_read": time.perf_counter() - start}))
"""

_FINDER = """
import time, warnings
warnings.simplefilter("ignore")
start = time.perf_counter()
import passionfinder as pf
finder = pf.PassionFinder()
built = time.perf_counter()
finder.recommend(pf.Profile(**PROFILE), k=5)
first = time.perf_counter()
finder.recommend(pf.Profile(**SECOND), k=5)
warm = time.perf_counter()
print(json.dumps({"init": built - start, "first": first - built, "warm": warm - first}))
"""


def _child(code: str, **names: object) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last."""
    header = "import json\n" + "".join(f"{k} = {v!r}\n" for k, v in names.items())
    out = subprocess.run([sys.executable, "-c", header + textwrap.dedent(code)], check=True,
                         capture_output=True, text=True, env=os.environ.copy())
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cli_seconds(profile: dict) -> float:
    args = [sys.executable, "-m", "passionfinder.cli", "recommend", "-k", "5"]
    for field, text in profile.items():
        args += [f"--{field}", text]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=os.environ.copy())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here too")
    args = parser.parse_args()

    folder = _child(_INDEX_FOLDER, PROFILE=PROFILE)
    size = sum(p.stat().st_size for p in Path(folder).glob("*.npy"))
    samples: dict[str, list[float]] = {"numpy_read": [], "init": [], "first": [], "warm": [],
                                       "cli": []}
    for _ in range(args.runs):  # interleaved, so a busy moment hits every measurement alike
        samples["numpy_read"].append(_child(_NUMPY_READ, FOLDER=folder)["numpy_read"])
        for key, value in _child(_FINDER, PROFILE=PROFILE, SECOND=SECOND).items():
            samples[key].append(value)
        samples["cli"].append(_cli_seconds(PROFILE))
    median = {key: statistics.median(values) for key, values in samples.items()}
    ratios = {
        "first / warm recommend": (median["first"] / median["warm"], 3.0),
        "PassionFinder() / numpy read": (median["init"] / median["numpy_read"], 2.0),
        "CLI / (PassionFinder() + warm recommend)":
            (median["cli"] / (median["init"] + median["warm"]), 1.5),
    }
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; index {size / 1e6:.0f} MB; median of {args.runs} "
          "fresh processes each")
    names = {"numpy_read": "numpy read of the index", "init": "PassionFinder()",
             "first": "first recommend", "warm": "warm recommend",
             "cli": "CLI recommend, whole process"}
    for key, label in names.items():
        spread = f"{min(samples[key]):.3f}-{max(samples[key]):.3f}"
        print(f"  {label:<30} {median[key]:7.3f} s   (range {spread})")
    for label, (value, goal) in ratios.items():
        verdict = "meets" if value <= goal else "misses"
        print(f"  {label:<42} {value:5.2f}  ({verdict} the goal <= {goal})")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({
            "runs": args.runs, "cores": os.cpu_count(), "index_bytes": size,
            "samples": samples, "median": median,
            "ratios": {k: v for k, (v, _) in ratios.items()}}, indent=2))


if __name__ == "__main__":
    main()
