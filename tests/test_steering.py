"""Steering the suggestions: constraints, relevance feedback, explanations and the saved
exploration state, on the synthetic catalog with the hashing test embedder (real model and
data at the end, marked slow)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from embedder import HashingEncoder

import passionfinder as pf
from passionfinder import Constraints, NoOccupationPassesError, PassionFinder, Profile
from passionfinder.cli import main


@pytest.fixture
def finder(synthetic_home: Path, cache_home: Path) -> PassionFinder:
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    return PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)


NURSE = Profile(interests="caring for patients, giving medications and monitoring patient health",
                strengths=["calm", "caring"], values=["helping others", "good pay"])
CODER = Profile(interests="writing code and building software, analysing data",
                strengths=["careful"])
AVOIDER = Profile(interests="building wooden cabinets and framing houses, but I hate driving",
                  values={"independence": 2, "job security": 1})


def occ(finder: PassionFinder, code: str) -> pd.Series:
    return finder.catalog.occupations.loc[code]


# -- constraints --------------------------------------------------------------------------------
def test_filter_excludes_what_it_should_and_keeps_k(finder: PassionFinder) -> None:
    full = finder.recommend(NURSE, k=len(finder.catalog), diversity=0)
    recs = finder.recommend(NURSE, k=4, diversity=0, where={"max_job_zone": 3})
    assert len(recs) == 4
    assert all(occ(finder, r.onet_soc_code)["job_zone"] <= 3 for r in recs)
    # the same occupations, scores and order as the full ranking with the others taken out
    passing = [r for r in full if occ(finder, r.onet_soc_code)["job_zone"] <= 3][:4]
    assert [r.onet_soc_code for r in recs] == [r.onet_soc_code for r in passing]
    assert [r.score for r in recs] == pytest.approx([r.score for r in passing], abs=1e-6)
    assert recs.candidates == int((finder.catalog.occupations["job_zone"] <= 3).sum())
    assert recs.constraints == Constraints(max_job_zone=3)


def test_filter_applies_before_diversity(finder: PassionFinder) -> None:
    recs = finder.recommend(NURSE, k=5, diversity=1.0, where={"max_job_zone": 3})
    assert len(recs) == 5  # exactly the five occupations of zone 3 or less
    assert all(occ(finder, r.onet_soc_code)["job_zone"] <= 3 for r in recs)


def test_no_data_is_excluded_and_counted(finder: PassionFinder) -> None:
    occupations = finder.catalog.occupations
    no_wage = set(occupations.index[occupations["wage_median"].isna()])
    assert no_wage  # the synthetic release has occupations without a wage
    recs = finder.recommend(NURSE, k=5, where=Constraints(min_wage=50_000))
    assert recs.excluded_no_data == {"wage_median": len(no_wage)}
    assert not no_wage & {r.onet_soc_code for r in recs}
    assert all(occupations.loc[r.onet_soc_code, "wage_median"] >= 50_000 for r in recs)
    assert "left out for no data on wage median" in recs.report()
    assert recs.to_dict()["excluded_no_data"] == {"wage_median": len(no_wage)}


def test_fewer_pass_than_k_gives_those_that_pass(finder: PassionFinder) -> None:
    recs = finder.recommend(NURSE, k=5, where={"codes": ["47-2031.00", "29-1141.00"]})
    assert [r.onet_soc_code for r in recs] == ["29-1141.00", "47-2031.00"]


def test_nothing_passes_raises(finder: PassionFinder) -> None:
    with pytest.raises(NoOccupationPassesError, match="No occupation passes the constraints "
                       r"\(median wage at least \$900,000\).*wage_median: 0"):
        finder.recommend(NURSE, where={"min_wage": 900_000})
    with pytest.raises(ValueError):  # also a ValueError
        finder.recommend_many([NURSE], where={"max_job_zone": 1})


def test_education_families_and_codes(finder: PassionFinder) -> None:
    occupations = finder.catalog.occupations
    school = finder.recommend(NURSE, k=3, where={"max_education": "high school"})
    assert {occupations.loc[r.onet_soc_code, "entry_education"] for r in school} <= {
        "High school diploma or equivalent", "No formal educational credential"}
    assert school.excluded_no_data == {"entry_education": 1}
    for name in ("Healthcare", "29-0000", "29", "healthcare practitioners and technical"):
        recs = finder.recommend(NURSE, k=1, where={"families": name})
        assert [r.title for r in recs] == ["Registered Nurses"], name
    kept = finder.recommend(NURSE, k=11, where={"exclude_families": ["Management"],
                                                "exclude_codes": "29-1141.00"})
    assert len(kept) == 10
    assert not {"Marketing Managers", "Registered Nurses"} & {r.title for r in kept}


@pytest.mark.parametrize(("where", "error", "match"), [
    ({"max_job_zone": 6}, pf.InvalidInputError, "'max_job_zone'.*int from 1 to 5. Got 6"),
    ({"min_job_zone": True}, pf.InvalidInputError, "'min_job_zone'.*Got True"),
    ({"min_job_zone": 4, "max_job_zone": 2}, pf.InvalidInputError, "must not be above"),
    ({"min_wage": -1}, pf.InvalidInputError, "'min_wage'.*at least 0. Got -1"),
    ({"min_wage": math.nan}, pf.InvalidInputError, "'min_wage'.*finite"),
    ({"min_growth": -120}, pf.InvalidInputError, "'min_growth'.*at least -100"),
    ({"max_education": "bachlor's degree"}, pf.InvalidInputError,
     "Did you mean \"Bachelor's degree\""),
    ({"families": "Helthcare"}, pf.InvalidInputError,
     "'Helthcare', which is no job family.*Did you mean 'Healthcare Practitioners"),
    ({"families": [3]}, pf.InputTypeError, "non-empty strings"),
    ({"codes": ["29-1141.01"]}, pf.UnknownOccupationError, "No occupation '29-1141.01'"),
    ({"max_zone": 3}, pf.InvalidInputError, "unknown key.*Did you mean 'max_job_zone'"),
    ("zone 3", pf.InputTypeError, "must be a passionfinder.Constraints or a dict"),
])
def test_bad_constraints_are_clear_errors(finder: PassionFinder, where: object,
                                          error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        finder.recommend(NURSE, where=where)  # type: ignore[arg-type]


def test_constraints_record() -> None:
    c = Constraints(max_education="associate", min_wage=45_000, families="Healthcare")
    assert c.max_education == "Associate's degree"
    assert c.families == ("Healthcare",)
    assert Constraints.from_dict(json.loads(json.dumps(c.to_dict()))) == c
    assert bool(c) and not Constraints()
    assert "median wage at least $45,000" in c.describe()
    assert repr(c).startswith("Constraints(max_education=")


def test_constraints_in_batch_calls(finder: PassionFinder) -> None:
    where = {"max_job_zone": 3, "exclude_families": "Construction"}
    many = finder.recommend_many([NURSE, CODER], k=3, where=where)
    assert many[0] == finder.recommend(NURSE, k=3, where=where)
    survey = pd.DataFrame({"who": ["a", "b"], "likes": [NURSE.interests, CODER.interests]})
    out = finder.score_frame(survey, interests="likes", id="who", k=3, where=where)
    assert len(out) == 6 and (out["status"] == "ok").all()
    zones = finder.catalog.occupations.loc[out["onet_soc_code"], "job_zone"]
    assert (zones <= 3).all()
    assert not out["job_family"].eq("Construction and Extraction").any()
    with pytest.raises(NoOccupationPassesError):  # checked once, before any row
        finder.score_frame(survey, interests="likes", where={"min_wage": 10**7})


def test_constraints_in_score_file_and_resume_manifest(finder: PassionFinder,
                                                       tmp_path: Path) -> None:
    source = tmp_path / "survey.csv"
    pd.DataFrame({"likes": [NURSE.interests, CODER.interests, None]}).to_csv(source,
                                                                            index=False)
    summary = finder.score_file(source, tmp_path / "out.csv", interests="likes", k=2,
                                where={"families": ["Computer"]})
    assert (summary.ok, summary.empty) == (2, 1)
    out = pd.read_csv(tmp_path / "out.csv")
    assert set(out["job_family"].dropna()) == {"Computer and Mathematical"}


def test_resume_refuses_other_constraints(finder: PassionFinder, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from passionfinder import _batch

    source = tmp_path / "survey.csv"
    pd.DataFrame({"likes": [NURSE.interests] * 3}).to_csv(source, index=False)
    out = tmp_path / "out.parquet"
    with monkeypatch.context() as patch:  # the run's finished chunks stay, as after a crash
        patch.setattr(_batch.shutil, "rmtree", lambda path: None)
        finder.score_file(source, out, interests="likes", chunk_size=1,
                          where={"max_job_zone": 3})
    with pytest.raises(ValueError, match="the earlier run differs in constraints\\."):
        finder.score_file(source, out, interests="likes", chunk_size=1, resume=True,
                          where={"max_job_zone": 2})
    summary = finder.score_file(source, out, interests="likes", chunk_size=1, resume=True,
                                where={"max_job_zone": 3})
    assert summary.resumed_chunks == 3


def test_constraints_reach_the_dask_partitions(finder: PassionFinder,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    dd = pytest.importorskip("dask.dataframe")
    from passionfinder import dask as pf_dask

    # the worker's finder for the default settings is this one (no model to load)
    monkeypatch.setitem(pf_dask._FINDERS, (None, None, None, "int8"), finder)
    frame = pd.DataFrame({"likes": [NURSE.interests, CODER.interests]})
    where = {"max_job_zone": 3, "exclude_codes": ["29-1141.00"]}
    lazy = pf_dask.score_dask(dd.from_pandas(frame, npartitions=2), interests="likes", k=2,
                              where=where)
    out = lazy.compute(scheduler="sync")
    expected = finder.score_frame(frame, interests="likes", k=2, where=where)
    assert out["onet_soc_code"].tolist() == expected["onet_soc_code"].tolist()
    assert "29-1141.00" not in set(out["onet_soc_code"])
    with pytest.raises(pf.InvalidInputError, match="'max_job_zone'"):  # on the client
        pf_dask.score_dask(dd.from_pandas(frame, npartitions=1), interests="likes",
                           where={"max_job_zone": 9})


def test_cli_constraint_flags_are_checked_before_loading(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    code = main(["recommend", "--interests", "caring for patients", "--max-job-zone", "9"])
    assert code == 2
    assert "'max_job_zone'" in capsys.readouterr().err
    code = main(["explain", "Nurses", "--interests", "x", "--max-education", "college"])
    assert code == 2


# -- feedback -----------------------------------------------------------------------------------
def test_feedback_keeps_liked_and_drops_disliked(finder: PassionFinder) -> None:
    first = finder.recommend(CODER, k=4)
    liked, disliked = first[3].onet_soc_code, first[0].onet_soc_code
    again = finder.recommend(CODER, k=4, liked=[liked], disliked=[first[0]])
    codes = [r.onet_soc_code for r in again]
    assert liked in codes and disliked not in codes and len(codes) == 4
    assert again.liked == (liked,) and again.disliked == (disliked,)


def test_feedback_in_recommend_many_is_per_profile(finder: PassionFinder) -> None:
    many = finder.recommend_many([NURSE, CODER, NURSE], k=3,
                                 liked=[["Electricians"], None, []],
                                 disliked=[None, ["Software Developers"], None])
    assert many[0] == finder.recommend(NURSE, k=3, liked=["Electricians"])
    assert many[1] == finder.recommend(CODER, k=3, disliked=["Software Developers"])
    assert many[2] == finder.recommend(NURSE, k=3)
    with pytest.raises(pf.InvalidInputError, match="one list of occupations .* per profile, 2"):
        finder.recommend_many([NURSE, CODER], liked=[["Electricians"]])


def test_feedback_moves_the_list_toward_liked_and_away_from_disliked(
        finder: PassionFinder) -> None:
    before = finder.explain(CODER, ["Data Scientists", "Software Developers"], diversity=0)
    liked = finder.explain(CODER, ["Data Scientists", "Software Developers"], diversity=0,
                           liked=["Data Scientists"])
    # the liked occupation's interest match rises, and it moves to the top
    assert liked[0].field_scores["interests"] > before[0].field_scores["interests"]
    assert liked[0].list_rank == 1 and before[0].list_rank == 2
    disliked = finder.explain(CODER, "Software Developers", diversity=0,
                              disliked=["Software Developers"])
    assert disliked.field_scores["interests"] < before[1].field_scores["interests"]
    assert disliked.list_rank is None
    assert [h.kind for h in disliked.held_back][:1] == ["disliked"]


def test_feedback_leaves_values_and_constraints_alone(finder: PassionFinder) -> None:
    where = {"max_job_zone": 3}
    plain = finder.recommend(NURSE, k=5, where=where)
    # a liked occupation that fails the constraints stays out: constraints come first
    moved = finder.recommend(NURSE, k=5, where=where, liked=["Software Developers"])
    assert "Software Developers" not in {r.title for r in moved}
    value = {r.onet_soc_code: r.value_score for r in plain}
    for r in moved:
        if r.onet_soc_code in value:
            assert r.value_score == pytest.approx(value[r.onet_soc_code], abs=1e-6)
    assert moved.value_weights == plain.value_weights


def test_feedback_without_interests_uses_the_liked_occupations(finder: PassionFinder) -> None:
    person = Profile(strengths=["careful"], values=["good pay"])
    recs = finder.recommend(person, k=3, liked=["Electricians"])
    assert "Electricians" in {r.title for r in recs}
    # the liked occupation now makes the interest query: it matches it best
    why = finder.explain(person, finder.catalog.codes, liked=["Electricians"])
    interests = {ex.title: ex.field_scores["interests"] for ex in why}
    assert max(interests, key=interests.__getitem__) == "Electricians"
    assert "interests" not in finder.recommend(person, k=3)[0].field_scores


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"liked": ["29-1141.00"], "disliked": ["Registered Nurses"]}, pf.InvalidInputError,
     "share 29-1141.00"),
    ({"liked": ["Registerd Nurses"]}, pf.UnknownOccupationError,
     "Did you mean 29-1141.00 \\(Registered Nurses\\)"),
    ({"liked": [7]}, pf.InputTypeError, "codes or titles"),
    ({"liked": ["29-1141.00", "47-2031.00"], "k": 1}, pf.InvalidInputError,
     "at least the number of liked"),
])
def test_bad_feedback_is_a_clear_error(finder: PassionFinder, kwargs: dict, error: type,
                                       match: str) -> None:
    with pytest.raises(error, match=match):
        finder.recommend(NURSE, **kwargs)


# -- explain ------------------------------------------------------------------------------------
@pytest.mark.parametrize("person", [NURSE, CODER, AVOIDER, Profile(values=["good pay"]),
                                    Profile(strengths=["calm", "strong"])])
def test_explain_parts_add_up_to_the_recommended_score(finder: PassionFinder,
                                                       person: Profile) -> None:
    n = len(finder.catalog)
    recs = finder.recommend(person, k=n, diversity=0)
    why = finder.explain(person, [r.onet_soc_code for r in recs], k=n, diversity=0)
    for rec, ex in zip(recs, why, strict=True):
        assert ex.onet_soc_code == rec.onet_soc_code
        assert sum(p.contribution for p in ex.parts) == pytest.approx(rec.score, abs=1e-5)
        assert ex.score == pytest.approx(rec.score, abs=1e-9)
        assert ex.list_rank == rec.rank
        assert ex.match_score == pytest.approx(rec.match_score, abs=1e-9)
        values = [p for p in ex.parts if p.kind == "value"]
        assert [p.name for p in values] == [f"value: {v}" for v in recs.value_weights]
        if rec.value_score is not None:
            share = sum(p.contribution for p in values)
            assert share == pytest.approx(recs.value_weight * rec.value_score, abs=1e-5)
    assert sorted(ex.rank for ex in why) == list(range(1, n + 1))


def test_explain_with_constraints_feedback_and_diversity(finder: PassionFinder) -> None:
    where = {"max_job_zone": 3}
    recs = finder.recommend(NURSE, k=3, where=where, liked=["Electricians"])
    for rec in recs:
        ex = finder.explain(NURSE, rec.title, k=3, where=where, liked=["Electricians"])
        assert ex.list_rank == rec.rank
        assert sum(p.contribution for p in ex.parts) == pytest.approx(rec.score, abs=1e-5)
    out = finder.explain(NURSE, "Software Developers", k=3, where=where)
    assert out.list_rank is None and out.candidate_rank is None
    assert out.held_back[0].kind == "constraint"
    assert "job zone 4 is outside the 1-3" in out.held_back[0].text
    assert out.cutoff == pytest.approx(finder.recommend(NURSE, k=3, where=where)[-1].score)


def test_explain_names_the_diversity_step(finder: PassionFinder,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # make two occupations near-duplicates, as job variants are in the real catalog
    sim = np.array(finder._occupation_similarity, copy=True)
    rows = finder._code_rows
    a, b = rows["15-1252.00"], rows["15-2051.00"]
    sim[a, b] = sim[b, a] = 0.97
    monkeypatch.setattr(PassionFinder, "_occupation_similarity", property(lambda self: sim))
    plain = [r.onet_soc_code for r in finder.recommend(CODER, k=3, diversity=0)]
    spread = [r.onet_soc_code for r in finder.recommend(CODER, k=3, diversity=0.8)]
    pushed = [c for c in plain if c not in spread]
    assert pushed == ["15-2051.00"]
    ex = finder.explain(CODER, pushed[0], k=3, diversity=0.8)
    assert ex.list_rank is None and ex.candidate_rank == 2
    diversity = [h for h in ex.held_back if h.kind == "diversity"]
    assert diversity and "Software Developers" in diversity[0].text


def test_explain_weak_match_and_values(finder: PassionFinder) -> None:
    ex = finder.explain(NURSE, "Heavy and Tractor-Trailer Truck Drivers", k=3)
    kinds = {h.kind for h in ex.held_back}
    assert "weak match" in kinds
    assert ex.list_rank is None and ex.rank > 3
    avoid = finder.explain(AVOIDER, "Heavy and Tractor-Trailer Truck Drivers", k=3)
    assert "avoided" in {h.kind for h in avoid.held_back}
    assert any(p.name == "avoided topics" and p.contribution < 0 for p in avoid.parts)


def test_explain_views_and_errors(finder: PassionFinder) -> None:
    ex = finder.explain("<b>caring</b> for patients", "registered nurses", k=3)
    assert ex.title == "Registered Nurses"
    text = ex.report()
    assert "Score parts (they add up to the score)" in text and "= score" in text
    assert " ".join(finder.catalog.attribution.split()) in " ".join(text.split())
    assert str(finder.catalog.source) in text.splitlines()[-1]  # a path is never broken
    html = dataclasses.replace(ex, title="<b>Nurses</b>")._repr_html_()
    assert "<b>Nurses</b>" not in html and "&lt;b&gt;Nurses&lt;/b&gt;" in html
    assert json.loads(json.dumps(ex.to_dict()))["onet_soc_code"] == "29-1141.00"
    assert repr(ex).startswith("<Explanation 29-1141.00 'Registered Nurses'")
    with pytest.raises(pf.UnknownOccupationError, match="Did you mean 29-1141.00"):
        finder.explain(NURSE, "Registerd Nurses")
    with pytest.raises(pf.InputTypeError, match="'occupation'"):
        finder.explain(NURSE, 29)  # type: ignore[arg-type]


def test_compare_side_by_side(finder: PassionFinder) -> None:
    both = finder.compare(NURSE, "Registered Nurses", "Electricians", k=3)
    assert both.first.title == "Registered Nurses" and both.second.title == "Electricians"
    frame = both.to_frame()
    assert frame.loc["score"].tolist() == [both.first.score, both.second.score]
    assert "29-1141.00" in both.report() and "<table>" in both._repr_html_()


# -- exploration state -------------------------------------------------------------------------
def test_exploration_state_round_trips_as_json(finder: PassionFinder) -> None:
    state = pf.Exploration(NURSE).like("47-2111.00").dislike("35-1011.00").constrain(
        max_job_zone=3, families=["Healthcare", "Construction"])
    text = state.to_json()
    assert json.loads(text)["version"] == 1
    back = pf.Exploration.from_json(text)
    assert back == state
    assert back.recommend(finder, k=3) == finder.recommend(
        NURSE, k=3, where=state.constraints, liked=state.liked, disliked=state.disliked)
    assert back.explain(finder, "Electricians", k=3).list_rank is not None
    flipped = back.like("35-1011.00")
    assert flipped.liked == ("47-2111.00", "35-1011.00") and flipped.disliked == ()
    assert back.constrain(max_job_zone=None).constraints == Constraints(
        families=("Healthcare", "Construction"))


@pytest.mark.parametrize(("text", "match"), [
    ("{", "not valid JSON"),
    ('{"version": 99, "profile": {"interests": "x"}}', "newer than this"),
    ('{"liked": []}', "no 'profile'"),
    ('{"profile": {"interests": "x"}, "pickle": 1}', "unknown key"),
    ('{"profile": {"interests": "x"}, "liked": ["a"], "disliked": ["a"]}', "both liked"),
    ('{"profile": {"interests": "x"}, "constraints": {"max_job_zone": 0}}', "job zone"),
])
def test_exploration_state_errors(text: str, match: str) -> None:
    with pytest.raises(pf.PassionfinderError, match=match):
        pf.Exploration.from_json(text)


# -- real model and data ------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.data
def test_real_constraints_feedback_and_explain(real_finder: PassionFinder) -> None:
    person = Profile(interests="I love caring for people and I'm fascinated by how the body "
                               "works", values=["helping others", "good pay"])
    where = Constraints(max_job_zone=3, min_wage=45_000, families="Healthcare")
    recs = real_finder.recommend(person, k=10, where=where)
    assert len(recs) == 10
    occupations = real_finder.catalog.occupations.loc[[r.onet_soc_code for r in recs]]
    assert (occupations["job_zone"] <= 3).all() and (occupations["wage_median"] >= 45_000).all()
    assert occupations["job_family"].str.startswith("Healthcare").all()
    assert recs.excluded_no_data["job_zone"] > 0
    why = real_finder.explain(person, [r.onet_soc_code for r in recs] + ["29-1141.00"],
                              k=10, where=where)
    for rec, ex in zip(recs, why, strict=False):
        assert sum(p.contribution for p in ex.parts) == pytest.approx(rec.score, abs=1e-5)
        assert ex.list_rank == rec.rank
    refined = real_finder.recommend(person, k=10, where=where, liked=[recs[2]],
                                    disliked=[recs[0]])
    assert recs[2].onet_soc_code in {r.onet_soc_code for r in refined}
    assert recs[0].onet_soc_code not in {r.onet_soc_code for r in refined}


def test_rocchio_shifts_against_brute_force(finder: PassionFinder) -> None:
    from passionfinder._feedback import ALPHA, BETA, GAMMA, Feedback, shift_lexical, shift_query

    fb = Feedback(liked=(2, 3), disliked=(9,))
    # word space: a person whose words are occupation 0's document
    docs = finder.index.lexical.documents
    dense = np.asarray(docs.todense(), dtype=np.float64)
    own = dense @ dense[0]
    query = ALPHA * dense[0] + BETA * dense[[2, 3]].mean(0) - GAMMA * dense[9]
    expected = dense @ query / np.linalg.norm(query)
    assert shift_lexical(own.astype(np.float32), docs, fb) == pytest.approx(expected, abs=1e-5)
    no_words = shift_lexical(np.zeros(len(dense), np.float32), docs, Feedback(liked=(2,)))
    assert no_words == pytest.approx(dense @ dense[2], abs=1e-5)
    # embedding space
    vectors = finder._occupation_vectors
    q = np.zeros(vectors.shape[1], np.float32)
    q[0] = 1.0
    moved = shift_query(q, vectors, fb)
    raw = ALPHA * q + BETA * vectors[[2, 3]].mean(0) - GAMMA * vectors[9]
    assert moved == pytest.approx(raw / np.linalg.norm(raw), abs=1e-3)  # on the 2^-11 grid
    assert float(moved @ vectors[2]) > float(q @ vectors[2])


@pytest.mark.slow
@pytest.mark.data
def test_cli_explain_and_steered_recommend(real_data_home: Path, model_cache_home: Path,
                                           real_finder: PassionFinder) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PASSIONFINDER_DATA": str(real_data_home),
           "PASSIONFINDER_CACHE": str(model_cache_home), "HF_HUB_OFFLINE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "passionfinder.cli", *args],
                              capture_output=True, text=True, env=env, timeout=600)

    person = ("--interests", "I love caring for people and how the body works",
              "--values", "helping others")
    out = run("recommend", *person, "-k", "3", "--max-job-zone", "3", "--min-wage", "45000",
              "--family", "Healthcare", "--like", "Registered Nurses", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["recommendations"]) == 3
    assert data["constraints"] == {"max_job_zone": 3, "min_wage": 45000.0,
                                   "families": ["Healthcare"]}
    assert data["liked"] == ["29-1141.00"]
    assert all(r["job_family"].startswith("Healthcare") for r in data["recommendations"])
    out = run("explain", "Registered Nurses", *person, "-k", "5", "--max-job-zone", "2")
    assert out.returncode == 0, out.stderr
    assert "Registered Nurses (29-1141.00): not in your list of 5" in out.stdout
    assert "constraint: job zone" in out.stdout
    out = run("explain", "29-1141.00", "Paramedics", *person, "-k", "5")
    assert out.returncode == 0 and "= score" in out.stdout
    out = run("explain", "Registerd Nurses", *person)
    assert out.returncode == 2 and "Did you mean 29-1141.00" in out.stderr
    out = run("recommend", *person, "--min-wage", "900000")
    assert out.returncode == 1 and "No occupation passes" in out.stderr


@pytest.mark.slow
@pytest.mark.data
def test_real_explain_tells_no_data_from_a_weak_match(real_finder: PassionFinder) -> None:
    """An occupation without RIASEC data counts as the average there: explain says so and does
    not hold it back as a weak match on that part."""
    import numpy as np

    o = next(i for i in range(len(real_finder._codes)) if np.isnan(real_finder._riasec[i]).any())
    why = real_finder.explain("I like anatomy and helping people who are hurt",
                              str(real_finder._codes[o]), k=5)
    riasec = next(p for p in why.parts if p.name == "RIASEC interest types")
    assert riasec.contribution == 0.0 and riasec.detail.startswith("no data")
    assert not any("RIASEC" in h.text for h in why.held_back if h.kind == "weak match")
