"""What the network view and the phase indicator show for one moment of an iteration
stepped phase by phase.

:func:`build_frame` reads an :class:`engine.stepper.PhaseStepper`'s partial records (and,
after the update, the engine snapshot's change vector) and picks out the chosen batch
row; it computes nothing but :func:`engine.losses.per_output_loss` for the loss phase.
:func:`phase_text` is the phase indicator's sentence: where the iteration stands and
what the next press does.

Conventions: columns count from 0 = the inputs to L = the output layer (so column q is
layer q, 1-based, as in the article and the JSON model); edges are laid out as
``Network.flat``.

Words: every sentence is marked for translation (context "PhaseFrame", the "views"
catalogue) and made in the language of the moment it is asked for; the frame's
caption is made when it is read, so a view re-reading it after a language change shows
it in the new language (:func:`data_text` returns a :class:`.live_text.LiveText`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_lab.engine.derivation import number_text
from backprop_lab.engine.losses import per_output_loss
from backprop_lab.engine.network import Network
from backprop_lab.engine.stepper import Phase, PhaseStepper
from PySide6.QtCore import QCoreApplication

from .live_text import LiveText

translate = QCoreApplication.translate

#: edge_quantity values
WEIGHT, GRADIENT, CHANGE = "weight", "gradient", "change"


@dataclass(frozen=True)
class ColumnValues:
    """One column's numbers for the chosen row. ``fill`` colours the nodes (None: not
    computed yet); ``relative``: scale it by its own largest magnitude (error signals)
    rather than as activations; ``quantities``: (name, per-unit values) to print."""

    fill: np.ndarray | None
    relative: bool
    quantities: tuple[tuple[str, np.ndarray], ...]


@dataclass(frozen=True)
class PhaseFrame:
    """One moment of a stepped iteration, ready to draw (read-only arrays).

    network: the weights the iteration started from; after: those after its update
    (None before). phase: the phase just run (None: none yet). row: the batch row whose
    values the nodes show; sample: its training-set index (None if unknown). columns:
    per column, input first. edge_values: flat like ``network.flat`` - the weights
    (forward, loss), dL/dw (backward; 0 for layers not done) or the update's change
    new - old (update); edge_layers: which layers' edges are active (computed).
    lit: the column just computed (None: every one)."""

    network: Network
    after: Network | None
    phase: Phase | None
    step: int
    loss: str
    row: int
    sample: int | None
    batch_size: int
    columns: tuple[ColumnValues, ...]
    edge_values: np.ndarray
    edge_layers: tuple[bool, ...]
    edge_quantity: str
    lit: int | None
    data: str = ""

    @property
    def depth(self) -> int:
        return self.network.depth

    @property
    def caption(self) -> str:
        """What this moment shows, in words (in the current language)."""
        return _caption(
            self.phase, self.depth, self.batch_size, self.edge_quantity,
            self.network.architecture.bias,
        )  # fmt: skip

    def quantity_name(self, name: str) -> str:
        """How a quantity of :attr:`columns` is named on screen ("loss" is a word)."""
        return translate("PhaseFrame", "loss") if name == "loss" else name

    def node_info(self, column: int, unit: int) -> str:
        """``"layer 2, unit 1: z = 0.3, a = 0.29"`` for a node (column 0 = the inputs)."""
        name = (
            translate("PhaseFrame", "input {0}").format(unit)
            if column == 0
            else translate("PhaseFrame", "layer {0}, unit {1}").format(column, unit)
        )
        col = self.columns[column]
        parts = [
            f"{self.quantity_name(q)} = {number_text(float(v[unit]))}"
            for q, v in col.quantities
            if unit < len(v)
        ]
        values = ", ".join(parts) if parts else translate("PhaseFrame", "not computed yet")
        return f"{name}: {values}"

    def edge_info(self, layer: int, j: int, i: int) -> str:
        """The numbers of weight ``weights[layer][j, i]`` (layer 0-based) at this moment."""
        w = float(self.network.weights[layer][j, i])
        head = f"w({layer + 1})_{j},{i} = {number_text(w)}"
        span = self.network.architecture.layout[layer]
        k = span.weight_start + j * span.weight_shape[1] + i
        if self.edge_quantity == GRADIENT and self.edge_layers[layer]:
            mean = translate("PhaseFrame", " (batch mean)") if self.batch_size > 1 else ""
            return f"{head} · dL/dw = {number_text(float(self.edge_values[k]))}{mean}"
        if self.edge_quantity == CHANGE and self.after is not None:
            new = number_text(float(self.after.weights[layer][j, i]))
            change = number_text(float(self.edge_values[k]))
            return translate("PhaseFrame", "{0} \u2192 {1} (change {2})").format(head, new, change)
        return head


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.array(a, copy=True)
    a.flags.writeable = False
    return a


def phase_name(phase: Phase) -> str:
    """Lower-case name of a phase for "next: ..." (``forward layer 2``, ``loss``, ...)."""
    if phase.kind == "forward":
        return translate("PhaseFrame", "forward layer {0}").format(phase.layer)
    if phase.kind == "backward":
        return translate("PhaseFrame", "backward layer {0}").format(phase.layer)
    if phase.kind == "loss":
        return translate("PhaseFrame", "loss")
    return translate("PhaseFrame", "update")


def phase_text(stepper: PhaseStepper | None, depth: int | None = None) -> str:
    """The phase indicator's sentence, e.g. ``Backward: layer 2 of 3 done - next:
    backward layer 1``; ``Ready - next: forward layer 1`` when no phase has run."""
    if stepper is None or stepper.current is None:
        return translate("PhaseFrame", "Ready - next: forward layer 1")
    depth = stepper.net.depth if depth is None else depth
    cur = stepper.current
    if cur.kind == "update":
        return translate(
            "PhaseFrame", "Update done: iteration {0} applied - next: forward layer 1"
        ).format(stepper.step)
    if cur.kind == "loss":
        done = translate("PhaseFrame", "Loss computed")
    elif cur.kind == "forward":
        done = translate("PhaseFrame", "Forward: layer {0} of {1} done").format(cur.layer, depth)
    else:
        done = translate("PhaseFrame", "Backward: layer {0} of {1} done").format(cur.layer, depth)
    return translate("PhaseFrame", "{0} - next: {1}").format(done, phase_name(stepper.next))


def data_text(
    batch_size: int, row: int, sample: int | None, single: bool, chosen: int | None = None
) -> str:
    """Which data the stepped iteration runs on and whose values are shown. ``single``:
    the iteration runs on one chosen training sample, ``sample``; otherwise on a
    mini-batch of ``batch_size`` rows whose row ``row`` is shown, training sample
    ``sample`` (None: unknown). ``chosen``: the sample the user picked. A mini-batch of
    one row (one-row data, or batch size 1) is named by its sample, never "None".
    The text is a :class:`.live_text.LiveText`: it can be made again in another language."""
    return LiveText(lambda: _data_words(batch_size, row, sample, single, chosen))


def _data_words(
    batch_size: int, row: int, sample: int | None, single: bool, chosen: int | None
) -> str:
    if single and sample is not None:
        return translate("PhaseFrame", "on training sample {0}").format(sample)
    missing = (
        translate("PhaseFrame", " (sample {0} is not in this mini-batch)").format(chosen)
        if chosen is not None and sample is not None and chosen != sample
        else ""
    )
    if batch_size == 1:
        who = (
            translate("PhaseFrame", "training sample {0}").format(sample)
            if sample is not None
            else translate("PhaseFrame", "its one training row")
        )
        return translate("PhaseFrame", "on a mini-batch of 1: {0}{1}").format(who, missing)
    who = (
        translate("PhaseFrame", "sample {0}").format(sample)
        if sample is not None
        else translate("PhaseFrame", "row {0}").format(row)
    )
    return translate(
        "PhaseFrame",
        "on a mini-batch of {0}: values shown for {1} (row {2}){3}; the gradient is the batch mean",
    ).format(batch_size, who, row, missing)


def build_frame(
    stepper: PhaseStepper,
    row: int = 0,
    sample: int | None = None,
    change: np.ndarray | None = None,
    data: str = "",
) -> PhaseFrame:
    """The frame for ``stepper``'s state, showing batch row ``row`` (training sample
    ``sample``). ``change``: the update's new - old parameters, laid out as
    ``Network.flat`` (the engine snapshot's ``update``), used after the update phase;
    ``data``: which data the iteration runs on, in words (see :func:`data_text`)."""
    net = stepper.net
    depth = net.depth
    row = min(max(int(row), 0), len(stepper.x) - 1)
    cur = stepper.current
    after_loss = stepper.loss_record is not None
    done_backward = set(stepper.layers_done_backward())

    columns = [ColumnValues(_ro(stepper.x[row]), False, (("x", _ro(stepper.x[row])),))]
    for q in range(1, depth + 1):
        z, a = stepper.z[q - 1], stepper.a[q - 1]
        if z is None:
            columns.append(ColumnValues(None, False, ()))
            continue
        zr, ar = _ro(z[row]), _ro(a[row])
        out = q == depth
        quantities: list[tuple[str, np.ndarray]] = [("z", zr), ("y" if out else "a", ar)]
        if out and after_loss:
            t = stepper.t[row : row + 1]
            shares = per_output_loss(stepper.loss, z[row : row + 1], a[row : row + 1], t)
            quantities += [("t", _ro(t[0])), ("loss", _ro(shares[0]))]
        if q in done_backward:
            d = _ro(stepper.delta[q - 1][row])
            columns.append(ColumnValues(d, True, (("delta", d), *quantities)))
        else:
            columns.append(ColumnValues(ar, False, tuple(quantities)))

    layout = net.architecture.layout
    after = None
    if cur is not None and cur.kind == "update":
        after = stepper.update_record.after
        quantity = CHANGE if change is not None else WEIGHT
        values = _ro(change if change is not None else after.flat)
        active = (True,) * depth
        lit = None
    elif cur is not None and cur.kind == "backward":
        quantity = GRADIENT
        grad = np.zeros_like(net.flat)
        for q in done_backward:
            span = layout[q - 1]
            grad[span.weight_start : span.bias_end] = stepper.grad[
                span.weight_start : span.bias_end
            ]
        values = _ro(grad)
        active = tuple(q + 1 in done_backward for q in range(depth))
        lit = cur.layer
    else:
        quantity = WEIGHT
        values = net.flat
        reached = depth if after_loss else (0 if cur is None else cur.layer)
        active = tuple(q < reached for q in range(depth))
        lit = depth if after_loss else (0 if cur is None else cur.layer)

    return PhaseFrame(
        network=net, after=after, phase=cur, step=stepper.step, loss=stepper.loss, row=row,
        sample=sample, batch_size=len(stepper.x), columns=tuple(columns), edge_values=values,
        edge_layers=active, edge_quantity=quantity, lit=lit, data=data,
    )  # fmt: skip


def _caption(cur: Phase | None, depth: int, batch: int, quantity: str, bias: bool) -> str:
    mean = translate("PhaseFrame", " (the batch mean)") if batch > 1 else ""
    if cur is None:
        return translate("PhaseFrame", "iteration begun: the input is set; no layer computed yet")
    if cur.kind == "forward":
        z = (
            "z = W a + b"
            if bias
            else translate("PhaseFrame", "z = W a (no bias, as in the article)")
        )
        return translate(
            "PhaseFrame",
            "forward: layer {0} just computed {1} and a = f(z); edges: the weights used so far",
        ).format(cur.layer, z)
    if cur.kind == "loss":
        return translate(
            "PhaseFrame", "loss: output nodes show prediction y, target t and each output's loss"
        )
    if cur.kind == "backward":
        return translate(
            "PhaseFrame",
            "backward: layer {0} just computed its error signal delta = dL/dz (nodes) and "
            "dL/dw{1} (edges); the layers after it were done first and their deltas reused",
        ).format(cur.layer, mean)
    what = (
        translate("PhaseFrame", "the change new - old")
        if quantity == CHANGE
        else translate("PhaseFrame", "the new weights")
    )
    return translate(
        "PhaseFrame", "update: edges show {0}; hover or select an edge for old \u2192 new"
    ).format(what)


__all__ = [
    "CHANGE",
    "GRADIENT",
    "WEIGHT",
    "ColumnValues",
    "PhaseFrame",
    "build_frame",
    "data_text",
    "phase_name",
    "phase_text",
]
