"""Constraints: which occupations a person will consider at all (preparation, education, pay,
growth, job family, explicit codes), applied to the candidate set before ranking.

A :class:`Constraints` is checked on its own when it is made (ranges, known education levels);
:func:`screen` then reads it against a catalog (family names, codes) and gives the mask of
occupations that pass, how many were left out for having no data on a filtered field, and, for
any occupation, why it does not pass.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from ._errors import InputTypeError, InvalidInputError, PassionfinderError

if TYPE_CHECKING:
    from ._catalog import Catalog

__all__ = ["EDUCATION_LEVELS", "Constraints", "NoOccupationPassesError", "Screen",
           "as_constraints", "screen"]

#: BLS typical education needed for entry, lowest first (Employment Projections, Table 1.2).
EDUCATION_LEVELS: tuple[str, ...] = (
    "No formal educational credential",
    "High school diploma or equivalent",
    "Some college, no degree",
    "Postsecondary nondegree award",
    "Associate's degree",
    "Bachelor's degree",
    "Master's degree",
    "Doctoral or professional degree",
)
#: short names accepted for the levels (matched after lower-casing and dropping punctuation)
_EDUCATION_ALIASES: dict[str, int] = {
    "none": 0, "no formal": 0, "no credential": 0, "no degree": 0,
    "high school": 1, "high school diploma": 1, "ged": 1,
    "some college": 2,
    "postsecondary": 3, "certificate": 3, "postsecondary nondegree": 3,
    "associate": 4, "associates": 4, "associate degree": 4,
    "bachelor": 5, "bachelors": 5, "bachelor degree": 5,
    "master": 6, "masters": 6, "master degree": 6,
    "doctoral": 7, "doctorate": 7, "phd": 7, "professional degree": 7,
}
#: O*NET job zones (preparation levels): 1 little or none ... 5 extensive
JOB_ZONES = range(1, 6)

_WHERE = "Constraints"


class NoOccupationPassesError(PassionfinderError, ValueError):
    """No occupation passes the constraints; the message says how many each one left."""


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _education_level(value: Any, name: str) -> int:
    if not isinstance(value, str):
        raise InputTypeError(f"The '{name}' parameter of {_WHERE} must be a BLS education "
                             f"level (str). Got {type(value).__name__} instead.")
    key = _fold(value)
    for i, level in enumerate(EDUCATION_LEVELS):
        if key == _fold(level):
            return i
    if key in _EDUCATION_ALIASES:
        return _EDUCATION_ALIASES[key]
    close = difflib.get_close_matches(value, EDUCATION_LEVELS, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise InvalidInputError(
        f"The '{name}' parameter of {_WHERE} must be one of the BLS education levels "
        f"{', '.join(map(repr, EDUCATION_LEVELS))} (or a short name such as 'bachelor'). "
        f"Got {value!r} instead.{hint}")


def _number(value: Any, name: str, low: float, high: float = math.inf) -> float | None:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)) or not math.isfinite(value) or not (
            low <= value <= high):
        upper = "" if high == math.inf else f" and at most {high:g}"
        raise InvalidInputError(f"The '{name}' parameter of {_WHERE} must be a finite number "
                                f"of at least {low:g}{upper}. Got {value!r} instead.")
    return float(value)


def _zone(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or (
            value not in JOB_ZONES):
        raise InvalidInputError(f"The '{name}' parameter of {_WHERE} must be an O*NET job zone, "
                                f"an int from 1 to 5. Got {value!r} instead.")
    return int(value)


def _names(value: Any, name: str) -> tuple[str, ...]:
    """A str or an iterable of str as a tuple of str (a lone str is one name, not letters)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputTypeError(f"The '{name}' parameter of {_WHERE} must be a str or a list of "
                             f"str. Got {type(value).__name__} instead.")
    out = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InputTypeError(f"The '{name}' parameter of {_WHERE} must hold non-empty "
                                 f"strings. Got {item!r} instead.")
        out.append(item.strip())
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Constraints:
    """Which occupations a person will consider, applied before ranking.

    Every field is optional; an occupation must pass all that are set. An occupation with no
    data on a filtered field (no job zone, no BLS wage, ...) does not pass, and the results
    count it (``recs.excluded_no_data``).

    Parameters
    ----------
    min_job_zone, max_job_zone : int, optional
        O*NET job zone (preparation needed), 1 (little or none) to 5 (extensive), as in My
        Next Move's "how much preparation" choice.
    max_education : str, optional
        The most education the person will get first: one of :data:`EDUCATION_LEVELS` (BLS
        typical entry education) or a short name ("high school", "associate", "bachelor",
        "master", "doctoral"). Occupations whose typical entry level is above it are left out.
    min_wage : float, optional
        Least annual median wage, in US dollars (BLS OEWS).
    min_growth : float, optional
        Least projected employment growth 2024-34, in percent (BLS projections), e.g. 0.
    families : str or list of str, optional
        Only these job families. A name is an O*NET job family ("Healthcare Support"), a SOC
        major group code ("29-0000" or "29") or title, or words of family names: "Healthcare"
        takes both "Healthcare Practitioners and Technical" and "Healthcare Support".
    exclude_families : str or list of str, optional
        Never these job families (same names as ``families``), e.g. "Management".
    codes : str or list of str, optional
        Only these O*NET-SOC codes.
    exclude_codes : str or list of str, optional
        Never these O*NET-SOC codes.

    Examples
    --------
    >>> two_years = Constraints(max_education="associate", min_wage=45_000,
    ...                         exclude_families="Management")
    >>> two_years.max_education
    "Associate's degree"
    """

    min_job_zone: int | None = None
    max_job_zone: int | None = None
    max_education: str | None = None
    min_wage: float | None = None
    min_growth: float | None = None
    families: tuple[str, ...] = field(default=())
    exclude_families: tuple[str, ...] = field(default=())
    codes: tuple[str, ...] = field(default=())
    exclude_codes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "min_job_zone", _zone(self.min_job_zone, "min_job_zone"))
        put(self, "max_job_zone", _zone(self.max_job_zone, "max_job_zone"))
        if (self.min_job_zone is not None and self.max_job_zone is not None
                and self.min_job_zone > self.max_job_zone):
            raise InvalidInputError(
                f"The 'min_job_zone' parameter of {_WHERE} ({self.min_job_zone}) must not be "
                f"above 'max_job_zone' ({self.max_job_zone}).")
        if self.max_education is not None:
            put(self, "max_education",
                EDUCATION_LEVELS[_education_level(self.max_education, "max_education")])
        put(self, "min_wage", _number(self.min_wage, "min_wage", 0.0))
        put(self, "min_growth", _number(self.min_growth, "min_growth", -100.0))
        for name in ("families", "exclude_families", "codes", "exclude_codes"):
            put(self, name, _names(getattr(self, name), name))

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) not in (None, ()) for f in fields(self))

    def __repr__(self) -> str:
        set_ = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                if getattr(self, f.name) not in (None, ())]
        return f"Constraints({', '.join(set_)})"

    def describe(self) -> list[str]:
        """One plain sentence per constraint that is set."""
        out = []
        if self.min_job_zone is not None:
            out.append(f"job zone at least {self.min_job_zone}")
        if self.max_job_zone is not None:
            out.append(f"job zone at most {self.max_job_zone}")
        if self.max_education is not None:
            out.append(f"typical entry education at most {self.max_education}")
        if self.min_wage is not None:
            out.append(f"median wage at least ${self.min_wage:,.0f}")
        if self.min_growth is not None:
            out.append(f"projected growth at least {self.min_growth:+g}%")
        if self.families:
            out.append(f"job family: {', '.join(self.families)}")
        if self.exclude_families:
            out.append(f"not job family: {', '.join(self.exclude_families)}")
        if self.codes:
            out.append(f"only occupations {', '.join(self.codes)}")
        if self.exclude_codes:
            out.append(f"not occupations {', '.join(self.exclude_codes)}")
        return out

    def to_dict(self) -> dict[str, Any]:
        """The constraints that are set, JSON-ready (lists for the name tuples)."""
        return {f.name: list(v) if isinstance(v, tuple) else v
                for f in fields(self) if (v := getattr(self, f.name)) not in (None, ())}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Constraints:
        """The inverse of :meth:`to_dict`; unknown keys are an error."""
        return as_constraints(data, "Constraints.from_dict")


