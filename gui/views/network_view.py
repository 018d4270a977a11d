"""The network drawn as a graph: neurons as nodes, weights as edges.

Nodes are filled with the activation of the snapshot's chosen sample; edges show either
the weights or the gradients of the last step (colour = sign, width and intensity =
magnitude relative to the largest drawn). Clicking an edge shows that weight, its gradient
and its last update.

Drawing cost is what limits this view, so edges are drawn in batches (8 items whatever
the network's size: :mod:`.network_items`). Large networks are drawn as a bounded subset,
said on screen: at most ``max_nodes`` evenly spaced units per layer, and among the weights
between them at most ``max_edges``, the largest by the shown quantity
(:mod:`.network_geometry`).

Step-by-step mode (issue 4): :meth:`NetworkView.show_phase` takes a
:class:`gui.model.phase_frame.PhaseFrame` - one moment of an iteration stepped phase
by phase - and until it is given None the view draws that instead of the snapshot: the
layer just computed is ringed, nodes not computed yet are grey, edges of layers not
reached are grey, the others show the weights (forward), dL/dw (backward) or the change
new - old (update); small networks get the numbers printed beside the nodes, every
network has them in the tooltips. :meth:`highlight_paths` draws given edges in orange:
the chain-rule paths from a selected weight to the loss, as in the article's figures.

This module holds the widget: its state, the public API and what to draw when; the words
are in :mod:`.network_text`, the buttons and the mouse in :mod:`.network_input`, how the
drawing fits the plot (range, captions) in :mod:`.network_frame`. (A little over 400
lines: the widget's whole public API stays in one place.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from backprop_lab.engine.network import Architecture
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QEvent, QPointF, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .caption import CaptionArea
from .network_geometry import (
    LEVEL_INTENSITY,
    MAX_EDGES,
    Geometry,
    label_texts,
    nearest_edge,
    nearest_node,
)
from .network_input import NetworkPointer, mode_buttons, retranslate_mode_buttons
from .network_items import NetworkItems
from .network_text import (
    network_words,
    phase_legend,
    phase_subset,
    selection_text,
    snapshot_legend,
    snapshot_node_info,
    snapshot_subset,
)
from .visibility import would_be_seen

if TYPE_CHECKING:
    from backprop_lab.gui.model.phase_frame import PhaseFrame

MODES = ("weights", "gradients")

__all__ = ["LEVEL_INTENSITY", "MODES", "NetworkView"]  # LEVEL_INTENSITY: as before the split


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
        self._geometry: Geometry | None = None
        self._snap: Snapshot | None = None
        self._pending = False
        self._drawn = np.empty(0, dtype=np.intp)  # candidate indices of the drawn edges
        self._selected: tuple[int, int, int] | None = None
        self._words = network_words()  # the templates, made again on a language change

        buttons = QHBoxLayout()
        self._group, self._mode_buttons = mode_buttons(self, MODES)
        for b in self._mode_buttons.values():
            buttons.addWidget(b)
        self._group.buttonToggled.connect(self._mode_button_toggled)
        buttons.addStretch(1)
        # the caption: a row of its own above the drawing, wrapped, never beside it
        self.legend = QLabel()
        self.legend.setObjectName("networkLegend")
        self.legend.setWordWrap(True)

        self.plot = pg.PlotWidget()
        self.plot.setObjectName("networkPlot")
        pi = self.plot.getPlotItem()
        pi.hideAxis("left")
        pi.hideAxis("bottom")
        pi.hideButtons()
        self._vb = pi.vb
        self._vb.disableAutoRange()
        self._vb.sigResized.connect(self._on_plot_resized)  # nodes and captions stay inside
        self._items = NetworkItems(pi, self.font())
        # the items tests and the automation look at, by their old names
        self._curves = self._items.curves
        self._highlight = self._items.highlight
        self._paths = self._items.paths
        self._nodes = self._items.nodes
        # step-by-step mode and chain-rule paths (issue 4)
        self._frame: PhaseFrame | None = None
        self._path_request: list[tuple[int, int, int]] = []
        self._path_drawn: list[tuple[int, int, int]] = []
        self._pointer = NetworkPointer(self)  # clicks and hovering

        self.subset_label = QLabel()
        self.subset_label.setObjectName("networkSubsetLabel")
        self.subset_label.setWordWrap(True)
        self.info_label = QLabel(self._words.placeholder)
        self.info_label.setObjectName("edgeInfoLabel")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(buttons)
        layout.addWidget(CaptionArea(self.legend))
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
        self.info_label.setText(self._words.placeholder)

    # ------------------------------------------------------------ public API
    @property
    def snapshot(self) -> Snapshot | None:
        """The snapshot shown (or shown once step-by-step mode ends), or None."""
        return self._snap

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
        g = self._geometry
        return [] if g is None else g.edges(self._drawn)

    def segment_count(self) -> int:
        """Line segments held by the edge items (counted from the items themselves)."""
        return sum(len(c.getData()[0]) // 2 for c in self._curves if c.getData()[0] is not None)

    def edge_point(self, layer: int, j: int, i: int, t: float = 0.5) -> QPointF | None:
        """The point a fraction ``t`` along edge (layer, j, i) from its input end, in view
        coordinates, or None if either end is not drawn."""
        g = self._geometry
        p = None if g is None else g.edge_point(layer, j, i, t)
        return None if p is None else QPointF(*p)

    def edge_at(self, x: float, y: float) -> tuple[int, int, int] | None:
        """The drawn edge nearest to view point (x, y) within a few pixels, as
        (layer, j, i), or None."""
        g, d = self._geometry, self._drawn
        if g is None or len(d) == 0:
            return None
        return nearest_edge(g, d, x, y, *self._pixel_size())

    def node_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(column, unit) of the drawn node at view point (x, y) (column 0 = inputs)."""
        g = self._geometry
        if g is None:
            return None
        return nearest_node(g, x, y, *self._pixel_size())

    def select_edge(self, layer: int, j: int, i: int) -> None:
        """Select weight ``network.weights[layer][j, i]``: highlight it, show its weight,
        gradient and last update, and emit ``edgeClicked``."""
        g = self._geometry
        if g is None:
            raise ValueError("no network is shown")
        g.check_weight(layer, j, i)
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
        return [t.toPlainText() for t in self._items.labels if t.isVisible()]

    def node_info(self, column: int, unit: int) -> str:
        """The tooltip of a node (column 0 = the inputs)."""
        f, snap = self._frame, self._snap
        if f is not None:
            return f.node_info(column, unit)
        if snap is None:
            return ""
        return snapshot_node_info(self._words, snap, column, unit)

    # ------------------------------------------------------------ drawing
    @property
    def _captions(self) -> list[pg.TextItem]:
        """The captions under the columns ("input (2)", "tanh (8)", ...)."""
        return self._items.captions

    def _set_geometry(self, arch: Architecture | None) -> None:
        self._items.forget_layout()
        if arch is None:
            self._geometry = None
            return
        g = self._geometry = Geometry(arch, self.max_nodes)
        self._selected = None
        self._highlight.setData([], [])
        self._path_request = []
        self._draw_paths()
        self._items.lay_out(g, self._vb, self._node_size(), self._words)

    def _node_size(self) -> float:
        g = self._geometry
        return g.node_size() if g else 22.0

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
        self._items.lit.setData([], [])
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
        """Draw candidate edges with values ``q``; those where ``active`` is False grey."""
        self._drawn = self._items.draw_edges(self._geometry, q, active, self.max_edges)

    def _draw_nodes(self, activations: tuple[np.ndarray, ...]) -> None:
        self._items.fill_nodes(self._geometry, activations)

    def _draw_phase(self, f: PhaseFrame) -> None:
        """Edges, nodes, the lit column and the printed numbers of a phase frame."""
        g = self._geometry
        self._draw_edges(f.edge_values[g.flat], np.asarray(f.edge_layers)[g.layer])
        self._items.fill_phase_nodes(g, f, self._node_size())
        self._show_labels(label_texts(g, f, self._words.labels))
        self.legend.setText(phase_legend(self._words, f))
        self.subset_label.setText(phase_subset(self._words, g, len(self._drawn), f))

    def _show_labels(self, items: list[tuple[float, float, str]]) -> None:
        last = len(self._geometry.shown) - 1 if self._geometry is not None else -1
        self._items.show_labels(items, last)

    def _draw_paths(self) -> None:
        self._path_drawn = self._items.draw_paths(self._geometry, self._path_request)

    def _describe(self, no_gradient: bool) -> None:
        w = self._words
        sample = self._snap.sample_index
        self.legend.setText(snapshot_legend(w, self._mode, self._items.thick, sample))
        self.subset_label.setText(
            snapshot_subset(w, self._geometry, len(self._drawn), self._mode, no_gradient)
        )

    def _show_selection(self) -> None:
        snap, g = self._snap, self._geometry
        layer, j, i = self._selected
        a, b = g.node_position(layer, i), g.node_position(layer + 1, j)
        if a is not None and b is not None:
            self._highlight.setData([a[0], b[0]], [a[1], b[1]])
        else:
            self._highlight.setData([], [])
        shown = a is not None and b is not None
        self.info_label.setText(selection_text(self._words, layer, j, i, shown, self._frame, snap))

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
    def _on_plot_resized(self, _vb: pg.ViewBox) -> None:
        if self._geometry is not None:
            self._items.fit(self._geometry, self._vb, self._node_size())

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._redraw()

    def retranslate(self) -> None:
        """Every text in the current language, at once: the buttons, the captions, the
        legend, the line of drawn weights and the selection (drawn again, or when shown)."""
        self._words = network_words()
        retranslate_mode_buttons(self._mode_buttons)
        if self._selected is None:
            self.info_label.setText(self._words.placeholder)
        if self._geometry is not None:
            self._items.recaption(self._geometry, self._vb, self._node_size(), self._words)
        if self._snap is not None or self._frame is not None:
            self._pending = True
            if would_be_seen(self):
                self._redraw()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
