"""The documentation agrees with the code: the value table in docs/values.md is the one
docs/gen_values_table.py generates from passionfinder.VALUES, and the docs carry the O*NET
attribution verbatim. Fast; needs no data folder and no model.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import passionfinder as pf

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    """docs/gen_values_table.py, imported from its path (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_values_table", DOCS / "gen_values_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def _documented_table(generator: ModuleType) -> str:
    text = (DOCS / "values.md").read_text(encoding="utf-8")
    assert text.count(generator.BEGIN) == 1, f"docs/values.md needs one line {generator.BEGIN!r}"
    assert text.count(generator.END) == 1, f"docs/values.md needs one line {generator.END!r}"
    start = text.index(generator.BEGIN) + len(generator.BEGIN)
    return text[start:text.index(generator.END)].strip("\n")


def test_values_table_in_docs_matches_the_vocabulary(generator: ModuleType) -> None:
    expected = generator.render_table()
    assert _documented_table(generator) == expected, (
        "docs/values.md is out of date with passionfinder.VALUES: replace the table between "
        "its BEGIN/END markers with the output of `python docs/gen_values_table.py`.")


def test_values_table_has_one_row_per_value(generator: ModuleType) -> None:
    rows = generator.render_table().splitlines()[2:]
    names = [re.findall(r"^\| \*\*(.+?)\*\* \|", row) for row in rows]
    assert names == [[name] for name in pf.VALUES.index]


def test_generator_prints_the_table(generator: ModuleType, capsys: pytest.CaptureFixture[str]
                                    ) -> None:
    generator.main()
    assert capsys.readouterr().out == generator.render_table() + "\n"


def test_generator_escapes_cells(generator: ModuleType) -> None:
    import pandas as pd

    table = pd.DataFrame([{"name": "a|b", "aliases": "x,\ny", "description": "d",
                           "sources": "s (100%)"}]).set_index("name")
    assert generator.render_table(table).splitlines()[2] == \
        "| **a\\|b** | x, y | d | s (100%) |"


@pytest.mark.parametrize("page", ["README.md", "docs/data.md"])
def test_docs_carry_the_onet_attribution_verbatim(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8").replace("\\*", "*")  # Markdown escapes
    assert pf.ATTRIBUTION in " ".join(text.split())
