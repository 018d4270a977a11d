"""Where the details of an unexpected error go: the full text (a traceback, a child
process's last words) is written to stderr and appended to ``errors.log`` in the
application-data folder (:func:`gui.settings.data_folder`), for a bug report - the user
sees one readable line (:func:`one_line`). Nothing here ever raises: a report that
cannot be written is dropped.

The log is kept small: beyond :data:`MAX_LOG_BYTES` it is renamed ``errors.log.1``
(replacing an older one) and a new one is begun.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
import sysconfig
import traceback
from pathlib import Path
from types import TracebackType

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 1024 * 1024
MAX_LINE = 300  # characters of a one-line message


def log_path() -> Path | None:
    """The error log's path (None if the application-data folder is unknown)."""
    try:
        from .settings import data_folder

        return data_folder() / LOG_NAME
    except Exception:
        return None


def one_line(text: object, limit: int = MAX_LINE) -> str:
    """``text`` as one line of at most ``limit`` characters (whitespace runs become one
    space; a longer text ends in "...")."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _is_library(filename: str) -> bool:
    path = os.path.abspath(filename)
    return (
        "site-packages" in path
        or "dist-packages" in path
        or path.startswith(_STDLIB)
        or filename.startswith("<")
    )


_STDLIB = os.path.abspath(sysconfig.get_paths()["stdlib"])


def where_raised(tb: TracebackType | None) -> str:
    """The function an exception came from (its qualified name, ``Class.method``): the
    innermost frame of Backprop Lab's code (or of any code that is not an installed
    library such as NumPy or pyqtgraph, nor the standard library), else the innermost
    frame."""
    app = last = None
    while tb is not None:
        code = tb.tb_frame.f_code
        name = getattr(code, "co_qualname", code.co_name)
        last = name
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        if module.startswith("backprop_lab") or not _is_library(code.co_filename):
            app = name
        tb = tb.tb_next
    return app or last or "an unknown place"


def describe(exc: BaseException, where: str) -> str:
    """``<where>: <ExcType>: <message>`` on one line (the caller says "Unexpected error
    in ..." in the user's language)."""
    message = one_line(exc)
    return one_line(f"{where}: {type(exc).__name__}" + (f": {message}" if message else ""))


def write_report(title: str, details: str) -> None:
    """Write ``title`` and ``details`` (e.g. a formatted traceback) to stderr and append
    them, with the time, to the error log. Never raises."""
    text = f"Backprop Lab: {title}\n{details.rstrip()}\n"
    with contextlib.suppress(Exception):
        stream = sys.stderr if sys.stderr is not None else sys.__stderr__
        if stream is not None:
            stream.write(text)
            stream.flush()
    with contextlib.suppress(Exception):
        path = log_path()
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            os.replace(path, path.with_name(LOG_NAME + ".1"))
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        with open(path, "a", encoding="utf-8", errors="replace") as f:
            f.write(f"[{stamp}] {text}")


def format_exception(exc_type, exc, tb) -> str:
    """The full traceback text of an exception (never raises)."""
    try:
        return "".join(traceback.format_exception(exc_type, exc, tb))
    except Exception:
        return f"{getattr(exc_type, '__name__', exc_type)}: {exc!r}"


__all__ = [
    "LOG_NAME",
    "MAX_LOG_BYTES",
    "describe",
    "format_exception",
    "log_path",
    "one_line",
    "where_raised",
    "write_report",
]
