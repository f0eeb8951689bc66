"""Reading the O*NET text release and the BLS tables: the only module that knows file and column names.

It finds the release in a data folder (unpacked or as the official zip), checks every file's
header, and hands back raw tables with our own column names. Missing optional files are
reported once, with the features they disable; missing data is never turned into zeros.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ._config import DATA_ENV, get_data_home
from ._errors import DataFormatError, DataNotFoundError, MissingDataWarning, caller_stacklevel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ONET_RELEASE", "RIASEC", "SOURCE_VERSIONS", "TABLES", "WORK_VALUES", "Release",
           "TableSpec", "open_release", "snake"]

logger = logging.getLogger(__name__)

ONET_RELEASE = "30.2"
ONET_DIRNAME = "db_30_2_text"
ONET_ZIPNAME = f"{ONET_DIRNAME}.zip"
CODE = "O*NET-SOC Code"

#: The six RIASEC interest types in O*NET order; high points 1-6 index this tuple.
RIASEC: tuple[str, ...] = (
    "Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional",
)
#: The six O*NET work values in O*NET order; high points 1-6 index this tuple.
WORK_VALUES: tuple[str, ...] = (
    "Achievement", "Working Conditions", "Recognition", "Relationships", "Support", "Independence",
)


def snake(name: str) -> str:
    """'Working Conditions' -> 'working_conditions'."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


