"""Reading a data set from a CSV file of numbers.

The format: UTF-8 text (a byte-order mark is allowed), comma-separated, CRLF or LF line
ends, whitespace around cells ignored, blank lines ignored. The first non-blank row is a
header when any of its cells is not a number; its cells then name the columns. The last
``targets`` columns are targets, the rest are features. Every other problem - an empty
or text cell, a ragged row, NaN or infinity, bytes that are not UTF-8 - raises
:class:`CSVError` naming the row and column, so a file never loads with silent gaps.
"""

from __future__ import annotations

import csv
import io
import math
import operator
import os
import re
import stat

import numpy as np

from .. import defaults
from ..errors import Explained
from .dataset import Dataset, ZeroVarianceError, check_seed, check_val_split, split_dataset

MAX_CLASSES = 1000
_CHUNK = 4096  # rows converted to float at a time, to keep the strings' memory small
_NON_FINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)


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


def _size(b: int) -> str:
    """A byte count for people: '312 bytes', '12.5 KB', '300 MB' (1 KB = 1024 bytes)."""
    for unit, scale in (("MB", 1024**2), ("KB", 1024)):
        if b >= scale:
            return f"{b / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{b} bytes"


def _read_text(path, max_bytes: int) -> str:
    """The file's text, after checking its size with os.stat BEFORE reading it."""
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise CSVError(path, "this is a folder, not a file", kind="csv.folder")
        if not stat.S_ISREG(st.st_mode):
            raise CSVError(path, "this is not a regular file", kind="csv.not_regular")
        if st.st_size > max_bytes:
            size, limit = _size(st.st_size), _size(max_bytes)
            if size == limit:
                size, limit = f"{st.st_size:,} bytes", f"{max_bytes:,} bytes"
            raise CSVError(
                path,
                f"file is {size}, over the {limit} limit",
                kind="csv.too_large",
                size=size,
                limit=limit,
            )
        with open(path, "rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise CSVError(
            path,
            f"cannot open the file: {e.strerror or e}",
            kind="csv.cannot_open",
            detail=str(e.strerror or e),
        ) from None
    if len(raw) > max_bytes:  # grew since os.stat
        raise CSVError(
            path,
            f"file is over the {_size(max_bytes)} limit",
            kind="csv.grew_too_large",
            limit=_size(max_bytes),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line_start = raw.rfind(b"\n", 0, e.start) + 1
        row = raw.count(b"\n", 0, e.start) + 1
        column = raw.count(b",", line_start, e.start) + 1
        raise CSVError(
            path,
            f"byte 0x{raw[e.start]:02x} is not UTF-8 text (save the file as 'CSV UTF-8')",
            row,
            column,
            kind="csv.not_utf8",
            byte=f"0x{raw[e.start]:02x}",
        ) from None


def _show(text: str, limit: int = 40) -> str:
    """``repr(text)``, shortened to about ``limit`` characters for an error message."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _cell_error(path, reason: str, line: int, c: int, text: str) -> CSVError:
    kind = "csv.not_a_number" if reason.endswith("is not a number") else "csv.non_finite"
    return CSVError(path, reason, line, c + 1, kind=kind, value=_show(text))


def _targets_error(path, targets) -> CSVError:
    return CSVError(
        path, f"targets must be a whole number >= 1, got {targets!r}", kind="csv.bad_targets",
        value=repr(targets),
    )  # fmt: skip


def _bad_cell(path, rows, lines, values=None) -> CSVError:
    """The error for the first cell (in file order) of ``rows`` that is not a finite number.
    ``values``, if given, is the float conversion of ``rows``."""
    for r, (row, line) in enumerate(zip(rows, lines, strict=True)):
        for c, cell in enumerate(row):
            text = cell.strip()
            if not text:
                return CSVError(path, "missing value", line, c + 1, kind="csv.missing_value")
            if _NON_FINITE.fullmatch(text) or (_is_number(text) and not math.isfinite(float(text))):
                return _cell_error(path, f"non-finite value {_show(text)}", line, c, text)
            if not _is_number(text):
                return _cell_error(path, f"{_show(text)} is not a number", line, c, text)
            if values is not None and not math.isfinite(values[r, c]):
                return _cell_error(path, f"non-finite value {_show(text)}", line, c, text)
    raise AssertionError("no bad cell found")  # pragma: no cover


def _convert(path, rows: list[list[str]], lines: list[int]) -> np.ndarray:
    """(rows, columns) float64 from cells, or CSVError for the first bad cell."""
    try:
        values = np.array(rows, dtype=np.float64)
    except ValueError:
        raise _bad_cell(path, rows, lines) from None
    if not np.isfinite(values).all():
        raise _bad_cell(path, rows, lines, values)
    return values


def _parse(path, text: str, targets: int) -> tuple[np.ndarray, tuple[str, ...] | None]:
    """All data rows as (N, C) float64 and the header's names (None without a header)."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    header = None
    width = None
    chunks: list[np.ndarray] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    line_end = 0
    try:
        for row in reader:
            # a record (with a quoted line break) may span lines: report the first one
            line, line_end = line_end + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if width is None:
                width = len(row)
                if targets >= width:
                    raise CSVError(
                        path,
                        f"targets={targets} but the file has {width} column"
                        f"{'s' if width != 1 else ''}; at least one feature column is needed",
                        kind="csv.no_feature_column",
                        targets=targets,
                        width=width,
                    )
                cells = [c.strip() for c in row]
                if any(c and not _is_number(c) for c in cells):
                    header = tuple(c or f"column {j}" for j, c in enumerate(cells, start=1))
                    continue
            if len(row) != width:
                raise CSVError(
                    path, f"expected {width} columns, found {len(row)}", line,
                    kind="csv.ragged", expected=width, found=len(row),
                )  # fmt: skip
            rows.append(row)
            lines.append(line)
            if len(rows) >= _CHUNK:
                chunks.append(_convert(path, rows, lines))
                rows, lines = [], []
    except csv.Error as e:
        raise CSVError(
            path,
            f"unreadable CSV ({e})",
            max(reader.line_num, 1),
            kind="csv.unreadable",
            detail=str(e),
        ) from None
    if width is None:
        raise CSVError(path, "the file is empty", kind="csv.empty")
    if rows:
        chunks.append(_convert(path, rows, lines))
    if not chunks:
        raise CSVError(path, "only a header row, no data", kind="csv.header_only")
    return np.concatenate(chunks), header


def _class_labels(t: np.ndarray) -> np.ndarray | None:
    """(N,) int64 labels if the (N, 1) target column holds whole numbers 0..MAX_CLASSES-1
    with at least two classes (largest label >= 1), else None."""
    col = t[:, 0]
    if col.min() < 0 or col.max() >= MAX_CLASSES or col.max() < 1:
        return None
    if not np.array_equal(col, np.floor(col)):
        return None
    return col.astype(np.int64)


def load_csv(
    path,
    targets: int = defaults.CSV_TARGETS,
    val_split: float = defaults.VAL_SPLIT,
    seed: int = defaults.DATA_SEED,
    standardize: bool = defaults.STANDARDIZE,
    max_bytes: int = 200 * 1024**2,
) -> Dataset:
    """Load a data set from the CSV file at ``path`` (str or os.PathLike).

    The last ``targets`` columns (>= 1, leaving at least one feature column) become ``t``
    (N, targets), the others ``x`` (N, D). One target column of whole numbers >= 0 whose
    largest value is between 1 and 999 makes a classification set with ``labels`` (N,) and
    ``n_classes`` = largest + 1; anything else is regression. Rows are split
    by a permutation seeded by ``seed``: round(N * val_split) rows (val_split in [0, 0.9])
    go to validation, at least one row stays for training. ``standardize`` scales features
    with the training rows' mean and std (:meth:`Dataset.standardized`); a column with
    the same value in every training row is then refused (CSVError naming it). Files larger than
    ``max_bytes`` are refused before reading. Every problem raises :class:`CSVError`.
    """
    if isinstance(targets, bool):
        raise _targets_error(path, targets)
    try:
        targets = operator.index(targets)
    except TypeError:
        raise _targets_error(path, targets) from None
    if targets < 1:
        raise _targets_error(path, targets)
    val_split = check_val_split(val_split)
    seed = check_seed(seed)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0:
        raise ValueError(f"max_bytes must be a whole number >= 0, got {max_bytes!r}")

    values, header = _parse(path, _read_text(path, max_bytes), targets)
    width = values.shape[1]
    names = header or tuple(f"column {j}" for j in range(1, width + 1))
    x, t = values[:, : width - targets], values[:, width - targets :]
    labels = _class_labels(t) if targets == 1 else None
    base = os.path.basename(os.fspath(path))
    data = split_dataset(
        os.path.splitext(base)[0] or base,
        x,
        t,
        labels,
        task="regression" if labels is None else "classification",
        n_classes=0 if labels is None else int(labels.max()) + 1,
        feature_names=names[: width - targets],
        target_names=names[width - targets :],
        val_split=val_split,
        seed=seed,
    )
    if not standardize:
        return data
    try:
        return data.standardized()
    except ZeroVarianceError as e:  # e.g. a one-row file: say so, naming the column
        raise CSVError(path, str(e), kind=e.kind, **e.params) from None
