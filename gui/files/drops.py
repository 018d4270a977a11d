"""Files dropped on the window: a CSV file becomes the data, a ``.bplab`` session file is
opened (asking about unsaved work first), a weight file (.json, .npz, .safetensors) is
imported. Anything else, or more than one file, is refused."""

from __future__ import annotations

from pathlib import Path

from backprop_lab.engine.formats import LOADABLE_FORMATS
from backprop_lab.engine.formats.session import SUFFIX as SESSION_SUFFIX
from PySide6.QtGui import QDragEnterEvent, QDropEvent


def dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The one local file of a drag whose kind the window opens, or None."""
    mime = event.mimeData()
    if not mime.hasUrls() or len(mime.urls()) != 1 or not mime.urls()[0].isLocalFile():
        return None
    path = mime.urls()[0].toLocalFile()
    suffix = Path(path).suffix.lower()
    known = suffix in (".csv", SESSION_SUFFIX) or suffix in LOADABLE_FORMATS
    return path if known else None


def open_dropped(window, path: str) -> None:
    """Open ``path`` (a file :func:`dropped_file` accepted) as its kind says."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        window.data_panel.load_csv_file(path)
    elif suffix == SESSION_SUFFIX:
        window.session.start_open(path)  # in the background, as File > Open does
    else:
        window.weight_files.start_import(path)


__all__ = ["dropped_file", "open_dropped"]
