"""Starter steps: concrete, occupation-specific advice for each recommendation, written by the
project's own templates from catalog fields only (deterministic, no text generation model).

Six kinds, one per piece of the advice passionfinder operationalises: *try* a small version of
the work, *learn* what matters most, *train* for the realistic path in, *connect* with people
who do it, *explore* neighbouring roles, and see how it serves your *values*.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ._catalog import Catalog
    from ._results import ValueContribution

__all__ = ["STEP_KINDS", "StarterStep", "StepWriter"]

#: The kinds of starter step, in the order they are listed.
STEP_KINDS: tuple[str, ...] = ("try", "learn", "train", "connect", "explore", "values")

# How big the step into the occupation is, by O*NET job zone (the release merges zones 1-2).
_ZONE_SIZE = {
    1: "a short step: weeks to a few months of on-the-job learning",
    2: "a short step: weeks to a few months of on-the-job learning",
    3: "a medium step: usually one to two years of training, an apprenticeship or an "
       "associate's degree",
    4: "a considerable step: usually about four years, typically a bachelor's degree",
    5: "a long step: usually five or more years, typically a graduate or professional degree",
}
# A small way to sample the work, by the occupation's first Holland letter.
_TRY_BY_TYPE = {
    "R": "as a hands-on weekend project",
    "I": "as a small research or analysis project with data you can find online",
    "A": "as one small piece you make and show to someone",
    "S": "as a volunteer for an afternoon",
    "E": "by organising one small thing yourself — an event, a sale, a pitch",
    "C": "by setting up the records, budget or schedule for something you already do",
}
# Tasks that start like this are not something to try on your own in a week: they direct
# people, make decisions about others, or need a licence.
_NOT_TO_TRY = ("supervise", "direct", "oversee", "manage", "negotiate", "counsel", "administer",
               "diagnose", "prescribe", "treat", "recruit", "hire", "evaluate", "euthanize",
               "perform surgery", "authorize", "approve", "plan, direct", "coordinate")
# Words that make a task hazardous to try without training.
_HAZARDS = ("saw", "weapon", "explosive", "firearm", "chemical", "electrical", "voltage",
            "crane", "aircraft", "vehicle", "drive", "fell", "blast", "toxic", "weld", "fire")
# SOC major groups whose work is licensed, dangerous or military: observe, don't try.
_OBSERVE_GROUPS = ("29-", "33-", "55-")

# Skills too general to ask a practitioner about.
_GENERIC_SKILLS = frozenset({"English Language", "Customer and Personal Service",
                             "Active Listening", "Speaking", "Reading Comprehension",
                             "Writing"})

# One informational-interview question per value, about how the work serves it.
_VALUE_QUESTION = {
    "achievement": "Which part of the work gives you the strongest sense of accomplishment?",
    "working conditions": "What are the hours, the pace and the workplace really like?",
    "recognition": "How do people advance here, and what earns respect in this field?",
    "relationships": "Who do you work with every day, and how much of the work is done as a "
                     "team?",
    "support": "How were you trained when you started, and who backs you up when something "
               "goes wrong?",
    "independence": "How much say do you have over how and when you do your work?",
    "creativity": "Where in your week do you get to come up with something new?",
    "helping others": "Who does your work help, and how do you see the difference it makes?",
    "innovation": "What has changed in how this work is done in the last few years, and who "
                  "drives that change?",
    "financial security": "How steady is the work and the pay, and how does pay grow with "
                          "experience?",
    "job security": "Is demand for this work growing where you are, and what could change "
                    "that?",
    "leadership": "When do people in this role get to lead others or a project?",
    "variety": "How different is one week from the next?",
    "good pay": "What separates the people who earn the most in this field?",
    "work-life balance": "How predictable are your hours, and how often does work follow you "
                         "home?",
}


@dataclass(frozen=True)
class StarterStep:
    """One concrete step: ``kind`` (one of :data:`STEP_KINDS`), the ``text`` to show, and the
    catalog fields it was written from (``sources``), so every claim can be traced."""

    kind: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class _Facts:
    """What the templates need about one occupation, gathered once."""

    title: str
    holland: str | None
    core_tasks: tuple[str, ...]
    important: tuple[str, ...]  # up to four skills / knowledge areas of importance >= 3 of 5
    specific_skill: str | None  # the most important one that is not a generic skill
    demanded: tuple[str, ...]  # technology in demand in its postings, not generic office tools
    tools: tuple[str, ...]
    titles: tuple[str, ...]  # reported titles shown in My Next Move first, then alternates
    related: tuple[int, ...]  # rows of related occupations, closest tier first
    job_zone: int | None
    entry_education: str | None
    work_experience: str | None
    on_the_job_training: str | None
    wage_median: float | None
    soc_group: str  # SOC minor group, e.g. '49-30', for neighbours when nothing is related


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text if text and text.lower() not in ("nan", "<na>", "none") else None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _join(items: Sequence[str]) -> str:
    """'a, b and c'; with semicolons when a name has its own 'and' or comma."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if any(" and " in i or "," in i for i in items):
        return "; ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _money(value: float | None) -> str | None:
    return None if value is None or math.isnan(value) else f"${value:,.0f}"


