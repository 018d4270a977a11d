"""The network drawn as a graph: neurons as nodes, weights as edges.

Nodes are filled with the activation of the snapshot's chosen sample; edges show either
the weights or the gradients of the last step (colour = sign, width and intensity =
magnitude relative to the largest drawn). Clicking an edge shows that weight, its gradient
and its last update.

Drawing cost is what limits this view, so edges are drawn in batches: one
``PlotCurveItem(connect="pairs")`` per (sign x magnitude level), i.e. 8 items whatever the
network's size. Large networks are drawn as a bounded subset, said on screen: at most
``max_nodes`` evenly spaced units per layer, and among the weights between them at most
``max_edges``, the largest by the shown quantity. Thick lines cost several times more
than 1-pixel ones, so widths vary only while few edges are drawn; beyond that only the
intensity does.

Step-by-step mode (issue 4): :meth:`NetworkView.show_phase` takes a
:class:`gui.model.phase_frame.PhaseFrame` - one moment of an iteration stepped phase
by phase - and until it is given None the view draws that instead of the snapshot: the
layer just computed is ringed, nodes not computed yet are grey, edges of layers not
reached are grey, the others show the weights (forward), dL/dw (backward) or the change
new - old (update); small networks get the numbers printed beside the nodes, every
network has them in the tooltips. :meth:`highlight_paths` draws given edges in orange:
the chain-rule paths from a selected weight to the loss, as in the article's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from backprop_lab.engine.network import Architecture
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .colormaps import HIGHLIGHT, NEGATIVE, POSITIVE, BrushTable, background, blend
from .visibility import would_be_seen

if TYPE_CHECKING:
    from backprop_lab.gui.model.phase_frame import PhaseFrame

MODES = ("weights", "gradients")
LEVEL_EDGES = (0.1, 0.3, 0.6)  # |q| / max|q| thresholds between the 4 magnitude levels
LEVEL_INTENSITY = (0.3, 0.55, 0.8, 1.0)
LEVEL_WIDTH = (1.0, 2.0, 3.0, 5.0)
# At most this many edges drawn (the largest by the shown quantity): painting 8,832
# 1-px lines (784-256-128-10 at 64 units per layer) took ~17 ms idle and 100+ ms in the
# window while the worker process trains (both cores busy); 2,500 take ~6 / ~25 ms.
# The largest 1,000 edges of 784-256-128-10 paint in ~10 ms a frame in the full window
# while training; 2,500 took ~43 ms there (7 ms alone), which with the other views made
# the longest GUI-thread pause 57-64 ms (the bar is 50; with 1,000: ~29 ms).
MAX_EDGES = 1_000
THICK_LIMIT = 1500  # more drawn edges than this: all 1 px wide (thick lines are slow)
CLICK_TOLERANCE_PX = 6.0
INACTIVE = (150, 150, 150)  # edges of layers a stepped iteration has not reached
NOT_COMPUTED = (90, 90, 90)  # node fill before its layer is computed
LIT = (255, 235, 120)  # ring around the layer just computed
MAX_LABELLED_NODES = 40  # print numbers beside the nodes up to this many (else tooltips)
MAX_LABELLED_COLUMN = 10
SHORT = {"delta": "\u03b4"}  # labels beside the nodes


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.6g}"


class _EdgeCurve(pg.PlotCurveItem):
    """A batch of edges (connect="pairs") whose bounds are given, not computed: the
    network's extent is known, and pyqtgraph would otherwise scan the data for bounds
    several times per frame."""

    def __init__(self) -> None:
        super().__init__(connect="pairs", antialias=False)
        self.setSegmentedLineMode("on")
        self._rect = QRectF()

    def set_extent(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = rect

    def boundingRect(self) -> QRectF:
        return self._rect

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None) -> tuple:
        r = self._rect
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())


class _Geometry:
    """Where every drawn node and every candidate edge of an architecture sits.

    Layer columns are at x = 0 (input) .. depth (output); a column's shown units are
    evenly spaced in y, unit 0 on top, the tallest column spanning [-1, 1]. Candidate
    edges are all weights between shown units; ``flat`` gives each one's index in
    ``Network.flat`` (and in the snapshot's gradient and update vectors).
    """

    def __init__(self, arch: Architecture, max_nodes: int) -> None:
        self.arch = arch
        sizes = arch.sizes
        self.shown = [
            np.arange(n)
            if n <= max_nodes
            else np.unique(np.linspace(0, n - 1, max_nodes).round().astype(np.int64))
            for n in sizes
        ]
        tallest = max(len(s) for s in self.shown)
        self.spacing = 2.0 / max(tallest - 1, 1)
        self.ys = [((len(s) - 1) / 2 - np.arange(len(s))) * self.spacing for s in self.shown]
        self.node_x = np.concatenate([np.full(len(s), float(c)) for c, s in enumerate(self.shown)])
        self.node_y = np.concatenate(self.ys)
        self.node_layer = np.concatenate([np.full(len(s), c) for c, s in enumerate(self.shown)])
        self.node_unit = np.concatenate(self.shown)
        layer, js, is_, flat, seg = [], [], [], [], []
        for ly, span in enumerate(arch.layout):
            ws, fan_in = span.weight_start, span.weight_shape[1]
            rows, cols = self.shown[ly + 1], self.shown[ly]
            r, c = np.meshgrid(np.arange(len(rows)), np.arange(len(cols)), indexing="ij")
            r, c = r.ravel(), c.ravel()
            layer.append(np.full(len(r), ly))
            js.append(rows[r])
            is_.append(cols[c])
            flat.append(ws + rows[r] * fan_in + cols[c])
            seg.append(
                np.column_stack(
                    [
                        np.full(len(r), ly),
                        self.ys[ly][c],
                        np.full(len(r), ly + 1),
                        self.ys[ly + 1][r],
                    ]
                )
            )
        self.layer = np.concatenate(layer)
        self.j = np.concatenate(js)
        self.i = np.concatenate(is_)
        self.flat = np.concatenate(flat).astype(np.intp)
        self.seg = np.concatenate(seg).astype(np.float64)  # (E, 4): x0, y0, x1, y1
        self.total = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))

    def node_position(self, column: int, unit: int) -> tuple[float, float] | None:
        """Where unit ``unit`` of column ``column`` (0 = inputs) is drawn, or None if not drawn."""
        k = np.searchsorted(self.shown[column], unit)
        if k < len(self.shown[column]) and self.shown[column][k] == unit:
            return float(column), float(self.ys[column][k])
        return None


class NetworkView(QWidget):
    """Neurons and weights of the snapshot's network (objectName "networkView").

    ``edgeClicked(layer, j, i)`` (layer 0-based = the first layer after the input; j the
    unit, i the input: the weight ``network.weights[layer][j, i]``) is emitted when an edge
    is clicked or :meth:`select_edge` is called. ``nodeClicked(column, unit)`` (column 0 =
    the inputs, column q = layer q) when a neuron of a layer is clicked (the window
    inspects its bias).
    """

    edgeClicked = Signal(int, int, int)
    nodeClicked = Signal(int, int)

    def __init__(
        self, parent: QWidget | None = None, max_nodes: int = 64, max_edges: int = MAX_EDGES
    ) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.max_nodes = int(max_nodes)
        self.max_edges = int(max_edges)
        self._mode = "weights"
        self._geometry: _Geometry | None = None
        self._snap: Snapshot | None = None
        self._pending = False
        self._drawn = np.empty(0, dtype=np.intp)  # candidate indices of the drawn edges
        self._selected: tuple[int, int, int] | None = None
        self._thick: bool | None = None

        buttons = QHBoxLayout()
        self._group = QButtonGroup(self)
        self._mode_buttons: dict[str, QToolButton] = {}
        for mode in MODES:
            b = QToolButton()
            b.setText(mode.capitalize())
            b.setObjectName(f"network{mode.capitalize()}Button")
            b.setCheckable(True)
            b.setToolTip(
                f"Edges show the {'weights' if mode == 'weights' else 'dL/dw of the last step'}"
            )
            self._group.addButton(b)
            self._mode_buttons[mode] = b
            buttons.addWidget(b)
        self._mode_buttons["weights"].setChecked(True)
        self._group.buttonToggled.connect(self._mode_button_toggled)
        self.legend = QLabel()
        self.legend.setObjectName("networkLegend")
        self.legend.setWordWrap(True)
        buttons.addWidget(self.legend, 1)

        self.plot = pg.PlotWidget()
        self.plot.setObjectName("networkPlot")
        pi = self.plot.getPlotItem()
        pi.hideAxis("left")
        pi.hideAxis("bottom")
        pi.hideButtons()
        self._vb = pi.vb
        self._vb.disableAutoRange()
        bg = background()
        self._curves: list[_EdgeCurve] = []
        for sign_rgb in (POSITIVE, NEGATIVE):
            for level, intensity in enumerate(LEVEL_INTENSITY):
                c = _EdgeCurve()
                c.setZValue(level)
                c.setPen(pg.mkPen(blend(sign_rgb, intensity, bg), width=1))
                pi.addItem(c)
                self._curves.append(c)
        self._highlight = pg.PlotCurveItem(pen=pg.mkPen(HIGHLIGHT, width=4), antialias=False)
        self._highlight.setZValue(10)
        pi.addItem(self._highlight)
        # step-by-step mode and chain-rule paths (issue 4)
        self._frame: PhaseFrame | None = None
        self._path_request: list[tuple[int, int, int]] = []
        self._path_drawn: list[tuple[int, int, int]] = []
        self._inactive = _EdgeCurve()
        self._inactive.setZValue(-1)
        self._inactive.setPen(pg.mkPen(blend(INACTIVE, 0.35, bg), width=1))
        pi.addItem(self._inactive)
        self._paths = _EdgeCurve()
        self._paths.setZValue(9)
        self._paths.setPen(pg.mkPen(HIGHLIGHT, width=2.5))
        pi.addItem(self._paths)
        self._lit = pg.ScatterPlotItem(pen=pg.mkPen(LIT, width=3), brush=None, pxMode=True)
        self._lit.setZValue(19)
        pi.addItem(self._lit)
        self._labels: list[pg.TextItem] = []
        self._label_font = QFont(self.font())
        self._label_font.setPointSizeF(max(self._label_font.pointSizeF() * 0.8, 6.0))
        self._not_computed = pg.mkBrush(NOT_COMPUTED)
        self._brushes = BrushTable()
        self._nodes = pg.ScatterPlotItem(pen=pg.mkPen(20, 20, 20), pxMode=True)
        self._nodes.setZValue(20)
        pi.addItem(self._nodes)
        self._captions: list[pg.TextItem] = []
        self.plot.scene().sigMouseClicked.connect(self._on_clicked)
        self.plot.scene().sigMouseMoved.connect(self._on_moved)

        self.subset_label = QLabel()
        self.subset_label.setObjectName("networkSubsetLabel")
        self.subset_label.setWordWrap(True)
        self.info_label = QLabel("Click an edge to see its weight, gradient and last update.")
        self.info_label.setObjectName("edgeInfoLabel")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.subset_label)
        layout.addWidget(self.info_label)

    # ------------------------------------------------------------ the views contract
    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Draw ``snap``'s network (latest wins: a hidden view draws when shown)."""
        self._snap = snap
        self._pending = True
        if would_be_seen(self):
            self._redraw()

    def clear(self) -> None:
        """Forget the snapshot and the selection (a new problem or a reset)."""
        self._snap = None
        self._selected = None
        self._pending = False
        self._drawn = np.empty(0, dtype=np.intp)
        for c in self._curves:
            c.setData([], [])
        self._highlight.setData([], [])
        self._nodes.setData([], [])
        self._frame = None
        self._path_request = []
        self._set_geometry(None)
        self.subset_label.setText("")
        self.info_label.setText("Click an edge to see its weight, gradient and last update.")

    # ------------------------------------------------------------ public API
    @property
    def mode(self) -> str:
        """ "weights" or "gradients": what the edges show."""
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Show the weights or the gradients of the last step on the edges."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self._mode_buttons[mode].setChecked(True)  # -> _mode_button_toggled
        if self._mode != mode:
            self._mode = mode
            self._pending = self._snap is not None
            self._redraw()

    def drawn_edges(self) -> list[tuple[int, int, int]]:
        """(layer, j, i) of every edge drawn now."""
        g, d = self._geometry, self._drawn
        if g is None:
            return []
        return list(zip(g.layer[d].tolist(), g.j[d].tolist(), g.i[d].tolist(), strict=True))

    def segment_count(self) -> int:
        """Line segments held by the edge items (counted from the items themselves)."""
        return sum(len(c.getData()[0]) // 2 for c in self._curves if c.getData()[0] is not None)

    def edge_point(self, layer: int, j: int, i: int, t: float = 0.5) -> QPointF | None:
        """The point a fraction ``t`` along edge (layer, j, i) from its input end, in view
        coordinates, or None if either end is not drawn."""
        g = self._geometry
        if g is None:
            return None
        a, b = g.node_position(layer, i), g.node_position(layer + 1, j)
        if a is None or b is None:
            return None
        return QPointF(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))

    def edge_at(self, x: float, y: float) -> tuple[int, int, int] | None:
        """The drawn edge nearest to view point (x, y) within a few pixels, as
        (layer, j, i), or None."""
        g, d = self._geometry, self._drawn
        if g is None or len(d) == 0:
            return None
        px, py = self._pixel_size()
        s = g.seg[d]
        ax, ay = (s[:, 0] - x) / px, (s[:, 1] - y) / py
        bx, by = (s[:, 2] - x) / px, (s[:, 3] - y) / py
        dx, dy = bx - ax, by - ay
        t = np.clip(-(ax * dx + ay * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0.0, 1.0)
        dist = np.hypot(ax + t * dx, ay + t * dy)
        k = int(dist.argmin())
        if dist[k] > CLICK_TOLERANCE_PX:
            return None
        e = d[k]
        return int(g.layer[e]), int(g.j[e]), int(g.i[e])

    def node_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(column, unit) of the drawn node at view point (x, y) (column 0 = inputs)."""
        g = self._geometry
        if g is None:
            return None
        px, py = self._pixel_size()
        dist = np.hypot((g.node_x - x) / px, (g.node_y - y) / py)
        k = int(dist.argmin())
        if dist[k] > max(self._node_size() / 2, CLICK_TOLERANCE_PX):
            return None
        return int(g.node_layer[k]), int(g.node_unit[k])

    def select_edge(self, layer: int, j: int, i: int) -> None:
        """Select weight ``network.weights[layer][j, i]``: highlight it, show its weight,
        gradient and last update, and emit ``edgeClicked``."""
        g = self._geometry
        if g is None:
            raise ValueError("no network is shown")
        sizes = g.arch.sizes
        if not (
            0 <= layer < len(sizes) - 1 and 0 <= j < sizes[layer + 1] and 0 <= i < sizes[layer]
        ):
            raise ValueError(f"no weight ({layer}, {j}, {i}) in a {g.arch.describe()} network")
        self._selected = (int(layer), int(j), int(i))
        self._show_selection()
        self.edgeClicked.emit(int(layer), int(j), int(i))

    def selected_edge(self) -> tuple[int, int, int] | None:
        """(layer, j, i) of the selected weight, or None."""
        return self._selected

    # ------------------------------------------------------------ step by step (issue 4)
    def show_phase(self, frame: PhaseFrame | None) -> None:
        """Draw one moment of a stepped iteration instead of the snapshot (None: back to
        the snapshot). Cheap: the same batched drawing as a snapshot."""
        self._frame = frame
        self._pending = frame is not None or self._snap is not None
        if would_be_seen(self):
            self._redraw()

    @property
    def phase_frame(self) -> PhaseFrame | None:
        """The frame drawn instead of the snapshot, or None."""
        return self._frame

    def highlight_paths(self, edges: Sequence[tuple[int, int, int]]) -> None:
        """Draw the edges ``(layer, j, i)`` (layer 0-based) in orange - the chain-rule
        paths of a selected weight. Edges with an end not drawn are left out."""
        self._path_request = [(int(a), int(b), int(c)) for a, b, c in edges]
        self._draw_paths()

    def path_edges(self) -> list[tuple[int, int, int]]:
        """The highlighted path edges actually drawn, (layer, j, i)."""
        return list(self._path_drawn)

    def path_segment_count(self) -> int:
        """Line segments held by the orange path item (counted from the item itself)."""
        x = self._paths.getData()[0]
        return 0 if x is None else len(x) // 2

    def node_labels(self) -> list[str]:
        """The numbers printed beside the nodes (small networks in step-by-step mode)."""
        return [t.toPlainText() for t in self._labels if t.isVisible()]

    def node_info(self, column: int, unit: int) -> str:
        """The tooltip of a node (column 0 = the inputs)."""
        f, snap = self._frame, self._snap
        if f is not None:
            return f.node_info(column, unit)
        if snap is None:
            return ""
        acts = snap.activations
        value = (
            float(acts[column][unit]) if column < len(acts) and unit < len(acts[column]) else None
        )
        name = f"input {unit}" if column == 0 else f"layer {column}, unit {unit}"
        return f"{name}: {'x' if column == 0 else 'a'} = {_fmt(value)}"

    # ------------------------------------------------------------ drawing
    def _set_geometry(self, arch: Architecture | None) -> None:
        for t in self._captions + self._labels:
            self.plot.getPlotItem().removeItem(t)
        self._captions = []
        self._labels = []
        self._thick = None
        if arch is None:
            self._geometry = None
            return
        g = self._geometry = _Geometry(arch, self.max_nodes)
        self._selected = None
        self._highlight.setData([], [])
        self._path_request = []
        self._draw_paths()
        names = ["input", *(f"{ly.activation}" for ly in arch.layers)]
        bottom = float(min(ys.min() for ys in g.ys))
        for c, (name, n) in enumerate(zip(names, arch.sizes, strict=True)):
            shown = len(g.shown[c])
            text = f"{name} ({n})" if shown == n else f"{name} ({shown} of {n})"
            # the theme's text colour (a fixed light grey vanished on the light theme)
            t = pg.TextItem(text, anchor=(0.5, 0), color=pg.getConfigOption("foreground"))
            t.theme_text = True  # Theme.apply_to_plots recolours it on a live switch
            t.setPos(c, bottom - 0.06)
            self.plot.getPlotItem().addItem(t, ignoreBounds=True)
            self._captions.append(t)
        self._vb.setRange(
            xRange=(-0.35, len(arch.layers) + 0.35),
            yRange=(bottom - 0.25, -bottom + 0.1),
            padding=0,
        )
        extent = QRectF(-0.1, bottom - 0.1, len(arch.layers) + 0.2, -2 * bottom + 0.2)
        for c in (*self._curves, self._inactive, self._paths):
            c.set_extent(extent)
        self._lit.setData([], [])
        self._nodes.setData(
            x=g.node_x,
            y=g.node_y,
            size=self._node_size(),
            brush=self._brushes.lookup(np.zeros(len(g.node_x))),
        )

    def _node_size(self) -> float:
        g = self._geometry
        tallest = max(len(s) for s in g.shown) if g else 1
        return float(np.clip(200 / max(tallest, 1), 5, 22))

    def _redraw(self) -> None:
        if not self._pending or (self._snap is None and self._frame is None):
            return
        self._pending = False
        frame, snap = self._frame, self._snap
        arch = (frame or snap).network.architecture
        if self._geometry is None or self._geometry.arch != arch:
            self._set_geometry(arch)
            self._path_request = []
        if frame is not None:
            self._draw_phase(frame)
            if self._selected is not None:
                self._show_selection()
            return
        self._lit.setData([], [])
        self._show_labels([])
        g = self._geometry
        source = snap.network.flat if self._mode == "weights" else snap.gradients
        q = np.zeros(len(g.flat)) if source is None else source[g.flat]
        self._draw_edges(q)
        self._draw_nodes(snap.activations)
        self._describe(source is None)
        if self._selected is not None:
            self._show_selection()

    def _draw_edges(self, q: np.ndarray, active: np.ndarray | None = None) -> None:
        """Draw candidate edges with values ``q`` (one per candidate, same order); those
        where ``active`` is False are drawn grey (in the room the active ones leave)."""
        g = self._geometry
        n = len(q)
        cand = np.arange(n) if active is None else np.flatnonzero(active)
        m = len(cand)
        if m > self.max_edges:
            qa = np.abs(q[cand])
            sel = cand[np.sort(np.argpartition(qa, m - self.max_edges)[m - self.max_edges :])]
        else:
            sel = cand
        grey = np.empty(0, dtype=np.intp)
        if active is not None:
            rest = np.flatnonzero(~active)
            room = max(self.max_edges - len(sel), 0)
            grey = rest if len(rest) <= room else rest[:: -(-len(rest) // max(room, 1))][:room]
        gs = g.seg[grey]
        self._inactive.setData(gs[:, 0::2].ravel(), gs[:, 1::2].ravel(), connect="pairs")
        self._inactive.setVisible(bool(len(grey)))
        self._drawn = np.sort(np.concatenate([sel, grey])) if len(grey) else sel
        qs = q[sel]
        mag = np.abs(qs)
        top = float(mag.max()) if len(mag) else 0.0
        scale = top if np.isfinite(top) and top > 0 else 1.0
        level = np.searchsorted(LEVEL_EDGES, mag / scale, side="right")
        bucket = (qs < 0).astype(np.intp) * len(LEVEL_INTENSITY) + level
        order = np.argsort(bucket, kind="stable")
        counts = np.bincount(bucket, minlength=len(self._curves))
        seg = g.seg[sel[order]]
        thick = len(sel) <= THICK_LIMIT
        if thick != self._thick:
            self._thick = thick
            bg = background()
            for k, c in enumerate(self._curves):
                sign_rgb = POSITIVE if k < len(LEVEL_INTENSITY) else NEGATIVE
                lv = k % len(LEVEL_INTENSITY)
                width = LEVEL_WIDTH[lv] if thick else 1.0
                c.setPen(pg.mkPen(blend(sign_rgb, LEVEL_INTENSITY[lv], bg), width=width))
        start = 0
        for c, cnt in zip(self._curves, counts, strict=True):
            part = seg[start : start + cnt]
            start += cnt
            c.setData(part[:, 0::2].ravel(), part[:, 1::2].ravel(), connect="pairs")
            c.setVisible(bool(cnt))

    def _draw_nodes(self, activations: tuple[np.ndarray, ...]) -> None:
        g = self._geometry
        values = []
        for c, shown in enumerate(g.shown):
            a = np.asarray(activations[c]) if c < len(activations) else np.zeros(0)
            ok = a.ndim == 1 and len(a) == g.arch.sizes[c]
            v = a[shown] if ok else np.zeros(len(shown))
            peak = float(np.abs(v).max()) if len(v) else 0.0
            values.append(v / max(peak, 1.0) if np.isfinite(peak) else np.zeros(len(shown)))
        self._nodes.setBrush(self._brushes.lookup(np.concatenate(values)))

    def _draw_phase(self, f: PhaseFrame) -> None:
        """Edges, nodes, the lit column and the printed numbers of a phase frame."""
        g = self._geometry
        self._draw_edges(f.edge_values[g.flat], np.asarray(f.edge_layers)[g.layer])
        brushes = []
        for c, shown in enumerate(g.shown):
            col = f.columns[c]
            if col.fill is None:
                brushes.append(np.full(len(shown), self._not_computed, dtype=object))
                continue
            v = np.asarray(col.fill)[shown]
            peak = float(np.abs(v).max()) if len(v) else 0.0
            scale = peak if col.relative else max(peak, 1.0)
            ok = np.isfinite(peak) and scale > 0
            brushes.append(self._brushes.lookup(v / scale if ok else np.zeros(len(shown))))
        self._nodes.setBrush(np.concatenate(brushes))
        lit = f.lit
        if lit is None:
            self._lit.setData([], [])
        else:
            mask = g.node_layer == lit
            self._lit.setData(x=g.node_x[mask], y=g.node_y[mask], size=self._node_size() + 8)
        self._show_labels(self._label_texts(f))
        data = f" {f.data}" if f.data else ""
        self.legend.setText(f"Iteration {f.step}{data} \u2014 {f.caption}")
        drawn, total = int((np.asarray(f.edge_layers)[g.layer]).sum()), g.total
        self.subset_label.setText(
            f"{len(self._drawn):,} of {total:,} weights drawn ({drawn:,} candidates active)"
            if len(g.flat) < total or len(self._drawn) < len(g.flat)
            else f"all {total:,} weights drawn"
        )

    def _label_texts(self, f: PhaseFrame) -> list[tuple[float, float, str]]:
        """(x, y, text) of the numbers printed beside the nodes: the inputs before the
        first layer, the layer just computed, the output at the loss, every delta."""
        g = self._geometry
        if len(g.node_x) > MAX_LABELLED_NODES or max(len(s) for s in g.shown) > MAX_LABELLED_COLUMN:
            return []
        kind = None if f.phase is None else f.phase.kind
        wanted: dict[int, tuple[str, ...]] = {}
        if kind in (None, "forward"):
            wanted[0] = ("x",)
        if kind == "forward":
            out = f.lit == f.depth
            wanted[f.lit] = ("z", "y" if out else "a")
        elif kind == "loss":
            wanted[f.depth] = ("y", "t", "loss")
        elif kind == "backward":
            for c in range(1, f.depth + 1):
                if f.edge_layers[c - 1]:
                    wanted[c] = ("delta",)
        out = []
        for c, names in wanted.items():
            values = dict(f.columns[c].quantities)
            for k, unit in enumerate(g.shown[c]):
                lines = [
                    f"{SHORT.get(n, n)} {float(values[n][unit]):.3g}" for n in names if n in values
                ]
                if lines:
                    out.append((float(c), float(g.ys[c][k]), "  ".join(lines)))
        return out

    def _show_labels(self, items: list[tuple[float, float, str]]) -> None:
        pi = self.plot.getPlotItem()
        while len(self._labels) < len(items):
            t = pg.TextItem("", anchor=(-0.15, 0.5), color=(235, 235, 235), fill=(0, 0, 0, 150))
            t.setFont(self._label_font)
            t.setZValue(30)
            pi.addItem(t, ignoreBounds=True)
            self._labels.append(t)
        last = len(self._geometry.shown) - 1 if self._geometry is not None else -1
        for t, (x, y, text) in zip(self._labels, items, strict=False):
            t.setText(text)
            t.setAnchor((1.15, 0.5) if x == last else (-0.15, 0.5))  # the output: to the left
            t.setPos(x, y)
            t.setVisible(True)
        for t in self._labels[len(items) :]:
            t.setVisible(False)

    def _draw_paths(self) -> None:
        g = self._geometry
        xs: list[float] = []
        ys: list[float] = []
        drawn = []
        if g is not None:
            for layer, j, i in self._path_request:
                a, b = g.node_position(layer, i), g.node_position(layer + 1, j)
                if a is None or b is None:
                    continue
                drawn.append((layer, j, i))
                xs += [a[0], b[0]]
                ys += [a[1], b[1]]
        self._path_drawn = drawn
        self._paths.setData(np.array(xs), np.array(ys), connect="pairs")
        self._paths.setVisible(bool(drawn))

    def _describe(self, no_gradient: bool) -> None:
        g, snap = self._geometry, self._snap
        quantity = "weight" if self._mode == "weights" else "gradient"
        what = "|weight|" if self._mode == "weights" else "|dL/dw| of the last step"
        width = "width and intensity" if self._thick else "intensity"
        self.legend.setText(
            f"edges: red > 0, blue < 0, {width} = {what}; nodes: activation of sample "
            f"{snap.sample_index}"
        )
        drawn, total = len(self._drawn), g.total
        capped = [
            f"{len(s)} of {n} {'inputs' if c == 0 else f'units in layer {c}'}"
            for c, (s, n) in enumerate(zip(g.shown, g.arch.sizes, strict=True))
            if len(s) < n
        ]
        if drawn == total:
            text = f"all {total:,} weights drawn"
        elif len(g.flat) > drawn:
            text = f"showing {drawn:,} of {total:,} weights: the largest by |{quantity}|"
            if capped:
                text += " among " + ", ".join(capped) + " (evenly spaced)"
        else:
            text = f"showing {drawn:,} of {total:,} weights: those between " + ", ".join(capped)
            text += " (evenly spaced)"
        if no_gradient and self._mode == "gradients":
            text += " - no gradient yet: take a step"
        self.subset_label.setText(text)

    def _show_selection(self) -> None:
        snap, g = self._snap, self._geometry
        layer, j, i = self._selected
        a, b = g.node_position(layer, i), g.node_position(layer + 1, j)
        if a is not None and b is not None:
            self._highlight.setData([a[0], b[0]], [a[1], b[1]])
        else:
            self._highlight.setData([], [])
        head = f"Layer {layer + 1}, w[{j}][{i}] (input {i} \u2192 unit {j})"
        hidden = "" if a is not None and b is not None else " (not drawn)"
        if self._frame is not None:
            self.info_label.setText(f"{head}{hidden}: {self._frame.edge_info(layer, j, i)}")
            return
        if snap is None:
            self.info_label.setText(head)
            return
        span = snap.network.architecture.layout[layer]
        k = span.weight_start + j * span.weight_shape[1] + i
        w = float(snap.network.flat[k])
        grad = None if snap.gradients is None else float(snap.gradients[k])
        upd = None if snap.update is None else float(snap.update[k])
        self.info_label.setText(
            f"{head}{hidden}: weight {_fmt(w)} \u00b7 dL/dw {_fmt(grad)} (step {snap.step}) "
            f"\u00b7 last update {_fmt(upd)}"
        )

    def _pixel_size(self) -> tuple[float, float]:
        px, py = self._vb.viewPixelSize()
        if not (px > 0 and py > 0 and np.isfinite(px) and np.isfinite(py)):
            return 0.01, 0.01
        return px, py

    # ------------------------------------------------------------ events
    @Slot(object, bool)
    def _mode_button_toggled(self, button: QToolButton, checked: bool) -> None:
        if checked:
            mode = next(m for m, b in self._mode_buttons.items() if b is button)
            if mode != self._mode:
                self._mode = mode
                self._pending = self._snap is not None
                self._redraw()

    @Slot(object)
    def _on_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        pos = ev.scenePos()
        if not self._vb.sceneBoundingRect().contains(pos):
            return
        p = self._vb.mapSceneToView(pos)
        node = self.node_at(p.x(), p.y())
        if node is not None and node[0] > 0:  # a neuron (its bias), not an input
            self.nodeClicked.emit(*node)
            return
        hit = self.edge_at(p.x(), p.y())
        if hit is not None:
            self.select_edge(*hit)

    @Slot(object)
    def _on_moved(self, pos: QPointF) -> None:
        if self._snap is None and self._frame is None:
            return
        if not self._vb.sceneBoundingRect().contains(pos):
            return
        p = self._vb.mapSceneToView(pos)
        node = self.node_at(p.x(), p.y())
        text = ""
        if node is not None:
            text = self.node_info(*node)
        elif self._frame is not None:
            edge = self.edge_at(p.x(), p.y())
            if edge is not None:
                text = self._frame.edge_info(*edge)
        self.plot.setToolTip(text)

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._redraw()