def as_constraints(where: Any, caller: str) -> Constraints:
    """``where`` as Constraints: None (no constraints), a Constraints or a dict of its fields."""
    if where is None:
        return Constraints()
    if isinstance(where, Constraints):
        return where
    if isinstance(where, Mapping):
        known = {f.name for f in fields(Constraints)}
        unknown = sorted(set(map(str, where)) - known)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(known), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise InvalidInputError(f"The 'where' parameter of {caller} has unknown key(s) "
                                    f"{unknown}; the constraints are {sorted(known)}.{hint}")
        return Constraints(**where)
    raise InputTypeError(f"The 'where' parameter of {caller} must be a passionfinder.Constraints "
                         f"or a dict of its fields. Got {type(where).__name__} instead.")


@dataclass(frozen=True)
class Screen:
    """The occupations that pass a set of constraints, against one catalog.

    ``passes`` is a bool per catalog row; ``no_data`` counts, per filtered field, the
    occupations left out because they have no data on it; ``families`` lists the job families
    each family name was read as.
    """

    constraints: Constraints
    passes: np.ndarray
    failures: Mapping[str, np.ndarray]  # constraint -> bool per row: fails it
    no_data: Mapping[str, int]
    reasons: Mapping[str, Any]  # constraint -> function(row) -> sentence
    families: Mapping[str, tuple[str, ...]]

    @property
    def count(self) -> int:
        """How many occupations pass."""
        return int(self.passes.sum())

    def why_not(self, o: int) -> list[str]:
        """Why catalog row ``o`` does not pass (empty when it does)."""
        return [self.reasons[name](o) for name, fails in self.failures.items() if fails[o]]


