"""Steady axes for live plots.

pyqtgraph's auto-range follows the data exactly, so a growing curve moves both axes
every frame, and every move re-ticks the axes and re-clips the curves: most of a live
plot's frame cost. :class:`SteadyRange` adds two invisible points spanning the data's
bounds rounded outwards (x: up to two significant digits; y: coarse steps, or quarter
decades on a log axis). Auto-range then moves only when the data cross a rounded
boundary, and zooming, panning and "auto range" work as usual.

:func:`peak_per_pixel` makes a long curve draw about two points (the min and max) per
pixel column instead of pyqtgraph's default ten.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg


def axis_end(x: float) -> float:
    """x rounded up to two significant digits (at least 10): where the x axis ends."""
    if x <= 10:
        return 10.0
    e = 10.0 ** (math.floor(math.log10(x)) - 1)
    return math.ceil(x / e) * e


def rounded_out(lo: float, hi: float, log: bool) -> tuple[float, float]:
    """[lo, hi] widened to coarse boundaries: quarter decades on a log axis (lo > 0),
    else multiples of a fifth of the span's power of ten."""
    if log:
        return (
            10.0 ** (math.floor(math.log10(lo) * 4) / 4),
            10.0 ** (math.ceil(math.log10(hi) * 4) / 4),
        )
    span = hi - lo if hi > lo else max(abs(hi), 1e-12)
    step = 10.0 ** math.floor(math.log10(span)) / 5
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


class SteadyRange:
    """The invisible extent item of one plot (see the module docstring)."""

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.item = pg.PlotDataItem(pen=pg.mkPen(None))  # has bounds, draws nothing
        self._points: tuple[float, ...] = ()
        plot_item.addItem(self.item)

    def update(self, x_last: float | None, ys: list[np.ndarray], log: bool) -> None:
        """Span x up to ``axis_end(x_last)`` and y over the finite values of ``ys``
        (positive ones on a log axis), rounded out; nothing when ``x_last`` is None."""
        points: tuple[float, ...] = ()
        if x_last is not None:
            y = np.concatenate(ys) if ys else np.empty(0)
            y = y[np.isfinite(y) & (y > 0)] if log else y[np.isfinite(y)]
            if len(y):
                points = (axis_end(x_last), *rounded_out(float(y.min()), float(y.max()), log))
        if points == self._points:
            return
        self._points = points
        if points:
            self.item.setData([points[0], points[0]], [points[1], points[2]])
        else:
            self.item.setData([], [])


def peak_per_pixel(item: pg.PlotDataItem) -> pg.PlotDataItem:
    """Let ``item``'s auto-downsampling (peak mode, set on its PlotItem) keep one min/max
    pair per pixel column. pyqtgraph's default factor keeps five pairs: on a noisy curve
    (mini-batch losses, gradient norms on a log axis) every segment spans much of the plot
    height, so painting costs in proportion to the segments - with three such curves of
    ~4,000 drawn points that was ~30 ms a frame, with ~700 points ~12 ms. The envelope a
    viewer sees is the same."""
    item.opts["autoDownsampleFactor"] = 1.0
    return item
