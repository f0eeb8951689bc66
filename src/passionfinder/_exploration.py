"""Exploration state: one person's profile, feedback and constraints, kept between requests as
plain JSON (never pickle), so a web app can store it in a session or a database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ._constraints import Constraints, as_constraints
from ._errors import InputTypeError, InvalidInputError
from ._profile import Profile, as_profile

if TYPE_CHECKING:
    from ._explain import Explanation
    from ._finder import PassionFinder
    from ._results import Recommendations

__all__ = ["Exploration"]

#: the version of the JSON form; a newer one is refused with a clear message
STATE_VERSION = 1


def _codes(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or isinstance(value, (bytes, Mapping)):
        raise InputTypeError(f"The '{name}' field of Exploration must be a list of O*NET-SOC "
                             f"codes. Got {type(value).__name__} instead.")
    out = []
    for item in value:
        code = getattr(item, "onet_soc_code", item)
        if not isinstance(code, str):
            raise InputTypeError(f"The '{name}' field of Exploration must hold O*NET-SOC codes "
                                 f"(str). Got {item!r} instead.")
        out.append(code)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Exploration:
    """Where one person is in exploring: their profile, the occupations they liked and
    disliked, and their constraints. Immutable: :meth:`like`, :meth:`dislike` and
    :meth:`constrain` return a new state.

    Examples
    --------
    >>> state = Exploration(Profile(interests="caring for patients"))
    >>> state = state.like("29-1141.00").constrain(max_job_zone=3)
    >>> Exploration.from_json(state.to_json()) == state
    True
    """

    profile: Profile
    liked: tuple[str, ...] = field(default=())
    disliked: tuple[str, ...] = field(default=())
    constraints: Constraints = field(default_factory=Constraints)

    def __post_init__(self) -> None:
        object.__setattr__(self, "profile", as_profile(self.profile))
        object.__setattr__(self, "liked", _codes(self.liked, "liked"))
        object.__setattr__(self, "disliked", _codes(self.disliked, "disliked"))
        object.__setattr__(self, "constraints",
                           as_constraints(self.constraints, "Exploration"))
        both = sorted(set(self.liked) & set(self.disliked))
        if both:
            raise InvalidInputError(f"Exploration: {', '.join(both)} cannot be both liked and "
                                    "disliked.")

    def like(self, *codes: str) -> Exploration:
        """A new state with these occupations liked (and no longer disliked)."""
        new = _codes(list(codes), "liked")
        return replace(self, liked=tuple(dict.fromkeys(self.liked + new)),
                       disliked=tuple(c for c in self.disliked if c not in new))

    def dislike(self, *codes: str) -> Exploration:
        """A new state with these occupations disliked (and no longer liked)."""
        new = _codes(list(codes), "disliked")
        return replace(self, disliked=tuple(dict.fromkeys(self.disliked + new)),
                       liked=tuple(c for c in self.liked if c not in new))

    def constrain(self, **changes: Any) -> Exploration:
        """A new state with these constraints changed (None clears one)."""
        data = self.constraints.to_dict()
        data.update(changes)
        return replace(self, constraints=as_constraints(
            {key: value for key, value in data.items() if value is not None},
            "Exploration.constrain"))

    def recommend(self, finder: PassionFinder, k: int = 10, **options: Any) -> Recommendations:
        """:meth:`PassionFinder.recommend` with this state's feedback and constraints."""
        return finder.recommend(self.profile, k, where=self.constraints, liked=self.liked,
                                disliked=self.disliked, **options)

    def explain(self, finder: PassionFinder, occupation: str, k: int = 10,
                **options: Any) -> Explanation:
        """:meth:`PassionFinder.explain` of one occupation against this state's list."""
        return finder.explain(self.profile, occupation, k, where=self.constraints,  # type: ignore[return-value]
                              liked=self.liked, disliked=self.disliked, **options)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-ready)."""
        return {"version": STATE_VERSION, "profile": self.profile.to_dict(),
                "liked": list(self.liked), "disliked": list(self.disliked),
                "constraints": self.constraints.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Exploration:
        """The inverse of :meth:`to_dict`; a missing profile or a newer version is an error."""
        if not isinstance(data, Mapping):
            raise InputTypeError("Exploration.from_dict takes a dict. "
                                 f"Got {type(data).__name__} instead.")
        version = data.get("version", STATE_VERSION)
        if not isinstance(version, int) or version > STATE_VERSION:
            raise InvalidInputError(f"Exploration state version {version!r} is newer than this "
                                    f"passionfinder reads ({STATE_VERSION}). Upgrade it.")
        unknown = sorted(set(data) - {"version", "profile", "liked", "disliked",
                                      "constraints"})
        if unknown:
            raise InvalidInputError(f"Exploration state has unknown key(s) {unknown}.")
        if "profile" not in data:
            raise InvalidInputError("Exploration state has no 'profile'.")
        return cls(profile=as_profile(data["profile"]), liked=tuple(data.get("liked", ())),
                   disliked=tuple(data.get("disliked", ())),
                   constraints=as_constraints(data.get("constraints") or None,
                                              "Exploration.from_dict"))

    def to_json(self) -> str:
        """The state as a JSON string."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Exploration:
        """The state from :meth:`to_json`'s string."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InvalidInputError(f"Exploration state is not valid JSON: {exc}") from None
        return cls.from_dict(data)