def _family_table(catalog: Catalog) -> tuple[list[str], dict[str, set[str]]]:
    """Job family names, and every accepted name (folded) -> the families it means."""
    occ = catalog.occupations
    fam = occ["job_family"].astype(object)
    families = sorted({f for f in fam if isinstance(f, str)})
    names: dict[str, set[str]] = {}
    for family in families:
        names.setdefault(_fold(family), set()).add(family)
    majors = occ["soc_major_group"].astype(object)
    titles = occ["soc_major_group_title"].astype(object) if "soc_major_group_title" in occ \
        else [None] * len(occ)
    for f, major, title in zip(fam, majors, titles, strict=True):
        if not isinstance(f, str) or not isinstance(major, str):
            continue
        for key in (major, major[:2], title):
            if isinstance(key, str):
                names.setdefault(_fold(key), set()).add(f)
    return families, names


def _resolve_families(catalog: Catalog, given: Sequence[str], name: str
                      ) -> dict[str, tuple[str, ...]]:
    families, names = _family_table(catalog)
    out = {}
    for text in given:
        key = _fold(text)
        found = names.get(key)
        if not found and key:  # words of family names: "healthcare" -> both healthcare ones
            words = key.split()
            found = {f for f in families
                     if all(re.search(rf"\b{re.escape(w)}\b", _fold(f)) for w in words)}
        if not found:
            hint = _close_families(text, families)
            raise InvalidInputError(
                f"The '{name}' constraint names {text!r}, which is no job family of the O*NET "
                f"{catalog.release} catalog.{hint} The families are: "
                f"{', '.join(families)} (or a SOC major group code such as '29-0000').")
        out[text] = tuple(sorted(found))
    return out


def _close_families(text: str, families: Sequence[str]) -> str:
    """' Did you mean ...?' with the families closest to ``text`` by name or by one word."""
    by_word: dict[str, list[str]] = {}
    for family in families:
        by_word.setdefault(_fold(family), []).append(family)
        for word in _fold(family).split():
            if len(word) > 3:
                by_word.setdefault(word, []).append(family)
    close = difflib.get_close_matches(_fold(text), list(by_word), n=3, cutoff=0.6)
    found = list(dict.fromkeys(f for key in close for f in by_word[key]))[:4]
    return f" Did you mean {', '.join(map(repr, found))}?" if found else ""


def _check_codes(catalog: Catalog, codes: Sequence[str]) -> None:
    for code in codes:
        catalog._check_code(code)  # raises UnknownOccupationError with close codes / titles


