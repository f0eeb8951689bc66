"""A person's profile: what they enjoy (interests), what they are good at (strengths) and what
matters to them (values), checked and normalised once at the door.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ._errors import InputTypeError, InvalidInputError
from ._values import is_missing, parse_values

__all__ = ["Profile", "as_profile"]

# Control characters (C0, C1) and lone UTF-16 surrogates (a str may hold them; encoders refuse them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_WORD = re.compile(r"[^\W_]")  # a letter or digit, in any script


def clean_text(text: str) -> str:
    """Drop control characters and lone surrogates and fold runs of white space. A text with
    no letter or digit in any script ("!!!", "🎨🎨") says nothing to match and becomes ""."""
    text = re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()
    return text if _WORD.search(text) else ""


def _text_field(name: str, value: Any) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, str):
        text = clean_text(value)
        return text or None
    if isinstance(value, (list, tuple)):
        items = [_text_field(name, v) for v in value]
        joined = ". ".join(i.rstrip(".") for i in items if i)
        return joined or None
    raise InputTypeError(f"The '{name}' of a Profile must be a string or a list of strings. "
                         f"Got {type(value).__name__} instead.")


#: most distinct strengths a profile may list: each one is compared with every task statement
#: (about 75 KB of memory each), so an unbounded list is a way to exhaust memory
MAX_STRENGTHS = 100


def _strengths(value: Any) -> tuple[str, ...]:
    if is_missing(value):
        return ()
    if isinstance(value, str):
        parts = re.split(r"\s*(?:[,;\n•]|\.\s)\s*", value)
    elif isinstance(value, (list, tuple)):
        parts = []
        for item in value:
            if is_missing(item):
                continue
            if not isinstance(item, str):
                raise InputTypeError(
                    "The 'strengths' of a Profile must be a string or a list of strings. "
                    f"Got a list containing {type(item).__name__} instead.")
            parts.append(item)
    else:
        raise InputTypeError("The 'strengths' of a Profile must be a string or a list of "
                             f"strings. Got {type(value).__name__} instead.")
    cleaned = (clean_text(p).strip(" .") for p in parts)
    strengths = tuple(dict.fromkeys(p for p in cleaned if p))
    if len(strengths) > MAX_STRENGTHS:
        raise InvalidInputError(
            f"The 'strengths' of a Profile can list at most {MAX_STRENGTHS} different "
            f"strengths (each is matched on its own against every task). Got "
            f"{len(strengths):,} instead. Put longer text about what the person is good at in "
            "'interests', which is read as a whole.")
    return strengths


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
        if isinstance(values, str):  # free text is cleaned like the other fields
            values = clean_text(values) or None
        parsed = parse_values(values)
        if isinstance(parsed, dict):
            parsed = MappingProxyType(parsed)  # type: ignore[assignment]
        object.__setattr__(self, "interests", _text_field("interests", interests))
        object.__setattr__(self, "strengths", _strengths(strengths))
        object.__setattr__(self, "values", parsed)
        if self.interests is None and not self.strengths and self.values is None:
            raise InvalidInputError(
                "A Profile needs at least one of 'interests', 'strengths' or 'values' with some "
                "text in it. Got none (all missing, empty, or without a letter or digit).")

    def __hash__(self) -> int:
        values = self.values
        key = tuple(sorted(values.items())) if isinstance(values, Mapping) else values
        return hash((self.interests, self.strengths, key))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return (self.interests, self.strengths, _values_key(self.values)) == (
            other.interests, other.strengths, _values_key(other.values))

    def __repr__(self) -> str:  # short, whatever the person wrote
        parts = []
        if self.interests:
            parts.append(f"interests={_short(self.interests)!r}")
        if self.strengths:
            shown = [_short(s, 30) for s in self.strengths[:3]]
            more = f" (+{len(self.strengths) - 3} more)" if len(self.strengths) > 3 else ""
            parts.append(f"strengths={shown!r}{more}")
        if isinstance(self.values, Mapping):
            parts.append(f"values={dict(self.values)!r}")
        elif self.values is not None:
            parts.append(f"values={_short(self.values)!r}")
        return f"Profile({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-ready)."""
        values = dict(self.values) if isinstance(self.values, Mapping) else self.values
        return {"interests": self.interests, "strengths": list(self.strengths), "values": values}


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


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
            raise InvalidInputError(f"A profile dict takes the keys 'interests', 'strengths' and "
                             f"'values'. Got unknown key(s) {sorted(unknown)} instead.")
        return Profile(**item)
    raise InputTypeError("A profile must be a Profile, a string (interests) or a dict with "
                         f"'interests', 'strengths', 'values'. Got {type(item).__name__} "
                         "instead.")
