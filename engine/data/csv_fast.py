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

#: Every line must end within this many bytes for the fast reader to take a file: its C
#: tokenizer holds one line at a time (4 bytes a character, 16 a cell), never more.
MAX_LINE_BYTES = 4 * 1024 * 1024
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
    refuses the file, or reads what this reader could not)."""
    if not _CONTENT.search(raw, start) or not lines_are_short(raw, start):
        return None
    if raw.find(b"_", start) >= 0:
        return None  # float() reads 1_000; NumPy's parser does not, but let the rule be ours
    f = io.BytesIO(raw)
    f.seek(start)
    try:
        values = np.loadtxt(
            f,
            dtype=np.float64,
            delimiter=",",
            comments=None,
            quotechar='"',
            ndmin=2,
            encoding="utf-8",
        )
    except ValueError:  # a cell, a row or a byte the careful reader will name
        return None
    if values.shape[1] != width or len(values) == 0 or not np.isfinite(values).all():
        return None
    return values