class StepWriter:
    """Writes the starter steps of recommendations from one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        occ = catalog.occupations
        self._codes = list(occ.index)
        self._row = {code: i for i, code in enumerate(self._codes)}
        wages = occ["wage_median"].to_numpy(dtype=float)
        self._wage_middle = float(np.nanmedian(wages)) if np.isfinite(wages).any() else None

    @cached_property
    def _soc_groups(self) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for r, code in enumerate(self._codes):
            groups.setdefault(code[:5], []).append(r)
        return groups

    @cached_property
    def _descriptions(self) -> list[str | None]:
        return [_text(d) for d in self.catalog.occupations["description"].tolist()]

    @cached_property
    def _tech_count(self) -> dict[str, int]:
        """How many occupations list each technology (Microsoft Excel: hundreds)."""
        table = self.catalog.technology_skills
        if table is None:
            return {}
        return table.groupby("example")["onet_soc_code"].nunique().to_dict()

    @cached_property
    def facts(self) -> list[_Facts]:
        """Per occupation (catalog row order), the fields the templates use."""
        catalog, occ = self.catalog, self.catalog.occupations
        n = len(occ)

        def grouped(table, *columns):  # type: ignore[no-untyped-def]
            out: list[list[tuple]] = [[] for _ in range(n)]
            if table is None:
                return out
            rows = table["onet_soc_code"].map(self._row).to_numpy()
            values = zip(*(table[c].tolist() for c in columns), strict=True)
            for r, v in zip(rows, values, strict=True):
                out[r].append(v)
            return out

        tasks = grouped(catalog.tasks, "task", "task_type")
        skills = grouped(catalog.skills, "name", "importance")
        knowledge = grouped(catalog.knowledge, "name", "importance")
        tech = grouped(catalog.technology_skills, "example", "hot", "in_demand")
        tools = grouped(catalog.tools, "example")
        reported = grouped(catalog.reported_titles, "title", "shown_in_my_next_move")
        alternate = grouped(catalog.alternate_titles, "title")
        related = grouped(catalog.related, "related_code")
        facts = []
        for r, code in enumerate(self._codes):
            row = occ.iloc[r]
            rated = [(name, float(imp)) for name, imp in skills[r] + knowledge[r]
                     if imp is not None and not math.isnan(float(imp))]
            rated.sort(key=lambda x: -x[1])
            rated = list({name: imp for name, imp in reversed(rated)}.items())  # one per name
            rated.sort(key=lambda x: -x[1])
            seen: dict[str, None] = {}
            for title, _shown in sorted(reported[r], key=lambda x: not x[1]):
                seen.setdefault(title, None)
            for (title,) in alternate[r]:
                seen.setdefault(title, None)
            own = str(row["title"]).casefold()
            titles = tuple(t for t in seen if t.casefold() != own)
            zone = row["job_zone"]
            facts.append(_Facts(
                title=str(row["title"]),
                holland=_text(row["holland_code"]),
                core_tasks=tuple(t for t, kind in tasks[r] if kind != "Supplemental"),
                important=tuple(name for name, imp in rated if imp >= 3.0)[:4],
                specific_skill=next((name for name, _ in rated if name not in _GENERIC_SKILLS),
                                    None),
                # "In demand" is flagged per occupation ("hot" counts all job postings);
                # software a quarter of all occupations list says little about this one.
                demanded=tuple(e for e, _, d in tech[r]
                               if d and self._tech_count.get(e, 0) < n // 4),
                tools=tuple(dict.fromkeys(t for (t,) in tools[r])),
                titles=titles,
                related=tuple(self._row[c] for (c,) in related[r] if c in self._row),
                job_zone=None if _text(zone) is None else int(zone),
                entry_education=_text(row["entry_education"]),
                work_experience=_text(row["work_experience"]),
                on_the_job_training=_text(row["bls_on_the_job_training"]),
                wage_median=None if math.isnan(float(row["wage_median"]))
                else float(row["wage_median"]),
                soc_group=code[:5],
            ))
        return facts

    # -- the six kinds -----------------------------------------------------------------------
    def steps(self, o: int, *, matched_task: str | None = None,
              strengths_given: bool = False, covered: frozenset[str] = frozenset(),
              values: Sequence[ValueContribution] = (),
              listed: Sequence[int] = (), titles: Sequence[str] | None = None
              ) -> tuple[StarterStep, ...]:
        """The starter steps of occupation row ``o`` for one person.

        ``matched_task`` is the task that best matched their interests; ``covered`` the
        names of skills and knowledge areas their stated strengths already cover;
        ``values`` their value contributions for this occupation; ``listed`` the rows of
        the other recommendations (mentioned, not repeated, in *explore*); ``titles`` the
        occupation's job titles closest to the person's words (else the reported titles).
        """
        f = self.facts[o]
        out = [
            self._try(o, f, matched_task),
            self._learn(f, strengths_given, covered),
            self._train(f),
            self._connect(f, matched_task, values, titles),
            self._explore(o, f, listed),
            self._values(f, values),
        ]
        return tuple(step for step in out if step is not None)

    def _try(self, o: int, f: _Facts, matched_task: str | None) -> StarterStep | None:
        options = (*(() if matched_task is None else (matched_task,)), *f.core_tasks)
        task = next((t for t in options if not t.lower().startswith(_NOT_TO_TRY)), None)
        how = _TRY_BY_TYPE.get((f.holland or "R")[0], _TRY_BY_TYPE["R"])
        if task:
            lowered = task.lower()
            observe = (self._codes[o].startswith(_OBSERVE_GROUPS) or (f.job_zone or 0) >= 5
                       or any(word in lowered for word in _HAZARDS))
            if observe:
                text = (f"Ask to shadow someone in this work for a day — through a local "
                        f"employer, a training programme or a recruiter — and watch them "
                        f"{_lower_first(task.rstrip('.'))}.")
            else:
                text = (f"Try a small version of the real work this week, {how}: "
                        f"{_lower_first(task.rstrip('.'))}.")
            return StarterStep("try", text, ("tasks", "holland_code", "job_zone"))
        description = self._descriptions[o]
        if not description or description.lower().startswith("all "):
            return None  # a catch-all group ("All ... not listed separately") has no one task
        first = description.split(". ")[0].rstrip(".")
        return StarterStep("try", f"Try a small version of the work, {how}: "
                                  f"{_lower_first(first)}.", ("description", "holland_code"))

    def _learn(self, f: _Facts, strengths_given: bool, covered: frozenset[str]
               ) -> StarterStep | None:
        important = list(f.important)
        hot = list(f.demanded[:3])
        tools = [] if hot or (f.job_zone or 2) > 2 else list(f.tools[:3])
        if not important and not hot and not tools:
            return None
        parts, sources = [], []
        if important:
            parts.append(f"What matters most in this work: {_join(important[:3])}.")
            sources.append("skills, knowledge (importance)")
            if strengths_given:
                gaps = [name for name in important if name not in covered][:2]
                have = [name for name in important if name in covered][:2]
                if have:
                    parts.append(f"Your strengths already point to {_join(have)}.")
                if gaps:
                    parts.append(f"To build next: {_join(gaps)}.")
        if hot:
            parts.append(f"Technology in demand in this work's job postings: {_join(hot)}.")
            sources.append("technology_skills")
        if tools:
            parts.append(f"Tools to get your hands on: {_join(tools)}.")
            sources.append("tools")
        return StarterStep("learn", " ".join(parts), tuple(sources))

    def _train(self, f: _Facts) -> StarterStep | None:
        parts, sources = [], []
        if f.job_zone in _ZONE_SIZE:
            parts.append(f"The way in is {_ZONE_SIZE[f.job_zone]} (O*NET job zone "
                         f"{f.job_zone}).")
            sources.append("job_zone")
        facts = []
        if f.entry_education:
            facts.append(f"typical entry education: {f.entry_education.lower()}")
        if f.work_experience and f.work_experience != "None":
            facts.append(f"related work experience: {f.work_experience.lower()}")
        if f.on_the_job_training and f.on_the_job_training != "None":
            facts.append(f"training on the job: {f.on_the_job_training.lower()}")
        if facts:
            parts.append("BLS: " + "; ".join(facts) + ".")
            sources.append("entry_education, work_experience, bls_on_the_job_training")
        if not parts:
            return None
        return StarterStep("train", " ".join(parts), tuple(sources))

    def _connect(self, f: _Facts, matched_task: str | None,
                 values: Sequence[ValueContribution], titles: Sequence[str] | None = None
                 ) -> StarterStep | None:
        own = f.title.casefold()
        names = [t for t in (titles or ()) if t.casefold() != own][:3] or list(f.titles[:3])
        who = (f"people who work as {_join(names)}" if names else
               f"people who work as {f.title.lower()}")
        task = matched_task or (f.core_tasks[0] if f.core_tasks else None)
        questions = []
        if task:
            questions.append(f"How much of your week goes to this: "
                             f"\"{_lower_first(task.rstrip('.'))}\"?")
        for vc in sorted(values, key=lambda v: -v.weight)[:1]:
            question = _VALUE_QUESTION.get(vc.value)
            if question:
                questions.append(question)
        if f.specific_skill:
            questions.append(f"How did you build your \"{f.specific_skill}\" know-how, and "
                             f"what would you learn first if you started again?")
        questions.append("What surprised you most when you started?")
        asked = " ".join(f"({i}) {q}" for i, q in enumerate(questions[:3], start=1))
        where = ("a professional association, a university department, or someone who can "
                 "introduce you"
                 if (f.job_zone or 0) >= 4 else
                 "a local business, a union or trade association, or a community college "
                 "programme")
        return StarterStep("connect",
                           f"Find {who} (through {where}) and ask for twenty minutes. "
                           f"Ask: {asked}",
                           ("reported_titles, alternate_titles", "tasks", "skills"))

    def _explore(self, o: int, f: _Facts, listed: Sequence[int]) -> StarterStep | None:
        neighbours = [r for r in f.related if r != o][:6]
        source = "related"
        if not neighbours:
            neighbours = [r for r in self._soc_groups.get(f.soc_group, ()) if r != o][:6]
            source = "SOC group"
        fresh = [r for r in neighbours if r not in listed][:2]
        if not fresh:
            return None
        lines = []
        for r in fresh:
            other = self.facts[r]
            lines.append(f"{other.title} ({self._difference(f, other)})")
        return StarterStep("explore", "Neighbouring roles worth a look: " + "; ".join(lines)
                           + ".", (source, "job_zone", "wage_median", "tasks"))

    def _difference(self, f: _Facts, other: _Facts) -> str:
        notes = []
        if f.job_zone and other.job_zone and f.job_zone != other.job_zone:
            notes.append("needs more preparation" if other.job_zone > f.job_zone
                         else "needs less preparation")
        a, b = f.wage_median, other.wage_median
        if a and b and abs(b - a) / a >= 0.1:
            notes.append(f"median pay {_money(b)} against {_money(a)}")
        if other.core_tasks:
            notes.append(f"e.g. \"{_lower_first(other.core_tasks[0].rstrip('.'))}\"")
        return "; ".join(notes) if notes else "similar preparation and pay"

    def _values(self, f: _Facts, values: Sequence[ValueContribution]) -> StarterStep | None:
        if not values:
            return None
        parts = []
        for vc in values:
            if vc.score is None:
                parts.append(f"{vc.value}: no data for this occupation")
                continue
            verdict = ("a strong fit" if vc.score >= 2 / 3 else
                       "about average" if vc.score >= 1 / 3 else "a weak spot")
            parts.append(f"{vc.value} — {verdict} ({vc.detail})")
        if f.wage_median is not None and self._wage_middle and any(
                vc.value in ("financial security", "good pay") for vc in values):
            ratio = f.wage_median / self._wage_middle
            if ratio < 0.9:
                parts.append("note that its median pay is below that of most occupations")
        return StarterStep("values", "How it serves what matters to you: " + "; ".join(parts)
                           + ".", ("work values, work styles, BLS wages and projections",))
