"""The occupation catalog: one record per O*NET-SOC occupation, as pandas and as typed records,
loaded from the raw release once and from a verified compiled cache after that.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import __version__
from ._bundle import BUNDLE_SOURCE, Compiled, bundle_location, compiled_folder, read_compiled
from ._cache import CacheError, CacheStore, source_state, sources_fingerprint
from ._config import DATA_ENV, get_cache_home, get_data_home
from ._errors import (
    CacheWarning,
    DataFormatError,
    DataNotFoundError,
    PassionfinderError,
    caller_stacklevel,
)
from ._release import ONET_RELEASE, RIASEC, WORK_VALUES, Release, open_release, snake
from ._summary import CatalogSummary, read_summary

if TYPE_CHECKING:
    import pandas as pd

    from ._occupation import Occupation

__all__ = ["ATTRIBUTION", "Catalog", "UnknownOccupationError", "attribution_for",
           "load_bundled_catalog", "load_catalog"]

logger = logging.getLogger(__name__)

ATTRIBUTION = (
    "This product includes information from the O*NET 30.2 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
    "license. O*NET® is a trademark of USDOL/ETA. USDOL/ETA has not approved, endorsed, or "
    "tested these modifications."
)
"""The attribution that every product showing O*NET data must carry (CC BY 4.0).

Recommendations carry it too (``recs.attribution``), and ``recs.report()`` ends with it."""


def attribution_for(release: str, source: str = "") -> str:
    """The O*NET attribution for ``release``, followed by where the data were read from."""
    text = ATTRIBUTION.replace(f"O*NET {ONET_RELEASE} Database", f"O*NET {release} Database")
    return f"{text} Data: {source}." if source else text

#: Bump when the compiled tables change shape, so old caches are rebuilt.
COMPILE_VERSION = 2
_CODE_RE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")

#: The long tables a catalog may hold (absent when their source file is absent).
LONG_TABLES = (
    "tasks", "alternate_titles", "reported_titles", "skills", "knowledge", "work_styles",
    "abilities", "work_activities", "work_context", "technology_skills", "tools", "related",
    "elements", "job_zone_reference", "riasec_activities", "riasec_keywords",
)


class UnknownOccupationError(PassionfinderError, KeyError):
    """An O*NET-SOC code that is not in the catalog."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _none(value: Any) -> Any:
    """pandas / numpy missing values -> None, numpy scalars -> Python scalars."""
    import pandas as pd

    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


