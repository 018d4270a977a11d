"""Where the network view draws things and which of them - pure NumPy, no Qt.

:class:`Geometry` places every drawn unit and every candidate edge of an architecture
(large layers are shown as at most ``max_nodes`` evenly spaced units). The functions pick
the edges drawn (at most ``max_edges``, the largest by the shown quantity, greys in the
room left), sort them into the (sign x magnitude level) batches, find the edge or node
under a point, and choose the numbers printed beside the nodes in step-by-step mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from backprop_lab.engine.derivation import number_text
from backprop_lab.engine.network import Architecture

if TYPE_CHECKING:
    from backprop_lab.gui.model.phase_frame import PhaseFrame

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
MAX_LABELLED_NODES = 40  # print numbers beside the nodes up to this many (else tooltips)
MAX_LABELLED_COLUMN = 10
SHORT = {"delta": "\u03b4"}  # labels beside the nodes


class Geometry:
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

    def edge_point(self, layer: int, j: int, i: int, t: float) -> tuple[float, float] | None:
        """The point a fraction ``t`` along edge (layer, j, i) from its input end, or None
        if either end is not drawn."""
        a, b = self.node_position(layer, i), self.node_position(layer + 1, j)
        if a is None or b is None:
            return None
        return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])

    def edges(self, candidates: np.ndarray) -> list[tuple[int, int, int]]:
        """(layer, j, i) of the candidate edges at indices ``candidates``."""
        c = candidates
        return list(
            zip(self.layer[c].tolist(), self.j[c].tolist(), self.i[c].tolist(), strict=True)
        )

    def check_weight(self, layer: int, j: int, i: int) -> None:
        """ValueError unless ``weights[layer][j, i]`` exists in the architecture."""
        sizes = self.arch.sizes
        if not (
            0 <= layer < len(sizes) - 1 and 0 <= j < sizes[layer + 1] and 0 <= i < sizes[layer]
        ):
            raise ValueError(f"no weight ({layer}, {j}, {i}) in a {self.arch.describe()} network")

    def node_size(self) -> float:
        """The nodes' diameter in pixels: smaller the taller the tallest column."""
        tallest = max(len(s) for s in self.shown)
        return float(np.clip(200 / max(tallest, 1), 5, 22))


def choose_edges(
    q: np.ndarray, active: np.ndarray | None, max_edges: int
) -> tuple[np.ndarray, np.ndarray]:
    """(coloured, grey) candidate indices to draw for values ``q`` (one per candidate):
    the active ones (all if ``active`` is None), at most ``max_edges`` of them, the largest
    by |q|, in candidate order; then evenly spaced inactive ones in the room left."""
    n = len(q)
    cand = np.arange(n) if active is None else np.flatnonzero(active)
    m = len(cand)
    if m > max_edges:
        qa = np.abs(q[cand])
        sel = cand[np.sort(np.argpartition(qa, m - max_edges)[m - max_edges :])]
    else:
        sel = cand
    grey = np.empty(0, dtype=np.intp)
    if active is not None:
        rest = np.flatnonzero(~active)
        room = max(max_edges - len(sel), 0)
        grey = rest if len(rest) <= room else rest[:: -(-len(rest) // max(room, 1))][:room]
    return sel, grey


def edge_batches(qs: np.ndarray, batches: int) -> tuple[np.ndarray, np.ndarray]:
    """(order, counts) sorting values ``qs`` into the ``batches`` (sign x level) batches:
    positive levels 0..3 first, then negative; ``qs[order]`` is batch by batch, ``counts``
    how many fall in each. Levels are |q| / max|q| against LEVEL_EDGES."""
    mag = np.abs(qs)
    top = float(mag.max()) if len(mag) else 0.0
    scale = top if np.isfinite(top) and top > 0 else 1.0
    level = np.searchsorted(LEVEL_EDGES, mag / scale, side="right")
    bucket = (qs < 0).astype(np.intp) * len(LEVEL_INTENSITY) + level
    order = np.argsort(bucket, kind="stable")
    counts = np.bincount(bucket, minlength=batches)
    return order, counts


def nearest_edge(
    g: Geometry, drawn: np.ndarray, x: float, y: float, px: float, py: float
) -> tuple[int, int, int] | None:
    """The drawn edge (candidate indices ``drawn``) nearest to view point (x, y) within
    CLICK_TOLERANCE_PX pixels (``px``, ``py``: view units per pixel), as (layer, j, i)."""
    if len(drawn) == 0:
        return None
    s = g.seg[drawn]
    ax, ay = (s[:, 0] - x) / px, (s[:, 1] - y) / py
    bx, by = (s[:, 2] - x) / px, (s[:, 3] - y) / py
    dx, dy = bx - ax, by - ay
    t = np.clip(-(ax * dx + ay * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0.0, 1.0)
    dist = np.hypot(ax + t * dx, ay + t * dy)
    k = int(dist.argmin())
    if dist[k] > CLICK_TOLERANCE_PX:
        return None
    e = drawn[k]
    return int(g.layer[e]), int(g.j[e]), int(g.i[e])


def nearest_node(g: Geometry, x: float, y: float, px: float, py: float) -> tuple[int, int] | None:
    """(column, unit) of the drawn node at view point (x, y) (column 0 = inputs), within
    its radius or CLICK_TOLERANCE_PX pixels, or None."""
    dist = np.hypot((g.node_x - x) / px, (g.node_y - y) / py)
    k = int(dist.argmin())
    if dist[k] > max(g.node_size() / 2, CLICK_TOLERANCE_PX):
        return None
    return int(g.node_layer[k]), int(g.node_unit[k])


def label_texts(
    g: Geometry, f: PhaseFrame, names: dict[str, str] | None = None
) -> list[tuple[float, float, str]]:
    """(x, y, text) of the numbers printed beside the nodes: the inputs before the
    first layer, the layer just computed, the output at the loss, every delta. None
    printed (empty) beyond MAX_LABELLED_NODES nodes or MAX_LABELLED_COLUMN in a column.
    ``names``: how a quantity is written (default :data:`SHORT`; the view passes the
    translated ones)."""
    shown_as = SHORT if names is None else names
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
                f"{shown_as.get(n, n)} {number_text(float(values[n][unit]), 3)}"
                for n in names
                if n in values
            ]
            if lines:
                out.append((float(c), float(g.ys[c][k]), "  ".join(lines)))
    return out
