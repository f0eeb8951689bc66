"""Batch scoring of survey answers: score_frame, score_file (CSV / Parquet, resume) and the
`passionfinder score` command. Fast tests on the synthetic catalog with the test embedder;
the kill-and-resume test runs the real command in a subprocess on the real data."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from embedder import HashingEncoder

import passionfinder as pf
from passionfinder import PassionFinder
from passionfinder._batch import OUTPUT_COLUMNS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def finder(synthetic_home: Path, cache_home: Path) -> PassionFinder:
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    return PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values only: one missing marker and no dtype differences between file formats."""
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def survey() -> pd.DataFrame:
    return pd.DataFrame({
        "who": ["a", "b", "c", "d", "e", "f", "g", "h"],
        "likes": ["caring for patients and giving medications", None, "   ", "🙂🙂 !!",
                  "numbers, budgets and spreadsheets", "caring for patients and giving medications",
                  "fixing engines", 42],
        "good_at": ["calm, caring", np.nan, "", "", None, "calm, caring", "patient", None],
        "matters": ["helping others", None, None, None, "good pay", "helping others", None,
                    None],
    })


FIELDS = {"interests": "likes", "strengths": "good_at", "values": "matters", "id": "who"}


def test_every_row_is_accounted_for(finder: PassionFinder) -> None:
    df = survey()
    before = df.copy()
    out = finder.score_frame(df, **FIELDS, k=3)
    pd.testing.assert_frame_equal(df, before)  # the input is never modified
    assert list(out.columns) == ["who", *OUTPUT_COLUMNS]
    assert list(dict.fromkeys(out["who"])) == list(df["who"])  # every row, in input order
    status = out.groupby("who", sort=False)["status"].first().to_dict()
    assert status == {"a": "ok", "b": "empty", "c": "empty", "d": "empty", "e": "ok",
                      "f": "ok", "g": "ok", "h": "error"}
    ok = out[out["status"] == "ok"]
    assert ok.groupby("who").size().eq(3).all()
    assert ok["rank"].tolist()[:3] == [1, 2, 3]
    assert out.loc[out["who"] == "a", "title"].iloc[0] == "Registered Nurses"
    assert ok["first_step"].map(lambda s: isinstance(s, str) and len(s) > 40).all()
    assert ok["evidence"].notna().all()
    others = out[out["status"] != "ok"]
    assert others["rank"].isna().all() and others["title"].isna().all()
    messages = dict(zip(others["who"], others["message"], strict=True))
    assert messages["b"] == ("Nothing to score: interests, strengths and values are all "
                             "empty or missing.")
    assert messages["d"] == "Nothing to score: no letters in interests."
    assert "must be a string or a list of strings. Got int instead." in messages["h"]
    # identical answers, identical results
    a = out[out["who"] == "a"].drop(columns="who").reset_index(drop=True)
    f = out[out["who"] == "f"].drop(columns="who").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, f)
    assert out["rank"].dtype == "Int64" and out["score"].dtype == "float64"


def test_results_are_those_of_recommend(finder: PassionFinder) -> None:
    out = finder.score_frame(survey(), **FIELDS, k=4)
    recs = finder.recommend(pf.Profile(interests="numbers, budgets and spreadsheets",
                                       values="good pay"), k=4)
    rows = out[out["who"] == "e"]
    assert rows["onet_soc_code"].tolist() == [r.onet_soc_code for r in recs]
    assert np.allclose(rows["score"], [r.score for r in recs])
    assert rows["first_step"].tolist() == [r.starter_steps[0].text for r in recs]


def test_chunking_and_dedup_do_not_change_results(finder: PassionFinder) -> None:
    df = pd.concat([survey()] * 3, ignore_index=True)
    df["who"] = [f"r{i}" for i in range(len(df))]
    whole = finder.score_frame(df, **FIELDS, chunk_size=1000)
    pieces = finder.score_frame(df, **FIELDS, chunk_size=2)
    pd.testing.assert_frame_equal(whole, pieces)


