"""A minimal hand-written NumPy training loop: the yardstick the engine is measured against.

What "a carefully written NumPy training step" costs on this machine: the parameters in one
flat vector with per-layer views (so SGD is two NumPy calls, not two per array), fresh
arrays every step (as the engine's records need), the loss value computed (the app plots
it), ``ndarray.dot`` rather than ``@`` (a third less dispatch overhead, the same BLAS
call), relu as a maximum against a cached zero array and its derivative as a boolean mask
(NumPy's fast loops) - the engine uses these too, so the yardstick gets every trick the
engine has - and nothing else: no records, no checks, no per-layer function calls. Used
only by bench_engine.py, which also makes its batches as the trainer does (a new order
every epoch; slices of a shuffled copy of small data, gathered from large data).
"""

from __future__ import annotations

import numpy as np


def make_minimal_step(sizes, hidden, output, loss, optimizer, lr, dtype, seed=0):
    """Return (step(x, t) -> loss, state) for a plain MLP; hidden in {"tanh", "relu"},
    output "identity" (with mse) or "softmax" (with ce)."""
    rng = np.random.default_rng(seed)
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    spans, pos = [], 0
    for i, o in pairs:
        spans.append((pos, pos + i * o, (o, i), pos + i * o + o))
        pos += i * o + o
    flat = np.zeros(pos, dtype)
    for (w0, w1, shape, _), (i, o) in zip(spans, pairs, strict=True):
        flat[w0:w1] = (rng.uniform(-1, 1, shape) * np.sqrt(6 / (i + o))).ravel()
    state = {"flat": flat, "m": np.zeros(pos, dtype), "v": np.zeros(pos, dtype), "t": 0}
    one = dtype.type(1)
    depth = len(pairs)
    ones: dict[int, np.ndarray] = {}
    zeros: dict[tuple, np.ndarray] = {}  # relu as max(z, zeros): NumPy's fast same-shape loop

    def split(f):
        return [(f[a:b].reshape(shape), f[b:c]) for a, b, shape, c in spans]

    def step(x, t):
        params = split(state["flat"])
        acts, zs = [x], []
        a = x
        for n, (W, b) in enumerate(params):
            z = a.dot(W.T)
            z += b
            zs.append(z)
            if n < depth - 1:
                if hidden == "tanh":
                    a = np.tanh(z)
                else:
                    zz = zeros.get(z.shape)
                    if zz is None:
                        zz = zeros[z.shape] = np.zeros_like(z)
                    a = np.maximum(z, zz)
                acts.append(a)
        n = len(x)
        if loss == "ce":
            m = z.max(axis=1, keepdims=True)
            e = np.exp(z - m)
            s = e.sum(axis=1, keepdims=True)
            value = float(np.log(s).sum() + m.sum() - np.vdot(t, z)) / n
            e /= s
            e -= t
            e *= 1 / n
            d = e
        else:
            d = z - t
            value = float(np.vdot(d, d)) / d.size
            d *= 2 / d.size
        o = ones.get(n)
        if o is None:
            o = ones[n] = np.ones(n, dtype)
        grad = np.empty_like(state["flat"])
        gviews = split(grad)
        for layer in range(depth - 1, -1, -1):
            gW, gb = gviews[layer]
            d.T.dot(acts[layer], out=gW)
            o.dot(d, out=gb)
            if layer:
                d = d.dot(params[layer][0])
                a = acts[layer]
                if hidden == "tanh":
                    g = a * a
                    np.subtract(one, g, out=g)
                    d *= g
                else:
                    d *= zs[layer - 1] > 0
        if optimizer == "sgd":
            new = grad * lr
        else:
            state["t"] += 1
            tt = state["t"]
            m = state["m"] * 0.9
            m += 0.1 * grad
            v = grad * grad
            v *= 0.001
            v += 0.999 * state["v"]
            state["m"], state["v"] = m, v
            den = np.sqrt(v)
            den *= 1 / np.sqrt(1 - 0.999**tt)
            den += 1e-8
            new = m / den
            new *= lr / (1 - 0.9**tt)
        np.subtract(state["flat"], new, out=new)
        state["flat"] = new
        return value

    return step, state
