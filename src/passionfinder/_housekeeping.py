"""Cache housekeeping: what the cache folder holds, which folders this version of passionfinder
uses, and removing the ones it no longer can (``passionfinder cache info`` / ``cache prune``).

A folder is *in use* when a finder on the current data folder reads it, *kept* when this
version could still read it (another data folder's catalog, another model or precision), and
*stale* when it never will again: built by another version of a format, for a catalog whose
compiled cache is gone or changed, from older model weights, or a half-written folder left by
an interrupted build. Only stale folders are pruned; anything unrecognised is left alone.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._cache import MANIFEST, CacheError, CacheStore
from ._config import get_cache_home

__all__ = ["CacheEntry", "cache_entries", "prune_cache"]

logger = logging.getLogger(__name__)

#: A hidden folder (a build in progress, a folder being swapped) younger than this may still
#: be in use by another process; older ones were left by a build that died.
LEFTOVER_AGE = 3600.0

IN_USE, KEPT, STALE = "in use", "kept", "stale"


@dataclass(frozen=True)
class CacheEntry:
    """One folder (or file) of the cache: what it is, its size in bytes, whether this version
    uses it (``status``: "in use", "kept" or "stale") and why."""

    kind: str  # catalog, index, steps, summary, model or the name of an unknown folder
    path: Path
    size: int
    status: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": str(self.path), "size": self.size,
                "status": self.status, "reason": self.reason}


def _size(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _meta(folder: Path) -> dict[str, Any] | None:
    """The meta of a cache folder's manifest, or None when it has no readable one."""
    try:
        return dict(CacheStore(folder).manifest()["meta"])
    except CacheError:
        return None


def _leftover(path: Path, kind: str, now: float) -> CacheEntry:
    age = now - path.lstat().st_mtime
    if age > LEFTOVER_AGE:
        return CacheEntry(kind, path, _size(path), STALE,
                          f"left by an interrupted build or swap {age / 3600:.1f} h ago")
    return CacheEntry(kind, path, _size(path), KEPT, "being written by another process")


