"""Shared fixtures: a synthetic release per test, an isolated cache, and the real data once.

``synthetic_home`` and ``cache_home`` are cheap and function-scoped; ``real_catalog`` compiles
the real O*NET release once per session into a session-private cache (about 2 s), and is
skipped, with the reason, when the real data folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from synthetic import write_release

if TYPE_CHECKING:
    from passionfinder import Catalog

REPO_ROOT = Path(__file__).resolve().parents[1]


#: how far int8 scores of the real model may move between CPU families (docs/reliability.md
#: measured 0.023 at most); tests with the real model compare scores and near-ranks with it
INT8_SCORE_TOLERANCE = 0.03


def among_the_first(matches: list[dict], tolerance: float = INT8_SCORE_TOLERANCE) -> list[str]:
    """Codes of the matches (dicts with 'onet_soc_code' and 'score', best first) that score
    within ``tolerance`` of the first: those that may come first on another CPU."""
    best = matches[0]["score"]
    return [m["onet_soc_code"] for m in matches if m["score"] >= best - tolerance]


@pytest.fixture
def synthetic_home(tmp_path: Path) -> Path:
    """A complete synthetic release (12 occupations, every file) in a fresh temp folder."""
    return write_release(tmp_path / "data")


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder; PASSIONFINDER_CACHE points at it so the user's cache is never used."""
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("PASSIONFINDER_CACHE", str(folder))
    return folder


@pytest.fixture(scope="session")
def real_data_home() -> Path:
    """The real data folder: $PASSIONFINDER_DATA, else ``<repo>/../shared/data``; else skip."""
    env = os.environ.get("PASSIONFINDER_DATA")
    home = Path(env).expanduser() if env else REPO_ROOT.parent / "shared" / "data"
    if not (home / "onet" / "db_30_2_text" / "Occupation Data.txt").is_file() and not (
            home / "onet" / "db_30_2_text.zip").is_file():
        pytest.skip(f"the real O*NET 30.2 release is not in {home} (set PASSIONFINDER_DATA)")
    return home


@pytest.fixture(scope="session")
def real_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session-private cache folder that ``real_catalog`` writes."""
    return tmp_path_factory.mktemp("real-catalog-cache")


@pytest.fixture(scope="session")
def real_catalog(real_data_home: Path, real_cache_home: Path) -> Catalog:
    """The real catalog, compiled once per session into a session-private cache.

    The shared data folder lacks four optional files (Task Ratings, Abilities, Work
    Activities, Work Context), so loading it must issue exactly one MissingDataWarning naming
    them; a complete release (e.g. a full download in PASSIONFINDER_DATA) must load without
    any warning.
    """
    from passionfinder import MissingDataWarning, load_catalog
    from passionfinder._release import open_release

    absent = [spec.filename for spec in open_release(real_data_home).missing_optional()]
    if not absent:
        return load_catalog(real_data_home, cache_home=real_cache_home)
    with pytest.warns(MissingDataWarning) as record:
        catalog = load_catalog(real_data_home, cache_home=real_cache_home)
    messages = [str(w.message) for w in record if issubclass(w.category, MissingDataWarning)]
    assert len(messages) == 1, messages
    assert all(f"'{name}'" in messages[0] for name in absent), messages[0]
    return catalog


@pytest.fixture(scope="session")
def model_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Cache for the model export and embedding indexes: $PASSIONFINDER_CACHE when set (CI sets
    a fresh one; developers may keep one between runs), else a session-private folder."""
    env = os.environ.get("PASSIONFINDER_CACHE")
    return Path(env) if env else tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="session")
def real_finder(real_catalog: Catalog, model_cache_home: Path):  # type: ignore[no-untyped-def]
    """A PassionFinder on the real catalog with the default packaged model (built once)."""
    from passionfinder import PassionFinder

    return PassionFinder(real_catalog, cache_home=model_cache_home)
