"""Reading a data set from a CSV file of numbers.

The format: UTF-8 text (a byte-order mark is allowed), comma-separated, CRLF, LF or CR
line ends, whitespace around cells ignored, blank lines ignored. The first non-blank row
is a header when any of its cells is not a number; its cells then name the columns. The
last ``targets`` columns are targets, the rest are features. Every other problem - an
empty or text cell, a ragged row, NaN or infinity, a number that is not plain ASCII
(``1_000``, ``١٢٣``), bytes that are not UTF-8 - raises :class:`CSVError` naming the row
and column, so a file never loads with silent gaps.

Reading is bounded: the size is checked before the file is read, the first row's width
before it becomes cells (a file wider than a network can take is refused at once,
naming the limit), and the rows are parsed by NumPy's C reader (:mod:`.csv_fast`) with
the careful reader (:mod:`.csv_rows`) re-reading a file only to name what is wrong.
"""

from __future__ import annotations

import codecs
import operator
import os
import stat

import numpy as np

from .. import defaults
from ..limits import MAX_INPUTS, MAX_UNITS
from .csv_cells import CSVError
from .csv_fast import read_numbers
from .csv_rows import CHUNK as _CHUNK  # noqa: F401 - tests size their files by it
from .csv_rows import check_targets, first_record, header_of, read_rows
from .dataset import Dataset, ZeroVarianceError, check_seed, check_val_split, split_dataset

MAX_CLASSES = 1000


def _size(b: int) -> str:
    """A byte count for people: '312 bytes', '12.5 KB', '300 MB' (1 KB = 1024 bytes)."""
    for unit, scale in (("MB", 1024**2), ("KB", 1024)):
        if b >= scale:
            return f"{b / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{b} bytes"


def _read_bytes(path, max_bytes: int) -> bytes:
    """The file's bytes, after checking its size with os.stat BEFORE reading it."""
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
                path, f"file is {size}, over the {limit} limit",
                kind="csv.too_large", size=size, limit=limit,
            )  # fmt: skip
        with open(path, "rb") as f:
            raw = f.read(st.st_size + 1)  # read(n) allocates n bytes: never ask for more
            if len(raw) > st.st_size:  # it grows: read on, up to one byte past the limit
                raw += f.read(max(max_bytes + 1 - len(raw), 0))
    except OSError as e:
        raise CSVError(
            path, f"cannot open the file: {e.strerror or e}",
            kind="csv.cannot_open", detail=str(e.strerror or e),
        ) from None  # fmt: skip
    if len(raw) > max_bytes:  # grew since os.stat
        raise CSVError(
            path, f"file is over the {_size(max_bytes)} limit",
            kind="csv.grew_too_large", limit=_size(max_bytes),
        )  # fmt: skip
    return raw


def _width_limit(targets: int) -> str:
    """What a network can take, for the message that refuses a file wider than that."""
    s = "s" if targets != 1 else ""
    return (
        f"a network takes at most {MAX_INPUTS:,} input columns (plus the {targets} "
        f"target column{s})"
    )


def _parse(path, raw: bytes, targets: int):
    """All data rows of the file's bytes ``raw`` as (N, C) float64 and the header's names
    (None without a header); CSVError for any problem."""
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    max_cells, limit = MAX_INPUTS + targets, _width_limit(targets)
    first = first_record(path, raw, start, max_cells, limit)
    if first is None:
        raise CSVError(path, "the file is empty", kind="csv.empty")
    row, _line, after = first
    check_targets(path, targets, len(row))
    header = header_of(row)
    values = read_numbers(raw, after if header is not None else start, len(row))
    if values is not None:
        return values, header
    return read_rows(path, raw, start, targets, max_cells, limit)


def _targets_error(path, targets) -> CSVError:
    return CSVError(
        path, f"targets must be a whole number >= 1, got {targets!r}", kind="csv.bad_targets",
        value=repr(targets),
    )  # fmt: skip


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

    The last ``targets`` columns (1 to MAX_UNITS, leaving at least one feature column)
    become ``t`` (N, targets), the others ``x`` (N, D): at most MAX_INPUTS of them, the
    widest input a network takes (a wider file is refused before its rows are read). One
    target column of whole numbers >= 0 whose largest value is between 1 and 999 makes a
    classification set with ``labels`` (N,) and ``n_classes`` = largest + 1; anything
    else is regression. Rows are split
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
    if targets > MAX_UNITS:
        raise CSVError(
            path, f"targets must be at most {MAX_UNITS} (the widest output layer), got {targets}",
            kind="csv.too_many_targets", limit=MAX_UNITS, targets=targets,
        )  # fmt: skip
    val_split = check_val_split(val_split)
    seed = check_seed(seed)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0:
        raise ValueError(f"max_bytes must be a whole number >= 0, got {max_bytes!r}")

    values, header = _parse(path, _read_bytes(path, max_bytes), targets)
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
    del values, x, t, labels  # the data set holds its own rows now
    if not standardize:
        return data
    try:
        return data.standardized()
    except ZeroVarianceError as e:  # e.g. a one-row file: say so, naming the column
        raise CSVError(path, str(e), kind=e.kind, **e.params) from None
