"""Batch scoring of survey answers: a DataFrame (or a CSV / Parquet file) of free-text
responses in, a tidy DataFrame out, with one row per respondent and rank.

Every input row is accounted for. A row whose fields are all missing, empty or without a
single letter gets status ``"empty"``. A row that cannot be read as a profile (an unknown
value name, a number where text belongs, ...) gets status ``"error"``. Either way the row
carries a message and the run goes on. Rows are scored in chunks, and identical profiles in a
chunk are scored once. Files are read and written chunk by chunk, so memory does not grow with
the input. A file run keeps each finished chunk on disk, and ``resume=True`` skips those chunks
after an interruption.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
import unicodedata
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._atomic import atomic_path
from ._cache import file_sha256
from ._constraints import Constraints
from ._csv import write_csv
from ._errors import DataFormatError, PassionfinderError
from ._profile import Profile
from ._values import is_missing

if TYPE_CHECKING:
    from ._finder import PassionFinder
    from ._results import Recommendations

__all__ = ["OUTPUT_COLUMNS", "ScoreSummary", "check_files", "output_frame", "score_file",
           "score_frame", "score_rows"]

logger = logging.getLogger(__name__)

#: the columns after the id column, in order
OUTPUT_COLUMNS = ("status", "message", "rank", "onet_soc_code", "title", "job_family", "score",
                  "match_score", "value_score", "evidence_field", "evidence", "first_step",
                  "holland_code")
_FLOAT_COLUMNS = ("score", "match_score", "value_score")
_TEXT_COLUMNS = ("status", "message", "onet_soc_code", "title", "job_family", "evidence_field",
                 "evidence", "first_step", "holland_code")
#: the row-id column when no ``id`` column is named: the input's index label (frames) or the
#: 0-based row number (files)
ROW_ID = "row"
_FIELDS = ("interests", "strengths", "values")
_FORMATS = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}
_MANIFEST = "manifest.json"
_PART_VERSION = 1


@dataclass(frozen=True)
class ScoreSummary:
    """What a :func:`score_file` run did: rows read, rows per status, and where the output is."""

    rows: int
    ok: int
    empty: int
    errors: int
    chunks: int
    resumed_chunks: int
    output: Path

    def __str__(self) -> str:
        resumed = (f", {self.resumed_chunks} of {self.chunks} chunks kept from an earlier run"
                   if self.resumed_chunks else "")
        return (f"Scored {self.rows:,} rows: {self.ok:,} ok, {self.empty:,} empty, "
                f"{self.errors:,} with errors{resumed} -> {self.output}")


@dataclass(frozen=True)
class _Columns:
    interests: str | None
    strengths: str | None
    values: str | None
    id: str | None

    @classmethod
    def check(cls, available: Sequence[Hashable], where: str, **names: Any) -> _Columns:
        for param, name in names.items():
            if name is None:
                continue
            if not isinstance(name, str):
                raise TypeError(f"The '{param}' parameter of {where} must be a column name "
                                f"(str) or None. Got {type(name).__name__} instead.")
            if list(available).count(name) > 1:
                raise ValueError(f"The '{param}' parameter of {where} names column {name!r}, "
                                 "which the input has more than once. Rename the copies.")
            if name not in available:
                raise KeyError(f"The '{param}' parameter of {where} names column {name!r}, "
                               f"which the input does not have. Its columns are: "
                               f"{', '.join(map(repr, available))}.")
        if all(names[f] is None for f in _FIELDS):
            raise ValueError(f"{where} needs at least one of 'interests', 'strengths' or "
                             "'values' to name a column. Got none.")
        if names.get("id") in OUTPUT_COLUMNS:
            raise ValueError(f"The 'id' column of {where} is called {names['id']!r}, which is "
                             f"also the name of an output column ({', '.join(OUTPUT_COLUMNS)}). "
                             "Rename it first.")
        return cls(**names)

    def as_dict(self) -> dict[str, str | None]:
        return {"interests": self.interests, "strengths": self.strengths,
                "values": self.values, "id": self.id}


class _ColumnError(PassionfinderError, KeyError):
    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


def _has_letter(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


#: answers that mean "nothing" (CSV files are read with only empty cells as missing, so that
#: an id such as "NA" stays an id)
_NOTHING = frozenset({"na", "n/a", "n.a.", "nan", "none", "null", "nil", "-", "--"})


def _missing(value: Any) -> bool:
    if is_missing(value) or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value.strip().lower() in _NOTHING
    if isinstance(value, (list, tuple)):
        return not value
    return isinstance(value, float) and np.isnan(value)


def _read_row(cells: Mapping[str, Any]) -> tuple[Profile | None, str, str | None]:
    """The profile of one input row, its status and its message."""
    given: dict[str, Any] = {}
    ignored = []
    for name in _FIELDS:
        value = cells.get(name)
        if _missing(value):
            continue
        if isinstance(value, str) and not _has_letter(value):
            if value.strip():
                ignored.append(name)
            continue
        given[name] = value
    if not given:
        why = (f"no letters in {', '.join(ignored)}" if ignored else
               "interests, strengths and values are all empty or missing")
        return None, "empty", f"Nothing to score: {why}."
    try:
        profile = Profile(**given)
    except (PassionfinderError, ValueError, TypeError) as exc:
        return None, "error", str(exc)
    note = f"Ignored {', '.join(ignored)}: no letters in it." if ignored else None
    return profile, "ok", note


def _result_rows(recs: Recommendations) -> list[dict[str, Any]]:
    rows = []
    holland = recs.holland_code
    for rec in recs:
        best = max(rec.evidence, key=lambda ev: ev.similarity, default=None)
        rows.append({
            "rank": rec.rank, "onet_soc_code": rec.onet_soc_code, "title": rec.title,
            "job_family": rec.job_family, "score": rec.score, "match_score": rec.match_score,
            "value_score": rec.value_score,
            "evidence_field": None if best is None else best.field,
            "evidence": None if best is None else best.text,
            "first_step": rec.starter_steps[0].text if rec.starter_steps else None,
            "holland_code": holland})
    return rows


def output_frame(rows: list[dict[str, Any]], id_name: str) -> pd.DataFrame:
    """The output rows as a frame with fixed columns and dtypes (an empty list gives an empty
    frame of the same shape, which Dask uses as ``meta``)."""
    frame = pd.DataFrame(rows, columns=[id_name, *OUTPUT_COLUMNS])
    frame["rank"] = frame["rank"].astype("Int64")
    for name in _FLOAT_COLUMNS:
        frame[name] = frame[name].astype("float64")
    for name in _TEXT_COLUMNS:  # missing text is None, whatever the chunk held
        column = frame[name].astype(object)
        frame[name] = column.where(column.notna(), None)
    return frame


def score_rows(finder: PassionFinder, cells: Sequence[Mapping[str, Any]], ids: Sequence[Any],
               id_name: str, *, k: int, value_weight: float | None, diversity: float | None,
               batch_size: int = 256, where: Constraints | None = None) -> pd.DataFrame:
    """Score one chunk of rows (``cells`` maps 'interests' / 'strengths' / 'values' to each
    row's cell) and return the output rows, ``k`` per scored row (fewer when fewer
    occupations pass ``where``) and one per other row."""
    read = [_read_row(row) for row in cells]
    distinct = list(dict.fromkeys(p for p, _, _ in read if p is not None))
    results: dict[Profile, Recommendations | str] = {}
    if distinct:
        try:
            batch = finder.recommend_many(distinct, k=k, value_weight=value_weight,
                                          diversity=diversity, where=where,
                                          batch_size=batch_size)
            results = dict(zip(distinct, batch, strict=True))
        except Exception:  # find the rows at fault, score the rest
            logger.warning("A chunk of %d profiles failed as a batch; scoring them one by one",
                           len(distinct), exc_info=True)
            for profile in distinct:
                try:
                    results[profile] = finder.recommend(profile, k=k, value_weight=value_weight,
                                                        diversity=diversity, where=where)
                except Exception as exc:  # noqa: BLE001 - recorded on the row, run goes on
                    results[profile] = f"{type(exc).__name__}: {exc}"
    rows: list[dict[str, Any]] = []
    for row_id, (profile, status, message) in zip(ids, read, strict=True):
        result = results.get(profile) if profile is not None else None
        if isinstance(result, str):
            status, message, result = "error", result, None
        if result is None:
            rows.append({id_name: row_id, "status": status, "message": message})
            continue
        for out in _result_rows(result):
            rows.append({id_name: row_id, "status": status, "message": message, **out})
    return output_frame(rows, id_name)


def _chunk_cells(chunk: pd.DataFrame, columns: _Columns) -> list[dict[str, Any]]:
    picked = {f: chunk[getattr(columns, f)].tolist() for f in _FIELDS
              if getattr(columns, f) is not None}
    # list cells (Parquet list columns) come from pyarrow as numpy arrays
    return [{f: cells[i].tolist() if isinstance(cells[i], np.ndarray) else cells[i]
             for f, cells in picked.items()} for i in range(len(chunk))]


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _progress(total: int | None, show: bool | None, what: str) -> Any:
    if show is None:
        show = bool(sys.stderr is not None and sys.stderr.isatty())
    if not show:
        return _NoProgress()
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=" rows", desc=what, smoothing=0.1)


def _check_chunk_size(chunk_size: Any, where: str) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or not (
            1 <= chunk_size <= 10_000_000):
        raise ValueError(f"The 'chunk_size' parameter of {where} must be an int in "
                         f"[1, 10000000]. Got {chunk_size!r} instead.")
    return int(chunk_size)


def score_frame(finder: PassionFinder, df: pd.DataFrame, *, interests: str | None = None,
                strengths: str | None = None, values: str | None = None,
                id: str | None = None, k: int = 5, value_weight: float | None = None,
                diversity: float | None = None, chunk_size: int = 2000,
                show_progress: bool | None = None, where: Any = None) -> pd.DataFrame:
    """See :meth:`PassionFinder.score_frame`."""
    where_name = "PassionFinder.score_frame"
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"The 'df' parameter of {where_name} must be a pandas DataFrame. "
                        f"Got {type(df).__name__} instead.")
    try:
        columns = _Columns.check(list(df.columns), where_name, interests=interests,
                                 strengths=strengths, values=values, id=id)
    except KeyError as exc:
        raise _ColumnError(exc.args[0]) from None
    chunk_size = _check_chunk_size(chunk_size, where_name)
    id_name = id if id is not None else ROW_ID
    k, value_weight, diversity = _check_call(finder, k, value_weight, diversity)
    constraints = _check_where(finder, where, where_name)
    parts = []
    with _progress(len(df), show_progress, "scoring") as bar:
        for start in range(0, len(df), chunk_size):
            chunk = df.iloc[start:start + chunk_size]
            ids = chunk[id].tolist() if id is not None else chunk.index.tolist()
            parts.append(score_rows(finder, _chunk_cells(chunk, columns), ids, id_name, k=k,
                                    value_weight=value_weight, diversity=diversity,
                                    where=constraints))
            bar.update(len(chunk))
    if not parts:
        return output_frame([], id_name)
    return pd.concat(parts, ignore_index=True)


def _check_call(finder: PassionFinder, k: Any, value_weight: Any, diversity: Any
                ) -> tuple[int, float | None, float | None]:
    """Check the per-call options once, up front, so a bad ``k`` fails the call, not each row."""
    from ._finder import check_ranking

    return check_ranking(k, value_weight, diversity, "PassionFinder.recommend",
                         len(finder.catalog))


def _check_where(finder: PassionFinder, where: Any, caller: str) -> Constraints:
    """Read the constraints against the catalog once, up front: an unknown family, or
    constraints that nothing passes, fail the call, not each row."""
    return finder.screen(where, caller).constraints


# -- files -------------------------------------------------------------------------------------
def _format(path: Path, param: str) -> str:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"The '{param}' file must end in one of {', '.join(_FORMATS)} "
                         f"(CSV or Parquet). Got {path.name!r} instead.")
    return fmt


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn a parser's complaint about a survey file into a DataFormatError naming the file."""
    import pyarrow as pa

    try:
        yield
    except (ValueError, pa.ArrowException, UnicodeDecodeError) as exc:
        if isinstance(exc, PassionfinderError):
            raise
        raise DataFormatError(f"Cannot read the survey file {str(path)!r}: {exc}") from None


