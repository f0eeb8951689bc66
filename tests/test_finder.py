"""PassionFinder on a tiny synthetic catalog with a deterministic test embedder: the pipeline,
its records and its errors. (Real model and data: tests/test_quality.py.)"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from embedder import HashingEncoder

import passionfinder as pf
from passionfinder import PassionFinder, Profile


@pytest.fixture
def finder(synthetic_home: Path, cache_home: Path) -> PassionFinder:
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    return PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)


NURSE = Profile(interests="caring for patients, giving medications and monitoring patient health",
                strengths=["calm", "caring"], values=["helping others"])


def test_recommend_finds_the_obvious_occupation(finder: PassionFinder) -> None:
    recs = finder.recommend(NURSE, k=3)
    assert recs[0].title == "Registered Nurses"
    assert [r.rank for r in recs] == [1, 2, 3]
    assert recs[0].score >= recs[1].score >= recs[2].score
    fields = {e.field for e in recs[0].evidence}
    assert {"interests", "strengths"} <= fields
    task = next(e for e in recs[0].evidence if e.kind == "task" and e.field == "interests")
    assert task.text in set(finder.catalog.tasks["task"])
    assert -1.0 <= task.similarity <= 1.0


def test_single_call_is_the_batch_call(finder: PassionFinder) -> None:
    other = Profile(interests="building wooden cabinets and framing houses")
    single = finder.recommend(NURSE, k=5)
    batch = finder.recommend_many([other, NURSE, other], k=5)
    assert batch[1] == single
    assert batch[0] == batch[2]


def test_batch_encodes_once_and_deduplicates(synthetic_home: Path, cache_home: Path) -> None:
    encoder = HashingEncoder()
    finder = PassionFinder(pf.load_catalog(synthetic_home, cache_home=cache_home), encoder,
                           cache_home=cache_home)
    encoder.calls.clear()
    finder.recommend_many([NURSE] * 20 + ["cooking"] * 5, k=2)
    assert encoder.calls == [4]  # interests x2 + two strengths, each once, in one call


def test_plain_string_and_dict_profiles(finder: PassionFinder) -> None:
    a = finder.recommend("I like wiring electrical systems and fixing circuits", k=2)
    b = finder.recommend({"interests": "I like wiring electrical systems and fixing circuits"},
                         k=2)
    assert a == b
    assert a[0].title == "Electricians"


def test_records_are_frozen_and_export(finder: PassionFinder) -> None:
    recs = finder.recommend(NURSE, k=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        recs[0].score = 1.0  # type: ignore[misc]
    frame = recs.to_frame()
    assert list(frame.index) == [1, 2, 3, 4]
    assert {"onet_soc_code", "title", "score", "match_score", "value_score"} <= set(frame)
    data = json.loads(json.dumps(recs.to_dict()))
    assert data["recommendations"][0]["onet_soc_code"] == recs[0].onet_soc_code
    assert data["attribution"].startswith("This product includes information from the O*NET")
    assert repr(recs).startswith("<Recommendations [4]: Registered Nurses")


def test_html_view_escapes_what_it_shows(finder: PassionFinder) -> None:
    recs = finder.recommend("<script>alert(1)</script> caring for patients", k=2)
    html = recs._repr_html_()
    assert "<script>" not in html
    assert "O*NET" in html


def test_value_scores_add_up(finder: PassionFinder) -> None:
    recs = finder.recommend(Profile(interests="cooking", values={"good pay": 3,
                                                                  "helping others": 1}), k=12)
    for rec in recs:
        assert rec.value_score == pytest.approx(sum(v.contribution for v in rec.values),
                                                abs=1e-5)
        assert rec.score == pytest.approx(0.7 * rec.match_score + 0.3 * rec.value_score,
                                          abs=1e-5)
        assert [v.value for v in rec.values] == ["good pay", "helping others"]
        assert sum(v.weight for v in rec.values) == pytest.approx(1.0)


def test_missing_value_data_is_neutral_not_zero(finder: PassionFinder) -> None:
    # Data Scientists have no BLS rows in the synthetic release
    recs = finder.recommend(Profile(values=["good pay"]), k=12)
    ds = next(r for r in recs if r.title == "Data Scientists")
    assert ds.values[0].score is None
    assert ds.values[0].contribution == pytest.approx(0.5)
    assert "no data" in ds.values[0].detail


def test_values_only_profile_ranks_by_values(finder: PassionFinder) -> None:
    recs = finder.recommend(Profile(values=["good pay"]), k=12)
    scores = [r.value_score for r in recs]
    assert scores == sorted(scores, reverse=True)
    assert all(r.match_score == 0.0 for r in recs)


def test_value_weight_zero_is_pure_match(finder: PassionFinder) -> None:
    plain = finder.recommend(Profile(interests="teaching children to read"), k=12)
    weighted = finder.recommend(Profile(interests="teaching children to read",
                                        values=["good pay"]), k=12, value_weight=0.0)
    assert [r.onet_soc_code for r in plain] == [r.onet_soc_code for r in weighted]


def test_free_text_values_are_mapped_and_shown(finder: PassionFinder) -> None:
    profile = Profile(interests="cooking", values="I would love a very high salary one day")
    recs = finder.recommend(profile, k=3)
    assert recs.value_weights  # something was understood
    assert recs.value_mapping and "high salary" in recs.value_mapping[0][0]
    assert "good pay" in recs.value_weights


def test_index_is_cached_per_catalog_and_model(synthetic_home: Path, cache_home: Path) -> None:
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    first = HashingEncoder()
    PassionFinder(catalog, first, cache_home=cache_home)
    assert sum(first.calls) > 50  # built: every task, title, element, ...
    second = HashingEncoder()
    finder = PassionFinder(catalog, second, cache_home=cache_home)
    assert second.calls == []  # loaded from the cache, nothing encoded
    assert finder.recommend(NURSE, k=1)[0].title == "Registered Nurses"


def test_corrupt_index_cache_is_rebuilt(synthetic_home: Path, cache_home: Path) -> None:
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    vectors = next((cache_home / "index").glob("*/tasks.vectors.npy"))
    data = bytearray(vectors.read_bytes())
    data[-8:] = bytes(b ^ 0xFF for b in data[-8:])
    vectors.write_bytes(bytes(data))
    encoder = HashingEncoder()
    with pytest.warns(pf.CacheWarning, match="checksum"):
        PassionFinder(catalog, encoder, cache_home=cache_home)
    assert sum(encoder.calls) > 50


def test_classify_single_and_many(finder: PassionFinder) -> None:
    one = finder.classify("Electrician")
    assert isinstance(one, pf.Classification)
    assert one.best is not None and one.best.title == "Electricians"
    many = finder.classify(["truck driver", "", "registered nurse"], k=2)
    assert [len(c.matches) for c in many] == [2, 0, 2]
    assert many[1].best is None
    assert many[2].best.title == "Registered Nurses"
    assert list(many[0].to_frame().index) == [1, 2]


def test_results_are_deterministic(finder: PassionFinder) -> None:
    a = finder.recommend_many([NURSE, "cooking food", "numbers and spreadsheets"], k=6)
    b = finder.recommend_many([NURSE, "cooking food", "numbers and spreadsheets"], k=6)
    assert [x.to_dict() for x in a] == [x.to_dict() for x in b]


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"k": 0}, ValueError, r"'k' parameter of PassionFinder.recommend must be an int in "
                           r"\[1, 12\]. Got 0 instead"),
    ({"k": 13}, ValueError, r"Got 13 instead"),
    ({"k": 2.5}, ValueError, r"Got 2.5 instead"),
    ({"value_weight": 1.5}, ValueError, r"'value_weight' parameter .* in \[0, 1\]"),
])
def test_argument_errors(finder: PassionFinder, kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        finder.recommend(NURSE, **kwargs)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({}, ValueError, "needs at least one of 'interests', 'strengths' or 'values'"),
    ({"interests": "   ", "strengths": []}, ValueError, "needs at least one"),
    ({"interests": 42}, TypeError, "'interests' of a Profile must be a string"),
    ({"strengths": [1, 2]}, TypeError, "containing int"),
    ({"values": ["creativty"]}, pf.UnknownValueError, "Did you mean 'creativity'"),
    ({"values": {"creativity": -1}}, ValueError, "finite number >= 0. Got -1.0"),
    ({"values": {"creativity": float("nan")}}, ValueError, "finite number"),
    ({"values": {"creativity": 0}}, ValueError, "must not all be zero"),
    ({"values": 3}, TypeError, "'values' of a Profile"),
])
def test_profile_errors(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        Profile(**kwargs)


def test_unknown_value_is_also_a_value_error_and_key_error() -> None:
    with pytest.raises(ValueError):
        Profile(values=["zzz"])
    with pytest.raises(KeyError):
        Profile(values={"zzz": 1})


def test_value_aliases_and_case() -> None:
    assert dict(Profile(values=["Autonomy", "MONEY"]).values) == {
        "independence": 0.5, "financial security": 0.5}
    assert Profile(values="creativity, helping others").values == Profile(
        values=["creativity", "helping others"]).values


def test_recommend_many_rejects_a_single_profile(finder: PassionFinder) -> None:
    with pytest.raises(TypeError, match="use recommend\\(\\) for one"):
        finder.recommend_many("cooking")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a Profile, a string"):
        finder.recommend_many([42])  # type: ignore[list-item]


def test_catalog_type_is_checked() -> None:
    with pytest.raises(TypeError, match="must be a Catalog"):
        PassionFinder(catalog="catalog", model=HashingEncoder())  # type: ignore[arg-type]


def test_public_names() -> None:
    assert set(pf.__all__) == set(pf._EXPORTS)
    for name in pf.__all__:
        assert getattr(pf, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        pf.nope  # noqa: B018
    assert isinstance(pf.VALUES.loc["financial security", "sources"], str)
    assert np.isfinite(len(pf.VALUES))


def test_every_alias_names_one_value() -> None:
    from passionfinder._values import VALUE_ENTRIES, _fold, resolve_value

    for entry in VALUE_ENTRIES:
        for alias in (entry.name, *entry.aliases):
            assert resolve_value(alias) is entry, (alias, entry.name)
    folded = [_fold(a) for e in VALUE_ENTRIES for a in (e.name, *e.aliases)]
    assert len(folded) == len(set(folded))


def test_text_cache_reuses_vectors_of_batch_independent_encoders(
        synthetic_home: Path, cache_home: Path) -> None:
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    encoder = HashingEncoder()
    encoder.batch_independent = True
    finder = PassionFinder(catalog, encoder, cache_home=cache_home, text_cache_size=3)
    uncached = PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    encoder.calls.clear()
    first = finder.recommend(NURSE, k=5)
    again = finder.recommend(NURSE, k=5)
    assert encoder.calls == [3]  # the second call encoded nothing
    assert first == again == uncached.recommend(NURSE, k=5)
    finder.recommend_many(["one", "two", "three", "four"], k=1)
    assert len(finder._text_cache) == 3  # bounded, oldest dropped
    with pytest.raises(ValueError, match="'text_cache_size' parameter"):
        PassionFinder(catalog, encoder, cache_home=cache_home, text_cache_size=-1)


def test_kept_strength_rows_change_nothing(synthetic_home: Path, cache_home: Path) -> None:
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    encoder = HashingEncoder()
    encoder.batch_independent = True
    finder = PassionFinder(catalog, encoder, cache_home=cache_home, text_cache_size=2)
    plain = PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    people = [Profile(interests="giving medications", strengths=["calm", "caring", "careful"]),
              Profile(interests="budgets and numbers", strengths=["careful", "precise"]),
              NURSE]
    first = finder.recommend_many(people, k=5)
    assert list(finder._strength_rows) == ["careful", "precise"]  # the newest two
    again = [finder.recommend(p, k=5) for p in people]  # rows now partly kept, partly new
    assert first == again == plain.recommend_many(people, k=5)
    assert len(plain._strength_rows) == 0  # no keeping with a batch-dependent encoder


def test_no_text_cache_for_batch_dependent_encoders(finder: PassionFinder) -> None:
    encoder = finder.encoder
    assert not getattr(encoder, "batch_independent", False)
    finder.recommend(NURSE, k=1)
    calls = len(encoder.calls)  # type: ignore[attr-defined]
    finder.recommend(NURSE, k=1)
    assert len(encoder.calls) == calls + 1  # type: ignore[attr-defined]


def test_report_and_html_show_steps(finder: PassionFinder) -> None:
    recs = finder.recommend(NURSE, k=2)
    report = recs.report(width=70)
    assert report.startswith("Interest profile")
    assert "1. Registered Nurses" in report and "Starter steps:" in report
    assert "- Try:" in report and "- Connect:" in report
    assert all(len(line) <= 70 for line in report.splitlines()[3:-6] if line.startswith("    "))
    assert " ".join(report.split()).endswith(
        f"tested these modifications. Data: {finder.catalog.source}.")
    html = recs._repr_html_()
    assert "<details>" in html and "starter steps" in html
    assert recs.to_frame()["first_step"].tolist() == [r.starter_steps[0].text for r in recs]


def test_diversity_zero_is_the_plain_ranking(finder: PassionFinder) -> None:
    plain = finder.recommend(NURSE, k=12, diversity=0)
    scores = [r.score for r in plain]
    assert scores == sorted(scores, reverse=True)
    assert finder.diversity == 0.3
    with pytest.raises(ValueError, match="'diversity' parameter of PassionFinder.recommend "
                                         "must be a number in \\[0, 1\\]. Got 2 instead"):
        finder.recommend(NURSE, diversity=2)
