"""The loss and accuracy of a network over a whole data set, in bounded chunks.

A forward pass over N rows holds every layer's (N, units) arrays at once: 39 million rows
through 8-unit layers are gigabytes. :func:`evaluate` therefore passes at most
:data:`EVAL_ROWS` rows at a time and adds up the chunks' loss sums (exactly rounded,
with :func:`math.fsum`) and their correct counts, so its memory is bounded by the chunk
and the network, whatever N is. Up to :data:`EVAL_ROWS` rows it is one pass, the same
numbers to the last bit as :func:`engine.losses.loss_value` on a full forward pass.
Beyond that the sum of the chunks differs from one long sum only by rounding (a few
units in the last place; the exactly rounded sum of the chunks is, if anything, closer
to the true value).
"""

from __future__ import annotations

import math

import numpy as np

from .losses import loss_norm, loss_sum, loss_value
from .network import Network
from .phases import forward, forward_layer
from .training_state import accuracy

#: Rows per forward pass (64K rows of a 784-256-128-10 network: about 600 MB of
#: activations in float64 at most, a 2-8-8-1 network 10 MB).
EVAL_ROWS = 65536


def evaluate(
    net: Network, x: np.ndarray, t: np.ndarray, loss: str, rows: int = EVAL_ROWS
) -> tuple[float, float | None]:
    """(data loss, accuracy or None for a regression) of ``net`` on inputs ``x`` (N,
    inputs) and targets ``t`` (N, K) ready for ``loss``, N >= 1, passing at most
    ``rows`` rows through the network at a time. Non-finite outputs give a non-finite
    loss, never a warning."""
    n = len(x)
    if n <= rows:
        with np.errstate(all="ignore"):
            fwd = forward(net, x)
            value = loss_value(loss, fwd.z[-1], fwd.a[-1], t)
        return value, accuracy(loss, fwd.a[-1], t)
    classifies = loss != "mse" or all(
        np.isin(t[s : s + rows], (0.0, 1.0)).all() for s in range(0, n, rows)
    )
    sums: list[float] = []
    correct = 0
    for s in range(0, n, rows):
        xs, ts = x[s : s + rows], t[s : s + rows]
        with np.errstate(all="ignore"):
            z, y = _output(net, xs)
            sums.append(loss_sum(loss, z, y, ts))
        if classifies:
            correct += _correct(y, ts)
    with np.errstate(all="ignore"):
        value = _fsum(sums) / loss_norm(loss, n, t.shape[1])
    return value, (correct / n if classifies else None)


def _output(net: Network, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The output layer's z and a for ``x``, keeping no other layer's arrays."""
    a = x
    z = x
    for layer in range(len(net.weights)):
        z, a = forward_layer(net, layer, a)
    return z, a


def _correct(y: np.ndarray, t: np.ndarray) -> int:
    """How many rows :func:`engine.training_state.accuracy` counts as right."""
    if y.shape[1] == 1:
        return int(np.count_nonzero((y[:, 0] > 0.5) == (t[:, 0] > 0.5)))
    return int(np.count_nonzero(y.argmax(axis=1) == t.argmax(axis=1)))


def _fsum(parts: list[float]) -> float:
    """math.fsum, which refuses inf - inf: a non-finite part makes the plain sum."""
    if all(math.isfinite(p) for p in parts):
        return math.fsum(parts)
    return sum(parts)
