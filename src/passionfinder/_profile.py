"""A person's profile: what they enjoy (interests), what they are good at (strengths) and what
matters to them (values), checked and normalised once at the door.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ._values import parse_values

__all__ = ["Profile", "as_profile"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop control characters and fold runs of white space."""
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text_field(name: str, value: Any) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, str):
        text = clean_text(value)
        return text or None
    if isinstance(value, (list, tuple)):
        items = [_text_field(name, v) for v in value]
        joined = ". ".join(i.rstrip(".") for i in items if i)
        return joined or None
    raise TypeError(f"The '{name}' of a Profile must be a string or a list of strings. "
                    f"Got {type(value).__name__} instead.")


def _strengths(value: Any) -> tuple[str, ...]:
    if _is_missing(value):
        return ()
    if isinstance(value, str):
        parts = re.split(r"\s*(?:[,;\n•]|\.\s)\s*", value)
    elif isinstance(value, (list, tuple)):
        parts = []
        for item in value:
            if _is_missing(item):
                continue
            if not isinstance(item, str):
                raise TypeError("The 'strengths' of a Profile must be a string or a list of "
                                f"strings. Got a list containing {type(item).__name__} instead.")
            parts.append(item)
    else:
        raise TypeError("The 'strengths' of a Profile must be a string or a list of strings. "
                        f"Got {type(value).__name__} instead.")
    cleaned = (clean_text(p).strip(" .") for p in parts)
    return tuple(dict.fromkeys(p for p in cleaned if p))


@dataclass(frozen=True, init=False)
class Profile:
    """What a person enjoys, is good at, and cares about.

    At least one field must be given.

    Parameters
    ----------
    interests : str or list of str, optional
        What the person enjoys doing, in their own words.
    strengths : str or list of str, optional
        What they are good at: a list (``["patient", "good with my hands"]``) or a sentence,
        which is split on commas, semicolons and sentence ends.
    values : list of str, dict or str, optional
        What matters to them: names from :data:`passionfinder.VALUES` (aliases and any case are
        fine), a ``{name: weight}`` dict, or free text ("I want to make a difference and never
        worry about money"), which is mapped to the vocabulary by similarity.

    Examples
    --------
    >>> p = Profile(interests="I love fixing old bikes", values=["Autonomy"])
    >>> p.values
    mappingproxy({'independence': 1.0})
    """

    interests: str | None
    strengths: tuple[str, ...]
    values: Mapping[str, float] | str | None = field(default=None)

    def __init__(self, interests: str | list[str] | None = None,
                 strengths: str | list[str] | None = None,
                 values: list[str] | Mapping[str, float] | str | None = None) -> None:
        parsed = parse_values(values)
        if isinstance(parsed, dict):
            parsed = MappingProxyType(parsed)  # type: ignore[assignment]
        object.__setattr__(self, "interests", _text_field("interests", interests))
        object.__setattr__(self, "strengths", _strengths(strengths))
        object.__setattr__(self, "values", parsed)
        if self.interests is None and not self.strengths and self.values is None:
            raise ValueError(
                "A Profile needs at least one of 'interests', 'strengths' or 'values' with some "
                "text in it. Got none (all empty or missing).")

    def __hash__(self) -> int:
        values = self.values
        key = tuple(sorted(values.items())) if isinstance(values, Mapping) else values
        return hash((self.interests, self.strengths, key))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return (self.interests, self.strengths, _values_key(self.values)) == (
            other.interests, other.strengths, _values_key(other.values))

    def __repr__(self) -> str:
        parts = []
        if self.interests:
            text = self.interests if len(self.interests) <= 60 else self.interests[:57] + "..."
            parts.append(f"interests={text!r}")
        if self.strengths:
            parts.append(f"strengths={list(self.strengths)!r}")
        if self.values is not None:
            shown = dict(self.values) if isinstance(self.values, Mapping) else self.values
            parts.append(f"values={shown!r}")
        return f"Profile({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-ready)."""
        values = dict(self.values) if isinstance(self.values, Mapping) else self.values
        return {"interests": self.interests, "strengths": list(self.strengths), "values": values}


def _values_key(values: Mapping[str, float] | str | None) -> Any:
    return tuple(sorted(values.items())) if isinstance(values, Mapping) else values


def as_profile(item: Any) -> Profile:
    """A Profile from a Profile, a string (taken as interests) or a dict of the three fields."""
    if isinstance(item, Profile):
        return item
    if isinstance(item, str):
        return Profile(interests=item)
    if isinstance(item, Mapping):
        unknown = set(item) - {"interests", "strengths", "values"}
        if unknown:
            raise ValueError(f"A profile dict takes the keys 'interests', 'strengths' and "
                             f"'values'. Got unknown key(s) {sorted(unknown)} instead.")
        return Profile(**item)
    raise TypeError("A profile must be a Profile, a string (interests) or a dict with "
                    f"'interests', 'strengths', 'values'. Got {type(item).__name__} instead.")
