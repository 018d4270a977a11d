"""What a cell of a data CSV file may hold, and the error that names a bad one.

A number is written the way Python and C write one, in ASCII: an optional sign, digits
0-9 with an optional decimal point, an optional exponent (``-2.5``, ``1e-3``, ``+.5``).
Python's ``float()`` also accepts digit separators (``1_000``) and the digits of other
scripts (Arabic-Indic ``١٢٣``, full-width ``１２``); a data file is numbers only, so those
are refused, naming the cell. NaN and infinity are refused too (they are never data).
Both readers (:mod:`.csv_fast` and :mod:`.csv_rows`) follow these rules.
"""

from __future__ import annotations

import math
import os
import re

from ..errors import Explained

NON_FINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)
ASCII_ONLY = (
    "only ASCII digits 0-9 are read, as in 1000, -2.5 or 3e-4 (no '_' separators, "
    "no digits of other scripts)"
)


class CSVError(Explained, ValueError):
    """A CSV file that cannot be loaded. ``path`` as given, ``row`` the 1-based line number
    in the file (or None), ``column`` 1-based (or None), ``reason`` the bare explanation.
    ``str(err)`` is one line: "data.csv, row 5, column 3: 'abc' is not a number".
    ``kind`` and ``params`` (:mod:`engine.errors`) say the reason for a translation;
    ``params`` always holds ``file``, ``row`` and ``column`` besides the given ones."""

    def __init__(
        self, path, reason: str, row: int | None = None, column: int | None = None,
        *, kind: str = "csv.other", **params,
    ):  # fmt: skip
        self.path, self.row, self.column, self.reason = str(path), row, column, reason
        where = os.path.basename(self.path) or self.path
        given = {"reason": reason, "file": where, "row": row, "column": column}
        self.explain(kind, {**given, **params})
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {reason}")


def show(text: str, limit: int = 40) -> str:
    """``repr(text)``, shortened to about ``limit`` characters for an error message."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def looks_numeric(cell: str) -> bool:
    """Whether Python's float() reads ``cell`` (stripped): how the header row is told
    from a data row, so that a first row of ``١٢٣`` is refused as data, not taken as names."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def is_number(cell: str) -> bool:
    """Whether ``cell`` (stripped) is a number in the file's sense: ASCII, no '_', and
    read by float() (NaN and infinity included: :func:`bad_cell` refuses those)."""
    return cell.isascii() and "_" not in cell and looks_numeric(cell)


def cell_problem(cell: str) -> str | None:
    """Why the raw cell ``cell`` is not a finite number (None when it is one)."""
    text = cell.strip()
    if not text:
        return "missing value"
    if NON_FINITE.fullmatch(text) or (is_number(text) and not math.isfinite(float(text))):
        return f"non-finite value {show(text)}"
    if is_number(text):
        return None
    if looks_numeric(text):
        return f"{show(text)} is not a number: {ASCII_ONLY}"
    return f"{show(text)} is not a number"


def cell_kind(cell: str, problem: str) -> dict:
    """The ``kind`` and ``value`` of :func:`cell_problem`'s ``problem`` with ``cell``."""
    text = cell.strip()
    if not text:
        kind = "csv.missing_value"
    elif problem.startswith("non-finite"):
        kind = "csv.non_finite"
    elif problem.endswith(ASCII_ONLY):
        kind = "csv.not_ascii"
    else:
        kind = "csv.not_a_number"
    return {"kind": kind} if not text else {"kind": kind, "value": show(text)}


def bad_cell(path, rows: list[list[str]], lines: list[int]) -> CSVError:
    """The error for the first cell (in file order) of ``rows`` that is not a finite
    number; ``lines`` are the rows' line numbers."""
    for row, line in zip(rows, lines, strict=True):
        for c, cell in enumerate(row):
            problem = cell_problem(cell)
            if problem is not None:
                return CSVError(path, problem, line, c + 1, **cell_kind(cell, problem))
    raise AssertionError("no bad cell found")  # pragma: no cover
