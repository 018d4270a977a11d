"""Axes that read well from the first frame, and steady axes for live plots.

:class:`ReadableAxis` never rescales its numbers with an SI prefix (pyqtgraph's default
turned an empty -0.5..0.5 range into "-400..400 (x0.001)" and a one-point range into
"x1 (x1e-09)"), and on a log scale labels every decade and only those minor ticks whose
text cannot touch another label. :class:`EmptyHint` is the text an empty plot shows,
:class:`LegendBelow` a legend under the plot instead of over its curves.

pyqtgraph's auto-range follows the data exactly, so a growing curve moves both axes
every frame, and every move re-ticks the axes and re-clips the curves: most of a live
plot's frame cost. :class:`SteadyRange` adds two invisible points spanning the data's
bounds rounded outwards (x: from 0 up to two significant digits; y: coarse steps, or
quarter decades on a log axis; never an empty span). Auto-range then moves only when the
data cross a rounded boundary, and zooming, panning and "auto range" work as usual. With
no data the extent is a fixed empty range (iterations 0..10, 0..1 or one decade) and
auto-range is switched back on, so a cleared plot never keeps the old run's axes.

:func:`peak_per_pixel` makes a long curve draw about two points (the min and max) per
pixel column instead of pyqtgraph's default ten.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QToolButton, QWidget

EMPTY_X = (0.0, 10.0)  # iterations shown before there are any
EMPTY_Y = (0.0, 1.0)  # linear y shown before there is data
EMPTY_LOG_Y = (0.1, 1.0)  # log y: one decade
LEGEND_ROW = 4  # the PlotItem layout row below the bottom axis (LegendBelow)
MIN_PLOT_HEIGHT = 100  # a legend below leaves the plot area at least this tall, or folds


def axis_end(x: float) -> float:
    """x rounded up to two significant digits (at least 10): where the x axis ends."""
    if x <= 10:
        return 10.0
    e = 10.0 ** (math.floor(math.log10(x)) - 1)
    return math.ceil(x / e) * e


def rounded_out(lo: float, hi: float, log: bool) -> tuple[float, float]:
    """[lo, hi] widened to coarse boundaries: quarter decades on a log axis (lo > 0),
    else multiples of a fifth of the span's power of ten. The result always has a
    width: a single value (lo == hi, e.g. one iteration) gets a step on either side."""
    if log:
        a, b = math.floor(math.log10(lo) * 4) / 4, math.ceil(math.log10(hi) * 4) / 4
        if b <= a:
            a, b = a - 0.25, b + 0.25
        return 10.0**a, 10.0**b
    span = hi - lo if hi > lo else max(abs(hi), 1e-12)
    step = 10.0 ** math.floor(math.log10(span)) / 5
    a, b = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if b <= a:
        a, b = a - step, b + step
    return a, b


def padded(lo: float, hi: float, margin: float = 0.05) -> tuple[float, float]:
    """[lo, hi] with a relative margin on each side; a single value (lo == hi) gets
    half a unit (or half its magnitude, if larger) on each side instead of nothing."""
    pad = (hi - lo) * margin if hi > lo else 0.5 * max(1.0, abs(lo))
    return lo - pad, hi + pad


class ReadableAxis(pg.AxisItem):
    """An axis without SI-prefix scaling whose log-scale labels never overlap (see the
    module docstring). A drop-in for pg.AxisItem (``PlotWidget(axisItems=...)``)."""

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        """pyqtgraph's log ticks without the decades repeated in the minor level (they
        would be labelled twice, on top of each other)."""
        ticks = super().logTickValues(minVal, maxVal, size, stdTicks)
        major = {round(v) for spacing, vals in ticks if spacing is not None for v in vals}
        return [
            (spacing, [v for v in vals if spacing is not None or not _is_decade(v, major)])
            for spacing, vals in ticks
        ]

    def logTickStrings(self, values, scale, spacing):
        """Decades always labelled; a minor tick (2..9 times a decade) only where its
        label keeps a text height (on a horizontal axis: a text width) from every label
        already placed - 5 first, then 2, then the rest."""
        strings = super().logTickStrings(values, scale, spacing)
        lo, hi = sorted(float(v) for v in self.range)
        vertical = self.orientation in ("left", "right")
        length = self.height() if vertical else self.width()
        if not hi > lo or length <= 0:
            return strings
        per_unit = length / (hi - lo)
        metrics = QFontMetricsF(self.style["tickFont"] or self.font())
        widest = max((metrics.horizontalAdvance(s) for s in strings), default=0.0)
        room = metrics.height() if vertical else widest + metrics.horizontalAdvance("  ")
        taken = [d * per_unit for d in range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1)]
        out = [""] * len(values)
        for k in sorted(range(len(values)), key=lambda k: _label_priority(values[k])):
            pos = float(values[k]) * per_unit
            if _label_priority(values[k]) == 0:
                out[k] = strings[k]
            elif all(abs(pos - t) >= room for t in taken):
                out[k] = strings[k]
                taken.append(pos)
        return out


def _is_decade(v: float, among: set[int] | None = None) -> bool:
    near = abs(v - round(v)) < 1e-9
    return near and (among is None or round(v) in among)


def _label_priority(v: float) -> int:
    """0 for a decade (log10 value v), then 1 for 5x, 2 for 2x, 3 for the other minors."""
    if _is_decade(v):
        return 0
    mantissa = round(10.0 ** (v - math.floor(v)))
    return {5: 1, 2: 2}.get(mantissa, 3)


def readable_axes(**extra: pg.AxisItem) -> dict[str, pg.AxisItem]:
    """``axisItems`` for a PlotWidget / PlotItem: ReadableAxis on the left and bottom
    (and any ``extra`` by orientation name)."""
    return {"left": ReadableAxis("left"), "bottom": ReadableAxis("bottom"), **extra}


class EmptyHint:
    """A line of text in the middle of an empty plot (e.g. "Press Play or Step to
    train"), drawn in the theme's text colour. Its :class:`SteadyRange` shows it at the
    centre of the empty range while the plot is empty, and hides it otherwise."""

    def __init__(self, plot_item: pg.PlotItem, text: str) -> None:
        self.item = pg.TextItem(text, anchor=(0.5, 0.5), color=pg.getConfigOption("foreground"))
        self.item.theme_text = True  # the theme re-colours it (gui.window.theme)
        plot_item.addItem(self.item, ignoreBounds=True)

    def set_text(self, text: str) -> None:
        """Change the hint's text (a language change)."""
        self.item.setText(text)

    def show_at(self, x: float, y: float) -> None:
        """Show the hint centred on view coordinates (x, y)."""
        self.item.setPos(x, y)
        self.item.setVisible(True)

    def hide(self) -> None:
        """Hide the hint (the plot has data)."""
        self.item.setVisible(False)

    def text(self) -> str:
        """The hint's text."""
        return self.item.toPlainText()


class LegendBelow(pg.LegendItem):
    """A frameless legend laid out in its PlotItem's grid, below the plot, instead of
    floating over the curves. :meth:`fit_columns` puts as many entries side by side as
    the plot's width holds, and folds the legend away (no rows at all) when what is left
    of the plot would be shorter than MIN_PLOT_HEIGHT - the plot matters more. Folded,
    its ``button`` (a checkable "Key" tool button on ``owner``, placed by the view) shows
    it anyway."""

    def __init__(self, plot_item: pg.PlotItem, owner: QWidget) -> None:
        super().__init__(frame=False, colCount=1, labelTextSize="8pt", verSpacing=-4)
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations, False)
        self._plot_item = plot_item
        self._enabled = True
        self._folded = False
        # under the plot and the axes right of it; the corner under the left axis stays
        # free (for the buttons)
        plot_item.layout.addItem(self, LEGEND_ROW, 1, 1, plot_item.layout.columnCount() - 1)
        self.button = QToolButton(owner)
        self.retranslate()
        self.button.setCheckable(True)
        self.button.setAutoRaise(True)
        self.button.adjustSize()
        self.button.hide()
        self.button.toggled.connect(self._button_toggled)

    def retranslate(self) -> None:
        """The "Key" button's text and tooltip in the current language (its owner calls
        this on a language change; the entries' names are the owner's)."""
        self.button.setText(self.tr("Key"))
        self.button.setToolTip(self.tr("Show the legend below the plot"))
        self.button.adjustSize()

    def rename(self, item: pg.GraphicsObject, name: str) -> None:
        """Give ``item``'s entry the name ``name`` (a language change)."""
        for sample, label in self.items:
            if sample.item is item and label.text != name:
                label.setText(name)

    def set_enabled(self, on: bool) -> None:
        """Whether the legend may show at all (e.g. not for more layers than colours)."""
        self._enabled = bool(on)
        self.fit_columns()

    def is_shown(self) -> bool:
        """Whether the legend shows its entries now (enabled, and not folded away or
        unfolded by its button)."""
        unfolded = not self._folded or self.button.isChecked()
        return self._enabled and unfolded and bool(self.items)

    def updateSize(self) -> None:
        """Tell the enclosing layout the new size (pyqtgraph would move a floating
        legend to its parent's corner); no height at all while not shown."""
        super().updateSize()
        shown = self.is_shown()
        height = self.layout.minimumHeight() if shown else 0.0
        self.setVisible(shown)
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)
        self.setMinimumWidth(0)
        self.updateGeometry()
        self.button.setVisible(self._enabled and self._folded and bool(self.items))

    def fit_columns(self) -> None:
        """Lay the entries out in as many columns as the plot's width holds (row by
        row, in order), and fold the legend away if the plot would be left too short."""
        pi = self._plot_item
        room = pi.width() - pi.getAxis("left").width()
        widths = [sample.width() + label.width() + 2 * self.layout.horizontalSpacing() + 6
                  for sample, label in self.items]  # fmt: skip
        columns = 1
        for c in range(len(widths), 0, -1):
            rows = [sum(widths[k : k + c]) for k in range(0, len(widths), c)]
            if max(rows) <= room:
                columns = c
                break
        if self.items and columns != self.columnCount:
            self.setColumnCount(columns)
        needed = self.layout.minimumHeight() if self.items else 0.0  # the rows' height
        folded = pi.height() - needed < MIN_PLOT_HEIGHT + pi.getAxis("bottom").height()
        if folded != self._folded or self.isVisible() != self.is_shown():
            self._folded = folded
            self.updateSize()

    @Slot(bool)
    def _button_toggled(self, on: bool) -> None:
        self.updateSize()


