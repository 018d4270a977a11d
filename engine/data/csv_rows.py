"""Reading a data CSV file row by row, with every check: the careful reader.

It is the reference for what a file means and the source of every error message (row,
column, reason). :mod:`.csv_fast` reads the common case faster and gives way to it
whenever it is not sure. Widths are checked on the raw bytes of each line *before* the
line becomes cells: a record with more cells than a network can take is refused at
once, so a 190 MB line of ``0,`` costs a count of its commas, not ninety million strings.
"""

from __future__ import annotations

import csv

import numpy as np

from ..limits import MAX_INPUTS
from .csv_cells import CSVError, bad_cell, is_number, looks_numeric

CHUNK = 4096  # rows converted to float at a time, to keep the strings' memory small
_BLOCK = 4 * 1024 * 1024


def count_bytes(raw: bytes, byte: bytes, start: int, end: int) -> int:
    """``raw.count(byte, start, end)``, 4 MB at a time: a count holds the GIL, and the
    window's thread may run between the blocks of a 190 MB line."""
    if end - start <= _BLOCK:
        return raw.count(byte, start, end)
    return sum(raw.count(byte, s, min(s + _BLOCK, end)) for s in range(start, end, _BLOCK))


class Lines:
    """The lines of ``raw[start:]`` (bytes) as text for :func:`csv.reader`: LF, CRLF or CR
    line ends, each line decoded as UTF-8 on its own (an undecodable byte raises
    CSVError naming its row and column). A record - one or more lines, until the reader
    calls :meth:`record_done` - may hold at most ``max_cells`` cells: the commas are
    counted on the bytes before a line is decoded, and :class:`TooWide` is raised past
    that. ``line`` is the number of the last line handed out (1-based)."""

    def __init__(self, path, raw: bytes, start: int, max_cells: int) -> None:
        self.path, self.raw, self.pos, self.max_cells = path, raw, start, max_cells
        self.line = 0
        self._cells = 1
        self._lf = -1

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        raw, s = self.raw, self.pos
        if s >= len(raw):
            raise StopIteration
        if self._lf < s:  # the next LF, remembered: a file of CR line ends has none
            self._lf = raw.find(b"\n", s)
            if self._lf < 0:
                self._lf = len(raw)
        e = min(self._lf + 1, len(raw))
        cr = raw.find(b"\r", s, e)
        if cr >= 0 and cr != self._lf - 1:
            e = cr + 1  # a line ended by CR alone
        self.pos = e
        self.line += 1
        self._cells += count_bytes(raw, b",", s, e)
        if self._cells > self.max_cells:
            raise TooWide(self.line, self._cells, raw.find(b'"', s, e) >= 0)
        try:
            return raw[s:e].decode("utf-8")
        except UnicodeDecodeError as err:
            column = raw.count(b",", s, s + err.start) + 1
            raise CSVError(
                self.path,
                f"byte 0x{raw[s + err.start]:02x} is not UTF-8 text (save the file as 'CSV UTF-8')",
                self.line,
                column,
                kind="csv.not_utf8",
                byte=f"0x{raw[s + err.start]:02x}",
            ) from None

    def record_done(self) -> None:
        """The reader has a whole record: the next line starts a new one."""
        self._cells = 1


class TooWide(Exception):
    """A record of more cells than allowed, met on line ``line``: ``cells`` is its comma
    count plus one so far (exact unless ``quoted`` cells hide commas)."""

    def __init__(self, line: int, cells: int, quoted: bool) -> None:
        super().__init__(line, cells, quoted)
        self.line, self.cells, self.quoted = line, cells, quoted


def width_error(path, err: TooWide, width: int | None, limit: str, max_cells: int) -> CSVError:
    """The message for ``err``: on the first record the width limit (``limit`` says what
    a network can take), later a ragged row."""
    count = f"more than {err.cells - 1:,}" if err.quoted else f"{err.cells:,}"
    if width is None:
        return CSVError(
            path, f"{count} columns, but {limit}", err.line,
            kind="csv.too_wide", count=count, limit=limit,
            max_inputs=MAX_INPUTS, targets=max_cells - MAX_INPUTS,
        )  # fmt: skip
    return CSVError(
        path, f"expected {width} columns, found {count}", err.line,
        kind="csv.ragged", expected=width, found=count,
    )  # fmt: skip


