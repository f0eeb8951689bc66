"""The first answer does no whole-catalog work: the step facts (with the step rules) and the
catalog summary are compiled once per catalog and cached (checked like the index), what is read
back is exactly what was compiled, and a finder on a warm cache starts and answers without
pandas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from embedder import HashingEncoder

import passionfinder as pf
from passionfinder import CacheWarning, PassionFinder, _steps
from passionfinder._steps import FactTable, StepWriter, compile_facts, facts_folder, load_facts
from passionfinder._summary import compile_summary, load_summary, summary_folder, summary_key


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


def _flip(folder: Path, name: str = "facts.npy") -> None:
    """One bit of a cached array flipped."""
    path = folder / name
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


# -- a finder that starts without pandas ---------------------------------------------------------

_HEAVY = ("pandas", "pyarrow", "sklearn", "scipy", "numpy.ma")

_FRESH_FINDER = """
import json, sys, warnings
sys.path.insert(0, TESTS)
warnings.simplefilter("ignore")
from embedder import HashingEncoder
import passionfinder as pf
from passionfinder._catalog import load_bundled_catalog
catalog = (load_bundled_catalog(cache_home=CACHE) if DATA is None
           else pf.load_catalog(DATA, cache_home=CACHE))
read = sorted(name for name in ("occupations", "tasks", "skills") if name in vars(catalog))
finder = pf.PassionFinder(catalog, HashingEncoder(), cache_home=CACHE)
at_start = [m for m in ("passionfinder._steps", "passionfinder._occupation") if m in sys.modules]
recs = finder.recommend(pf.Profile(interests="caring for patients in a hospital",
                                   strengths="patient, calm", values="helping others"), k=3)
print(json.dumps({"heavy": [m for m in HEAVY if m in sys.modules], "read": read,
                  "at_start": at_start,
                  "steps": len(recs[0].starter_steps), "codes": [r.onet_soc_code for r in recs]}))
