"""The compiled cache: tables as parquet and arrays as .npy, with a manifest of checksums.

Nothing here is ever unpickled: parquet and ``np.load(..., allow_pickle=False)`` only. A cache is
valid when its manifest matches the current sources (size and mtime, else sha256) and every
cache file matches its recorded sha256; otherwise it is rebuilt by the caller. A file still
carrying the stamp it had when it was written (size, modification and change times, inode)
is known to have that sha256 and is not read twice; any write to it changes the stamp, and
then it is hashed again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._atomic import atomic_write

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CacheError", "CacheStore", "SourceState", "file_sha256", "file_stamp", "source_state",
           "unchanged_since_hashed"]

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class CacheError(Exception):
    """A cache is missing, stale or corrupt; the message says which. Internal: callers rebuild."""


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class SourceState:
    """What a source file looked like when a cache was built."""

    size: int
    mtime_ns: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}


def source_state(paths: Mapping[str, Path], known: Mapping[str, Any] | None = None
                 ) -> dict[str, SourceState]:
    """Checksum the source files, reusing ``known`` sha256s for files whose size and mtime match."""
    known = known or {}
    states = {}
    for key, path in sorted(paths.items()):
        stat = path.stat()
        prev = known.get(key)
        if prev and prev["size"] == stat.st_size and prev["mtime_ns"] == stat.st_mtime_ns:
            sha = prev["sha256"]
        else:
            sha = file_sha256(path)
        states[key] = SourceState(stat.st_size, stat.st_mtime_ns, sha)
    return states


def file_stamp(path: Path) -> dict[str, int]:
    """What changes whenever a file is written, replaced or copied: size, modification and
    change times (the change time cannot be set back), inode."""
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns,
            "inode": st.st_ino}


def unchanged_since_hashed(path: Path, sha256: str, stamp: object) -> bool:
    """Whether ``path`` still carries ``stamp`` (recorded with its sha256 when it was written),
    and that record names ``sha256``: then the file has that checksum without reading it."""
    return isinstance(stamp, dict) and stamp.get("sha256") == sha256 and {
        k: v for k, v in stamp.items() if k != "sha256"} == file_stamp(path)


def sources_fingerprint(states: Mapping[str, SourceState]) -> str:
    """One short hash of all source checksums: names a catalog's content."""
    digest = hashlib.sha256()
    for key in sorted(states):
        digest.update(f"{key}\0{states[key].sha256}\n".encode())
    return digest.hexdigest()[:16]


class CacheStore:
    """One cache folder: write a set of tables and arrays atomically, read them back verified."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    # -- writing ---------------------------------------------------------------------------
    def write(self, *, tables: Mapping[str, pd.DataFrame] | None = None,
              arrays: Mapping[str, np.ndarray] | None = None,
              meta: Mapping[str, Any] | None = None) -> None:
        """Write everything into a fresh folder, then swap it into place in one rename."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.", dir=self.folder.parent))
        try:
            files: dict[str, str] = {}
            for name, frame in (tables or {}).items():
                fname = f"{name}.parquet"
                table = pa.Table.from_pandas(frame, preserve_index=True)
                pq.write_table(table, staging / fname, compression="zstd")
                files[fname] = file_sha256(staging / fname)
            for name, array in (arrays or {}).items():
                fname = f"{name}.npy"
                np.save(staging / fname, np.ascontiguousarray(array), allow_pickle=False)
                files[fname] = file_sha256(staging / fname)
            # renaming the folder below leaves the files' stamps as they are
            stamps = {fname: {**file_stamp(staging / fname), "sha256": sha}
                      for fname, sha in files.items()}
            manifest = {"format_version": FORMAT_VERSION, "files": files,
                        "stamps": stamps, "meta": dict(meta or {})}
            with atomic_write(staging / MANIFEST, "w") as fh:
                json.dump(manifest, fh, indent=1, sort_keys=True)
            old = None
            if self.folder.exists():
                old = self.folder.with_name(f".{self.folder.name}.old.{os.getpid()}")
                os.replace(self.folder, old)
            os.replace(staging, self.folder)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    # -- reading ---------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The manifest, or CacheError if it is missing or unreadable."""
        path = self.folder / MANIFEST
        if not path.is_file():
            raise CacheError(f"no cache at {self.folder}")
        try:
            manifest = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise CacheError(f"unreadable cache manifest {path}: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
            raise CacheError(f"cache at {self.folder} has another format version")
        files, meta = manifest.get("files"), manifest.get("meta")
        if not isinstance(files, dict) or not isinstance(meta, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            raise CacheError(f"malformed cache manifest {path}")
        return manifest

    def _verified(self, manifest: Mapping[str, Any], fname: str) -> Path:
        path = self.folder / fname
        expected = manifest["files"].get(fname)
        if expected is None or not path.is_file():
            raise CacheError(f"cache file {path} is missing")
        stamps = manifest.get("stamps")
        if isinstance(stamps, dict) and unchanged_since_hashed(path, expected, stamps.get(fname)):
            return path
        if file_sha256(path) != expected:
            raise CacheError(f"cache file {path} does not match its checksum (corrupt or edited)")
        return path

    def read_table(self, manifest: Mapping[str, Any], name: str) -> pd.DataFrame:
        import pyarrow.parquet as pq

        path = self._verified(manifest, f"{name}.parquet")
        try:
            # one file: ParquetFile skips the dataset discovery of pq.read_table (same table)
            return pq.ParquetFile(path).read().to_pandas()
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
            raise CacheError(f"cache file {path} cannot be read: {exc}") from None

    def lazy_table(self, manifest: Mapping[str, Any], name: str) -> Callable[[], pd.DataFrame]:
        """Check table ``name`` now; the function returned reads it.

        A table that passed its checksum and then cannot be parsed raises
        :class:`~passionfinder.PassionfinderError` when read.
        """
        self._verified(manifest, f"{name}.parquet")

        def read() -> pd.DataFrame:
            try:
                return self.read_table(manifest, name)
            except CacheError as exc:
                from ._errors import PassionfinderError

                raise PassionfinderError(f"{exc}; delete {self.folder} to rebuild it") from None

        return read

    def read_array(self, manifest: Mapping[str, Any], name: str, *, mapped: bool = False
                   ) -> np.ndarray:
        """Array ``name``, verified. ``mapped``: a read-only view of the file (memory-mapped),
        whose pages are read when first touched and shared by every process reading it."""
        path = self._verified(manifest, f"{name}.npy")
        try:
            array = np.load(path, mmap_mode="r" if mapped else None, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise CacheError(f"cache file {path} cannot be read: {exc}") from None
        return np.asarray(array) if mapped else array  # a plain ndarray over the mapping

    def names(self, manifest: Mapping[str, Any], suffix: str) -> list[str]:
        return sorted(f[: -len(suffix)] for f in manifest["files"] if f.endswith(suffix))
