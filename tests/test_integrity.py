"""Data integrity: damaged caches are detected by checksum and rebuilt, never loaded; nothing in
the package unpickles; and a full recommend + classify runs with the network blocked.

Already covered elsewhere, not repeated here: every kind of damage to the catalog cache
(tests/test_catalog.py, test_damaged_cache_is_rebuilt_never_loaded and
test_cache_files_are_never_pickles), the model export (tests/test_encoding.py,
test_corrupt_cached_model_is_rebuilt) and one flipped index file (tests/test_finder.py,
test_corrupt_index_cache_is_rebuilt). This file adds the rest of the embedding index.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from embedder import HashingEncoder
from synthetic import write_release

import passionfinder as pf
from passionfinder import CacheWarning, PassionFinder
from passionfinder._cache import file_sha256

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SRC = ROOT / "src" / "passionfinder"


# ---------------------------------------------------------------------------------------------
# The embedding index cache
# ---------------------------------------------------------------------------------------------

class _TouchOnUnpickle:
    """Unpickling this creates a file: proof that a pickle was loaded (never should be)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., None], tuple[Path]]:
        return pathlib.Path.touch, (self.marker,)


def _fix_checksum(folder: Path, name: str) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = file_sha256(folder / name)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _flip(folder: Path) -> None:
    path = folder / "titles.vectors.npy"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one vector
    path.write_bytes(bytes(data))


def _truncate(folder: Path) -> None:
    path = folder / "tasks.owner.npy"
    path.write_bytes(path.read_bytes()[:-4])


def _delete(folder: Path) -> None:
    (folder / "element_weights.npy").unlink()