"""


def _fresh_process(data: Path | None, cache_home: Path) -> dict:
    code = "".join(f"{k} = {v!r}\n" for k, v in {
        "TESTS": str(Path(__file__).parent), "CACHE": str(cache_home),
        "DATA": None if data is None else str(data), "HEAVY": _HEAVY}.items()) + _FRESH_FINDER
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PASSIONFINDER_CACHE": str(cache_home)})
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("source", ["release", "bundle"])
def test_a_finder_on_a_warm_cache_starts_and_recommends_without_pandas(
        source: str, synthetic_home: Path, cache_home: Path) -> None:
    """Once a finder has cached the catalog's summary, a new process loads the catalog,
    builds a finder and recommends without reading a table or importing pandas, pyarrow,
    scikit-learn, scipy or numpy.ma; the answer is the one the first process gave. The
    finder is built without the step rules, which only recommendations use."""
    data = synthetic_home if source == "release" else None
    first = _fresh_process(data, cache_home)  # builds the caches (pandas is used here)
    again = _fresh_process(data, cache_home)
    assert again["heavy"] == [], again
    assert again["read"] == []  # not even the occupations table
    # nor the step rules or the occupation records, until a recommendation needs them
    assert again["at_start"] == []
    assert again["steps"] == 6 and again["codes"] == first["codes"]


@pytest.mark.slow
@pytest.mark.data
def test_the_real_finder_starts_without_pandas(real_data_home: Path,
                                               model_cache_home: Path) -> None:
    """PassionFinder() as a user makes it (real data, the packaged ONNX model) on a warm
    cache: no pandas, pyarrow, scikit-learn or scipy in the process after a recommendation."""
    code = (f"import json, sys, warnings\nwarnings.simplefilter('ignore')\n"
            f"import passionfinder as pf\n"
            f"finder = pf.PassionFinder(data_home={str(real_data_home)!r}, "
            f"cache_home={str(model_cache_home)!r})\n"
            f"finder.recommend(pf.Profile(interests='I love fixing old bikes', "
            f"strengths='patient', values='independence'), k=5)\n"
            f"print(json.dumps([m for m in {_HEAVY!r} if m in sys.modules]))\n")
    for _ in range(2):  # the first warms the cache
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


# -- the catalog summary --------------------------------------------------------------------------


def test_the_cached_summary_is_the_compiled_one(catalog: pf.Catalog, cache_home: Path) -> None:
    expected = compile_summary(catalog)
    assert load_summary(catalog, cache_home=cache_home) is catalog.summary
    assert (summary_folder(catalog.fingerprint, cache_home) / "manifest.json").is_file()
    again = pf.load_catalog(catalog.data_home, cache_home=cache_home)
    assert again.summary is not None and "occupations" not in vars(again)  # nothing read
    got = again.summary
    for name in ("codes", "titles", "families", "descriptions"):
        assert getattr(got, name) == getattr(expected, name), name
    for name in ("riasec", "wage_median", "growth_pct", "value_standing", "value_share_below"):
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name), err_msg=name)
        assert getattr(got, name).dtype == getattr(expected, name).dtype, name
    # the catalog reads its tables when asked, and they are the compiled ones
    assert list(again) == again.codes == list(catalog.occupations.index)
    assert len(again) == len(catalog) and again.title(again.codes[0]) == catalog.title(
        catalog.codes[0])
    pd.testing.assert_frame_equal(again.occupations, catalog.occupations)
    assert again["15-1252.00"] == catalog["15-1252.00"]


def test_the_summary_gives_the_finders_columns(catalog: pf.Catalog, cache_home: Path) -> None:
    """What the finder used to work out from the tables at construction is what the summary
    holds: value standings (the public value_table too), shares below, RIASEC, wages."""
    from passionfinder._values import VALUE_ENTRIES, value_scores

    finder = PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    raw = value_scores(catalog)
    names = [e.name for e in VALUE_ENTRIES]
    pd.testing.assert_frame_equal(finder.value_table, raw.rank(pct=True))
    np.testing.assert_array_equal(finder._values,
                                  raw.rank(pct=True)[names].to_numpy(dtype=np.float32))
    lower = raw.rank(method="min") - 1
    np.testing.assert_array_equal(finder._share_below,
                                  (lower / (raw.count() - 1)).to_numpy(dtype=float))
    occ = catalog.occupations
    np.testing.assert_array_equal(finder._riasec, occ[["realistic", "investigative", "artistic",
                                                       "social", "enterprising",
                                                       "conventional"]].to_numpy(np.float32))
    np.testing.assert_array_equal(finder._wages, occ["wage_median"].to_numpy(dtype=float))
    assert finder._family_names == [f if isinstance(f, str) else None
                                    for f in occ["job_family"].to_numpy(dtype=object)]


def _flip_summary(folder: Path) -> None:
    _flip(folder, "value_standing.npy")


def _summary_of_other_codes(folder: Path) -> None:
    """Texts of another catalog, with their checksum made to match."""
    from passionfinder._cache import file_sha256

    texts = json.loads(np.load(folder / "texts.npy").tobytes())
    texts["codes"] = [f"{c[:-1]}9" for c in texts["codes"]]
    np.save(folder / "texts.npy", np.frombuffer(json.dumps(texts).encode(), dtype=np.uint8))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["texts.npy"] = file_sha256(folder / "texts.npy")
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(("damage", "reason"), [
    (_flip_summary, "checksum"), (_other_version, "another version"),
    (_summary_of_other_codes, "other occupations")], ids=["flip", "version", "codes"])
def test_a_damaged_summary_is_compiled_again(catalog: pf.Catalog, cache_home: Path,
                                             damage, reason: str) -> None:  # type: ignore[no-untyped-def]
    expected = compile_summary(catalog)
    load_summary(catalog, cache_home=cache_home)
    damage(summary_folder(catalog.fingerprint, cache_home))
    if reason != "other occupations":  # unreadable: a load reads the occupations table instead
        loaded = pf.load_catalog(catalog.data_home, cache_home=cache_home)
        assert loaded.summary is None and "occupations" in vars(loaded)
    fresh = pf.load_catalog(catalog.data_home, use_cache=False)  # its own tables, same content
    with pytest.warns(CacheWarning, match=reason):
        again = load_summary(fresh, cache_home=cache_home)
    assert again.codes == expected.codes
    np.testing.assert_array_equal(again.value_standing, expected.value_standing)
    assert pf.load_catalog(catalog.data_home, cache_home=cache_home).summary is not None


def test_the_value_vocabulary_names_the_summary(catalog: pf.Catalog,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Summaries are cached under the value vocabulary they were worked out with: another
    vocabulary (a weight changed) is another folder."""
    import dataclasses

    from passionfinder import _summary

    before = summary_key(catalog.fingerprint)
    first, *rest = _summary.VALUE_ENTRIES
    changed = dataclasses.replace(first, sources={k: v / 2 for k, v in first.sources.items()})
    monkeypatch.setattr(_summary, "VALUE_ENTRIES", (changed, *rest))
    assert summary_key(catalog.fingerprint) != before


def test_a_catalog_without_a_fingerprint_is_summarised_in_memory(catalog: pf.Catalog,
                                                                 cache_home: Path) -> None:
    unnamed = pf.Catalog(catalog.tables(), fingerprint="")
    assert load_summary(unnamed, cache_home=cache_home).codes == tuple(catalog.codes)
    assert not (cache_home / "summary").exists()


