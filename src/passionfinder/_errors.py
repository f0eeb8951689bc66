"""The exception and warning classes of passionfinder: one small tree under PassionfinderError.

Each subclass also derives from the matching built-in, so ``except ValueError`` or
``except FileNotFoundError`` keeps working for callers that do not know our names.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = [
    "CacheWarning",
    "DataFormatError",
    "DataNotFoundError",
    "DownloadError",
    "InputTypeError",
    "InvalidInputError",
    "MissingDataWarning",
    "PassionfinderError",
    "PassionfinderWarning",
    "UnknownValueError",
    "caller_stacklevel",
]


class PassionfinderError(Exception):
    """Base class of every error raised by passionfinder."""


class DataNotFoundError(PassionfinderError, FileNotFoundError):
    """The O*NET release (or a required file of it) could not be found."""


class DataFormatError(PassionfinderError, ValueError):
    """A data file is malformed: a missing or renamed column, unreadable content."""


class DownloadError(PassionfinderError, OSError):
    """Downloading or verifying a data release failed."""


class InvalidInputError(PassionfinderError, ValueError):
    """An argument or a profile field has an unusable value: an empty profile, ``k`` out of
    range, a negative or non-finite value weight. The message names the parameter, what it
    must be and what came."""


class InputTypeError(PassionfinderError, TypeError):
    """An argument or a profile field has the wrong type: bytes, a number or a dict where
    text is expected. The message names the parameter, what it must be and what came."""


class UnknownValueError(InvalidInputError, KeyError):
    """A value name (e.g. ``"creativty"``) that is not in the value vocabulary."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class PassionfinderWarning(UserWarning):
    """Base class of every warning issued by passionfinder."""


class MissingDataWarning(PassionfinderWarning):
    """An optional data file is absent; the warning names the features it disables."""


class CacheWarning(PassionfinderWarning):
    """A compiled cache was stale or corrupt and has been rebuilt."""


_PACKAGE_DIR = str(Path(__file__).resolve().parent)


def caller_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside passionfinder,
    so the user sees their own line, not ours."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(
            _PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level
