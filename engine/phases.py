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
:func:`iterate`, which is what the trainer calls.

Records are immutable named tuples (cheaper to make than frozen dataclasses, and several
are made per iteration; the hot path builds them with ``tuple.__new__``, which skips the
generated ``__new__`` and costs half as much). They never change: every array in them is
freshly computed for that iteration and never written afterwards; parameters and
gradients are moreover read-only flat vectors (``Network.flat``, ``BackwardRecord.grad``)
with per-layer views.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .losses import loss_and_delta, output_dL_dy
from .network import Architecture, Network
from .optimizers import Optimizer, OptimizerState


class ForwardRecord(NamedTuple):
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


class LossRecord(NamedTuple):
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


class BackwardRecord(NamedTuple):
    """Error signals and gradients of every layer (index 0 = first layer after the input).

    ``grad`` holds every gradient in one read-only flat vector laid out as
    ``Network.flat``; ``dW`` and ``db`` are read-only views of it, shaped as the weights
    and biases. They include the regularisation term when there is one.
    ``grad_norms[l]`` is the Euclidean norm of layer l's dW and db together (computed
    when asked for: the training loop itself does not need it)."""

    architecture: Architecture
    delta: tuple[np.ndarray, ...]
    grad: np.ndarray

    @property
    def grad_norms(self) -> tuple[float, ...]:
        g = self.grad
        return tuple(_norm(g[s.weight_start : s.bias_end]) for s in self.architecture.layout)

    @property
    def dW(self) -> tuple[np.ndarray, ...]:
        g = self.grad
        return tuple(
            g[s.weight_start : s.weight_end].reshape(s.weight_shape)
            for s in self.architecture.layout
        )

    @property
    def db(self) -> tuple[np.ndarray | None, ...]:
        g = self.grad
        return tuple(
            g[s.bias_start : s.bias_end] if s.bias_end > s.bias_start else None
            for s in self.architecture.layout
        )


class UpdateRecord(NamedTuple):
    """The network before and after the optimiser step, and the optimiser's new state."""

    before: Network
    after: Network
    state: OptimizerState


class IterationRecord(NamedTuple):
    """One whole iteration: ``step`` is its 1-based number, ``epoch`` the epoch it ran in."""

    step: int
    epoch: int
    forward: ForwardRecord
    loss: LossRecord
    backward: BackwardRecord
    update: UpdateRecord


_tuple = tuple.__new__  # _tuple(Record, (fields...)): a record without NamedTuple.__new__


def _norm(v: np.ndarray) -> float:
    """Euclidean norm; exact for float32 vectors whose squares overflow; NaN if non-finite."""
    sq = float(v.dot(v))
    if not math.isfinite(sq):
        if not np.isfinite(v).all():
            return math.nan
        sq = float(np.square(v, dtype=np.float64).sum())
    return math.sqrt(sq)


# ---------------------------------------------------------------- forward


def forward_layer(net: Network, layer: int, a_prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z = a_prev @ W.T + b and a = f(z) of one layer (0-based index); fresh arrays.

    (``ndarray.dot`` rather than ``@``/``np.matmul`` here and in backward: the same BLAS
    call with a third less dispatch overhead, which matters on small nets.)"""
    z = a_prev.dot(net.weights[layer].T)
    b = net.biases[layer]
    if b is not None:
        z += b
    return z, net.architecture.activations[layer].fn(z)


def forward(net: Network, x: np.ndarray) -> ForwardRecord:
    """The forward pass of a batch ``x`` (N, inputs) through every layer."""
    zs, as_ = [], []
    a = x
    for layer in range(len(net.weights)):
        z, a = forward_layer(net, layer, a)
        zs.append(z)
        as_.append(a)
    return _tuple(ForwardRecord, (x, tuple(zs), tuple(as_)))


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
    data, delta = loss_and_delta(
        loss, fwd.z[-1], fwd.a[-1], target, net.architecture.layers[-1].activation
    )
    pen = penalty(net, l2, l1) if (l2 or l1) else 0.0
    return _tuple(LossRecord, (loss, data + pen, data, pen, target, fwd.a[-1], delta))


# ---------------------------------------------------------------- backward

_ONES: dict[tuple[int, np.dtype], np.ndarray] = {}


def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A cached read-only vector of n ones: ones @ delta sums delta over samples."""
    key = (n, dtype)
    v = _ONES.get(key)
    if v is None:
        v = _ONES[key] = np.ones(n, dtype)
        v.flags.writeable = False
    return v


def gradient_buffer(net: Network) -> np.ndarray:
    """A fresh flat vector for one backward pass's gradients (laid out as ``net.flat``)."""
    flat = net.flat
    return np.empty(len(flat), flat.dtype)  # np.empty: no array-function dispatch


def backward_layer(
    net: Network,
    layer: int,
    delta: np.ndarray,
    fwd: ForwardRecord,
    grad: np.ndarray,
    l2: float = 0.0,
    l1: float = 0.0,
    ones: np.ndarray | None = None,
) -> np.ndarray | None:
    """One backward phase: layer ``layer``'s gradients from its delta, written into its
    span of the flat ``grad`` vector, and the delta of the layer before it.

    dL/dW = delta.T @ a_prev (+ l2 W + l1 sign W), dL/db = sum of delta over samples,
    delta_prev = (delta @ W) * f'(z_prev). Returns delta_prev (None for the first layer).
    ``ones`` (a vector of len(delta) ones, looked up when not given) sums over samples."""
    arch = net.architecture
    ws, we, shape, bs, be = arch.layout[layer]  # a LayerLayout, unpacked: the hot path
    W = net.weights[layer]
    dW = grad[ws:we].reshape(shape)
    delta.T.dot(fwd.x if layer == 0 else fwd.a[layer - 1], out=dW)
    if l2:
        dW += l2 * W
    if l1:
        dW += l1 * np.sign(W)
    if be > bs:
        if ones is None:
            ones = _ones(len(delta), delta.dtype)
        ones.dot(delta, out=grad[bs:be])
    if layer == 0:
        return None
    prev = layer - 1
    prev_delta = delta.dot(W)
    arch.activations[prev].times_grad(prev_delta, fwd.z[prev], fwd.a[prev])
    return prev_delta


def backward(
    net: Network, fwd: ForwardRecord, lrec: LossRecord, l2: float = 0.0, l1: float = 0.0
) -> BackwardRecord:
    """Backpropagation: output layer first, each earlier layer reusing the later delta."""
    depth = len(net.weights)
    deltas: list = [None] * depth
    grad = gradient_buffer(net)
    delta = lrec.delta
    ones = _ones(len(delta), delta.dtype)
    for layer in range(depth - 1, -1, -1):
        deltas[layer] = delta
        delta = backward_layer(net, layer, delta, fwd, grad, l2, l1, ones)
    grad.setflags(write=False)
    return _tuple(BackwardRecord, (net.architecture, tuple(deltas), grad))


# ---------------------------------------------------------------- update


def update(
    net: Network, bwd: BackwardRecord, optimizer: Optimizer, state: OptimizerState
) -> UpdateRecord:
    """Apply the optimiser: for SGD, w <- w - eta * dL/dw. The old network is untouched."""
    flat, new_state = optimizer.apply(net.flat, bwd.grad, state)
    return _tuple(UpdateRecord, (net, Network.from_flat(net.architecture, flat), new_state))


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
    return _tuple(IterationRecord, (step, epoch, fwd, lrec, bwd, upd))
