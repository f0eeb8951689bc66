"""Starter steps: concrete, occupation-specific advice for each recommendation, written by the
project's own templates from catalog fields only (deterministic, no text generation model).

Six kinds, one per piece of the advice passionfinder operationalises: *try* a small version of
the work, *learn* what matters most, *train* for the realistic path in, *connect* with people
who do it, *explore* neighbouring roles, and see how it serves your *values*.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import math
import os
import re
import warnings
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ._cache import CacheError, CacheStore
from ._config import get_cache_home
from ._errors import CacheWarning, caller_stacklevel
from ._exact import median
from ._step_rules import (
    ROUTES,
    MiniProject,
    OccupationRules,
    StepRules,
    askable,
    has_topic,
    hazardous,
    own_title_names,
    project_for,
    quoted_task,
    short_task,
    topic_share,
    triable,
)
from ._summary import load_summary

if TYPE_CHECKING:
    from ._catalog import Catalog
    from ._results import ValueContribution

__all__ = ["STEP_KINDS", "StarterStep", "StepWriter"]

#: The kinds of starter step, in the order they are listed.
STEP_KINDS: tuple[str, ...] = ("try", "learn", "train", "connect", "explore", "values")

_T = TypeVar("_T")

#: steps kept per kind by StepWriter (a kept step is a few hundred bytes)
MEMO_SIZE = 20_000
#: Bump when what compile_facts gathers changes, so cached step facts are compiled again
#: (a change of the _Facts fields, or any edit to the rules in _step_rules.py, does so by
#: itself).
FACTS_VERSION = 2

logger = logging.getLogger(__name__)

# How much preparation the work takes, in the words of O*NET's job zones (the release merges
# zones 1-2).
_ZONE_SIZE = {
    1: "little or some preparation: usually a few months to a year of learning on the job "
       "from experienced workers",
    2: "little or some preparation: usually a few months to a year of learning on the job "
       "from experienced workers",
    3: "medium preparation: usually one to two years of training, such as an apprenticeship, "
       "a vocational programme or an associate's degree",
    4: "considerable preparation: usually a bachelor's degree, about four years of study",
    5: "extensive preparation: usually a graduate or professional degree, five or more years "
       "of study",
}
# BLS typical entry education, in order, and the range of it each job zone implies: outside
# that range the two sources disagree, and the train step says so.
_EDUCATION_LEVEL = {
    "no formal educational credential": 0, "high school diploma or equivalent": 1,
    "some college, no degree": 2, "postsecondary nondegree award": 2, "associate's degree": 3,
    "bachelor's degree": 4, "master's degree": 5, "doctoral or professional degree": 6,
}
_ZONE_EDUCATION = {1: (0, 2), 2: (0, 2), 3: (1, 3), 4: (4, 4), 5: (5, 6)}
_EDUCATION_PHRASE = {
    "no formal educational credential": "no formal credential",
    "high school diploma or equivalent": "a high school diploma or equivalent",
    "some college, no degree": "some college but no degree",
    "postsecondary nondegree award": "a postsecondary certificate (a non-degree award)",
    "associate's degree": "an associate's degree",
    "bachelor's degree": "a bachelor's degree",
    "master's degree": "a master's degree",
    "doctoral or professional degree": "a doctoral or professional degree",
}
_BLS = "the Bureau of Labor Statistics (BLS)"
# BLS's categories in plain words (short-term: a month or less; moderate-term: one to twelve
# months; long-term: more than a year).
_TRAINING_PHRASE = {
    "short-term on-the-job training": "a month or less of training on the job",
    "moderate-term on-the-job training": "one to twelve months of training on the job",
    "long-term on-the-job training": "more than a year of training on the job",
    "apprenticeship": "an apprenticeship",
    "internship/residency": "an internship or residency",
}
_EXPERIENCE_PHRASE = {
    "less than 5 years": "some related work experience (less than five years)",
    "5 years or more": "five or more years of related work experience",
}

# For clerical work whose own tasks are someone else's records.
_RECORDS_PROJECT = MiniProject(
    "organise", "set up a filing system for your own papers or a club's (bills, letters, "
                "forms), with a simple index in a free spreadsheet so anyone could find an item",
    "an evening", "the index and your system written as three rules")
# Why a route replaces shadowing, said once before it ({titles}: the occupation's title).
_ROUTE_LEAD = {
    "legal": "Much of this work happens in chambers and offices closed to visitors, but court "
             "hearings are public. ",
    "confidential": "Sessions with clients are confidential and closed to observers. ",
    "school": "Work with pupils is confidential and closed to observers. ",
    "clinical": "Work with patients is clinical and confidential, so it is no place to "
                "watch or try as a beginner. ",
    "care": "Personal care needs training and the person's consent, so start around it. ",
    "emergency": "Emergencies are no place for visitors. ",
    "animal": "Treating animals needs training, but caring for them does not. ",
    "hazardous": "This work is hazardous without training, so see it safely first. ",
    "road": "Driving for work needs a licence, but the rules are public. ",
    "water": "Working a vessel needs training and a licence, but safety courses are open to "
             "anyone. ",
    "air": "Flying needs a licence, but ground school is open to anyone. ",
    "rail": "Railway work needs training and clearance, but railways welcome visitors. ",
    "welding": "This work is hazardous without training, so try it under supervision. ",
    "outdoors": "This work is hazardous without training, but its safety courses are open to "
                "anyone. ",
    "wildlife": "Enforcement is no place for visitors, but conservation work is. ",
    "interview": "",
    "lead": "",
    "military": "",
}

# Skills too general to ask a practitioner about or to suggest as a gap: everyone uses them,
# and nothing in a profile says whether a person has them.
_GENERIC_SKILLS = frozenset({"English Language", "Customer and Personal Service",
                             "Active Listening", "Speaking", "Reading Comprehension",
                             "Writing", "Critical Thinking", "Monitoring", "Active Learning",
                             "Complex Problem Solving", "Judgment and Decision Making",
                             "Time Management", "Coordination", "Service Orientation"})
# Technology names too short to read on their own ("R", "C").
_SHORT_NAME = 3

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
    code: str
    holland: str | None
    description: str | None  # its first sentence
    catch_all: bool  # an "All Other" group: the occupations not listed separately
    core_tasks: tuple[str, ...]
    task_words: frozenset[str]  # content words of its core tasks, to tell neighbours apart
    important: tuple[str, ...]  # up to four skills / knowledge areas of importance >= 3 of 5,
    #                             specific ones before the generic ones
    specific_skill: str | None  # the most important one that is not a generic skill
    demanded: tuple[str, ...]  # technology in demand in its postings, not generic office tools
    tools: tuple[str, ...]  # the tools its tasks mention first, then the rest
    titles: tuple[str, ...]  # reported titles shown in My Next Move first, then alternates
    related: tuple[int, ...]  # rows of related occupations, closest tier first
    job_zone: int | None
    entry_education: str | None
    work_experience: str | None
    on_the_job_training: str | None
    wage_median: float | None
    soc_group: str  # SOC minor group, e.g. '49-30', for neighbours when nothing is related
    rules: OccupationRules  # what the step rules decide about it (_step_rules)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text if text and text.lower() not in ("nan", "<na>", "none") else None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _join(items: Sequence[str], last: str = "and") -> str:
    """'a, b and c'; 'a and b, and c' when a name has its own 'and' or 'or'; semicolons when
    a name has its own comma."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if any("," in i for i in items):
        return "; ".join(items[:-1]) + f"; {last} " + items[-1]
    if any(" and " in i or " or " in i for i in items):
        return ", ".join(items[:-1]) + f", {last} " + items[-1]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _money(value: float | None) -> str | None:
    return None if value is None or math.isnan(value) else f"${value:,.0f}"


