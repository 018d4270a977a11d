"""The words of the network view: the legend, the line saying which weights are drawn,
the selected weight's numbers and a node's tooltip - for a snapshot or for a frame of a
stepped iteration. String building from the view's :class:`.network_geometry.Geometry`
and what it drew.

The translated templates are :class:`NetworkWords`, made by :func:`network_words` when
the view is built and again on a language change - never per snapshot: the functions
drawing a snapshot take them as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from backprop_lab.engine.derivation import number_text
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QCoreApplication

from ..model.live_text import reworded
from .network_geometry import SHORT, Geometry

if TYPE_CHECKING:
    from backprop_lab.gui.model.phase_frame import PhaseFrame

translate = QCoreApplication.translate


@dataclass(frozen=True)
class NetworkWords:
    """The network view's templates in one language (``str.format`` fields)."""

    legend: str
    weight_magnitude: str
    gradient_magnitude: str
    width_and_intensity: str
    intensity: str
    weight: str
    gradient: str
    capped_inputs: str
    capped_units: str
    separator: str
    all_drawn: str
    largest: str
    among: str
    between: str
    no_gradient: str
    phase_legend: str
    phase_subset: str
    head: str
    not_drawn: str
    snapshot_selection: str
    input_name: str
    unit_name: str
    placeholder: str
    caption_input: str
    caption_input_short: str
    caption_count: str
    labels: dict


def network_words() -> NetworkWords:
    """The templates in the current language."""
    return NetworkWords(
        legend=translate(
            "NetworkText", "edges: red > 0, blue < 0, {0} = {1}; nodes: activation of sample {2}"
        ),
        weight_magnitude=translate("NetworkText", "|weight|"),
        gradient_magnitude=translate("NetworkText", "|dL/dw| of the last step"),
        width_and_intensity=translate("NetworkText", "width and intensity"),
        intensity=translate("NetworkText", "intensity"),
        weight=translate("NetworkText", "weight"),
        gradient=translate("NetworkText", "gradient"),
        capped_inputs=translate("NetworkText", "{0} of {1} inputs"),
        capped_units=translate("NetworkText", "{0} of {1} units in layer {2}"),
        separator=translate("NetworkText", ", "),
        all_drawn=translate("NetworkText", "all {0} weights drawn"),
        largest=translate("NetworkText", "showing {0} of {1} weights: the largest by |{2}|"),
        among=translate("NetworkText", " among {0} (evenly spaced)"),
        between=translate(
            "NetworkText", "showing {0} of {1} weights: those between {2} (evenly spaced)"
        ),
        no_gradient=translate("NetworkText", " - no gradient yet: take a step"),
        phase_legend=translate("NetworkText", "Iteration {0}{1} \u2014 {2}"),
        phase_subset=translate("NetworkText", "{0} of {1} weights drawn ({2} candidates active)"),
        head=translate("NetworkText", "Layer {0}, w[{1}][{2}] (input {2} \u2192 unit {1})"),
        not_drawn=translate("NetworkText", " (not drawn)"),
        snapshot_selection=translate(
            "NetworkText", "{0}{1}: weight {2} \u00b7 dL/dw {3} (step {4}) \u00b7 last update {5}"
        ),
        input_name=translate("NetworkText", "input {0}"),
        unit_name=translate("NetworkText", "layer {0}, unit {1}"),
        placeholder=translate(
            "NetworkText", "Click an edge to see its weight, gradient and last update."
        ),
        caption_input=translate("NetworkText", "input"),
        caption_input_short=translate("NetworkText", "in"),
        caption_count=translate("NetworkText", "{0} of {1}"),
        labels={**SHORT, "loss": translate("NetworkText", "loss")},
    )  # fmt: skip


def fmt(v: float | None) -> str:
    """A number as the view prints it (6 significant digits, a zero as "0"), "-" for None."""
    return "-" if v is None else number_text(v)


def snapshot_legend(w: NetworkWords, mode: str, thick: bool | None, sample: int) -> str:
    """The legend over a snapshot: colours, what width/intensity mean, the sample."""
    what = w.weight_magnitude if mode == "weights" else w.gradient_magnitude
    width = w.width_and_intensity if thick else w.intensity
    return w.legend.format(width, what, sample)


def snapshot_subset(w: NetworkWords, g: Geometry, drawn: int, mode: str, no_gradient: bool) -> str:
    """Which of the network's weights a snapshot's drawing shows (``drawn`` of them)."""
    quantity = w.weight if mode == "weights" else w.gradient
    total = g.total
    capped = w.separator.join(
        w.capped_inputs.format(len(s), n) if c == 0 else w.capped_units.format(len(s), n, c)
        for c, (s, n) in enumerate(zip(g.shown, g.arch.sizes, strict=True))
        if len(s) < n
    )
    if drawn == total:
        text = w.all_drawn.format(f"{total:,}")
    elif len(g.flat) > drawn:
        text = w.largest.format(f"{drawn:,}", f"{total:,}", quantity)
        if capped:
            text += w.among.format(capped)
    else:
        text = w.between.format(f"{drawn:,}", f"{total:,}", capped)
    if no_gradient and mode == "gradients":
        text += w.no_gradient
    return text


def phase_legend(w: NetworkWords, f: PhaseFrame) -> str:
    """The legend over a frame of a stepped iteration: iteration, data, caption."""
    data = f" {reworded(f.data)}" if f.data else ""
    return w.phase_legend.format(f.step, data, f.caption)


def phase_subset(w: NetworkWords, g: Geometry, drawn: int, f: PhaseFrame) -> str:
    """Which weights a frame's drawing shows (``drawn`` of them)."""
    active, total = int((np.asarray(f.edge_layers)[g.layer]).sum()), g.total
    return (
        w.phase_subset.format(f"{drawn:,}", f"{total:,}", f"{active:,}")
        if len(g.flat) < total or drawn < len(g.flat)
        else w.all_drawn.format(f"{total:,}")
    )


def selection_text(
    w: NetworkWords,
    layer: int,
    j: int,
    i: int,
    shown: bool,
    frame: PhaseFrame | None,
    snap: Snapshot | None,
) -> str:
    """The line about the selected weight ``weights[layer][j, i]`` (``shown``: both of its
    ends are drawn): the frame's numbers, else the snapshot's weight, dL/dw and update."""
    head = w.head.format(layer + 1, j, i)
    hidden = "" if shown else w.not_drawn
    if frame is not None:
        return f"{head}{hidden}: {frame.edge_info(layer, j, i)}"
    if snap is None:
        return head
    span = snap.network.architecture.layout[layer]
    k = span.weight_start + j * span.weight_shape[1] + i
    wv = float(snap.network.flat[k])
    grad = None if snap.gradients is None else float(snap.gradients[k])
    upd = None if snap.update is None else float(snap.update[k])
    return w.snapshot_selection.format(head, hidden, fmt(wv), fmt(grad), snap.step, fmt(upd))


def snapshot_node_info(w: NetworkWords, snap: Snapshot, column: int, unit: int) -> str:
    """A node's tooltip over a snapshot (column 0 = the inputs): its activation."""
    acts = snap.activations
    value = float(acts[column][unit]) if column < len(acts) and unit < len(acts[column]) else None
    name = w.input_name.format(unit) if column == 0 else w.unit_name.format(column, unit)
    return f"{name}: {'x' if column == 0 else 'a'} = {fmt(value)}"
