"""The value vocabulary: what people say matters to them, scored for every occupation from data.

Each entry blends a few catalog columns (O*NET work values, work styles, RIASEC scores, BLS
wages and projections), each turned into a percentile rank among all occupations that have
it. An occupation's value score is the weighted mean of the components it has data for; with
no data at all the score is missing (NaN), never zero.
"""

from __future__ import annotations

import difflib
import functools
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from ._errors import InputTypeError, InvalidInputError, UnknownValueError

if TYPE_CHECKING:
    import pandas as pd

    from ._catalog import Catalog

__all__ = ["VALUE_ENTRIES", "ValueEntry", "is_missing", "parse_values", "resolve_value",
           "value_scores", "values_table"]


def is_missing(value: Any) -> bool:
    """None, a float NaN or pandas' NA: a field the person left empty."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        type(value).__name__ == "NAType")


def _shown(name: str, limit: int = 60) -> str:
    """repr of a name for a message, cut short so a huge input does not flood it."""
    return repr(name) if len(name) <= limit else repr(name[:limit]) + f"... ({len(name)} characters)"


@dataclass(frozen=True)
class ValueEntry:
    """One value of the vocabulary.

    ``sources`` maps a source (``"column"`` of ``catalog.occupations`` or ``"style:<Work Style
    name>"``) to its weight; ``description`` is what free text is matched against.
    """

    name: str
    aliases: tuple[str, ...]
    description: str
    sources: Mapping[str, float]


def _entry(name: str, aliases: str, description: str, sources: Mapping[str, float]
           ) -> ValueEntry:
    return ValueEntry(name, tuple(a.strip() for a in aliases.split(",") if a.strip()),
                      description, dict(sources))


#: The vocabulary, in display order. Sources are documented in docs/values.md: a column of
#: ``catalog.occupations`` or ``style:<work style>`` (its impact rating), with its weight; a
#: negative weight means less is better.
VALUE_ENTRIES: tuple[ValueEntry, ...] = (
    # The six O*NET work values (Work Importance Profiler).
    _entry("achievement", "accomplishment, results, using my abilities, sense of accomplishment",
           "Work that uses my abilities and gives a feeling of accomplishment.",
           {"achievement": 1.0}),
    _entry("working conditions", "good working conditions, comfort, work environment",
           "Steady work with good pay, variety, and comfortable working conditions.",
           {"working_conditions": 1.0}),
    _entry("recognition", "prestige, status, respect, advancement, prestige and status",
           "Work with advancement, authority, recognition and social status.",
           {"recognition": 0.8, "job_zone": 0.2}),
    _entry("relationships", "teamwork, team, coworkers, colleagues, friendly coworkers,"
           " being part of a team, working with people",
           "Friendly co-workers, being part of a team, and working with other people.",
           {"relationships": 0.6, "style:Cooperation": 0.2, "style:Social Orientation": 0.2}),
    _entry("support", "supportive management, good management, supportive boss, mentorship",
           "Supportive management that stands behind employees and trains them well.",
           {"support": 1.0}),
    _entry("independence", "autonomy, freedom, working alone, self-direction, flexibility,"
           " being my own boss",
           "Working on my own, making my own decisions, with freedom and responsibility.",
           {"independence": 0.8, "style:Initiative": 0.2}),
    # The four values named in the product brief.
    _entry("creativity", "creative, creative expression, artistic, art, imagination,"
           " self-expression, design",
           "Creative work: expressing myself, designing, imagining and making new things.",
           {"artistic": 0.5, "style:Innovation": 0.3, "independence": 0.2}),
    _entry("helping others", "helping people, making a difference, service, social impact,"
           " caring for others, giving back, impact, social service",
           "Helping other people, caring for them, serving my community, making a difference.",
           {"social": 0.5, "relationships": 0.2, "style:Empathy": 0.3}),
    _entry("innovation", "inventing, new ideas, cutting edge, technology, discovery,"
           " research, learning",
           "Inventing new things, new ideas, research and discovery, cutting-edge work.",
           {"style:Innovation": 0.4, "style:Intellectual Curiosity": 0.3, "investigative": 0.3}),
    _entry("financial security", "money, financial stability, security, earnings, income,"
           " provide for my family, financial",
           "A secure, well-paid job: good wages, a steady income, and demand for the work.",
           {"wage_median": 0.45, "wage_p10": 0.2, "growth_pct": 0.2, "openings_rate": 0.15}),
    # Values people commonly name.
    _entry("job security", "stability, stable job, steady work, security of employment,"
           " job stability, stable",
           "A stable job that will still be in demand in ten years.",
           {"growth_pct": 0.4, "openings_rate": 0.4, "working_conditions": 0.2}),
    _entry("leadership", "leading, being in charge, management, managing people, authority,"
           " influence, power",
           "Leading people, being in charge, making decisions that direct others.",
           {"style:Leadership Orientation": 0.5, "enterprising": 0.3, "recognition": 0.2}),
    _entry("variety", "diversity of tasks, new challenges, change, something different every"
           " day, not routine, adventure",
           "Doing something different every day, new challenges, change and variety.",
           {"style:Adaptability": 0.4, "style:Tolerance for Ambiguity": 0.3,
            "working_conditions": 0.3}),
    _entry("good pay", "high pay, high salary, salary, wages, rich, high income,"
           " compensation, well-paid",
           "A high salary and high earnings.",
           {"wage_median": 0.7, "wage_p90": 0.3}),
    _entry("work-life balance", "balance, free time, family time, low stress, calm, relaxed",
           "Reasonable hours, low stress and time for life outside work.",
           {"working_conditions": 0.5, "style:Stress Tolerance": -0.5}),
)

_BY_NAME: dict[str, ValueEntry] = {}
for _e in VALUE_ENTRIES:
    for _key in (_e.name, *_e.aliases):
        _BY_NAME.setdefault(_key.casefold(), _e)


def _fold(name: str) -> str:
    return re.sub(r"[\s_\-/]+", " ", name.strip().casefold())


_FOLDED: dict[str, ValueEntry] = {_fold(k): e for k, e in _BY_NAME.items()}


@functools.lru_cache(maxsize=4096)
def _looks_misspelt(key: str) -> bool:
    """Whether a folded name is very close to a vocabulary name or alias."""
    return bool(difflib.get_close_matches(key, list(_FOLDED), n=1, cutoff=0.8))


def resolve_value(name: str) -> ValueEntry:
    """Find a vocabulary entry by name or alias (case and spacing folded).

    Raises
    ------
    UnknownValueError
        Naming the closest valid names.

    Examples
    --------
    >>> resolve_value("Autonomy").name
    'independence'
    """
    if not isinstance(name, str):
        raise InputTypeError("The value names in the 'values' of a Profile must be strings. "
                             f"Got {type(name).__name__} instead.")
    key = _fold(name)
    folded = _FOLDED
    if key in folded:
        return folded[key]
    close = difflib.get_close_matches(key, list(folded), n=3, cutoff=0.6)
    names = list(dict.fromkeys(folded[c].name for c in close))  # closest first
    hint = f" Did you mean {', '.join(repr(n) for n in names)}?" if names else ""
    raise UnknownValueError(
        f"Unknown value {_shown(name)}.{hint} Valid values: "
        f"{', '.join(e.name for e in VALUE_ENTRIES)} (see passionfinder.VALUES for aliases).")


def _check_weight(name: str, weight: Any) -> float:
    if isinstance(weight, (bool, np.bool_)) or not isinstance(weight, (numbers.Real, Decimal)):
        raise InputTypeError(f"The weight of value {_shown(name)} must be a number. "
                             f"Got {type(weight).__name__} instead.")
    weight = float(weight)
    if not math.isfinite(weight) or weight < 0:
        raise InvalidInputError(f"The weight of value {_shown(name)} must be a finite number "
                                f">= 0. Got {weight} instead.")
    return weight


def parse_values(values: Any) -> dict[str, float] | str | None:
    """Normalise the ``values`` of a profile.

    Returns a ``{value name: weight}`` dict (weights sum to 1) for names and dicts, the text
    itself when it is free text to be matched by similarity, or ``None`` for no values.
    A string of comma-separated known names counts as names; anything else is free text.
    """
    if is_missing(values):
        return None
    if isinstance(values, str):
        text = values.strip()
        if not text:
            return None
        parts = [p for p in re.split(r"\s*(?:,|;|\band\b|&|\n)\s*", text) if p.strip()]
        if all(_fold(p) in _FOLDED for p in parts):
            return parse_values(parts)
        # A short list that only misspells a name ('creativty') is a mistake to point out;
        # anything else is free text, mapped by similarity at recommend time.
        if all(len(p.split()) <= 2 for p in parts):
            for part in parts:
                if _fold(part) not in _FOLDED and _looks_misspelt(_fold(part)):
                    resolve_value(part)  # raises, naming the closest valid names
        return text
    if isinstance(values, Mapping):
        given = [(resolve_value(name).name, _check_weight(name, weight))
                 for name, weight in values.items()]
        top = max((w for _, w in given), default=0.0)
        if top == 0:
            if given:
                raise InvalidInputError("The value weights must not all be zero. "
                                        f"Got {dict(values)} instead.")
            return None
        # scaled by the largest first, so that huge weights (1e308), also two aliases of one
        # value, cannot overflow the sums
        weights: dict[str, float] = {}
        for name, w in given:
            weights[name] = weights.get(name, 0.0) + w / top
        total = sum(weights.values())
        return {k: w / total for k, w in weights.items() if w > 0}
    if isinstance(values, (list, tuple, set, frozenset)):
        names = list(values)
        for item in names:
            if not isinstance(item, str):
                raise InputTypeError(
                    "The 'values' of a Profile must be a list of names (str), a {name: weight} "
                    f"dict or free text. Got a {type(values).__name__} containing "
                    f"{type(item).__name__} instead.")
        if isinstance(values, (set, frozenset)):  # a set's order changes between processes
            names = sorted(names)
        names = [n for n in names if n.strip()]
        if not names:
            return None
        return parse_values(dict.fromkeys(names, 1.0))
    raise InputTypeError("The 'values' of a Profile must be a list of names, a {name: weight} "
                         f"dict or free text. Got {type(values).__name__} instead.")


def _percentile(series: pd.Series) -> pd.Series:
    """Percentile rank in [0, 1] among occupations with data; missing stays missing."""
    return series.rank(pct=True, method="average")


def value_scores(catalog: Catalog) -> pd.DataFrame:
    """Score every occupation on every vocabulary entry (percentile-based, 0-1, NaN if no data).

    Returns a DataFrame indexed like ``catalog.occupations`` with one column per value name.
    """
    import pandas as pd

    occ = catalog.occupations
    sources: dict[str, pd.Series] = {}
    for column in occ.columns:
        if occ[column].dtype.kind in "fi" or str(occ[column].dtype) == "Int64":
            sources[column] = _percentile(occ[column].astype(float))
    rate = occ["openings_annual"] / occ["employment"]
    sources["openings_rate"] = _percentile(rate.where(occ["employment"] > 0))
    styles = catalog.work_styles
    if styles is not None:
        impact = styles.pivot_table(index="onet_soc_code", columns="name", values="impact",
                                    aggfunc="first").reindex(occ.index)
        for style in impact.columns:
            sources[f"style:{style}"] = _percentile(impact[style])
    out = {}
    for entry in VALUE_ENTRIES:
        parts, weights = [], []
        for source, weight in entry.sources.items():
            series = sources.get(source)
            if series is None:
                continue
            # A negative weight means 'less of this is better' (e.g. stress for balance).
            parts.append(series if weight > 0 else 1.0 - series)
            weights.append(abs(weight))
        if not parts:
            out[entry.name] = pd.Series(np.nan, index=occ.index)
            continue
        values = np.column_stack([p.to_numpy(dtype=float) for p in parts])
        w = np.array(weights)
        have = ~np.isnan(values)
        wsum = (have * w).sum(axis=1)
        score = np.where(wsum > 0, np.nansum(values * w, axis=1) / np.where(wsum > 0, wsum, 1),
                         np.nan)
        out[entry.name] = pd.Series(score, index=occ.index)
    return pd.DataFrame(out, index=occ.index)


def values_table() -> pd.DataFrame:
    """The vocabulary as a table: name, aliases, description and the data it draws on."""
    import pandas as pd

    def fmt(sources: Mapping[str, float]) -> str:
        return ", ".join(f"{k} ({'-' if v < 0 else ''}{abs(v):.0%})" for k, v in sources.items())

    return pd.DataFrame(
        [{"name": e.name, "aliases": ", ".join(e.aliases), "description": e.description,
          "sources": fmt(e.sources)} for e in VALUE_ENTRIES]).set_index("name")