def test_a_compiled_table_changed_after_loading_is_refused_when_read(
        tmp_path: Path, cache_home: Path) -> None:
    from synthetic import write_release_zip

    from passionfinder._official import build_catalog

    out = tmp_path / "built"
    build_catalog(write_release_zip(tmp_path / "downloads") / "onet" / "db_30_2_text.zip", out)
    catalog = pf.load_catalog(out, cache_home=cache_home)  # verified whole, read lazily
    assert "tasks" not in vars(catalog)
    data = bytearray((out / "tasks.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (out / "tasks.parquet").write_bytes(bytes(data))
    with pytest.raises(pf.DataFormatError, match="does not match the sha256"):
        _ = catalog.tasks


# -- the step rules, compiled with the facts ----------------------------------------------------


def test_the_step_rules_are_compiled_into_the_facts(catalog: pf.Catalog, cache_home: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from passionfinder._step_rules import StepRules

    rules = StepRules(catalog)
    cached = load_facts(catalog, cache_home=cache_home)
    for o, code in enumerate(catalog.codes):
        assert load_facts(catalog, cache_home=cache_home)[o].rules == rules.of(code)
        assert cached[o].rules == rules.of(code)
    # a recommendation works the rules out for no occupation: they are read with the facts
    monkeypatch.setattr(StepRules, "_compute", lambda *_: pytest.fail("rules worked out"))
    finder = PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    recs = finder.recommend("caring for patients in a hospital", k=3)
    assert all(len(r.starter_steps) == 6 for r in recs)
    assert finder._step_writer.rules_of(recs[0].onet_soc_code) == rules.of(recs[0].onet_soc_code)


def test_an_edit_to_the_rules_compiles_the_facts_again(catalog: pf.Catalog, cache_home: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    load_facts(catalog, cache_home=cache_home)
    before = facts_folder(catalog, cache_home)
    monkeypatch.setattr(_steps, "_rules_digest", lambda: "an edited _step_rules.py")
    assert facts_folder(catalog, cache_home) != before
    compiled: list[int] = []
    real = _steps.compile_facts
    monkeypatch.setattr(_steps, "compile_facts", lambda c: compiled.append(1) or real(c))
    load_facts(catalog, cache_home=cache_home)
    assert compiled == [1]
    assert (facts_folder(catalog, cache_home) / "manifest.json").is_file()


def test_rules_read_back_equal(catalog: pf.Catalog) -> None:
    from passionfinder._step_rules import OccupationRules, StepRules

    rules = StepRules(catalog)
    for code in catalog.codes:
        r = rules.of(code)
        back = OccupationRules.from_json(json.loads(json.dumps(r.to_json())))
        assert back == r
        assert all(type(kinds) is frozenset for _, _, kinds in back.free_tools)


# -- the index, read as mapped arrays ----------------------------------------------------------


def test_the_cached_index_is_mapped_read_only_and_gives_the_same_answers(
        catalog: pf.Catalog, cache_home: Path) -> None:
    encoder = HashingEncoder()
    built = PassionFinder(catalog, encoder, cache_home=cache_home)  # builds the index
    read = PassionFinder(catalog, encoder, cache_home=cache_home)
    for name, field in read.index.fields.items():
        assert not field.vectors.flags.writeable, name
        np.testing.assert_array_equal(field.vectors, built.index.fields[name].vectors)
        assert [str(t) for t in field.texts] == [str(t) for t in built.index.fields[name].texts]
    for name in ("term_docs", "term_values", "term_ptr"):
        np.testing.assert_array_equal(getattr(read.index.lexical, name),
                                      getattr(built.index.lexical, name), err_msg=name)
    profile = pf.Profile(interests="caring for patients", strengths="patient, calm",
                         values="helping others")
    assert read.recommend(profile, k=5).to_dict() == built.recommend(profile, k=5).to_dict()
    assert [c.matches for c in read.classify(["nurse", "software developer"])] == \
        [c.matches for c in built.classify(["nurse", "software developer"])]


def test_the_rules_digest_needs_no_source_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    import passionfinder
    from passionfinder import _step_rules, _steps

    _steps._rules_digest.cache_clear()
    try:
        on_disk = hashlib.sha256(Path(_step_rules.__file__).read_bytes()).hexdigest()
        assert _steps._rules_digest() == on_disk

        class NoSource:
            def get_data(self, path: str) -> bytes:
                raise OSError(f"no file {path}")

        monkeypatch.setattr(_step_rules, "__loader__", NoSource())
        _steps._rules_digest.cache_clear()
        release = f"passionfinder {passionfinder.__version__}".encode()
        assert _steps._rules_digest() == hashlib.sha256(release).hexdigest()
    finally:
        monkeypatch.undo()
        _steps._rules_digest.cache_clear()
