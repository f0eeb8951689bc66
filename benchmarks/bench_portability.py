"""Portability: how far vectors, lists and result bytes depend on the machine they come from.

Everything is measured in one run, on the machine it runs on:

1. **Quality cost of int8.** Cosine of int8 vectors to the fp32 ONNX model's, mean and min, on
   ``--texts`` texts (the interests of data/eval_profiles.jsonl, then O*NET task statements and
   occupation titles of the real catalog, sampled with a fixed seed), for two int8 exports:
   8-bit weights (``quantize_dynamic(per_channel=True)``, the export before recipe 2) and 7-bit
   weights (``reduce_range=True``, the shipped export, recipe 2). The 8-bit model is quantised
   here from the cached fp32 export with the shipped recipe's arguments except
   ``reduce_range``; quantising it again with ``reduce_range=True`` is checked to give the
   shipped model's weights exactly.
2. **CPU dependence.** A CPU whose int8 kernel sums the u8 x s8 products exactly (VNNI; or any
   CPU once the weights are 7-bit, so that no pair sum can saturate int16 in the AVX2 kernel)
   computes what the ONNX reference implementation computes (``onnx.reference``, in numpy:
   exact int32 products, float32 elsewhere). On ``--reference-texts`` of the texts, onnxruntime
   on this machine is compared with the reference for the fp32, 8-bit and 7-bit models: mean
   and min cosine and the largest absolute difference of the vectors, and the share of texts
   whose vectors on the grid of passionfinder/_exact.py (what the finder ranks with) are
   identical. onnxruntime runs twice: with the library's own sessions (all graph
   optimisations, ``ORT_ENABLE_ALL``, which fuse the int8 MatMuls into onnxruntime's own
   kernels) and with graph optimisations off (``ORT_DISABLE_ALL``, one thread).
   Whether onnxruntime's integer arithmetic on this CPU is exact is checked directly too:
   every MatMulInteger output (graph optimisations off) against the exact product of the
   inputs onnxruntime gave it. Where it is exact, what remains between onnxruntime and the
   reference comes from the float operators (about 1e-7 apart), which the dynamic
   quantisation of the activations before each product turns into one-step differences.
   The reference needs two changes that do not alter a number: the model's opset is raised
   from 17 to 19 (onnx.reference implements DequantizeLinear from opset 19 on; the operators
   the model uses mean the same at 17 and 19 for its types), and MatMulInteger multiplies in
   float64, whose sums of integer products below 2**53 are exact (numpy's int32 product has no
   BLAS and is 20 times slower).
3. **Effect on lists.** The top-10 lists of the labelled profiles (``--profiles`` of them) from
   the real finder with the shipped 7-bit int8 model (and with the fp32 model), once with query
   vectors from onnxruntime and once from the reference (an Encoder whose forward pass is the
   reference), both with the same cached occupation index: share of identical top-10 lists,
   mean overlap@10, share of identical top-1, share of identical ``to_dict()``, and the
   largest score difference of a code in both lists.
4. **Across BLAS kernels.** A fixed set of profiles (recommend_many, recommend one at a time,
   classify) goes through the real finder in child processes with ``OPENBLAS_CORETYPE`` unset,
   ``Prescott``, ``Haswell`` and, on CPUs with AVX-512, ``SkylakeX`` (only kernels the CPU
   supports); the ``to_dict()`` JSON of every child is compared byte for byte with the first's.

The machine's facts (CPU model, whether it has AVX2, AVX-512, AVX-512 VNNI, AVX-VNNI; the BLAS
library and the kernel it picked; versions) are part of the output.

    python benchmarks/bench_portability.py [--texts 300] [--reference-texts 80]
                                           [--profiles 80] [--list-precisions int8,fp32]
                                           [--kernel-profiles 20]
                                           [--data-home DIR] [--cache-home DIR] [--out FILE]

Writes a table to stdout and JSON to benchmarks/results/portability.json (or --out). Uses
the cache of PASSIONFINDER_CACHE (or --cache-home): the first run there exports the fp32 and
int8 models (1-3 minutes each) and builds the int8 and fp32 occupation indexes (several
minutes each on a slow machine); after that the default run takes about 5-10 minutes on a busy
2-core machine, most of it the reference implementation (about 0.2-1 s per int8 text).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_OUT = HERE / "results" / "portability.json"
PROFILES = ROOT / "data" / "eval_profiles.jsonl"
K = 10
#: OpenBLAS kernels tried in part 4, with the CPU flags each needs ("" = OpenBLAS's own pick)
KERNELS: dict[str, tuple[str, ...]] = {
    "": (),
    "Prescott": ("pni",),
    "Haswell": ("avx2", "fma"),
    "SkylakeX": ("avx512f", "avx512bw", "avx512dq", "avx512vl"),
}
#: CPU flags reported (as /proc/cpuinfo spells them)
FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl",
         "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")
#: short texts classified in part 4 (exact ties among them are broken by the tie rule)
CLASSIFY_TEXTS = ("rn", "software developer", "welder", "teacher", "chef")


# --------------------------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------------------------


def cpu_facts() -> dict[str, Any]:
    """CPU model and the instruction sets that decide the int8 and BLAS kernels."""
    model, flags = None, set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model is None:
                model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:  # not Linux: the flags stay unknown
        pass
    lscpu_model = None
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                lscpu_model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return {
        "model_name": lscpu_model or model or platform.processor() or "unknown",
        "logical_cpus": os.cpu_count(),
        "flags": {flag: flag in flags for flag in FLAGS},
        "vnni": "avx512_vnni" in flags or "avx_vnni" in flags,
        "machine": platform.machine(),
    }


def blas_facts() -> list[dict[str, Any]]:
    """The BLAS libraries numpy loaded and the kernel each picked (threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    import numpy  # noqa: F401 - loads its BLAS

    return [{key: info.get(key) for key in ("internal_api", "version", "architecture",
                                            "num_threads")}
            for info in threadpool_info() if info.get("user_api") == "blas"]


def versions() -> dict[str, str]:
    import onnx
    import onnxruntime

    import passionfinder

    return {"python": platform.python_version(), "numpy": np.__version__,
            "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__,
            "passionfinder": getattr(passionfinder, "__version__", "?")}


# --------------------------------------------------------------------------------------------
# Models and encoders
# --------------------------------------------------------------------------------------------


def quantise(fp32_model: Path, out: Path, *, reduce_range: bool) -> None:
    """The int8 export's quantisation (passionfinder._model.export._export_onnx), with the given
    ``reduce_range``: False gives 8-bit weights, True 7-bit ones (the shipped recipe 2)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from passionfinder._model.export import _quiet_quantizer

    with warnings.catch_warnings(), _quiet_quantizer():
        warnings.simplefilter("ignore")
        quantize_dynamic(str(fp32_model), str(out), weight_type=QuantType.QInt8,
                         per_channel=True, reduce_range=reduce_range,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def same_weights(a: Path, b: Path) -> bool:
    """True when two ONNX files hold the same initializers (names and values) and nodes."""
    import onnx
    from onnx import numpy_helper

    ma, mb = onnx.load(str(a)), onnx.load(str(b))
    wa = {t.name: numpy_helper.to_array(t) for t in ma.graph.initializer}
    wb = {t.name: numpy_helper.to_array(t) for t in mb.graph.initializer}
    return (wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)
            and [n.op_type for n in ma.graph.node] == [n.op_type for n in mb.graph.node])


def eight_bit_model(int8_dir: Path, fp32_dir: Path, folder: Path) -> tuple[Path, bool]:
    """A model folder like the shipped int8 one, with 8-bit weights quantised from the fp32
    export; and whether quantising with ``reduce_range=True`` reproduces the shipped model."""
    from passionfinder._cache import file_sha256

    folder.mkdir(parents=True, exist_ok=True)
    quantise(fp32_dir / "model.onnx", folder / "model.onnx", reduce_range=False)
    check = folder.parent / "check-7bit.onnx"
    quantise(fp32_dir / "model.onnx", check, reduce_range=True)
    reproduced = same_weights(check, int8_dir / "model.onnx")
    check.unlink()
    shutil.copyfile(int8_dir / "tokenizer.json", folder / "tokenizer.json")
    manifest = json.loads((int8_dir / "manifest.json").read_text())
    manifest["name"] = f"{manifest['name']}-8bit-weights"
    manifest["quantization"] = "dynamic int8, per-channel 8-bit weights (reduce_range=False)"
    manifest["files"] = {f: file_sha256(folder / f) for f in ("model.onnx", "tokenizer.json")}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder, reproduced


def _reference_ops() -> list[type]:
    from onnx.reference.ops.op_matmul_integer import MatMulInteger

    class ExactMatMulInteger(MatMulInteger):  # type: ignore[misc]
        """MatMulInteger with the same int32 results as onnx's, through float64 BLAS.

        Every product of a u8 (minus its zero point) and an s8 is below 2**16 in size and a
        row has at most 1,536 of them, so every partial sum is an integer below 2**53, which
        float64 holds exactly, in whatever order the BLAS adds.
        """

        op_domain = ""

        def _run(self, A, B, a_zero_point=None, b_zero_point=None):  # type: ignore[no-untyped-def]
            a = A.astype(np.float64)
            if a_zero_point is not None:
                a -= a_zero_point
            b = B.astype(np.float64)
            if b_zero_point is not None:
                b -= b_zero_point
            return ((a @ b).astype(np.int32),)

    ExactMatMulInteger.__name__ = "MatMulInteger"
    return [ExactMatMulInteger]


class ReferenceSession:
    """The ``run``/``get_inputs`` face of an onnxruntime session over ``onnx.reference``."""

    def __init__(self, model_path: Path) -> None:
        import onnx
        from onnx.reference import ReferenceEvaluator

        model = onnx.load(str(model_path))
        for opset in model.opset_import:
            # onnx.reference implements DequantizeLinear from opset 19 on; the operators of the
            # exported model mean the same at opsets 17 and 19 for the types it uses
            if opset.domain in ("", "ai.onnx") and opset.version < 19:
                opset.version = 19
        self._evaluator = ReferenceEvaluator(model, new_ops=_reference_ops())
        weights = {t.name for t in model.graph.initializer}
        self._inputs = [SimpleNamespace(name=i.name) for i in model.graph.input
                        if i.name not in weights]

    def get_inputs(self) -> list[SimpleNamespace]:
        return self._inputs

    def run(self, output_names: Sequence[str] | None, feed: dict[str, np.ndarray]
            ) -> list[np.ndarray]:
        from threadpoolctl import threadpool_limits

        # one BLAS thread: on a busy machine two threads spin against each other many-fold
        with threadpool_limits(1):
            return list(self._evaluator.run(output_names, feed))


def encoder_classes() -> tuple[type, type]:
    """(ReferenceEncoder, OrtEncoder): OnnxEncoder with its forward pass on the reference, and
    with onnxruntime sessions at a chosen graph optimisation level (one thread)."""
    import onnxruntime as ort

    from passionfinder._model.onnx_runtime import OnnxEncoder

    class ReferenceEncoder(OnnxEncoder):
        """The encoder a CPU with exact int8 arithmetic runs: same name, tokenizer, chunking,
        pooling and (for int8) one text per run as the model folder's OnnxEncoder."""

        def __init__(self, model_dir: Path) -> None:
            super().__init__(model_dir, num_threads=1)

        def _new_session(self, threads: int | None) -> Any:
            return ReferenceSession(self.model_dir / "model.onnx")

    class OrtEncoder(OnnxEncoder):
        def __init__(self, model_dir: Path, optimisation: str) -> None:
            self.optimisation = optimisation
            super().__init__(model_dir, num_threads=1)

        def _new_session(self, threads: int | None) -> Any:
            options = ort.SessionOptions()
            options.graph_optimization_level = getattr(ort.GraphOptimizationLevel,
                                                       self.optimisation)
            options.intra_op_num_threads = 1
            options.log_severity_level = 3
            return ort.InferenceSession(str(self.model_dir / "model.onnx"), options,
                                        providers=["CPUExecutionProvider"])

    return ReferenceEncoder, OrtEncoder


# --------------------------------------------------------------------------------------------
# Texts and comparisons
# --------------------------------------------------------------------------------------------


def load_people(path: Path = PROFILES) -> list[dict[str, Any]]:
    from passionfinder._evaluation import load_eval_profiles

    return load_eval_profiles(path)


def sample_texts(catalog: Any, people: list[dict[str, Any]], n: int, seed: int = 0
                 ) -> tuple[list[str], list[str]]:
    """(texts, kind of each): the profiles' interests, then task statements and titles."""
    interests = [p["interests"] for p in people if p.get("interests")][:n]
    rest = n - len(interests)
    rng = np.random.default_rng(seed)
    tasks = sorted(set(catalog.tasks["task"].dropna()))
    titles = sorted(set(catalog.occupations["title"].dropna()))
    n_tasks = rest - rest // 3
    chosen_tasks = [tasks[i] for i in sorted(rng.choice(len(tasks), n_tasks, replace=False))]
    chosen_titles = [titles[i] for i in
                     sorted(rng.choice(len(titles), rest - n_tasks, replace=False))]
    texts = interests + chosen_tasks + chosen_titles
    kinds = (["interests"] * len(interests) + ["task"] * len(chosen_tasks)
             + ["title"] * len(chosen_titles))
    return texts, kinds


def compare(a: np.ndarray, b: np.ndarray) -> dict[str, Any]:
    """Cosine (mean, min), largest absolute difference and identical rows of unit vectors,
    raw and on the grid the finder ranks with."""
    from passionfinder._exact import on_grid

    cos = (a.astype(np.float64) * b.astype(np.float64)).sum(axis=1)
    return {
        "mean_cosine": round(float(cos.mean()), 5),
        "min_cosine": round(float(cos.min()), 5),
        "max_abs_diff": float(np.abs(a - b).max()),
        "identical_vectors": round(float((a == b).all(axis=1).mean()), 4),
        "identical_grid_vectors": round(float((on_grid(a) == on_grid(b)).all(axis=1).mean()), 4),
        "n": len(a),
    }


def encode_timed(encoder: Any, texts: list[str]) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    vectors = encoder.encode(texts, show_progress=False)
    return vectors, time.perf_counter() - started


def integer_products(model_path: Path, ids: list[Sequence[int]]) -> dict[str, Any]:
    """Are onnxruntime's int8 products on this CPU exact? Every MatMulInteger output of the
    model (graph optimisations off, so they are not fused away) against the exact product
    of the very inputs onnxruntime gave it, one text per run."""
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
    from threadpoolctl import threadpool_limits

    model = onnx.load(str(model_path))
    weights = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    nodes = [n for n in model.graph.node if n.op_type == "MatMulInteger"]
    wanted = list(dict.fromkeys(name for n in nodes for name in (*n.input, *n.output)
                                if name and name not in weights))
    existing = {o.name for o in model.graph.output}
    model.graph.output.extend(onnx.ValueInfoProto(name=name) for name in wanted
                              if name not in existing)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    inputs = {i.name for i in session.get_inputs()}
    wrong = total = 0
    largest = 0.0
    texts_wrong = 0
    for seq in ids:
        feed = {"input_ids": np.asarray([seq], dtype=np.int64),
                "attention_mask": np.ones((1, len(seq)), dtype=np.int64),
                "token_type_ids": np.zeros((1, len(seq)), dtype=np.int64)}
        values = dict(zip(names, session.run(names, {k: v for k, v in feed.items()
                                                      if k in inputs}), strict=True))

        def value(name: str) -> np.ndarray:
            return weights[name] if name in weights else values[name]  # noqa: B023

        text_wrong = 0
        with threadpool_limits(1):
            for node in nodes:
                a = value(node.input[0]).astype(np.float64)
                b = value(node.input[1]).astype(np.float64)
                if len(node.input) > 2 and node.input[2]:
                    a -= value(node.input[2])
                if len(node.input) > 3 and node.input[3]:
                    b -= value(node.input[3])
                exact = a @ b  # integer sums below 2**53: exact in float64
                diff = np.abs(exact - value(node.output[0]))
                text_wrong += int((diff > 0).sum())
                total += diff.size
                largest = max(largest, float(diff.max()))
        wrong += text_wrong
        texts_wrong += text_wrong > 0
    return {"matmul_integer_nodes": len(nodes), "texts": len(ids),
            "texts_with_inexact_products": texts_wrong,
            "inexact_share_of_outputs": wrong / max(total, 1),
            "max_abs_error": largest, "exact": wrong == 0}


# --------------------------------------------------------------------------------------------
# Part 4: child processes under each BLAS kernel
# --------------------------------------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    """Run the fixed profiles through the real finder and write their to_dict() JSON."""
    import passionfinder as pf
    from passionfinder._finder import PassionFinder

    warnings.simplefilter("ignore")
    people = [pf.Profile(interests=p.get("interests"), strengths=p.get("strengths"),
                         values=p.get("values")) for p in load_people()[: args.kernel_profiles]]
    finder = PassionFinder(data_home=args.data_home, cache_home=args.cache_home)
    together = finder.recommend_many(people)
    alone = [finder.recommend(p) for p in people[: max(1, len(people) // 2)]]
    classified = finder.classify(list(CLASSIFY_TEXTS))
    payload = {
        "recommend_many": [r.to_dict() for r in together],
        "recommend": [r.to_dict() for r in alone],
        "classify": [dataclasses.asdict(c) for c in classified],
    }
    Path(args.child).write_text(json.dumps(payload, sort_keys=True, default=repr))
    print(json.dumps({"blas": blas_facts()}))


def run_kernels(args: argparse.Namespace, cpu: dict[str, Any], workdir: Path) -> dict[str, Any]:
    import passionfinder

    src = str(Path(passionfinder.__file__).resolve().parents[1])
    rows: dict[str, Any] = {}
    first: bytes | None = None
    for kernel, needs in KERNELS.items():
        label = kernel or "unset"
        if not all(cpu["flags"].get(flag, flag == "pni") for flag in needs):
            rows[label] = {"skipped": f"this CPU lacks {', '.join(needs)}"}
            continue
        env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
        if kernel:
            env["OPENBLAS_CORETYPE"] = kernel
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        env["HF_HUB_OFFLINE"] = "1"
        out = workdir / f"kernel-{label}.json"
        command = [sys.executable, __file__, "--child", str(out),
                   "--kernel-profiles", str(args.kernel_profiles)]
        for flag, value in (("--data-home", args.data_home), ("--cache-home", args.cache_home)):
            if value:
                command += [flag, str(value)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode:
            raise RuntimeError(f"the child under OPENBLAS_CORETYPE={label} failed:\n"
                               f"{done.stderr[-3000:]}")
        data = out.read_bytes()
        first = data if first is None else first
        blas = json.loads(done.stdout.strip().splitlines()[-1])["blas"]
        rows[label] = {
            "blas_kernel": [b.get("architecture") for b in blas],
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest()[:16],
            "identical_to_first": data == first,
            "seconds": round(time.perf_counter() - started, 1),
        }
    ran = [r for r in rows.values() if "bytes" in r]
    return {"kernels": rows, "all_identical": all(r["identical_to_first"] for r in ran),
            "profiles": args.kernel_profiles, "classify_texts": list(CLASSIFY_TEXTS)}


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def list_effect(finder: Any, reference_finder: Any, people: list[Any]) -> dict[str, Any]:
    started = time.perf_counter()
    ort_lists = finder.recommend_many(people)
    ort_s = time.perf_counter() - started
    started = time.perf_counter()
    ref_lists = reference_finder.recommend_many(people)
    ref_s = time.perf_counter() - started
    same_list, overlap, same_top1, same_dict, max_score_diff = [], [], [], [], 0.0
    for a, b in zip(ort_lists, ref_lists, strict=True):
        ca = [r.onet_soc_code for r in a][:K]
        cb = [r.onet_soc_code for r in b][:K]
        same_list.append(ca == cb)
        overlap.append(len(set(ca) & set(cb)) / K)
        same_top1.append(ca[:1] == cb[:1])
        same_dict.append(json.dumps(a.to_dict(), sort_keys=True)
                         == json.dumps(b.to_dict(), sort_keys=True))
        common = set(ca) & set(cb)
        sa = {r.onet_soc_code: r.score for r in a}
        sb = {r.onet_soc_code: r.score for r in b}
        max_score_diff = max([max_score_diff, *(abs(sa[c] - sb[c]) for c in common)])
    return {
        "profiles": len(people),
        "identical_top10": round(float(np.mean(same_list)), 4),
        "mean_overlap_at_10": round(float(np.mean(overlap)), 4),
        "min_overlap_at_10": round(float(np.min(overlap)), 2),
        "identical_top1": round(float(np.mean(same_top1)), 4),
        "identical_to_dict": round(float(np.mean(same_dict)), 4),
        "max_score_diff_common_codes": round(max_score_diff, 6),
        "ort_seconds": round(ort_s, 1),
        "reference_seconds": round(ref_s, 1),
    }


def print_table(results: dict[str, Any]) -> None:
    cpu = results["machine"]
    print(f"\nMachine: {cpu['model_name']}, {cpu['logical_cpus']} logical CPUs; "
          + ", ".join(f"{f}={'yes' if v else 'no'}" for f, v in cpu["flags"].items()))
    print(f"BLAS: {results['blas']}; versions: {results['versions']}")
    cols = ("mean_cosine", "min_cosine", "max_abs_diff", "identical_vectors",
            "identical_grid_vectors", "n")
    print(f"\n{'comparison':<44}" + "".join(f"{c:>14}" for c in ("mean cos", "min cos",
                                                                  "max|diff|", "same vec",
                                                                  "same grid", "n")))

    def line(name: str, row: dict[str, Any]) -> None:
        print(f"{name:<44}" + "".join(
            f"{row[c]:>14.3e}" if c == "max_abs_diff" else f"{row[c]:>14}" for c in cols))

    for name, row in results["quality_vs_fp32"].items():
        line(f"1. {name} vs fp32 (ORT)", row)
    for name, row in results["ort_vs_reference"].items():
        line(f"2. {name}", row)
    for name, row in results["int8_products_exact_on_this_cpu"].items():
        print(f"2. {name}: ORT MatMulInteger outputs exact on this CPU: {row['exact']} "
              f"({row['texts_with_inexact_products']} of {row['texts']} texts with an inexact "
              f"product; largest error {row['max_abs_error']:g})")
    print()
    for name, lists in results["lists_ort_vs_reference"].items():
        print(f"3. top-10 lists, {name}, ORT vs reference query vectors ({lists['profiles']} "
              f"profiles): identical top-10 {lists['identical_top10']:.3f}, mean overlap@10 "
              f"{lists['mean_overlap_at_10']:.3f} (min {lists['min_overlap_at_10']}), identical "
              f"top-1 {lists['identical_top1']:.3f}, identical to_dict "
              f"{lists['identical_to_dict']:.3f}, largest score difference "
              f"{lists['max_score_diff_common_codes']}")
    kernels = results["blas_kernels"]
    print(f"4. to_dict() JSON across OPENBLAS_CORETYPE ({kernels['profiles']} profiles): "
          f"all identical = {kernels['all_identical']}")
    for label, row in kernels["kernels"].items():
        print(f"   {label:<10} {row}")
    print(f"\n{results['seconds']} s in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=300, help="texts of part 1 (default 300)")
    parser.add_argument("--reference-texts", type=int, default=80,
                        help="of those, texts run through the reference in part 2 (default 80)")
    parser.add_argument("--profiles", type=int, default=80,
                        help="labelled profiles of part 3 (default 80, all of them)")
    parser.add_argument("--list-precisions", default="int8,fp32",
                        type=lambda v: [p for p in v.split(",") if p],
                        help="models whose lists part 3 compares (default int8,fp32; the first "
                             "run builds each one's occupation index)")
    parser.add_argument("--kernel-profiles", type=int, default=20,
                        help="labelled profiles run under each BLAS kernel (default 20)")
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--cache-home", default=None)
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not set(args.list_precisions) <= {"int8", "fp32"}:
        parser.error("--list-precisions takes int8, fp32 or both, separated by a comma")
    if args.texts < 1 or not 1 <= args.reference_texts <= args.texts or args.profiles < 1:
        parser.error("--texts, --reference-texts and --profiles must be positive, and "
                     "--reference-texts at most --texts")
    warnings.simplefilter("ignore")
    import passionfinder as pf
    from passionfinder._finder import PassionFinder
    from passionfinder._model.load import load_encoder
    from passionfinder._model.onnx_runtime import OnnxEncoder

    t0 = time.perf_counter()
    cpu = cpu_facts()
    results: dict[str, Any] = {"machine": cpu, "blas": blas_facts(), "versions": versions()}
    print(f"{cpu['model_name']}: VNNI {'yes' if cpu['vnni'] else 'no'}", flush=True)
    catalog = pf.load_catalog(args.data_home, cache_home=args.cache_home)
    people = load_people()
    fp32 = load_encoder(backend="onnx", precision="fp32", cache_home=args.cache_home)
    int8 = load_encoder(backend="onnx", precision="int8", cache_home=args.cache_home)
    ReferenceEncoder, OrtEncoder = encoder_classes()
    workdir = Path(tempfile.mkdtemp(prefix="pf-portability-"))
    try:
        eight_dir, reproduced = eight_bit_model(int8.model_dir, fp32.model_dir,
                                                workdir / "int8-8bit")
        models = {"fp32": fp32.model_dir, "int8 8-bit": eight_dir, "int8 7-bit": int8.model_dir}
        results["models"] = {"fp32": fp32.name, "int8 7-bit": int8.name,
                             "int8 8-bit": "quantised here, reduce_range=False",
                             "requantised_7bit_equals_shipped": reproduced}
        print(f"models ready ({time.perf_counter() - t0:.0f} s)", flush=True)

        # 1. quality cost of int8 (the library's own sessions: ORT_ENABLE_ALL)
        texts, kinds = sample_texts(catalog, people, args.texts)
        library = {"fp32": fp32, "int8 8-bit": OnnxEncoder(eight_dir),
                   "int8 7-bit": int8}
        vectors = {name: encode_timed(enc, texts)[0] for name, enc in library.items()}
        results["texts"] = {kind: kinds.count(kind) for kind in dict.fromkeys(kinds)}
        results["quality_vs_fp32"] = {name: compare(vectors[name], vectors["fp32"])
                                      for name in ("int8 8-bit", "int8 7-bit")}
        print(f"part 1 done ({time.perf_counter() - t0:.0f} s)", flush=True)

        # 2. onnxruntime on this CPU against the reference (exact integer arithmetic)
        pick = np.unique(np.linspace(0, len(texts) - 1, args.reference_texts).round().astype(int))
        subset = [texts[i] for i in pick]
        reference, timing = {}, {}
        rows: dict[str, Any] = {}
        for name, folder in models.items():
            reference[name], timing[name] = encode_timed(ReferenceEncoder(folder), subset)
            no_opt = encode_timed(OrtEncoder(folder, "ORT_DISABLE_ALL"), subset)[0]
            rows[f"{name}: ORT all opt. vs reference"] = compare(vectors[name][pick],
                                                                 reference[name])
            rows[f"{name}: ORT no opt. vs reference"] = compare(no_opt, reference[name])
            rows[f"{name}: ORT all opt. vs ORT no opt."] = compare(vectors[name][pick], no_opt)
            print(f"part 2, {name} done ({time.perf_counter() - t0:.0f} s)", flush=True)
        subset_ids = [seq[: int8.max_tokens] for seq in int8._tokenize(subset)]
        results["int8_products_exact_on_this_cpu"] = {
            name: integer_products(models[name] / "model.onnx", subset_ids)
            for name in ("int8 8-bit", "int8 7-bit")}
        print(f"part 2, integer products done ({time.perf_counter() - t0:.0f} s)", flush=True)
        for name in ("int8 8-bit", "int8 7-bit"):
            rows[f"{name} vs fp32, both reference"] = compare(reference[name], reference["fp32"])
        results["ort_vs_reference"] = rows
        results["reference_seconds_per_text"] = {
            name: round(s / len(subset), 2) for name, s in timing.items()}
        results["ort_sessions"] = (
            "all opt.: the library's sessions (ORT_ENABLE_ALL; int8 one text per run on a "
            "thread per core, fp32 batched); no opt.: ORT_DISABLE_ALL, one thread, same runs")

        # 3. top-10 lists with ORT vs reference query vectors, same cached index
        chosen = [pf.Profile(interests=p.get("interests"), strengths=p.get("strengths"),
                             values=p.get("values")) for p in people[: args.profiles]]
        results["lists_ort_vs_reference"] = {}
        for precision in args.list_precisions:
            ort_encoder = int8 if precision == "int8" else fp32
            finder = PassionFinder(catalog, ort_encoder, cache_home=args.cache_home)
            reference_encoder = ReferenceEncoder(ort_encoder.model_dir)
            # the same name, so both finders load the same index
            assert reference_encoder.name == ort_encoder.name
            reference_finder = PassionFinder(catalog, reference_encoder,
                                             cache_home=args.cache_home)
            label = "int8 7-bit" if precision == "int8" else "fp32"
            results["lists_ort_vs_reference"][label] = list_effect(finder, reference_finder,
                                                                   chosen)
        print(f"part 3 done ({time.perf_counter() - t0:.0f} s)", flush=True)

        # 4. the same bytes under each BLAS kernel
        results["blas_kernels"] = run_kernels(args, cpu, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["seconds"] = round(time.perf_counter() - t0, 1)
    print_table(results)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