def _edit_checksum(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["lexical.idf.npy"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _pickle_with_its_checksum(folder: Path) -> None:
    """An object array (a pickle) in place of the texts, the manifest updated to match: the
    checksum passes, so only refusing pickles keeps the code in it from running."""
    marker = folder.parent / "UNPICKLED"
    payload = np.array([_TouchOnUnpickle(marker)], dtype=object)
    np.save(folder / "descriptions.texts.npy", payload, allow_pickle=True)
    _fix_checksum(folder, "descriptions.texts.npy")


def _not_an_array_with_its_checksum(folder: Path) -> None:
    (folder / "riasec_type.npy").write_bytes(b"not an npy file at all")
    _fix_checksum(folder, "riasec_type.npy")


def _garbage_manifest(folder: Path) -> None:
    (folder / "manifest.json").write_text("{\"format_version\": 1, \"files\": [")


DAMAGE = {
    _flip: "does not match its checksum",
    _truncate: "does not match its checksum",
    _delete: "is missing",
    _edit_checksum: "does not match its checksum",
    _pickle_with_its_checksum: "cannot be read",
    _not_an_array_with_its_checksum: "cannot be read",
    _garbage_manifest: "unreadable cache manifest",
}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_release(tmp_path_factory.mktemp("integrity") / "data")


@pytest.mark.parametrize("damage", list(DAMAGE), ids=lambda d: d.__name__.strip("_"))
def test_damaged_index_cache_is_rebuilt_never_loaded(release: Path, tmp_path: Path,
                                                     damage: Callable[[Path], None]) -> None:
    cache = tmp_path / "cache"
    catalog = pf.load_catalog(release, cache_home=cache)
    good = PassionFinder(catalog, HashingEncoder(), cache_home=cache)
    expected = json.dumps(good.recommend("caring for patients", k=5).to_dict(), sort_keys=True)
    (folder,) = (cache / "index").iterdir()
    damage(folder)
    encoder = HashingEncoder()
    with pytest.warns(CacheWarning, match=DAMAGE[damage]) as record:
        rebuilt = PassionFinder(catalog, encoder, cache_home=cache)
    assert len(record) == 1 and "Rebuilding the embedding index cache" in str(record[0].message)
    assert sum(encoder.calls) > 50  # embedded again from the catalog, not read
    assert not (folder.parent / "UNPICKLED").exists()  # the pickle was never loaded
    got = json.dumps(rebuilt.recommend("caring for patients", k=5).to_dict(), sort_keys=True)
    assert got == expected
    # the cache is whole again: the next finder reads it silently, encoding nothing
    again = HashingEncoder()
    PassionFinder(catalog, again, cache_home=cache)
    assert again.calls == []
    assert not list(folder.parent.glob(".*"))  # no staging folder left behind


def test_index_cache_is_written_atomically(release: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that dies half-way leaves no cache (and no partial files) behind."""
    from passionfinder._cache import CacheStore

    cache = tmp_path / "cache"
    catalog = pf.load_catalog(release, cache_home=cache)
    real_save = np.save
    saved: list[str] = []

    def dying_save(path: Path, array: np.ndarray, **kwargs: object) -> None:
        saved.append(str(path))
        if len(saved) == 5:
            raise OSError("disk full")
        real_save(path, array, **kwargs)

    monkeypatch.setattr("passionfinder._cache.np.save", dying_save)
    PassionFinder(catalog, HashingEncoder(), cache_home=cache)  # works, cache not written
    # the index died at its fifth file (the catalog summary, written after it, is whole)
    assert len([path for path in saved if f"{os.sep}index{os.sep}" in path]) == 5
    index = cache / "index"
    assert not index.exists() or not [p for p in index.rglob("*") if p.is_file()]
    monkeypatch.setattr("passionfinder._cache.np.save", real_save)
    encoder = HashingEncoder()
    PassionFinder(catalog, encoder, cache_home=cache)  # no warning: there was no cache
    assert sum(encoder.calls) > 50
    (folder,) = index.iterdir()
    assert CacheStore(folder).manifest()["files"]


# ---------------------------------------------------------------------------------------------
# No pickle, no network in the source
# ---------------------------------------------------------------------------------------------

def _source_files() -> list[Path]:
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 15
    return files


def _code(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("pattern", [
    r"^\s*(import|from)\s+(pickle|cPickle|_pickle|dill|cloudpickle|joblib|shelve|marshal)\b",
    r"\bpickle\.loads?\(", r"\bjoblib\.load\(", r"\bread_pickle\(", r"\btorch\.load\(",
    r"\bshelve\.open\(", r"\bmarshal\.loads?\(", r"allow_pickle\s*=\s*True",
])
def test_nothing_unpickles(pattern: str) -> None:
    hits = [f"{path.name}:{n}: {line.strip()}" for path in _source_files()
            for n, line in enumerate(_code(path).splitlines(), start=1)
            if re.search(pattern, line)]
    assert not hits, hits


def test_every_np_load_refuses_pickles() -> None:
    calls = [(path.name, m.group(0)) for path in _source_files()
             for m in re.finditer(r"np\.load\([^)]*\)", _code(path))]
    assert calls  # the caches do load arrays ...
    assert all("allow_pickle=False" in call for _, call in calls), calls  # ... never pickles


def test_only_the_downloader_talks_to_the_network() -> None:
    network = re.compile(r"^\s*(import|from)\s+(urllib\.request|http\.client|socket|requests|"
                         r"httpx|aiohttp|urllib3|ftplib|huggingface_hub)\b", re.MULTILINE)
    users = sorted({path.name for path in _source_files() if network.search(_code(path))})
    assert users == ["_download.py"], users
    # and the model is never downloaded: every model load reads local files only
    loads = []
    for path in _source_files():
        code = _code(path)
        for match in re.finditer(r"\b(SentenceTransformer|from_pretrained)\(", code):
            depth, end = 0, match.end() - 1
            for end in range(match.end() - 1, len(code)):  # to the closing parenthesis
                depth += {"(": 1, ")": -1}.get(code[end], 0)
                if depth == 0:
                    break
            loads.append((path.name, code[match.start():end + 1]))
    assert loads and all("local_files_only=True" in call for _, call in loads), loads


# ---------------------------------------------------------------------------------------------
# A full run with the network blocked
# ---------------------------------------------------------------------------------------------

BLOCKED = textwrap.dedent("""
    import socket, sys, warnings
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args)[:200])
        raise OSError("network access is blocked in this test")

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        setattr(socket.socket, name, refuse)
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.gethostbyname = refuse

    warnings.simplefilter("ignore")
    sys.path[:0] = [{tests!r}]
    import passionfinder as pf
    {make}
    recs = finder.recommend(pf.Profile(interests="I love fixing old bikes and being outdoors",
                                       strengths=["patient"], values="good pay, variety"), k=5)
    best = finder.classify(["rn", "I repair diesel engines"], k=3)
    assert len(recs) == 5 and all(c.best is not None for c in best)
    print("titles:", [r.title for r in recs], [c.best.title for c in best])
    print("attempts:", attempts)
    sys.exit(1 if attempts else 0)
""")


def run_blocked(make: str, env_drop: tuple[str, ...] = ()) -> str:
    import os

    env = {k: v for k, v in os.environ.items() if k not in env_drop}
    code = BLOCKED.format(tests=str(TESTS), make=make)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=900)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-3000:])
    assert "attempts: []" in done.stdout
    return done.stdout


def test_recommend_and_classify_with_the_network_blocked(tmp_path: Path) -> None:
    home = write_release(tmp_path / "data")
    make = (f"from embedder import HashingEncoder\n"
            f"catalog = pf.load_catalog({str(home)!r}, cache_home={str(tmp_path / 'c')!r})\n"
            f"finder = pf.PassionFinder(catalog, HashingEncoder(), "
            f"cache_home={str(tmp_path / 'c')!r})")
    assert "titles:" in run_blocked(make)


@pytest.mark.slow
@pytest.mark.data
def test_real_finder_with_the_network_blocked(real_finder: PassionFinder, real_data_home: Path,
                                              real_cache_home: Path,
                                              model_cache_home: Path) -> None:
    # the real catalog, the packaged model (its ONNX export) and the index, from the caches
    # the session built, with the Hugging Face offline switches removed: nothing may try
    make = (f"catalog = pf.load_catalog({str(real_data_home)!r}, "
            f"cache_home={str(real_cache_home)!r})\n"
            f"finder = pf.PassionFinder(catalog, cache_home={str(model_cache_home)!r})")
    out = run_blocked(make, env_drop=("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))
    assert "Bicycle Repairers" in out
