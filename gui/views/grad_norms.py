"""Per-layer gradient norms over time, one line per layer, on a log scale.

Mini-batch norms are noisy: every iteration's norm is drawn faintly, and over it a
smoothed line per layer - the exponential moving average the engine computes
(:meth:`engine.transport.history.LossHistory.smoothed`, decay :data:`NORM_EMA` per
iteration, said in the legend). The legend sits below the plot, never over the curves.

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
from .axes import (
    EmptyHint,
    LegendBelow,
    SteadyRange,
    peak_per_pixel,
    readable_axes,
    show_dots,
)
from .colormaps import background, blend
from .visibility import would_be_seen

MAX_LEGEND = 12  # more layers than this: no legend (the lines are coloured in depth order)
NORM_EMA = 0.95  # the smoothed lines' decay per iteration (a time constant of 20 iterations)
RAW_WEIGHT = 0.35  # the raw norms' colour: this much of the layer's, the rest background
FEW_POINTS = 20  # lines drawn with dots too while there are this few points


class GradNormPlot(pg.PlotWidget):
    """||dL/dW_l|| (with the bias) of every layer against iteration (objectName
    "gradNormPlot"); ``layer_items()[l]`` is layer l + 1's raw line (every iteration),
    ``smoothed_items()[l]`` its moving average (the legend's entry)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems=readable_axes())
        self.setObjectName("gradNormPlot")
        # PlotWidget binds PlotItem.clear (remove every item) on the instance; the views
        # contract's clear() (forget the history, keep the items) is this class's method.
        del self.clear
        self._histories = Histories()  # its own until the model's are given
        self._own = True
        self._items: list[pg.PlotDataItem] = []
        self._smooth: list[pg.PlotDataItem] = []
        self._background = None  # the colour the faint lines were blended towards
        self._pending = False
        pi = self.getPlotItem()
        # no grid: its translucent lines cost several ms a frame
        pi.setLogMode(y=True)
        pi.setClipToView(True)
        pi.setDownsampling(auto=True, mode="peak")
        self.hint = EmptyHint(pi, "")
        self._extent = SteadyRange(pi, self.hint)  # axes move only when data cross round values
        self._extent.update(None, [], log=True)
        self._legend = LegendBelow(pi, self)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language: axes, hint, the legend's entries."""
        pi = self.getPlotItem()
        pi.setLabel("bottom", self.tr("iteration"))
        pi.setLabel("left", self.tr("gradient norm per layer"))
        self.hint.set_text(self.tr("Press Play or Step to train"))
        self._legend.retranslate()
        for layer, smooth in enumerate(self._smooth):
            self._legend.rename(smooth, self._layer_name(layer))
        self._legend.fit_columns()

    def _layer_name(self, layer: int) -> str:
        return self.tr("layer {0} (EMA {1:g})").format(layer + 1, NORM_EMA)

    def changeEvent(self, event: QEvent) -> None:
        # close() deletes the plot's items; a closed plot has nothing to re-word
        if event.type() == QEvent.Type.LanguageChange and not self.closed:
            self.retranslate()
        super().changeEvent(event)

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
        """One raw line (every iteration's norm) per layer, the first layer first."""
        return list(self._items)

    def smoothed_items(self) -> list[pg.PlotDataItem]:
        """One smoothed line (moving average NORM_EMA) per layer, the first layer first."""
        return list(self._smooth)

    def legend_names(self) -> list[str]:
        """The legend's entries, in layer order ([] when not shown: too many layers, or
        the plot too short to spare the room)."""
        return [label.text for _, label in self._legend.items] if self._legend.is_shown() else []

    def _rebuild(self, depth: int) -> None:
        pi = self.getPlotItem()
        for item in (*self._items, *self._smooth):
            pi.removeItem(item)
        self._legend.clear()
        self._legend.set_enabled(depth <= MAX_LEGEND)
        self._items, self._smooth = [], []
        self._background = background()
        for layer in range(depth):
            colour = pg.intColor(layer, hues=max(depth, 2), maxValue=230, minHue=0, maxHue=300)
            rgb = (colour.red(), colour.green(), colour.blue())
            faint = blend(rgb, RAW_WEIGHT, self._background)
            # 1-pixel pens: Qt draws them on its fast path; a 1.5-pixel pen made the three
            # noisy lines ~6x slower to paint (13.7 ms a frame on the default example).
            # Opaque faint colours: blending translucent lines costs more.
            raw = pi.plot(pen=pg.mkPen(faint, width=1))
            smooth = pi.plot(pen=pg.mkPen(colour, width=1))
            smooth.setZValue(1)  # over every layer's raw band
            self._items.append(peak_per_pixel(raw))
            self._smooth.append(peak_per_pixel(smooth))
            self._legend.addItem(smooth, self._layer_name(layer))
        self._legend.fit_columns()

    def _redraw(self) -> None:
        if not self._pending:
            return
        self._pending = False
        if self._history is None:
            return
        h = self._history
        if len(self._items) != h.columns or self._background != background():
            self._rebuild(h.columns)  # the model's run changed depth, or the theme changed
        ys, last = [], None
        dots = len(h) <= FEW_POINTS  # one iteration's norms are dots, not invisible lines
        for layer, (raw, smooth) in enumerate(zip(self._items, self._smooth, strict=True)):
            x, y = h.arrays(layer)
            raw.setData(x, y)
            smooth.setData(*h.smoothed(layer, NORM_EMA))
            show_dots(smooth, dots, size=5)
            ys.append(y)
            last = float(x[-1]) if len(x) else None
        self._extent.update(last, ys, log=True)

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._redraw()

    def resizeEvent(self, event: QEvent) -> None:
        super().resizeEvent(event)
        if hasattr(self, "_legend") and not self.closed:  # close() deletes the items first
            self._legend.fit_columns()
            b = self._legend.button
            b.move(2, self.height() - b.height() - 2)  # the empty corner below the y axis
