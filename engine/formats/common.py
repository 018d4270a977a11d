"""Shared pieces of the weight-file formats: the error type, limits, safe JSON parsing
and bounded file reading (the architecture document every format stores is in
:mod:`.architecture_doc`).

Every reader treats the file as hostile: sizes are checked before anything is read or
allocated, JSON is parsed without NaN/Infinity and with a bounded nesting depth, and any
problem becomes a one-line :class:`ModelFileError` ``"<file name>: <what is wrong>"``.
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..errors import Explained
from ..network import MAX_LAYERS, MAX_UNITS

FORMAT_NAME = "backprop-lab.model"
FORMAT_VERSION = 1

MB = 1024 * 1024
#: No weight file larger than this is read (checked before reading) or written.
MAX_FILE_BYTES = 512 * MB
#: JSON becomes Python objects (~30 bytes per number), so its cap is lower; large
#: networks belong in .npz or .safetensors.
MAX_JSON_BYTES = 128 * MB
#: The architecture document (npz member, safetensors header) is tiny; anything larger is
#: not ours.
MAX_HEADER_BYTES = 1 * MB
#: Upper bound on JSON brackets in a well-formed model file: one per weight row, a few per
#: layer. Checked before json.loads so nesting and "[[],[],...]" bombs are cheap to reject.
MAX_JSON_BRACKETS = MAX_LAYERS * (MAX_UNITS + 4) + 16

TOP_KEYS = ("format", "version", "input_size", "bias", "dtype", "layers")
ARRAY_LAYER_KEYS = ("units", "activation", "weight", "bias")
ARCH_LAYER_KEYS = ("units", "activation")


class ModelFileError(Explained, ValueError):
    """A weight file that cannot be saved or loaded. ``str(e)`` is one line:
    ``"<file name>: <what is wrong>"``. ``e.source`` is the file name, ``e.problem`` the rest.

    ``kind`` and ``params`` (:mod:`engine.errors`) say the problem for a translation;
    ``params`` always holds ``source`` and ``problem``. ``inner``, an engine error whose
    message is the whole problem, gives kind ``"file.inner"`` with its ``inner_kind`` and
    ``inner_params``."""

    def __init__(
        self,
        source: object,
        problem: str | None = None,
        *,
        kind: str = "file.other",
        inner: BaseException | None = None,
        **params: object,
    ) -> None:
        if problem is None:  # a single message
            source, problem = "", str(source)
        self.source = _one_line(str(source))
        self.problem = _one_line(str(problem))
        if isinstance(inner, Explained):
            kind = "file.inner"
            params = {**params, "inner_kind": inner.kind, "inner_params": dict(inner.params)}
        self.explain(kind, {**params, "source": self.source, "problem": self.problem})
        super().__init__(f"{self.source}: {self.problem}" if self.source else self.problem)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def display_name(path: object) -> str:
    """The file name shown in messages (no folders)."""
    try:
        return Path(os.fspath(path)).name or str(path)
    except TypeError:
        return str(path)


def human_size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


# ---------------------------------------------------------------- reading files


def open_checked(path: object, limit: int = MAX_FILE_BYTES) -> tuple[BinaryIO, int]:
    """Open ``path`` for reading after checking it is a regular file of at most ``limit``
    bytes (checked on the open descriptor, so it cannot change in between).

    Returns ``(file, size)``; OSError (missing file, no permission) passes through."""
    name = display_name(path)
    if not stat.S_ISREG(os.stat(path).st_mode):  # before open(): a FIFO would block it
        raise ModelFileError(name, "not a regular file", kind="file.not_regular")
    f = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    try:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ModelFileError(name, "not a regular file", kind="file.not_regular")
        if st.st_size > limit:
            raise ModelFileError(
                name,
                f"the file is {st.st_size:,} bytes, more than the {human_size(limit)} limit "
                "for this format",
                kind="file.too_large",
                size=f"{st.st_size:,}",
                limit=human_size(limit),
            )
    except BaseException:
        f.close()
        raise
    return f, st.st_size


def read_capped(path: object, limit: int) -> bytes:
    """The whole file, refusing (before reading) anything larger than ``limit`` bytes."""
    f, size = open_checked(path, limit)
    with f:
        data = f.read(size + 1)  # read(n) allocates n bytes up front: never ask for more
    if len(data) != size:
        raise ModelFileError(
            display_name(path), "the file changed while it was being read", kind="file.changed"
        )
    return data


def read_exact(f: BinaryIO, n: int, source: str, what: str) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise ModelFileError(
            source, f"the file is truncated: {what} needs {n} bytes, only {len(data)} remain"
        )
    return data


# ---------------------------------------------------------------- JSON


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed (weights must be finite numbers)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is too large (weights must be finite)")
    return value


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    d = {}
    for key, value in pairs:
        if key in d:
            raise ValueError(f"key {key!r} appears twice")
        d[key] = value
    return d


def json_text(data: bytes | str, source: str) -> str:
    """The text of untrusted JSON ``data``: UTF-8 (a byte-order mark allowed) with at most
    MAX_JSON_BRACKETS brackets, so nesting and "[[],[],...]" bombs are cheap to refuse.
    Errors become ModelFileError."""
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ModelFileError(
                source, f"not UTF-8 text (byte {e.start})", kind="file.not_utf8", byte=e.start
            ) from None
    else:
        text = data
    block = 4 * MB  # counted a block at a time: the GIL is free between blocks
    brackets = sum(
        text.count("[", i, i + block) + text.count("{", i, i + block)
        for i in range(0, len(text), block)
    )
    if brackets > MAX_JSON_BRACKETS:
        raise ModelFileError(
            source, f"not a model file: {brackets} JSON brackets (at most {MAX_JSON_BRACKETS})",
            kind="file.too_many_brackets", count=brackets, limit=MAX_JSON_BRACKETS,
        )  # fmt: skip
    return text


def loads_json(data: bytes | str, source: str) -> object:
    """Parse untrusted JSON: UTF-8, no NaN/Infinity (not even as overflowing literals like
    1e999), no duplicate keys, bounded nesting. Errors become ModelFileError."""
    text = json_text(data, source)
    try:
        return json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=_no_duplicates,
        )
    except (RecursionError, ValueError) as e:  # JSONDecodeError is a ValueError
        raise json_error(source, e) from None


def json_error(source: str, e: RecursionError | ValueError) -> ModelFileError:
    """The ModelFileError for a failed ``json.loads`` of ``source``: nested too deeply, a
    syntax error at its line and column, or a hook's refusal (NaN, a too-large number, a
    duplicate key, an integer with too many digits)."""
    if isinstance(e, RecursionError):
        return ModelFileError(source, "invalid JSON: nested too deeply", kind="file.json_too_deep")
    if isinstance(e, json.JSONDecodeError):
        return ModelFileError(
            source, f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}",
            kind="file.invalid_json_at", line=e.lineno, column=e.colno, detail=e.msg,
        )  # fmt: skip
    return ModelFileError(source, f"invalid JSON: {e}")


def dumps_compact(obj: object) -> str:
    return json.dumps(obj, allow_nan=False, separators=(",", ":"))