@dataclass(frozen=True)
class TableSpec:
    """One source file: where it lives, which columns we need (source name -> our name)."""

    name: str
    filename: str
    columns: Mapping[str, str]
    source: str = "onet"  # "onet" (inside the release), "onet_extra" (beside it) or "bls"
    required: bool = False
    disables: str = ""
    sep: str = "\t"


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        TableSpec("occupations", "Occupation Data.txt",
                  {CODE: "onet_soc_code", "Title": "title", "Description": "description"},
                  required=True),
        TableSpec("tasks", "Task Statements.txt",
                  {CODE: "onet_soc_code", "Task ID": "task_id", "Task": "task",
                   "Task Type": "task_type"},
                  disables="task statements (matching interests and strengths on what people do)"),
        TableSpec("task_ratings", "Task Ratings.txt",
                  {CODE: "onet_soc_code", "Task ID": "task_id", "Scale ID": "scale_id",
                   "Data Value": "value"},
                  disables="ordering tasks by rated importance (tasks keep the release order)"),
        TableSpec("alternate_titles", "Alternate Titles.txt",
                  {CODE: "onet_soc_code", "Alternate Title": "title", "Short Title": "short_title"},
                  disables="alternate job titles (title matching and classify())"),
        TableSpec("reported_titles", "Sample of Reported Titles.txt",
                  {CODE: "onet_soc_code", "Reported Job Title": "title",
                   "Shown in My Next Move": "shown_in_my_next_move"},
                  disables="sample reported titles (catalog.reported_titles)"),
        TableSpec("interests", "Interests.txt",
                  {CODE: "onet_soc_code", "Element Name": "element_name", "Scale ID": "scale_id",
                   "Data Value": "value"},
                  disables="RIASEC interest profiles and Holland codes"),
        TableSpec("riasec_activities", "Interests Illustrative Activities.txt",
                  {"Element Name": "riasec_type", "Interest Type": "interest_type",
                   "Activity": "activity"},
                  disables="illustrative activities used to infer a person's RIASEC profile"),
        TableSpec("riasec_keywords", "RIASEC Keywords.txt",
                  {"Element Name": "riasec_type", "Keyword": "keyword",
                   "Keyword Type": "keyword_type"},
                  disables="RIASEC keywords used to infer a person's RIASEC profile"),
        TableSpec("work_values", "Work Values.txt",
                  {CODE: "onet_soc_code", "Element Name": "element_name", "Scale ID": "scale_id",
                   "Data Value": "value"},
                  disables="the six O*NET work values and the value re-ranker entries built on them"),
        TableSpec("work_styles", "Work Styles.txt",
                  {CODE: "onet_soc_code", "Element ID": "element_id", "Element Name": "name",
                   "Scale ID": "scale_id", "Data Value": "value"},
                  disables="work styles (strength matching on personal style)"),
        TableSpec("skills", "Skills.txt",
                  {CODE: "onet_soc_code", "Element ID": "element_id", "Element Name": "name",
                   "Scale ID": "scale_id", "Data Value": "value",
                   "Recommend Suppress": "suppress"},
                  disables="skills (strength matching)"),
        TableSpec("knowledge", "Knowledge.txt",
                  {CODE: "onet_soc_code", "Element ID": "element_id", "Element Name": "name",
                   "Scale ID": "scale_id", "Data Value": "value",
                   "Recommend Suppress": "suppress"},
                  disables="knowledge areas (strength matching)"),
        TableSpec("abilities", "Abilities.txt",
                  {CODE: "onet_soc_code", "Element ID": "element_id", "Element Name": "name",
                   "Scale ID": "scale_id", "Data Value": "value",
                   "Recommend Suppress": "suppress"},
                  disables="ability profiles (catalog.abilities)"),
        TableSpec("work_activities", "Work Activities.txt",
                  {CODE: "onet_soc_code", "Element ID": "element_id", "Element Name": "name",
                   "Scale ID": "scale_id", "Data Value": "value",
                   "Recommend Suppress": "suppress"},
                  disables="generalized work activities (catalog.work_activities)"),
        TableSpec("work_context", "Work Context.txt",
                  {CODE: "onet_soc_code", "Element ID": "element_id", "Element Name": "name",
                   "Scale ID": "scale_id", "Category": "category", "Data Value": "value"},
                  disables="work context (catalog.work_context: physical and social conditions)"),
        TableSpec("elements", "Content Model Reference.txt",
                  {"Element ID": "element_id", "Element Name": "name", "Description": "description"},
                  disables="element descriptions for skills, knowledge and work styles"),
        TableSpec("job_zones", "Job Zones.txt",
                  {CODE: "onet_soc_code", "Job Zone": "job_zone"},
                  disables="job zones (how much preparation an occupation needs)"),
        TableSpec("job_zone_reference", "Job Zone Reference.txt",
                  {"Job Zone": "job_zone", "Name": "name", "Experience": "experience",
                   "Education": "education", "Job Training": "job_training",
                   "Examples": "examples"},
                  disables="the meaning of each job zone"),
        TableSpec("education", "Education, Training, and Experience.txt",
                  {CODE: "onet_soc_code", "Element ID": "element_id", "Scale ID": "scale_id",
                   "Category": "category", "Data Value": "value"},
                  disables="education, training and experience requirements"),
        TableSpec("education_categories", "Education, Training, and Experience Categories.txt",
                  {"Element ID": "element_id", "Scale ID": "scale_id", "Category": "category",
                   "Category Description": "description"},
                  disables="labels of education, training and experience levels"),
        TableSpec("technology_skills", "Technology Skills.txt",
                  {CODE: "onet_soc_code", "Example": "example", "Commodity Title": "commodity_title",
                   "Hot Technology": "hot", "In Demand": "in_demand"},
                  disables="technology skills (catalog.technology_skills)"),
        TableSpec("tools", "Tools Used.txt",
                  {CODE: "onet_soc_code", "Example": "example", "Commodity Title": "commodity_title"},
                  disables="tools used"),
        TableSpec("related", "Related Occupations.txt",
                  {CODE: "onet_soc_code", "Related O*NET-SOC Code": "related_code",
                   "Relatedness Tier": "tier", "Index": "rank"},
                  disables="related occupations (catalog.related)"),
        TableSpec("job_families", "All_Job_Families.csv",
                  {"Code": "onet_soc_code", "Job Family": "job_family"},
                  source="onet_extra", sep=",",
                  disables="O*NET job families (the job_family column)"),
        TableSpec("oews", "oews_national_may2025.tsv",
                  {"soc_code": "soc_code", "occupation_name": "name",
                   "display_level": "display_level", "Employment": "employment",
                   "Annual 10th percentile wage": "wage_p10",
                   "Annual 25th percentile wage": "wage_p25",
                   "Annual median wage": "wage_median",
                   "Annual 75th percentile wage": "wage_p75",
                   "Annual 90th percentile wage": "wage_p90",
                   "footnote_annual_median": "footnote_annual_median"},
                  source="bls",
                  disables="BLS wages (OEWS May 2025): wage figures and the pay-related values"),
        TableSpec("projections", "employment_projections_2024_34.tsv",
                  {"soc_code": "soc_code", "employment_2024_thousands": "employment_2024_k",
                   "change_percent_2024_34": "growth_pct",
                   "openings_annual_avg_thousands": "openings_k",
                   "typical_education_for_entry": "entry_education",
                   "work_experience_in_related_occupation": "work_experience",
                   "typical_on_the_job_training": "on_the_job_training"},
                  source="bls",
                  disables="BLS employment projections 2024-34: growth, openings, entry"
                           " education, and the job-security values"),
    ]
}