_WORD = re.compile(r"[a-z][a-z'-]*")


# The step texts are built from a fixed catalog, so the same task and tool texts come back for
# every person: their word lists and checks are computed once.
@functools.lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


@functools.lru_cache(maxsize=1 << 16)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _words(text) if len(w) >= 4)


def _mentioned(tool: str, task_text: str) -> int:
    """2 when the tasks name the tool's kind ("saws" in "chain saw operation"), 1 when they
    name another of its words, else 0."""
    words = [w for w in _words(tool) if len(w) >= 3]
    if not words:
        return 0

    def named(word: str) -> bool:
        stem = word[:-1] if word.endswith("s") and len(word) > 3 else word
        return _word_start(stem[:6]).search(task_text) is not None

    return 2 if named(words[-1]) else int(any(named(w) for w in words[:-1]))


@functools.lru_cache(maxsize=1 << 16)
def _word_start(prefix: str) -> re.Pattern[str]:
    """A pattern finding ``prefix`` at the start of a word (compiled once per prefix)."""
    return re.compile(rf"\b{re.escape(prefix)}")


def _is_catch_all(title: str, description: str | None) -> bool:
    return title.endswith("All Other") or bool(
        description and description.lower().startswith("all ")
        and "not listed separately" in description.lower())


def _listed_by(table: Any, column: str) -> dict[str, int]:
    """How many occupations list each entry of ``column`` (Microsoft Excel: hundreds)."""
    if table is None:
        return {}
    return table.groupby(column)["onet_soc_code"].nunique().to_dict()


