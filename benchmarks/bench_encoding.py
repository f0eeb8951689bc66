"""Benchmark the text encoders: int8 ONNX (onnxruntime) against sentence-transformers on torch.

Measures, for each backend and in the same run: cold import + load time (fresh subprocess),
single short text latency (p50), throughput on 2,000 short texts, and the cosine between the
two backends' vectors; also the time of the first-use ONNX export. Each backend runs in its own
subprocess so that torch's OpenMP threads cannot slow down onnxruntime or vice versa.

    python benchmarks/bench_encoding.py [--texts 2000] [--rounds 2] [--repeats 2] [--out FILE]

Writes a table to stdout and JSON to benchmarks/results/encoding.json. Nothing touches the
user's cache: the export goes to a temporary cache folder that is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "encoding.json"

_VOCAB_TEXT = (
    "analyze data design build repair engines teach students care for patients write reports "
    "manage teams plan budgets cook meals drive trucks paint houses inspect bridges develop "
    "software sell products counsel clients grow crops fly aircraft test samples draw plans "
    "assemble parts clean equipment monitor systems negotiate contracts research diseases "
    "I love working outdoors with animals and people in a creative team"
)
_VOCAB = _VOCAB_TEXT.split()


def short_texts(n: int, seed: int = 0) -> list[str]:
    """Deterministic short texts of 4-24 words, like O*NET task statements or user answers."""
    import random

    rng = random.Random(seed)
    return [
        " ".join(rng.choice(_VOCAB) for _ in range(rng.randint(4, 24))).capitalize() + "."
        for _ in range(n)
    ]


# --------------------------------------------------------------------------------------------
# Workers (run in subprocesses)
# --------------------------------------------------------------------------------------------

_IMPORT_SNIPPET = """
import json, sys, time
t0 = time.perf_counter()
from passionfinder._encoding import load_encoder
t1 = time.perf_counter()
enc = load_encoder(backend={backend!r}, cache_home={cache!r})
t2 = time.perf_counter()
enc.encode(["warm up the model"])
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "load_s": t2 - t1, "first_encode_s": t3 - t2,
                  "torch_imported": "torch" in sys.modules}}))
"""


def _cold_start(backend: str, cache: str) -> dict[str, Any]:
    """A fresh interpreter: import, load (cached export) and first encode."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_SNIPPET.format(backend=backend, cache=cache)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    record: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    record["process_s"] = time.perf_counter() - started
    return record


def _combine(cold: list[dict[str, Any]], warm: list[dict[str, Any]]) -> dict[str, Any]:
    rates = [r for run in warm for r in run["rates"]]
    return {
        "name": warm[0]["name"],
        "import_s": min(r["import_s"] for r in cold),
        "load_s": min(r["load_s"] for r in cold),
        "import_load_s": min(r["import_s"] + r["load_s"] for r in cold),
        "first_encode_s": min(r["first_encode_s"] for r in cold),
        "process_s": min(r["process_s"] for r in cold),
        "torch_imported": any(r["torch_imported"] for r in cold),
        "latency_p50_ms": min(r["latency_p50_ms"] for r in warm),
        "latency_p90_ms": min(r["latency_p90_ms"] for r in warm),
        "throughput_best": max(rates),
        "throughput_median": statistics.median(rates),
        "cpu_ms_per_text": min(r["cpu_ms_per_text"] for r in warm),
        "threads": warm[0]["threads"],
    }


def worker(backend: str, cache: str, n_texts: int, repeats: int, emb_out: str) -> dict[str, Any]:
    import numpy as np

    from passionfinder._encoding import load_encoder

    enc = load_encoder(backend=backend, cache_home=cache)
    texts = short_texts(n_texts)
    singles = short_texts(300, seed=1)
    enc.encode(texts[:128])  # warm-up: allocator, kernels, thread pools
    for t in singles[:20]:
        enc.encode([t])

    latencies = []
    for t in singles[20:]:
        started = time.perf_counter()
        enc.encode([t])
        latencies.append(time.perf_counter() - started)

    rates, cpu_ms = [], []
    emb = None
    for _ in range(repeats):
        started, cpu0 = time.perf_counter(), time.process_time()
        emb = enc.encode(texts, batch_size=64, show_progress=False)
        wall = time.perf_counter() - started
        rates.append(n_texts / wall)
        cpu_ms.append((time.process_time() - cpu0) / n_texts * 1e3)
    assert emb is not None
    np.save(emb_out, emb)
    lat = np.array(latencies) * 1e3
    return {
        "name": enc.name,
        "latency_p50_ms": float(np.percentile(lat, 50)),
        "latency_p90_ms": float(np.percentile(lat, 90)),
        "rates": rates,
        "cpu_ms_per_text": min(cpu_ms),
        "threads": _threads(backend),
    }


def _threads(backend: str) -> int | None:
    if backend == "torch":
        import torch

        return int(torch.get_num_threads())
    return None  # onnxruntime default: one intra-op thread per physical core


