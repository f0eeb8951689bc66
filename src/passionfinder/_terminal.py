"""Laying out text for a terminal: display widths, word wrapping, framed panels, and styles as
ANSI codes when the output is a terminal (none otherwise, or with ``NO_COLOR`` set).

It only builds strings; cli.py prints them. Written for the command's report, which it draws
in a few milliseconds with the standard library alone.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

__all__ = ["Styles", "cell_width", "panel", "styles_for", "terminal_width", "wrap"]

_CODES = {"bold": "1", "dim": "2", "italic": "3", "green": "32", "cyan": "36"}
_WORDS = re.compile(r"\S+")
#: characters that take no column of their own (joiners, variation selectors)
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufe0e\ufe0f")


def _char_width(char: str) -> int:
    if char in _ZERO_WIDTH or unicodedata.combining(char):
        return 0
    if unicodedata.category(char) in ("Cc", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """How many terminal columns ``text`` takes: wide (CJK, emoji) characters two, combining
    marks and joiners none."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def _cut(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """The span of a word wider than ``width`` in spans of at most ``width`` columns."""
    spans, begin, used = [], start, 0
    for i in range(start, end):
        w = _char_width(text[i])
        if used + w > width and i > begin:
            spans.append((begin, i))
            begin, used = i, 0
        used += w
    spans.append((begin, end))
    return spans


def _line_spans(text: str, width: int) -> list[list[tuple[int, int]]]:
    """Each line of ``text`` wrapped to ``width`` columns, as the spans of its words in
    ``text`` (shown joined by single spaces)."""
    width = max(1, width)
    lines: list[list[tuple[int, int]]] = []
    offset = 0
    for paragraph in text.split("\n"):
        line: list[tuple[int, int]] = []
        used = 0
        for match in _WORDS.finditer(paragraph):
            a, b = match.start() + offset, match.end() + offset
            w = cell_width(text[a:b])
            if line and used + 1 + w <= width:
                line.append((a, b))
                used += 1 + w
                continue
            if line:
                lines.append(line)
            pieces = _cut(text, a, b, width) if w > width else [(a, b)]
            lines.extend([piece] for piece in pieces[:-1])
            line, used = [pieces[-1]], cell_width(text[slice(*pieces[-1])])
        lines.append(line)
        offset += len(paragraph) + 1
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken between words (a longer word is
    broken inside); white space between words becomes one space, line breaks are kept."""
    return [" ".join(text[a:b] for a, b in line) for line in _line_spans(text, width)]


@dataclass(frozen=True)
class Styles:
    """Applies named styles (bold, dim, italic, green, cyan) as ANSI codes, or not at all."""

    color: bool

    def __call__(self, text: str, *names: str) -> str:
        if not self.color or not names or not text:
            return text
        codes = ";".join(_CODES[n] for n in names)
        return f"\x1b[{codes}m{text}\x1b[0m"


def styles_for(stream: TextIO) -> Styles:
    """Colour on a terminal, unless ``NO_COLOR`` is set or ``TERM`` is ``dumb``."""
    isatty = getattr(stream, "isatty", None)
    tty = bool(isatty and isatty())
    return Styles(tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb")


def terminal_width(stream: TextIO, default: int = 80) -> int:
    """The width to draw at: ``COLUMNS`` when set, else the terminal's width when ``stream``
    is a terminal, else ``default``; never under 20 columns."""
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() else default
    else:
        width = shutil.get_terminal_size((default, 24)).columns
    return max(20, width)


def panel(title: Sequence[tuple[str, tuple[str, ...]]],
          body: Iterable[tuple[int, Sequence[tuple[str, tuple[str, ...]]]]],
          width: int, styles: Styles) -> list[str]:
    """A framed panel ``width`` columns wide, as lines.

    ``title`` is a list of (text, styles) parts, shown in the top border (cut with "…" when
    too long); ``body`` gives the lines of the panel as (indent, parts), each wrapped to the
    panel's inside and indented on every line it takes.
    """
    inner = max(4, width - 4)  # "│ " + text + " │"
    plain_title = "".join(text for text, _ in title)
    room = inner - 2
    if cell_width(plain_title) > room:  # cut, styling the cut title as its first part
        kept, used = "", 0
        for char in plain_title:
            if used + _char_width(char) > room - 1:
                break
            kept += char
            used += _char_width(char)
        title = [(kept + "…", title[0][1] if title else ())]
        plain_title = kept + "…"
    shown_title = "".join(styles(text, *names) for text, names in title)
    fill = width - 5 - cell_width(plain_title)  # "╭─ " + title + " " + "─" * fill + "╮"
    lines = [f"╭─ {shown_title} {'─' * max(0, fill)}╮"]
    for indent, parts in body:
        plain = "".join(text for text, _ in parts)
        if not any(names for _, names in parts):
            wrapped = [(line, line) for line in wrap(plain, inner - indent)]
        else:
            wrapped = _styled_lines(parts, inner - indent, styles)
        for line_plain, line_shown in wrapped:
            pad = inner - indent - cell_width(line_plain)
            lines.append(f"│ {' ' * indent}{line_shown}{' ' * max(0, pad)} │")
    lines.append(f"╰{'─' * (width - 2)}╯")
    return lines


def _styled_lines(parts: Sequence[tuple[str, tuple[str, ...]]], width: int, styles: Styles
                  ) -> list[tuple[str, str]]:
    """The wrapped lines of styled parts: (plain line, line with its styles)."""
    plain = "".join(text for text, _ in parts)
    style_of: list[tuple[str, ...]] = []
    for text, names in parts:
        style_of.extend([names] * len(text))

    def shown(a: int, b: int) -> str:
        out, run_start = "", a
        for i in range(a + 1, b + 1):
            if i == b or style_of[i] != style_of[run_start]:
                out += styles(plain[run_start:i], *style_of[run_start])
                run_start = i
        return out

    return [(" ".join(plain[a:b] for a, b in line), " ".join(shown(a, b) for a, b in line))
            for line in _line_spans(plain, width)]
