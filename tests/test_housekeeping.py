"""Cache housekeeping: ``cache info`` tells in-use, kept and stale folders apart, and ``cache
prune`` removes the stale ones only (nothing with ``--dry-run``), after which the finder still
reads everything it needs from the cache."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from embedder import HashingEncoder

import passionfinder as pf
from passionfinder import PassionFinder
from passionfinder._housekeeping import LEFTOVER_AGE, cache_entries, prune_cache
from passionfinder.cli import main


@pytest.fixture
def cache_with_stale_folders(synthetic_home: Path, cache_home: Path) -> dict[str, Path]:
    """A cache a finder has used, plus: an index folder of an older index format, a catalog
    compiled by another version, an index built on a catalog no longer cached, step facts and
    a summary of such a catalog, and the leftovers of a build that died two hours ago."""
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    PassionFinder(catalog, HashingEncoder(), cache_home=cache_home).recommend("nursing", k=2)
    (index,) = (cache_home / "index").iterdir()
    (catalog_folder,) = (cache_home / "catalog").iterdir()
    (steps,) = (cache_home / "steps").iterdir()
    (summary,) = (cache_home / "summary").iterdir()

    old_index = cache_home / "index" / "0123456789abcdef"
    shutil.copytree(index, old_index)
    manifest = json.loads((old_index / "manifest.json").read_text())
    manifest["meta"]["version"] = 3
    (old_index / "manifest.json").write_text(json.dumps(manifest))

    orphan_index = cache_home / "index" / "fedcba9876543210"
    shutil.copytree(index, orphan_index)  # current format, but no catalog of that name
    orphan_steps = cache_home / "steps" / "fedcba9876543210"
    shutil.copytree(steps, orphan_steps)
    orphan_summary = cache_home / "summary" / "fedcba9876543210"
    shutil.copytree(summary, orphan_summary)

    old_catalog = cache_home / "catalog" / "onet-30.2-000000000000"
    shutil.copytree(catalog_folder, old_catalog)
    manifest = json.loads((old_catalog / "manifest.json").read_text())
    manifest["meta"]["compile_version"] = -1
    (old_catalog / "manifest.json").write_text(json.dumps(manifest))

    dead_build = cache_home / "index" / f".{index.name}.abc123"
    dead_build.mkdir()
    (dead_build / "tasks.vectors.npy").write_bytes(b"\0" * 1000)
    two_hours_ago = time.time() - 2 * LEFTOVER_AGE
    os.utime(dead_build, (two_hours_ago, two_hours_ago))
    fresh_build = cache_home / "index" / f".{index.name}.def456"  # another process, now
    fresh_build.mkdir()
    unknown = cache_home / "notes"
    unknown.mkdir()
    return {"index": index, "catalog": catalog_folder, "steps": steps, "summary": summary,
            "old_index": old_index, "orphan_index": orphan_index, "orphan_steps": orphan_steps,
            "orphan_summary": orphan_summary, "old_catalog": old_catalog,
            "dead_build": dead_build, "fresh_build": fresh_build, "unknown": unknown}


def test_cache_info_tells_the_folders_apart(cache_with_stale_folders: dict[str, Path],
                                            synthetic_home: Path, cache_home: Path) -> None:
    folders = cache_with_stale_folders
    status = {e.path: e for e in cache_entries(cache_home, synthetic_home)}
    for name in ("index", "catalog", "steps", "summary"):
        assert status[folders[name]].status == "in use", name
    for name in ("old_index", "orphan_index", "orphan_steps", "orphan_summary", "old_catalog",
                 "dead_build"):
        assert status[folders[name]].status == "stale", name
    assert status[folders["summary"]].kind == "summary"
    for name in ("fresh_build", "unknown"):
        assert status[folders[name]].status == "kept", name
    assert "format 3" in status[folders["old_index"]].reason
    assert "no longer in the cache" in status[folders["orphan_index"]].reason
    assert "another version" in status[folders["old_catalog"]].reason
    assert status[folders["index"]].size > 1000
    assert status[folders["dead_build"]].size == 1000


def test_info_without_the_data_folder_keeps_the_catalog(cache_with_stale_folders: dict[str, Path],
                                                        tmp_path: Path, cache_home: Path) -> None:
    """Seen from another data folder, the catalog and its index are kept, not pruned."""
    elsewhere = tmp_path / "no-data-here"
    elsewhere.mkdir()
    status = {e.path: e.status for e in cache_entries(cache_home, elsewhere)}
    assert status[cache_with_stale_folders["catalog"]] == "kept"
    assert status[cache_with_stale_folders["index"]] == "kept"
    assert status[cache_with_stale_folders["old_index"]] == "stale"


def test_prune_removes_the_stale_folders_only(cache_with_stale_folders: dict[str, Path],
                                              synthetic_home: Path, cache_home: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folders = cache_with_stale_folders
    stale = {"old_index", "orphan_index", "orphan_steps", "orphan_summary", "old_catalog",
             "dead_build"}
    would = prune_cache(cache_home, synthetic_home, dry_run=True)
    assert {e.path for e in would} == {folders[name] for name in stale}
    assert all(path.exists() for path in folders.values())  # a dry run removes nothing
    removed = prune_cache(cache_home, synthetic_home)
    assert {e.path for e in removed} == {folders[name] for name in stale}
    for name, path in folders.items():
        assert path.exists() == (name not in stale), name
    assert not [p for p in cache_home.rglob(".trash-*")]
    assert prune_cache(cache_home, synthetic_home) == []  # nothing stale is left
    # the finder reads everything from what is left: nothing is embedded or compiled again
    from passionfinder import _steps, _summary

    monkeypatch.setattr(_steps, "compile_facts", lambda *_: pytest.fail("compiled again"))
    monkeypatch.setattr(_summary, "compile_summary", lambda *_: pytest.fail("compiled again"))
    encoder = HashingEncoder()
    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    assert catalog.summary is not None
    finder = PassionFinder(catalog, encoder, cache_home=cache_home)
    assert encoder.calls == []  # the index was read, not built
    assert finder.recommend("nursing", k=2)[0].starter_steps


def test_cache_commands(cache_with_stale_folders: dict[str, Path], synthetic_home: Path,
                        cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folders = cache_with_stale_folders
    base = ["--data-home", str(synthetic_home), "--cache-home", str(cache_home), "cache"]
    assert main([*base, "info"]) == 0
    out = capsys.readouterr().out
    assert "stale" in out and "in use" in out and "index/0123456789abcdef" in out
    assert main([*base, "info", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {e["status"] for e in listed["entries"]} == {"in use", "kept", "stale"}
    assert main([*base, "prune", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would remove 6 stale folder(s)" in out
    assert folders["old_index"].exists()
    assert main([*base, "prune"]) == 0
    assert "removed 6 stale folder(s)" in capsys.readouterr().out
    assert not folders["old_index"].exists() and folders["index"].exists()


def test_the_bundled_catalogs_index_is_in_use(cache_home: Path, tmp_path: Path) -> None:
    """The bundled catalog is read without a catalog cache: with no data folder its index and
    step facts are in use, and prune leaves them."""
    from passionfinder._catalog import load_bundled_catalog

    catalog = load_bundled_catalog()
    PassionFinder(catalog, HashingEncoder(), cache_home=cache_home).recommend("nursing", k=2)
    assert not (cache_home / "catalog").exists()
    no_data = tmp_path / "no-data"
    no_data.mkdir()
    entries = {e.kind: e for e in cache_entries(cache_home, no_data)}
    assert entries["index"].status == "in use", entries["index"]
    assert entries["steps"].status == "in use", entries["steps"]
    assert entries["summary"].status == "in use", entries["summary"]
    assert prune_cache(cache_home, no_data, dry_run=True) == []


def test_a_compiled_catalog_in_the_data_folder_owns_its_folders(
        tmp_path: Path, cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A catalog that `passionfinder data build` wrote into the data folder is read without a
    catalog cache: its index, step facts and summary are in use, prune leaves them, and a
    finder then reads all of them back."""
    from synthetic import write_release_zip

    downloads = write_release_zip(tmp_path / "downloads")
    data = tmp_path / "data"
    assert main(["--data-home", str(data), "data", "build", "--onet",
                 str(downloads / "onet" / "db_30_2_text.zip")]) == 0
    assert "written to" in capsys.readouterr().out
    catalog = pf.load_catalog(data, cache_home=cache_home)
    assert catalog.source == str(data / "catalog")
    PassionFinder(catalog, HashingEncoder(), cache_home=cache_home).recommend("nursing", k=2)
    assert not (cache_home / "catalog").exists()
    entries = {e.kind: e for e in cache_entries(cache_home, data)}
    for kind in ("index", "steps", "summary"):
        assert entries[kind].status == "in use", entries[kind]
        assert catalog.fingerprint in entries[kind].reason
    assert prune_cache(cache_home, data, dry_run=True) == []
    assert prune_cache(cache_home, data) == []
    encoder = HashingEncoder()
    again = pf.load_catalog(data, cache_home=cache_home)
    assert again.summary is not None and "occupations" not in vars(again)
    finder = PassionFinder(again, encoder, cache_home=cache_home)
    assert encoder.calls == []  # the index was read, not built
    assert finder.recommend("nursing", k=2)[0].starter_steps
