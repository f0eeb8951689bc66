"""Benchmark the text encoders: fp32 and int8 ONNX (onnxruntime) against sentence-transformers on torch.

Three variants of all-MiniLM-L6-v2 are measured in the same run:

* ``onnx-fp32``: ``load_encoder()``, the default (fp32 ONNX export);
* ``onnx-int8``: ``load_encoder(precision="int8")``, the dynamically quantised export;
* ``torch``: ``load_encoder(backend="torch")``, sentence-transformers on torch, the baseline.

For each: import + load time and a whole cold start in a fresh process (and whether torch got
imported), single short text latency (p50, p90), throughput on 2,000 short texts, CPU time per
text; for the ONNX variants also the cosine of their vectors to torch's on those texts, and the
first-use export. "Batch independence" is the largest absolute difference between a text's
vector encoded alone and encoded in one batch with 49 others (50 texts): 0 means a text gets the
same vector whatever is encoded with it (expected for fp32; int8 quantises activations per batch,
so it is not 0 there). Each variant runs in its own subprocesses, and the variants alternate
round after round, so that torch's OpenMP threads cannot slow down onnxruntime or vice versa.

    python benchmarks/bench_encoding.py [--texts 2000] [--rounds 2] [--repeats 2]
                                        [--cache-home DIR] [--out FILE]

Writes a table to stdout and JSON (one entry per variant) to benchmarks/results/encoding.json.
Without --cache-home nothing touches the user's cache: the exports go to a temporary cache
folder that is deleted at the end; with it, exports already in DIR are reused (and new ones
kept there), so the export times are then those recorded when they were built.
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

# variant -> load_encoder arguments; torch, the baseline, comes last.
VARIANTS: dict[str, dict[str, str]] = {
    "onnx-fp32": {"backend": "onnx", "precision": "fp32"},
    "onnx-int8": {"backend": "onnx", "precision": "int8"},
    "torch": {"backend": "torch", "precision": "fp32"},
}
ONNX_VARIANTS = tuple(v for v in VARIANTS if VARIANTS[v]["backend"] == "onnx")
BATCH_CHECK_TEXTS = 50

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
from passionfinder._model.load import load_encoder
t1 = time.perf_counter()
enc = load_encoder(backend={backend!r}, precision={precision!r}, cache_home={cache!r})
t2 = time.perf_counter()
enc.encode(["warm up the model"])
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "load_s": t2 - t1, "first_encode_s": t3 - t2,
                  "torch_imported": "torch" in sys.modules}}))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1"}


def _cold_start(variant: str, cache: str) -> dict[str, Any]:
    """A fresh interpreter: import, load (cached export) and first encode."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_SNIPPET.format(cache=cache, **VARIANTS[variant])],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
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
        # Deterministic for a given machine; the last round's is kept.
        "batch_independence": warm[-1]["batch_independence"],
    }


def _batch_independence(enc: Any) -> dict[str, Any]:
    """Each of 50 texts encoded alone against all 50 encoded in one batch."""
    import numpy as np

    texts = short_texts(BATCH_CHECK_TEXTS, seed=2)
    alone = np.vstack([enc.encode([t], show_progress=False) for t in texts])
    together = enc.encode(texts, batch_size=len(texts), show_progress=False)
    diff = np.abs(alone - together)
    return {
        "n_texts": len(texts),
        "max_abs_diff": float(diff.max()),
        "texts_differing": int((diff.max(axis=1) > 0).sum()),
        "min_cosine": float((alone * together).sum(axis=1).min()),
    }


def worker(variant: str, cache: str, n_texts: int, repeats: int, emb_out: str) -> dict[str, Any]:
    import numpy as np

    from passionfinder._model.load import load_encoder

    enc = load_encoder(cache_home=cache, **VARIANTS[variant])
    # Guard against measuring one variant under another's label.
    expected = f"/{variant}" if variant != "torch" else "/torch"
    if expected not in enc.name:
        raise SystemExit(f"variant {variant!r} loaded the encoder {enc.name!r}")
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
        "threads": _threads(variant),
        "batch_independence": _batch_independence(enc),
    }


