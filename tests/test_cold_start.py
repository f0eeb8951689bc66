"""The first answer does no whole-catalog work: the step facts are compiled once per catalog and
cached (checked like the index), and what is read back is exactly what was compiled."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from embedder import HashingEncoder

import passionfinder as pf
from passionfinder import CacheWarning, PassionFinder, _steps
from passionfinder._steps import FactTable, StepWriter, compile_facts, facts_folder, load_facts


@pytest.fixture
def catalog(synthetic_home: Path, cache_home: Path) -> pf.Catalog:
    return pf.load_catalog(synthetic_home, cache_home=cache_home)


def test_cached_facts_are_the_compiled_facts(catalog: pf.Catalog, cache_home: Path) -> None:
    compiled = compile_facts(catalog)
    first = load_facts(catalog, cache_home=cache_home)  # compiles and writes the cache
    assert (facts_folder(catalog, cache_home) / "manifest.json").is_file()
    again = load_facts(catalog, cache_home=cache_home)  # reads it
    assert isinstance(again, FactTable)
    assert len(first) == len(again) == len(compiled) == len(catalog)
    for o in range(len(compiled)):
        assert again[o] == compiled[o]
        assert type(again[o].task_words) is frozenset and type(again[o].core_tasks) is tuple
    assert list(again) == compiled
    assert again[-1] == compiled[-1]
    with pytest.raises(IndexError):
        again[len(compiled)]


def test_a_recommendation_reads_only_the_facts_it_shows(catalog: pf.Catalog,
                                                        cache_home: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    PassionFinder(catalog, HashingEncoder(), cache_home=cache_home).recommend("nursing", k=2)
    # the facts are cached now: a new finder must neither compile them nor decode them all
    monkeypatch.setattr(_steps, "compile_facts", lambda *_: pytest.fail("compiled again"))
    finder = PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    recs = finder.recommend("caring for patients in a hospital", k=2)
    assert recs[0].starter_steps
    decoded = finder._step_writer.facts._decoded
    assert 0 < len(decoded) < len(catalog)


def test_steps_are_the_same_from_cached_and_compiled_facts(catalog: pf.Catalog,
                                                           cache_home: Path) -> None:
    cached = StepWriter(catalog, cache_home=cache_home)
    load_facts(catalog, cache_home=cache_home)
    fresh = StepWriter(catalog)
    fresh.__dict__["facts"] = compile_facts(catalog)
    for o in range(len(catalog)):
        assert cached.steps(o, listed=(o,)) == fresh.steps(o, listed=(o,))


def _flip(folder: Path) -> None:
    path = folder / "facts.npy"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))


def _other_version(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["meta"]["version"] = -1
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _short_offsets(folder: Path) -> None:
    """Offsets of another catalog, with their checksum made to match."""
    from passionfinder._cache import file_sha256

    np.save(folder / "offsets.npy", np.array([0, 1], dtype=np.int64))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["offsets.npy"] = file_sha256(folder / "offsets.npy")
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(("damage", "reason"), [
    (_flip, "checksum"), (_other_version, "another version"),
    (_short_offsets, "do not fit the catalog")], ids=["flip", "version", "offsets"])
def test_a_damaged_facts_cache_is_compiled_again(catalog: pf.Catalog, cache_home: Path,
                                                 damage, reason: str) -> None:  # type: ignore[no-untyped-def]
    expected = compile_facts(catalog)
    load_facts(catalog, cache_home=cache_home)
    damage(facts_folder(catalog, cache_home))
    with pytest.warns(CacheWarning, match=reason):
        again = load_facts(catalog, cache_home=cache_home)
    assert list(again) == expected
    assert list(load_facts(catalog, cache_home=cache_home)) == expected  # whole again


def test_files_unchanged_since_written_are_not_hashed_again(catalog: pf.Catalog,
                                                             cache_home: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from passionfinder import _cache

    PassionFinder(catalog, HashingEncoder(), cache_home=cache_home).recommend("nursing", k=2)
    real = _cache.file_sha256
    hashed: list[str] = []

    def counting(path: Path) -> str:
        hashed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(_cache, "file_sha256", counting)
    again = pf.load_catalog(catalog.data_home, cache_home=cache_home)
    finder = PassionFinder(again, HashingEncoder(), cache_home=cache_home)
    finder.recommend("caring for patients", k=2)
    assert hashed == []  # catalog, index and step facts: every file trusted by its stamp
    # a write, even of the same bytes, makes the file hashed again
    (vectors,) = (cache_home / "index").glob("*/tasks.vectors.npy")
    vectors.write_bytes(vectors.read_bytes())
    hashed.clear()
    PassionFinder(again, HashingEncoder(), cache_home=cache_home)
    assert "tasks.vectors.npy" in hashed


@pytest.mark.slow
def test_the_model_export_is_hashed_once(model_cache_home: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from passionfinder._model.load import load_encoder

    load_encoder(cache_home=model_cache_home)  # checks it (and records stamps)
    monkeypatch.setattr("passionfinder._model.manifest._file_sha256",
                        lambda *a, **k: pytest.fail("hashed although unchanged"))
    assert load_encoder(cache_home=model_cache_home).encode(["bikes"]).shape == (1, 384)