def _run_worker(backend: str, cache: str, args: argparse.Namespace, emb_out: str) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            backend,
            "--cache",
            cache,
            "--texts",
            str(args.texts),
            "--repeats",
            str(args.repeats),
            "--emb-out",
            emb_out,
        ],
        capture_output=True,
        check=False,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the {backend} worker failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def _export(cache: str) -> dict[str, Any]:
    code = (
        "import json, time; t = time.perf_counter()\n"
        "from passionfinder._encoding import load_encoder\n"
        f"enc = load_encoder(cache_home={cache!r})\n"
        "info = {'export_total_s': time.perf_counter() - t, 'dir': str(enc.model_dir)}\n"
        "print(json.dumps(info))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    info = json.loads(out.stdout.strip().splitlines()[-1])
    manifest = json.loads((Path(info["dir"]) / "manifest.json").read_text())
    return {
        "export_total_s": info["export_total_s"],  # incl. importing torch/transformers
        "export_s": manifest["export_seconds"],
        "model_mb": (Path(info["dir"]) / "model.onnx").stat().st_size / 1e6,
        "check": manifest["check"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000, help="texts in the throughput test")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per backend")
    parser.add_argument("--repeats", type=int, default=2, help="throughput runs per round")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON output file")
    parser.add_argument("--worker", choices=["onnx", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--emb-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, args.cache, args.texts, args.repeats, args.emb_out)))
        return 0

    import numpy as np

    started = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="pf-bench-") as tmp:
        cache = str(Path(tmp) / "cache")
        print("exporting the int8 ONNX model (first use)...", file=sys.stderr)
        export = _export(cache)
        # Backends alternate, round after round, so that load from other processes on the
        # machine hits both alike; every figure is the best round's.
        cold_runs: dict[str, list[dict[str, Any]]] = {"onnx": [], "torch": []}
        warm_runs: dict[str, list[dict[str, Any]]] = {"onnx": [], "torch": []}
        for rnd in range(args.rounds):
            for backend in ("onnx", "torch"):
                print(f"round {rnd + 1}/{args.rounds}: {backend}...", file=sys.stderr)
                cold_runs[backend].append(_cold_start(backend, cache))
                warm_runs[backend].append(
                    _run_worker(backend, cache, args, str(Path(tmp) / f"{backend}.npy"))
                )
        results = {b: _combine(cold_runs[b], warm_runs[b]) for b in ("onnx", "torch")}
        a, b = np.load(Path(tmp) / "onnx.npy"), np.load(Path(tmp) / "torch.npy")
        cos = (a * b).sum(axis=1)

    o, t = results["onnx"], results["torch"]
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_before": load_before,
            "loadavg_after": os.getloadavg(),
        },
        "n_texts": args.texts,
        "rounds": args.rounds,
        "repeats": args.repeats,
        "export": export,
        "onnx": o,
        "torch": t,
        "cosine_onnx_vs_torch": {"mean": float(cos.mean()), "min": float(cos.min())},
        "speedup": {
            "import_and_load": t["import_load_s"] / o["import_load_s"],
            "cold_start": t["process_s"] / o["process_s"],
            "latency_p50": t["latency_p50_ms"] / o["latency_p50_ms"],
            "throughput": o["throughput_best"] / t["throughput_best"],
        },
        "total_s": time.perf_counter() - started,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")

    rows = [
        (
            "import + load_encoder, cached export (s)",
            o["import_load_s"],
            t["import_load_s"],
            "{:.2f}",
        ),
        ("cold process: start+import+load+1 text (s)", o["process_s"], t["process_s"], "{:.2f}"),
        ("latency p50, 1 short text (ms)", o["latency_p50_ms"], t["latency_p50_ms"], "{:.2f}"),
        ("latency p90, 1 short text (ms)", o["latency_p90_ms"], t["latency_p90_ms"], "{:.2f}"),
        (
            f"throughput, {args.texts} texts, best (texts/s)",
            o["throughput_best"],
            t["throughput_best"],
            "{:.0f}",
        ),
        (
            f"throughput, {args.texts} texts, median (texts/s)",
            o["throughput_median"],
            t["throughput_median"],
            "{:.0f}",
        ),
        ("CPU time per text (ms)", o["cpu_ms_per_text"], t["cpu_ms_per_text"], "{:.2f}"),
    ]
    print(f"\n{'':46s} {'onnx-int8':>10s} {'torch':>10s} {'ratio':>7s}")
    for label, ov, tv, fmt in rows:
        better_low = "texts/s" not in label
        ratio = tv / ov if better_low else ov / tv
        print(f"{label:46s} {fmt.format(ov):>10s} {fmt.format(tv):>10s} {ratio:6.1f}x")
    print(
        f"\nfirst-use export: {export['export_s']:.1f} s ({export['export_total_s']:.1f} s with "
        f"imports), model {export['model_mb']:.1f} MB"
    )
    print(
        f"cosine onnx-int8 vs torch fp32 on {args.texts} texts: "
        f"mean {cos.mean():.4f}, min {cos.min():.4f}"
    )
    print(f"torch imported on the onnx path: {o['torch_imported']}")
    print(
        f"load average before/after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} CPUs (other processes skew timings)"
    )
    print(f"total {report['total_s']:.0f} s; JSON written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
