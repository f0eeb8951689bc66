"""The catalog shipped in the package (the bundle), the fallback to it, compiled catalog folders,
and building a catalog from the official downloads (`passionfinder data build`).

The official-layout files are written here, from the synthetic release, as BLS and O*NET publish
them (the OEWS national spreadsheet inside its zip, the projections workbook with its title row,
the O*NET text zip); no copy of a real file is used. Tests marked ``data`` rebuild the bundle
from the real files and compare it with the committed one.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from embedder import HashingEncoder
from synthetic import write_release, write_release_zip

import passionfinder as pf
from passionfinder import ATTRIBUTION, Catalog, DataFormatError, DataNotFoundError
from passionfinder._bundle import BUNDLE_SOURCE, bundle_location
from passionfinder._catalog import LONG_TABLES, load_bundled_catalog
from passionfinder._official import official_release, read_oews, read_projections
from passionfinder.cli import main

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "src" / "passionfinder" / "bundle"

OEWS_HEADER = ["AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP",
               "OWN_CODE", "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "H_MEAN",
               "A_MEAN", "MEAN_PRSE", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90",
               "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"]
PROJECTION_HEADER = [
    "2024 National Employment Matrix title", "2024 National Employment Matrix code",
    "Occupation type", "Employment, 2024", "Employment, 2034",
    "Employment distribution, percent, 2024", "Employment distribution, percent, 2034",
    "Employment change, numeric, 2024\u201334", "Employment change, percent, 2024\u201334",
    "Percent self employed, 2024", "Occupational openings, 2024\u201334 annual average",
    "Median annual wage, dollars, 2024[1]", "Typical education needed for entry",
    "Work experience in a related occupation",
    "Typical on-the-job training needed to attain competency in the occupation"]


@pytest.fixture(autouse=True)
def _isolated_cache(cache_home: Path) -> None:
    """PASSIONFINDER_CACHE in a temp folder for every test here (see conftest)."""


def _number(text: str) -> Any:
    """A TSV cell as BLS's spreadsheets hold it: a number, or the text (e.g. '*')."""
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def _tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def write_official_oews(data_home: Path, out: Path, *, drop: str | None = None,
                        top_coded: str | None = None) -> Path:
    """The OEWS national zip (oesm25nat.zip holding national_M2025_dl.xlsx) made from the
    synthetic data folder's OEWS table."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "national_M2025_dl"
    header = [h for h in OEWS_HEADER if h != drop]
    sheet.append(header)
    for row in _tsv(data_home / "bls" / "oews_national_may2025.tsv"):
        level = row["display_level"]
        group = {"0": "total" if row["soc_code"] == "00-0000" else "major", "1": "minor",
                 "2": "broad", "3": "detailed"}[level]
        hourly_only = row["footnote_annual_median"] == "4"

        def wage(name: str, row: dict[str, str] = row, hourly_only: bool = hourly_only) -> Any:
            return "*" if hourly_only else _number(row[name])

        cells = {
            "AREA": "99", "AREA_TITLE": "U.S.", "AREA_TYPE": 1, "PRIM_STATE": "US",
            "NAICS": "000000", "NAICS_TITLE": "Cross-industry", "I_GROUP": "cross-industry",
            "OWN_CODE": 1235, "OCC_CODE": row["soc_code"], "OCC_TITLE": row["occupation_name"],
            "O_GROUP": group, "TOT_EMP": _number(row["Employment"]), "EMP_PRSE": 0.5,
            "H_MEAN": _number(row["Hourly mean wage"]), "A_MEAN": wage("Annual mean wage"),
            "MEAN_PRSE": 0.4, "H_PCT10": _number(row["Hourly 10th percentile wage"]),
            "H_PCT25": _number(row["Hourly 25th percentile wage"]),
            "H_MEDIAN": _number(row["Hourly median wage"]),
            "H_PCT75": _number(row["Hourly 75th percentile wage"]),
            "H_PCT90": _number(row["Hourly 90th percentile wage"]),
            "A_PCT10": wage("Annual 10th percentile wage"),
            "A_PCT25": wage("Annual 25th percentile wage"),
            "A_MEDIAN": wage("Annual median wage"),
            "A_PCT75": wage("Annual 75th percentile wage"),
            "A_PCT90": wage("Annual 90th percentile wage"),
            "ANNUAL": None, "HOURLY": True if hourly_only else None,
        }
        if row["soc_code"] == top_coded:
            cells["A_MEDIAN"] = cells["A_PCT75"] = cells["A_PCT90"] = "#"
        sheet.append([cells[h] for h in header])
    # industry rows of the same file are left out by the reader
    sheet.append([{"I_GROUP": "sector", "NAICS": "11", "OCC_CODE": "15-1252", "O_GROUP": "detailed",
                   "OCC_TITLE": "Software developers in farming", "TOT_EMP": 10,
                   "A_MEDIAN": 1}.get(h, "x") for h in header])
    xlsx = out.parent / "national_M2025_dl.xlsx"
    book.save(xlsx)
    with zipfile.ZipFile(out, "w") as zf:
        zf.write(xlsx, "oesm25nat/national_M2025_dl.xlsx")
        zf.writestr("oesm25nat/field_descriptions.txt", "")
    xlsx.unlink()
    return out


def write_official_projections(data_home: Path, out: Path, *, drop: str | None = None) -> Path:
    """BLS's occupation.xlsx: an index sheet, then "Table 1.2" with a title row, the header,
    a summary row, the line items and a footnote, made from the synthetic projections table."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Index"
    book.active.append(["Occupational projections and worker characteristics"])
    sheet = book.create_sheet("Table 1.2")
    sheet.append(["Table 1.2 Occupational projections, 2024\u201334, and worker characteristics, "
                  "2024 (Numbers in thousands)"])
    header = [h for h in PROJECTION_HEADER if h != drop]
    sheet.append(header)
    sheet.append([{"Occupation type": "Summary", "2024 National Employment Matrix code": "00-0000",
                   "2024 National Employment Matrix title": "Total, all occupations"}
                  .get(h, "\u2014") for h in header])
    for row in _tsv(data_home / "bls" / "employment_projections_2024_34.tsv"):
        cells = {
            "2024 National Employment Matrix title": row["title"],
            "2024 National Employment Matrix code": row["soc_code"],
            "Occupation type": "Line item",
            "Employment, 2024": _number(row["employment_2024_thousands"]),
            "Employment, 2034": _number(row["employment_2034_thousands"]),
            "Employment distribution, percent, 2024": 0.1,
            "Employment distribution, percent, 2034": 0.1,
            "Employment change, numeric, 2024\u201334": 1.0,
            "Employment change, percent, 2024\u201334": _number(row["change_percent_2024_34"]),
            "Percent self employed, 2024": 2.0,
            "Occupational openings, 2024\u201334 annual average":
                _number(row["openings_annual_avg_thousands"]),
            "Median annual wage, dollars, 2024[1]": _number(row["median_annual_wage_2024"]),
            "Typical education needed for entry": row["typical_education_for_entry"],
            "Work experience in a related occupation": row["work_experience_in_related_occupation"],
            "Typical on-the-job training needed to attain competency in the occupation":
                row["typical_on_the_job_training"],
        }
        sheet.append([cells[h] for h in header])
    sheet.append([])
    sheet.append(["[1] Data are from the Occupational Employment and Wage Statistics program."])
    book.save(out)
    return out