def compile_facts(catalog: Catalog) -> list[_Facts]:
    """Per occupation (catalog row order), the fields the templates use.

    Work over the whole catalog (about a second for O*NET): done once per catalog and cached
    (:func:`load_facts`), never on a recommendation.
    """
    occ = catalog.occupations
    n = len(occ)
    codes = list(occ.index)
    row_of = {code: i for i, code in enumerate(codes)}
    step_rules = StepRules(catalog)
    tech_count = _listed_by(catalog.technology_skills, "example")
    tool_count = _listed_by(catalog.tools, "example")

    def grouped(table, *columns):
        out: list[list[tuple[Any, ...]]] = [[] for _ in range(n)]
        if table is None:
            return out
        rows = table["onet_soc_code"].map(row_of).to_numpy()
        values = zip(*(table[c].tolist() for c in columns), strict=True)
        for r, v in zip(rows, values, strict=True):
            out[r].append(v)
        return out

    tasks = grouped(catalog.tasks, "task", "task_type")
    skills = grouped(catalog.skills, "name", "importance")
    knowledge = grouped(catalog.knowledge, "name", "importance")
    tech = grouped(catalog.technology_skills, "example", "commodity_title", "in_demand")
    tools = grouped(catalog.tools, "example")
    reported = grouped(catalog.reported_titles, "title", "shown_in_my_next_move")
    alternate = grouped(catalog.alternate_titles, "title")
    related = grouped(catalog.related, "related_code")
    descriptions = occ["description"].tolist()
    # whole columns, not a row Series per occupation (a row of mixed types is slow to make)
    column = {name: occ[name].tolist() for name in (
        "title", "holland_code", "job_zone", "entry_education", "work_experience",
        "bls_on_the_job_training", "wage_median")}
    facts = []
    for r, code in enumerate(codes):
        row = {name: values[r] for name, values in column.items()}
        title = str(row["title"])
        rated = [(name, float(imp)) for name, imp in skills[r] + knowledge[r]
                 if imp is not None and not math.isnan(float(imp))]
        rated.sort(key=lambda x: -x[1])
        rated = list({name: imp for name, imp in reversed(rated)}.items())  # one per name
        rated.sort(key=lambda x: -x[1])
        important = [name for name, imp in rated if imp >= 3.0]
        important.sort(key=lambda name: name in _GENERIC_SKILLS)  # stable: by importance
        seen: dict[str, None] = {}
        for reported_title, _shown in sorted(reported[r], key=lambda x: not x[1]):
            seen.setdefault(reported_title, None)
        for (alternate_title,) in alternate[r]:
            seen.setdefault(alternate_title, None)
        own = title.casefold()
        core = tuple(t for t, kind in tasks[r] if kind != "Supplemental")
        task_text = " ".join(core).lower()
        # tools its tasks mention ("chain saw" in a faller's tasks) before the
        # alphabetical rest; tools a quarter of all occupations list say little
        own_tools = [t for t in dict.fromkeys(t for (t,) in tools[r])
                     if tool_count.get(t, 0) < n // 4]
        own_tools.sort(key=lambda t: -_mentioned(t, task_text))
        description = _text(descriptions[r])
        zone = row["job_zone"]
        facts.append(_Facts(
            title=title,
            code=code,
            holland=_text(row["holland_code"]),
            description=None if description is None else description.split(". ")[0]
            .rstrip("."),
            catch_all=_is_catch_all(title, description),
            core_tasks=core,
            task_words=frozenset(_content_words(task_text)),
            important=tuple(important[:4]),
            specific_skill=next((name for name, _ in rated if name not in _GENERIC_SKILLS),
                                None),
            # "In demand" is flagged per occupation ("hot" counts all job postings);
            # software a quarter of all occupations list says little about this one.
            demanded=tuple(e if len(e) > _SHORT_NAME else f"{e} ({str(c).lower()})"
                           for e, c, d in tech[r]
                           if d and tech_count.get(e, 0) < n // 4),
            tools=tuple(own_tools),
            titles=tuple(t for t in seen if t.casefold() != own),
            related=tuple(row_of[c] for (c,) in related[r] if c in row_of),
            job_zone=None if _text(zone) is None else int(zone),
            entry_education=_text(row["entry_education"]),
            work_experience=_text(row["work_experience"]),
            on_the_job_training=_text(row["bls_on_the_job_training"]),
            wage_median=None if math.isnan(float(row["wage_median"]))
            else float(row["wage_median"]),
            soc_group=code[:5],
            rules=step_rules.of(code),
        ))
    return facts


# -- the cached step facts ----------------------------------------------------------------------
# One JSON object per occupation, concatenated into one byte array with the offsets of each:
# plain arrays in a verified cache folder (no pickle), and a recommendation decodes only the
# occupations it shows.
_SET_FIELDS = frozenset(f.name for f in dataclasses.fields(_Facts)
                        if str(f.type).startswith("frozenset"))


def _encode_facts(f: _Facts) -> bytes:
    data = {field.name: getattr(f, field.name) for field in dataclasses.fields(f)}
    data = {name: sorted(value) if name in _SET_FIELDS else value.to_json()
            if name == "rules" else value for name, value in data.items()}
    return json.dumps(data, ensure_ascii=False, allow_nan=False).encode()


def _decode_facts(raw: bytes) -> _Facts:
    data = json.loads(raw)
    fields: dict[str, Any] = {
        name: frozenset(value) if name in _SET_FIELDS
        else OccupationRules.from_json(value) if name == "rules"
        else tuple(value) if isinstance(value, list) else value
        for name, value in data.items()}
    return _Facts(**fields)


class FactTable(Sequence[_Facts]):
    """The step facts of every occupation (catalog row order), each decoded on first use."""

    def __init__(self, blob: bytes | np.ndarray, offsets: np.ndarray) -> None:
        self._blob = blob  # bytes, or the uint8 array read from the cache (sliced per row)
        self._offsets = offsets.tolist()
        self._decoded: dict[int, _Facts] = {}

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, o: int) -> _Facts:  # type: ignore[override]
        n = len(self)
        if isinstance(o, bool) or not isinstance(o, (int, np.integer)) or not -n <= o < n:
            raise IndexError(f"occupation row {o!r} is not in [0, {n})")
        o = int(o) % n
        f = self._decoded.get(o)
        if f is None:  # threads may decode the same row twice; both are equal
            raw = self._blob[self._offsets[o]:self._offsets[o + 1]]
            f = self._decoded[o] = _decode_facts(raw if isinstance(raw, bytes) else raw.tobytes())
        return f

    def __iter__(self) -> Iterator[_Facts]:
        return (self[o] for o in range(len(self)))

    @classmethod
    def from_facts(cls, facts: Sequence[_Facts]) -> FactTable:
        parts = [_encode_facts(f) for f in facts]
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(p) for p in parts])
        return cls(b"".join(parts), offsets)

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"facts": np.frombuffer(self._blob, dtype=np.uint8)
                if isinstance(self._blob, bytes) else self._blob,
                "offsets": np.array(self._offsets, dtype=np.int64)}


