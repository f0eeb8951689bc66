"""passionfinder: find work you can be passionate about.

Describe what a person enjoys, what they are good at and what matters to them; passionfinder
matches that to O*NET occupations, re-ranks by the person's values, and explains each
suggestion with evidence and starter steps.

The public names are loaded lazily, so ``import passionfinder`` stays fast.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

# public name -> private module that defines it
_EXPORTS: dict[str, str] = {
    "ATTRIBUTION": "_catalog",
    "CacheWarning": "_errors",
    "Catalog": "_catalog",
    "DataFormatError": "_errors",
    "DataNotFoundError": "_errors",
    "DownloadError": "_errors",
    "InputTypeError": "_errors",
    "InvalidInputError": "_errors",
    "MissingDataWarning": "_errors",
    "Occupation": "_occupation",
    "PassionfinderError": "_errors",
    "PassionfinderWarning": "_errors",
    "UnknownOccupationError": "_catalog",
    "UnknownValueError": "_errors",
    "Classification": "_results",
    "Comparison": "_explain",
    "Constraints": "_constraints",
    "Encoder": "_model.encoder",
    "Evidence": "_results",
    "Explanation": "_explain",
    "Exploration": "_exploration",
    "HeldBack": "_explain",
    "NoOccupationPassesError": "_constraints",
    "OccupationMatch": "_results",
    "PassionFinder": "_finder",
    "Profile": "_profile",
    "Recommendation": "_results",
    "Recommendations": "_results",
    "ScorePart": "_explain",
    "ScoreSummary": "_batch",
    "StarterStep": "_steps",
    "VALUES": "_values",
    "ValueContribution": "_results",
    "fetch_onet": "_download",
    "load_catalog": "_catalog",
    "load_encoder": "_model.load",
    "tune": "_model.tuning",
}

__all__ = [
    "ATTRIBUTION",
    "VALUES",
    "CacheWarning",
    "Catalog",
    "Classification",
    "Comparison",
    "Constraints",
    "DataFormatError",
    "DataNotFoundError",
    "DownloadError",
    "Encoder",
    "Evidence",
    "Explanation",
    "Exploration",
    "HeldBack",
    "InputTypeError",
    "InvalidInputError",
    "MissingDataWarning",
    "NoOccupationPassesError",
    "Occupation",
    "OccupationMatch",
    "PassionFinder",
    "PassionfinderError",
    "PassionfinderWarning",
    "Profile",
    "Recommendation",
    "Recommendations",
    "ScorePart",
    "ScoreSummary",
    "StarterStep",
    "UnknownOccupationError",
    "UnknownValueError",
    "ValueContribution",
    "fetch_onet",
    "load_catalog",
    "load_encoder",
    "tune",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'passionfinder' has no attribute {name!r}")
    if name == "VALUES":  # the value vocabulary as a table (built on first access)
        value = importlib.import_module(f"{__name__}.{module}").values_table()
    else:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    import pandas

    from ._batch import ScoreSummary
    from ._catalog import ATTRIBUTION, Catalog, UnknownOccupationError, load_catalog
    from ._constraints import Constraints, NoOccupationPassesError
    from ._download import fetch_onet
    from ._errors import (
        CacheWarning,
        DataFormatError,
        DataNotFoundError,
        DownloadError,
        InputTypeError,
        InvalidInputError,
        MissingDataWarning,
        PassionfinderError,
        PassionfinderWarning,
        UnknownValueError,
    )
    from ._explain import Comparison, Explanation, HeldBack, ScorePart
    from ._exploration import Exploration
    from ._finder import PassionFinder
    from ._model.encoder import Encoder
    from ._model.load import load_encoder
    from ._model.tuning import tune
    from ._occupation import Occupation
    from ._profile import Profile
    from ._results import (
        Classification,
        Evidence,
        OccupationMatch,
        Recommendation,
        Recommendations,
        ValueContribution,
    )
    from ._steps import StarterStep

    VALUES: pandas.DataFrame
