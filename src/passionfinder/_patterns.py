"""Regular expressions compiled when first used, so that importing a module compiles none.

The rules of the profile reader, the gender-neutral rewrite and the starter steps hold dozens
of large patterns; compiled at import they would cost every process that starts a finder,
including the ones that never read a profile. A :class:`LazyPattern` is written like
``re.compile(...)`` and compiles on its first match; after that it is the compiled pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["LazyPattern"]


class LazyPattern:
    """``re.compile(pattern, flags)``, done on first use (the methods of re.Pattern that
    passionfinder uses). Threads that use it at once may both compile it; either result is
    the same pattern."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        return self._compiled or self._compile()

    def _compile(self) -> re.Pattern[str]:
        self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    # each method goes straight to the compiled pattern: they run in the hot paths of the
    # profile reader and the neutral rewrite
    def search(self, string: str, *span: int) -> re.Match[str] | None:
        return (self._compiled or self._compile()).search(string, *span)

    def match(self, string: str, *span: int) -> re.Match[str] | None:
        return (self._compiled or self._compile()).match(string, *span)

    def fullmatch(self, string: str, *span: int) -> re.Match[str] | None:
        return (self._compiled or self._compile()).fullmatch(string, *span)

    def findall(self, string: str, *span: int) -> list[Any]:
        return (self._compiled or self._compile()).findall(string, *span)

    def finditer(self, string: str, *span: int) -> Iterator[re.Match[str]]:
        return (self._compiled or self._compile()).finditer(string, *span)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str,
            count: int = 0) -> str:
        return (self._compiled or self._compile()).sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return (self._compiled or self._compile()).split(string, maxsplit)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"
