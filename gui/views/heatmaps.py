"""Per-layer heatmaps of the weights W and their gradients dL/dW.

One row per layer, stacked in a scroll area: W on the left, dL/dW of the last step on
the right, each a pyqtgraph ImageItem drawn like the matrix it is (row j = unit j at the
top, column i = input i), with a diverging colour map centred on 0, symmetric levels
[-m, m] (m = the largest magnitude in that image) and a colour bar. Hovering a pixel
shows its layer, row, column and value; clicking one emits ``cellClicked(layer, j, i)``
(layer 0-based), which the window turns into the chain-rule inspector for that weight.

Rows are made a few per event-loop turn (:data:`ROWS_PER_TURN`; making one costs ~0.1 s):
a network of 63 layers does not freeze the window for seconds while its rows are built -
the first rows show at once, the rest follow, and the newest snapshot is drawn into each
row as it is made.

Images are given the snapshot's own arrays (read-only views of ``Network.flat`` and of the
gradient vector, never written by anyone), so no copy is made and nothing is mutated.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_lab.engine.derivation import number_text
from backprop_lab.engine.network import Architecture
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from .colormaps import diverging, end_ticks, symmetric_level
from .visibility import would_be_seen

ROW_HEIGHT = 210
ROWS_PER_TURN = 8  # rows made at once; the rest one per event-loop turn
KINDS = ("W", "dW")


class LayerHeatmaps(pg.GraphicsLayoutWidget):
    """W and dL/dW of one layer, side by side, with colour bars and a hover readout."""

    hovered = Signal(str)
    cellClicked = Signal(int, int, int)  # layer (0-based), row j, column i

    def __init__(self, layer: int, arch: Architecture, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.setObjectName(f"layerHeatmaps{layer + 1}")
        self.setMinimumHeight(ROW_HEIGHT)
        self.setMaximumHeight(ROW_HEIGHT)
        self.title = self.ci.addLabel("", row=0, col=0, colspan=2)
        self.plots: dict[str, pg.PlotItem] = {}
        self.images: dict[str, pg.ImageItem] = {}
        self.bars: dict[str, pg.ColorBarItem] = {}
        self._data: dict[str, np.ndarray | None] = {"W": None, "dW": None}
        self._arch = arch
        #: where the readout was last asked for: (kind, col, row), None before
        self.last_hover: tuple[str, float, float] | None = None
        cmap = diverging()
        for col, kind in enumerate(KINDS):
            # no context menus: building them is most of a plot's cost, and the row would
            # not use them
            plot = self.addPlot(row=1, col=col, enableMenu=False)
            plot.invertY(True)  # row 0 on top, as the matrix is written
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(cmap)
            image.setPos(-0.5, -0.5)  # pixel (j, i) centred on (x=i, y=j)
            plot.addItem(image)
            bar = pg.ColorBarItem(
                values=(-1.0, 1.0), colorMap=cmap, interactive=False, width=12, colorMapMenu=False
            )
            bar.setImageItem(image, insert_in=plot)
            bar.axis.enableAutoSIPrefix(False)
            bar.axis.setWidth(None)  # as wide as its labels ("-2.5e-05")
            bar.axis.setTicks([end_ticks(1.0)])
            self.plots[kind] = plot
            self.images[kind] = image
            self.bars[kind] = bar
        self.retranslate()
        self.configure(arch)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def configure(self, arch: Architecture) -> None:
        """Fit the row to its layer of ``arch`` (title, ticks, ranges) and show nothing
        until the next matrices: a new architecture reuses the rows it can, because
        making a row's plots costs ~0.1 s."""
        units, inputs = arch.sizes[self.layer + 1], arch.sizes[self.layer]
        self._arch = arch
        self._set_title()  # the plots' words stay: re-laying them out costs milliseconds
        for plot in self.plots.values():
            for axis, n in (("left", units), ("bottom", inputs)):
                # whole-number ticks for small matrices, pyqtgraph's own otherwise
                plot.getAxis(axis).setTicks([[(k, str(k)) for k in range(n)]] if n <= 16 else None)
            plot.setRange(xRange=(-0.5, inputs - 0.5), yRange=(-0.5, units - 0.5), padding=0)
        self.clear_matrices()

    def retranslate(self) -> None:
        """The title, the plots' titles and axes and the readout's words in the current
        language (made here, not per frame or mouse move)."""
        self._set_title()
        titles = {"W": "W", "dW": self.tr("dL/dW (last step)")}
        for kind, plot in self.plots.items():
            plot.setTitle(titles[kind])
            plot.setLabel("left", self.tr("unit j"))
            plot.setLabel("bottom", self.tr("input i"))
        self._readout = self.tr("layer {0}  {1}[{2}][{3}] (unit {2}, input {3}) = {4}")

    def _set_title(self) -> None:
        arch = self._arch
        units, inputs = arch.sizes[self.layer + 1], arch.sizes[self.layer]
        activation = arch.layers[self.layer].activation
        self.title.setText(
            self.tr("layer {0}: {1} \u2192 {2} ({3})").format(
                self.layer + 1, inputs, units, activation
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and not self.closed:  # close(): no items
            self.retranslate()
            if self.last_hover is not None and self.text_at(*self.last_hover):
                self.hovered.emit(self.text_at(*self.last_hover))
        super().changeEvent(event)

    def set_matrices(self, w: np.ndarray, dw: np.ndarray | None) -> None:
        """Show W and dL/dW (None before the first step: shown as zeros)."""
        if dw is None:
            dw = np.zeros(w.shape, dtype=w.dtype)
            dw.flags.writeable = False
        for kind, a in (("W", w), ("dW", dw)):
            m = symmetric_level(a)
            self._data[kind] = a
            image = self.images[kind]
            image.setImage(a, autoLevels=False)
            image.setLevels((-m, m))  # after setImage: it would apply levels deferred before
            if tuple(self.bars[kind].levels()) != (-m, m):  # re-ticking the bar costs ms
                self.bars[kind].setLevels((-m, m), update_items=False)
                self.bars[kind].axis.setTicks([end_ticks(m)])

    def clear_matrices(self) -> None:
        """Show nothing (a reset)."""
        for kind in KINDS:
            self._data[kind] = None
            self.images[kind].clear()

    def text_at(self, kind: str, col: float, row: float) -> str:
        """The readout for image coordinates (col, row) of image ``kind`` ("W"/"dW")."""
        a = self._data[kind]
        if a is None:
            return ""
        j, i = int(np.floor(row)), int(np.floor(col))
        if not (0 <= j < a.shape[0] and 0 <= i < a.shape[1]):
            return ""
        name = "W" if kind == "W" else "dL/dW"
        value = number_text(float(a[j, i]))
        return self._readout.format(self.layer + 1, name, j, i, value)

    def cell_at(self, kind: str, col: float, row: float) -> tuple[int, int] | None:
        """(j, i) of the matrix cell at image coordinates (col, row), or None."""
        a = self._data[kind]
        j, i = int(np.floor(row)), int(np.floor(col))
        if a is None or not (0 <= j < a.shape[0] and 0 <= i < a.shape[1]):
            return None
        return j, i

    @Slot(object)
    def _on_mouse_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        pos = ev.scenePos()
        for kind, image in self.images.items():
            if image.sceneBoundingRect().contains(pos):
                p = image.mapFromScene(pos)
                cell = self.cell_at(kind, p.x(), p.y())
                if cell is not None:
                    self.cellClicked.emit(self.layer, *cell)
                return

    @Slot(object)
    def _on_mouse_moved(self, pos: QPointF) -> None:
        for kind, image in self.images.items():
            if image.sceneBoundingRect().contains(pos):
                p = image.mapFromScene(pos)
                text = self.text_at(kind, p.x(), p.y())
                if text:
                    self.last_hover = (kind, p.x(), p.y())
                    self.hovered.emit(text)
                return


class GradientHeatmaps(QWidget):
    """Every layer's W and dL/dW (objectName "gradientHeatmaps"); ``cellClicked(layer, j,
    i)`` (layer 0-based) when a cell of any of them is clicked."""

    cellClicked = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradientHeatmaps")
        self._arch: Architecture | None = None
        self._snap: Snapshot | None = None
        self._pending = False
        self.rows: list[LayerHeatmaps] = []
        self._more_rows = QTimer(self)  # makes the rows not made yet, one per turn
        self._more_rows.setSingleShot(True)
        self._more_rows.setInterval(0)
        self._more_rows.timeout.connect(self._add_row)

        self.hover_label = QLabel(self.tr("Hover over a heatmap to read a weight or gradient."))
        self.hover_label.setObjectName("heatmapHoverLabel")
        self.hover_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._inner = QWidget()
        self._rows_layout = QVBoxLayout(self._inner)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.hover_label)
        layout.addWidget(self._scroll, 1)

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Show the snapshot's W and dL/dW (latest wins: a hidden view draws when shown)."""
        self._snap = snap
        self._pending = True
        if would_be_seen(self):
            self._redraw()

    def clear(self) -> None:
        """Forget the snapshot (a new problem or a reset)."""
        self._snap = None
        self._pending = False
        for row in self.rows:
            row.clear_matrices()

    def image(self, layer: int, kind: str) -> pg.ImageItem:
        """The ImageItem of ``layer`` (0-based) showing "W" or "dW"."""
        return self.rows[layer].images[kind]

    def _build(self, arch: Architecture) -> None:
        """Rows for ``arch``: the existing ones refitted, new ones only for added layers -
        up to :data:`ROWS_PER_TURN` now, the others by :meth:`_add_row`, one per turn."""
        depth = len(arch.layers)
        while len(self.rows) > depth:
            row = self.rows.pop()
            self._rows_layout.removeWidget(row)
            row.deleteLater()
        for row in self.rows:
            row.configure(arch)
        self._arch = arch
        for _ in range(ROWS_PER_TURN):
            if not self._make_row():
                break
        if len(self.rows) < depth:
            self._more_rows.start()

    def _make_row(self) -> bool:
        """Make the next missing row for the current architecture; False if none is missing."""
        layer = len(self.rows)
        if self._arch is None or layer >= len(self._arch.layers):
            return False
        row = LayerHeatmaps(layer, self._arch)
        row.hovered.connect(self.hover_label.setText)
        row.cellClicked.connect(self.cellClicked)
        self._rows_layout.insertWidget(layer, row)
        self.rows.append(row)
        return True

    @Slot()
    def _add_row(self) -> None:
        """One more row (a deep network's rows are made one per event-loop turn), drawn
        from the newest snapshot."""
        if not self._make_row():
            return
        snap = self._snap
        if snap is not None and snap.network.architecture == self._arch:
            self._draw_row(snap, len(self.rows) - 1)
        if len(self.rows) < len(self._arch.layers):
            self._more_rows.start()

    def _redraw(self) -> None:
        if not self._pending or self._snap is None:
            return
        self._pending = False
        snap = self._snap
        net = snap.network
        if self._arch != net.architecture:
            self._build(net.architecture)
        for layer in range(len(self.rows)):
            self._draw_row(snap, layer)

    def _draw_row(self, snap: Snapshot, layer: int) -> None:
        span = snap.network.architecture.layout[layer]
        dw = None
        if snap.gradients is not None:
            dw = snap.gradients[span.weight_start : span.weight_end].reshape(span.weight_shape)
        self.rows[layer].set_matrices(snap.network.weights[layer], dw)

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._redraw()

    def changeEvent(self, event: QEvent) -> None:
        # the rows re-word themselves (and a readout on screen) on their own event
        if event.type() == QEvent.Type.LanguageChange and not any(r.last_hover for r in self.rows):
            self.hover_label.setText(self.tr("Hover over a heatmap to read a weight or gradient."))
        super().changeEvent(event)