#: Files read only to tune the encoder (passionfinder.tuning), never by the catalog: they do not
#: enter the catalog's fingerprint, and their absence only narrows the training pairs.
TUNING_TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        TableSpec("emerging_tasks", "Emerging Tasks.txt",
                  {CODE: "onet_soc_code", "Task": "task", "Category": "category"},
                  disables="the emerging-task held-out set of the tuning benchmark"),
        TableSpec("tasks_to_dwas", "Tasks to DWAs.txt",
                  {CODE: "onet_soc_code", "Task ID": "task_id", "DWA ID": "dwa_id"},
                  disables="detailed work activity pairs for tuning"),
        TableSpec("dwa_reference", "DWA Reference.txt",
                  {"DWA ID": "dwa_id", "DWA Title": "dwa_title"},
                  disables="detailed work activity pairs for tuning"),
    ]
}


def _spec(name: str) -> TableSpec:
    return TABLES[name] if name in TABLES else TUNING_TABLES[name]


#: What the files of a data folder hold, by source (recorded with compiled catalogs).
SOURCE_VERSIONS: dict[str, str] = {
    "onet": f"O*NET {ONET_RELEASE} Database, text release (USDOL/ETA)",
    "job_families": "O*NET job families (All_Job_Families.csv)",
    "oews": "BLS Occupational Employment and Wage Statistics (OEWS), May 2025, national",
    "projections": "BLS Employment Projections 2024-34 (Table 1.2)",
}


@dataclass
class Release:
    """An O*NET release and the BLS tables found in one data folder.

    Use :func:`open_release` to make one. ``read(name)`` returns one table with our column
    names, or ``None`` for an absent optional file; ``source_paths()`` lists the files behind
    the tables, so caches can tell when the sources change.
    """

    data_home: Path
    onet_dir: Path | None
    onet_zip: Path | None
    extra_dir: Path
    bls_dir: Path
    _zip_members: dict[str, str] = field(default_factory=dict, repr=False)
    #: The O*NET release number of the text files.
    onet_release: str = ONET_RELEASE

    @property
    def location(self) -> str:
        """Where the O*NET text files are read from (folder or zip)."""
        return str(self.onet_zip or self.onet_dir)

    def _path_of(self, spec: TableSpec) -> Path | None:
        if spec.source == "bls":
            return self.bls_dir / spec.filename
        if spec.source == "onet_extra":
            return self.extra_dir / spec.filename
        assert self.onet_dir is not None
        return self.onet_dir / spec.filename

    def _raw_bytes(self, spec: TableSpec) -> tuple[str, bytes] | None:
        """Return (label, bytes) of a source file, or None when it is absent."""
        if spec.source == "onet" and self.onet_zip is not None:
            member = self._zip_members.get(spec.filename)
            if member is None:
                return None
            with zipfile.ZipFile(self.onet_zip) as zf:
                return f"{self.onet_zip.name}:{member}", zf.read(member)
        path = self._path_of(spec)
        if path is None or not path.is_file():
            return None
        return str(path), path.read_bytes()

    def has(self, name: str) -> bool:
        """Whether the file behind table ``name`` is present."""
        spec = _spec(name)
        if spec.source == "onet" and self.onet_zip is not None:
            return spec.filename in self._zip_members
        path = self._path_of(spec)
        return path is not None and path.is_file()

    def read(self, name: str) -> pd.DataFrame | None:
        """Read table ``name`` with checked, renamed columns; ``None`` if the file is absent.

        Every column is read as text; "n/a" and empty cells become missing (never zero).
        """
        import pandas as pd

        spec = _spec(name)
        found = self._raw_bytes(spec)
        if found is None:
            if spec.required:
                raise DataNotFoundError(
                    f"The O*NET release at {self.location} has no '{spec.filename}', which "
                    f"passionfinder needs. Download the release again with "
                    f"`passionfinder data download`."
                )
            return None
        label, data = found
        text = data.decode("utf-8-sig", errors="replace")
        first_line = text.split("\n", 1)[0].rstrip("\r")
        header = next(csv.reader([first_line], delimiter=spec.sep))
        header = [h.strip() for h in header]
        missing = [col for col in spec.columns if col not in header]
        if missing:
            raise DataFormatError(
                f"The file '{label}' has no column {', '.join(repr(c) for c in missing)}; "
                f"its columns are {header}. The file may be from another release or edited."
            )
        frame = pd.read_csv(
            io.StringIO(text),
            sep=spec.sep,
            usecols=list(spec.columns),
            dtype=str,
            keep_default_na=False,
            na_values=["n/a", "", "-", "#", "*"],
            quoting=csv.QUOTE_MINIMAL if spec.sep == "," else csv.QUOTE_NONE,
            engine="c",
        )
        frame.columns = [c.strip() for c in frame.columns]
        return frame.rename(columns=dict(spec.columns))[list(spec.columns.values())]

    def source_paths(self) -> dict[str, Path]:
        """Every present source file, keyed by its path relative to the data folder."""
        paths: list[Path] = []
        if self.onet_zip is not None:
            paths.append(self.onet_zip)
        for spec in TABLES.values():
            if spec.source == "onet" and self.onet_zip is not None:
                continue
            path = self._path_of(spec)
            if path is not None and path.is_file():
                paths.append(path)
        return {_relative_key(self.data_home, p): p for p in paths}

    def versions(self) -> dict[str, str]:
        """What each source present holds (O*NET release, BLS reference periods)."""
        present = {"onet": True, "job_families": self.has("job_families"),
                   "oews": self.has("oews"), "projections": self.has("projections")}
        return {key: text for key, text in SOURCE_VERSIONS.items() if present[key]}

    def missing_optional(self) -> list[TableSpec]:
        """The optional files that are absent, in the order of :data:`TABLES`."""
        return [spec for spec in TABLES.values() if not spec.required and not self.has(spec.name)]

    def warn_missing(self) -> None:
        """Issue one :class:`MissingDataWarning` naming every absent file and what it disables."""
        missing = self.missing_optional()
        if not missing:
            return
        lines = "; ".join(f"'{spec.filename}' ({spec.disables})" for spec in missing)
        warnings.warn(
            f"{len(missing)} optional data file(s) are absent from {self.data_home}, which "
            f"disables: {lines}. Everything else works. A full O*NET download "
            f"(`passionfinder data download`) has every O*NET file; the BLS tables go in "
            f"{self.bls_dir}.",
            MissingDataWarning,
            stacklevel=caller_stacklevel(),
        )


