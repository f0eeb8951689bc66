"""The compiled catalog on disk: the catalog's parquet tables and a manifest, in a folder.

The package ships one (the bundle, ``passionfinder/bundle/``), used when no data folder is
found; ``passionfinder data build`` writes one from the official downloads. The manifest
records the sha256 of every source file and every table, the versions of the sources and the
attribution; every table is checked against it when read. Writing is deterministic (fixed
row order, no timestamps), so the same sources and library versions give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._cache import SourceState, source_state, sources_fingerprint
from ._errors import DataFormatError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import pandas as pd

    from ._release import Release

__all__ = ["BUNDLE_SOURCE", "KIND", "Compiled", "bundle_location", "compiled_folder",
           "read_compiled", "write_compiled"]

logger = logging.getLogger(__name__)

KIND = "passionfinder compiled catalog"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: How a catalog read from the bundle names its source (catalog.source, repr, attribution).
BUNDLE_SOURCE = "bundled catalog"
#: zstd level 19: the bundle is written once and read often; 2.8 MB instead of 3.2 MB.
_ZSTD_LEVEL = 19


@dataclass(frozen=True)
class Compiled:
    """The tables and manifest of a compiled catalog on disk, verified; each table is read when
    its function is called."""

    tables: dict[str, Callable[[], pd.DataFrame]]  # name -> reads the table (verified)
    manifest: dict[str, Any]
    location: str


def bundle_location() -> Traversable:
    """The bundle inside the installed package (works from a wheel or a zip)."""
    return resources.files("passionfinder") / "bundle"


def _manifest_of(folder: Traversable) -> dict[str, Any] | None:
    """The manifest of a compiled catalog in ``folder``, or None if it holds none."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("kind") == KIND else None


def compiled_folder(data_home: Path) -> Path | None:
    """The compiled catalog in a data folder: the folder itself or its ``catalog/`` subfolder."""
    for folder in (data_home, data_home / "catalog"):
        if folder.is_dir() and _manifest_of(folder) is not None:
            return folder
    return None


def _table_bytes(frame: pd.DataFrame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # The same table layout as the catalog cache (index kept as a column).
    table = pa.Table.from_pandas(frame, preserve_index=True)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", compression_level=_ZSTD_LEVEL)
    return sink.getvalue()


def write_compiled(folder: Path, tables: Mapping[str, pd.DataFrame], *, release: str,
                   sources: Mapping[str, SourceState], absent: Sequence[tuple[str, str]],
                   versions: Mapping[str, str], attribution: str, compile_version: int,
                   notes: Sequence[str] = ()) -> dict[str, Any]:
    """Write ``tables`` as parquet into ``folder`` with their manifest; returns the manifest.

    Parquet files of tables no longer present are removed; the manifest is written last, so
    an interrupted write leaves no manifest that claims files it does not have.
    """
    import pandas as pd
    import pyarrow as pa

    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    files: dict[str, dict[str, Any]] = {}
    for name in sorted(tables):
        data = _table_bytes(tables[name])
        (folder / f"{name}.parquet").write_bytes(data)
        files[f"{name}.parquet"] = {"sha256": hashlib.sha256(data).hexdigest(),
                                    "rows": len(tables[name])}
    for stale in folder.glob("*.parquet"):
        if stale.name not in files:
            stale.unlink()
    manifest = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "release": release,
        "compile_version": compile_version,
        "fingerprint": sources_fingerprint(sources),
        "versions": dict(versions),
        "attribution": attribution,
        "notes": list(notes),
        "sources": {key: {"sha256": s.sha256, "size": s.size} for key, s in sorted(sources.items())},
        "absent_files": [[name, disables] for name, disables in absent],
        "tables": files,
        # the bytes of a parquet file depend on these; a rebuild with others differs in bytes
        # but not in content
        "written_with": {"pandas": pd.__version__, "pyarrow": pa.__version__},
    }
    text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


def write_release(release: Release, folder: Path, *, versions: Mapping[str, str],
                  attribution: str, notes: Sequence[str] = ()) -> dict[str, Any]:
    """Compile ``release`` and write it as a compiled catalog into ``folder``."""
    from ._catalog import COMPILE_VERSION
    from ._compile import compile_tables

    tables = compile_tables(release)
    states = source_state(release.source_paths())
    absent = [(spec.filename, spec.disables) for spec in release.missing_optional()]
    return write_compiled(folder, tables, release=release.onet_release, sources=states,
                          absent=absent, versions=versions, attribution=attribution,
                          compile_version=COMPILE_VERSION, notes=notes)


def read_compiled(folder: Traversable, *, what: str) -> Compiled:
    """Open and verify the compiled catalog in ``folder``.

    ``what`` names the catalog in error messages ("the bundled catalog", "the compiled
    catalog in <path>"). Every table is checked against its sha256 now; each is parsed when
    first read (``Compiled.tables`` holds a function that reads it), and checked again then.

    Raises
    ------
    DataFormatError
        No manifest, a table missing, or a table whose sha256 differs from the manifest
        (when the table is read too: a file changed after the check).
    """
    manifest = _manifest_of(folder)
    if manifest is None:
        raise DataFormatError(f"{what} has no readable {MANIFEST} ({folder}).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise DataFormatError(
            f"{what} has format version {manifest.get('format_version')!r}; this passionfinder "
            f"reads version {FORMAT_VERSION}. Build it again with `passionfinder data build`.")
    files = manifest.get("tables")
    if not isinstance(files, dict) or "occupations.parquet" not in files:
        raise DataFormatError(f"The {MANIFEST} of {what} lists no occupations table ({folder}).")
    tables: dict[str, Callable[[], pd.DataFrame]] = {}
    for fname, entry in sorted(files.items()):
        _verified_bytes(folder, fname, entry, what)
        tables[fname.removesuffix(".parquet")] = functools.partial(
            _read_table, folder, fname, entry, what)
    return Compiled(tables, manifest, str(folder))


def _verified_bytes(folder: Traversable, fname: str, entry: Any, what: str) -> bytes:
    path = folder / fname
    if not path.is_file():
        raise DataFormatError(f"{what} lacks '{fname}', which its {MANIFEST} lists ({folder}).")
    data = path.read_bytes()
    if not isinstance(entry, dict) or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise DataFormatError(
            f"'{fname}' of {what} does not match the sha256 in its {MANIFEST} (corrupt or "
            f"edited; {folder}). Reinstall passionfinder or build the catalog again.")
    return data


def _read_table(folder: Traversable, fname: str, entry: Any, what: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = _verified_bytes(folder, fname, entry, what)
    return pq.read_table(pa.BufferReader(data)).to_pandas()
