"""What the network computes over its input space, with the data on top.

* 2 inputs: the network's output over the input plane (``Snapshot.grid``) as a heatmap,
  the training points as a scatter coloured by class (or by target for a regression), the
  validation points when "Show validation points" is checked. One sigmoid-style output is
  drawn on the class-0 -> class-1 colour scale over [0, 1]; several outputs (softmax) mix
  the class colours by the outputs.
* 1 input (regression): the fitted curve (``Snapshot.curve``) over the data points.
* Any other width: a message saying there is no 2-D view.

Many points are drawn as an evenly strided subset (said on screen).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.transport.snapshot import GridSpec, Snapshot
from PySide6.QtCore import QEvent, QRectF, Slot
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from .axes import padded, readable_axes
from .colormaps import CLASS_COLOURS, binary_map, class_colour
from .visibility import would_be_seen

MAX_POINTS = 5000


def _stride(n: int) -> slice:
    return slice(None, None, max(1, -(-n // MAX_POINTS)))


class DecisionView(QWidget):
    """Decision boundary (2-D inputs) or fitted curve (1-D); objectName "decisionView"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionView")
        self._dataset: Dataset | None = None
        self._snap: Snapshot | None = None
        self._pending = False
        self._curve_items: list[pg.PlotDataItem] = []
        self._points_width: int | None = None  # input width the points were drawn for
        self._image_mode: str | None = None
        self._no_view_for: int | None = None  # the message: no 2-D view for this width
        self._notes: list[tuple[str, int]] = []  # (split, points drawn) when strided

        self.plot = pg.PlotWidget(axisItems=readable_axes())  # no SI-prefix scaling
        self.plot.setObjectName("decisionPlot")
        pi = self.plot.getPlotItem()
        pi.setAspectLocked(False)
        # the data's bounds, padded (one row: a unit window, not a 1e-9 one), so the view
        # frames the points before the network's output arrives
        self._extent = pg.PlotDataItem(pen=pg.mkPen(None))
        pi.addItem(self._extent)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        pi.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(250, 250, 250, 200))
        self.val_points = pg.ScatterPlotItem(size=8, symbol="t", pen=pg.mkPen(20, 20, 20))
        self.sample_marker = pg.ScatterPlotItem(
            size=16, symbol="o", brush=None, pen=pg.mkPen((255, 165, 0), width=2)
        )
        for z, item in enumerate((self.train_points, self.val_points, self.sample_marker)):
            item.setZValue(z)
            pi.addItem(item)
        self.val_points.setVisible(False)

        self.show_validation = QCheckBox()
        self.show_validation.setObjectName("showValidationPoints")
        self.show_validation.toggled.connect(self._validation_toggled)
        self.message = QLabel()
        self.message.setObjectName("decisionMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.show_validation)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language (the check box, the message, the curves'
        names)."""
        self.show_validation.setText(self.tr("Show validation points"))
        for k, item in enumerate(self._curve_items):
            item.opts["name"] = self.tr("output {0}").format(k + 1)
        self._show_message()

    def _show_message(self) -> None:
        if self._no_view_for is not None:
            self.message.setText(
                self.tr(
                    "No 2-D view for {0} inputs: the decision boundary is drawn for 2 inputs "
                    "and the fitted curve for 1."
                ).format(self._no_view_for)
            )
            return
        words = {
            "training": self.tr("{0} of the training points drawn"),
            "validation": self.tr("{0} of the validation points drawn"),
        }
        self.message.setText("; ".join(words[split].format(f"{n:,}") for split, n in self._notes))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------ public API
    def set_dataset(self, dataset: Dataset | None) -> None:
        """The data to draw (the same arrays the trainer uses, so the coordinates match
        the snapshots' grid and curve). Clears the network's output until the next
        snapshot."""
        self._dataset = dataset
        self._snap = None
        self.image.clear()
        self._set_curves(None)
        self.sample_marker.setData([], [])
        self._draw_points()

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Draw the network's output from ``snap`` (latest wins)."""
        self._snap = snap
        self._pending = True
        if would_be_seen(self):
            self._redraw()

    def clear(self) -> None:
        """Forget the network's output (the data stay)."""
        self._snap = None
        self._pending = False
        self.image.clear()
        self._set_curves(None)
        self.sample_marker.setData([], [])

    def curve_items(self) -> list[pg.PlotDataItem]:
        """The fitted-curve items (1-D inputs), one per output."""
        return list(self._curve_items)

    # ------------------------------------------------------------ drawing
    def _input_size(self) -> int | None:
        if self._snap is not None:
            return self._snap.network.architecture.input_size
        return None if self._dataset is None else self._dataset.input_size

    def _matches(self, width: int | None) -> bool:
        """Whether the data set fits a network with ``width`` inputs (a snapshot of the
        previous problem may still arrive after set_dataset)."""
        return self._dataset is not None and self._dataset.input_size == width

    def _draw_points(self) -> None:
        notes: list[tuple[str, int]] = []
        self._no_view_for = None
        width = self._input_size()
        d = self._dataset if self._matches(width) else None
        self._points_width = width
        self.plot.setVisible(width in (1, 2))
        self.show_validation.setVisible(width in (1, 2))
        if d is None or width not in (1, 2):
            self.train_points.setData([], [])
            self.val_points.setData([], [])
            self._extent.setData([], [])
            if width is not None and width not in (1, 2):
                self._no_view_for = width
            self._notes = []
            self._show_message()
            return
        pi = self.plot.getPlotItem()
        for item, x, t, labels, split in (
            (self.train_points, d.x, d.t, d.labels, "training"),
            (self.val_points, d.x_val, d.t_val, d.labels_val, "validation"),
        ):
            s = _stride(len(x))
            x, t = x[s], t[s]
            labels = None if labels is None else labels[s]
            if len(x) < len(d.x if split == "training" else d.x_val):
                notes.append((split, len(x)))
            if width == 1:
                px, py = x[:, 0], t[:, 0]
                brushes = pg.mkBrush(class_colour(0 if split == "training" else 4))
            else:
                px, py = x[:, 0], x[:, 1]
                brushes = self._point_brushes(labels, t)
            item.setData(px, py, brush=brushes)
        columns = (d.x[:, 0], d.x[:, 1]) if width == 2 else (d.x[:, 0], d.t[:, 0])
        (x0, x1), (y0, y1) = (padded(float(c.min()), float(c.max())) for c in columns)
        self._extent.setData([x0, x1], [y0, y1])
        pi.enableAutoRange()
        if width == 2:
            names = d.feature_names
            pi.setLabel("bottom", names[0])
            pi.setLabel("left", names[1])
        else:
            pi.setLabel("bottom", d.feature_names[0])
            pi.setLabel("left", d.target_names[0])
        self._notes = notes
        self._show_message()

    def _point_brushes(self, labels: np.ndarray | None, t: np.ndarray) -> list:
        if labels is not None:
            table = [pg.mkBrush(c) for c in CLASS_COLOURS]
            return [table[k % len(table)] for k in labels.tolist()]
        lo, hi = self._target_range()
        cmap = binary_map()
        v = (t[:, 0] - lo) / (hi - lo)
        return [pg.mkBrush(c) for c in cmap.map(np.clip(v, 0, 1), mode="qcolor")]

    def _target_range(self) -> tuple[float, float]:
        t = self._dataset.t if self._dataset is not None else np.zeros((1, 1))
        lo, hi = float(t[:, 0].min()), float(t[:, 0].max())
        return (lo, hi) if hi > lo else (lo - 1.0, lo + 1.0)

    def _set_curves(self, curve: np.ndarray | None) -> None:
        pi = self.plot.getPlotItem()
        outputs = 0 if curve is None else curve.shape[1] - 1
        while len(self._curve_items) > outputs:
            pi.removeItem(self._curve_items.pop())
        while len(self._curve_items) < outputs:
            k = len(self._curve_items)
            name = self.tr("output {0}").format(k + 1)
            item = pi.plot(pen=pg.mkPen(class_colour(k + 1), width=2), name=name)
            item.setZValue(5)
            self._curve_items.append(item)
        for k, item in enumerate(self._curve_items):
            item.setData(curve[:, 0], curve[:, 1 + k])

    def _redraw(self) -> None:
        if not self._pending or self._snap is None:
            return
        self._pending = False
        snap = self._snap
        width = snap.network.architecture.input_size
        if self._points_width != width:
            self._draw_points()
        if width == 2 and snap.grid is not None and snap.grid_spec is not None:
            self._draw_grid(snap.grid, snap.grid_spec)
        else:
            self.image.clear()
        self._set_curves(snap.curve if width == 1 else None)
        d = self._dataset if self._matches(width) else None
        i = snap.sample_index
        if d is not None and width == 2 and i < len(d.x):
            self.sample_marker.setData([d.x[i, 0]], [d.x[i, 1]])
        elif d is not None and width == 1 and i < len(d.x):
            self.sample_marker.setData([d.x[i, 0]], [d.t[i, 0]])
        else:
            self.sample_marker.setData([], [])

    def _draw_grid(self, grid: np.ndarray, spec: GridSpec) -> None:
        outputs = grid.shape[2]
        if outputs == 1:
            classification = self._dataset is None or self._dataset.task == "classification"
            levels = (0.0, 1.0) if classification else self._target_range()
            if self._image_mode != "map":
                self._image_mode = "map"
                self.image.setColorMap(binary_map())
            self.image.setImage(grid[:, :, 0], autoLevels=False, levels=levels)
        else:  # class probabilities mixed into the class colours
            colours = np.array([class_colour(k) for k in range(outputs)], dtype=np.float64)
            rgb = np.clip(grid @ colours, 0, 255).astype(np.uint8)
            if self._image_mode != "rgb":
                self._image_mode = "rgb"
                self.image.setLookupTable(None)
            self.image.setImage(rgb, autoLevels=False, levels=(0, 255))
        n = spec.size
        dx = (spec.x_max - spec.x_min) / max(n - 1, 1)
        dy = (spec.y_max - spec.y_min) / max(n - 1, 1)
        self.image.setRect(
            QRectF(spec.x_min - dx / 2, spec.y_min - dy / 2, spec.x_max - spec.x_min + dx,
                   spec.y_max - spec.y_min + dy)
        )  # fmt: skip

    # ------------------------------------------------------------ events
    @Slot(bool)
    def _validation_toggled(self, on: bool) -> None:
        self.val_points.setVisible(on)

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._redraw()
