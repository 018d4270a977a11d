"""The words of the network view: the legend, the line saying which weights are drawn,
the selected weight's numbers and a node's tooltip - for a snapshot or for a frame of a
stepped iteration. Pure string building from the view's :class:`.network_geometry.Geometry`
and what it drew; no Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from backprop_lab.engine.derivation import number_text
from backprop_lab.engine.transport.snapshot import Snapshot

from .network_geometry import Geometry

if TYPE_CHECKING:
    from backprop_lab.gui.model.phase_frame import PhaseFrame


def fmt(v: float | None) -> str:
    """A number as the view prints it (6 significant digits, a zero as "0"), "-" for None."""
    return "-" if v is None else number_text(v)


def snapshot_legend(mode: str, thick: bool | None, sample: int) -> str:
    """The legend over a snapshot: colours, what width/intensity mean, the sample."""
    what = "|weight|" if mode == "weights" else "|dL/dw| of the last step"
    width = "width and intensity" if thick else "intensity"
    return f"edges: red > 0, blue < 0, {width} = {what}; nodes: activation of sample {sample}"


def snapshot_subset(g: Geometry, drawn: int, mode: str, no_gradient: bool) -> str:
    """Which of the network's weights a snapshot's drawing shows (``drawn`` of them)."""
    quantity = "weight" if mode == "weights" else "gradient"
    total = g.total
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
    if no_gradient and mode == "gradients":
        text += " - no gradient yet: take a step"
    return text


def phase_legend(f: PhaseFrame) -> str:
    """The legend over a frame of a stepped iteration: iteration, data, caption."""
    data = f" {f.data}" if f.data else ""
    return f"Iteration {f.step}{data} \u2014 {f.caption}"


def phase_subset(g: Geometry, drawn: int, f: PhaseFrame) -> str:
    """Which weights a frame's drawing shows (``drawn`` of them)."""
    active, total = int((np.asarray(f.edge_layers)[g.layer]).sum()), g.total
    return (
        f"{drawn:,} of {total:,} weights drawn ({active:,} candidates active)"
        if len(g.flat) < total or drawn < len(g.flat)
        else f"all {total:,} weights drawn"
    )


def selection_text(
    layer: int, j: int, i: int, shown: bool, frame: PhaseFrame | None, snap: Snapshot | None
) -> str:
    """The line about the selected weight ``weights[layer][j, i]`` (``shown``: both of its
    ends are drawn): the frame's numbers, else the snapshot's weight, dL/dw and update."""
    head = f"Layer {layer + 1}, w[{j}][{i}] (input {i} \u2192 unit {j})"
    hidden = "" if shown else " (not drawn)"
    if frame is not None:
        return f"{head}{hidden}: {frame.edge_info(layer, j, i)}"
    if snap is None:
        return head
    span = snap.network.architecture.layout[layer]
    k = span.weight_start + j * span.weight_shape[1] + i
    w = float(snap.network.flat[k])
    grad = None if snap.gradients is None else float(snap.gradients[k])
    upd = None if snap.update is None else float(snap.update[k])
    return (
        f"{head}{hidden}: weight {fmt(w)} \u00b7 dL/dw {fmt(grad)} (step {snap.step}) "
        f"\u00b7 last update {fmt(upd)}"
    )


def snapshot_node_info(snap: Snapshot, column: int, unit: int) -> str:
    """A node's tooltip over a snapshot (column 0 = the inputs): its activation."""
    acts = snap.activations
    value = float(acts[column][unit]) if column < len(acts) and unit < len(acts[column]) else None
    name = f"input {unit}" if column == 0 else f"layer {column}, unit {unit}"
    return f"{name}: {'x' if column == 0 else 'a'} = {fmt(value)}"
