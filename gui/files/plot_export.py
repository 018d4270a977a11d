"""Export what a view shows: PNG or SVG through pyqtgraph's exporters, and the loss
history as CSV. Every file is written atomically (a temporary file in the same folder,
then renamed), so a failed export leaves an existing file as it was.

A view is exported as the pyqtgraph scene it draws in (a PlotWidget, or the plot inside
a view widget such as the network view). Views made of several scenes (the per-layer
heatmaps) are rendered whole: PNG through ``QWidget.grab``, SVG through ``QSvgGenerator``.
PNGs have the device pixel ratio of the screen, so they are as crisp as the window.

Drawing a view (:func:`render_plot`) paints widgets and scenes, so it runs in the GUI
thread; encoding and writing the file (:func:`write_plot`) touch no widget and may run
as a background task. benchmarks/bench_plot_export.py times both halves.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters as pg_exporters
from backprop_lab.engine.formats.atomic import atomic_write
from backprop_lab.engine.transport.history import LossHistory
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

PLOT_SUFFIXES = (".png", ".svg")
PLOT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg)"
CSV_FILTER = "CSV table (*.csv)"
CSV_COLUMNS = (
    "iteration",
    "training_loss",
    "validation_loss",
    "training_accuracy",
    "validation_accuracy",
)


def scenes_of(widget: QWidget) -> list[pg.GraphicsView]:
    """The pyqtgraph views (scenes) a widget draws in: itself, or its visible children."""
    if isinstance(widget, pg.GraphicsView):
        return [widget]
    return [v for v in widget.findChildren(pg.GraphicsView) if v.isVisibleTo(widget)]


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "PNG"):
        raise OSError("the image could not be encoded as PNG")
    buf.close()
    return bytes(data.data())


def plot_bytes(widget: QWidget, suffix: str) -> bytes:
    """The view as a PNG or SVG file's bytes (``suffix`` ".png" or ".svg")."""
    return encode_plot(render_plot(widget, suffix))


def encode_plot(rendered: QImage | bytes) -> bytes:
    """The file bytes of what :func:`render_plot` made: a QImage is encoded as PNG, SVG
    bytes are returned as they are. Touches no widget (any thread)."""
    return _png_bytes(rendered) if isinstance(rendered, QImage) else rendered


def render_plot(widget: QWidget, suffix: str) -> QImage | bytes:
    """The view drawn for a ``suffix`` ".png" (a QImage, encoded by :func:`encode_plot`)
    or ".svg" file (its bytes). Paints the view: GUI thread only."""
    suffix = suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        raise ValueError(f"plots are exported as PNG or SVG, not {suffix or 'no suffix'}")
    scenes = scenes_of(widget)
    if len(scenes) == 1:
        item = scenes[0].scene()
        if suffix == ".svg":
            try:
                return pg_exporters.SVGExporter(item).export(toBytes=True)
            except (ValueError, TypeError, IndexError):
                # pyqtgraph's SVG writer cannot take every item (e.g. multi-segment
                # curves): draw the plot through Qt's SVG painter instead
                return _svg_bytes(scenes[0])
        exporter = pg_exporters.ImageExporter(item)
        ratio = max(widget.devicePixelRatioF(), 1.0)
        width = max(round(scenes[0].width() * ratio), 1)
        exporter.parameters()["width"] = width  # the height follows the aspect ratio
        return exporter.export(toBytes=True)
    if suffix == ".png":
        return widget.grab().toImage()
    return _svg_bytes(widget)


def _svg_bytes(widget: QWidget) -> bytes:
    """``widget`` drawn through QSvgGenerator (vector shapes and text)."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(widget.width(), widget.height()))
    gen.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    gen.setTitle(widget.objectName() or "Backprop Lab plot")
    QWidget.render(widget, gen)  # QWidget.render: QGraphicsView.render draws the scene only
    buf.close()
    return bytes(data.data())


def plot_path(path: str | os.PathLike) -> Path:
    """Where a plot export goes: ``path``, with .png added if it has no suffix."""
    path = Path(os.fspath(path))
    return path if path.suffix else path.with_suffix(".png")


def write_plot(path: Path, rendered: QImage | bytes) -> Path:
    """Encode what :func:`render_plot` made and write it to ``path`` atomically; returns
    the path. Touches no widget (any thread, e.g. a background task)."""
    atomic_write(path, encode_plot(rendered))
    return path


def export_plot(widget: QWidget, path: str | os.PathLike) -> Path:
    """Write the view to ``path`` (.png or .svg; no suffix: .png); returns the path."""
    path = plot_path(path)
    return write_plot(path, render_plot(widget, path.suffix))


def loss_table(state: dict[str, np.ndarray]) -> list[tuple]:
    """Rows (iteration, training loss, validation loss, training accuracy, validation
    accuracy) from a LossPlot's ``history_state()``; a series without a value at an
    iteration leaves its cell empty. Old history is decimated (LossHistory keeps each
    bin's minimum and maximum), so after a long run not every iteration has a row."""
    train = LossHistory()
    train.set_state({k[6:]: v for k, v in state.items() if k.startswith("train-")})
    evals = LossHistory(columns=3)
    evals.set_state({k[5:]: v for k, v in state.items() if k.startswith("eval-")})
    series = [train.arrays(0)] + [evals.arrays(c) for c in range(3)]
    rows: dict[int, list] = {}
    for col, (x, y) in enumerate(series):
        for it, v in zip(x.astype(np.int64).tolist(), y.tolist(), strict=True):
            if v == v:  # NaN: no value
                rows.setdefault(it, [None] * 4)[col] = v
    return [(it, *vals) for it, vals in sorted(rows.items())]


def loss_csv_bytes(state: dict[str, np.ndarray]) -> bytes:
    """The loss history as CSV (header :data:`CSV_COLUMNS`, values with full precision)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in loss_table(state):
        writer.writerow(["" if v is None else repr(v) for v in row])
    return out.getvalue().encode("utf-8")


def export_loss_csv(loss_plot, path: str | os.PathLike) -> Path:
    """Write the loss plot's history to ``path`` as CSV; returns the path."""
    path = Path(os.fspath(path))
    if not path.suffix:
        path = path.with_suffix(".csv")
    atomic_write(path, loss_csv_bytes(loss_plot.history_state()))
    return path


__all__ = [
    "CSV_COLUMNS",
    "CSV_FILTER",
    "PLOT_FILTERS",
    "encode_plot",
    "export_loss_csv",
    "export_plot",
    "loss_csv_bytes",
    "loss_table",
    "plot_bytes",
    "plot_path",
    "render_plot",
    "scenes_of",
    "write_plot",
]
