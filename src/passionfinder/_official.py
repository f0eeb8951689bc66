"""Reading the official downloads as they are published: the O*NET text zip, BLS's OEWS national
spreadsheet (``oesm25nat.zip`` / ``national_M2025_dl.xlsx``) and the Employment Projections
occupation table (``occupation.xlsx``, sheet "Table 1.2").

The spreadsheets are read with openpyxl and turned into the same raw tables (our column names)
that :class:`~passionfinder._release.Release` reads from a data folder, so the catalog compiles
them the same way. A spreadsheet in another layout gets a :class:`DataFormatError` naming the
file and the missing column.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import DataFormatError, DataNotFoundError
from ._release import ONET_RELEASE, TABLES, Release, TableSpec, zip_members

__all__ = ["OfficialRelease", "OfficialTable", "build_catalog", "official_release", "read_oews",
           "read_projections"]

logger = logging.getLogger(__name__)

_RELEASE_IN_README = re.compile(r"O\*NET(?:\u00ae)?\s+(\d+\.\d+)")
_RELEASE_IN_NAME = re.compile(r"db_(\d+)_(\d+)_text")
_OEWS_MEMBER = re.compile(r"national_M(\d{4})_dl\.xlsx$", re.IGNORECASE)
_MISSING_CELLS = {"", "*", "**", "#", "-", "—", "–", "n/a", "N/A"}
#: OEWS O_GROUP -> the display level of the data-folder table (0 total and major groups,
#: 1 minor, 2 broad, 3 detailed), which the catalog's SOC join reads.
_OEWS_LEVELS = {"total": "0", "major": "0", "minor": "1", "broad": "2", "detailed": "3"}
#: In the order of the data folder's wage columns (10th, 25th, median, 75th, 90th).
_OEWS_WAGES = ("A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90")
_OEWS_REQUIRED = ("OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", *_OEWS_WAGES)


# -- spreadsheet cells ---------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    """A cell as text: numbers without a spurious '.0', BLS's missing marks as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value).strip()
    return None if text in _MISSING_CELLS else text


def _label(value: Any) -> str:
    """A header cell, normalised: one line, single spaces, no footnote marks, plain dashes."""
    text = re.sub(r"\[\d+\]", "", str(value or ""))
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", text).strip()