@pytest.fixture
def official(tmp_path: Path) -> dict[str, Path]:
    """The synthetic release as official downloads, beside the same data as a data folder."""
    folder = write_release(tmp_path / "folder")
    zipped = write_release_zip(tmp_path / "downloads")
    return {
        "folder": folder,
        "onet": zipped / "onet" / "db_30_2_text.zip",
        "job_families": zipped / "onet" / "All_Job_Families.csv",
        "oews": write_official_oews(folder, tmp_path / "oesm25nat.zip"),
        "projections": write_official_projections(folder, tmp_path / "occupation.xlsx"),
    }


def assert_same_tables(a: Catalog, b: Catalog) -> None:
    assert set(a.tables()) == set(b.tables())
    pd.testing.assert_frame_equal(a.occupations, b.occupations)
    for name in LONG_TABLES:
        ta, tb = getattr(a, name), getattr(b, name)
        assert (ta is None) == (tb is None), name
        if ta is not None:
            pd.testing.assert_frame_equal(ta, tb, obj=name)


# ---------------------------------------------------------------------------------------------
# Building from the official downloads
# ---------------------------------------------------------------------------------------------


def test_build_from_official_downloads_equals_the_data_folder(
        official: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "built"
    code = main(["data", "build", "--onet", str(official["onet"]), "--oews", str(official["oews"]),
                 "--projections", str(official["projections"]), "--job-families",
                 str(official["job_families"]), "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert f"Catalog of 12 occupations written to {out}" in printed
    assert "OEWS), May 2025, national (oesm25nat.zip)" in printed
    assert "Employment Projections 2024-34 (Table 1.2, occupation.xlsx)" in printed
    built = pf.load_catalog(out)
    assert built.source == str(out) and built.release == "30.2"
    assert built.attribution == f"{ATTRIBUTION} Data: {out}."
    from_folder = pf.load_catalog(official["folder"], use_cache=False)
    assert_same_tables(built, from_folder)
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["sources"]) == {"db_30_2_text.zip", "oesm25nat.zip", "occupation.xlsx",
                                        "All_Job_Families.csv"}
    assert manifest["absent_files"] == []


def test_build_into_the_data_folder_is_used_without_naming_it(
        official: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("PASSIONFINDER_DATA", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert main(["data", "build", "--onet", str(official["onet"]), "--oews",
                 str(official["oews"])]) == 0
    assert "written to" in capsys.readouterr().out
    catalog = pf.load_catalog()
    assert catalog.source == str(tmp_path / "xdg" / "passionfinder" / "catalog")
    assert len(catalog) == 12
    assert catalog.occupations["wage_median"].notna().any()
    assert catalog.occupations["growth_pct"].isna().all()  # no projections given: missing
    assert "employment_projections_2024_34.tsv" in [name for name, _ in catalog.missing]


def test_release_number_is_read_from_the_onet_download(tmp_path: Path) -> None:
    home = write_release_zip(tmp_path / "d")
    zpath = home / "onet" / "db_30_2_text.zip"
    newer = tmp_path / "db_31_0_text.zip"
    with zipfile.ZipFile(zpath) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename.replace("db_30_2_text", "db_31_0_text"), src.read(item))
        dst.writestr("db_31_0_text/Read Me.txt", "O*NET 31.0 Database\r\n")
    release = official_release(newer)
    assert release.onet_release == "31.0"
    from passionfinder._official import build_catalog

    manifest = build_catalog(newer, tmp_path / "out")
    catalog = pf.load_catalog(tmp_path / "out")
    assert manifest["release"] == catalog.release == "31.0"
    assert "O*NET 31.0 Database" in catalog.attribution
    assert "O*NET 30.2" not in catalog.attribution


def test_oews_top_coded_wage_is_missing_and_flagged(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "folder")
    table = read_oews(write_official_oews(folder, tmp_path / "oesm25nat.zip",
                                          top_coded="15-1252"))
    assert table.period == "May 2025" and table.label.endswith("national_M2025_dl.xlsx")
    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}
    assert rows["15-1252"]["Annual median wage"] is None
    assert rows["15-1252"]["footnote_annual_median"] == "5"
    assert rows["15-1252"]["display_level"] == "3" and rows["00-0000"]["display_level"] == "0"
    assert len(table.rows) == len(_tsv(folder / "bls" / "oews_national_may2025.tsv"))


@pytest.mark.parametrize("column", ["A_MEDIAN", "OCC_CODE", "O_GROUP"])
def test_oews_in_another_layout_names_file_and_column(tmp_path: Path, column: str) -> None:
    folder = write_release(tmp_path / "folder")
    path = write_official_oews(folder, tmp_path / "oesm25nat.zip", drop=column)
    expected = "no sheet with an 'OCC_CODE'" if column == "OCC_CODE" else f"no column '{column}'"
    with pytest.raises(DataFormatError, match=expected) as info:
        read_oews(path)
    assert "national_M2025_dl.xlsx" in str(info.value)


@pytest.mark.parametrize("column", ["Typical education needed for entry",
                                    "Employment change, percent, 2024\u201334",
                                    "Occupational openings, 2024\u201334 annual average"])
def test_projections_in_another_layout_names_file_and_column(tmp_path: Path, column: str) -> None:
    folder = write_release(tmp_path / "folder")
    path = write_official_projections(folder, tmp_path / "occupation.xlsx", drop=column)
    with pytest.raises(DataFormatError, match="'occupation.xlsx' \\(sheet 'Table 1.2'\\) has no "
                                              "column") as info:
        read_projections(path)
    assert repr(column.replace("\u2013", "-")) in str(info.value)


def test_projections_keep_line_items_and_the_period(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "folder")
    table = read_projections(write_official_projections(folder, tmp_path / "occupation.xlsx"))
    assert table.period == "2024-34"
    codes = [row[0] for row in table.rows]
    assert "00-0000" not in codes  # the summary row
    assert codes == [row["soc_code"] for row in
                     _tsv(folder / "bls" / "employment_projections_2024_34.tsv")]


def test_not_a_spreadsheet_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "occupation.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(DataFormatError, match="'occupation.xlsx' is not a readable xlsx"):
        read_projections(bad)
    with pytest.raises(DataNotFoundError, match="projections file .* does not exist"):
        official_release(tmp_path / "db_30_2_text.zip", projections=tmp_path / "nope.xlsx")
    with pytest.raises(DataNotFoundError, match="O\\*NET file .* does not exist"):
        official_release(tmp_path / "db_30_2_text.zip")
    assert main(["data", "build", "--onet", str(tmp_path / "x.zip"), "-o",
                 str(tmp_path / "o")]) == 1


# ---------------------------------------------------------------------------------------------
# The bundle and the fallback to it
# ---------------------------------------------------------------------------------------------


def test_fallback_to_the_bundle_when_nothing_is_named_or_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PASSIONFINDER_DATA", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    catalog = pf.load_catalog()
    assert catalog.source == BUNDLE_SOURCE == "bundled catalog"
    assert len(catalog) == 1016 and catalog.release == "30.2"
    assert catalog.attribution == f"{ATTRIBUTION} Data: bundled catalog."
    assert catalog.occupations["wage_median"].notna().mean() > 0.8
    assert catalog.occupations["growth_pct"].notna().mean() > 0.8
    assert catalog["49-3091.00"].title == "Bicycle Repairers"
    # the per-user folder, once it holds a release, wins over the bundle
    write_release(tmp_path / "xdg" / "passionfinder")
    assert len(pf.load_catalog()) == 12


def test_a_named_empty_folder_still_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DataNotFoundError, match="the data_home argument"):
        pf.load_catalog(tmp_path / "empty")
    monkeypatch.setenv("PASSIONFINDER_DATA", str(tmp_path / "empty"))
    with pytest.raises(DataNotFoundError, match=r"from \$PASSIONFINDER_DATA"):
        pf.load_catalog()


def test_bundle_manifest_size_and_packaging() -> None:
    manifest = json.loads((BUNDLE / "manifest.json").read_text())
    size = sum(p.stat().st_size for p in BUNDLE.iterdir() if p.is_file())
    assert size <= 8_000_000, size
    assert manifest["kind"] == "passionfinder compiled catalog"
    assert manifest["attribution"] == ATTRIBUTION
    assert set(manifest["versions"]) == {"onet", "oews", "projections", "job_families"}
    assert "Occupation Data.txt" in " ".join(manifest["sources"])
    assert all(len(s["sha256"]) == 64 for s in manifest["sources"].values())
    on_disk = {p.name for p in BUNDLE.glob("*.parquet")}
    assert on_disk == set(manifest["tables"])
    # the wheel carries the bundle: package data names its files
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config["package-data"]["passionfinder.bundle"]) == {"*.parquet", "manifest.json"}
    assert bundle_location().joinpath("manifest.json").is_file()