@functools.cache
def _rules_digest() -> str:
    """The sha256 of the step rules' code (_step_rules.py): the facts hold what the rules
    decided, so an edit to them must compile the facts again."""
    from . import __version__, _step_rules

    try:  # through the module's loader: a plain file, bytecode only, or inside a zip
        code = _step_rules.__loader__.get_data(_step_rules.__file__)  # type: ignore[union-attr]
    except (AttributeError, OSError, TypeError):  # no readable code: key on the release
        code = f"passionfinder {__version__}".encode()
    return hashlib.sha256(code).hexdigest()


def facts_key(fingerprint: str) -> str:
    """The cache folder name of the step facts of the catalog with ``fingerprint``."""
    fields = ",".join(f"{f.name}:{f.type}" for f in dataclasses.fields(_Facts))
    return hashlib.sha256(f"{fingerprint}|{FACTS_VERSION}|{fields}|{_rules_digest()}"
                          .encode()).hexdigest()[:16]


def facts_folder(catalog: Catalog, cache_home: str | os.PathLike[str] | None = None
                 ) -> Path:
    """Where the step facts of ``catalog`` are cached."""
    return get_cache_home(cache_home) / "steps" / facts_key(catalog.fingerprint)


def load_facts(catalog: Catalog, *, cache_home: str | os.PathLike[str] | None = None
               ) -> Sequence[_Facts]:
    """The step facts of ``catalog``: from their cache, else compiled and cached.

    Checked like the embedding index: a corrupt or mismatched cache is compiled again with
    a :class:`CacheWarning`. A catalog without a fingerprint is compiled in memory.
    """
    if not catalog.fingerprint:
        return compile_facts(catalog)
    store = CacheStore(facts_folder(catalog, cache_home))
    try:
        manifest = store.manifest()
        meta = manifest["meta"]
        if meta.get("version") != FACTS_VERSION or meta.get("key") != store.folder.name:
            raise CacheError("the step facts were compiled by another version")
        # mapped: a recommendation reads the records of the occupations it shows
        table = FactTable(store.read_array(manifest, "facts", mapped=True),
                          store.read_array(manifest, "offsets"))
        if len(table) != len(catalog) or table._offsets[-1] != len(table._blob):
            raise CacheError("the step facts do not fit the catalog")
        return table
    except CacheError as exc:
        if (store.folder / "manifest.json").exists():
            warnings.warn(f"Compiling the step facts again: {exc}.", CacheWarning,
                          stacklevel=caller_stacklevel())
    table = FactTable.from_facts(compile_facts(catalog))
    try:
        store.write(arrays=table.to_arrays(),
                    meta={"version": FACTS_VERSION, "key": store.folder.name,
                          "fingerprint": catalog.fingerprint})
    except OSError as exc:
        logger.warning("Could not write the step facts cache to %s: %s", store.folder, exc)
    return table


class _LazyRows(Sequence[_T]):
    """A per-occupation table whose rows are made on first use."""

    def __init__(self, n: int, make: Callable[[int], _T]) -> None:
        self._n, self._make = n, make
        self._rows: dict[int, _T] = {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, o: int) -> _T:  # type: ignore[override]
        if not -self._n <= o < self._n:
            raise IndexError(f"occupation row {o!r} is not in [0, {self._n})")
        o %= self._n
        row = self._rows.get(o)
        if row is None:
            row = self._rows[o] = self._make(o)
        return row


