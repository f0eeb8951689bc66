"""CSV output that is safe to open in a spreadsheet: a text cell that a spreadsheet would run
as a formula (CSV injection) is written with a leading apostrophe, and every line break inside
a cell is quoted, so that no cell can spill into the next row.
"""

from __future__ import annotations

import re
from typing import IO, Any

import numpy as np
import pandas as pd

__all__ = ["FORMULA_STARTS", "LINE_TERMINATOR", "escape_cell", "escape_frame", "write_csv"]

#: the first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
#: (OWASP "CSV Injection", ASVS 1.2.10), with the line feed and NUL for good measure
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
#: CRLF (RFC 4180); with it, Python's csv writer also quotes a cell that holds a lone "\r",
#: which a spreadsheet would otherwise take for the end of the row
LINE_TERMINATOR = "\r\n"
# a plain number written as text ("-5", "+1.5", "-2e3"): it holds no formula and a
# spreadsheet shows it as the number, so it is left as it is
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# text that starts like a formula, after any apostrophes: escaping "'=x" too (to "''=x") makes
# the escape exactly reversible, by removing one "'" from the cells this matches
_ESCAPED = re.compile("'*[" + re.escape("".join(FORMULA_STARTS)) + "]")


def escape_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text that starts like a formula (after any
    apostrophes); anything else (numbers, missing values, text that is a plain number)
    unchanged."""
    if (isinstance(value, str) and _ESCAPED.match(value)
            and not _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (columns of object or string dtype) and column
    names are escaped with :func:`escape_cell`. Numeric columns are not touched, and each
    column keeps its dtype."""
    out = frame.copy(deep=False)
    for position, dtype in enumerate(frame.dtypes):
        if pd.api.types.is_string_dtype(dtype):  # object, str, string, string[pyarrow]
            # cell by cell, with no type inference: an object column of ints and None (ids,
            # ranks) must stay ints, not turn into floats
            column = frame.iloc[:, position]
            cells = np.empty(len(column), dtype=object)
            cells[:] = [escape_cell(value) for value in column.tolist()]
            out.isetitem(position, pd.Series(cells, index=column.index, dtype=dtype))
    out.columns = [escape_cell(name) for name in frame.columns]
    return out


def write_csv(frame: pd.DataFrame, target: str | IO[str], *, header: bool = True,
              escape: bool = True) -> None:
    """Write ``frame`` (without its index) as CSV, escaped unless ``escape`` is False."""
    if escape:
        frame = escape_frame(frame)
    frame.to_csv(target, header=header, index=False, lineterminator=LINE_TERMINATOR)