def _threads(variant: str) -> int | None:
    if VARIANTS[variant]["backend"] == "torch":
        import torch

        return int(torch.get_num_threads())
    return None  # onnxruntime default: one intra-op thread per physical core


def _run_worker(variant: str, cache: str, args: argparse.Namespace, emb_out: str) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            variant,
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
        env=_env(),
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the {variant} worker failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------

_EXPORT_SNIPPET = """
import json, time
from pathlib import Path
models = Path({cache!r}) / "models"
before = {{p.name for p in models.iterdir()}} if models.is_dir() else set()
t = time.perf_counter()
from passionfinder._model.load import load_encoder
enc = load_encoder(precision={precision!r}, cache_home={cache!r})
print(json.dumps({{"export_total_s": time.perf_counter() - t, "dir": str(enc.model_dir),
                  "built_now": enc.model_dir.name not in before}}))
"""


def _export(cache: str, precision: str) -> dict[str, Any]:
    """Build (or find) the ONNX export of one precision in ``cache``."""
    out = subprocess.run(
        [sys.executable, "-c", _EXPORT_SNIPPET.format(cache=cache, precision=precision)],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    )
    info = json.loads(out.stdout.strip().splitlines()[-1])
    manifest = json.loads((Path(info["dir"]) / "manifest.json").read_text())
    return {
        "built_now": info["built_now"],  # False: reused from --cache-home
        # import + the whole load_encoder call; only when built_now
        "export_total_s": info["export_total_s"] if info["built_now"] else None,
        "export_s": manifest["export_seconds"],  # as recorded when it was built
        "model_mb": (Path(info["dir"]) / "model.onnx").stat().st_size / 1e6,
        "check": manifest["check"],
    }