def _source_columns(path: Path, fmt: str) -> list[str]:
    with _reading(path):
        if fmt == "csv":
            return list(pd.read_csv(path, nrows=0).columns)
        import pyarrow.parquet as pq

        return list(pq.ParquetFile(path).schema_arrow.names)


def _read_chunks(path: Path, fmt: str, columns: _Columns, chunk_size: int
                 ) -> Iterator[pd.DataFrame]:
    wanted = list(dict.fromkeys(c for c in columns.as_dict().values() if c is not None))
    with contextlib.ExitStack() as opened:  # the file is closed however the caller stops
        if fmt == "csv":
            # every cell as text, so ids such as "007" keep their zeros and a number typed as
            # an answer is read as the text it was
            reader = opened.enter_context(
                pd.read_csv(path, usecols=wanted, dtype=str, chunksize=chunk_size,
                            keep_default_na=False, na_values=[""]))
            chunks: Iterator[pd.DataFrame] = iter(reader)
        else:
            import pyarrow.parquet as pq

            source = opened.enter_context(pq.ParquetFile(path))
            chunks = (batch.to_pandas(ignore_metadata=True) for batch in
                      source.iter_batches(batch_size=chunk_size, columns=wanted))
        while True:
            with _reading(path):
                chunk = next(chunks, None)
            if chunk is None:
                return
            yield chunk