class StepWriter:
    """Writes the starter steps of recommendations from one catalog.

    ``cache_home`` is where the step facts of the catalog are cached (see
    :func:`load_facts`).
    """

    def __init__(self, catalog: Catalog, *,
                 cache_home: str | os.PathLike[str] | None = None) -> None:
        self.catalog = catalog
        self._cache_home = cache_home
        summary = load_summary(catalog, cache_home=cache_home)
        self._codes = list(summary.codes)
        self._row = {code: i for i, code in enumerate(self._codes)}
        wages = summary.wage_median
        self._wage_middle = median(wages, skip_nan=True) if np.isfinite(wages).any() else None
        #: (occupation, neighbour) codes -> how the neighbour differs (explore steps)
        self._differences: dict[tuple[str, str], str | None] = {}
        #: written steps by kind and by everything the step's text depends on; see _memo
        self._written: dict[str, dict[Hashable, Any]] = {
            kind: {} for kind in ("try", "learn", "train", "connect-who", "connect-ask",
                                  "explore", "values")}

    @cached_property
    def _soc_groups(self) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for r, code in enumerate(self._codes):
            groups.setdefault(code[:5], []).append(r)
        return groups

    @cached_property
    def facts(self) -> Sequence[_Facts]:
        """Per occupation (catalog row order), the fields the templates use: compiled once
        per catalog and cached, each occupation's read when first needed."""
        return load_facts(self.catalog, cache_home=self._cache_home)

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
        # Each step is kept under everything its text depends on, so a step is written once
        # however many people it is shown to; a kept step is the same text a new one would be.
        important = f.important if strengths_given else ()
        top_value = max(values, key=lambda v: v.weight).value if values else None
        neighbours = self._neighbours(o)
        fresh = tuple(r for r in neighbours if r not in listed)[:2]
        out = [
            self._memo("try", (o, matched_task), lambda: self._try(f, matched_task, o)),
            self._memo("learn", (o, strengths_given,
                                 frozenset(n for n in important if n in covered)),
                       lambda: self._learn(f, strengths_given, covered)),
            self._memo("train", o, lambda: self._train(f)),
            self._connect(f, o, matched_task, top_value, titles),
            self._memo("explore", (o, fresh), lambda: self._explore(o, f, fresh)),
            # (the person's weights do not show in this step)
            self._memo("values", (o, tuple((v.value, v.score, v.detail) for v in values)),
                       lambda: self._values(f, values)),
        ]
        return tuple(step for step in out if step is not None)

    def _memo(self, kind: str, key: Hashable, write: Callable[[], _T]) -> _T:
        """The step (or part of one) of ``kind`` kept under ``key``, written by ``write()``
        when not kept yet.

        Each kind keeps at most MEMO_SIZE steps (then starts afresh), so memory stays bounded
        however many people are scored. Threads may write the same step twice; both texts
        are equal.
        """
        kept = self._written[kind]
        try:
            return kept[key]
        except KeyError:
            pass
        step = write()
        if len(kept) >= MEMO_SIZE:
            kept.clear()
        kept[key] = step
        return step

    def _neighbours(self, o: int) -> tuple[int, ...]:
        """Up to six neighbours of row ``o`` for *explore* (see _neighbour_table)."""
        return self._neighbour_table[o][0]

    @cached_property
    def _neighbour_table(self) -> Sequence[tuple[tuple[int, ...], str]]:
        """Per occupation row: up to six neighbours for *explore* — O*NET's related
        occupations, else the rest of its SOC group; named occupations before catch-all
        groups — and which of the two sources they come from (each row made on first use)."""
        def neighbours_of(o: int) -> tuple[tuple[int, ...], str]:
            f = self.facts[o]
            neighbours = [r for r in f.related if r != o][:6]
            source = "related"
            if not neighbours:
                neighbours = [r for r in self._soc_groups.get(f.soc_group, ()) if r != o][:6]
                source = "SOC group"
            # named occupations say more than another catch-all
            neighbours.sort(key=lambda r: self.facts[r].catch_all)
            return tuple(neighbours), source

        return _LazyRows(len(self._codes), neighbours_of)

    def rules_of(self, code: str) -> OccupationRules:
        """What the step rules decide about occupation ``code`` (compiled with its facts)."""
        return self.facts[self._row[code]].rules

    def _try(self, f: _Facts, matched_task: str | None, o: int | None = None
             ) -> StarterStep:
        """A mini-project a beginner can do this week: the task that matched the person's
        interests when it can be tried, else the plainest triable core task, turned into a
        project with a time box and something to show. Where watching or trying the work is
        restricted (see _step_rules.restriction), a route that exists instead of shadowing."""
        rules = f.rules
        if rules.restriction is not None:
            return self._try_route(f, rules.restriction)
        # the person's own task when a specific project fits it, then the occupation's
        # (specific projects first), then the person's task with a general project
        mine = matched_task if matched_task and triable(matched_task) and project_for(
            matched_task) else None
        # the person's task keeps its place while its project stands for at least half as
        # much of the work as the most typical one
        typical = rules.shares[0] if rules.shares else 0
        options = [mine] if mine and has_topic(mine) and 2 * topic_share(
            mine, f.core_tasks, f.holland) >= typical else []
        if f.code.startswith("11-") and not options:
            # managers' own tasks direct others: running a small project is the try
            return self._try_route(f, "lead")
        options += [t for t in rules.tasks if has_topic(t) and t not in options]
        options += [t for t in (mine, *rules.tasks) if t and t not in options]
        if options:
            return self._try_project(f, options[0], rules)
        if f.catch_all and o is not None:
            # a catch-all group has no task list: the nearest named occupation's task
            for r in self._neighbours(o):
                other = self.facts[r]
                other_rules = other.rules
                if other_rules.restriction is None and other_rules.tasks and has_topic(
                        other_rules.tasks[0]):
                    step = self._try_project(other, other_rules.tasks[0], other_rules)
                    return StarterStep("try", step.text.replace(
                        "a real task of this work", f"a real task of {other.title}, the "
                                                    f"nearest named occupation"),
                        ("related", *step.sources))
        clerical = next((t for t in f.core_tasks if askable(t) and not hazardous(t)), None)
        if rules.family == "Office and Administrative Support" and clerical is not None:
            # clerks' tasks are others' paperwork: the same skill on your own records
            return self._try_project(f, clerical, rules, _RECORDS_PROJECT)
        return self._try_route(f, "interview")

    def _try_project(self, f: _Facts, task: str, rules: OccupationRules,
                     project: MiniProject | None = None) -> StarterStep:
        project = project or project_for(task)
        assert project is not None
        text = (f"This week, try a beginner's version of a real task of this work, "
                f"\"{quoted_task(task)}\": {project.action} ({project.time_box}). Something "
                f"to show: {project.to_show}.")
        sources: tuple[str, ...] = ("tasks (core)",)
        tool = rules.free_tool(project.kind)
        if tool is not None:
            name, free = tool
            text += (f" {name} is in demand in this work's job postings: "
                     f"{free} lets you practise it." if name not in free else
                     f" {name} is in demand in this work's job postings: use {free}.")
            sources += ("technology_skills (hot, in demand)",)
        return StarterStep("try", text, sources)

    def _try_route(self, f: _Facts, kind: str) -> StarterStep:
        route = ROUTES[kind]
        rules = f.rules
        names = own_title_names(f.title)
        # a title that names no one job (a catch-all, "X and Y") reads as "practitioner"
        title = names[0] if names else f.title if kind == "military" else "practitioner"
        know = rules.know_how_plain or "the core of this work"
        article = "an" if title[:1].lower() in "aeiou" else "a"
        fill = {"title": title, "a_title": f"{article} {title}", "know": know,
                "titles": f.title}
        lead = _ROUTE_LEAD.get(kind, "").format(titles=f.title)
        text = (f"{lead}This week, {route.action.format(**fill)}. Something to show: "
                f"{route.to_show.format(**fill)}.")
        return StarterStep("try", text[:1].upper() + text[1:],
                           ("soc_code", "job_family", "job_zone", "tasks", "skills, knowledge"))

    def _learn(self, f: _Facts, strengths_given: bool, covered: frozenset[str]
               ) -> StarterStep | None:
        important = list(f.important)
        hot = list(f.demanded[:3])
        tools = [] if hot or (f.job_zone or 2) > 2 else list(f.tools[:3])
        rules = f.rules
        if not important and not hot and not tools:
            return self._learn_from_neighbours(f)
        parts, sources = [], []
        if important:
            parts.append(f"What matters most here is {important[0]}." if len(important) == 1
                         else f"The skills and knowledge that matter most here are "
                              f"{_join(important[:3])}.")
            sources.append("skills, knowledge (importance)")
            if strengths_given:
                have = [name for name in important if name in covered][:2]
                # a generic skill (speaking, English) is no gap a profile can show
                gaps = [name for name in important
                        if name not in covered and name not in _GENERIC_SKILLS][:2]
                if have:
                    parts.append(f"Your strengths already point to {_join(have)}.")
                if gaps:
                    parts.append(f"Worth building next: {_join(gaps)}.")
        if hot:
            parts.append(f"Technology in demand in this work's job postings: {_join(hot)}.")
            sources.append("technology_skills")
        if tools:
            parts.append(f"Tools of the trade to get to know: {_join(tools)}.")
            sources.append("tools")
        tool = rules.free_tool()
        if tool is not None and tool[0] in hot:
            name, free = tool
            parts.append(f"To start, spend an evening on a free beginner tutorial for {name}"
                         + ("" if name in free else f" (practise with {free})")
                         + " and note what you could do at the end of it.")
        else:
            parts.append("To start, pick one of these, spend an evening on a free "
                         "introduction to it and note what you would need to learn next.")
        return StarterStep("learn", " ".join(parts), tuple(sources))

    def _learn_from_neighbours(self, f: _Facts) -> StarterStep:
        """With no rated skills, knowledge or technology (catch-all groups, some military
        occupations), what to learn comes from reading the work's description next to its
        named neighbours."""
        what = (f"O*NET rates no skills or knowledge for {f.title}"
                + (", a catch-all group" if f.catch_all else "") + ".")
        return StarterStep("learn", f"{what} Read the O*NET OnLine pages of the two nearest "
                                    f"named occupations and note the three skills they share: "
                                    f"those are the ones to learn first.",
                           ("skills, knowledge", "related"))

    def _train(self, f: _Facts) -> StarterStep | None:
        """The usual preparation, from O*NET's job zone and BLS's entry requirements; when the
        two disagree, says so. Nothing here assumes what the person already has."""
        parts, sources = [], []
        zone = f.job_zone if f.job_zone in _ZONE_SIZE else None
        if zone is not None:
            parts.append(f"O*NET rates this work as needing {_ZONE_SIZE[zone]} (job zone "
                         f"{zone}).")
            sources.append("job_zone")
        education = (f.entry_education or "").lower()
        experience = _EXPERIENCE_PHRASE.get((f.work_experience or "").lower())
        training = _TRAINING_PHRASE.get((f.on_the_job_training or "").lower())
        if education in _EDUCATION_PHRASE or experience or training:
            what = (f"{_EDUCATION_PHRASE[education]} as the typical entry education"
                    if education in _EDUCATION_PHRASE else "")
            extra = _join([x for x in (experience, training) if x])
            if what and extra:
                sentence = f"In the US, {_BLS} lists {what}, with {extra}."
            elif what:
                sentence = f"In the US, {_BLS} lists {what}."
            else:
                sentence = f"In the US, {_BLS} lists {extra} for entry."
            parts.append(sentence)
            sources.append("entry_education, work_experience, bls_on_the_job_training")
            level = _EDUCATION_LEVEL.get(education)
            low, high = _ZONE_EDUCATION.get(zone or 0, (0, 6))
            longer_route = zone is not None and zone <= 2 and (f.on_the_job_training or "").lower(
                ) in ("apprenticeship", "long-term on-the-job training")
            if zone is not None and ((level is not None and not low <= level <= high)
                                     or longer_route):
                parts.append("The two sources differ: BLS gives the usual minimum to get in, "
                             "the job zone the preparation people in the work report having; "
                             "job postings near you show which route employers there expect.")
        if not parts:
            parts.append(f"Neither O*NET nor BLS says how people usually prepare to work as "
                         f"{f.title}.")
            sources.append("job_zone, entry_education")
        if zone is not None and zone >= 3:
            parts.append("Earlier study or related experience may shorten this.")
        parts.append("Look up two programmes or entry routes near you and note their length, "
                     "cost and entry requirements.")
        return StarterStep("train", " ".join(parts), tuple(sources))

    def _connect(self, f: _Facts, o: int, matched_task: str | None, top_value: str | None,
                 titles: Sequence[str] | None = None) -> StarterStep:
        """Whom to talk to (people with the job titles closest to the person's words, else the
        occupation's own) and what to ask them (about the matched task, the value they weigh
        most, the work's specific know-how). The two halves are kept separately."""
        who = self._memo("connect-who", (o, tuple(titles or ())),
                         lambda: self._connect_who(f, titles))
        ask = self._memo("connect-ask", (o, matched_task, top_value),
                         lambda: self._connect_ask(f, matched_task, top_value))
        return StarterStep("connect", who + ask,
                           ("reported_titles, alternate_titles", "job_family", "tasks",
                            "skills, knowledge"))

    def _connect_who(self, f: _Facts, titles: Sequence[str] | None) -> str:
        """Titles people really hold (the one closest to the person's words, the
        occupation's own, its common reported titles; no near-duplicates or dated titles) and
        a channel that fits the job family."""
        rules = f.rules
        names = rules.titles(f.title, titles or ())
        who = (f"two or three people working as {_join(names, 'or')}" if names
               else f"two or three people who work in this field ({f.title})")
        return f"Find {who} (through {rules.channel}) and ask each for a "

    def _connect_ask(self, f: _Facts, matched_task: str | None, top_value: str | None) -> str:
        """Three questions: the matched task (in its plain short form), the value the person
        weighs most, and the know-how most specific to this occupation."""
        rules = f.rules
        task = next((t for t in (matched_task, *f.core_tasks) if t and askable(t)), None)
        questions = []
        if task:
            questions.append(f"How much of your week goes to \"{quoted_task(task)}\"?")
        elif f.catch_all:
            questions.append("What is your job called, and what does a typical week in it "
                             "look like?")
        else:
            questions.append("What does a typical week in your job look like?")
        question = _VALUE_QUESTION.get(top_value) if top_value is not None else None
        if question:
            questions.append(question)
        if rules.know_how_plain:
            questions.append(f"How did you build your know-how in {rules.know_how_plain}, "
                             f"and what would you learn first if you started again?")
        questions.append("What surprised you most when you started?")
        asked = " ".join(f"({i}) {q}" for i, q in enumerate(questions[:3], start=1))
        return (f"twenty-minute conversation. Ask: {asked} Afterwards, note the answer that "
                f"changed your picture of the work most.")

    def _explore(self, o: int, f: _Facts, fresh: Sequence[int]) -> StarterStep | None:
        """Two neighbouring roles (``fresh``: neighbours not already in the list)."""
        source = self._neighbour_table[o][1]
        if not fresh:
            named = [self.facts[r].title for r in self._neighbours(o)][:2]
            listed = (f"Its nearest neighbours, {_join(named)}, are already in your list"
                      if named else "O*NET lists no neighbouring occupations for it")
            return StarterStep("explore", f"{listed}. Compare their tasks with this one's "
                                          f"on O*NET OnLine and note the three tasks you "
                                          f"would most like to do.", (source, "tasks"))
        lines = []
        for r in fresh:
            other = self.facts[r]
            about = self._difference(f, other)
            lines.append(f"{other.title} ({about})" if about else other.title)
        lead = "Neighbouring roles worth a look: "
        if f.catch_all and f.description:
            lead = (f"This is O*NET's catch-all group for {_lower_first(f.description)}, "
                    f"with no task list of its own; the named occupations next to it are "
                    f"described in full. Worth a look: ")
        return StarterStep("explore", lead + "; ".join(lines) + ". Read both on O*NET OnLine "
                                                                 "and note which tasks you "
                                                                 "would rather do.",
                           (source, "job_zone", "wage_median", "tasks", "description"))

    def _difference(self, f: _Facts, other: _Facts) -> str | None:
        key = (f.code, other.code)
        if key not in self._differences:
            self._differences[key] = self._describe_difference(f, other)
        return self._differences[key]

    def _describe_difference(self, f: _Facts, other: _Facts) -> str | None:
        notes = []
        if f.job_zone and other.job_zone and f.job_zone != other.job_zone:
            notes.append("needs more preparation" if other.job_zone > f.job_zone
                         else "needs less preparation")
        a, b = f.wage_median, other.wage_median
        if a and b and abs(b - a) / a >= 0.1:
            notes.append(f"{'higher' if b > a else 'lower'} median pay in the US: "
                         f"{_money(b)} against {_money(a)}")
        if other.core_tasks:
            # the task of the first few that shares the fewest words with this occupation's
            # own tasks: what it does differently
            candidates = other.core_tasks[:4]
            task = min(candidates, key=lambda t: len(_content_words(t) & f.task_words)
                       / max(1, len(_content_words(t))))
            notes.append(f"e.g. \"{short_task(task)}\"")
        elif other.description and not other.catch_all:
            notes.append(f"\"{short_task(other.description, 15)}\"")
        if notes:
            return "; ".join(notes)
        if (f.job_zone and f.job_zone == other.job_zone and a and b):
            return "similar preparation and pay"
        return None

    def _values(self, f: _Facts, values: Sequence[ValueContribution]) -> StarterStep:
        if not values:
            return self._values_unstated(f)
        parts, missing = [], []
        for vc in values:
            if vc.score is None:
                missing.append(vc.value)
                continue
            verdict = ("a strong fit" if vc.score >= 2 / 3 else
                       "about average" if vc.score >= 1 / 3 else "a weak spot")
            parts.append(f"{vc.value} — {verdict} ({vc.detail})")
        if missing:
            parts.append(f"O*NET has no data on {_join(missing, 'or')} for this occupation")
        if f.wage_median is not None and self._wage_middle and any(
                vc.value in ("financial security", "good pay") for vc in values):
            if f.wage_median < 0.9 * self._wage_middle:
                parts.append(f"note that its median pay, {_money(f.wage_median)}, is below "
                             f"the middle of all occupations ({_money(self._wage_middle)})")
        text = "How it serves what matters to you: " + "; ".join(parts) + "."
        if any("$" in vc.detail or "growth" in vc.detail for vc in values):
            text += " Wages and growth are US figures from BLS."
        text += " Ask about the first of these in your conversations and note the answer."
        return StarterStep("values", text,
                           ("work values, work styles, BLS wages and projections",))

    def _values_unstated(self, f: _Facts) -> StarterStep:
        """With no values stated: the work values O*NET rates highest for this occupation
        (extent, 1 to 7), so the person can ask whether they matter to them."""
        top = [(name, score) for name, score in f.rules.top_values
               if score >= 4.0][:2]
        if top:
            said = _join([f"{name} ({score:.1f} of 7)" for name, score in top])
            text = (f"You named no values. O*NET's work-value ratings for this work are "
                    f"highest on {said}. Write down whether these matter to you, and list "
                    f"the values you would add: they re-rank these suggestions.")
        else:
            text = ("You named no values, and O*NET has no strong work-value ratings for "
                    "this work. Write down the two or three things a job must give you: "
                    "they re-rank these suggestions.")
        return StarterStep("values", text, ("work values",))
