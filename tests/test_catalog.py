"""Tests of the occupation catalog: finding and checking the release, compiling it, the verified
cache, typed records and lookups.

Unit tests run on the tiny synthetic release of ``tests/synthetic.py``; the integration tests
marked ``data`` run once on the real O*NET 30.2 release (the ``real_catalog`` fixture).
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import synthetic
from synthetic import DASH_WAGE_CODE, NO_BLS_CODE, write_release, write_release_zip

import passionfinder
from passionfinder import (
    ATTRIBUTION,
    CacheWarning,
    Catalog,
    DataFormatError,
    DataNotFoundError,
    MissingDataWarning,
    Occupation,
    PassionfinderError,
    UnknownOccupationError,
    _catalog,
    _compile,
    load_catalog,
)
from passionfinder._cache import CacheStore
from passionfinder._catalog import LONG_TABLES
from passionfinder._release import TABLES, open_release

ONET_DIR = Path("onet") / "db_30_2_text"
SPEC = {o.code: o for o in synthetic.OCCUPATIONS}
OPTIONAL = [spec for spec in TABLES.values() if not spec.required]
#: The optional files that the shared real data folder lacks (see its README).
REAL_ABSENT_FILES = ("Task Ratings.txt", "Abilities.txt", "Work Activities.txt",
                     "Work Context.txt")


@pytest.fixture(autouse=True)
def _isolated_cache(cache_home: Path) -> None:
    """Every test here runs with PASSIONFINDER_CACHE in a temp folder (see conftest)."""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The synthetic catalog, compiled once for the read-only tests of this module."""
    return load_catalog(write_release(tmp_path_factory.mktemp("shared") / "data"),
                        use_cache=False)


def cache_folder(data_home: Path, cache_home: Path) -> Path:
    return _catalog._cache_folder(open_release(data_home), cache_home)


def forbid_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(release: Any) -> None:
        raise AssertionError("compile_tables was called: the cache was not used")

    monkeypatch.setattr(_compile, "compile_tables", boom)


def count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = _compile.compile_tables

    def spy(release: Any) -> Any:
        calls.append(1)
        return real(release)

    monkeypatch.setattr(_compile, "compile_tables", spy)
    return calls


def assert_same_catalog(a: Catalog, b: Catalog) -> None:
    pd.testing.assert_frame_equal(a.occupations, b.occupations)
    for name in LONG_TABLES:
        ta, tb = getattr(a, name), getattr(b, name)
        assert (ta is None) == (tb is None), name
        if ta is not None:
            pd.testing.assert_frame_equal(ta, tb, obj=name)
    assert [a[c] for c in a] == [b[c] for c in b]


def rewrite_rows(path: Path, edit: Any) -> None:
    """Apply ``edit(list_of_data_lines)`` to a CRLF text file, keeping its header."""
    lines = path.read_bytes().split(b"\r\n")
    header, body = lines[0], [line for line in lines[1:] if line]
    path.write_bytes(b"\r\n".join([header, *edit(body)]) + b"\r\n")


# ---------------------------------------------------------------------------------------------
# The synthetic release itself
# ---------------------------------------------------------------------------------------------


def test_synthetic_release_has_every_table_file_and_column(synthetic_home: Path) -> None:
    assert {spec.filename for spec in TABLES.values()} == set(synthetic.ALL_FILES)
    release = open_release(synthetic_home)
    assert release.missing_optional() == []
    for name, spec in TABLES.items():
        frame = release.read(name)
        assert frame is not None and len(frame) > 0, name
        assert list(frame.columns) == list(spec.columns.values())


def test_synthetic_files_use_the_real_line_endings(synthetic_home: Path) -> None:
    for name in synthetic.ALL_FILES:
        data = synthetic._path_in(synthetic_home, name).read_bytes()
        if name in synthetic.ONET_FILES:
            assert data.count(b"\r\n") == data.count(b"\n") > 1, name
        else:
            assert b"\r" not in data, name


def test_synthetic_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown file"):
        write_release(tmp_path, omit={"Skils.txt"})
    with pytest.raises(ValueError, match="no column 'Titel'"):
        write_release(tmp_path, drop_columns={"Occupation Data.txt": ["Titel"]})
    with pytest.raises(ValueError, match="n_occupations"):
        write_release(tmp_path, n_occupations=0)


# ---------------------------------------------------------------------------------------------
# Finding the data folder
# ---------------------------------------------------------------------------------------------


def test_missing_data_folder_lists_where_it_looked(tmp_path: Path, cache_home: Path) -> None:
    home = tmp_path / "nowhere"
    with pytest.raises(DataNotFoundError, match="No O\\*NET 30.2 release found") as info:
        load_catalog(home, cache_home=cache_home)
    message = str(info.value)
    for place in (home / ONET_DIR, home / "db_30_2_text", home,
                  home / "onet" / "db_30_2_text.zip", home / "db_30_2_text.zip"):
        assert str(place) in message
    assert "Occupation Data.txt" in message
    assert "the data_home argument" in message
    assert "PASSIONFINDER_DATA" in message
    assert "`passionfinder data download`" in message
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, PassionfinderError)