def _arrow_schema(id_name: str, id_type: Any) -> Any:
    import pyarrow as pa

    fields = [pa.field(id_name, id_type), pa.field("status", pa.string()),
              pa.field("message", pa.string()), pa.field("rank", pa.int64())]
    fields += [pa.field(name, pa.float64() if name in _FLOAT_COLUMNS else pa.string())
               for name in OUTPUT_COLUMNS[3:]]
    return pa.schema(fields)


def check_files(source: str | os.PathLike[str], output: str | os.PathLike[str], where: str,
                **names: str | None) -> tuple[_Columns, str, str]:
    """Check a scoring run's files and column names before any work: the columns, and the
    formats of the source and the output."""
    source, output = Path(source), Path(output)
    src_fmt, out_fmt = _format(source, "source"), _format(output, "output")
    if not source.is_file():
        raise FileNotFoundError(f"The 'source' file {str(source)!r} does not exist.")
    if not output.parent.is_dir():
        raise FileNotFoundError(f"The folder of the 'output' file, {str(output.parent)!r}, "
                                "does not exist.")
    if output.resolve() == source.resolve():
        raise ValueError(f"The 'output' file of {where} is the 'source' file "
                         f"({str(source)!r}); it would overwrite the answers. Choose another.")
    try:
        columns = _Columns.check(_source_columns(source, src_fmt), where, **names)
    except KeyError as exc:
        raise _ColumnError(exc.args[0]) from None
    return columns, src_fmt, out_fmt


