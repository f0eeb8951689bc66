"""Cold start: how fast the first answer comes, each measurement in a fresh process, on a warm
cache (the model export, catalog, index and step facts already built).

Measured (median of --runs fresh processes each):

- numpy read: ``import numpy`` and ``np.load`` of every file of the embedding index in use, read
  whole (the files the index's manifest lists, .npy or not: the data a finder could have to
  read; the finder itself maps them and reads the pages it uses);
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
the CLI figure only. Each figure is also taken as CPU time (user + system) of the process:
on a shared machine, wall time swings with what else runs, CPU time much less.

passionfinder's own modules are compiled to bytecode first (``compileall``), as a wheel
install has them; numpy's are already, and an interpreter run with PYTHONDONTWRITEBYTECODE
would otherwise compile passionfinder from source in every fresh process.

Run: python benchmarks/bench_cold_start.py [--runs 5] [--out benchmarks/results/cold_start.json]
(with PASSIONFINDER_DATA / PASSIONFINDER_CACHE set as for any run).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import resource
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

_INDEX_FILES = """
import warnings
warnings.simplefilter("ignore")
import passionfinder as pf
from passionfinder._config import get_cache_home
from passionfinder._index import index_key
finder = pf.PassionFinder()  # builds whatever is missing, so the cache is warm
finder.recommend(pf.Profile(**PROFILE), k=5)
folder = get_cache_home() / "index" / index_key(finder.catalog.fingerprint, finder.encoder.name)
files = json.loads((folder / "manifest.json").read_text())["files"]
print(json.dumps([str(folder / name) for name in sorted(files)]))
"""

_NUMPY_READ = """
import time
start, cpu = time.perf_counter(), time.process_time()
import numpy as np
for path in FILES:
    if path.endswith(".npy"):
        np.load(path, allow_pickle=False)
    else:
        with open(path, "rb") as fh:
            fh.read()
print(json.dumps({"numpy_read": time.perf_counter() - start,
                  "numpy_read_cpu": time.process_time() - cpu}))
"""

_FINDER = """
import time, warnings
warnings.simplefilter("ignore")
clock = lambda: (time.perf_counter(), time.process_time())
start = clock()
import passionfinder as pf
finder = pf.PassionFinder()
built = clock()
finder.recommend(pf.Profile(**PROFILE), k=5)
first = clock()
finder.recommend(pf.Profile(**SECOND), k=5)
warm = clock()
out = {}
for name, (a, b) in {"init": (start, built), "first": (built, first), "warm": (first, warm)}.items():
    out[name], out[name + "_cpu"] = b[0] - a[0], b[1] - a[1]
print(json.dumps(out))
"""


def _child(code: str, **names: object) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last."""
    header = "import json\n" + "".join(f"{k} = {v!r}\n" for k, v in names.items())
    out = subprocess.run([sys.executable, "-c", header + textwrap.dedent(code)], check=True,
                         capture_output=True, text=True, env=os.environ.copy())
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cli_seconds(profile: dict) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one whole CLI process."""
    args = [sys.executable, "-m", "passionfinder.cli", "recommend", "-k", "5"]
    for field, text in profile.items():
        args += [f"--{field}", text]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=os.environ.copy())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _compile_package() -> None:
    """Bytecode for passionfinder's modules, as a wheel install has it (see the docstring)."""
    spec = importlib.util.find_spec("passionfinder")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here too")
    args = parser.parse_args()

    _compile_package()
    files = _child(_INDEX_FILES, PROFILE=PROFILE)
    size = sum(Path(f).stat().st_size for f in files)
    names = {"numpy_read": "numpy read of the index", "init": "PassionFinder()",
             "first": "first recommend", "warm": "warm recommend",
             "cli": "CLI recommend, whole process"}
    samples: dict[str, list[float]] = {f"{k}{cpu}": [] for k in names for cpu in ("", "_cpu")}
    for _ in range(args.runs):  # interleaved, so a busy moment hits every measurement alike
        for key, value in _child(_NUMPY_READ, FILES=files).items():
            samples[key].append(value)
        for key, value in _child(_FINDER, PROFILE=PROFILE, SECOND=SECOND).items():
            samples[key].append(value)
        wall, cpu = _cli_seconds(PROFILE)
        samples["cli"].append(wall)
        samples["cli_cpu"].append(cpu)
    median = {key: statistics.median(values) for key, values in samples.items()}

    def ratios(cpu: str) -> dict[str, tuple[float, float]]:
        m = {key: median[f"{key}{cpu}"] for key in names}
        return {"first / warm recommend": (m["first"] / m["warm"], 3.0),
                "PassionFinder() / numpy read": (m["init"] / m["numpy_read"], 2.0),
                "CLI / (PassionFinder() + warm recommend)":
                    (m["cli"] / (m["init"] + m["warm"]), 1.5)}

    wall_ratios, cpu_ratios = ratios(""), ratios("_cpu")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; index {size / 1e6:.0f} MB in {len(files)} files; "
          f"median of {args.runs} fresh processes each")
    print(f"  {'':<30} {'wall':>8}   {'(range)':<15} {'CPU':>7}")
    for key, label in names.items():
        spread = f"{min(samples[key]):.3f}-{max(samples[key]):.3f}"
        print(f"  {label:<30} {median[key]:7.3f} s ({spread}) {median[key + '_cpu']:7.3f} s")
    print(f"  {'ratio':<42} {'wall':>5}  {'CPU':>5}")
    for label, (value, goal) in wall_ratios.items():
        verdict = "meets" if value <= goal else "misses"
        print(f"  {label:<42} {value:5.2f}  {cpu_ratios[label][0]:5.2f}  "
              f"({verdict} the goal <= {goal} in wall time)")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({
            "runs": args.runs, "cores": os.cpu_count(), "index_bytes": size,
            "samples": samples, "median": median,
            "ratios": {k: v for k, (v, _) in wall_ratios.items()},
            "cpu_ratios": {k: v for k, (v, _) in cpu_ratios.items()}}, indent=2))


if __name__ == "__main__":
    main()