def screen(catalog: Catalog, constraints: Constraints) -> Screen:
    """Read ``constraints`` against ``catalog``.

    Raises
    ------
    InvalidInputError
        A family name that names no family (with the closest names).
    UnknownOccupationError
        A code that is not in the catalog.
    NoOccupationPassesError
        When no occupation passes; the message says how many passed each constraint alone.
    """
    if not constraints:  # every occupation passes; no table is read
        return Screen(constraints, np.ones(len(catalog), dtype=bool), {}, {}, {}, {})
    occ = catalog.occupations
    n = len(occ)
    c = constraints
    failures: dict[str, np.ndarray] = {}
    missing: dict[str, np.ndarray] = {}
    reasons: dict[str, Any] = {}
    zone = occ["job_zone"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    if c.min_job_zone is not None or c.max_job_zone is not None:
        low = c.min_job_zone or 1
        high = c.max_job_zone or 5
        missing["job_zone"] = np.isnan(zone)
        with np.errstate(invalid="ignore"):
            failures["job_zone"] = missing["job_zone"] | (zone < low) | (zone > high)
        wanted = f"{low}" if low == high else f"{low}-{high}"
        reasons["job_zone"] = lambda o: (
            "no job zone in O*NET" if np.isnan(zone[o]) else
            f"job zone {int(zone[o])} is outside the {wanted} asked for")
    if c.max_education is not None:
        rank = {_fold(level): i for i, level in enumerate(EDUCATION_LEVELS)}
        edu = occ["entry_education"].astype(object).tolist()
        level = np.array([rank.get(_fold(e), -1) if isinstance(e, str) else -1 for e in edu])
        top = EDUCATION_LEVELS.index(c.max_education)
        missing["entry_education"] = level < 0
        failures["entry_education"] = (level < 0) | (level > top)
        reasons["entry_education"] = lambda o: (
            "no BLS typical entry education" if level[o] < 0 else
            f"typical entry education is {EDUCATION_LEVELS[level[o]]}, above "
            f"{c.max_education}")
    if c.min_wage is not None:
        wage = occ["wage_median"].to_numpy(dtype=float)
        missing["wage_median"] = np.isnan(wage)
        with np.errstate(invalid="ignore"):
            failures["wage_median"] = np.isnan(wage) | (wage < c.min_wage)
        reasons["wage_median"] = lambda o: (
            "no BLS median wage" if np.isnan(wage[o]) else
            f"median wage ${wage[o]:,.0f} is below ${c.min_wage:,.0f}")
    if c.min_growth is not None:
        growth = occ["growth_pct"].to_numpy(dtype=float)
        missing["growth_pct"] = np.isnan(growth)
        with np.errstate(invalid="ignore"):
            failures["growth_pct"] = np.isnan(growth) | (growth < c.min_growth)
        reasons["growth_pct"] = lambda o: (
            "no BLS growth projection" if np.isnan(growth[o]) else
            f"projected growth {growth[o]:+.1f}% is below {c.min_growth:+g}%")
    resolved: dict[str, tuple[str, ...]] = {}
    family = occ["job_family"].astype(object).tolist()
    if c.families:
        read = _resolve_families(catalog, c.families, "families")
        resolved.update(read)
        allowed = {f for fs in read.values() for f in fs}
        missing["job_family"] = np.array([not isinstance(f, str) for f in family])
        failures["job_family"] = np.array([f not in allowed for f in family])
        reasons["job_family"] = lambda o: (
            "no job family" if not isinstance(family[o], str) else
            f"job family {family[o]} is not among {', '.join(sorted(allowed))}")
    if c.exclude_families:
        read = _resolve_families(catalog, c.exclude_families, "exclude_families")
        resolved.update(read)
        banned = {f for fs in read.values() for f in fs}
        failures["exclude_families"] = np.array([f in banned for f in family])
        reasons["exclude_families"] = lambda o: f"job family {family[o]} is excluded"
    codes = occ.index.tolist()
    if c.codes:
        _check_codes(catalog, c.codes)
        wanted_codes = set(c.codes)
        failures["codes"] = np.array([code not in wanted_codes for code in codes])
        reasons["codes"] = lambda o: "not among the codes asked for"
    if c.exclude_codes:
        _check_codes(catalog, c.exclude_codes)
        banned_codes = set(c.exclude_codes)
        failures["exclude_codes"] = np.array([code in banned_codes for code in codes])
        reasons["exclude_codes"] = lambda o: "its code is excluded"
    passes = np.ones(n, dtype=bool)
    for fails in failures.values():
        passes &= ~fails
    if not passes.any():
        each = "; ".join(f"{name}: {int((~fails).sum())}" for name, fails in failures.items())
        raise NoOccupationPassesError(
            f"No occupation passes the constraints ({'; '.join(c.describe())}). Of the "
            f"{n} occupations, each constraint alone keeps {each}. Loosen one of them.")
    return Screen(c, passes, failures, {name: int(m.sum()) for name, m in missing.items()},
                  reasons, resolved)
