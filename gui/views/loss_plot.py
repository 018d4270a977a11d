"""The live loss curve: training loss at every iteration, validation loss and accuracy at
every snapshot, a log-scale toggle and a hover readout.

The history lives in :class:`engine.transport.history.LossHistory`, so it has no gaps (every
iteration's loss arrives with the next snapshot) and stays bounded on long runs (old
history is decimated to per-bin minima and maxima, keeping spikes).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from backprop_lab.engine.transport.history import LossHistory
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QEvent, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton, QWidget

from ..model.histories import TRAIN_ACC, VAL_ACC, VAL_LOSS, Histories
from .axes import (
    EmptyHint,
    LegendBelow,
    ReadableAxis,
    SteadyRange,
    peak_per_pixel,
    readable_axes,
    show_dots,
)
from .colormaps import class_colour
from .visibility import would_be_seen

TRAIN_PEN = pg.mkPen((230, 230, 230), width=1)
VAL_PEN = pg.mkPen((240, 140, 20), width=2)
TRAIN_ACC_PEN = pg.mkPen(class_colour(2), width=1, style=Qt.PenStyle.DashLine)
VAL_ACC_PEN = pg.mkPen(class_colour(5), width=2, style=Qt.PenStyle.DashLine)

MAX_VAL_SYMBOLS = 200  # more validation points than this: a plain line
FEW_POINTS = 20  # training losses drawn as dots too while there are this few (one is visible)


class LossPlot(pg.PlotWidget):
    """Loss against iteration (objectName "lossPlot").

    Its first data item is the training (mini-batch) loss of every iteration; then the
    validation loss at snapshot steps. Accuracy (classification only) is drawn against a
    second y axis on the right (0..1). ``log_action`` (checkable) and
    :meth:`set_log_scale` switch the loss axis to a log scale.
    """

    logScaleChanged = Signal(bool)  # the loss axis became logarithmic (True) or linear

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems=readable_axes())
        self.setObjectName("lossPlot")
        # PlotWidget binds PlotItem.clear (remove every item) on the instance; the views
        # contract's clear() (forget the history, keep the items) is this class's method.
        del self.clear
        self._histories = Histories()  # its own until the model's are given
        self._own = True
        self._pending = False
        self._hover_data: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        pi = self.getPlotItem()
        # no grid: its translucent lines cost several ms a frame
        pi.setClipToView(True)
        pi.setDownsampling(auto=True, mode="peak")
        self._train = peak_per_pixel(pi.plot(pen=TRAIN_PEN))
        self._val = pi.plot(
            pen=VAL_PEN, symbol="o", symbolSize=4, symbolPen=None, symbolBrush=VAL_PEN.color()
        )

        self.hint = EmptyHint(pi, "")
        self._extent = SteadyRange(pi, self.hint)  # axes move only when data cross round values

        # accuracy: its own view box and axis, untouched by the loss axis' log mode
        self._acc_view = pg.ViewBox(enableMenu=False)
        self._acc_view.setMouseEnabled(x=False, y=False)
        self._acc_axis = ReadableAxis("right")
        pi.layout.addItem(self._acc_axis, 2, 3)
        self._legend = LegendBelow(pi, self)  # below the plot, spanning the accuracy axis too
        self._legend.addItem(self._train, "")
        self._legend.addItem(self._val, "")
        pi.scene().addItem(self._acc_view)
        self._acc_axis.linkToView(self._acc_view)
        self._acc_view.setXLink(pi.vb)
        self._acc_view.setYRange(0.0, 1.0, padding=0.02)
        self._train_acc = pg.PlotDataItem(pen=TRAIN_ACC_PEN)
        self._val_acc = pg.PlotDataItem(pen=VAL_ACC_PEN)
        # in the legend only while shown (a regression has no accuracy, and a hidden
        # item's legend entry is a greyed-out eye)
        self._acc_entries = [(self._train_acc, ""), (self._val_acc, "")]  # named below
        for item, _ in self._acc_entries:
            self._acc_view.addItem(item)
        self._show_accuracy(False)
        pi.vb.sigResized.connect(self._sync_accuracy_view)

        # hover readout: a marker on the nearest training-loss point and a text
        self._marker = pg.PlotDataItem(
            symbol="o", symbolSize=8, symbolBrush=None, symbolPen=pg.mkPen("y", width=2)
        )
        pi.addItem(self._marker, ignoreBounds=True)
        self._hover = pg.TextItem(color=(255, 255, 160), fill=pg.mkBrush(0, 0, 0, 170))
        pi.addItem(self._hover, ignoreBounds=True)
        self._marker.hide()
        self._hover.hide()
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.log_action = QAction(self)
        self.log_action.setObjectName("actionLossLogScale")
        self.log_action.setCheckable(True)
        self.log_action.toggled.connect(self.set_log_scale)
        pi.ctrl.logYCheck.toggled.connect(self._log_mode_changed)  # the plot's own menu
        pi.vb.menu.addAction(self.log_action)
        self._log_button = QToolButton(self)
        self._log_button.setObjectName("lossLogButton")
        self._log_button.setDefaultAction(self.log_action)
        self._log_button.setAutoRaise(True)
        self.retranslate()
        self._update_extent()  # the empty range and the hint

    # ------------------------------------------------------------ words
    def retranslate(self) -> None:
        """Every text in the current language: axes, legend, hint, the log action and
        the hover readout's words (made here once, not per frame or mouse move)."""
        pi = self.getPlotItem()
        pi.setLabel("bottom", self.tr("iteration"))
        pi.setLabel("left", self.tr("loss"))
        self._acc_axis.setLabel(self.tr("accuracy"))
        self.hint.set_text(self.tr("Press Play or Step to train"))
        names = {
            self._train: self.tr("training loss (mini-batch)"),
            self._val: self.tr("validation loss"),
            self._train_acc: self.tr("training accuracy"),
            self._val_acc: self.tr("validation accuracy"),
        }
        self._acc_entries = [(item, names[item]) for item, _ in self._acc_entries]
        for item, name in names.items():
            self._legend.rename(item, name)
        self._legend.retranslate()
        self._legend.fit_columns()
        self._hover_words = {
            "iteration": self.tr("iteration {0}"),
            "train": self.tr("training loss {0}"),
            "val": names[self._val],
            "train_acc": names[self._train_acc],
            "val_acc": names[self._val_acc],
            "at": self.tr("{0} {1} (at {2})"),
        }
        self.log_action.setText(self.tr("Log scale"))
        self.log_action.setIconText(self.tr("log"))
        self.log_action.setToolTip(self.tr("Loss axis: logarithmic scale"))
        self._log_button.adjustSize()
        if self.hover_text():
            self.hover_at(self._hover.pos().x())

    def changeEvent(self, event: QEvent) -> None:
        # close() deletes the plot's items; a closed plot has nothing to re-word
        if event.type() == QEvent.Type.LanguageChange and not self.closed:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------ the histories
    def set_histories(self, histories: Histories) -> None:
        """Draw the model's histories (gui.model.histories) from now on: snapshots then
        only say when to redraw, and the model appends, clears and restores."""
        self._histories, self._own = histories, False
        self.refresh()

    @property
    def _train_history(self) -> LossHistory:
        return self._histories.train

    @property
    def _eval_history(self) -> LossHistory:
        return self._histories.eval

    def refresh(self) -> None:
        """Redraw from the histories (the model's changed them)."""
        self._pending = True
        self._redraw()

    # ------------------------------------------------------------ the views contract
    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Append the snapshot's losses (every iteration since the last one) and its
        evaluation numbers (unless the model keeps the histories); redraw if the plot
        can be seen (else when it is shown)."""
        if self._own:
            self._histories.record_losses(snap)
        self._pending = True
        if would_be_seen(self):
            self._redraw()

    def clear(self) -> None:
        """Forget the history (a new problem or a reset; the model's histories are the
        model's to clear)."""
        if self._own:
            self._histories.clear()
        self.refresh()

    # ------------------------------------------------------------ public helpers
    def set_log_scale(self, on: bool) -> None:
        """Show the loss axis on a logarithmic (True) or linear (False) scale."""
        on = bool(on)
        if self.getPlotItem().ctrl.logYCheck.isChecked() != on:
            self.getPlotItem().setLogMode(y=on)  # -> _log_mode_changed
        self._log_mode_changed(on)

    def is_log_scale(self) -> bool:
        """Whether the loss axis is logarithmic."""
        return self.getPlotItem().ctrl.logYCheck.isChecked()

    def history(self) -> LossHistory:
        """The training-loss history (read it; do not append to it)."""
        return self._train_history

    def history_state(self) -> dict[str, np.ndarray]:
        """The plotted history as named arrays (for session files): ``train-*`` the
        training loss, ``eval-*`` validation loss and accuracies (LossHistory.get_state)."""
        out = {}
        for prefix, h in (("train", self._train_history), ("eval", self._eval_history)):
            out.update({f"{prefix}-{k}": v for k, v in h.get_state().items()})
        return out

    def restore_history(self, state: dict[str, np.ndarray]) -> None:
        """Show the history :meth:`history_state` gave (replacing the current one); later
        snapshots continue it. ValueError, and nothing changes, if it does not fit."""
        self._histories.restore_losses(state)
        self.refresh()

    def legend_names(self) -> list[str]:
        """The legend's entries in order ([] when the plot is too short to spare the room)."""
        return [label.text for _, label in self._legend.items] if self._legend.is_shown() else []

    def hover_text(self) -> str:
        """The hover readout currently shown ("" when hidden)."""
        return self._hover.toPlainText() if self._hover.isVisible() else ""

    def hover_at(self, x: float) -> str:
        """Show the readout for the iteration nearest to ``x`` (what moving the mouse to
        that iteration does) and return its text; "" when there is no data."""
        xs, ys = self._hover_data.get("train", (np.empty(0), np.empty(0)))
        if len(xs) == 0:
            self._hide_hover()
            return ""
        k = int(np.clip(np.searchsorted(xs, x), 1, len(xs) - 1)) if len(xs) > 1 else 0
        if len(xs) > 1 and abs(xs[k - 1] - x) <= abs(xs[k] - x):
            k -= 1
        step, value = xs[k], ys[k]
        words = self._hover_words
        lines = [
            words["iteration"].format(f"{int(step):,}"),
            words["train"].format(f"{value:.6g}"),
        ]
        for key in ("val", "train_acc", "val_acc"):
            ex, ey = self._hover_data.get(key, (np.empty(0), np.empty(0)))
            if len(ex):
                e = int(np.abs(ex - step).argmin())
                lines.append(words["at"].format(words[key], f"{ey[e]:.4g}", f"{int(ex[e]):,}"))
        text = "\n".join(lines)
        log = self.is_log_scale()
        y_view = math.log10(value) if log and value > 0 else value
        self._marker.setData([step], [value])
        self._marker.show()
        self._hover.setText(text)
        view_x = self.getPlotItem().vb.viewRange()[0]
        self._hover.setAnchor((1, 1) if step > 0.5 * (view_x[0] + view_x[1]) else (0, 1))
        self._hover.setPos(step, y_view)
        self._hover.show()
        return text

    # ------------------------------------------------------------ internals
    def _redraw(self) -> None:
        if not self._pending:
            return
        self._pending = False
        x, y = self._train_history.arrays()
        self._train.setData(x, y)
        self._hover_data = {"train": (x, y)}
        show_dots(self._train, len(x) <= FEW_POINTS)  # one loss: a dot, not nothing

        any_acc = False
        for col, item, key in (
            (VAL_LOSS, self._val, "val"),
            (TRAIN_ACC, self._train_acc, "train_acc"),
            (VAL_ACC, self._val_acc, "val_acc"),
        ):
            ex, ey = self._eval_history.arrays(col)
            finite = np.isfinite(ey)
            if finite.any():
                ex, ey = ex[finite], ey[finite]
                self._hover_data[key] = (ex, ey)
                if item is self._val:  # dots while they can be told apart (and are cheap)
                    symbol = "o" if len(ex) <= MAX_VAL_SYMBOLS else None
                    if item.opts["symbol"] != symbol:
                        item.setSymbol(symbol)
                item.setData(ex, ey)
                any_acc |= col != VAL_LOSS
            else:
                item.setData([], [])
        self._show_accuracy(any_acc)
        self._update_extent()
        if len(x) == 0:
            self._hide_hover()

    def _update_extent(self) -> None:
        x, y = self._hover_data.get("train", (np.empty(0), np.empty(0)))
        ys = [y] + ([self._hover_data["val"][1]] if "val" in self._hover_data else [])
        self._extent.update(float(x[-1]) if len(x) else None, ys, self.is_log_scale())

    def _show_accuracy(self, on: bool) -> None:
        if on == getattr(self, "_accuracy_shown", None):
            return  # (re)laying out the axis every frame would cost milliseconds
        self._accuracy_shown = on
        for item, name in self._acc_entries:
            if on:
                self._legend.addItem(item, name)
            else:
                self._legend.removeItem(item)
        self._legend.fit_columns()
        self._acc_axis.setVisible(on)
        self._acc_view.setVisible(on)
        self._acc_axis.setWidth(None if on else 0)

    @Slot()
    def _sync_accuracy_view(self) -> None:
        self._acc_view.setGeometry(self.getPlotItem().vb.sceneBoundingRect())

    @Slot(bool)
    def _log_mode_changed(self, on: bool) -> None:
        if self.log_action.isChecked() != on:
            self.log_action.blockSignals(True)
            self.log_action.setChecked(on)
            self.log_action.blockSignals(False)
        self._hide_hover()
        self._update_extent()  # rounded in decades now, or back to linear steps
        self.logScaleChanged.emit(bool(on))

    @Slot(object)
    def _on_mouse_moved(self, pos: QPointF) -> None:
        vb = self.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(pos):
            self._hide_hover()
            return
        self.hover_at(vb.mapSceneToView(pos).x())

    def _hide_hover(self) -> None:
        self._hover.hide()
        self._marker.hide()

    def leaveEvent(self, event: QEvent) -> None:
        self._hide_hover()
        super().leaveEvent(event)

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._redraw()

    def resizeEvent(self, event: QEvent) -> None:
        super().resizeEvent(event)
        if hasattr(self, "_legend") and not self.closed:  # close() deletes the items first
            self._legend.fit_columns()
        if hasattr(self, "_log_button"):  # the empty corner below the y axis, key above log
            b, key = self._log_button, self._legend.button
            b.move(2, self.height() - b.height() - 2)
            key.move(2, b.y() - key.height())
