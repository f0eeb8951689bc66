"""The catalog summary: the per-occupation columns a finder reads on every call (codes, titles,
job families, descriptions, RIASEC scores, wages, growth and the standing of every occupation
on every value), as plain arrays.

It is worked out once per catalog from the catalog's tables (with pandas) and cached as
verified .npy files under ``<cache>/summary/<key>/``, named after the catalog's fingerprint
(checked like the embedding index). A catalog loaded with its summary at hand reads none of
its tables until a feature needs one, so a finder starts without importing pandas.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._cache import CacheError, CacheStore
from ._config import get_cache_home
from ._errors import CacheWarning, caller_stacklevel
from ._release import RIASEC
from ._values import VALUE_ENTRIES

if TYPE_CHECKING:
    from ._catalog import Catalog

__all__ = ["CatalogSummary", "compile_summary", "load_summary", "read_summary",
           "summary_folder", "summary_key"]

logger = logging.getLogger(__name__)

#: Bump when what compile_summary gathers changes, so cached summaries are compiled again.
SUMMARY_VERSION = 1
RIASEC_COLUMNS = tuple(name.lower() for name in RIASEC)
VALUE_NAMES = tuple(entry.name for entry in VALUE_ENTRIES)
_TEXTS = "texts"  # the file of the text columns (one JSON object, as uint8)


@dataclass(frozen=True, eq=False)
class CatalogSummary:
    """Per occupation, in catalog row order, what a finder reads of the catalog.

    ``value_standing`` is each occupation's percentile (0-1) among the occupations with data
    on each value of :data:`~passionfinder._values.VALUE_ENTRIES` (NaN: no data), as
    ``value_scores(catalog).rank(pct=True)`` gives it; ``value_share_below`` the share of the
    other occupations with data that score strictly lower.
    """

    codes: tuple[str, ...]
    titles: tuple[str, ...]
    families: tuple[str | None, ...]  # job family, None when the catalog has none
    descriptions: tuple[str, ...]  # as shown in evidence (str() of the catalog's value)
    riasec: np.ndarray  # (n, 6) float32, RIASEC order
    wage_median: np.ndarray  # (n,) float64, NaN: not published
    growth_pct: np.ndarray  # (n,) float64, NaN: no projection
    value_standing: np.ndarray  # (n, values) float64
    value_share_below: np.ndarray  # (n, values) float64

    def __len__(self) -> int:
        return len(self.codes)

    def __post_init__(self) -> None:
        n = len(self.codes)
        shapes = {"titles": (len(self.titles),), "families": (len(self.families),),
                  "descriptions": (len(self.descriptions),), "riasec": self.riasec.shape,
                  "wage_median": self.wage_median.shape, "growth_pct": self.growth_pct.shape,
                  "value_standing": self.value_standing.shape,
                  "value_share_below": self.value_share_below.shape}
        expected = {"riasec": (n, len(RIASEC)), "value_standing": (n, len(VALUE_NAMES)),
                    "value_share_below": (n, len(VALUE_NAMES))}
        for name, shape in shapes.items():
            if shape != expected.get(name, (n,)):
                raise ValueError(f"the summary's {name} has shape {shape}, not "
                                 f"{expected.get(name, (n,))}")

    def to_arrays(self) -> dict[str, np.ndarray]:
        texts = {"codes": list(self.codes), "titles": list(self.titles),
                 "families": list(self.families), "descriptions": list(self.descriptions)}
        blob = json.dumps(texts, ensure_ascii=False, allow_nan=False).encode()
        return {_TEXTS: np.frombuffer(blob, dtype=np.uint8), "riasec": self.riasec,
                "wage_median": self.wage_median, "growth_pct": self.growth_pct,
                "value_standing": self.value_standing,
                "value_share_below": self.value_share_below}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> CatalogSummary:
        texts = json.loads(arrays[_TEXTS].tobytes())
        return cls(tuple(texts["codes"]), tuple(texts["titles"]), tuple(texts["families"]),
                   tuple(texts["descriptions"]),
                   np.ascontiguousarray(arrays["riasec"], dtype=np.float32),
                   arrays["wage_median"], arrays["growth_pct"], arrays["value_standing"],
                   arrays["value_share_below"])


def compile_summary(catalog: Catalog) -> CatalogSummary:
    """The summary of ``catalog``, worked out from its tables (pandas)."""
    from ._values import value_scores

    occ = catalog.occupations
    raw_values = value_scores(catalog)
    standing = raw_values.rank(pct=True)[list(VALUE_NAMES)].to_numpy(dtype=float)
    lower = raw_values.rank(method="min") - 1
    share_below = (lower / (raw_values.count() - 1))[list(VALUE_NAMES)].to_numpy(dtype=float)
    families = occ["job_family"].to_numpy(dtype=object)
    return CatalogSummary(
        codes=tuple(str(c) for c in occ.index),
        titles=tuple(str(t) for t in occ["title"].tolist()),
        families=tuple(f if isinstance(f, str) else None for f in families),
        descriptions=tuple(str(d) for d in occ["description"].tolist()),
        riasec=np.ascontiguousarray(occ[list(RIASEC_COLUMNS)].to_numpy(dtype=np.float32)),
        wage_median=occ["wage_median"].to_numpy(dtype=float),
        growth_pct=occ["growth_pct"].to_numpy(dtype=float),
        value_standing=np.ascontiguousarray(standing),
        value_share_below=np.ascontiguousarray(share_below))


def summary_key(fingerprint: str) -> str:
    """The cache folder name of the summary of the catalog with ``fingerprint``.

    The value vocabulary (names, sources and weights) and the catalog's compile version are
    part of it: a change to either is a new summary.
    """
    from ._catalog import COMPILE_VERSION

    vocabulary = hashlib.sha256(repr(VALUE_ENTRIES).encode()).hexdigest()
    return hashlib.sha256(f"{fingerprint}|{SUMMARY_VERSION}|{COMPILE_VERSION}|{vocabulary}"
                          .encode()).hexdigest()[:16]


def summary_folder(fingerprint: str, cache_home: str | os.PathLike[str] | None = None) -> Path:
    """Where the summary of the catalog with ``fingerprint`` is cached."""
    return get_cache_home(cache_home) / "summary" / summary_key(fingerprint)


def _read(store: CacheStore) -> CatalogSummary:
    manifest = store.manifest()
    meta = manifest["meta"]
    if meta.get("version") != SUMMARY_VERSION or meta.get("key") != store.folder.name:
        raise CacheError("the catalog summary was compiled by another version")
    arrays = {name: store.read_array(manifest, name) for name in store.names(manifest, ".npy")}
    try:
        return CatalogSummary.from_arrays(arrays)
    except (KeyError, ValueError, TypeError) as exc:
        raise CacheError(f"the catalog summary in {store.folder} is incomplete: {exc}") from None


def read_summary(fingerprint: str, cache_home: str | os.PathLike[str] | None = None
                 ) -> CatalogSummary | None:
    """The cached summary of the catalog with ``fingerprint``, or None when there is none that
    can be read (absent, damaged or of another version: :func:`load_summary` compiles it
    again)."""
    if not fingerprint:
        return None
    try:
        return _read(CacheStore(summary_folder(fingerprint, cache_home)))
    except (CacheError, OSError):
        return None


def load_summary(catalog: Catalog, *, cache_home: str | os.PathLike[str] | None = None
                 ) -> CatalogSummary:
    """The summary of ``catalog``: the one it was loaded with, else from its cache, else
    compiled from its tables and cached.

    A corrupt or mismatched cache is compiled again with a :class:`CacheWarning`; a catalog
    without a fingerprint is summarised in memory.
    """
    if catalog.summary is not None:
        return catalog.summary
    codes = tuple(catalog.codes)
    if not catalog.fingerprint:
        summary = compile_summary(catalog)
    else:
        store = CacheStore(summary_folder(catalog.fingerprint, cache_home))
        try:
            summary = _read(store)
            if summary.codes != codes:
                raise CacheError("the cached catalog summary lists other occupations")
        except CacheError as exc:
            if (store.folder / "manifest.json").exists():
                warnings.warn(f"Compiling the catalog summary again: {exc}.", CacheWarning,
                              stacklevel=caller_stacklevel())
            summary = compile_summary(catalog)
            _write(store, summary, catalog.fingerprint)
    catalog.summary = summary
    return summary


def _write(store: CacheStore, summary: CatalogSummary, fingerprint: str) -> None:
    meta: dict[str, Any] = {"version": SUMMARY_VERSION, "key": store.folder.name,
                            "fingerprint": fingerprint, "occupations": len(summary)}
    try:
        store.write(arrays=summary.to_arrays(), meta=meta)
    except OSError as exc:  # a read-only cache folder must not stop the library
        logger.warning("Could not write the catalog summary to %s: %s", store.folder, exc)