def unreadable(path, e: csv.Error, reader) -> CSVError:
    """The CSVError for the csv module's refusal ``e`` while ``reader`` read ``path``."""
    return CSVError(
        path, f"unreadable CSV ({e})", max(reader.line_num, 1),
        kind="csv.unreadable", detail=str(e),
    )  # fmt: skip


def is_blank(row: list[str]) -> bool:
    """A record with no content: an empty line, or a single empty or blank cell."""
    return not row or (len(row) == 1 and not row[0].strip())


def header_of(row: list[str]) -> tuple[str, ...] | None:
    """The column names when the first record ``row`` is a header (any cell that float()
    does not read), else None. An empty name becomes "column j"."""
    cells = [c.strip() for c in row]
    if any(c and not looks_numeric(c) for c in cells):
        return tuple(c or f"column {j}" for j, c in enumerate(cells, start=1))
    return None


def first_record(path, raw: bytes, start: int, max_cells: int, limit: str):
    """The first non-blank record of ``raw[start:]``: (cells, its line number, the byte
    offset just after it), or None for a file with none. A record of more than
    ``max_cells`` cells raises CSVError naming ``limit``."""
    lines = Lines(path, raw, start, max_cells)
    reader = csv.reader(lines, skipinitialspace=True)
    try:
        for row in reader:
            lines.record_done()
            if not is_blank(row):
                return row, lines.line, lines.pos
    except TooWide as e:
        raise width_error(path, e, None, limit, max_cells) from None
    except csv.Error as e:
        raise unreadable(path, e, reader) from None
    return None


def _convert(path, rows: list[list[str]], lines: list[int], check_cells: bool) -> np.ndarray:
    """(rows, columns) float64 from cells, or CSVError for the first bad cell.
    ``check_cells``: some cell may hold '_' or non-ASCII text, which float() reads but a
    data file must not (see :mod:`.csv_cells`)."""
    try:
        values = np.array(rows, dtype=np.float64)
    except ValueError:
        raise bad_cell(path, rows, lines) from None
    if not np.isfinite(values).all():
        raise bad_cell(path, rows, lines)
    if check_cells and not all(is_number(c.strip()) for row in rows for c in row):
        raise bad_cell(path, rows, lines)
    return values


def read_rows(
    path, raw: bytes, start: int, targets: int, max_cells: int, limit: str
) -> tuple[np.ndarray, tuple[str, ...] | None]:
    """All data rows of ``raw[start:]`` as (N, C) float64 and the header's names (None
    without a header), every cell checked; any problem raises CSVError naming its row
    and column. A record wider than ``max_cells`` is refused before it becomes cells."""
    lines = Lines(path, raw, start, max_cells)
    reader = csv.reader(lines, skipinitialspace=True)
    check_cells = b"_" in raw or not raw.isascii()
    header = None
    width = None
    chunks: list[np.ndarray] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    line_end = 0
    try:
        for row in reader:
            lines.record_done()
            # a record (with a quoted line break) may span lines: report the first one
            line, line_end = line_end + 1, reader.line_num
            if is_blank(row):
                continue
            if width is None:
                width = len(row)
                check_targets(path, targets, width)
                header = header_of(row)
                if header is not None:
                    continue
            if len(row) != width:
                raise CSVError(
                    path, f"expected {width} columns, found {len(row)}", line,
                    kind="csv.ragged", expected=width, found=len(row),
                )  # fmt: skip
            rows.append(row)
            numbers.append(line)
            if len(rows) >= CHUNK:
                chunks.append(_convert(path, rows, numbers, check_cells))
                rows, numbers = [], []
    except TooWide as e:
        raise width_error(path, e, width, limit, max_cells) from None
    except csv.Error as e:
        raise unreadable(path, e, reader) from None
    if width is None:
        raise CSVError(path, "the file is empty", kind="csv.empty")
    if rows:
        chunks.append(_convert(path, rows, numbers, check_cells))
    if not chunks:
        raise CSVError(path, "only a header row, no data", kind="csv.header_only")
    return np.concatenate(chunks), header


def check_targets(path, targets: int, width: int) -> None:
    """CSVError unless ``targets`` columns leave at least one feature column."""
    if targets >= width:
        raise CSVError(
            path,
            f"targets={targets} but the file has {width} column"
            f"{'s' if width != 1 else ''}; at least one feature column is needed",
            kind="csv.no_feature_column",
            targets=targets,
            width=width,
        )