def test_identical_texts_are_encoded_once(synthetic_home: Path, cache_home: Path) -> None:
    encoder = HashingEncoder()
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    finder = PassionFinder(catalog, encoder, cache_home=cache_home)
    df = pd.DataFrame({"likes": ["fixing engines", "teaching children"] * 50})
    encoder.calls.clear()
    out = finder.score_frame(df, interests="likes", k=2)
    assert len(out) == 200 and set(out["row"]) == set(range(100))
    assert sum(encoder.calls) == 2 + 0  # two distinct texts (the option check uses none)


def test_default_id_is_the_index_label(finder: PassionFinder) -> None:
    df = survey().set_index("who")
    out = finder.score_frame(df, interests="likes", k=1)
    assert list(out["row"]) == list(df.index)


def test_a_failing_profile_does_not_stop_the_run(finder: PassionFinder,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = PassionFinder.recommend_many

    def fragile(self: PassionFinder, profiles, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any(p.interests == "fixing engines" for p in profiles):
            raise RuntimeError("index went away")
        return real(self, profiles, *args, **kwargs)

    monkeypatch.setattr(PassionFinder, "recommend_many", fragile)
    out = finder.score_frame(survey(), **FIELDS, k=2)
    status = out.groupby("who", sort=False)["status"].first()
    assert status["g"] == "error"
    assert out.loc[out["who"] == "g", "message"].item() == "RuntimeError: index went away"
    assert status["a"] == status["e"] == "ok"


def test_bad_arguments_name_the_problem(finder: PassionFinder) -> None:
    df = survey()
    with pytest.raises(KeyError, match=r"names column 'nope', which the input does not have\. "
                                       r"Its columns are: 'who', 'likes'"):
        finder.score_frame(df, interests="nope")
    with pytest.raises(pf.PassionfinderError):
        finder.score_frame(df, interests="nope")
    with pytest.raises(ValueError, match="needs at least one of 'interests', 'strengths' or "
                                         "'values' to name a column"):
        finder.score_frame(df, id="who")
    with pytest.raises(TypeError, match="must be a pandas DataFrame. Got list instead"):
        finder.score_frame([{"likes": "x"}], interests="likes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'k' parameter .* must be an int in \[1, 12\]"):
        finder.score_frame(df, interests="likes", k=0)
    with pytest.raises(ValueError, match=r"'chunk_size' parameter .* Got 0 instead"):
        finder.score_frame(df, interests="likes", chunk_size=0)
    with pytest.raises(TypeError, match="'interests' parameter .* must be a column name"):
        finder.score_frame(df, interests=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is called 'status', which is also the name of an "
                                         "output column"):
        finder.score_frame(df.rename(columns={"who": "status"}), interests="likes", id="status")


def test_an_empty_frame_gives_an_empty_result(finder: PassionFinder) -> None:
    out = finder.score_frame(survey().iloc[:0], **FIELDS)
    assert out.empty and list(out.columns) == ["who", *OUTPUT_COLUMNS]


# -- files -------------------------------------------------------------------------------------
def test_csv_to_parquet_and_back(finder: PassionFinder, tmp_path: Path) -> None:
    df = survey().astype({"likes": str}).replace({"nan": None, "None": None})
    df.loc[df["who"] == "h", "likes"] = "42"  # a CSV has no numbers, only text (no letters)
    src = tmp_path / "survey.csv"
    df.to_csv(src, index=False)
    summary = finder.score_file(src, tmp_path / "out.parquet", **FIELDS, k=2, chunk_size=3)
    assert (summary.rows, summary.ok, summary.empty, summary.errors) == (8, 4, 4, 0)
    assert summary.chunks == 3 and summary.resumed_chunks == 0
    assert str(summary).startswith("Scored 8 rows: 4 ok, 4 empty, 0 with errors -> ")
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet.parts").exists()
    expected = finder.score_frame(pd.read_csv(src, dtype=str), **FIELDS, k=2)
    pd.testing.assert_frame_equal(plain(out), plain(expected))
    # parquet in, CSV out, no id column: the row number is the id
    summary = finder.score_file(tmp_path / "out.parquet", tmp_path / "again.csv",
                                interests="title", k=1)
    again = pd.read_csv(tmp_path / "again.csv")
    assert summary.rows == len(out) and list(again["row"]) == list(range(len(out)))


def test_file_errors(finder: PassionFinder, tmp_path: Path) -> None:
    src = tmp_path / "survey.csv"
    survey().to_csv(src, index=False)
    with pytest.raises(ValueError, match=r"The 'output' file must end in one of .csv"):
        finder.score_file(src, tmp_path / "out.xlsx", interests="likes")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        finder.score_file(tmp_path / "none.csv", tmp_path / "out.csv", interests="likes")
    with pytest.raises(KeyError, match="names column 'interests'"):
        finder.score_file(src, tmp_path / "out.csv", interests="interests")
    header_only = tmp_path / "empty.csv"
    header_only.write_text("who,likes\n")
    summary = finder.score_file(header_only, tmp_path / "empty.parquet", interests="likes",
                                id="who")
    assert summary.rows == 0
    assert list(pd.read_parquet(tmp_path / "empty.parquet").columns) == ["who", *OUTPUT_COLUMNS]


def test_unreadable_files_and_missing_folders(finder: PassionFinder, tmp_path: Path) -> None:
    bad_parquet = tmp_path / "bad.parquet"
    bad_parquet.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(pf.DataFormatError, match="Cannot read the survey file .*bad.parquet"):
        finder.score_file(bad_parquet, tmp_path / "out.csv", interests="likes")
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text('who,likes\n1,"an answer that never ends\n')
    with pytest.raises(pf.DataFormatError, match="Cannot read the survey file .*bad.csv"):
        finder.score_file(bad_csv, tmp_path / "out.csv", interests="likes", id="who")
    good = tmp_path / "good.csv"
    survey().to_csv(good, index=False)
    with pytest.raises(FileNotFoundError, match="The folder of the 'output' file"):
        finder.score_file(good, tmp_path / "no" / "such" / "out.csv", interests="likes")
    assert not (tmp_path / "no").exists()  # nothing created on the way


def test_csv_output_keeps_ranks_whole(finder: PassionFinder, tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    survey().to_csv(src, index=False)
    finder.score_file(src, tmp_path / "o.csv", **FIELDS, k=2)
    lines = (tmp_path / "o.csv").read_text().splitlines()
    assert lines[0].startswith("who,status,message,rank,")
    assert lines[1].startswith("a,ok,,1,") and lines[2].startswith("a,ok,,2,")
    assert any(line.startswith('b,empty,"Nothing to score') for line in lines)


def test_files_as_researchers_keep_them(finder: PassionFinder, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    likes = ["caring for patients", "fixing engines", "numbers and budgets", "N/A"]
    # list columns, an int id with a gap, and "N/A" meaning nothing
    pq.write_table(pa.table({
        "rid": pa.array([1, None, 3, 4], pa.int64()), "likes": likes,
        "vals": [["helping others"], ["good pay", "independence"], None, []],
        "str": [["calm", "caring"], ["patient"], [], None]}), tmp_path / "lists.parquet")
    summary = finder.score_file(tmp_path / "lists.parquet", tmp_path / "o.csv",
                                interests="likes", values="vals", strengths="str", id="rid",
                                k=np.int64(1))
    assert (summary.ok, summary.empty, summary.errors) == (3, 1, 0)
    lines = (tmp_path / "o.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in lines] == ["rid", "1", "", "3", "4"]
    # an id kept as the pandas index of a Parquet file
    pd.DataFrame({"likes": likes}, index=pd.Index(["a", "b", "c", "d"], name="rid")).to_parquet(
        tmp_path / "idx.parquet")
    finder.score_file(tmp_path / "idx.parquet", tmp_path / "i.csv", interests="likes", id="rid")
    assert list(dict.fromkeys(pd.read_csv(tmp_path / "i.csv")["rid"])) == ["a", "b", "c", "d"]
    # CSV ids are text, whatever they look like
    pd.DataFrame({"rid": ["NA", "null", "007", "None"], "likes": likes}).to_csv(
        tmp_path / "s.csv", index=False)
    finder.score_file(tmp_path / "s.csv", tmp_path / "n.parquet", interests="likes", id="rid")
    ids = list(dict.fromkeys(pd.read_parquet(tmp_path / "n.parquet")["rid"]))
    assert ids == ["NA", "null", "007", "None"]
    with pytest.raises(ValueError, match="would overwrite the answers"):
        finder.score_file(tmp_path / "s.csv", tmp_path / "." / "s.csv", interests="likes")
    twice = pd.DataFrame([["a", "b"]], columns=["likes", "likes"])
    with pytest.raises(ValueError, match="names column 'likes', which the input has more than"):
        finder.score_frame(twice, interests="likes")


# -- CSV output opened in a spreadsheet (CSV injection) ----------------------------------------
#: the first characters that make a spreadsheet run a cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
HOSTILE_IDS = ['=HYPERLINK("http://x","a")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1",
               "\r=1+1", "\n=1+1", "\0=1+1", "-5", "+7", "'=quoted", "r10"]
HOSTILE_LIKES = ["=caring for patients", "+fixing engines", "-numbers and budgets",
                 "@teaching children", "\tcaring for patients", "\rfixing engines",
                 "\nnumbers, budgets", "\0teaching children", "=", "-", "@@", "fixing engines"]


def hostile_survey() -> pd.DataFrame:
    """Ids and answers that start with each character a spreadsheet runs as a formula."""
    return pd.DataFrame({"=rid": HOSTILE_IDS, "likes": HOSTILE_LIKES,
                         "matters": ["=helping others", "+good pay", None, "@independence",
                                     "-", "=cmd|' /C calc'!A0", None, None, None, None, None,
                                     "helping others"]})


def csv_cells(path: Path) -> list[list[str]]:
    """The cells of a CSV file as a spreadsheet gets them: text, nothing interpreted."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def escaped(cell: str) -> str:
    starts = cell.lstrip("'").startswith(FORMULA_STARTS)
    return "'" + cell if starts and not PLAIN_NUMBER.fullmatch(cell) else cell


#: how a reader undoes the escape (docs/batch.md): one "'" off a cell of "'"s and a formula
UNESCAPE = r"^'(?='*[=+\-@\t\r\n\0])"


def test_csv_output_is_safe_to_open_in_a_spreadsheet(finder: PassionFinder,
                                                     tmp_path: Path) -> None:
    src = tmp_path / "survey.csv"
    hostile_survey().to_csv(src, index=False, quoting=csv.QUOTE_ALL)  # "\r" kept in quotes
    columns = {"interests": "likes", "values": "matters", "id": "=rid"}
    frame = finder.score_frame(pd.read_csv(src, dtype=str, keep_default_na=False,
                                           na_values=[""]), **columns, k=2)
    assert list(dict.fromkeys(frame["=rid"])) == HOSTILE_IDS  # the DataFrame is never escaped
    assert set(frame["status"]) >= {"ok", "empty"}
    finder.score_file(src, tmp_path / "out.csv", **columns, k=2, chunk_size=5)
    cells = csv_cells(tmp_path / "out.csv")
    assert cells[0] == ["'=rid", *OUTPUT_COLUMNS]  # the header is a cell too
    assert len(cells) == 1 + len(frame)  # no line break inside a cell split a row
    for row in cells:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(cell), cell
    ids = list(dict.fromkeys(row[0] for row in cells[1:]))
    assert ids == [escaped(i) for i in HOSTILE_IDS]
    assert ids[:4] == ["'=HYPERLINK(\"http://x\",\"a\")", "'+1+1", "'-2+3", "'@SUM(A1:A9)"]
    assert ids[8:] == ["-5", "+7", "''=quoted", "r10"]  # numbers, safe text as they were
    # apart from the escaped cells, the file holds the frame: numbers are still numbers
    back = pd.read_csv(tmp_path / "out.csv", dtype={"'=rid": str, "holland_code": str},
                       keep_default_na=False, na_values=[""])
    assert back["score"].dtype == "float64" and back["match_score"].dtype == "float64"
    assert np.allclose(back["score"], frame["score"], equal_nan=True)
    assert back["rank"].dropna().tolist() == frame["rank"].dropna().tolist()
    assert (back["rank"].dropna() % 1 == 0).all()
    # and the escape is exactly undone
    unescaped = back.rename(columns={"'=rid": "=rid"})
    for name in unescaped.select_dtypes(include=["object", "string"]).columns:
        unescaped[name] = unescaped[name].str.replace(UNESCAPE, "", regex=True)
    pd.testing.assert_frame_equal(plain(unescaped), plain(frame.astype({"rank": float})),
                                  check_dtype=False)
    # Parquet output is never escaped: it is the frame, cell for cell
    finder.score_file(src, tmp_path / "out.parquet", **columns, k=2, chunk_size=5)
    pd.testing.assert_frame_equal(plain(pd.read_parquet(tmp_path / "out.parquet")),
                                  plain(frame))
    # on request, the raw text, and it reads back exactly (a lone "\r" is quoted)
    finder.score_file(src, tmp_path / "raw.csv", **columns, k=2, csv_escape=False)
    raw = csv_cells(tmp_path / "raw.csv")
    assert raw[0][0] == "=rid" and list(dict.fromkeys(r[0] for r in raw[1:])) == HOSTILE_IDS
    with pytest.raises(TypeError, match="'csv_escape' parameter of PassionFinder.score_file "
                                        "must be a bool. Got str instead"):
        finder.score_file(src, tmp_path / "x.csv", **columns, csv_escape="no")


def test_numbers_are_not_escaped(finder: PassionFinder, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from passionfinder._csv import escape_cell

    # a negative id is a number the file holds, not text from a person
    pq.write_table(pa.table({"rid": pa.array([-3, None, 4], pa.int64()),
                             "likes": ["-fixing engines", "=caring for patients", "-"]}),
                   tmp_path / "s.parquet")
    finder.score_file(tmp_path / "s.parquet", tmp_path / "o.csv", interests="likes",
                      id="rid", k=1)
    assert [row[0] for row in csv_cells(tmp_path / "o.csv")] == ["rid", "-3", "", "4"]
    for value in (-3, -2.5, None, np.nan, "", "-5", "+1.5", "-2e3", ".5", "'x", "a=b", " =1"):
        assert escape_cell(value) is value
    for value in ("-", "-5+1", "- 5", "-1e", "-0x1", "=5", "@5", "\t", "\r5", "'=x", "''-5"):
        assert escape_cell(value) == "'" + value


class Interrupted(BaseException):
    pass


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_an_interrupted_run_closes_its_source(finder: PassionFinder, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              suffix: str) -> None:
    """The test settings turn an unclosed file's ResourceWarning into an error."""
    import gc

    df = pd.concat([survey()] * 3, ignore_index=True)
    src = tmp_path / f"survey{suffix}"
    df.to_csv(src, index=False) if suffix == ".csv" else df.astype({"likes": str}).to_parquet(src)

    def dies(self, profiles, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Interrupted

    with monkeypatch.context() as m:
        m.setattr(PassionFinder, "recommend_many", dies)
        with pytest.raises(Interrupted):
            finder.score_file(src, tmp_path / "out.parquet", **FIELDS, chunk_size=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        gc.collect()


def test_resume_after_an_interruption(finder: PassionFinder, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    df = pd.concat([survey()] * 4, ignore_index=True)
    df["who"] = [f"r{i:02d}" for i in range(len(df))]
    src, out = tmp_path / "survey.parquet", tmp_path / "out.parquet"
    df.astype({"likes": str}).to_parquet(src)
    finder.score_file(src, tmp_path / "whole.parquet", **FIELDS, chunk_size=5)
    whole = pd.read_parquet(tmp_path / "whole.parquet")

    real, calls = PassionFinder.recommend_many, []

    def dies_on_the_fourth_chunk(self, profiles, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 4:  # one call per chunk: the fourth chunk dies
            raise Interrupted
        return real(self, profiles, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(PassionFinder, "recommend_many", dies_on_the_fourth_chunk)
        with pytest.raises(Interrupted):
            finder.score_file(src, out, **FIELDS, chunk_size=5)
    parts = sorted(p.name for p in (tmp_path / "out.parquet.parts").glob("part-*"))
    assert parts == ["part-000000.parquet", "part-000001.parquet", "part-000002.parquet"]
    assert not out.exists()
    with pytest.raises(ValueError, match="the earlier run differs in chunk_size, k"):
        finder.score_file(src, out, **FIELDS, chunk_size=4, k=3, resume=True)
    summary = finder.score_file(src, out, **FIELDS, chunk_size=5, resume=True)
    assert summary.resumed_chunks == 3 and summary.chunks == 7 and summary.rows == 32
    pd.testing.assert_frame_equal(pd.read_parquet(out), whole)
    # resuming under another extension refuses instead of silently starting over
    with monkeypatch.context() as m:
        m.setattr(PassionFinder, "recommend_many", dies_on_the_fourth_chunk)
        calls.clear()
        with pytest.raises(Interrupted):
            finder.score_file(src, tmp_path / "again.parquet", **FIELDS, chunk_size=5)
    with pytest.raises(ValueError, match=r"no interrupted run wrote it, but the same job wrote "
                                         r".*again\.parquet"):
        finder.score_file(src, tmp_path / "again.csv", **FIELDS, chunk_size=5, resume=True)
    assert not (tmp_path / "again.csv").exists()
    assert len(list((tmp_path / "again.parquet.parts").glob("part-*"))) == 3  # left alone
    # ... but another job's leftovers (other settings, or another name that shares the stem)
    # do not stop a resume that has nothing to resume
    shutil.copytree(tmp_path / "again.parquet.parts", tmp_path / "other.2023.parquet.parts")
    shutil.copytree(tmp_path / "again.parquet.parts", tmp_path / "broken.parquet.parts")
    (tmp_path / "broken.parquet.parts" / "manifest.json").write_text("{not json")
    for name, size in (("again.txt", 6), ("other.csv", 5), ("broken.csv", 5)):
        summary = finder.score_file(src, tmp_path / name, **FIELDS, chunk_size=size,
                                    resume=True)
        assert summary.resumed_chunks == 0 and summary.rows == 32
    # resume with nothing to resume at all: scores from the start
    summary = finder.score_file(src, tmp_path / "fresh.csv", **FIELDS, chunk_size=5, resume=True)
    assert summary.resumed_chunks == 0 and summary.rows == 32
    # without resume, an old run's chunks are thrown away, not reused
    (tmp_path / "out.parquet.parts").mkdir()
    (tmp_path / "out.parquet.parts" / "part-000000.parquet").write_bytes(b"junk")
    finder.score_file(src, out, **FIELDS, chunk_size=5)
    pd.testing.assert_frame_equal(pd.read_parquet(out), whole)


def test_a_resumed_csv_run_escapes_as_the_first_did(finder: PassionFinder, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "survey.parquet"
    pd.concat([hostile_survey()] * 2, ignore_index=True).to_parquet(src)
    columns = {"interests": "likes", "values": "matters", "id": "=rid"}
    for escape, name in ((True, "whole.csv"), (False, "whole_raw.csv")):
        finder.score_file(src, tmp_path / name, **columns, chunk_size=5, csv_escape=escape)
    real, calls = PassionFinder.recommend_many, []

    def dies_on_the_third_chunk(self, profiles, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise Interrupted
        return real(self, profiles, *args, **kwargs)

    for escape, name in ((True, "whole.csv"), (False, "whole_raw.csv")):
        out = tmp_path / f"out_{name}"
        with monkeypatch.context() as m:
            m.setattr(PassionFinder, "recommend_many", dies_on_the_third_chunk)
            calls.clear()
            with pytest.raises(Interrupted):
                finder.score_file(src, out, **columns, chunk_size=5, csv_escape=escape)
        hint = ("It escaped its CSV cells (csv_escape=True, the default); resume without "
                "--no-csv-escape." if escape else
                "It wrote raw CSV cells (csv_escape=False, --no-csv-escape); resume with the "
                "same setting.")
        with pytest.raises(ValueError, match=re.escape(f"differs in csv_escape. {hint}")):
            finder.score_file(src, out, **columns, chunk_size=5, csv_escape=not escape,
                              resume=True)
        summary = finder.score_file(src, out, **columns, chunk_size=5, csv_escape=escape,
                                    resume=True)
        assert summary.resumed_chunks == 2
        assert out.read_bytes() == (tmp_path / name).read_bytes()
    assert (tmp_path / "whole.csv").read_bytes() != (tmp_path / "whole_raw.csv").read_bytes()
    # a Parquet output is never escaped, so the setting does not stop its resume
    with monkeypatch.context() as m:
        m.setattr(PassionFinder, "recommend_many", dies_on_the_third_chunk)
        calls.clear()
        with pytest.raises(Interrupted):
            finder.score_file(src, tmp_path / "out.parquet", **columns, chunk_size=5)
    summary = finder.score_file(src, tmp_path / "out.parquet", **columns, chunk_size=5,
                                csv_escape=False, resume=True)
    assert summary.resumed_chunks == 2


def test_memory_does_not_grow_with_the_input(finder: PassionFinder, tmp_path: Path) -> None:
    import tracemalloc

    rows = survey()
    peaks = []
    for n in (400, 4000):
        src = tmp_path / f"s{n}.csv"
        big = pd.concat([rows] * (n // len(rows)), ignore_index=True)
        big["who"] = [f"r{i}" for i in range(len(big))]
        big.to_csv(src, index=False)
        tracemalloc.start()
        finder.score_file(src, tmp_path / f"o{n}.parquet", **FIELDS, k=2, chunk_size=200)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0], peaks  # ten times the rows, about the same peak


# -- the command line --------------------------------------------------------------------------
def cli(*args: str, env: dict[str, str] | None = None, **kwargs: object
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "passionfinder.cli", *args],
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=600, **kwargs)  # type: ignore[call-overload]


def test_score_command_usage_errors(tmp_path: Path) -> None:
    out = cli("score", "--help")
    assert out.returncode == 0 and "--resume" in out.stdout and "--interests-col" in out.stdout
    assert "--no-csv-escape" in out.stdout
    out = cli("score", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.csv"),
              "--interests-col", "x")
    assert out.returncode == 1 and "does not exist" in out.stderr
    assert "Traceback" not in out.stderr
    src = tmp_path / "s.csv"
    survey().to_csv(src, index=False)
    out = cli("score", str(src), "-o", str(tmp_path / "o.csv"), "--interests-col", "nope")
    assert out.returncode == 2 and "names column 'nope'" in out.stderr  # a usage error
    out = cli("score", str(src), "-o", str(tmp_path / "o.csv"), "--interests-col", "likes",
              "-k", "0")  # refused before the model loads
    assert out.returncode == 2 and "'k' parameter of passionfinder score (-k)" in out.stderr
    out = cli("score", str(src), "-o", str(tmp_path / "o.csv"), "--interests-col", "likes",
              "--value-weight", "2")
    assert out.returncode == 2 and "(--value-weight) must be a number in [0, 1]" in out.stderr
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    out = cli("score", str(bad), "-o", str(tmp_path / "o.csv"), "--interests-col", "x")
    assert out.returncode == 1 and "Cannot read the survey file" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.slow
@pytest.mark.data
def test_score_command_killed_and_resumed(real_data_home: Path, model_cache_home: Path,
                                          real_finder: PassionFinder, tmp_path: Path) -> None:
    """Kill a real `passionfinder score` mid-run, resume it, and get exactly the rows of an
    uninterrupted run: none lost, none twice."""
    people = pd.read_json(REPO / "data" / "eval_profiles.jsonl", lines=True)
    rows = []
    for i in range(300):
        p = people.iloc[i % len(people)]
        rows.append({"id": f"R{i:04d}", "interests": f"{p['interests'] or ''} (answer {i})",
                     "strengths": ", ".join(p["strengths"]),
                     "values": "; ".join(p["values"]) if i % 7 else ""})
    src = tmp_path / "survey.csv"
    pd.DataFrame(rows).to_csv(src, index=False)
    env = {"PASSIONFINDER_DATA": str(real_data_home),
           "PASSIONFINDER_CACHE": str(model_cache_home), "HF_HUB_OFFLINE": "1"}
    args = ["score", str(src), "--interests-col", "interests", "--strengths-col", "strengths",
            "--values-col", "values", "--id-col", "id", "-k", "3", "--chunk-size", "15",
            "--no-progress"]

    whole = cli(*args, "-o", str(tmp_path / "whole.parquet"), env=env)
    assert whole.returncode == 0, whole.stderr
    assert "Scored 300 rows: 300 ok, 0 empty, 0 with errors" in whole.stdout

    out, parts = tmp_path / "out.parquet", tmp_path / "out.parquet.parts"
    with open(tmp_path / "stderr.txt", "w") as err:
        child = subprocess.Popen([sys.executable, "-m", "passionfinder.cli", *args, "-o",
                                  str(out)], env={**os.environ, **env},
                                 stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 300
        while len(list(parts.glob("part-*.parquet"))) < 4:
            assert child.poll() is None, (tmp_path / "stderr.txt").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
    done = len(list(parts.glob("part-*.parquet")))
    assert 4 <= done < 20 and not out.exists()

    resumed = cli(*args, "-o", str(out), "--resume", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done} of 20 chunks kept from an earlier run" in resumed.stdout
    first, second = pd.read_parquet(tmp_path / "whole.parquet"), pd.read_parquet(out)
    assert second["id"].is_unique is False and second.groupby("id").size().eq(3).all()
    assert list(dict.fromkeys(second["id"])) == [r["id"] for r in rows]
    pd.testing.assert_frame_equal(first, second)


@pytest.mark.slow
@pytest.mark.data
def test_score_command_escapes_csv_cells(real_data_home: Path, model_cache_home: Path,
                                         real_finder: PassionFinder, tmp_path: Path) -> None:
    """The reported case: `passionfinder score` on a survey whose ids are formulas."""
    src = tmp_path / "survey.csv"
    hostile_survey().to_csv(src, index=False, quoting=csv.QUOTE_ALL)
    env = {"PASSIONFINDER_DATA": str(real_data_home),
           "PASSIONFINDER_CACHE": str(model_cache_home), "HF_HUB_OFFLINE": "1"}
    args = ["score", str(src), "--interests-col", "likes", "--values-col", "matters",
            "--id-col", "=rid", "-k", "2", "--no-progress"]
    out = cli(*args, "-o", str(tmp_path / "out.csv"), env=env)
    assert out.returncode == 0, out.stderr
    cells = csv_cells(tmp_path / "out.csv")
    assert all(not c.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(c)
               for row in cells for c in row)
    assert list(dict.fromkeys(r[0] for r in cells[1:])) == [escaped(i) for i in HOSTILE_IDS]
    out = cli(*args, "--no-csv-escape", "-o", str(tmp_path / "raw.csv"), env=env)
    assert out.returncode == 0, out.stderr
    assert list(dict.fromkeys(r[0] for r in csv_cells(tmp_path / "raw.csv")[1:])) == HOSTILE_IDS
