"""passionfinder.dask.score_dask on a real dask.distributed LocalCluster (two worker processes
on 127.0.0.1): the same rows as score_frame, with the model and catalog loaded once per
worker."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from passionfinder import PassionFinder

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from passionfinder.dask import score_dask  # noqa: E402

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
        loaded = client.run(lambda: len(__import__("passionfinder.dask").dask._FINDERS))
    assert sorted(loaded.values()) == [1, 1]  # one finder per worker, reused across partitions
    assert set(got["respondent_id"]) == set(survey["respondent_id"])  # no row lost
    assert {"ok", "empty", "error"} <= set(got["status"])
    pd.testing.assert_frame_equal(plain(got), plain(expected))
    pd.testing.assert_frame_equal(plain(written), plain(expected))