def _check_nothing_else_to_resume(output: Path, manifest: Mapping[str, Any]) -> None:
    """With ``resume`` and no interrupted run for ``output``: refuse when an interrupted run
    of the same job (same source and settings, ``manifest``) wrote the same name with another
    extension (results.parquet for results.csv), since starting over would silently redo its
    finished chunks."""
    for suffix in dict.fromkeys(_FORMATS):
        other = output.with_suffix(suffix)
        parts = other.with_name(other.name + ".parts")
        if other.name == output.name or not (parts / _MANIFEST).is_file():
            continue
        try:
            earlier = json.loads((parts / _MANIFEST).read_text())
        except (OSError, ValueError):
            continue
        # the same job whatever its CSV escaping: a Parquet output records none
        if isinstance(earlier, dict) and (
                {**earlier, "csv_escape": None} == {**manifest, "csv_escape": None}):
            raise ValueError(
                f"Cannot resume into {str(output)!r}: no interrupted run wrote it, but the same "
                f"job wrote {str(other)!r} ({parts.name} holds its finished chunks). Resume "
                "with that output, or run without resume to start over.")


def score_file(finder: PassionFinder, source: str | os.PathLike[str],
               output: str | os.PathLike[str], *, interests: str | None = None,
               strengths: str | None = None, values: str | None = None, id: str | None = None,
               k: int = 5, value_weight: float | None = None, diversity: float | None = None,
               chunk_size: int = 2000, resume: bool = False, csv_escape: bool = True,
               show_progress: bool | None = None, where: Any = None) -> ScoreSummary:
    """See :meth:`PassionFinder.score_file`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    where_name = "PassionFinder.score_file"
    source, output = Path(source), Path(output)
    for param, flag in (("resume", resume), ("csv_escape", csv_escape)):
        if not isinstance(flag, bool):
            raise TypeError(f"The '{param}' parameter of {where_name} must be a bool. "
                            f"Got {type(flag).__name__} instead.")
    columns, src_fmt, out_fmt = check_files(source, output, where_name, interests=interests,
                                            strengths=strengths, values=values, id=id)
    chunk_size = _check_chunk_size(chunk_size, where_name)
    k, value_weight, diversity = _check_call(finder, k, value_weight, diversity)
    constraints = _check_where(finder, where, where_name)
    id_name = id if id is not None else ROW_ID
    if id is None:
        id_type = pa.int64()
    elif src_fmt == "csv":
        id_type = pa.string()
    else:
        id_type = pq.ParquetFile(source).schema_arrow.field(id).type
    schema = _arrow_schema(id_name, id_type)

    parts_dir = output.with_name(output.name + ".parts")
    manifest = {
        "version": _PART_VERSION, "source": str(source.resolve()),
        "source_sha256": file_sha256(source), "columns": columns.as_dict(), "k": k,
        "value_weight": value_weight, "diversity": diversity, "chunk_size": chunk_size,
        "finder": repr(finder), "weights": repr(finder.weights),
        "finder_value_weight": finder.value_weight, "finder_diversity": finder.diversity,
        # a resumed CSV run writes its cells as the first run would have (Parquet: no rule)
        "csv_escape": csv_escape if out_fmt == "csv" else None,
    }
    if constraints:  # only when set, so earlier runs without constraints still resume
        manifest["constraints"] = constraints.to_dict()
    manifest_path = parts_dir / _MANIFEST
    if resume and manifest_path.is_file():
        earlier = json.loads(manifest_path.read_text())
        if earlier != manifest:
            changed = sorted(key for key in manifest if earlier.get(key) != manifest[key])
            how = ""
            if "csv_escape" in changed and isinstance(earlier.get("csv_escape"), bool):
                how = (" It escaped its CSV cells (csv_escape=True, the default); resume "
                       "without --no-csv-escape." if earlier["csv_escape"] else
                       " It wrote raw CSV cells (csv_escape=False, --no-csv-escape); resume "
                       "with the same setting.")
            raise ValueError(
                f"Cannot resume into {str(output)!r}: the earlier run differs in "
                f"{', '.join(changed)}.{how} Run again without resume to start over.")
    else:
        if resume:
            _check_nothing_else_to_resume(output, manifest)
            logger.info("Nothing to resume for %s: scoring from the start.", output)
        if parts_dir.exists():
            shutil.rmtree(parts_dir)
        parts_dir.mkdir(parents=True)
        with atomic_path(manifest_path) as tmp:
            tmp.write_text(json.dumps(manifest, indent=1))

    counts = {"ok": 0, "empty": 0, "error": 0}
    rows = chunks = resumed = 0
    part_paths = []
    with _progress(None, show_progress, "scoring") as bar:
        for number, chunk in enumerate(_read_chunks(source, src_fmt, columns, chunk_size)):
            part = parts_dir / f"part-{number:06d}.parquet"
            part_paths.append(part)
            if resume and part.is_file():
                statuses = pq.read_table(part, columns=[id_name, "status", "rank"]).to_pandas()
                resumed += 1
            else:
                ids = (chunk[id].tolist() if id is not None else
                       list(range(rows, rows + len(chunk))))
                frame = score_rows(finder, _chunk_cells(chunk, columns), ids, id_name, k=k,
                                   value_weight=value_weight, diversity=diversity,
                                   where=constraints)
                table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
                with atomic_path(part) as tmp:
                    pq.write_table(table, tmp)
                statuses = frame[[id_name, "status", "rank"]]
            firsts = statuses[statuses["rank"].isna() | (statuses["rank"] == 1)]
            for status, n in firsts["status"].value_counts().items():
                counts[str(status)] += int(n)
            rows += len(chunk)
            chunks += 1
            bar.update(len(chunk))

    with atomic_path(output) as tmp:
        if out_fmt == "parquet":
            with pq.ParquetWriter(tmp, schema) as writer:
                for part in part_paths:
                    writer.write_table(pq.read_table(part, schema=schema))
        else:
            with open(tmp, "w", newline="", encoding="utf-8") as fh:
                for i, part in enumerate(part_paths):
                    # integers stay integers next to missing values (ids, ranks: 1, not 1.0)
                    frame = pq.read_table(part, schema=schema).to_pandas(
                        integer_object_nulls=True)
                    write_csv(frame, fh, header=i == 0, escape=csv_escape)
                if not part_paths:
                    write_csv(output_frame([], id_name), fh, escape=csv_escape)
    shutil.rmtree(parts_dir)
    return ScoreSummary(rows=rows, ok=counts["ok"], empty=counts["empty"],
                        errors=counts["error"], chunks=chunks, resumed_chunks=resumed,
                        output=output)