def _cosine(a: Any, b: Any) -> dict[str, float]:
    cos = (a * b).sum(axis=1)
    return {"mean": float(cos.mean()), "min": float(cos.min())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000, help="texts in the throughput test")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per variant")
    parser.add_argument("--repeats", type=int, default=2, help="throughput runs per round")
    parser.add_argument(
        "--cache-home",
        type=Path,
        default=None,
        help="cache folder whose ONNX exports are reused (and kept); default: a temporary one",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON output file")
    parser.add_argument("--worker", choices=list(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--emb-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, args.cache, args.texts, args.repeats, args.emb_out)))
        return 0

    import numpy as np

    started = time.perf_counter()
    load_before = os.getloadavg()
    names = list(VARIANTS)
    with tempfile.TemporaryDirectory(prefix="pf-bench-") as tmp:
        cache = str(args.cache_home.resolve()) if args.cache_home else str(Path(tmp) / "cache")
        exports = {}
        for variant in ONNX_VARIANTS:
            print(f"{variant}: export (first use)...", file=sys.stderr)
            exports[variant] = _export(cache, VARIANTS[variant]["precision"])
        # Variants alternate, round after round (the order rotating), so that load from other
        # processes on the machine hits them alike; every figure is the best round's.
        cold_runs: dict[str, list[dict[str, Any]]] = {v: [] for v in names}
        warm_runs: dict[str, list[dict[str, Any]]] = {v: [] for v in names}
        for rnd in range(args.rounds):
            shift = rnd % len(names)
            for variant in names[shift:] + names[:shift]:
                print(f"round {rnd + 1}/{args.rounds}: {variant}...", file=sys.stderr)
                cold_runs[variant].append(_cold_start(variant, cache))
                warm_runs[variant].append(
                    _run_worker(variant, cache, args, str(Path(tmp) / f"{variant}.npy"))
                )
        results = {v: _combine(cold_runs[v], warm_runs[v]) for v in names}
        emb = {v: np.load(Path(tmp) / f"{v}.npy") for v in names}

    t = results["torch"]
    variants_out: dict[str, Any] = {}
    for v in names:
        r = results[v]
        entry: dict[str, Any] = {**VARIANTS[v], **r}
        if v in ONNX_VARIANTS:
            entry["export"] = exports[v]
            entry["cosine_vs_torch"] = _cosine(emb[v], emb["torch"])
            entry["speedup_vs_torch"] = {
                "import_and_load": t["import_load_s"] / r["import_load_s"],
                "cold_start": t["process_s"] / r["process_s"],
                "latency_p50": t["latency_p50_ms"] / r["latency_p50_ms"],
                "latency_p90": t["latency_p90_ms"] / r["latency_p90_ms"],
                "throughput": r["throughput_best"] / t["throughput_best"],
                "throughput_median": r["throughput_median"] / t["throughput_median"],
                "cpu_per_text": t["cpu_ms_per_text"] / r["cpu_ms_per_text"],
            }
        variants_out[v] = entry
    cos_int8_fp32 = _cosine(emb["onnx-int8"], emb["onnx-fp32"])
    load_after = os.getloadavg()
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_before": load_before,
            "loadavg_after": load_after,
        },
        "settings": {
            "n_texts": args.texts,
            "rounds": args.rounds,
            "repeats": args.repeats,
            "batch_independence_texts": BATCH_CHECK_TEXTS,
            "cache": str(args.cache_home) if args.cache_home else "temporary",
        },
        "baseline": "torch",
        "variants": variants_out,
        "cosine_onnx_int8_vs_onnx_fp32": cos_int8_fp32,
        "total_s": time.perf_counter() - started,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")

    # label, metric key, format, lower is better
    rows = [
        ("import + load_encoder, cached export (s)", "import_load_s", "{:.2f}", True),
        ("cold process: start+import+load+1 text (s)", "process_s", "{:.2f}", True),
        ("latency p50, 1 short text (ms)", "latency_p50_ms", "{:.2f}", True),
        ("latency p90, 1 short text (ms)", "latency_p90_ms", "{:.2f}", True),
        (f"throughput, {args.texts} texts, best (texts/s)", "throughput_best", "{:.0f}", False),
        (f"throughput, {args.texts} texts, median (texts/s)", "throughput_median", "{:.0f}", False),
        ("CPU time per text (ms)", "cpu_ms_per_text", "{:.2f}", True),
    ]
    ratio_heads = "".join(f" {v.removeprefix('onnx-') + ' x':>7s}" for v in ONNX_VARIANTS)
    print(f"\n{'':46s}" + "".join(f" {v:>10s}" for v in names) + ratio_heads)
    for label, key, fmt, lower_better in rows:
        cells = "".join(f" {fmt.format(results[v][key]):>10s}" for v in names)
        ratios = ""
        for v in ONNX_VARIANTS:
            ov, tv = results[v][key], t[key]
            ratios += f" {(tv / ov if lower_better else ov / tv):6.2f}x"
        print(f"{label:46s}{cells}{ratios}")
    print("(x: speed-up of the ONNX variant over torch; above 1 is faster)")
    print()
    for v in ONNX_VARIANTS:
        ex = exports[v]
        how = (
            f"{ex['export_s']:.1f} s ({ex['export_total_s']:.1f} s import + load_encoder)"
            if ex["built_now"]
            else f"reused from the cache (took {ex['export_s']:.1f} s when built)"
        )
        print(f"{v} first-use export: {how}, model {ex['model_mb']:.1f} MB")
    for v in ONNX_VARIANTS:
        c = variants_out[v]["cosine_vs_torch"]
        print(
            f"cosine {v} vs torch fp32 on {args.texts} texts: mean {c['mean']:.6f}, "
            f"min {c['min']:.6f}"
        )
    print(
        f"cosine onnx-int8 vs onnx-fp32 on {args.texts} texts: mean {cos_int8_fp32['mean']:.6f}, "
        f"min {cos_int8_fp32['min']:.6f}"
    )
    print(
        f"batch independence ({BATCH_CHECK_TEXTS} texts each encoded alone vs all in one batch; "
        "max abs difference, texts that differ, min cosine):"
    )
    for v in names:
        b = results[v]["batch_independence"]
        print(
            f"  {v:10s} {b['max_abs_diff']:.3g}  ({b['texts_differing']}/{b['n_texts']} texts, "
            f"min cosine {b['min_cosine']:.6f})"
        )
    imported = ", ".join(f"{v} {results[v]['torch_imported']}" for v in ONNX_VARIANTS)
    print(f"torch imported on the onnx paths: {imported}")
    print(
        f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} "
        f"on {os.cpu_count()} CPUs (other processes skew timings)"
    )
    print(f"total {report['total_s']:.0f} s; JSON written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