def _workbook_rows(data: bytes, label: str) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """(sheet name, rows) of every sheet of an xlsx file."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        raise ImportError("Reading BLS spreadsheets needs openpyxl: pip install openpyxl") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises several types for a bad file
        raise DataFormatError(f"'{label}' is not a readable xlsx spreadsheet ({exc}).") from None
    try:
        for sheet in book.worksheets:
            yield sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _find_header(rows: list[tuple[Any, ...]], wanted: re.Pattern[str], limit: int = 15
                 ) -> int | None:
    for i, row in enumerate(rows[:limit]):
        if any(wanted.search(_label(cell)) for cell in row if cell is not None):
            return i
    return None


def _file_bytes(path: Path, member_pattern: re.Pattern[str] | None = None) -> tuple[str, bytes]:
    """(label, bytes) of an xlsx file, or of the xlsx inside a zip (the BLS download)."""
    if not path.is_file():
        raise DataNotFoundError(f"No file at {path}.")
    if zipfile.is_zipfile(path) and path.suffix.lower() == ".zip":
        members = zip_members(path)
        xlsx = [full for name, full in members.items() if name.lower().endswith(".xlsx")]
        chosen = [full for full in xlsx if member_pattern and member_pattern.search(full)] or xlsx
        if len(chosen) != 1:
            raise DataFormatError(
                f"'{path}' should hold one spreadsheet like 'national_M2025_dl.xlsx'; it holds "
                f"{sorted(xlsx) or 'no .xlsx file'}.")
        with zipfile.ZipFile(path) as zf:
            return f"{path.name}:{chosen[0]}", zf.read(chosen[0])
    return path.name, path.read_bytes()


# -- OEWS ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OfficialTable:
    """A BLS spreadsheet turned into the data folder's tab-separated layout (same column
    names), so :meth:`Release.read` checks and parses it exactly as the folder's file."""

    label: str
    period: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    def tsv(self) -> bytes:
        def clean(value: str | None) -> str:
            return "" if value is None else re.sub(r"[\t\r\n]+", " ", value)

        lines = ["\t".join(self.columns)]
        lines += ["\t".join(clean(v) for v in row) for row in self.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")


def read_oews(path: str | Path) -> OfficialTable:
    """Read the OEWS national spreadsheet (or the zip BLS publishes it in).

    Returns the rows in the layout of the data folder's OEWS table, with the reference period
    ("May 2025"). Only national cross-industry rows (all ownerships) are kept. A '#' annual
    median (at or above the top code) stays missing and is flagged as top-coded (footnote 5).
    """
    path = Path(path)
    label, data = _file_bytes(path, _OEWS_MEMBER)
    header_re = re.compile(r"^OCC_CODE$", re.IGNORECASE)
    for sheet, rows in _workbook_rows(data, label):
        at = _find_header(rows, header_re)
        if at is None:
            continue
        header = [_label(c).upper() for c in rows[at]]
        missing = [c for c in _OEWS_REQUIRED if c not in header]
        if missing:
            raise DataFormatError(
                f"The OEWS spreadsheet '{label}' (sheet '{sheet}') has no column "
                f"{', '.join(repr(c) for c in missing)}; its columns are "
                f"{[c for c in header if c]}. Use BLS's national file, e.g. "
                f"national_M2025_dl.xlsx from oesm25nat.zip.")
        col = {name: header.index(name) for name in header if name}
        records = []
        for row in rows[at + 1:]:
            def cell(name: str, row: tuple[Any, ...] = row, col: dict[str, int] = col
                     ) -> str | None:
                i = col.get(name)
                return _text(row[i]) if i is not None and i < len(row) else None

            code = cell("OCC_CODE")
            if code is None:
                continue
            # the national file is cross-industry; the all-data file also has industries,
            # ownerships and areas: keep the national, cross-industry, all-ownership rows
            if "I_GROUP" in col and (cell("I_GROUP") or "").lower() != "cross-industry":
                continue
            if "OWN_CODE" in col and cell("OWN_CODE") not in (None, "1235"):
                continue
            if "AREA_TYPE" in col and cell("AREA_TYPE") not in (None, "1"):
                continue
            raw_median = row[col["A_MEDIAN"]] if col["A_MEDIAN"] < len(row) else None
            records.append((
                code, cell("OCC_TITLE"), _OEWS_LEVELS.get((cell("O_GROUP") or "").lower()),
                cell("TOT_EMP"), *(cell(theirs) for theirs in _OEWS_WAGES),
                # BLS marks an annual wage at or above the top code with '#'
                "5" if str(raw_median).strip() == "#" else None,
            ))
        if not records:
            raise DataFormatError(f"The OEWS spreadsheet '{label}' (sheet '{sheet}') has no "
                                  f"national cross-industry rows.")
        found = _OEWS_MEMBER.search(label)
        period = f"May {found.group(1)}" if found else "unknown reference period"
        return OfficialTable(label, period, tuple(TABLES["oews"].columns), tuple(records))
    raise DataFormatError(f"The OEWS spreadsheet '{label}' has no sheet with an 'OCC_CODE' "
                          f"column. Use BLS's national file, e.g. national_M2025_dl.xlsx.")


# -- Employment Projections ------------------------------------------------------------------------

#: What we read from Table 1.2, by a pattern on the normalised header ('2024-34' etc. vary).
_PROJECTION_COLUMNS: dict[str, tuple[str, str]] = {
    "soc_code": (r"^\d{4} National Employment Matrix code$",
                 "2024 National Employment Matrix code"),
    "employment_2024_k": (r"^Employment, \d{4}$", "Employment, 2024"),
    "growth_pct": (r"^Employment change, percent, \d{4}-\d{2}$",
                   "Employment change, percent, 2024-34"),
    "openings_k": (r"^Occupational openings, \d{4}-\d{2} annual average$",
                   "Occupational openings, 2024-34 annual average"),
    "entry_education": (r"^Typical education needed for entry$",
                        "Typical education needed for entry"),
    "work_experience": (r"^Work experience in a related occupation$",
                        "Work experience in a related occupation"),
    "on_the_job_training": (
        r"^Typical on-the-job training needed to attain competency in the occupation$",
        "Typical on-the-job training needed to attain competency in the occupation"),
}


#: Our names -> the data folder's column names (the keys of its TableSpec).
_PROJECTION_SOURCE_NAMES = [theirs for ours in _PROJECTION_COLUMNS for theirs, mine in
                            TABLES["projections"].columns.items() if mine == ours]


def read_projections(path: str | Path) -> OfficialTable:
    """Read BLS's Employment Projections occupation spreadsheet (sheet "Table 1.2").

    Returns the rows in the layout of the data folder's projections table (employment and
    openings in thousands, as BLS gives them) with the projection period ("2024-34"). Only the
    "Line item" rows are kept (the detailed occupations and the few groups BLS projects as one).
    """
    path = Path(path)
    label, data = _file_bytes(path)
    code_re = re.compile(_PROJECTION_COLUMNS["soc_code"][0], re.IGNORECASE)
    sheets = list(_workbook_rows(data, label))
    # Table 1.2 first; any other sheet with the matrix code column after it
    sheets.sort(key=lambda item: item[0] != "Table 1.2")
    for sheet, rows in sheets:
        at = _find_header(rows, code_re)
        if at is None:
            continue
        header = [_label(c) for c in rows[at]]
        col: dict[str, int] = {}
        missing = []
        for ours, (pattern, shown) in _PROJECTION_COLUMNS.items():
            hits = [i for i, h in enumerate(header) if re.match(pattern, h, re.IGNORECASE)]
            if not hits:
                missing.append(shown)
            else:
                col[ours] = hits[0]  # 'Employment, <base year>' comes before the target year
        if missing:
            raise DataFormatError(
                f"The projections spreadsheet '{label}' (sheet '{sheet}') has no column "
                f"{', '.join(repr(c) for c in missing)}; its columns are "
                f"{[h for h in header if h]}. Use BLS's occupation.xlsx (Table 1.2).")
        kind = next((i for i, h in enumerate(header) if h.lower() == "occupation type"), None)
        records = []
        for row in rows[at + 1:]:
            if kind is not None and _text(row[kind] if kind < len(row) else None) != "Line item":
                continue
            values = {ours: _text(row[i]) if i < len(row) else None for ours, i in col.items()}
            if values["soc_code"] is None or not re.fullmatch(r"\d{2}-\d{4}", values["soc_code"]):
                continue  # footnotes and blank rows under the table
            records.append(tuple(values[ours] for ours in _PROJECTION_COLUMNS))
        if not records:
            raise DataFormatError(f"The projections spreadsheet '{label}' (sheet '{sheet}') has "
                                  f"no occupation rows.")
        change = header[col["growth_pct"]]
        found = re.search(r"(\d{4}-\d{2})$", change)
        period = found.group(1) if found else "unknown period"
        return OfficialTable(label, period, tuple(_PROJECTION_SOURCE_NAMES), tuple(records))
    raise DataFormatError(
        f"The projections spreadsheet '{label}' has no sheet with a 'National Employment "
        f"Matrix code' column. Use BLS's occupation.xlsx (Table 1.2).")


# -- the release made of official files ----------------------------------------------------------

def _onet_release_number(onet: Path, readme: bytes | None) -> str:
    if readme is not None:
        found = _RELEASE_IN_README.search(readme.decode("utf-8", errors="replace"))
        if found:
            return found.group(1)
    found = _RELEASE_IN_NAME.search(onet.name)
    if found:
        return f"{found.group(1)}.{found.group(2)}"
    raise DataFormatError(
        f"Cannot tell the O*NET release number of '{onet}': it has no 'Read Me.txt' naming it "
        f"and its name is not like 'db_30_2_text.zip'.")


@dataclass
class OfficialRelease(Release):
    """An O*NET text release (zip or folder) with BLS's own spreadsheets beside it."""

    oews_file: Path | None = None
    projections_file: Path | None = None
    job_families_file: Path | None = None
    _tables: dict[str, OfficialTable] = field(default_factory=dict, repr=False)

    def _path_of(self, spec: TableSpec) -> Path | None:
        if spec.source == "onet_extra":
            return self.job_families_file
        if spec.source == "bls":
            return self.oews_file if spec.name == "oews" else self.projections_file
        return super()._path_of(spec)

    def _bls(self, name: str) -> OfficialTable | None:
        path = self.oews_file if name == "oews" else self.projections_file
        if path is None:
            return None
        if name not in self._tables:
            self._tables[name] = read_oews(path) if name == "oews" else read_projections(path)
        return self._tables[name]

    def _raw_bytes(self, spec: TableSpec) -> tuple[str, bytes] | None:
        if spec.source == "bls":
            table = self._bls(spec.name)
            return None if table is None else (table.label, table.tsv())
        return super()._raw_bytes(spec)

    def source_paths(self) -> dict[str, Path]:
        paths = [self.onet_zip] if self.onet_zip is not None else []
        for spec in TABLES.values():
            if spec.source == "onet" and self.onet_zip is not None:
                continue
            path = self._path_of(spec)
            if path is not None and path.is_file():
                paths.append(path)
        out: dict[str, Path] = {}
        for path in paths:
            key = path.name if self.onet_dir is None or not path.is_relative_to(self.onet_dir) \
                else f"{self.onet_dir.name}/{path.name}"
            out[key] = path
        return out

    def versions(self) -> dict[str, str]:
        out = {"onet": f"O*NET {self.onet_release} Database, text release (USDOL/ETA), "
                       f"{Path(self.location).name}"}
        if self.job_families_file is not None:
            out["job_families"] = f"O*NET job families ({self.job_families_file.name})"
        oews = self._bls("oews")
        if oews is not None:
            out["oews"] = (f"BLS Occupational Employment and Wage Statistics (OEWS), {oews.period}, "
                           f"national ({Path(str(self.oews_file)).name})")
        projections = self._bls("projections")
        if projections is not None:
            out["projections"] = (f"BLS Employment Projections {projections.period} (Table 1.2, "
                                  f"{Path(str(self.projections_file)).name})")
        return out


def official_release(onet: str | Path, *, oews: str | Path | None = None,
                     projections: str | Path | None = None,
                     job_families: str | Path | None = None) -> OfficialRelease:
    """The official downloads as one release: the O*NET text zip (or its unpacked folder),
    BLS's OEWS national spreadsheet or zip, the projections spreadsheet, the job families CSV.

    Raises
    ------
    DataNotFoundError
        A file that is not there, or an O*NET download without 'Occupation Data.txt'.
    DataFormatError
        A file that is not what it should be; the message names the file and what is missing.
    """
    onet = Path(onet).expanduser()
    extras = {name: None if p is None else Path(p).expanduser()
              for name, p in (("oews", oews), ("projections", projections),
                              ("job_families", job_families))}
    for name, path in extras.items():
        if path is not None and not path.is_file():
            raise DataNotFoundError(f"The {name.replace('_', ' ')} file {path} does not exist.")
    key = TABLES["occupations"].filename
    if onet.is_dir():
        if not (onet / key).is_file():
            raise DataNotFoundError(f"The O*NET folder {onet} has no '{key}'.")
        readme = onet / "Read Me.txt"
        number = _onet_release_number(onet, readme.read_bytes() if readme.is_file() else None)
        return OfficialRelease(onet, onet, None, onet, onet, onet_release=number,
                               oews_file=extras["oews"], projections_file=extras["projections"],
                               job_families_file=extras["job_families"])
    if not onet.is_file():
        raise DataNotFoundError(f"The O*NET file {onet} does not exist.")
    members = zip_members(onet)
    if key not in members:
        raise DataNotFoundError(f"'{onet}' holds no '{key}': it is not an O*NET text release.")
    readme_member = members.get("Read Me.txt")
    with zipfile.ZipFile(onet) as zf:
        readme_bytes = zf.read(readme_member) if readme_member else None
    number = _onet_release_number(onet, readme_bytes)
    if number != ONET_RELEASE:
        logger.info("Building a catalog from O*NET %s (this passionfinder was made with %s)",
                    number, ONET_RELEASE)
    return OfficialRelease(onet.parent, None, onet, onet.parent, onet.parent,
                           _zip_members=members, onet_release=number,
                           oews_file=extras["oews"], projections_file=extras["projections"],
                           job_families_file=extras["job_families"])


def build_catalog(onet: str | Path, output: str | Path, *, oews: str | Path | None = None,
                  projections: str | Path | None = None,
                  job_families: str | Path | None = None) -> dict[str, Any]:
    """Compile the official downloads into a catalog folder that :func:`load_catalog` reads.

    Returns the manifest written with it (source sha256s, versions, attribution, tables).

    Examples
    --------
    >>> build_catalog("db_30_2_text.zip", "catalog", oews="oesm25nat.zip",
    ...               projections="occupation.xlsx")      # doctest: +SKIP
    """
    from ._bundle import write_release
    from ._catalog import attribution_for

    release = official_release(onet, oews=oews, projections=projections,
                               job_families=job_families)
    return write_release(release, Path(output).expanduser(), versions=release.versions(),
                         attribution=attribution_for(release.onet_release))
