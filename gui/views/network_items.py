"""The pyqtgraph items the network view draws with, and how they are filled.

Edges are drawn in batches: one :class:`EdgeCurve` (``connect="pairs"``) per (sign x
magnitude level), i.e. 8 items whatever the network's size, plus one for the grey edges
of layers a stepped iteration has not reached and one for the orange chain-rule paths.
Thick lines cost several times more than 1-pixel ones, so widths vary only while at most
``THICK_LIMIT`` edges are drawn; beyond that only the intensity does. Nodes are one
scatter item, the ring around the layer just computed another; captions under the
columns and the numbers beside the nodes are text items. :class:`NetworkItems` holds them
all and draws what :mod:`.network_geometry` chose; the view decides what to show.
:meth:`NetworkItems.fit` sets the range and writes the captions for the plot's size
(:mod:`.network_frame`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QTextOption

from .colormaps import HIGHLIGHT, NEGATIVE, POSITIVE, BrushTable, background, blend
from .network_frame import FORMS, Fit, caption_forms, fit
from .network_geometry import (
    LEVEL_INTENSITY,
    LEVEL_WIDTH,
    THICK_LIMIT,
    Geometry,
    choose_edges,
    edge_batches,
)
from .network_text import NetworkWords

if TYPE_CHECKING:
    from backprop_lab.gui.model.phase_frame import PhaseFrame

INACTIVE = (150, 150, 150)  # edges of layers a stepped iteration has not reached
NOT_COMPUTED = (90, 90, 90)  # node fill before its layer is computed
LIT = (255, 235, 120)  # ring around the layer just computed
UNSHOWN_SIZE_PX = (400.0, 300.0)  # the plot's size assumed before it is laid out


class EdgeCurve(pg.PlotCurveItem):
    """A batch of edges (connect="pairs") whose bounds are given, not computed: the
    network's extent is known, and pyqtgraph would otherwise scan the data for bounds
    several times per frame."""

    def __init__(self) -> None:
        super().__init__(connect="pairs", antialias=False)
        self.setSegmentedLineMode("on")
        self._rect = QRectF()

    def set_extent(self, rect: QRectF) -> None:
        """The bounds reported to pyqtgraph from now on."""
        self.prepareGeometryChange()
        self._rect = rect

    def boundingRect(self) -> QRectF:
        return self._rect

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None) -> tuple:
        r = self._rect
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())


def caption_texts(g: Geometry, words: NetworkWords) -> list[tuple[str, str, str]]:
    """Every column's caption in its three forms (:func:`.network_frame.caption_forms`):
    the inputs by name ("input (2)"), a layer by its activation ("tanh (8)")."""
    arch = g.arch
    out = []
    for c, n in enumerate(arch.sizes):
        shown = len(g.shown[c])
        count = str(n) if shown == n else words.caption_count.format(shown, n)
        if c == 0:
            out.append(caption_forms(words.caption_input, count, words.caption_input_short))
        else:
            out.append(caption_forms(arch.layers[c - 1].activation, count))
    return out


class NetworkItems:
    """Every item of the network plot, added to ``pi`` in drawing order; ``font`` is the
    view's (the numbers beside the nodes are printed a little smaller)."""

    def __init__(self, pi: pg.PlotItem, font: QFont) -> None:
        self.pi = pi
        bg = background()
        self.curves: list[EdgeCurve] = []
        for sign_rgb in (POSITIVE, NEGATIVE):
            for level, intensity in enumerate(LEVEL_INTENSITY):
                c = EdgeCurve()
                c.setZValue(level)
                c.setPen(pg.mkPen(blend(sign_rgb, intensity, bg), width=1))
                pi.addItem(c)
                self.curves.append(c)
        self.highlight = pg.PlotCurveItem(pen=pg.mkPen(HIGHLIGHT, width=4), antialias=False)
        self.highlight.setZValue(10)
        pi.addItem(self.highlight)
        self.inactive = EdgeCurve()
        self.inactive.setZValue(-1)
        self.inactive.setPen(pg.mkPen(blend(INACTIVE, 0.35, bg), width=1))
        pi.addItem(self.inactive)
        self.paths = EdgeCurve()
        self.paths.setZValue(9)
        self.paths.setPen(pg.mkPen(HIGHLIGHT, width=2.5))
        pi.addItem(self.paths)
        self.lit = pg.ScatterPlotItem(pen=pg.mkPen(LIT, width=3), brush=None, pxMode=True)
        self.lit.setZValue(19)
        pi.addItem(self.lit)
        self.labels: list[pg.TextItem] = []
        self.label_font = QFont(font)
        self.label_font.setPointSizeF(max(self.label_font.pointSizeF() * 0.8, 6.0))
        self.not_computed = pg.mkBrush(NOT_COMPUTED)
        self.brushes = BrushTable()
        self.nodes = pg.ScatterPlotItem(pen=pg.mkPen(20, 20, 20), pxMode=True)
        self.nodes.setZValue(20)
        pi.addItem(self.nodes)
        self.captions: list[pg.TextItem] = []
        self.caption_texts: list[tuple[str, str, str]] = []  # network_frame.caption_forms
        self.fitted: Fit | None = None  # the range and caption layout now in use
        self.thick: bool | None = None  # whether the edge pens are the wide ones

    def forget_layout(self) -> None:
        """Remove the captions and the node numbers (a new architecture, or none)."""
        for t in self.captions + self.labels:
            self.pi.removeItem(t)
        self.captions = []
        self.caption_texts = []
        self.fitted = None
        self.labels = []
        self.thick = None

    def lay_out(self, g: Geometry, vb: pg.ViewBox, node_size: float, words: NetworkWords) -> None:
        """Captions under the columns (in ``words``' language), the view's range, the
        edges' extent and the nodes (unfilled) of a new architecture."""
        arch = g.arch
        bottom = float(min(ys.min() for ys in g.ys))
        self.caption_texts = caption_texts(g, words)
        for forms in self.caption_texts:
            # the theme's text colour (a fixed light grey vanished on the light theme)
            t = pg.TextItem(forms[0], anchor=(0.5, 0), color=pg.getConfigOption("foreground"))
            t.theme_text = True  # Theme.apply_to_plots recolours it on a live switch
            t.textItem.document().setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignHCenter))
            self.pi.addItem(t, ignoreBounds=True)
            self.captions.append(t)
        self.fit(g, vb, node_size)
        extent = QRectF(-0.1, bottom - 0.1, len(arch.layers) + 0.2, -2 * bottom + 0.2)
        for c in (*self.curves, self.inactive, self.paths):
            c.set_extent(extent)
        self.lit.setData([], [])
        self.nodes.setData(
            x=g.node_x,
            y=g.node_y,
            size=node_size,
            brush=self.brushes.lookup(np.zeros(len(g.node_x))),
        )

    def recaption(self, g: Geometry, vb: pg.ViewBox, node_size: float, words: NetworkWords) -> None:
        """Write the captions again in ``words``' language (a language change) and fit."""
        if self.captions:
            self.caption_texts = caption_texts(g, words)
            self.fit(g, vb, node_size)

    def fit(self, g: Geometry, vb: pg.ViewBox, node_size: float) -> Fit | None:
        """Choose the view's range and the captions' form for the plot's size now (see
        :mod:`.network_frame`); call again when it is resized. None without captions."""
        if not self.captions:
            return None
        size = (vb.width(), vb.height())
        if size[0] < 1 or size[1] < 1:
            size = UNSHOWN_SIZE_PX  # not laid out yet: fitted again once it is
        measured = [[(0.0, 0.0)] * len(self.captions) for _ in range(FORMS)]
        for c, (t, forms) in enumerate(zip(self.captions, self.caption_texts, strict=True)):
            for form, text in enumerate(forms):
                self._set_caption(t, text)
                r = t.textItem.boundingRect()
                measured[form][c] = (r.width(), r.height())
        half = float(max(ys.max() for ys in g.ys))
        f = fit(len(g.arch.layers), half, size, node_size, measured)
        vb.setRange(xRange=f.x_range, yRange=f.y_range, padding=0)
        for c, (t, forms) in enumerate(zip(self.captions, self.caption_texts, strict=True)):
            self._set_caption(t, forms[f.captions.form])
            t.setPos(c, f.row_y[f.captions.row(c)])
        self.fitted = f
        return f

    @staticmethod
    def _set_caption(t: pg.TextItem, text: str) -> None:
        """``text`` as ``t``'s caption, its lines centred on each other."""
        t.setTextWidth(-1)
        t.setText(text)
        t.setTextWidth(t.textItem.document().idealWidth())  # centring needs a width

    def draw_edges(
        self, g: Geometry, q: np.ndarray, active: np.ndarray | None, max_edges: int
    ) -> np.ndarray:
        """Draw candidate edges with values ``q`` (one per candidate, same order); those
        where ``active`` is False are drawn grey (in the room the active ones leave).
        Returns the candidate indices drawn, sorted."""
        sel, grey = choose_edges(q, active, max_edges)
        gs = g.seg[grey]
        self.inactive.setData(gs[:, 0::2].ravel(), gs[:, 1::2].ravel(), connect="pairs")
        self.inactive.setVisible(bool(len(grey)))
        drawn = np.sort(np.concatenate([sel, grey])) if len(grey) else sel
        order, counts = edge_batches(q[sel], len(self.curves))
        seg = g.seg[sel[order]]
        thick = len(sel) <= THICK_LIMIT
        if thick != self.thick:
            self.thick = thick
            bg = background()
            for k, c in enumerate(self.curves):
                sign_rgb = POSITIVE if k < len(LEVEL_INTENSITY) else NEGATIVE
                lv = k % len(LEVEL_INTENSITY)
                width = LEVEL_WIDTH[lv] if thick else 1.0
                c.setPen(pg.mkPen(blend(sign_rgb, LEVEL_INTENSITY[lv], bg), width=width))
        start = 0
        for c, cnt in zip(self.curves, counts, strict=True):
            part = seg[start : start + cnt]
            start += cnt
            c.setData(part[:, 0::2].ravel(), part[:, 1::2].ravel(), connect="pairs")
            c.setVisible(bool(cnt))
        return drawn

    def fill_nodes(self, g: Geometry, activations: tuple[np.ndarray, ...]) -> None:
        """Fill the nodes with a snapshot's activations (scaled per column when > 1)."""
        values = []
        for c, shown in enumerate(g.shown):
            a = np.asarray(activations[c]) if c < len(activations) else np.zeros(0)
            ok = a.ndim == 1 and len(a) == g.arch.sizes[c]
            v = a[shown] if ok else np.zeros(len(shown))
            peak = float(np.abs(v).max()) if len(v) else 0.0
            values.append(v / max(peak, 1.0) if np.isfinite(peak) else np.zeros(len(shown)))
        self.nodes.setBrush(self.brushes.lookup(np.concatenate(values)))

    def fill_phase_nodes(self, g: Geometry, f: PhaseFrame, node_size: float) -> None:
        """Fill the nodes from a phase frame (grey before their layer is computed) and
        ring the layer just computed."""
        brushes = []
        for c, shown in enumerate(g.shown):
            col = f.columns[c]
            if col.fill is None:
                brushes.append(np.full(len(shown), self.not_computed, dtype=object))
                continue
            v = np.asarray(col.fill)[shown]
            peak = float(np.abs(v).max()) if len(v) else 0.0
            scale = peak if col.relative else max(peak, 1.0)
            ok = np.isfinite(peak) and scale > 0
            brushes.append(self.brushes.lookup(v / scale if ok else np.zeros(len(shown))))
        self.nodes.setBrush(np.concatenate(brushes))
        lit = f.lit
        if lit is None:
            self.lit.setData([], [])
        else:
            mask = g.node_layer == lit
            self.lit.setData(x=g.node_x[mask], y=g.node_y[mask], size=node_size + 8)

    def show_labels(self, items: list[tuple[float, float, str]], last: int) -> None:
        """Print ``(x, y, text)`` beside the nodes (left of them in column ``last``, the
        output); text items are reused and the spare ones hidden."""
        while len(self.labels) < len(items):
            t = pg.TextItem("", anchor=(-0.15, 0.5), color=(235, 235, 235), fill=(0, 0, 0, 150))
            t.setFont(self.label_font)
            t.setZValue(30)
            self.pi.addItem(t, ignoreBounds=True)
            self.labels.append(t)
        for t, (x, y, text) in zip(self.labels, items, strict=False):
            t.setText(text)
            t.setAnchor((1.15, 0.5) if x == last else (-0.15, 0.5))  # the output: to the left
            t.setPos(x, y)
            t.setVisible(True)
        for t in self.labels[len(items) :]:
            t.setVisible(False)

    def draw_paths(
        self, g: Geometry | None, edges: Sequence[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]]:
        """Draw ``edges`` (layer, j, i) in orange, leaving out those with an end not
        drawn; returns the ones drawn."""
        xs: list[float] = []
        ys: list[float] = []
        drawn = []
        if g is not None:
            for layer, j, i in edges:
                a, b = g.node_position(layer, i), g.node_position(layer + 1, j)
                if a is None or b is None:
                    continue
                drawn.append((layer, j, i))
                xs += [a[0], b[0]]
                ys += [a[1], b[1]]
        self.paths.setData(np.array(xs), np.array(ys), connect="pairs")
        self.paths.setVisible(bool(drawn))
        return drawn
