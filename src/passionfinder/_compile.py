"""Compiling the raw release tables into the catalog's tables: one record per occupation, joined
and cleaned, plus tidy long tables for the many-valued parts.

Input is a :class:`~passionfinder._release.Release`; output is a dict of DataFrames with plain
columns (no objects), ready to be cached as parquet.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._release import RIASEC, WORK_VALUES, snake

if TYPE_CHECKING:
    from ._release import Release

__all__ = ["RIASEC", "WORK_VALUES", "compile_tables"]

logger = logging.getLogger(__name__)

EDUCATION_SCALES = {
    "RL": "education",
    "RW": "related_experience",
    "PT": "on_site_training",
    "OJ": "on_the_job_training",
}


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def _short_label(description: str) -> str:
    """'Bachelor's Degree' from a category description; drops the ' - awarded for ...' tail."""
    return description.split(" - ", 1)[0].strip()


def _pivot_scores(frame: pd.DataFrame, scale: str, names: tuple[str, ...]) -> pd.DataFrame:
    rows = frame[frame["scale_id"] == scale]
    wide = rows.pivot_table(index="onet_soc_code", columns="element_name", values="value",
                            aggfunc="first")
    wide = wide.reindex(columns=list(names)).astype(float)
    wide.columns = [snake(n) for n in names]
    return wide


def _high_points(frame: pd.DataFrame, scale: str, names: tuple[str, ...], letters: bool
                 ) -> pd.Series:
    rows = frame[frame["scale_id"] == scale].copy()
    rows["value"] = _num(rows["value"])
    rows = rows[rows["value"].between(1, len(names))]
    rows["label"] = rows["value"].astype(int).map(
        lambda i: names[i - 1][0] if letters else names[i - 1])
    sep = "" if letters else ", "
    return rows.groupby("onet_soc_code", sort=False)["label"].agg(sep.join)


