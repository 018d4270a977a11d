"""One training iteration as explicit phases, each returning an immutable record.

    forward  -> ForwardRecord   z and a of every layer
    loss     -> LossRecord      the loss and the output layer's error signal dL/dz
    backward -> BackwardRecord  delta, dL/dW and dL/db of every layer (output layer first)
    update   -> UpdateRecord    the network before and after  w <- w - eta * dL/dw

Shapes: a batch is (N, features), one row per sample. For layer l (0-based),
``z[l] = a[l-1] @ W[l].T + b[l]`` and ``a[l] = f_l(z[l])``, both (N, units); ``a[-1]`` of
the input is ``x``. ``delta[l] = dL/dz[l]`` (N, units), ``dW[l] = delta[l].T @ a[l-1]``
(units, inputs), ``db[l] = delta[l].sum(0)``, and for the layer before,
``delta[l-1] = (delta[l] @ W[l]) * f'_{l-1}(z[l-1])`` - the article's reuse: each
shallower layer starts from the delta the layer after it already computed.

:func:`forward` is :func:`forward_layer` in a loop and :func:`backward` is
:func:`backward_layer` in a loop, so stepping phase by phase runs the very same code as
:func:`iterate`, which is what the trainer calls. All returned arrays are fresh and read-only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .losses import loss_value, output_dL_dy, output_delta
from .network import Network
from .optimizers import Optimizer, OptimizerState


def _ro(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, slots=True)
class ForwardRecord:
    """Pre-activations ``z`` and activations ``a`` of every layer for the batch ``x``."""

    x: np.ndarray
    z: tuple[np.ndarray, ...]
    a: tuple[np.ndarray, ...]

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]

    def layer_input(self, layer: int) -> np.ndarray:
        """What layer ``layer`` (0-based) multiplies by its weights: x or a[layer-1]."""
        return self.x if layer == 0 else self.a[layer - 1]


@dataclass(frozen=True, slots=True)
class LossRecord:
    """The loss of one forward pass against its targets.

    ``value`` = ``data_loss`` + ``penalty`` (the L2/L1 regularisation term, 0 without it).
    ``delta`` is dL/dz of the output layer (N, K): where backward starts."""

    loss: str
    value: float
    data_loss: float
    penalty: float
    target: np.ndarray
    output: np.ndarray
    delta: np.ndarray

    @property
    def dL_dy(self) -> np.ndarray:
        """dL/dy of the outputs (the article's dl/dy_j), computed on demand."""
        return output_dL_dy(self.loss, self.output, self.target)


@dataclass(frozen=True, slots=True)
class BackwardRecord:
    """Error signals and gradients of every layer (index 0 = first layer after the input).

    ``dW`` and ``db`` include the regularisation term when there is one.
    ``grad_norms[l]`` is the Euclidean norm of layer l's dW (and db) together."""

    delta: tuple[np.ndarray, ...]
    dW: tuple[np.ndarray, ...]
    db: tuple[np.ndarray | None, ...]
    grad_norms: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class UpdateRecord:
    """The network before and after the optimiser step, and the optimiser's new state."""

    before: Network
    after: Network
    state: OptimizerState


@dataclass(frozen=True, slots=True)
class IterationRecord:
    """One whole iteration: ``step`` is its 1-based number, ``epoch`` the epoch it ran in."""

    step: int
    epoch: int
    forward: ForwardRecord
    loss: LossRecord
    backward: BackwardRecord
    update: UpdateRecord


# ---------------------------------------------------------------- forward


def forward_layer(
    net: Network, layer: int, a_prev: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """z = a_prev @ W.T + b and a = f(z) of one layer (0-based index)."""
    z = a_prev @ net.weights[layer].T
    b = net.biases[layer]
    if b is not None:
        z += b
    a = ACTIVATIONS[net.architecture.layers[layer].activation].fn(z)
    return _ro(z), _ro(a) if a is not z else z


def forward(net: Network, x: np.ndarray) -> ForwardRecord:
    """The forward pass of a batch ``x`` (N, inputs) through every layer."""
    zs, as_ = [], []
    a = x
    for layer in range(len(net.weights)):
        z, a = forward_layer(net, layer, a)
        zs.append(z)
        as_.append(a)
    return ForwardRecord(x, tuple(zs), tuple(as_))


def predict(net: Network, x: np.ndarray) -> np.ndarray:
    """The network's outputs for ``x`` (N, inputs) -> (N, outputs)."""
    a = np.asarray(x, dtype=net.dtype)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for layer in range(len(net.weights)):
            _, a = forward_layer(net, layer, a)
    return a


# ---------------------------------------------------------------- loss


def penalty(net: Network, l2: float = 0.0, l1: float = 0.0) -> float:
    """The regularisation term l2/2 * sum W^2 + l1 * sum |W| over all weights (not biases)."""
    total = 0.0
    if l2:
        total += 0.5 * l2 * sum(float(np.vdot(w, w)) for w in net.weights)
    if l1:
        total += l1 * sum(float(np.abs(w).sum()) for w in net.weights)
    return total


def compute_loss(
    net: Network,
    fwd: ForwardRecord,
    target: np.ndarray,
    loss: str,
    l2: float = 0.0,
    l1: float = 0.0,
) -> LossRecord:
    """The loss of ``fwd``'s output against ``target`` (N, K) and the output delta."""
    z, y = fwd.z[-1], fwd.a[-1]
    data = loss_value(loss, z, y, target)
    pen = penalty(net, l2, l1) if (l2 or l1) else 0.0
    fgrad = ACTIVATIONS[net.architecture.layers[-1].activation].grad
    delta = _ro(output_delta(loss, z, y, target, fgrad))
    return LossRecord(loss, data + pen, data, pen, target, y, delta)


# ---------------------------------------------------------------- backward


def layer_gradients(
    net: Network,
    layer: int,
    delta: np.ndarray,
    a_prev: np.ndarray,
    l2: float = 0.0,
    l1: float = 0.0,
) -> tuple[np.ndarray, np.ndarray | None]:
    """dL/dW = delta.T @ a_prev (+ l2 W + l1 sign W) and dL/db = sum of delta over samples."""
    dW = delta.T @ a_prev
    if l2:
        dW += l2 * net.weights[layer]
    if l1:
        dW += l1 * np.sign(net.weights[layer])
    db = delta.sum(axis=0) if net.biases[layer] is not None else None
    return _ro(dW), None if db is None else _ro(db)


def propagate_delta(net: Network, layer: int, delta: np.ndarray, fwd: ForwardRecord) -> np.ndarray:
    """delta of layer ``layer - 1`` from the delta of ``layer``: (delta @ W) * f'(z)."""
    prev = layer - 1
    act = ACTIVATIONS[net.architecture.layers[prev].activation]
    d = delta @ net.weights[layer]
    d *= act.grad(fwd.z[prev], fwd.a[prev])
    return _ro(d)


def backward_layer(
    net: Network,
    layer: int,
    delta: np.ndarray,
    fwd: ForwardRecord,
    l2: float = 0.0,
    l1: float = 0.0,
) -> tuple[np.ndarray, np.ndarray | None, float, np.ndarray | None]:
    """One backward phase: the gradients of layer ``layer`` from its delta, and the delta
    of the layer before it (None for the first layer). Returns (dW, db, norm, prev_delta)."""
    dW, db = layer_gradients(net, layer, delta, fwd.layer_input(layer), l2, l1)
    sq = float(np.vdot(dW, dW))
    if db is not None:
        sq += float(np.vdot(db, db))
    prev_delta = propagate_delta(net, layer, delta, fwd) if layer > 0 else None
    return dW, db, math.sqrt(sq) if sq == sq else math.nan, prev_delta


def backward(
    net: Network, fwd: ForwardRecord, lrec: LossRecord, l2: float = 0.0, l1: float = 0.0
) -> BackwardRecord:
    """Backpropagation: output layer first, each earlier layer reusing the later delta."""
    depth = len(net.weights)
    deltas: list = [None] * depth
    dWs: list = [None] * depth
    dbs: list = [None] * depth
    norms: list = [0.0] * depth
    delta = lrec.delta
    for layer in range(depth - 1, -1, -1):
        deltas[layer] = delta
        dWs[layer], dbs[layer], norms[layer], delta = backward_layer(net, layer, delta, fwd, l2, l1)
    return BackwardRecord(tuple(deltas), tuple(dWs), tuple(dbs), tuple(norms))


# ---------------------------------------------------------------- update


def update(
    net: Network, bwd: BackwardRecord, optimizer: Optimizer, state: OptimizerState
) -> UpdateRecord:
    """Apply the optimiser: for SGD, w <- w - eta * dL/dw. The old network is untouched."""
    weights, biases, new_state = optimizer.apply(net, bwd.dW, bwd.db, state)
    return UpdateRecord(net, net.replace(weights, biases), new_state)


def iterate(
    net: Network,
    x: np.ndarray,
    target: np.ndarray,
    loss: str,
    optimizer: Optimizer,
    state: OptimizerState,
    step: int = 1,
    epoch: int = 0,
    l2: float = 0.0,
    l1: float = 0.0,
) -> IterationRecord:
    """forward -> loss -> backward -> update on one batch; the trainer is this in a loop."""
    fwd = forward(net, x)
    lrec = compute_loss(net, fwd, target, loss, l2, l1)
    bwd = backward(net, fwd, lrec, l2, l1)
    upd = update(net, bwd, optimizer, state)
    return IterationRecord(step, epoch, fwd, lrec, bwd, upd)