def _relative_key(data_home: Path, path: Path) -> str:
    """A key relative to the data folder, so moving the folder keeps caches valid."""
    try:
        return path.relative_to(data_home).as_posix()
    except ValueError:
        return path.as_posix()


def zip_members(zpath: Path) -> dict[str, str]:
    """The files of a zip by base name (the release's files may sit in a subfolder)."""
    try:
        with zipfile.ZipFile(zpath) as zf:
            names = zf.namelist()
    except zipfile.BadZipFile as exc:
        raise DataFormatError(
            f"'{zpath}' is not a valid zip file ({exc}). Delete it and download the "
            f"release again with `passionfinder data download`."
        ) from None
    return {n.rsplit("/", 1)[-1]: n for n in names if not n.endswith("/")}


def _looks_like_release(folder: Path) -> bool:
    return (folder / TABLES["occupations"].filename).is_file()


def open_release(data_home: str | os.PathLike[str] | None = None) -> Release:
    """Find the O*NET release and BLS tables in a data folder.

    The folder is the ``data_home`` argument, else the ``PASSIONFINDER_DATA`` environment
    variable, else the per-user default. Inside it the release may be unpacked
    (``onet/db_30_2_text/``) or the official zip (``onet/db_30_2_text.zip``); BLS tables live
    in ``bls/``.

    Raises
    ------
    DataNotFoundError
        If no release is found; the message lists every place that was searched.
    """
    home = get_data_home(data_home)
    how = (
        "the data_home argument" if data_home is not None
        else f"${DATA_ENV}" if os.environ.get(DATA_ENV)
        else f"the default data folder (set ${DATA_ENV} or pass data_home to use another)"
    )
    dir_candidates = [home / "onet" / ONET_DIRNAME, home / ONET_DIRNAME, home]
    zip_candidates = [home / "onet" / ONET_ZIPNAME, home / ONET_ZIPNAME]
    extra_dir = home / "onet" if (home / "onet").is_dir() else home
    bls_dir = home / "bls"
    for folder in dir_candidates:
        if _looks_like_release(folder):
            logger.debug("O*NET release found at %s", folder)
            return Release(home, folder, None, extra_dir, bls_dir)
    for zpath in zip_candidates:
        if zpath.is_file():
            members = zip_members(zpath)
            if TABLES["occupations"].filename in members:
                return Release(home, None, zpath, extra_dir, bls_dir, _zip_members=members)
    searched = "\n  ".join(str(p) for p in dir_candidates + zip_candidates)
    raise DataNotFoundError(
        f"No O*NET {ONET_RELEASE} release found in {home} (from {how}). Looked for "
        f"'{TABLES['occupations'].filename}' in:\n  {searched}\n"
        f"Point passionfinder at a folder holding the release with the {DATA_ENV} environment "
        f"variable or the data_home argument, or download it with "
        f"`passionfinder data download` (Python: passionfinder.fetch_onet())."
    )