def _children(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _current_catalog_folder(data_home: str | os.PathLike[str] | None,
                            cache_home: str | os.PathLike[str] | None) -> Path | None:
    """The catalog cache folder of the current data folder (None when there is no release)."""
    from ._catalog import _cache_folder
    from ._errors import PassionfinderError
    from ._release import open_release

    try:
        return _cache_folder(open_release(data_home), cache_home)
    except (PassionfinderError, OSError):
        return None


def _uncached_catalogs(data_home: str | os.PathLike[str] | None, current: Path | None
                       ) -> dict[str, str]:
    """Fingerprints of the catalogs that are read without a catalog cache, with their status:
    a compiled catalog in the data folder (in use: load_catalog reads it first) and the
    bundled catalog (in use when the data folder holds neither a compiled catalog nor a
    release, as load_catalog decides)."""
    from ._bundle import _manifest_of, bundle_location, compiled_folder
    from ._config import get_data_home

    out: dict[str, str] = {}
    compiled = None
    try:
        compiled = compiled_folder(get_data_home(data_home))
    except (OSError, ValueError):
        pass
    if compiled is not None:
        manifest = _manifest_of(compiled) or {}
        if isinstance(manifest.get("fingerprint"), str):
            out[manifest["fingerprint"]] = IN_USE
    bundled = _manifest_of(bundle_location()) or {}
    if isinstance(bundled.get("fingerprint"), str) and bundled["fingerprint"] not in out:
        out[bundled["fingerprint"]] = IN_USE if compiled is None and current is None else KEPT
    return out


def _catalogs(folder: Path, current: Path | None, now: float
              ) -> tuple[list[CacheEntry], dict[str, str]]:
    """The catalog caches, and the status of each fingerprint they hold (in use / kept)."""
    from ._catalog import COMPILE_VERSION
    from ._release import ONET_RELEASE

    entries: list[CacheEntry] = []
    fingerprints: dict[str, str] = {}
    for path in _children(folder):
        if path.name.startswith("."):
            entries.append(_leftover(path, "catalog", now))
            continue
        meta = _meta(path)
        if meta is None:
            entries.append(CacheEntry("catalog", path, _size(path), STALE,
                                      "no readable manifest"))
        elif meta.get("compile_version") != COMPILE_VERSION:
            entries.append(CacheEntry("catalog", path, _size(path), STALE,
                                      "compiled by another version of passionfinder"))
        elif meta.get("release") != ONET_RELEASE:
            entries.append(CacheEntry("catalog", path, _size(path), STALE,
                                      f"O*NET {meta.get('release')}, not {ONET_RELEASE}"))
        else:
            status = IN_USE if current is not None and path == current else KEPT
            reason = ("the current data folder's catalog" if status == IN_USE
                      else "the catalog of another data folder")
            entries.append(CacheEntry("catalog", path, _size(path), status,
                                      f"{reason} (O*NET {ONET_RELEASE})"))
            fingerprint = meta.get("fingerprint")
            if isinstance(fingerprint, str):
                if fingerprints.get(fingerprint) != IN_USE:
                    fingerprints[fingerprint] = status
    return entries, fingerprints


def _indexes(folder: Path, fingerprints: dict[str, str], now: float) -> list[CacheEntry]:
    from ._index import INDEX_VERSION, index_key

    entries = []
    for path in _children(folder):
        if path.name.startswith("."):
            entries.append(_leftover(path, "index", now))
            continue
        meta = _meta(path)
        if meta is None:
            entries.append(CacheEntry("index", path, _size(path), STALE, "no readable manifest"))
            continue
        model, version = meta.get("model"), meta.get("version")
        if version != INDEX_VERSION:
            entries.append(CacheEntry("index", path, _size(path), STALE,
                                      f"index format {version}, this version reads "
                                      f"{INDEX_VERSION}"))
            continue
        # the folder is named after (catalog fingerprint, model, version): find its catalog
        owner = next((fp for fp in fingerprints if index_key(fp, str(model)) == path.name), None)
        if owner is None:
            entries.append(CacheEntry("index", path, _size(path), STALE,
                                      f"{model}: built for a catalog no longer in the cache"))
        else:
            entries.append(CacheEntry("index", path, _size(path), fingerprints[owner],
                                      f"{model} on the catalog {owner}"))
    return entries


def _per_catalog(folder: Path, kind: str, fingerprints: dict[str, str], now: float,
                 version: int, key_of: Callable[[str], str], what: str) -> list[CacheEntry]:
    """Folders compiled per catalog (step facts, summaries), named ``key_of(fingerprint)``
    and written with ``meta["version"]``: a catalog's status, or stale."""
    entries = []
    for path in _children(folder):
        if path.name.startswith("."):
            entries.append(_leftover(path, kind, now))
            continue
        meta = _meta(path)
        owner = next((fp for fp in fingerprints if key_of(fp) == path.name), None)
        if meta is None or meta.get("version") != version or owner is None:
            why = ("no readable manifest" if meta is None
                   else "compiled by another version of passionfinder"
                   if meta.get("version") != version
                   else "compiled for a catalog no longer in the cache, or by another version")
            entries.append(CacheEntry(kind, path, _size(path), STALE, why))
        else:
            entries.append(CacheEntry(kind, path, _size(path), fingerprints[owner],
                                      f"{what} of the catalog {owner}"))
    return entries


def _step_facts(folder: Path, fingerprints: dict[str, str], now: float) -> list[CacheEntry]:
    from ._steps import FACTS_VERSION, facts_key

    return _per_catalog(folder, "steps", fingerprints, now, FACTS_VERSION, facts_key,
                        "starter-step facts")


def _summaries(folder: Path, fingerprints: dict[str, str], now: float) -> list[CacheEntry]:
    from ._summary import SUMMARY_VERSION, summary_key

    return _per_catalog(folder, "summary", fingerprints, now, SUMMARY_VERSION, summary_key,
                        "summary (the columns a finder reads)")


def _default_model_folder(models: Path) -> str | None:
    """Name prefix (``<model>-<weights digest>-``) of the default model's exports, or None
    when the default model is not installed."""
    try:
        from ._model.manifest import _source_sha256
        from ._model.sources import DEFAULT_MODEL_ID, _default_source

        source = _default_source()
        return f"{DEFAULT_MODEL_ID}-{_source_sha256(source.weights, models)[:12]}-"
    except (ImportError, OSError, ValueError):
        return None


def _models(folder: Path, now: float) -> list[CacheEntry]:
    from ._model.export import _ONNX_RECIPE
    from ._model.sources import DEFAULT_MODEL_ID

    entries = []
    default = _default_model_folder(folder) if folder.is_dir() else None
    for path in _children(folder):
        if path.name.startswith("."):
            entries.append(_leftover(path, "model", now))
            continue
        if path.is_file():
            entries.append(CacheEntry("model", path, _size(path), IN_USE,
                                      "checksums of model weights, kept between runs"))
            continue
        try:
            manifest = json.loads((path / MANIFEST).read_text())
            recipe = manifest.get("recipe") if isinstance(manifest, dict) else None
        except (OSError, ValueError):
            recipe = None
        if recipe != _ONNX_RECIPE:
            entries.append(CacheEntry("model", path, _size(path), STALE,
                                      "exported by another recipe (or unreadable)"))
        elif path.name.startswith(f"{DEFAULT_MODEL_ID}-") and default is not None:
            if path.name.startswith(default):
                entries.append(CacheEntry("model", path, _size(path), IN_USE,
                                          "the default model's ONNX export"))
            else:
                entries.append(CacheEntry("model", path, _size(path), STALE,
                                          "exported from older weights of the default model"))
        else:
            entries.append(CacheEntry("model", path, _size(path), KEPT,
                                      "the ONNX export of another model"))
    return entries


def cache_entries(cache_home: str | os.PathLike[str] | None = None,
                  data_home: str | os.PathLike[str] | None = None) -> list[CacheEntry]:
    """Every folder of the cache with its size and status (see the module docstring).

    ``data_home`` is the data folder whose catalog counts as in use (default: as for
    :func:`passionfinder.load_catalog`).
    """
    root = get_cache_home(cache_home)
    now = time.time()
    current = _current_catalog_folder(data_home, cache_home)
    catalogs, fingerprints = _catalogs(root / "catalog", current, now)
    # catalogs read without a catalog cache (the bundled one, a compiled one in the data
    # folder) own indexes and step facts too
    for fingerprint, status in _uncached_catalogs(data_home, current).items():
        if fingerprints.get(fingerprint) != IN_USE:
            fingerprints[fingerprint] = status
    entries = [*catalogs, *_indexes(root / "index", fingerprints, now),
               *_step_facts(root / "steps", fingerprints, now),
               *_summaries(root / "summary", fingerprints, now), *_models(root / "models", now)]
    known = {"catalog", "index", "steps", "summary", "models"}
    for path in _children(root):
        if path.name not in known:
            entries.append(CacheEntry(path.name, path, _size(path), KEPT,
                                      "not made by passionfinder; left alone"))
    return entries


def prune_cache(cache_home: str | os.PathLike[str] | None = None,
                data_home: str | os.PathLike[str] | None = None, *,
                dry_run: bool = False) -> list[CacheEntry]:
    """Remove the stale folders of the cache (``dry_run``: only say which); returns them."""
    stale = [e for e in cache_entries(cache_home, data_home) if e.status == STALE]
    if not dry_run:
        _remove(e.path for e in stale)
    return stale


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        # moved aside first, so a reader never sees a half-removed folder under its name
        trash = path.with_name(f".trash-{path.name}-{os.getpid()}")
        try:
            os.rename(path, trash)
        except FileNotFoundError:
            continue  # removed meanwhile
        if trash.is_dir():
            shutil.rmtree(trash, ignore_errors=True)
        else:
            trash.unlink(missing_ok=True)
        logger.info("Removed %s", path)
