"""passionfinder.dask.score_dask on a real dask.distributed LocalCluster (two worker processes
on 127.0.0.1): the same rows as score_frame, with the model and catalog loaded once per
worker."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from embedder import HashingEncoder

import passionfinder as pf
from passionfinder import PassionFinder

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from passionfinder.dask import score_dask, write_csv  # noqa: E402

SURVEY = Path(__file__).resolve().parents[1] / "data" / "sample_survey.csv"


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None)


def test_bad_arguments_fail_on_the_client() -> None:
    ddf = dd.from_pandas(pd.DataFrame({"likes": ["cars"]}), npartitions=1)
    with pytest.raises(KeyError, match="names column 'interests'"):
        score_dask(ddf, interests="interests")
    with pytest.raises(TypeError, match="must be a dask DataFrame. Got DataFrame instead"):
        score_dask(ddf.compute(), interests="likes")
    with pytest.raises(ValueError, match="'precision' parameter of score_dask"):
        score_dask(ddf, interests="likes", precision="fp16")
    with pytest.raises(ValueError, match="'k' parameter of score_dask must be a positive int"):
        score_dask(ddf, interests="likes", k=0)
    with pytest.raises(ValueError, match="'value_weight' parameter of score_dask"):
        score_dask(ddf, interests="likes", value_weight=5)
    with pytest.raises(ValueError, match="'chunk_size' parameter of score_dask"):
        score_dask(ddf, interests="likes", chunk_size=0)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def test_write_csv_escapes_what_a_spreadsheet_would_run(synthetic_home: Path, cache_home: Path,
                                                        tmp_path: Path) -> None:
    """write_csv on a frame shaped as score_dask returns it (text as pandas strings)."""
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    finder = PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    ids = ['=HYPERLINK("http://x","a")', "+1+1", "-2+3", "@A1", "\t=1", "\r=1", "\n=1", "\0=1",
           "-5", "ok"]
    survey = pd.DataFrame({"rid": ids, "likes": [f"{c}fixing engines" for c in ids]})
    frame = finder.score_frame(survey, interests="likes", id="rid", k=2)
    text = [name for name in frame.columns if name not in ("rank", "score", "match_score",
                                                           "value_score")]
    scored = dd.from_pandas(frame.astype(dict.fromkeys(text, pd.StringDtype())), npartitions=3)
    files = write_csv(scored, tmp_path / "part-*.csv")
    assert len(files) == 3
    rows = []
    for name in sorted(files):
        with open(name, newline="", encoding="utf-8") as fh:
            cells = list(csv.reader(fh))
        assert cells[0][:4] == ["rid", "status", "message", "rank"]
        rows += cells[1:]
    assert len(rows) == len(frame)  # no line break inside a cell split a row
    for row in rows:
        assert all(not c.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(c)
                   for c in row), row
    assert list(dict.fromkeys(r[0] for r in rows)) == ["'" + i for i in ids[:8]] + ["-5", "ok"]
    score = list(frame.columns).index("score")
    assert [float(r[score]) for r in rows] == pytest.approx(frame["score"].tolist())
    assert scored.compute()["rid"].tolist() == frame["rid"].tolist()  # the frame is unchanged
    write_csv(scored, tmp_path / "raw.csv", csv_escape=False, single_file=True)
    with open(tmp_path / "raw.csv", newline="", encoding="utf-8") as fh:
        raw = list(csv.reader(fh))[1:]
    assert list(dict.fromkeys(r[0] for r in raw)) == ids
    with pytest.raises(TypeError, match="'scored' parameter of write_csv must be a dask "
                                        "DataFrame. Got DataFrame instead"):
        write_csv(frame, tmp_path / "x.csv")
    with pytest.raises(TypeError, match="'csv_escape' parameter of write_csv must be a bool"):
        write_csv(scored, tmp_path / "x.csv", csv_escape=None)  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.data
def test_score_dask_on_a_local_cluster(real_data_home: Path, model_cache_home: Path,
                                       real_finder: PassionFinder, tmp_path: Path) -> None:
    survey = pd.read_csv(SURVEY, dtype=str).head(90)  # blank and unreadable rows included
    columns = {"interests": "interests", "strengths": "strengths", "values": "values",
               "id": "respondent_id"}
    expected = real_finder.score_frame(survey, **columns, k=3)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ddf = dd.from_pandas(survey, npartitions=5)
        scored = score_dask(ddf, **columns, k=3, data_home=real_data_home,
                            cache_home=model_cache_home)
        got = scored.compute()
        scored.to_parquet(tmp_path / "scored", write_index=False)  # writers see the types
        written = pd.read_parquet(tmp_path / "scored")
        write_csv(scored, tmp_path / "scored.csv", single_file=True)
        from_csv = pd.read_csv(tmp_path / "scored.csv", dtype={"respondent_id": str})
        loaded = client.run(lambda: len(__import__("passionfinder.dask").dask._FINDERS))
    assert sorted(loaded.values()) == [1, 1]  # one finder per worker, reused across partitions
    assert set(got["respondent_id"]) == set(survey["respondent_id"])  # no row lost
    assert {"ok", "empty", "error"} <= set(got["status"])
    pd.testing.assert_frame_equal(plain(got), plain(expected))
    pd.testing.assert_frame_equal(plain(written), plain(expected))
    assert from_csv["respondent_id"].tolist() == expected["respondent_id"].tolist()
    assert from_csv["score"].tolist() == pytest.approx(expected["score"].tolist(), nan_ok=True)