def test_missing_default_data_folder_says_how_to_choose_one(
        tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PASSIONFINDER_DATA", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with pytest.raises(DataNotFoundError, match="the default data folder") as info:
        open_release()
    assert str(tmp_path / "xdg" / "passionfinder") in str(info.value)
    assert "PASSIONFINDER_DATA" in str(info.value)
    # load_catalog falls back to the bundled catalog instead (tests/test_bundle.py)
    assert load_catalog(cache_home=cache_home).source == "bundled catalog"


def test_missing_data_folder_from_environment(
        tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSIONFINDER_DATA", str(tmp_path / "empty"))
    with pytest.raises(DataNotFoundError, match=r"from \$PASSIONFINDER_DATA") as info:
        load_catalog(cache_home=cache_home)
    assert str(tmp_path / "empty") in str(info.value)


def test_environment_variable_is_used(
        synthetic_home: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSIONFINDER_DATA", str(synthetic_home))
    catalog = load_catalog(cache_home=cache_home)
    assert len(catalog) == 12
    assert catalog.data_home == synthetic_home


def test_argument_takes_precedence_over_environment(
        tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from_env = write_release(tmp_path / "env", n_occupations=12)
    from_arg = write_release(tmp_path / "arg", n_occupations=5)
    monkeypatch.setenv("PASSIONFINDER_DATA", str(from_env))
    assert len(load_catalog(from_arg, cache_home=cache_home)) == 5
    assert len(load_catalog(str(from_arg), cache_home=cache_home)) == 5
    assert len(load_catalog(cache_home=cache_home)) == 12


def test_cache_home_from_environment(synthetic_home: Path, cache_home: Path) -> None:
    load_catalog(synthetic_home)  # PASSIONFINDER_CACHE points at cache_home (fixture)
    assert (cache_folder(synthetic_home, cache_home) / "manifest.json").is_file()


def test_missing_required_file(tmp_path: Path, cache_home: Path) -> None:
    home = write_release(tmp_path / "data", omit={"Occupation Data.txt"})
    with pytest.raises(DataNotFoundError, match="Occupation Data.txt"):
        load_catalog(home, cache_home=cache_home)


def test_zip_layout_gives_the_same_catalog(tmp_path: Path, cache_home: Path) -> None:
    folder = write_release(tmp_path / "folder")
    zipped = write_release_zip(tmp_path / "zipped")
    assert not (zipped / ONET_DIR).exists()
    assert (zipped / "onet" / "db_30_2_text.zip").is_file()
    release = open_release(zipped)
    assert release.onet_zip is not None and release.location.endswith("db_30_2_text.zip")
    assert set(release.source_paths()) == {
        "onet/db_30_2_text.zip", "onet/All_Job_Families.csv",
        "bls/oews_national_may2025.tsv", "bls/employment_projections_2024_34.tsv"}
    a = load_catalog(folder, cache_home=cache_home)
    b = load_catalog(zipped, cache_home=cache_home)
    assert_same_catalog(a, b)


def test_zip_layout_is_cached_and_detects_changes(
        tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zipped = write_release_zip(tmp_path / "zipped")
    first = load_catalog(zipped, cache_home=cache_home)
    with monkeypatch.context() as m:
        forbid_compile(m)
        assert_same_catalog(first, load_catalog(zipped, cache_home=cache_home))
    write_release_zip(tmp_path / "zipped", n_occupations=4)  # a new zip, other content
    with pytest.warns(CacheWarning, match="source files changed"):
        assert len(load_catalog(zipped, cache_home=cache_home)) == 4


def test_zip_layout_missing_member_and_column(tmp_path: Path, cache_home: Path) -> None:
    home = write_release_zip(tmp_path / "a", omit={"Work Styles.txt"})
    with pytest.warns(MissingDataWarning, match="'Work Styles.txt'"):
        catalog = load_catalog(home, cache_home=cache_home)
    assert catalog.work_styles is None
    home = write_release_zip(tmp_path / "b", drop_columns={"Interests.txt": ["Scale ID"]})
    with pytest.raises(DataFormatError,
                       match=re.escape("'db_30_2_text.zip:db_30_2_text/Interests.txt' has no "
                                       "column 'Scale ID'")):
        load_catalog(home, cache_home=cache_home)


def test_corrupt_zip(tmp_path: Path, cache_home: Path) -> None:
    home = tmp_path / "data"
    (home / "onet").mkdir(parents=True)
    (home / "onet" / "db_30_2_text.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(DataFormatError, match="not a valid zip file"):
        load_catalog(home, cache_home=cache_home)


# ---------------------------------------------------------------------------------------------
# Format errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("filename", "column"), [
    ("Occupation Data.txt", "Title"),
    ("Occupation Data.txt", "O*NET-SOC Code"),
    ("Task Statements.txt", "Task Type"),
    ("Skills.txt", "Recommend Suppress"),
    ("Education, Training, and Experience Categories.txt", "Category Description"),
    ("All_Job_Families.csv", "Job Family"),
    ("oews_national_may2025.tsv", "Annual median wage"),
    ("employment_projections_2024_34.tsv", "change_percent_2024_34"),
])
def test_missing_column_names_file_and_column(
        tmp_path: Path, cache_home: Path, filename: str, column: str) -> None:
    home = write_release(tmp_path / "data", drop_columns={filename: [column]})
    with pytest.raises(DataFormatError,
                       match=re.escape(f"{filename}' has no column '{column}'")) as info:
        load_catalog(home, cache_home=cache_home, use_cache=False)
    assert isinstance(info.value, ValueError)
    assert "its columns are" in str(info.value)


def test_renamed_column(tmp_path: Path, cache_home: Path) -> None:
    home = write_release(tmp_path / "data",
                         rename_columns={"Occupation Data.txt": {"Title": "Occupation Title"}})
    with pytest.raises(DataFormatError, match=re.escape(
            f"'{home / ONET_DIR / 'Occupation Data.txt'}' has no column 'Title'")) as info:
        load_catalog(home, cache_home=cache_home)
    assert "'Occupation Title'" in str(info.value)  # the columns it does have are listed


def test_renamed_bls_column(tmp_path: Path, cache_home: Path) -> None:
    home = write_release(tmp_path / "data", rename_columns={
        "oews_national_may2025.tsv": {"Annual median wage": "Annual median wage (USD)"}})
    with pytest.raises(DataFormatError, match="oews_national_may2025.tsv' has no column "
                                              "'Annual median wage'"):
        load_catalog(home, cache_home=cache_home)


# ---------------------------------------------------------------------------------------------
# Missing optional files
# ---------------------------------------------------------------------------------------------

#: A check that the part a file feeds is really gone, and the rest still works.
ABSENT_EFFECT = {
    "tasks": lambda c: c.tasks is None and c["15-1252.00"].tasks == (),
    "task_ratings": lambda c: c.tasks["importance"].isna().all(),
    "alternate_titles": lambda c: c.alternate_titles is None
    and c["15-1252.00"].alternate_titles == (),
    "reported_titles": lambda c: c.reported_titles is None,
    "interests": lambda c: c.occupations["realistic"].isna().all()
    and c["15-1252.00"].holland_code is None,
    "riasec_activities": lambda c: c.riasec_activities is None,
    "riasec_keywords": lambda c: c.riasec_keywords is None,
    "work_values": lambda c: c.occupations["achievement"].isna().all()
    and c["15-1252.00"].work_value_high_points == (),
    "work_styles": lambda c: c.work_styles is None and c["15-1252.00"].work_styles == (),
    "skills": lambda c: c.skills is None and c["15-1252.00"].skills == (),
    "knowledge": lambda c: c.knowledge is None,
    "abilities": lambda c: c.abilities is None,
    "work_activities": lambda c: c.work_activities is None,
    "work_context": lambda c: c.work_context is None,
    "elements": lambda c: c.elements is None and c.skills["description"].isna().all(),
    "job_zones": lambda c: c.occupations["job_zone"].isna().all()
    and c["15-1252.00"].job_zone is None,
    "job_zone_reference": lambda c: c.job_zone_reference is None
    and c["15-1252.00"].job_zone == 4 and c["15-1252.00"].job_zone_name is None,
    "education": lambda c: c["15-1252.00"].education is None,
    "education_categories": lambda c: c["15-1252.00"].education is None,
    "technology_skills": lambda c: c.technology_skills is None,
    "tools": lambda c: c.tools is None and c["15-1252.00"].tools == (),
    "related": lambda c: c.related is None and c["15-1252.00"].related == (),
    "job_families": lambda c: c.occupations["job_family"].isna().all()
    and c["15-1252.00"].job_family is None,
    "oews": lambda c: c["15-1252.00"].wage_median is None and c["15-1252.00"].growth_pct == 15.5,
    "projections": lambda c: c["15-1252.00"].growth_pct is None
    and c["15-1252.00"].wage_median == 134000.0,
}


def test_every_optional_table_has_an_absence_check() -> None:
    assert set(ABSENT_EFFECT) == {spec.name for spec in OPTIONAL}


@pytest.mark.parametrize("spec", OPTIONAL, ids=lambda spec: spec.name)
def test_missing_optional_file_warns_once(tmp_path: Path, cache_home: Path, spec: Any) -> None:
    home = write_release(tmp_path / "data", omit={spec.filename})
    with pytest.warns(MissingDataWarning) as record:
        catalog = load_catalog(home, cache_home=cache_home, use_cache=False)
    assert len(record) == 1
    message = str(record[0].message)
    assert f"'{spec.filename}'" in message
    assert spec.disables in message
    assert message.startswith("1 optional data file(s) are absent")
    assert "Everything else works" in message
    assert catalog.missing == ((spec.filename, spec.disables),)
    # Everything else works.
    assert len(catalog) == 12
    assert ABSENT_EFFECT[spec.name](catalog)
    assert all(catalog[code].title == SPEC[code].title for code in catalog)


def test_missing_files_of_the_shared_data_folder(tmp_path: Path, cache_home: Path) -> None:
    home = write_release(tmp_path / "data", omit=REAL_ABSENT_FILES)
    with pytest.warns(MissingDataWarning) as record:
        catalog = load_catalog(home, cache_home=cache_home)
    assert len(record) == 1
    assert str(record[0].message).startswith("4 optional data file(s) are absent")
    assert all(f"'{name}'" in str(record[0].message) for name in REAL_ABSENT_FILES)
    assert record[0].filename == __file__  # points at the caller
    # Without task ratings, tasks keep the release order (core first).
    occ = catalog["15-1252.00"]
    assert [t.text for t in occ.tasks] == [*SPEC[occ.onet_soc_code].core_tasks,
                                          *SPEC[occ.onet_soc_code].supplemental_tasks]
    # The cached load warns again (once), since the files are still absent.
    with pytest.warns(MissingDataWarning) as record:
        load_catalog(home, cache_home=cache_home)
    assert len(record) == 1


def test_missing_bls_tables_mean_missing_wages_never_zero(
        tmp_path: Path, cache_home: Path) -> None:
    home = write_release(tmp_path / "data", omit=set(synthetic.BLS_FILES))
    with pytest.warns(MissingDataWarning, match="BLS wages") as record:
        catalog = load_catalog(home, cache_home=cache_home)
    assert len(record) == 1 and "employment projections" in str(record[0].message)
    occ = catalog.occupations
    for col in ("wage_p10", "wage_median", "wage_p90", "employment", "growth_pct",
                "openings_annual"):
        assert occ[col].isna().all(), col
        assert not (occ[col] == 0).any(), col
    for code in catalog:
        record_ = catalog[code]
        assert record_.wage_median is None and record_.wage_p90 is None
        assert record_.employment is None and record_.growth_pct is None
        assert record_.wage_top_coded is None and record_.entry_education is None
        assert record_.soc_major_group_title is None
    assert catalog.coverage().loc["wage_median", "occupations"] == 0


def test_only_oews_missing_takes_employment_from_projections(
        tmp_path: Path, cache_home: Path) -> None:
    home = write_release(tmp_path / "data", omit={"oews_national_may2025.tsv"})
    with pytest.warns(MissingDataWarning, match="oews_national_may2025.tsv"):
        catalog = load_catalog(home, cache_home=cache_home)
    assert catalog["15-1252.00"].employment == pytest.approx(1690.0 * 1000)
    assert catalog[NO_BLS_CODE].employment is None


# ---------------------------------------------------------------------------------------------
# BLS joins
# ---------------------------------------------------------------------------------------------


def test_bls_join_and_missing_rows(catalog: Catalog) -> None:
    dev = catalog["15-1252.00"]
    assert (dev.wage_p10, dev.wage_p25, dev.wage_median, dev.wage_p75, dev.wage_p90) == (
        80500.0, 103000.0, 134000.0, 170500.0, 212000.0)
    assert dev.employment == 1_700_000.0
    assert dev.growth_pct == 15.5
    assert dev.openings_annual == pytest.approx(114_300.0)
    assert dev.entry_education == "Bachelor's degree"
    assert dev.wage_top_coded is False
    assert dev.soc_major_group_title == "Computer and Mathematical Occupations"
    # No BLS row: everything from BLS is None, never 0.
    none = catalog[NO_BLS_CODE]
    assert none.wage_median is None and none.employment is None and none.growth_pct is None
    assert none.openings_annual is None and none.wage_top_coded is None
    # '-' wages: the annual figures are missing, the rest of the row is there.
    dash = catalog[DASH_WAGE_CODE]
    assert dash.wage_median is None and dash.wage_p10 is None and dash.wage_p90 is None
    assert dash.employment == 215_000.0 and dash.growth_pct == 2.9
    assert not (catalog.occupations[["wage_p10", "wage_median", "wage_p90"]] == 0).any().any()
    assert catalog.occupations["wage_median"].isna().sum() == 2


# ---------------------------------------------------------------------------------------------
# The cache
# ---------------------------------------------------------------------------------------------


def test_second_load_reads_the_cache(
        synthetic_home: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_catalog(synthetic_home, cache_home=cache_home)
    forbid_compile(monkeypatch)
    second = load_catalog(synthetic_home, cache_home=cache_home)
    assert_same_catalog(first, second)
    assert second.fingerprint == first.fingerprint and len(first.fingerprint) == 16
    assert second.missing == () and second.data_home == synthetic_home


def test_use_cache_false_neither_reads_nor_writes(
        synthetic_home: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_compiles(monkeypatch)
    load_catalog(synthetic_home, cache_home=cache_home, use_cache=False)
    assert list(cache_home.iterdir()) == []
    load_catalog(synthetic_home, cache_home=cache_home)
    load_catalog(synthetic_home, cache_home=cache_home, use_cache=False)
    assert len(calls) == 3


def test_caches_of_two_data_folders_do_not_mix(tmp_path: Path, cache_home: Path) -> None:
    a = write_release(tmp_path / "a", n_occupations=3)
    b = write_release(tmp_path / "b", n_occupations=7)
    assert len(load_catalog(a, cache_home=cache_home)) == 3
    assert len(load_catalog(b, cache_home=cache_home)) == 7
    assert len(load_catalog(a, cache_home=cache_home)) == 3
    assert len(list((cache_home / "catalog").iterdir())) == 2


def test_changed_source_file_rebuilds_with_new_content(
        synthetic_home: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_catalog(synthetic_home, cache_home=cache_home)
    path = synthetic_home / ONET_DIR / "Occupation Data.txt"
    path.write_bytes(path.read_bytes().replace(b"\tSoftware Developers\t",
                                               b"\tSoftware Developers and Programmers\t"))
    calls = count_compiles(monkeypatch)
    with pytest.warns(CacheWarning, match="source files changed since the cache was built"):
        second = load_catalog(synthetic_home, cache_home=cache_home)
    assert len(calls) == 1
    assert second["15-1252.00"].title == "Software Developers and Programmers"
    assert second.fingerprint != first.fingerprint
    third = load_catalog(synthetic_home, cache_home=cache_home)  # rebuilt cache: no warning
    assert len(calls) == 1
    assert third["15-1252.00"].title == "Software Developers and Programmers"


def test_changed_bls_file_rebuilds(
        synthetic_home: Path, cache_home: Path) -> None:
    load_catalog(synthetic_home, cache_home=cache_home)
    path = synthetic_home / "bls" / "oews_national_may2025.tsv"
    path.write_bytes(path.read_bytes().replace(b"\t134000\t", b"\t134500\t"))
    with pytest.warns(CacheWarning):
        catalog = load_catalog(synthetic_home, cache_home=cache_home)
    assert catalog["15-1252.00"].wage_median == 134500.0


def test_removed_optional_file_rebuilds(synthetic_home: Path, cache_home: Path) -> None:
    load_catalog(synthetic_home, cache_home=cache_home)
    (synthetic_home / ONET_DIR / "Tools Used.txt").unlink()
    with pytest.warns(CacheWarning), pytest.warns(MissingDataWarning, match="Tools Used.txt"):
        catalog = load_catalog(synthetic_home, cache_home=cache_home)
    assert catalog.tools is None


def _truncate(folder: Path) -> None:
    path = folder / "occupations.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_bytes(folder: Path) -> None:
    path = folder / "tasks.parquet"
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 16):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _delete_table(folder: Path) -> None:
    (folder / "skills.parquet").unlink()


def _truncate_and_fix_checksum(folder: Path) -> None:
    """A damaged parquet whose manifest checksum was updated to match: still never loaded."""
    from passionfinder._cache import file_sha256

    _truncate(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["occupations.parquet"] = file_sha256(folder / "occupations.parquet")
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _edit_manifest(edit: Any) -> Any:
    def apply(folder: Path) -> None:
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text())
        edit(manifest)
        path.write_text(json.dumps(manifest))
    apply.__name__ = f"manifest{edit.__name__}"
    return apply


def _set_checksum(m: dict) -> None:
    m["files"]["tasks.parquet"] = "0" * 64


def _drop_meta(m: dict) -> None:
    del m["meta"]


def _drop_files(m: dict) -> None:
    del m["files"]


def _garble_sources(m: dict) -> None:
    m["meta"]["sources"] = {key: "garbage" for key in m["meta"]["sources"]}


def _drop_fingerprint(m: dict) -> None:
    del m["meta"]["fingerprint"]


def _other_format(m: dict) -> None:
    m["format_version"] = 99


def _other_compile_version(m: dict) -> None:
    m["meta"]["compile_version"] = -1


def _claim_old_sources(m: dict) -> None:
    for state in m["meta"]["sources"].values():
        state["sha256"] = "f" * 64
        state["mtime_ns"] -= 1  # so the recorded sha is not reused


def _not_json(folder: Path) -> None:
    (folder / "manifest.json").write_text('{"format_version": 1, "files": {')


def _manifest_is_a_list(folder: Path) -> None:
    (folder / "manifest.json").write_text("[1, 2, 3]")


@pytest.fixture(scope="module")
def prebuilt(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Catalog]:
    """A synthetic release with a valid cache, built once for the damaged-cache tests."""
    root = tmp_path_factory.mktemp("prebuilt")
    home, cache = write_release(root / "data"), root / "cache"
    return home, cache, load_catalog(home, cache_home=cache)


def copy_prebuilt(prebuilt: tuple[Path, Path, Catalog], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the prebuilt release and its cache (file times kept)."""
    import shutil

    home, cache, _ = prebuilt
    new_home, new_cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(home, new_home)
    shutil.copytree(cache_folder(home, cache), cache_folder(new_home, new_cache))
    return new_home, new_cache


@pytest.mark.parametrize(("damage", "reason"), [
    (_truncate, "does not match its checksum"),
    (_flip_bytes, "does not match its checksum"),
    (_delete_table, "is missing"),
    (_truncate_and_fix_checksum, "cannot be read"),
    (_edit_manifest(_set_checksum), "does not match its checksum"),
    (_edit_manifest(_drop_meta), "malformed cache manifest"),
    (_edit_manifest(_drop_files), "malformed cache manifest"),
    (_edit_manifest(_garble_sources), "manifest is malformed"),
    (_edit_manifest(_drop_fingerprint), "manifest is malformed"),
    (_edit_manifest(_other_format), "another format version"),
    (_edit_manifest(_other_compile_version), "another version of passionfinder"),
    (_edit_manifest(_claim_old_sources), "source files changed"),
    (_not_json, "unreadable cache manifest"),
    (_manifest_is_a_list, "another format version"),
], ids=lambda x: x.__name__.strip("_") if callable(x) else None)
def test_damaged_cache_is_rebuilt_never_loaded(
        prebuilt: tuple[Path, Path, Catalog], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, damage: Any, reason: str) -> None:
    synthetic_home, cache_home = copy_prebuilt(prebuilt, tmp_path)
    good = prebuilt[2]
    with monkeypatch.context() as m:  # the copy is a valid cache
        forbid_compile(m)
        load_catalog(synthetic_home, cache_home=cache_home)
    damage(cache_folder(synthetic_home, cache_home))
    calls = count_compiles(monkeypatch)
    with pytest.warns(CacheWarning, match=reason) as record:
        rebuilt = load_catalog(synthetic_home, cache_home=cache_home)
    assert len(record) == 1
    assert "Rebuilding the catalog cache" in str(record[0].message)
    assert len(calls) == 1  # compiled from the sources, not read from the damaged cache
    assert_same_catalog(good, rebuilt)
    # The cache is whole again: the next load is silent and does not compile.
    again = load_catalog(synthetic_home, cache_home=cache_home)
    assert len(calls) == 1
    assert_same_catalog(good, again)


def test_cache_files_are_never_pickles(synthetic_home: Path, cache_home: Path) -> None:
    load_catalog(synthetic_home, cache_home=cache_home)
    folder = cache_folder(synthetic_home, cache_home)
    files = sorted(p for p in cache_home.rglob("*") if p.is_file())
    assert files and all(p.parent == folder for p in files)
    assert not [p for p in files if p.suffix in {".pkl", ".pickle", ".joblib"}]
    for path in files:
        data = path.read_bytes()
        assert not data.startswith(b"\x80"), f"{path.name} looks like a pickle"
        if path.suffix == ".parquet":
            assert data[:4] == data[-4:] == b"PAR1"
        elif path.suffix == ".npy":
            np.load(path, allow_pickle=False)
        else:
            assert path.name == "manifest.json"
            json.loads(data)


def test_cache_store_arrays_load_without_pickle(tmp_path: Path) -> None:
    store = CacheStore(tmp_path / "store")
    store.write(arrays={"vectors": np.arange(12, dtype=np.float32).reshape(3, 4)},
                meta={"what": "test"})
    manifest = store.manifest()
    np.testing.assert_array_equal(store.read_array(manifest, "vectors"),
                                  np.arange(12, dtype=np.float32).reshape(3, 4))
    assert np.load(tmp_path / "store" / "vectors.npy", allow_pickle=False).shape == (3, 4)
    with pytest.raises(ValueError):  # object arrays would need pickle: refused
        store.write(arrays={"objects": np.array([{"a": 1}], dtype=object)})
    assert store.read_array(store.manifest(), "vectors").shape == (3, 4)  # old cache intact


def test_unwritable_cache_folder_does_not_stop_loading(
        synthetic_home: Path, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("a file where the cache folder should be")
    catalog = load_catalog(synthetic_home, cache_home=not_a_folder)
    assert len(catalog) == 12


# ---------------------------------------------------------------------------------------------
# Typed records
# ---------------------------------------------------------------------------------------------


def test_record_fields(catalog: Catalog) -> None:
    occ = catalog["15-1252.00"]
    spec = SPEC["15-1252.00"]
    assert isinstance(occ, Occupation)
    assert repr(occ) == "<Occupation 15-1252.00 Software Developers>"
    assert occ.onet_soc_code == "15-1252.00"
    assert occ.title == "Software Developers"
    assert occ.description == spec.description
    assert occ.job_family == "Computer and Mathematical"
    assert (occ.soc_code, occ.soc_major_group) == ("15-1252", "15-0000")
    assert occ.riasec == {"Realistic": 2.1, "Investigative": 6.2, "Artistic": 3.4,
                          "Social": 1.9, "Enterprising": 2.3, "Conventional": 5.1}
    assert occ.holland_code == "IC"
    assert occ.work_values["Independence"] == 6.17
    assert occ.work_value_high_points == ("Independence", "Working Conditions", "Achievement")
    assert occ.job_zone == 4 and type(occ.job_zone) is int
    assert occ.job_zone_name == "Job Zone Four: Considerable Preparation"
    assert occ.education == "Bachelor's degree"
    assert occ.related_experience == "1 to 2 years"
    assert occ.on_site_training == "Up to 1 month"
    assert occ.on_the_job_training == "3 to 6 months"
    assert type(occ.wage_median) is float and type(occ.wage_top_coded) is bool
    assert occ.alternate_titles == spec.alternate_titles
    assert occ.reported_titles == tuple(t for t, _ in spec.reported_titles)
    assert occ.skills[0].name == "Programming"
    assert occ.skills[0].element_id == "2.B.3.e"
    assert occ.skills[0].importance == 4.62 and occ.skills[0].level is not None
    assert occ.skills[0].description == "Writing computer programs for various purposes."
    importances = [s.importance for s in occ.skills]
    assert importances == sorted(importances, reverse=True)
    assert len(occ.skills) == len(synthetic.SKILLS)
    assert occ.knowledge[0].name == "Computers and Electronics"
    assert occ.work_styles[0].name == "Attention to Detail"
    assert [t.example for t in occ.technology_skills] == ["Git", "Python", "Docker", "Java"]
    assert occ.technology_skills[0].hot is True and occ.technology_skills[0].in_demand is True
    assert occ.tools == spec.tools
    assert [(r.onet_soc_code, r.title, r.tier, r.rank) for r in occ.related] == [
        ("15-2051.00", "Data Scientists", "Primary-Short", 1),
        ("27-1024.00", "Graphic Designers", "Primary-Long", 2),
        ("11-2021.00", "Marketing Managers", "Supplemental", 3)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        occ.title = "Other"  # type: ignore[misc]


def test_tasks_core_before_supplemental_then_by_importance(catalog: Catalog) -> None:
    for code in catalog:
        occ, spec = catalog[code], SPEC[code]
        types = [t.task_type for t in occ.tasks]
        first_sup = types.index("Supplemental")
        assert "Supplemental" not in types[:first_sup] and set(types[first_sup:]) == {
            "Supplemental"}
        # Synthetic core tasks grow in rated importance through the release order.
        rated_core = [t.text for t in occ.tasks if t.task_type == "Core"]
        assert rated_core == list(reversed(spec.core_tasks))
        assert occ.core_tasks == tuple(t for t in occ.tasks if t.task_type != "Supplemental")
        assert all(isinstance(t.task_id, int) for t in occ.tasks)


def test_unrated_task_type_is_none_and_kept_with_core_tasks(catalog: Catalog) -> None:
    occ = catalog[DASH_WAGE_CODE]
    unrated = [t for t in occ.tasks if t.task_type is None]
    assert [t.text for t in unrated] == list(SPEC[DASH_WAGE_CODE].unrated_tasks)
    assert unrated[0] in occ.core_tasks
    assert occ.tasks.index(unrated[0]) < [t.task_type for t in occ.tasks].index("Supplemental")


def test_missing_values_are_none(catalog: Catalog) -> None:
    occ = catalog[NO_BLS_CODE]
    assert set(occ.work_values.values()) == {None}
    assert occ.work_value_high_points == ()
    assert occ.reported_titles == ()
    assert occ.wage_median is None and occ.growth_pct is None and occ.entry_education is None
    assert occ.holland_code == "IC" and occ.job_zone == 5
    assert occ.education == "Master's degree"
    for field in dataclasses.fields(occ):
        value = getattr(occ, field.name)
        assert not (isinstance(value, float) and math.isnan(value)), field.name
        assert value is not pd.NA, field.name


def test_compiled_details(catalog: Catalog) -> None:
    # Holland codes come from the high points, in order.
    for code in catalog:
        expected = "".join("RIASEC"[i - 1] for i in SPEC[code].interest_high_points if i)
        assert catalog[code].holland_code == expected
    # A quoted job family with commas survives the CSV.
    assert catalog[DASH_WAGE_CODE].job_family == "Arts, Design, Entertainment, Sports, and Media"
    # Category labels lose their ' - ...' tail.
    assert catalog["47-2031.00"].education == "High school diploma"
    assert catalog["47-2111.00"].education == "Post-secondary certificate"
    # CRLF never leaks into the last column of a file.
    assert catalog.reported_titles["shown_in_my_next_move"].any()
    assert catalog.technology_skills["in_demand"].any()
    assert not catalog.occupations["description"].str.contains("\r").any()
    # Recommend Suppress flags are kept.
    skills = catalog.skills
    flagged = skills[skills["suppressed"]]
    pairs = list(zip(flagged["onet_soc_code"], flagged["name"], strict=True))
    assert pairs == [("47-2031.00", "Science")]
    # Work context keeps the summary ratings only (no per-category percentages).
    assert len(catalog.work_context) == 12 * len(synthetic.WORK_CONTEXT)
    assert catalog.work_context["context"].dropna().between(1, 5).all()
    assert catalog.job_zone_reference["job_zone"].tolist() == [1, 2, 3, 4, 5]
    assert set(catalog.riasec_keywords["riasec_type"]) == {
        "Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional"}


def test_records_are_right_when_source_rows_are_not_sorted(
        synthetic_home: Path, cache_home: Path) -> None:
    def shuffle(rows: list[bytes]) -> list[bytes]:
        random.Random(7).shuffle(rows)
        return rows

    for name in ("Alternate Titles.txt", "Sample of Reported Titles.txt", "Tools Used.txt",
                 "Task Statements.txt", "Technology Skills.txt", "Related Occupations.txt",
                 "Skills.txt", "Work Styles.txt", "Occupation Data.txt"):
        rewrite_rows(synthetic_home / ONET_DIR / name, shuffle)
    catalog = load_catalog(synthetic_home, cache_home=cache_home)
    for code in catalog:
        occ, spec = catalog[code], SPEC[code]
        assert sorted(occ.alternate_titles) == sorted(spec.alternate_titles), code
        assert sorted(occ.reported_titles) == sorted(t for t, _ in spec.reported_titles), code
        assert sorted(occ.tools) == sorted(spec.tools), code
        assert sorted(t.example for t in occ.technology_skills) == sorted(
            e for e, *_ in spec.technology), code
        assert len(occ.tasks) == len(spec.core_tasks) + len(spec.supplemental_tasks) + len(
            spec.unrated_tasks), code
        assert len(occ.skills) == len(synthetic.SKILLS), code
    assert catalog.codes == sorted(catalog.codes)


def test_related_codes_outside_the_catalog_are_dropped(
        synthetic_home: Path, cache_home: Path) -> None:
    rewrite_rows(synthetic_home / ONET_DIR / "Related Occupations.txt",
                 lambda rows: [*rows, b"15-1252.00\t99-9999.00\tSupplemental\t9"])
    catalog = load_catalog(synthetic_home, cache_home=cache_home)
    assert catalog.related["related_code"].isin(catalog.occupations.index).all()
    assert [r.onet_soc_code for r in catalog["15-1252.00"].related] == [
        "15-2051.00", "27-1024.00", "11-2021.00"]


# ---------------------------------------------------------------------------------------------
# Lookups and errors
# ---------------------------------------------------------------------------------------------


def test_soc_code_hint(catalog: Catalog) -> None:
    with pytest.raises(UnknownOccupationError,
                       match=r"'15-1252' is a SOC code; its O\*NET-SOC occupations are "
                             r"\['15-1252.00'\]"):
        catalog["15-1252"]


def test_near_title_hint(catalog: Catalog) -> None:
    with pytest.raises(UnknownOccupationError,
                       match=re.escape("Did you mean 15-1252.00 (Software Developers)?")):
        catalog["software developer"]


def test_near_code_hint(catalog: Catalog) -> None:
    with pytest.raises(UnknownOccupationError,
                       match=r"No occupation '15-1252.01' in the O\*NET 30.2 catalog\. "
                             r"Closest codes: 15-1252.00"):
        catalog["15-1252.01"]


def test_unknown_code_without_hint(catalog: Catalog) -> None:
    with pytest.raises(UnknownOccupationError, match="Codes look like '15-1252.00'"):
        catalog["zzzzzzzz"]
    with pytest.raises(UnknownOccupationError, match="Occupation codes are strings"):
        catalog[151252]  # type: ignore[index]
    with pytest.raises(UnknownOccupationError, match="No occupation '99-9999.00'"):
        catalog.title("99-9999.00")


def test_unknown_occupation_is_a_key_error(catalog: Catalog) -> None:
    with pytest.raises(KeyError) as info:
        catalog["99-9999"]
    assert isinstance(info.value, LookupError) and isinstance(info.value, PassionfinderError)
    assert str(info.value).startswith("No occupation '99-9999'")  # not quoted like KeyError
    assert "99-9999.00" not in catalog and 42 not in catalog
    assert passionfinder.UnknownOccupationError is UnknownOccupationError


def test_container_protocol(catalog: Catalog) -> None:
    assert len(catalog) == 12
    assert list(catalog) == catalog.codes == sorted(synthetic.CODES)
    assert "29-1141.00" in catalog
    assert catalog.title("29-1141.00") == "Registered Nurses"
    assert repr(catalog) == "<Catalog O*NET 30.2: 12 occupations>"
    assert catalog.occupations.index.name == "onet_soc_code"


def test_coverage(catalog: Catalog) -> None:
    coverage = catalog.coverage()
    assert list(coverage.columns) == ["occupations", "share"]
    assert coverage.index.name == "part"
    counts = coverage["occupations"].to_dict()
    assert counts["title"] == counts["tasks"] == counts["riasec"] == counts["skills"] == 12
    assert counts["wage_median"] == 10  # no BLS row, '-' wages
    assert counts["growth_pct"] == 11
    assert counts["work_values"] == counts["reported_titles"] == 11
    assert coverage.loc["wage_median", "share"] == round(10 / 12, 4)
    assert ((coverage["share"] >= 0) & (coverage["share"] <= 1)).all()


def test_release_and_attribution(catalog: Catalog) -> None:
    assert catalog.release == "30.2"
    assert catalog.attribution == f"{ATTRIBUTION} Data: {catalog.source}."
    assert ATTRIBUTION == passionfinder.ATTRIBUTION
    assert catalog.source == str(catalog.data_home)
    for phrase in ("O*NET 30.2 Database", "U.S. Department of Labor", "USDOL/ETA",
                   "CC BY 4.0", "has not approved, endorsed, or tested these modifications"):
        assert phrase in catalog.attribution


def test_fingerprint_names_the_content(tmp_path: Path, cache_home: Path) -> None:
    a = load_catalog(write_release(tmp_path / "a"), use_cache=False)
    b = load_catalog(write_release(tmp_path / "b"), use_cache=False)
    c = load_catalog(write_release(tmp_path / "c", n_occupations=11), use_cache=False)
    assert a.fingerprint == b.fingerprint != c.fingerprint


# ---------------------------------------------------------------------------------------------
# Integration: the real O*NET 30.2 release
# ---------------------------------------------------------------------------------------------


@pytest.mark.data
def test_real_size_and_counts(real_catalog: Catalog) -> None:
    assert len(real_catalog) == 1016
    assert real_catalog.release == "30.2"
    assert len(real_catalog.tasks) == 18_796
    assert len(real_catalog.alternate_titles) == 57_543
    assert len(real_catalog.reported_titles) == 7_953
    assert real_catalog.occupations.index.is_unique


@pytest.mark.data
def test_real_missing_files(real_catalog: Catalog) -> None:
    absent = {name for name, _ in real_catalog.missing}
    assert absent <= set(REAL_ABSENT_FILES)
    assert (real_catalog.abilities is None) == ("Abilities.txt" in absent)


@pytest.mark.data
def test_real_software_developers(real_catalog: Catalog) -> None:
    occ = real_catalog["15-1252.00"]
    assert occ.title == "Software Developers"
    assert occ.holland_code is not None and occ.holland_code.startswith("I")
    assert len(occ.tasks) > 5 and occ.tasks[0].task_type == "Core"
    assert "Programming" in [s.name for s in occ.skills]
    assert occ.wage_median is not None and occ.wage_median > 100_000
    assert occ.growth_pct is not None and occ.growth_pct > 0
    assert occ.job_zone == 4
    assert occ.job_family == "Computer and Mathematical"


@pytest.mark.data
def test_real_registered_nurses(real_catalog: Catalog) -> None:
    occ = real_catalog["29-1141.00"]
    assert occ.holland_code is not None
    assert occ.holland_code[0] == "S" and "I" in occ.holland_code
    assert occ.riasec["Social"] == max(occ.riasec.values())
    assert occ.job_zone is not None and occ.job_zone >= 3


@pytest.mark.data
def test_real_carpenters(real_catalog: Catalog) -> None:
    # In O*NET 30.2 the carpenters are 47-2031.00; the older 47-2031.01 no longer exists.
    occ = real_catalog["47-2031.00"]
    assert occ.title == "Carpenters"
    assert occ.holland_code is not None and occ.holland_code.startswith("R")
    assert occ.riasec["Realistic"] == max(occ.riasec.values())
    with pytest.raises(UnknownOccupationError, match="Closest codes: 47-2031.00"):
        real_catalog["47-2031.01"]


@pytest.mark.data
def test_real_coverage(real_catalog: Catalog) -> None:
    share = real_catalog.coverage()["share"]
    assert share["title"] == 1.0 and share["job_family"] == 1.0
    assert share["wage_median"] >= 0.9
    assert share["growth_pct"] >= 0.9
    assert share["tasks"] >= 0.9 and share["riasec"] >= 0.9


@pytest.mark.data
def test_real_related_codes_are_in_the_catalog(real_catalog: Catalog) -> None:
    related = real_catalog.related
    assert related is not None and len(related) > 0
    assert related["related_code"].isin(real_catalog.occupations.index).all()
    assert set(related["tier"]) == {"Primary-Short", "Primary-Long", "Supplemental"}


@pytest.mark.data
def test_real_military_occupations_have_no_wage(real_catalog: Catalog) -> None:
    military = [code for code in real_catalog if code.startswith("55-")]
    assert len(military) > 10
    for code in military:
        occ = real_catalog[code]
        assert occ.wage_median is None and occ.employment is None
    wages = real_catalog.occupations["wage_median"]
    assert not (wages == 0).any() and (wages.dropna() > 10_000).all()


@pytest.mark.data
def test_real_records_build(real_catalog: Catalog) -> None:
    # A sample across every major group (building all 1,016 records takes about 4 s).
    codes = real_catalog.codes[::9]
    records = [real_catalog[code] for code in codes]
    with_tasks = set(real_catalog.tasks["onet_soc_code"])
    assert [bool(r.tasks) for r in records] == [c in with_tasks for c in codes]
    for r in records:
        assert r.title == real_catalog.title(r.onet_soc_code)
        assert all(rel.onet_soc_code in real_catalog for rel in r.related)
        assert r.wage_median is None or r.wage_median > 10_000


@pytest.mark.data
def test_real_cached_load_matches(real_catalog: Catalog, real_data_home: Path,
                                  real_cache_home: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    forbid_compile(monkeypatch)
    expect_warning = bool(real_catalog.missing)
    with pytest.warns(MissingDataWarning) if expect_warning else _no_warning():
        cached = load_catalog(real_data_home, cache_home=real_cache_home)
    pd.testing.assert_frame_equal(cached.occupations, real_catalog.occupations)
    pd.testing.assert_frame_equal(cached.tasks, real_catalog.tasks)
    assert cached.fingerprint == real_catalog.fingerprint
    assert cached["15-1252.00"] == real_catalog["15-1252.00"]


def _no_warning() -> Any:
    import contextlib

    return contextlib.nullcontext()


@pytest.mark.data
def test_synthetic_headers_match_the_real_files(real_data_home: Path) -> None:
    for name in synthetic.ALL_FILES:
        real = synthetic._path_in(real_data_home, name)
        if not real.is_file():
            continue  # absent from the shared folder (see REAL_ABSENT_FILES)
        with open(real, "rb") as fh:
            first = fh.readline()
        sep = b"," if name.endswith(".csv") else b"\t"
        header = [h.decode() for h in first.rstrip(b"\r\n").split(sep)]
        expected = {**synthetic.ONET_FILES, **synthetic.EXTRA_FILES, **synthetic.BLS_FILES}[name]
        assert header == expected, name
        assert first.endswith(b"\r\n") == (name in synthetic.ONET_FILES), name


@pytest.mark.data
def test_synthetic_text_is_not_copied_from_the_real_files(real_data_home: Path) -> None:
    real = {}
    for name in ("Task Statements.txt", "Occupation Data.txt"):
        real[name] = (real_data_home / ONET_DIR / name).read_text(encoding="utf-8")
    for occ in synthetic.OCCUPATIONS:
        assert occ.description not in real["Occupation Data.txt"]
        for task in (*occ.core_tasks, *occ.supplemental_tasks, *occ.unrated_tasks):
            assert task not in real["Task Statements.txt"], task


@pytest.mark.data
def test_real_broad_group_wages_are_used_and_flagged(real_catalog: Catalog) -> None:
    buyers = real_catalog["13-1021.00"]  # OEWS publishes only the broad group 13-1020
    assert buyers.wage_source == "SOC broad group"
    assert buyers.wage_median == 77710.0
    developers = real_catalog["15-1252.00"]
    assert developers.wage_source == "detailed occupation"
    actors = real_catalog["27-2011.00"]  # own OEWS row, hourly wages only: stays missing
    assert actors.wage_median is None and actors.wage_source is None


def test_warnings_point_at_the_callers_line(synthetic_home: Path, cache_home: Path) -> None:
    import passionfinder as pf

    (synthetic_home / "onet" / "db_30_2_text" / "Abilities.txt").unlink()
    with pytest.warns(pf.MissingDataWarning) as record:
        pf.load_catalog(synthetic_home, cache_home=cache_home)
    assert record[0].filename == __file__


def test_with_tables_replaces_a_table_and_names_unknown_ones(synthetic_home: Path,
                                                             cache_home: Path) -> None:
    import passionfinder as pf

    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    fewer = catalog.with_tables(tasks=catalog.tasks.iloc[::2].reset_index(drop=True))
    assert len(fewer.tasks) == (len(catalog.tasks) + 1) // 2
    assert fewer.fingerprint != catalog.fingerprint and len(fewer) == len(catalog)
    with pytest.raises(ValueError, match=r"Unknown catalog table\(s\) \['taskz'\]"):
        catalog.with_tables(taskz=catalog.tasks)