def test_a_catalog_of_another_compile_version_is_refused(
        tmp_path: Path, official: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from passionfinder import _catalog
    from passionfinder._official import build_catalog

    assert json.loads((BUNDLE / "manifest.json").read_text())["compile_version"] == \
        _catalog.COMPILE_VERSION, "the bundle is stale: run python scripts/build_bundle.py"
    build_catalog(official["onet"], tmp_path / "built")
    monkeypatch.setattr(_catalog, "COMPILE_VERSION", _catalog.COMPILE_VERSION + 1)
    with pytest.raises(DataFormatError, match="build it again with `passionfinder data build`"):
        pf.load_catalog(tmp_path / "built")
    with pytest.raises(DataFormatError, match="python scripts/build_bundle.py"):
        load_bundled_catalog()


def test_a_corrupt_compiled_catalog_is_refused(tmp_path: Path, official: dict[str, Path]) -> None:
    from passionfinder._official import build_catalog

    out = tmp_path / "built"
    build_catalog(official["onet"], out)
    data = bytearray((out / "tasks.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (out / "tasks.parquet").write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match="'tasks.parquet' of The compiled catalog in .* does "
                                              "not match the sha256"):
        pf.load_catalog(out)


def test_source_in_repr_attribution_and_data_info(
        synthetic_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    finder = pf.PassionFinder(pf.load_catalog(synthetic_home), HashingEncoder())
    assert f"O*NET 30.2 ({synthetic_home})" in repr(finder)
    recs = finder.recommend("I like writing software", k=2)
    assert recs.attribution.startswith(ATTRIBUTION)
    assert recs.attribution.endswith(f"Data: {synthetic_home}.")
    # the bundled catalog cut to a few occupations, so the test embedder indexes it quickly
    full = load_bundled_catalog()
    codes = ["49-3091.00", "49-3052.00", "15-1252.00", "29-1141.00", "35-2014.00"]
    small = full.with_tables(**{
        name: table.loc[codes] if name == "occupations" else
        table[table["onet_soc_code"].isin(codes)] if "onet_soc_code" in table else table
        for name, table in full.tables().items()})
    small = small.with_tables(related=small.related[small.related["related_code"].isin(codes)])
    bundled = pf.PassionFinder(small, HashingEncoder())
    assert "O*NET 30.2 (bundled catalog), 5 occupations" in repr(bundled)
    assert bundled.recommend("bikes", k=1).attribution.endswith("Data: bundled catalog.")
    monkeypatch.delenv("PASSIONFINDER_DATA", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    capsys.readouterr()
    assert main(["data", "info"]) == 0
    printed = capsys.readouterr().out
    assert "source: bundled catalog\n" in printed
    assert f"bundle: {bundle_location()}" in printed
    assert "Data: bundled catalog." in printed


@pytest.mark.data
def test_bundle_equals_the_catalog_compiled_from_the_release(real_catalog: Catalog) -> None:
    bundled = load_bundled_catalog()
    assert_same_tables(bundled, real_catalog)
    assert bundled.fingerprint == real_catalog.fingerprint  # so they share embedding indexes
    assert bundled.missing == real_catalog.missing
    assert bundled.release == real_catalog.release
    for code in ("49-3091.00", "15-1252.00", "29-1141.00"):
        assert bundled[code] == real_catalog[code]


@pytest.mark.data
def test_bundle_rebuilds_identically_from_the_release(real_data_home: Path, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_bundle", REPO / "scripts" /
                                                  "build_bundle.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    rebuilt = script.build(real_data_home, tmp_path / "bundle")
    committed = json.loads((BUNDLE / "manifest.json").read_text())
    assert rebuilt["sources"] == committed["sources"], "the release differs from the bundle's"
    if rebuilt["written_with"] == committed["written_with"]:
        assert script.differences(tmp_path / "bundle", BUNDLE) == []
    else:  # other pandas / pyarrow: the same tables, not necessarily the same bytes
        assert {k: v for k, v in rebuilt.items() if k not in ("tables", "written_with")} == \
            {k: v for k, v in committed.items() if k not in ("tables", "written_with")}
        for name in committed["tables"]:
            pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "bundle" / name),
                                          pd.read_parquet(BUNDLE / name), obj=name)
