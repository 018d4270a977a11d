"""A minimal hand-written NumPy training loop: the yardstick the engine is measured against.

No records, no checks, in-place updates: what "a carefully written NumPy training step"
costs on this machine. Used only by bench_engine.py.
"""

from __future__ import annotations

import numpy as np


def make_minimal_step(sizes, hidden, output, loss, optimizer, lr, dtype, seed=0):
    """Return (step(x, t), params) for a plain MLP; hidden in {"tanh", "relu"},
    output "identity" (with mse) or "softmax" (with ce)."""
    rng = np.random.default_rng(seed)
    Ws = [
        (rng.uniform(-1, 1, (o, i)) * np.sqrt(6 / (i + o))).astype(dtype)
        for i, o in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    bs = [np.zeros(o, dtype) for o in sizes[1:]]
    params = Ws + bs
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    state = {"t": 0}

    def step(x, t):
        acts = [x]
        a = x
        for W, b in zip(Ws[:-1], bs[:-1], strict=True):
            z = a @ W.T
            z += b
            a = np.tanh(z) if hidden == "tanh" else np.maximum(z, 0)
            acts.append(a)
        z = a @ Ws[-1].T
        z += bs[-1]
        n = len(x)
        if loss == "ce":
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
            z /= z.sum(axis=1, keepdims=True)
            d = (z - t) / n
        else:
            d = (z - t) * (2.0 / z.size)
        grads_w, grads_b = [], []
        for layer in range(len(Ws) - 1, -1, -1):
            grads_w.append(d.T @ acts[layer])
            grads_b.append(d.sum(axis=0))
            if layer:
                d = d @ Ws[layer]
                a = acts[layer]
                d *= (1 - a * a) if hidden == "tanh" else (a > 0)
        grads = grads_w[::-1] + grads_b[::-1]
        if optimizer == "sgd":
            for p, g in zip(params, grads, strict=True):
                p -= lr * g
        else:
            state["t"] += 1
            tt = state["t"]
            for p, g, mm, vv in zip(params, grads, m, v, strict=True):
                mm *= 0.9
                mm += 0.1 * g
                vv *= 0.999
                vv += 0.001 * g * g
                p -= lr / (1 - 0.9**tt) * mm / (np.sqrt(vv / (1 - 0.999**tt)) + 1e-8)

    return step, params
