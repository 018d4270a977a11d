"""Reading the rows of a data CSV file with NumPy's C parser: the common case, fast.

:func:`numpy.loadtxt` (its C implementation, NumPy >= 1.23) turns the data rows into one
float64 array at about 3 million rows a second, holding nothing per cell but the result;
the careful reader (:mod:`.csv_rows`) takes some 30 times longer and keeps its strings a
chunk at a time. The fast reader only ever answers when it is sure: every value it
returns is the one the careful reader would return, and anything it does not read the
same way - a bad or missing cell, a ragged row, NaN, a CR line end, a blank line of
spaces, a quote after a space - makes it answer None, and the careful reader then reads
the file and names the problem. NumPy's parser reads ASCII numbers only (after
stripping the whitespace str.strip() strips), as the careful reader does. That the two
agree is checked by ``tests/engine/test_csv_readers.py``, file by random file.
"""

from __future__ import annotations

import io
import re

import numpy as np

from .csv_rows import count_bytes

#: Every line must end within this many bytes for the fast reader to take a file: its C
#: tokenizer holds one line at a time (4 bytes a character, 16 a cell), never more.
MAX_LINE_BYTES = 4 * 1024 * 1024
#: Bytes parsed in one call: about 15 ms of holding the GIL on this project's machine.
PIECE_BYTES = 256 * 1024
_CONTENT = re.compile(rb"\S")


def lines_are_short(raw: bytes, start: int, limit: int = MAX_LINE_BYTES) -> bool:
    """Whether every LF-terminated line of ``raw[start:]`` is shorter than ``limit``."""
    pos = start
    while len(raw) - pos > limit:
        nl = raw.rfind(b"\n", pos, pos + limit)
        if nl < 0:
            return False
        pos = nl + 1
    return True


def read_numbers(raw: bytes, start: int, width: int) -> np.ndarray | None:
    """The data rows of ``raw[start:]`` (after the header, if any) as (N, ``width``)
    float64, N >= 1, when every cell is a finite number in the careful reader's sense and
    every row has ``width`` cells; None when the careful reader must decide (it then
    refuses the file, or reads what this reader could not).

    The rows are parsed in pieces of about PIECE_BYTES into one preallocated array:
    NumPy's parser holds the GIL while it runs, and between pieces the window's thread
    gets it back (a 60 MB file in one call froze the window for seconds)."""
    if not _CONTENT.search(raw, start) or not lines_are_short(raw, start):
        return None
    if raw.find(b"_", start) >= 0:
        return None  # float() reads 1_000; NumPy's parser does not, but let the rule be ours
    out = np.empty((count_bytes(raw, b"\n", start, len(raw)) + 1, width))
    n = 0
    for s, e in pieces(raw, start):
        if not _CONTENT.search(raw, s, e):
            continue  # blank lines only (NumPy would warn "input contained no data")
        values = _parse(raw[s:e])
        if values is None or values.shape[1] != width or not np.isfinite(values).all():
            return None
        out[n : n + len(values)] = values
        n += len(values)
    out.resize((n, width), refcheck=False)  # nothing else refers to it yet
    return out


def pieces(raw: bytes, start: int, size: int = PIECE_BYTES):
    """(start, end) offsets of consecutive pieces of ``raw[start:]`` of at least ``size``
    bytes (the last one shorter), each ending just after a line feed (or at the end)."""
    s = start
    while s < len(raw):
        nl = raw.find(b"\n", s + size)
        e = len(raw) if nl < 0 else nl + 1
        yield s, e
        s = e


def _parse(piece: bytes) -> np.ndarray | None:
    """(rows, columns) float64 of the lines ``piece`` by NumPy's C parser, or None."""
    try:
        return np.loadtxt(
            io.BytesIO(piece),
            dtype=np.float64,
            delimiter=",",
            comments=None,
            quotechar='"',
            ndmin=2,
            encoding="utf-8",
        )
    except ValueError:  # a cell, a row or a byte the careful reader will name
        return None
