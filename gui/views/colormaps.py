"""Colours the views share, so that a sign or a class looks the same everywhere.

* Diverging map: negative = blue, positive = red, and 0 the colour that recedes into the
  background - light grey (CET-D1) on the light theme and by default, near black
  (CET-D4) on the dark theme (:func:`set_dark`). Heatmaps of W and dL/dW and node fills
  use it; edges use its two ends.
* Class colours: class 0 blue and class 1 red (the two ends of the diverging map, so the
  decision heatmap of a sigmoid output and the scatter agree), then further classes.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor

DIVERGING = "CET-D1"  # light theme: 0 = light grey
DIVERGING_DARK = "CET-D4"  # dark theme: 0 = near black
_dark = False
_generation = 0  # bumped by set_dark, so that precomputed tables follow
NEGATIVE = (33, 81, 219)  # CET-D1's ends
POSITIVE = (192, 2, 6)
CLASS_COLOURS: tuple[tuple[int, int, int], ...] = (
    NEGATIVE,
    POSITIVE,
    (40, 160, 60),
    (150, 80, 170),
    (240, 140, 20),
    (20, 170, 180),
    (200, 180, 20),
    (120, 120, 120),
    (230, 90, 160),
    (110, 70, 30),
)
HIGHLIGHT = (255, 165, 0)  # orange: a selected weight (the article's path colour)


def set_dark(dark: bool) -> None:
    """Choose the diverging map for a dark (True) or light background (the theme)."""
    global _dark, _generation
    if bool(dark) != _dark:
        _dark = bool(dark)
        _generation += 1


def is_dark() -> bool:
    """Whether the diverging map is the dark theme's."""
    return _dark


def diverging() -> pg.ColorMap:
    """The diverging colour map for values centred on 0 (use symmetric levels [-m, m])."""
    return pg.colormap.get(DIVERGING_DARK if _dark else DIVERGING)


def class_colour(k: int) -> tuple[int, int, int]:
    """RGB of class ``k`` (cycles after the tenth class)."""
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]


def binary_map() -> pg.ColorMap:
    """0 -> class 0's colour, 0.5 -> grey, 1 -> class 1's colour (a sigmoid output)."""
    return pg.ColorMap([0.0, 0.5, 1.0], [NEGATIVE, (221, 221, 221), POSITIVE])


NICE_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(m: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of ten) that is >= m
    (m > 0): at most 1.5 m. Levels then change only when the data grow or shrink
    noticeably, so colours stay comparable from frame to frame and the colour bar's
    ticks are not rebuilt every frame."""
    e = 10.0 ** math.floor(math.log10(m))
    for step in NICE_STEPS:
        if step * e >= m:
            return step * e
    return 10.0 * e


def symmetric_level(a: np.ndarray) -> float:
    """m for levels [-m, m] showing ``a`` centred on 0: its largest magnitude rounded up
    by :func:`nice_ceiling`, or 1 when that is 0 or not finite (an all-zero gradient
    before the first step)."""
    m = float(np.abs(a).max()) if a.size else 0.0
    return nice_ceiling(m) if math.isfinite(m) and m > 0 else 1.0


def level_text(v: float) -> str:
    """A colour-bar level as text with enough digits to tell it apart: "0", "-0.02",
    "2.5e-05" (levels are :func:`nice_ceiling` values: at most three significant digits)."""
    return "0" if v == 0 else f"{v:.3g}"


def end_ticks(m: float) -> list[tuple[float, str]]:
    """Colour-bar ticks for levels [-m, m]: both ends labelled with their values, and 0
    (a bar of small gradients otherwise showed only "0")."""
    return [(-m, level_text(-m)), (0.0, "0"), (m, level_text(m))]


def background() -> QColor:
    """pyqtgraph's configured background colour (views blend faint colours towards it)."""
    return pg.mkColor(pg.getConfigOption("background"))


def blend(rgb: tuple[int, int, int], weight: float, toward: QColor) -> QColor:
    """``weight`` of ``rgb`` and 1 - weight of ``toward`` (opaque: faster to draw)."""
    t = (toward.red(), toward.green(), toward.blue())
    return QColor(*(round(weight * a + (1 - weight) * b) for a, b in zip(rgb, t, strict=True)))


class BrushTable:
    """Precomputed brushes for values in [-1, 1] on the diverging map, so a view can fill
    hundreds of nodes without making a QBrush per node per frame."""

    def __init__(self, steps: int = 65) -> None:
        self.steps = steps
        self._build()

    def _build(self) -> None:
        colours = diverging().map(np.linspace(0.0, 1.0, self.steps), mode="qcolor")
        self.brushes = np.array([QBrush(c) for c in colours], dtype=object)
        self._generation = _generation

    def lookup(self, v: np.ndarray) -> np.ndarray:
        """Brushes (object array) for values ``v`` already scaled to [-1, 1]; NaN -> 0."""
        if self._generation != _generation:  # the theme changed
            self._build()
        v = np.nan_to_num(np.clip(v, -1.0, 1.0), nan=0.0)
        return self.brushes[np.rint((v + 1.0) * 0.5 * (self.steps - 1)).astype(np.intp)]
