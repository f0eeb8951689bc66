"""Batch scoring on a Dask cluster: :func:`score_dask` scores a Dask DataFrame partition by
partition and returns a Dask DataFrame with the columns of
:meth:`passionfinder.PassionFinder.score_frame`.

Each worker process loads the catalog, the model and the embedding index once, on its first
partition, and keeps them for the partitions after it. Workers read the O*NET release and the
cache from ``data_home`` / ``cache_home``, or from ``PASSIONFINDER_DATA`` /
``PASSIONFINDER_CACHE`` in the worker's environment, so every worker machine needs the release
(and, to skip the first-use build, the cache) at that path.

Needs the ``dask`` extra: ``pip install 'passionfinder[dask]'``.

Examples
--------
>>> import dask.dataframe as dd                                        # doctest: +SKIP
>>> from distributed import Client                                     # doctest: +SKIP
>>> from passionfinder.dask import score_dask, write_csv               # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")                            # doctest: +SKIP
>>> survey = dd.read_parquet("s3://bucket/survey/")                    # doctest: +SKIP
>>> out = score_dask(survey, interests="q1", values="q2", id="rid")    # doctest: +SKIP
>>> out.to_parquet("s3://bucket/scored/")                              # doctest: +SKIP
>>> write_csv(out, "s3://bucket/scored-csv/part-*.csv")                # doctest: +SKIP
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._batch import _TEXT_COLUMNS, ROW_ID, _check_chunk_size, _ColumnError, _Columns, output_frame
from ._constraints import Constraints, as_constraints
from ._csv import LINE_TERMINATOR, escape_frame
from ._finder import check_ranking

if TYPE_CHECKING:
    import dask.dataframe as dd

    from ._finder import PassionFinder

__all__ = ["score_dask", "write_csv"]

_FINDERS: dict[tuple[Any, ...], PassionFinder] = {}
_FINDERS_LOCK = threading.Lock()


def _require_dask() -> Any:
    try:
        import dask.dataframe
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("passionfinder.dask needs Dask: pip install 'passionfinder[dask]'"
                          ) from exc
    return dask.dataframe


def worker_finder(data_home: str | None, cache_home: str | None, model: str | None,
                  precision: str) -> PassionFinder:
    """The PassionFinder of this process for these settings, built on first use."""
    from ._finder import PassionFinder

    key = (data_home, cache_home, model, precision)
    with _FINDERS_LOCK:
        finder = _FINDERS.get(key)
        if finder is None:
            finder = PassionFinder(data_home=data_home, cache_home=cache_home, model=model,
                                   precision=precision, show_progress=False)
            _FINDERS[key] = finder
    return finder


def _score_partition(part: pd.DataFrame, settings: dict[str, Any], options: dict[str, Any],
                     dtypes: dict[str, Any]) -> pd.DataFrame:
    finder = worker_finder(**settings)
    return finder.score_frame(part, show_progress=False, **options).astype(dtypes)


def _path(value: str | os.PathLike[str] | None, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"The '{name}' parameter of score_dask must be a path or None. "
                        f"Got {type(value).__name__} instead.")
    return os.fspath(value)


def score_dask(ddf: dd.DataFrame, *, interests: str | None = None,
               strengths: str | None = None, values: str | None = None, id: str | None = None,
               k: int = 5, value_weight: float | None = None, diversity: float | None = None,
               chunk_size: int = 2000, data_home: str | os.PathLike[str] | None = None,
               cache_home: str | os.PathLike[str] | None = None,
               model: str | os.PathLike[str] | None = None, precision: str = "int8",
               where: Constraints | Mapping[str, Any] | None = None) -> dd.DataFrame:
    """Score a Dask DataFrame of survey answers, partition by partition.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One respondent per row.
    interests, strengths, values, id, k, value_weight, diversity, chunk_size, where
        As in :meth:`passionfinder.PassionFinder.score_frame`. Without ``id``, the output's
        ``row`` column holds each row's index label. The constraints' values are checked
        here; their family names and codes on the workers, which have the catalog.
    data_home, cache_home : str or path, optional
        Where the workers find the O*NET release and the cache (default: their
        ``PASSIONFINDER_DATA`` / ``PASSIONFINDER_CACHE``, then the per-user folders).
    model : str or path, optional
        A sentence-transformers model name or path (default: the packaged model).
    precision : {"int8", "fp32"}, default "int8"
        As in :func:`passionfinder.load_encoder`.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy: nothing is scored until it is computed or written. Its rows are those of
        ``score_frame`` on the same rows, partition by partition.
    """
    dd_module = _require_dask()
    if not isinstance(ddf, dd_module.DataFrame):
        raise TypeError("The 'ddf' parameter of score_dask must be a dask DataFrame. "
                        f"Got {type(ddf).__name__} instead.")
    try:
        _Columns.check(list(ddf.columns), "score_dask", interests=interests,
                       strengths=strengths, values=values, id=id)
    except KeyError as exc:
        raise _ColumnError(exc.args[0]) from None
    if precision not in ("int8", "fp32"):
        raise ValueError("The 'precision' parameter of score_dask must be 'int8' or 'fp32'. "
                         f"Got {precision!r} instead.")
    settings = {"data_home": _path(data_home, "data_home"),
                "cache_home": _path(cache_home, "cache_home"),
                "model": _path(model, "model"), "precision": precision}
    constraints = as_constraints(where, "score_dask")
    options = {"interests": interests, "strengths": strengths, "values": values, "id": id,
               "k": k, "value_weight": value_weight, "diversity": diversity,
               "chunk_size": chunk_size, "where": constraints.to_dict() or None}
    check_ranking(k, value_weight, diversity, "score_dask")  # k's upper bound: on the workers
    _check_chunk_size(chunk_size, "score_dask")
    id_name = id if id is not None else ROW_ID
    # explicit dtypes: text as pandas strings, so that writers such as to_parquet can tell
    # the column types from the (empty) meta; every partition is cast to them
    meta = output_frame([], id_name)
    dtypes: dict[str, Any] = {name: pd.StringDtype() for name in _TEXT_COLUMNS}
    dtypes[id_name] = ddf[id].dtype if id is not None else ddf.index.dtype
    if pd.api.types.is_object_dtype(dtypes[id_name]):  # ids of mixed types are written as text
        dtypes[id_name] = pd.StringDtype()
    meta = meta.astype(dtypes)
    return ddf.map_partitions(_score_partition, settings, options, dtypes, meta=meta,
                              align_dataframes=False)


def write_csv(scored: dd.DataFrame, path: str | os.PathLike[str], *, csv_escape: bool = True,
              **to_csv: Any) -> Any:
    """Write the result of :func:`score_dask` to CSV, safe to open in a spreadsheet.

    As in :meth:`passionfinder.PassionFinder.score_file`, a text cell (and a column name)
    that starts with ``=``, ``+``, ``-``, ``@``, a tab, a line break or NUL, after any
    apostrophes, gets a leading ``'``, so that no spreadsheet runs it as a formula. Numbers,
    and text that is a plain number such as ``-5``, are written as they are. Lines end in
    CRLF, so a cell holding any line break is quoted. The Dask DataFrame is not changed, and
    neither is anything written from it to Parquet.

    Parameters
    ----------
    scored : dask.dataframe.DataFrame
        What :func:`score_dask` returned. Any Dask DataFrame is written the same way: its
        object and string columns are escaped.
    path : str or path
        As in ``dask.dataframe.DataFrame.to_csv``: a name with ``*`` gives one file per
        partition, and ``single_file=True`` writes one file.
    csv_escape : bool, default True
        False writes the raw text.
    **to_csv
        Passed on to ``dask.dataframe.DataFrame.to_csv``; ``index`` defaults to False and
        ``lineterminator`` to ``"\\r\\n"``.

    Returns
    -------
    list of str
        The names of the files written, as ``to_csv`` returns them.
    """
    dd_module = _require_dask()
    if not isinstance(scored, dd_module.DataFrame):
        raise TypeError("The 'scored' parameter of write_csv must be a dask DataFrame. "
                        f"Got {type(scored).__name__} instead.")
    if not isinstance(csv_escape, bool):
        raise TypeError("The 'csv_escape' parameter of write_csv must be a bool. "
                        f"Got {type(csv_escape).__name__} instead.")
    if csv_escape:
        scored = scored.map_partitions(escape_frame, meta=escape_frame(scored._meta))
    to_csv.setdefault("index", False)
    to_csv.setdefault("lineterminator", LINE_TERMINATOR)
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError("The 'path' parameter of write_csv must be a path. "
                        f"Got {type(path).__name__} instead.")
    return scored.to_csv(os.fspath(path), **to_csv)
