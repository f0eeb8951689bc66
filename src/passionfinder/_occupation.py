"""Typed, frozen records of one occupation, as ``catalog["15-1252.00"]`` returns them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Occupation", "Rating", "RelatedOccupation", "Task", "TechnologySkill"]

@dataclass(frozen=True)
class Task:
    """One task statement; ``task_type`` is 'Core', 'Supplemental' or None (not rated)."""

    task_id: int | None
    text: str
    task_type: str | None


@dataclass(frozen=True)
class Rating:
    """A rated element (skill, knowledge area, work style) of one occupation.

    ``importance`` is O*NET's importance (1-5) for skills and knowledge, and the work-style
    impact (-3 to 3) for work styles; ``level`` is the level (0-7), or the work-style
    distinctiveness rank (0-10).
    """

    element_id: str
    name: str
    importance: float | None
    level: float | None
    description: str | None


@dataclass(frozen=True)
class TechnologySkill:
    """A piece of software or technology used in the occupation."""

    example: str
    commodity_title: str | None
    hot: bool
    in_demand: bool


@dataclass(frozen=True)
class RelatedOccupation:
    """A related occupation: ``tier`` is 'Primary-Short', 'Primary-Long' or 'Supplemental'."""

    onet_soc_code: str
    title: str
    tier: str | None
    rank: int | None


def _frozen(mapping: Mapping[str, float | None]) -> Mapping[str, float | None]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Occupation:
    """One O*NET-SOC occupation with everything the catalog knows about it.

    Missing figures are ``None`` (never 0): an occupation without a BLS wage row has
    ``wage_median is None``. ``wage_source`` says whether the wages are the occupation's own
    ('detailed occupation') or its SOC broad group's ('SOC broad group').
    """

    onet_soc_code: str
    title: str
    description: str
    job_family: str | None
    soc_code: str
    soc_major_group: str
    soc_major_group_title: str | None
    riasec: Mapping[str, float | None]
    holland_code: str | None
    work_values: Mapping[str, float | None]
    work_value_high_points: tuple[str, ...]
    job_zone: int | None
    job_zone_name: str | None
    education: str | None
    related_experience: str | None
    on_site_training: str | None
    on_the_job_training: str | None
    wage_p10: float | None
    wage_p25: float | None
    wage_median: float | None
    wage_p75: float | None
    wage_p90: float | None
    wage_source: str | None
    wage_top_coded: bool | None
    employment: float | None
    growth_pct: float | None
    openings_annual: float | None
    entry_education: str | None
    work_experience: str | None
    bls_on_the_job_training: str | None
    tasks: tuple[Task, ...] = field(default=(), repr=False)
    alternate_titles: tuple[str, ...] = field(default=(), repr=False)
    reported_titles: tuple[str, ...] = field(default=(), repr=False)
    skills: tuple[Rating, ...] = field(default=(), repr=False)
    knowledge: tuple[Rating, ...] = field(default=(), repr=False)
    work_styles: tuple[Rating, ...] = field(default=(), repr=False)
    technology_skills: tuple[TechnologySkill, ...] = field(default=(), repr=False)
    tools: tuple[str, ...] = field(default=(), repr=False)
    related: tuple[RelatedOccupation, ...] = field(default=(), repr=False)

    def __hash__(self) -> int:
        return hash(self.onet_soc_code)

    def __repr__(self) -> str:
        return f"<Occupation {self.onet_soc_code} {self.title}>"

    @property
    def core_tasks(self) -> tuple[Task, ...]:
        """Tasks not marked supplemental, in catalog order."""
        return tuple(t for t in self.tasks if t.task_type != "Supplemental")