def _occupations(release: Release, tables: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    occ = tables["occupations"]
    assert occ is not None
    occ = occ.dropna(subset=["onet_soc_code"]).drop_duplicates("onet_soc_code")
    occ = occ.set_index("onet_soc_code").sort_index()
    occ["title"] = occ["title"].str.strip()
    occ["description"] = occ["description"].fillna("").str.strip()
    occ["soc_code"] = occ.index.str[:7]
    occ["soc_major_group"] = occ.index.str[:2] + "-0000"

    families = tables["job_families"]
    if families is not None:
        occ["job_family"] = families.drop_duplicates("onet_soc_code").set_index(
            "onet_soc_code")["job_family"].reindex(occ.index)
    else:
        occ["job_family"] = pd.Series(pd.NA, index=occ.index, dtype="object")

    interests = tables["interests"]
    if interests is not None:
        interests = interests.assign(value=_num(interests["value"]))
        occ = occ.join(_pivot_scores(interests, "OI", RIASEC))
        occ["holland_code"] = _high_points(tables["interests"], "IH", RIASEC, letters=True)
    else:
        for name in RIASEC:
            occ[snake(name)] = np.nan
        occ["holland_code"] = pd.NA

    values = tables["work_values"]
    if values is not None:
        values = values.assign(value=_num(values["value"]))
        occ = occ.join(_pivot_scores(values, "EX", WORK_VALUES))
        occ["work_value_high_points"] = _high_points(tables["work_values"], "VH", WORK_VALUES,
                                                     letters=False)
    else:
        for name in WORK_VALUES:
            occ[snake(name)] = np.nan
        occ["work_value_high_points"] = pd.NA

    zones, zone_ref = tables["job_zones"], tables["job_zone_reference"]
    if zones is not None:
        zone = _num(zones.drop_duplicates("onet_soc_code").set_index("onet_soc_code")["job_zone"])
        occ["job_zone"] = zone.reindex(occ.index).astype("Int64")
    else:
        occ["job_zone"] = pd.array([pd.NA] * len(occ), dtype="Int64")
    if zone_ref is not None:
        ref = zone_ref.assign(job_zone=_num(zone_ref["job_zone"]).astype("Int64"))
        ref = ref.set_index("job_zone")
        occ["job_zone_name"] = occ["job_zone"].map(ref["name"])
    else:
        occ["job_zone_name"] = pd.NA

    occ = occ.join(_education(tables))
    occ = occ.join(_bls(occ, tables))
    major_titles = _major_group_titles(tables)
    occ["soc_major_group_title"] = occ["soc_major_group"].map(major_titles)

    columns = [
        "title", "description", "job_family", "soc_code", "soc_major_group",
        "soc_major_group_title",
        *[snake(n) for n in RIASEC], "holland_code",
        *[snake(n) for n in WORK_VALUES], "work_value_high_points",
        "job_zone", "job_zone_name", *EDUCATION_SCALES.values(),
        "wage_p10", "wage_p25", "wage_median", "wage_p75", "wage_p90", "wage_source",
        "wage_top_coded",
        "employment", "growth_pct", "openings_annual",
        "entry_education", "work_experience", "bls_on_the_job_training",
    ]
    occ = occ[columns]
    occ.index.name = "onet_soc_code"
    for col in occ.columns:
        if occ[col].dtype == object:
            occ[col] = occ[col].astype("string")
    return occ


def _education(tables: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    edu, cats = tables["education"], tables["education_categories"]
    if edu is None or cats is None:
        return pd.DataFrame(columns=list(EDUCATION_SCALES.values()), dtype="string")
    edu = edu[edu["scale_id"].isin(list(EDUCATION_SCALES))].copy()
    edu["value"] = _num(edu["value"])
    edu["category"] = _num(edu["category"])
    # The most common level: highest share; ties go to the lower category.
    edu = edu.sort_values(["onet_soc_code", "scale_id", "value", "category"],
                          ascending=[True, True, False, True])
    top = edu.drop_duplicates(["onet_soc_code", "scale_id"])
    cats = cats.assign(category=_num(cats["category"]))
    cats["label"] = cats["description"].map(_short_label)
    top = top.merge(cats[["scale_id", "category", "label"]], on=["scale_id", "category"],
                    how="left")
    wide = top.pivot(index="onet_soc_code", columns="scale_id", values="label")
    wide = wide.reindex(columns=list(EDUCATION_SCALES)).rename(columns=EDUCATION_SCALES)
    return wide


def _bls(occ: pd.DataFrame, tables: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    out = pd.DataFrame(index=occ.index)
    soc = occ["soc_code"]
    oews = tables["oews"]
    wage_cols = ["wage_p10", "wage_p25", "wage_median", "wage_p75", "wage_p90"]
    if oews is not None:
        level = oews["display_level"].str.strip()
        detailed = oews[level == "3"].drop_duplicates("soc_code").set_index("soc_code")
        # OEWS publishes some detailed occupations only inside their SOC broad group (the
        # code ending in 0, e.g. 13-1020 for 13-1021): use the group's wages for those and
        # say so in wage_source; employment stays detailed-only.
        # (OEWS lists some such groups at the detailed display level, e.g. 31-1120.) An
        # occupation with its own row but no annual wage (hourly only) stays missing.
        broad = oews[level.isin(["2", "3"])].drop_duplicates("soc_code").set_index("soc_code")
        has_detailed = soc.isin(detailed.index)
        broad_code = soc.str[:6] + "0"
        use_broad = ~has_detailed & broad_code.isin(broad.index)
        for col in wage_cols:
            from_detailed = soc.map(_num(detailed[col].str.replace(",", ""))).astype(float)
            from_broad = broad_code.map(_num(broad[col].str.replace(",", ""))).astype(float)
            out[col] = from_detailed.where(~use_broad, from_broad)
        out["wage_source"] = pd.Series(pd.NA, index=occ.index, dtype="string")
        out.loc[has_detailed & out["wage_median"].notna(), "wage_source"] = "detailed occupation"
        out.loc[use_broad & out["wage_median"].notna(), "wage_source"] = "SOC broad group"
        out["employment"] = soc.map(_num(detailed["employment"].str.replace(",", "")))
        # Footnote 5 (or a '#' cell, read as missing) marks a top-coded wage: the true value is
        # at least the top code, so the figure stays missing and the flag says why.
        top = detailed["footnote_annual_median"].fillna("").str.strip().eq("5")
        out["wage_top_coded"] = soc.map(top).astype("boolean")
    else:
        for col in [*wage_cols, "employment"]:
            out[col] = np.nan
        out["wage_source"] = pd.Series(pd.NA, index=occ.index, dtype="string")
        out["wage_top_coded"] = pd.array([pd.NA] * len(out), dtype="boolean")
    proj = tables["projections"]
    if proj is not None:
        proj = proj.drop_duplicates("soc_code").set_index("soc_code")
        out["growth_pct"] = soc.map(_num(proj["growth_pct"])).astype(float)
        out["openings_annual"] = soc.map(_num(proj["openings_k"]) * 1000.0).astype(float)
        out["entry_education"] = soc.map(proj["entry_education"])
        out["work_experience"] = soc.map(proj["work_experience"])
        out["bls_on_the_job_training"] = soc.map(proj["on_the_job_training"])
        if oews is None:
            out["employment"] = soc.map(_num(proj["employment_2024_k"]) * 1000.0)
    else:
        for col in ["growth_pct", "openings_annual"]:
            out[col] = np.nan
        for col in ["entry_education", "work_experience", "bls_on_the_job_training"]:
            out[col] = pd.NA
    out["employment"] = out["employment"].astype(float)
    return out


def _major_group_titles(tables: dict[str, pd.DataFrame | None]) -> dict[str, str]:
    oews = tables["oews"]
    if oews is None:
        return {}
    majors = oews[oews["soc_code"].str.endswith("-0000") & (oews["soc_code"] != "00-0000")]
    return dict(zip(majors["soc_code"], majors["name"].str.strip(), strict=False))


def _rated_elements(frame: pd.DataFrame | None, codes: pd.Index, elements: pd.DataFrame | None,
                    scales: dict[str, str]) -> pd.DataFrame | None:
    """Skills / knowledge / styles / activities: one row per (occupation, element)."""
    if frame is None:
        return None
    frame = frame[frame["onet_soc_code"].isin(codes) & frame["scale_id"].isin(list(scales))]
    frame = frame.assign(value=_num(frame["value"]))
    wide = frame.pivot_table(index=["onet_soc_code", "element_id", "name"], columns="scale_id",
                             values="value", aggfunc="first").reset_index()
    wide.columns.name = None
    for scale in scales:
        if scale not in wide.columns:
            wide[scale] = np.nan
    wide = wide.rename(columns=scales)
    if "suppress" in frame.columns:
        sup = frame[frame["suppress"].fillna("N").eq("Y")]
        flagged = set(zip(sup["onet_soc_code"], sup["element_id"], strict=False))
        wide["suppressed"] = [
            (c, e) in flagged for c, e in zip(wide["onet_soc_code"], wide["element_id"],
                                               strict=False)
        ]
    if elements is not None:
        desc = elements.drop_duplicates("element_id").set_index("element_id")["description"]
        wide["description"] = wide["element_id"].map(desc)
    else:
        wide["description"] = pd.NA
    first = next(iter(scales.values()))
    wide = wide.sort_values(["onet_soc_code", first, "name"], ascending=[True, False, True])
    return wide.reset_index(drop=True)


def _tasks(tables: dict[str, pd.DataFrame | None], codes: pd.Index) -> pd.DataFrame | None:
    tasks = tables["tasks"]
    if tasks is None:
        return None
    tasks = tasks[tasks["onet_soc_code"].isin(codes)].dropna(subset=["task"]).copy()
    tasks["task"] = tasks["task"].str.strip()
    tasks["task_id"] = _num(tasks["task_id"]).astype("Int64")
    # 'n/a' in the release means the task was not rated core or supplemental: keep it missing,
    # and order it with the core tasks.
    tasks["is_core"] = tasks["task_type"].ne("Supplemental")
    tasks["release_order"] = np.arange(len(tasks))
    ratings = tables["task_ratings"]
    if ratings is not None:
        imp = ratings[ratings["scale_id"] == "IM"].assign(
            task_id=lambda f: _num(f["task_id"]).astype("Int64"), importance=lambda f: _num(f["value"]))
        tasks = tasks.merge(imp[["onet_soc_code", "task_id", "importance"]].drop_duplicates(
            ["onet_soc_code", "task_id"]), on=["onet_soc_code", "task_id"], how="left")
    else:
        tasks["importance"] = np.nan
    # Core before supplemental; within each, rated importance (when the release has it),
    # then the release's own order.
    tasks = tasks.sort_values(["onet_soc_code", "is_core", "importance", "release_order"],
                              ascending=[True, False, False, True], na_position="last")
    return tasks[["onet_soc_code", "task_id", "task", "task_type", "is_core", "importance"]
                 ].reset_index(drop=True)


def _titles(frame: pd.DataFrame | None, codes: pd.Index, extra: list[str]) -> pd.DataFrame | None:
    if frame is None:
        return None
    frame = frame[frame["onet_soc_code"].isin(codes)].dropna(subset=["title"]).copy()
    frame["title"] = frame["title"].str.strip()
    frame = frame.drop_duplicates(["onet_soc_code", "title"])
    # Grouped by code (Catalog slices long tables by binary search), release order within.
    frame = frame.sort_values("onet_soc_code", kind="stable")
    return frame[["onet_soc_code", "title", *extra]].reset_index(drop=True)


def _yes(series: pd.Series) -> pd.Series:
    return series.fillna("N").str.strip().eq("Y")


def compile_tables(release: Release) -> dict[str, pd.DataFrame]:
    """Read every table of ``release`` and compile the catalog tables.

    Returns a dict with ``occupations`` (indexed by ``onet_soc_code``) and long tables
    (``tasks``, ``alternate_titles``, ``reported_titles``, ``skills``, ``knowledge``,
    ``work_styles``, ``technology_skills``, ``tools``, ``related``, ...). Tables whose source
    file is absent are left out.
    """
    from ._release import TABLES

    raw = {name: release.read(name) for name in TABLES}
    occ = _occupations(release, raw)
    codes = occ.index
    elements = raw["elements"]
    out: dict[str, pd.DataFrame | None] = {"occupations": occ}
    out["tasks"] = _tasks(raw, codes)
    out["alternate_titles"] = _titles(raw["alternate_titles"], codes, ["short_title"])
    reported = raw["reported_titles"]
    if reported is not None:
        reported = reported.assign(shown_in_my_next_move=_yes(reported["shown_in_my_next_move"]))
    out["reported_titles"] = _titles(reported, codes, ["shown_in_my_next_move"])
    levels = {"IM": "importance", "LV": "level"}
    out["skills"] = _rated_elements(raw["skills"], codes, elements, levels)
    out["knowledge"] = _rated_elements(raw["knowledge"], codes, elements, levels)
    out["abilities"] = _rated_elements(raw["abilities"], codes, elements, levels)
    out["work_activities"] = _rated_elements(raw["work_activities"], codes, elements, levels)
    out["work_styles"] = _rated_elements(
        raw["work_styles"], codes, elements, {"WI": "impact", "DR": "distinctiveness"})
    context = raw["work_context"]
    if context is not None:
        context = context[context["category"].isna()]  # the 1-5 'CX' summary rows
        out["work_context"] = _rated_elements(context, codes, elements, {"CX": "context",
                                                                          "CT": "context_3"})
    tech = raw["technology_skills"]
    if tech is not None:
        tech = tech[tech["onet_soc_code"].isin(codes)].dropna(subset=["example"])
        tech = tech.assign(hot=_yes(tech["hot"]), in_demand=_yes(tech["in_demand"]))
        out["technology_skills"] = tech.sort_values(
            ["onet_soc_code", "in_demand", "hot", "example"],
            ascending=[True, False, False, True]).reset_index(drop=True)
    tools = raw["tools"]
    if tools is not None:
        out["tools"] = tools[tools["onet_soc_code"].isin(codes)].dropna(
            subset=["example"]).sort_values("onet_soc_code", kind="stable").reset_index(drop=True)
    related = raw["related"]
    if related is not None:
        related = related[related["onet_soc_code"].isin(codes)
                          & related["related_code"].isin(codes)].copy()
        related["rank"] = _num(related["rank"]).astype("Int64")
        related = related.sort_values(["onet_soc_code", "rank"])
        out["related"] = related.reset_index(drop=True)
    if elements is not None:
        out["elements"] = elements.drop_duplicates("element_id").reset_index(drop=True)
    if raw["job_zone_reference"] is not None:
        ref = raw["job_zone_reference"]
        out["job_zone_reference"] = ref.assign(
            job_zone=_num(ref["job_zone"]).astype("Int64")).reset_index(drop=True)
    for name in ("riasec_activities", "riasec_keywords"):
        if raw[name] is not None:
            out[name] = raw[name].reset_index(drop=True)
    return {name: frame for name, frame in out.items() if frame is not None}