class Catalog:
    """All O*NET-SOC occupations of one release, joined with BLS wages and projections.

    Get one with :func:`load_catalog`. ``catalog.occupations`` is a DataFrame indexed by
    ``onet_soc_code``; the many-valued parts are tidy long tables (``catalog.tasks``,
    ``catalog.skills``, ...), each with an ``onet_soc_code`` column; ``catalog[code]`` returns a
    typed :class:`Occupation`. Tables are read when first used: a catalog loaded from a cache
    that holds its summary (``passionfinder._summary``) reads none until a feature needs one.

    Examples
    --------
    >>> catalog = load_catalog()                       # doctest: +SKIP
    >>> catalog["15-1252.00"].title                    # doctest: +SKIP
    'Software Developers'
    """

    release: str
    attribution: str

    def __init__(self, tables: Mapping[str, pd.DataFrame | Callable[[], pd.DataFrame]], *,
                 release: str = ONET_RELEASE, data_home: Path | None = None,
                 fingerprint: str = "", missing: tuple[tuple[str, str], ...] = (),
                 source: str | None = None, summary: CatalogSummary | None = None) -> None:
        # a table may come as a function that reads it: it is read on first access, so a
        # finder that never needs a table never reads it
        self._unread: dict[str, Callable[[], pd.DataFrame]] = {}
        self._read_lock = threading.Lock()
        if callable(tables["occupations"]) and summary is None:
            raise TypeError("The occupations table of a Catalog is needed at once unless its "
                            "summary is given; only the long tables may be read on first use.")
        for name in ("occupations", *LONG_TABLES):
            table = tables.get(name)
            if callable(table):
                self._unread[name] = table
            else:
                setattr(self, name, table)
        #: The per-occupation columns a finder reads (codes, titles, values, ...): given by
        #: the loader when cached, else set by :func:`passionfinder._summary.load_summary`.
        self.summary = summary
        self.release = release
        #: Where the tables came from: "bundled catalog", or the folder they were read from.
        self.source = source if source is not None else (str(data_home) if data_home else "")
        self.attribution = attribution_for(release, self.source)
        self.data_home = data_home
        self.fingerprint = fingerprint
        #: (file name, what its absence disables) for each absent optional file.
        self.missing = missing
        self._slices: dict[str, tuple[np.ndarray, pd.DataFrame]] = {}
        if summary is not None:
            self._titles = dict(zip(summary.codes, summary.titles, strict=True))
        else:
            self._titles = dict(zip(self.occupations.index, self.occupations["title"],
                                    strict=True))

    occupations: pd.DataFrame
    tasks: pd.DataFrame | None
    alternate_titles: pd.DataFrame | None
    reported_titles: pd.DataFrame | None
    skills: pd.DataFrame | None
    knowledge: pd.DataFrame | None
    work_styles: pd.DataFrame | None
    abilities: pd.DataFrame | None
    work_activities: pd.DataFrame | None
    work_context: pd.DataFrame | None
    technology_skills: pd.DataFrame | None
    tools: pd.DataFrame | None
    related: pd.DataFrame | None
    elements: pd.DataFrame | None
    job_zone_reference: pd.DataFrame | None
    riasec_activities: pd.DataFrame | None
    riasec_keywords: pd.DataFrame | None

    def __getattr__(self, name: str) -> Any:
        # only called for attributes not set yet: the long tables still to be read
        unread = self.__dict__.get("_unread")
        if not unread or name not in unread:
            raise AttributeError(f"'Catalog' object has no attribute {name!r}")
        with self._read_lock:
            if name not in self.__dict__:
                self.__dict__[name] = unread[name]()
        return self.__dict__[name]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in ("occupations", *LONG_TABLES):  # a copy (pickle, dask) carries every table
            state[name] = getattr(self, name)
        state["_unread"] = {}
        del state["_read_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._read_lock = threading.Lock()

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables of the catalog by name (``occupations`` and the long tables present)."""
        out = {"occupations": self.occupations}
        for name in LONG_TABLES:
            table = getattr(self, name)
            if table is not None:
                out[name] = table
        return out

    def with_tables(self, **tables: pd.DataFrame) -> Catalog:
        """A new catalog with some tables replaced, e.g. a task table without held-out rows.

        The new catalog gets its own fingerprint, so indexes built on it are cached apart.

        Examples
        --------
        >>> smaller = catalog.with_tables(tasks=catalog.tasks.iloc[::2])  # doctest: +SKIP
        """
        unknown = set(tables) - {"occupations", *LONG_TABLES}
        if unknown:
            raise ValueError(f"Unknown catalog table(s) {sorted(unknown)}; the tables are "
                             f"{['occupations', *LONG_TABLES]}.")
        merged = {**self.tables(), **tables}
        digest = hashlib.sha256(self.fingerprint.encode())
        for name in sorted(tables):
            digest.update(name.encode())
            digest.update(pd_hash(tables[name]))
        return Catalog(merged, release=self.release, data_home=self.data_home,
                       fingerprint=digest.hexdigest()[:16], missing=self.missing,
                       source=self.source)

    # -- container protocol ----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._titles)

    def __iter__(self) -> Iterator[str]:
        return iter(self._titles)

    def __contains__(self, code: object) -> bool:
        return code in self._titles

    def __repr__(self) -> str:
        return f"<Catalog O*NET {self.release}: {len(self)} occupations>"

    @property
    def codes(self) -> list[str]:
        """All O*NET-SOC codes, sorted."""
        return list(self._titles)

    def title(self, code: str) -> str:
        """The title of occupation ``code`` (fast; no record is built)."""
        self._check_code(code)
        return self._titles[code]

    def _check_code(self, code: object) -> None:
        if isinstance(code, str) and code in self._titles:
            return
        if not isinstance(code, str):
            raise UnknownOccupationError(
                f"Occupation codes are strings like '15-1252.00'. Got {code!r} instead.")
        hint = ""
        if re.fullmatch(r"\d{2}-\d{4}", code.strip()):
            matches = [c for c in self._titles if c.startswith(code.strip())]
            hint = f" '{code}' is a SOC code; its O*NET-SOC occupations are {matches}." \
                if matches else ""
        elif not _CODE_RE.match(code):
            close = difflib.get_close_matches(code.lower(), [t.lower() for t in self._titles.values()],
                                              n=3, cutoff=0.6)
            by_title = {t.lower(): c for c, t in self._titles.items()}
            if close:
                hint = " Did you mean " + ", ".join(
                    f"{by_title[t]} ({self._titles[by_title[t]]})" for t in close) + "?"
            else:
                hint = " Codes look like '15-1252.00'."
        else:
            close = difflib.get_close_matches(code, list(self._titles), n=3, cutoff=0.8)
            if close:
                hint = f" Closest codes: {', '.join(close)}."
        raise UnknownOccupationError(
            f"No occupation '{code}' in the O*NET {self.release} catalog.{hint}")

    # -- typed records ---------------------------------------------------------------------
    def _rows(self, table_name: str, code: str) -> pd.DataFrame | None:
        table = getattr(self, table_name)
        if table is None:
            return None
        if table_name not in self._slices:
            self._slices[table_name] = (table["onet_soc_code"].to_numpy(dtype=object), table)
        keys, frame = self._slices[table_name]
        lo = np.searchsorted(keys, code, side="left")
        hi = np.searchsorted(keys, code, side="right")
        return frame.iloc[lo:hi]

    def __getitem__(self, code: str) -> Occupation:
        from ._occupation import Occupation, Rating, RelatedOccupation, Task, TechnologySkill, _frozen

        self._check_code(code)
        row = self.occupations.loc[code]
        get = {k: _none(v) for k, v in row.items()}

        def ratings(name: str, imp: str, lvl: str) -> tuple[Rating, ...]:
            rows = self._rows(name, code)
            if rows is None:
                return ()
            return tuple(
                Rating(e, n, _none(i), _none(lv), _none(d))
                for e, n, i, lv, d in zip(rows["element_id"], rows["name"], rows[imp], rows[lvl],
                                          rows["description"], strict=True)
            )

        tasks = self._rows("tasks", code)
        alt = self._rows("alternate_titles", code)
        rep = self._rows("reported_titles", code)
        tech = self._rows("technology_skills", code)
        tools = self._rows("tools", code)
        related = self._rows("related", code)
        high = get["work_value_high_points"]
        return Occupation(
            onet_soc_code=code,
            title=get["title"],
            description=get["description"] or "",
            job_family=get["job_family"],
            soc_code=get["soc_code"],
            soc_major_group=get["soc_major_group"],
            soc_major_group_title=get["soc_major_group_title"],
            riasec=_frozen({name: get[snake(name)] for name in RIASEC}),
            holland_code=get["holland_code"],
            work_values=_frozen({name: get[snake(name)] for name in WORK_VALUES}),
            work_value_high_points=tuple(high.split(", ")) if high else (),
            job_zone=get["job_zone"],
            job_zone_name=get["job_zone_name"],
            education=get["education"],
            related_experience=get["related_experience"],
            on_site_training=get["on_site_training"],
            on_the_job_training=get["on_the_job_training"],
            wage_p10=get["wage_p10"],
            wage_p25=get["wage_p25"],
            wage_median=get["wage_median"],
            wage_p75=get["wage_p75"],
            wage_p90=get["wage_p90"],
            wage_source=get["wage_source"],
            wage_top_coded=get["wage_top_coded"],
            employment=get["employment"],
            growth_pct=get["growth_pct"],
            openings_annual=get["openings_annual"],
            entry_education=get["entry_education"],
            work_experience=get["work_experience"],
            bls_on_the_job_training=get["bls_on_the_job_training"],
            tasks=() if tasks is None else tuple(
                Task(_none(i), t, _none(ty)) for i, t, ty in
                zip(tasks["task_id"], tasks["task"], tasks["task_type"], strict=True)),
            alternate_titles=() if alt is None else tuple(alt["title"]),
            reported_titles=() if rep is None else tuple(rep["title"]),
            skills=ratings("skills", "importance", "level"),
            knowledge=ratings("knowledge", "importance", "level"),
            work_styles=ratings("work_styles", "impact", "distinctiveness"),
            technology_skills=() if tech is None else tuple(
                TechnologySkill(e, _none(c), bool(h), bool(d)) for e, c, h, d in
                zip(tech["example"], tech["commodity_title"], tech["hot"], tech["in_demand"],
                    strict=True)),
            tools=() if tools is None else tuple(dict.fromkeys(tools["example"])),
            related=() if related is None else tuple(
                RelatedOccupation(c, self._titles[c], _none(t), _none(r)) for c, t, r in
                zip(related["related_code"], related["tier"], related["rank"], strict=True)),
        )

    # -- reporting -------------------------------------------------------------------------
    def coverage(self) -> pd.DataFrame:
        """How many occupations have each part of the record: count and share of all.

        Examples
        --------
        >>> load_catalog().coverage().loc["wage_median"]   # doctest: +SKIP
        """
        import pandas as pd

        occ = self.occupations
        parts: dict[str, int] = {
            "title": int(occ["title"].notna().sum()),
            "job_family": int(occ["job_family"].notna().sum()),
            "riasec": int(occ["realistic"].notna().sum()),
            "work_values": int(occ["achievement"].notna().sum()),
            "job_zone": int(occ["job_zone"].notna().sum()),
            "education": int(occ["education"].notna().sum()),
            "wage_median": int(occ["wage_median"].notna().sum()),
            "growth_pct": int(occ["growth_pct"].notna().sum()),
        }
        for name in ("tasks", "alternate_titles", "reported_titles", "skills", "knowledge",
                     "work_styles", "technology_skills", "tools", "related"):
            table = getattr(self, name)
            parts[name] = 0 if table is None else int(table["onet_soc_code"].nunique())
        frame = pd.DataFrame({"occupations": parts})
        frame["share"] = (frame["occupations"] / len(self)).round(4)
        frame.index.name = "part"
        return frame


def pd_hash(frame: pd.DataFrame) -> bytes:
    """A content hash of a DataFrame (index and values)."""
    import pandas as pd

    return pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()


def _cache_folder(release: Release, cache_home: str | os.PathLike[str] | None) -> Path:
    where = hashlib.sha256(str(release.data_home.resolve()).encode()).hexdigest()[:12]
    return get_cache_home(cache_home) / "catalog" / f"onet-{ONET_RELEASE}-{where}"


def _known_sources(meta: dict[str, Any]) -> dict[str, Any]:
    """The source states recorded in a cache manifest; CacheError if they are malformed."""
    sources = meta.get("sources")
    if not isinstance(sources, dict) or not isinstance(meta.get("fingerprint"), str) or not all(
            isinstance(v, dict) and isinstance(v.get("size"), int)
            and isinstance(v.get("mtime_ns"), int) and isinstance(v.get("sha256"), str)
            for v in sources.values()):
        raise CacheError("the cache manifest is malformed")
    return sources


def _missing(release: Release) -> tuple[tuple[str, str], ...]:
    return tuple((spec.filename, spec.disables) for spec in release.missing_optional())


def load_catalog(data_home: str | os.PathLike[str] | None = None, *,
                 cache_home: str | os.PathLike[str] | None = None,
                 use_cache: bool = True) -> Catalog:
    """Load the occupation catalog of the O*NET 30.2 release and the BLS tables.

    The data folder is ``data_home``, else the ``PASSIONFINDER_DATA`` environment variable,
    else the per-user default (see :func:`passionfinder.fetch_onet`). A compiled catalog in
    it (written by ``passionfinder data build``, in the folder itself or in its ``catalog/``
    subfolder) is read as it is. Otherwise the first load compiles the raw files (about
    1.5 s) and writes a verified cache under ``cache_home`` (default ``PASSIONFINDER_CACHE``
    or ``~/.cache/passionfinder``); later loads read the cache. A cache whose sources changed
    or whose files are corrupt is rebuilt with a :class:`CacheWarning`.

    Tables are read when first used. Once a finder has worked out the catalog's summary (the
    per-occupation columns it reads, cached under ``cache_home``), a load reads no table at
    all, and needs no pandas, until a feature asks for one.

    When no folder is named (no ``data_home``, no ``PASSIONFINDER_DATA``) and the per-user
    folder holds nothing, the catalog bundled with passionfinder is used (O*NET 30.2, BLS
    OEWS May 2025, Employment Projections 2024-34; no network, no cache); ``catalog.source``
    says which source is in use.

    Parameters
    ----------
    data_home : path, optional
        Folder holding ``onet/db_30_2_text/`` (or ``onet/db_30_2_text.zip``) and ``bls/``,
        or a compiled catalog.
    cache_home : path, optional
        Folder for compiled caches.
    use_cache : bool, default True
        Set False to compile from the raw files and neither read nor write a cache.

    Raises
    ------
    DataNotFoundError
        No release in a data folder that was named (argument or ``PASSIONFINDER_DATA``); the
        message lists where it looked.
    DataFormatError
        A file lacks a column the catalog needs; the message names file and column. Or a
        compiled catalog does not match its manifest.

    Warns
    -----
    MissingDataWarning
        Once per load, naming each absent optional file and what it disables.

    Examples
    --------
    >>> catalog = load_catalog("../shared/data")       # doctest: +SKIP
    >>> len(catalog), catalog.release                  # doctest: +SKIP
    (1016, '30.2')
    """
    start = time.perf_counter()
    home = get_data_home(data_home)
    compiled = compiled_folder(home)
    if compiled is not None:
        catalog = _from_compiled(read_compiled(compiled, what=f"The compiled catalog in {compiled}"),
                                 source=str(compiled), cache_home=cache_home,
                                 use_cache=use_cache)
        logger.info("Catalog read from the compiled catalog %s in %.2f s", compiled,
                    time.perf_counter() - start)
        return catalog
    try:
        release = open_release(data_home)
    except DataNotFoundError:
        if data_home is not None or os.environ.get(DATA_ENV):
            raise  # a folder the user named must hold the data
        logger.info("No data in %s; using the bundled catalog", home)
        return load_bundled_catalog(cache_home=cache_home, use_cache=use_cache)
    release.warn_missing()
    paths = release.source_paths()
    store = CacheStore(_cache_folder(release, cache_home)) if use_cache else None
    known: dict[str, Any] = {}
    if store is not None:
        try:
            manifest = store.manifest()
            meta = manifest["meta"]
            known = _known_sources(meta)
            states = source_state(paths, known)
            current = {k: s.to_json() for k, s in states.items()}
            if {k: v["sha256"] for k, v in current.items()} != \
                    {k: v["sha256"] for k, v in known.items()}:
                raise CacheError("the source files changed since the cache was built")
            if meta.get("compile_version") != COMPILE_VERSION:
                raise CacheError("the cache was built by another version of passionfinder")
            # checked now, read when first used; with the summary at hand, the occupations
            # table too
            summary = read_summary(meta["fingerprint"], cache_home)
            tables: dict[str, Any] = {name: store.lazy_table(manifest, name)
                                      for name in store.names(manifest, ".parquet")}
            if summary is None:
                tables["occupations"] = store.read_table(manifest, "occupations")
            catalog = Catalog(tables, release=release.onet_release, data_home=release.data_home,
                              fingerprint=meta["fingerprint"], missing=_missing(release),
                              summary=summary)
            logger.info("Catalog loaded from cache %s in %.2f s", store.folder,
                        time.perf_counter() - start)
            return catalog
        except CacheError as exc:
            if (store.folder / "manifest.json").exists():
                warnings.warn(f"Rebuilding the catalog cache: {exc}.", CacheWarning,
                              stacklevel=caller_stacklevel())
            else:
                logger.info("No catalog cache yet (%s); compiling the release", exc)
    from ._compile import compile_tables

    tables = compile_tables(release)
    states = source_state(paths, known)
    fingerprint = sources_fingerprint(states)
    catalog = Catalog(tables, release=release.onet_release, data_home=release.data_home,
                      fingerprint=fingerprint, missing=_missing(release))
    if store is not None:
        meta = {
            "release": ONET_RELEASE,
            "compile_version": COMPILE_VERSION,
            "passionfinder": __version__,
            "fingerprint": fingerprint,
            "sources": {k: s.to_json() for k, s in states.items()},
            "tables": sorted(tables),
            "absent_files": [spec.filename for spec in release.missing_optional()],
        }
        try:
            store.write(tables=tables, meta=meta)
        except OSError as exc:  # a read-only cache folder must not stop the library
            logger.warning("Could not write the catalog cache to %s: %s", store.folder, exc)
    logger.info("Catalog compiled from %s in %.2f s", release.location,
                time.perf_counter() - start)
    return catalog


def _from_compiled(compiled: Compiled, *, source: str,
                   cache_home: str | os.PathLike[str] | None = None, use_cache: bool = True
                   ) -> Catalog:
    manifest = compiled.manifest
    if manifest.get("compile_version") != COMPILE_VERSION:
        # tables of another shape than this code reads: rebuild, never guess
        how = ("the project rebuilds it with `python scripts/build_bundle.py`"
               if source == BUNDLE_SOURCE else "build it again with `passionfinder data build`")
        what = "bundled catalog" if source == BUNDLE_SOURCE else f"compiled catalog in {source}"
        raise DataFormatError(
            f"The {what} was compiled by catalog version {manifest.get('compile_version')!r}; "
            f"this passionfinder reads version {COMPILE_VERSION} ({compiled.location}): {how}.")
    missing = tuple((str(name), str(disables)) for name, disables in manifest["absent_files"])
    fingerprint = str(manifest["fingerprint"])
    summary = read_summary(fingerprint, cache_home) if use_cache else None
    tables: dict[str, Any] = dict(compiled.tables)
    if summary is None:
        tables["occupations"] = tables["occupations"]()
    return Catalog(tables, release=str(manifest["release"]), fingerprint=fingerprint,
                   missing=missing, source=source, summary=summary)


def load_bundled_catalog(*, cache_home: str | os.PathLike[str] | None = None,
                         use_cache: bool = True) -> Catalog:
    """The catalog bundled with passionfinder: O*NET 30.2 with BLS OEWS May 2025, Employment
    Projections 2024-34 and the job families, compiled and verified against its manifest.

    :func:`load_catalog` falls back to it when no data folder is named and the per-user data
    folder holds nothing. It needs no network and no cache; the catalog summary a finder
    writes into ``cache_home`` (see :func:`load_catalog`) is read when it is there, unless
    ``use_cache`` is False.

    Examples
    --------
    >>> catalog = load_bundled_catalog()               # doctest: +SKIP
    >>> catalog.source                                 # doctest: +SKIP
    'bundled catalog'
    """
    start = time.perf_counter()
    catalog = _from_compiled(read_compiled(bundle_location(), what="The bundled catalog"),
                             source=BUNDLE_SOURCE, cache_home=cache_home, use_cache=use_cache)
    logger.info("Bundled catalog read in %.2f s", time.perf_counter() - start)
    return catalog
