"""The terminal report's layout (passionfinder/_terminal.py): display widths, wrapping that
never runs past the width, panels whose every line is as wide as the panel, and colour only
on a terminal."""

from __future__ import annotations

import io
import random
import re

import pytest

from passionfinder._terminal import Styles, cell_width, panel, styles_for, terminal_width, wrap

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WORDS = ["bikes", "repair", "日本語", "テキスト", "café", "naïve", "e\u0301", "👍", "❤\ufe0f",
         "supercalifragilisticexpialidocious", "a", "“quoted”", "O*NET", "—", "x" * 30]


def test_cell_width_counts_columns() -> None:
    assert cell_width("bikes") == 5
    assert cell_width("日本語") == 6  # wide characters take two columns
    assert cell_width("e\u0301") == 1  # a combining accent takes none
    assert cell_width("❤\ufe0f") == 1  # nor does a variation selector
    assert cell_width("“quoted”") == 8


@pytest.mark.parametrize("width", [1, 5, 12, 40, 76])
def test_wrap_never_runs_past_the_width_and_keeps_every_word(width: int) -> None:
    rng = random.Random(width)
    for _ in range(200):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.3:
            text = text.replace(" ", "\n", 1)
        lines = wrap(text, width)
        assert all(cell_width(line) <= max(width, 2) for line in lines), (text, lines)
        # nothing lost: the lines hold the words in order (a long word may be cut in pieces)
        assert "".join("".join(lines).split()) == "".join(text.split())
    assert wrap("two\n\nparagraphs", 20) == ["two", "", "paragraphs"]
    assert wrap("", 10) == [""]


@pytest.mark.parametrize("color", [False, True])
def test_every_panel_line_is_as_wide_as_the_panel(color: bool) -> None:
    styles = Styles(color)
    title = [("1. Bicycle Repairers", ("bold", "green")), ("  49-3091.00  score 0.80", ())]
    body = [(0, [("Why it fits", ("bold",))]),
            (2, [("your interests ~ task: ", ()), ("“Assemble new bicycles.”", ("italic",)),
                 (" (0.60)", ())]),
            (2, [("Try: ", ("cyan",)), (" ".join(WORDS * 3), ())])]
    for width in (30, 52, 80):
        lines = panel(title, body, width, styles)
        plain = [ANSI.sub("", line) for line in lines]
        assert {cell_width(line) for line in plain} == {width}, plain
        assert plain[0].startswith("╭─ 1. Bicycle") and plain[-1].startswith("╰")
        assert (ANSI.search("".join(lines)) is not None) == color
    long_title = [("1. First-Line Supervisors of Landscaping, Lawn Service, and Groundskeeping "
                   "Workers", ("bold",))]
    top = ANSI.sub("", panel(long_title, [], 60, styles)[0])
    assert "…" in top and cell_width(top) == 60


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert styles_for(FakeTerminal()).color
    assert not styles_for(io.StringIO()).color
    assert Styles(True)("go", "bold", "green") == "\x1b[1;32mgo\x1b[0m"
    assert Styles(False)("go", "bold") == "go"
    monkeypatch.setenv("NO_COLOR", "1")
    assert not styles_for(FakeTerminal()).color
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width(io.StringIO()) == 80
    monkeypatch.setenv("COLUMNS", "100")
    assert terminal_width(io.StringIO()) == 100
    monkeypatch.setenv("COLUMNS", "0")  # never a frame too narrow to draw
    assert terminal_width(io.StringIO()) == 20