class SteadyRange:
    """The invisible extent item of one plot (see the module docstring)."""

    def __init__(self, plot_item: pg.PlotItem, hint: EmptyHint | None = None) -> None:
        self.item = pg.PlotDataItem(pen=pg.mkPen(None))  # has bounds, draws nothing
        self._plot_item = plot_item
        self._hint = hint
        self._points: tuple[float, ...] = ()
        self.empty = True
        plot_item.addItem(self.item)

    def update(self, x_last: float | None, ys: list[np.ndarray], log: bool) -> None:
        """Span x from 0 up to ``axis_end(x_last)`` and y over the finite values of ``ys``
        (positive ones on a log axis), rounded out; the empty range (EMPTY_X by EMPTY_Y,
        or EMPTY_LOG_Y) when ``x_last`` is None or no value can be drawn - and then the
        plot's auto-range is switched back on (a zoom of the old run does not stay) and
        the hint, if any, is shown in its middle."""
        points: tuple[float, ...] = ()
        if x_last is not None:
            y = np.concatenate(ys) if ys else np.empty(0)
            y = y[np.isfinite(y) & (y > 0)] if log else y[np.isfinite(y)]
            if len(y):
                points = (0.0, axis_end(x_last), *rounded_out(float(y.min()), float(y.max()), log))
        empty = not points
        if empty:
            points = (*EMPTY_X, *(EMPTY_LOG_Y if log else EMPTY_Y))
            if not self.empty:
                self._plot_item.enableAutoRange()
        self.empty = empty
        if self._hint is not None:
            if empty:  # view coordinates: log10 on a log axis
                y0, y1 = (math.log10(v) for v in points[2:]) if log else points[2:]
                self._hint.show_at(0.5 * (points[0] + points[1]), 0.5 * (y0 + y1))
            else:
                self._hint.hide()
        if points == self._points:
            return
        self._points = points
        self.item.setData([points[0], points[1]], [points[2], points[3]])


