"""Where passionfinder finds its data and keeps its caches.

The data folder holds the O*NET release and the BLS tables (read, never written, except by
``fetch_onet``); the cache folder holds compiled catalogs, embeddings and exported models.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_ENV", "DATA_ENV", "default_data_home", "get_cache_home", "get_data_home"]

DATA_ENV = "PASSIONFINDER_DATA"
CACHE_ENV = "PASSIONFINDER_CACHE"


def _xdg(var: str, fallback: str) -> Path:
    base = os.environ.get(var)
    return Path(base) if base else Path.home() / fallback


def default_data_home() -> Path:
    """The per-user data folder used when neither an argument nor ``PASSIONFINDER_DATA`` is set."""
    return _xdg("XDG_DATA_HOME", ".local/share") / "passionfinder"


def get_data_home(data_home: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the data folder: the argument, then ``PASSIONFINDER_DATA``, then the default.

    Examples
    --------
    >>> get_data_home("/tmp/onet").as_posix()
    '/tmp/onet'
    """
    if data_home is not None:
        return Path(data_home).expanduser()
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    return default_data_home()


def get_cache_home(cache_home: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the cache folder: the argument, then ``PASSIONFINDER_CACHE``, then the default."""
    if cache_home is not None:
        return Path(cache_home).expanduser()
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    return _xdg("XDG_CACHE_HOME", ".cache") / "passionfinder"
