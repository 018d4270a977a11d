"""Per-layer gradient norms over time, one line per layer, on a log scale.

The article's point that depth changes learning shows here: in a deep tanh or sigmoid
network the early layers' lines sit orders of magnitude below the later ones (vanishing
gradients), or above them (exploding). The numbers are the engine's per-iteration norms
(``Snapshot.grad_norms``), kept in a bounded :class:`engine.transport.history.LossHistory`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_lab.engine.transport.history import LossHistory
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import QWidget

from ..model.histories import Histories
from .axes import SteadyRange, peak_per_pixel
from .visibility import would_be_seen

MAX_LEGEND = 12  # more layers than this: no legend (the lines are coloured in depth order)


class GradNormPlot(pg.PlotWidget):
    """||dL/dW_l|| (with the bias) of every layer against iteration (objectName
    "gradNormPlot"); ``layer_items()[l]`` is layer l + 1's line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradNormPlot")
        # PlotWidget binds PlotItem.clear (remove every item) on the instance; the views
        # contract's clear() (forget the history, keep the items) is this class's method.
        del self.clear
        self._histories = Histories()  # its own until the model's are given
        self._own = True
        self._items: list[pg.PlotDataItem] = []
        self._pending = False
        pi = self.getPlotItem()
        pi.setLabel("bottom", "iteration")
        pi.setLabel("left", "gradient norm per layer")
        pi.getAxis("left").enableAutoSIPrefix(False)
        # no grid: its translucent lines cost several ms a frame
        pi.setLogMode(y=True)
        pi.setClipToView(True)
        pi.setDownsampling(auto=True, mode="peak")
        self._extent = SteadyRange(pi)  # axes move only when the data cross round values
        self._legend = pi.addLegend(offset=(-10, 10), brush=pg.mkBrush(0, 0, 0, 160))

    def set_histories(self, histories: Histories) -> None:
        """Draw the model's gradient norms (gui.model.histories) from now on: snapshots
        then only say when to redraw, and the model appends, clears and restores."""
        self._histories, self._own = histories, False
        self.refresh()

    @property
    def _history(self) -> LossHistory | None:
        return self._histories.norms

    def refresh(self) -> None:
        """Redraw from the histories (the model's changed them)."""
        h = self._history
        if h is not None and len(self._items) != h.columns:
            self._rebuild(h.columns)
        self._pending = True
        self._redraw()

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Append the snapshot's per-iteration norms (unless the model keeps them);
        redraw if it can be seen."""
        depth = snap.network.depth
        if self._own:
            self._histories.record_norms(snap)
        if len(self._items) != depth:
            self._rebuild(depth)
        self._pending = True
        if would_be_seen(self):
            self._redraw()

    def clear(self) -> None:
        """Forget the history (a new problem or a reset; the model's histories are the
        model's to clear)."""
        if self._own and self._history is not None:
            self._history.clear()
        self._pending = True
        self._redraw()

    def history(self) -> LossHistory | None:
        """The per-layer norm history (read it; do not append to it), None before any snapshot."""
        return self._history

    def history_state(self) -> dict[str, np.ndarray]:
        """The plotted norms as named arrays ``norms-*`` (for session files; see
        LossHistory.get_state); empty before the first snapshot."""
        h = self._history
        return {} if h is None else {f"norms-{k}": v for k, v in h.get_state().items()}

    def restore_history(self, state: dict[str, np.ndarray]) -> None:
        """Show the norms :meth:`history_state` gave (one line per saved column); later
        snapshots continue them. ValueError, and nothing changes, if they do not fit."""
        self._histories.restore_norms(state)
        self.refresh()

    def layer_items(self) -> list[pg.PlotDataItem]:
        """One line per layer, the first layer first."""
        return list(self._items)

    def _rebuild(self, depth: int) -> None:
        pi = self.getPlotItem()
        for item in self._items:
            pi.removeItem(item)
        self._legend.clear()
        self._legend.setVisible(depth <= MAX_LEGEND)
        self._items = []
        for layer in range(depth):
            colour = pg.intColor(layer, hues=max(depth, 2), maxValue=230, minHue=0, maxHue=300)
            # 1-pixel pens: Qt draws them on its fast path; a 1.5-pixel pen made the three
            # noisy lines ~6x slower to paint (13.7 ms a frame on the default example)
            item = pi.plot(pen=pg.mkPen(colour, width=1), name=f"layer {layer + 1}")
            self._items.append(peak_per_pixel(item))

    def _redraw(self) -> None:
        if not self._pending:
            return
        self._pending = False
        if self._history is None:
            return
        if len(self._items) != self._history.columns:  # the model's run changed depth
            self._rebuild(self._history.columns)
        ys, last = [], None
        for layer, item in enumerate(self._items):
            x, y = self._history.arrays(layer)
            item.setData(x, y)
            ys.append(y)
            last = float(x[-1]) if len(x) else None
        self._extent.update(last, ys, log=True)

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._redraw()