def show_dots(item: pg.PlotDataItem, on: bool, size: int = 4) -> None:
    """Draw ``item``'s points as dots in its line's colour too (on), or the line only:
    a curve of one point is otherwise invisible. Cheap when nothing changes."""
    colour = pg.mkPen(item.opts["pen"]).color()  # the theme may have changed the pen
    if not on:
        if item.opts["symbol"] is not None:
            item.setSymbol(None)
        return
    if item.opts["symbol"] is None:
        item.setSymbolPen(None)
        item.setSymbolSize(size)
        item.setSymbol("o")
    if pg.mkBrush(item.opts["symbolBrush"]).color() != colour:
        item.setSymbolBrush(colour)


def peak_per_pixel(item: pg.PlotDataItem) -> pg.PlotDataItem:
    """Let ``item``'s auto-downsampling (peak mode, set on its PlotItem) keep one min/max
    pair per pixel column. pyqtgraph's default factor keeps five pairs: on a noisy curve
    (mini-batch losses, gradient norms on a log axis) every segment spans much of the plot
    height, so painting costs in proportion to the segments - with three such curves of
    ~4,000 drawn points that was ~30 ms a frame, with ~700 points ~12 ms. The envelope a
    viewer sees is the same."""
    item.opts["autoDownsampleFactor"] = 1.0
    return item
