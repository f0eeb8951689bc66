"""The manifest of an exported model folder: what it holds, the sha256 of every file and the
stamps that spare re-hashing unchanged files; the digests the export cache keys on."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from .._atomic import atomic_path
from .._cache import file_sha256, file_stamp, unchanged_since_hashed
from .._errors import PassionfinderError

logger = logging.getLogger(__name__)

_MANIFEST = "manifest.json"
_MODEL_FILE = "model.onnx"
_TOKENIZER_FILE = "tokenizer.json"
#: The graph onnxruntime makes of model.onnx with its hardware-independent optimisations
#: (fusions, constant folding), saved on the first load and read by later ones instead of
#: model.onnx: the optimiser, run again at the same level, then finds nothing left to do and a
#: session starts in about half the time, computing the same vectors (tests/test_encoding.py).
#: Kept per onnxruntime version, and checked like the model (manifest "optimized").
_OPTIMIZED_FILE = "model.optimized.onnx"


class _CorruptModelError(PassionfinderError, OSError):
    """An exported model folder is incomplete, fails its checksum or does not load."""


def _read_manifest(model_dir: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((model_dir / _MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise _CorruptModelError(f"{model_dir / _MANIFEST} is missing") from exc
    except (OSError, ValueError) as exc:
        raise _CorruptModelError(f"{model_dir / _MANIFEST} is unreadable: {exc}") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise _CorruptModelError(f"{model_dir / _MANIFEST} has no 'files' table")
    return manifest


def _verify_files(model_dir: Path, manifest: dict[str, Any]) -> None:
    """Check every file against its sha256. A file still carrying the stamp recorded when it
    was last hashed is known to match; any write to it makes it hashed again. The stamps are
    recorded after a full check, so the next process reads the 23 MB model once, not twice."""
    expected = manifest["files"]
    for required in (_MODEL_FILE, _TOKENIZER_FILE):
        if required not in expected:
            raise _CorruptModelError(f"{model_dir / _MANIFEST} has no checksum for {required}")
    stamps = manifest.get("stamps") if isinstance(manifest.get("stamps"), dict) else {}
    hashed = False
    for fname, sha in expected.items():
        path = model_dir / fname
        if not path.is_file():
            raise _CorruptModelError(f"{path} is missing")
        if unchanged_since_hashed(path, sha, stamps.get(fname)):
            continue
        if _file_sha256(path, memo=False) != sha:  # always re-read: this is the corruption check
            raise _CorruptModelError(f"{path} does not match its sha256 checksum")
        hashed = True
    if hashed:
        _record_stamps(model_dir, manifest)


def _record_stamps(model_dir: Path, manifest: dict[str, Any]) -> None:
    """Write the stamps of the files just checked into the manifest (when it can be written)."""
    manifest["stamps"] = {fname: {**file_stamp(model_dir / fname), "sha256": sha}
                          for fname, sha in manifest["files"].items()}
    try:
        with atomic_path(model_dir / _MANIFEST) as tmp:
            tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    except OSError as exc:  # a read-only cache still works: it is hashed on every load
        logger.debug("could not record the file stamps in %s: %s", model_dir, exc)


def _optimized_graph(model_dir: Path, manifest: dict[str, Any], version: str) -> Path | None:
    """The saved optimised graph of the model (``_OPTIMIZED_FILE``) when onnxruntime
    ``version`` saved it and it is unchanged since (its sha256, trusted by its stamp as for
    the model); else None."""
    entry = manifest.get("optimized")
    path = model_dir / _OPTIMIZED_FILE
    if not isinstance(entry, dict) or entry.get("onnxruntime") != version or not path.is_file():
        return None
    sha = entry.get("sha256")
    if not isinstance(sha, str):
        return None
    if unchanged_since_hashed(path, sha, entry.get("stamp")):
        return path
    if _file_sha256(path, memo=False) != sha:
        return None
    try:  # hashed once: a new stamp spares the next processes the hash (a copied folder)
        _record_optimized_graph(model_dir, manifest, version, sha=sha)
    except OSError as exc:  # a read-only cache still works: it is hashed on every load
        logger.debug("could not record the graph's stamp in %s: %s", model_dir, exc)
    return path


def _record_optimized_graph(model_dir: Path, manifest: dict[str, Any], version: str, *,
                            sha: str | None = None) -> None:
    """Record the optimised graph just saved or checked (its sha256 and stamp, the onnxruntime
    that saved it) in the manifest."""
    sha = sha or _file_sha256(model_dir / _OPTIMIZED_FILE, memo=False)
    manifest["optimized"] = {
        "onnxruntime": version, "sha256": sha,
        "stamp": {**file_stamp(model_dir / _OPTIMIZED_FILE), "sha256": sha}}
    with atomic_path(model_dir / _MANIFEST) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))


# sha256 of files already hashed in this process, keyed by (path, size, mtime_ns).
_SHA_MEMO: dict[tuple[str, int, int], str] = {}


def _file_sha256(path: Path, *, memo: bool = True) -> str:
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if memo and key in _SHA_MEMO:
        return _SHA_MEMO[key]
    digest = file_sha256(path)
    if memo:
        _SHA_MEMO[key] = digest
    return digest


def _source_sha256(weights: Path, models_dir: Path) -> str:
    """sha256 of the source weights, remembered across runs by path, size and mtime.

    Hashing the 90 MB weights takes ~0.1 s, more than loading the int8 model itself.
    """
    st = weights.stat()
    key = str(weights.resolve())
    index_file = models_dir / "source-hashes.json"
    try:
        index = json.loads(index_file.read_text())
        entry = index[key]
        if entry["size"] == st.st_size and entry["mtime_ns"] == st.st_mtime_ns:
            return str(entry["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        index = None
    digest = _file_sha256(weights)
    if not isinstance(index, dict):
        index = {}
    index[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    try:
        with atomic_path(index_file) as tmp:
            tmp.write_text(json.dumps(index, indent=1, sort_keys=True))
    except OSError as exc:  # a read-only cache still works, just slower
        logger.debug("could not record the weights hash in %s: %s", index_file, exc)
    return digest
