"""Central-difference numerical gradients, in float64, to check backpropagation.

dL/dw ~ (L(w + h) - L(w - h)) / (2h) with h = 1e-6 by default.
"""

from __future__ import annotations

import numpy as np

from .losses import loss_value
from .network import Network
from .phases import forward, penalty


def total_loss(net: Network, x, t, loss: str, l2: float = 0.0, l1: float = 0.0) -> float:
    """The loss (data + regularisation) of ``net`` on (x, t), exactly as training sees it."""
    fwd = forward(net, np.asarray(x, net.dtype))
    return loss_value(loss, fwd.z[-1], fwd.a[-1], np.asarray(t, net.dtype)) + penalty(net, l2, l1)


def _nudged(net: Network, kind: str, layer: int, index: tuple, delta: float) -> Network:
    weights = list(net.weights)
    biases = list(net.biases)
    target = weights if kind == "weight" else biases
    arr = target[layer].copy()
    arr[index] += delta
    target[layer] = arr
    return Network(net.architecture, tuple(weights), tuple(biases))


def numerical_gradient(
    net: Network,
    x,
    t,
    loss: str,
    layer: int,
    index: tuple[int, ...],
    kind: str = "weight",
    h: float = 1e-6,
    l2: float = 0.0,
    l1: float = 0.0,
    order: int = 2,
) -> float:
    """Central difference for one parameter: ``kind`` "weight" with index (j, i), or "bias"
    with index (j,), of layer ``layer`` (0-based). Computed in float64.

    ``order=2``: (L(w+h) - L(w-h)) / 2h.  ``order=4``: the five-point central difference
    (8 (L(w+h) - L(w-h)) - (L(w+2h) - L(w-2h))) / 12h, accurate to O(h^4); with h ~ 1e-3
    it agrees with exact gradients to ~1e-10 relative, good for single-weight checks."""
    net = net.astype(np.float64)

    def at(step: float) -> float:
        return total_loss(_nudged(net, kind, layer, index, step), x, t, loss, l2, l1)

    if order == 2:
        return (at(h) - at(-h)) / (2.0 * h)
    if order == 4:
        return (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h)
    raise ValueError(f"order must be 2 or 4, got {order}")


def numerical_gradients(
    net: Network, x, t, loss: str, h: float = 1e-6, l2: float = 0.0, l1: float = 0.0
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray | None, ...]]:
    """Central differences for every weight and bias: (dWs, dbs), shapes as the network's."""
    dWs, dbs = [], []
    for layer, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        dW = np.empty(w.shape)
        for index in np.ndindex(w.shape):
            dW[index] = numerical_gradient(net, x, t, loss, layer, index, "weight", h, l2, l1)
        dWs.append(dW)
        if b is None:
            dbs.append(None)
            continue
        db = np.empty(b.shape)
        for index in np.ndindex(b.shape):
            db[index] = numerical_gradient(net, x, t, loss, layer, index, "bias", h, l2, l1)
        dbs.append(db)
    return tuple(dWs), tuple(dbs)


def relative_error(a, b) -> float:
    """||a - b|| / max(||a|| + ||b||, tiny): the norm-based relative error of two gradients."""
    a = np.concatenate([np.ravel(v) for v in a if v is not None]) if isinstance(a, tuple) else a
    b = np.concatenate([np.ravel(v) for v in b if v is not None]) if isinstance(b, tuple) else b
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / max(denom, 1e-300))
