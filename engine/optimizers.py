"""Optimisers: how a gradient becomes an update.

* ``sgd``:      w <- w - eta * g                       (the article's rule)
* ``momentum``: v <- mu * v + g;  w <- w - eta * v      (PyTorch's form, mu = 0.9)
* ``adam``:     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
                w <- w - eta * m_hat / (sqrt(v_hat) + eps),
                m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)   (b1 0.9, b2 0.999, eps 1e-8)

``g`` is dL/dw including any regularisation term. An optimiser is stateless; its state
(step count and per-parameter buffers, as read-only arrays) travels in an
:class:`OptimizerState` that every update returns anew.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .network import Network

OPTIMIZERS = ("sgd", "momentum", "adam")


@dataclass(frozen=True, slots=True)
class OptimizerState:
    """``t``: updates applied so far. ``buffers``: name -> one array per parameter, in the
    order w0, b0, w1, b1, ... (b entries are None without bias)."""

    t: int
    buffers: dict[str, tuple[np.ndarray | None, ...]]


def _ro(a):
    if a is not None:
        a.flags.writeable = False
    return a


@dataclass(frozen=True)
class Optimizer:
    """An optimiser and its hyper-parameters; ``apply`` is pure."""

    name: str = "sgd"
    lr: float = 0.1
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self) -> None:
        if self.name not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.name!r} (known: {', '.join(OPTIMIZERS)})")
        check_learning_rate(self.lr)

    def rule(self) -> str:
        """The update rule in words and symbols, for display."""
        if self.name == "sgd":
            return "w <- w - eta * dL/dw"
        if self.name == "momentum":
            return f"v <- {self.momentum} v + dL/dw;  w <- w - eta * v"
        return (
            f"m <- {self.beta1} m + {1 - self.beta1:g} g;  v <- {self.beta2} v + "
            f"{1 - self.beta2:g} g^2;  w <- w - eta * m_hat / (sqrt(v_hat) + {self.eps:g})"
        )

    def init_state(self, net: Network) -> OptimizerState:
        names = {"sgd": (), "momentum": ("velocity",), "adam": ("m", "v")}[self.name]
        params = _params(net.weights, net.biases)
        buffers = {
            n: tuple(None if p is None else _ro(np.zeros_like(p)) for p in params) for n in names
        }
        return OptimizerState(0, buffers)

    def apply(self, net: Network, dW, db, state: OptimizerState):
        """New (weights, biases, state) from the gradients; nothing is modified in place."""
        params = _params(net.weights, net.biases)
        grads = _params(dW, db)
        lr = self.lr
        t = state.t + 1
        new: list = []
        if self.name == "sgd":
            for p, g in zip(params, grads, strict=True):
                if p is None:
                    new.append(None)
                    continue
                step = g * lr
                np.subtract(p, step, out=step)
                new.append(step)
            buffers = state.buffers
        elif self.name == "momentum":
            vel = []
            for p, g, v in zip(params, grads, state.buffers["velocity"], strict=True):
                if p is None:
                    new.append(None)
                    vel.append(None)
                    continue
                v2 = v * self.momentum
                v2 += g
                vel.append(_ro(v2))
                new.append(p - lr * v2)
            buffers = {"velocity": tuple(vel)}
        else:
            b1, b2 = self.beta1, self.beta2
            c1 = 1.0 - b1**t
            c2 = math.sqrt(1.0 - b2**t)
            ms, vs = [], []
            for p, g, m, v in zip(params, grads, state.buffers["m"], state.buffers["v"], strict=True):
                if p is None:
                    new.append(None)
                    ms.append(None)
                    vs.append(None)
                    continue
                m2 = m * b1
                m2 += (1.0 - b1) * g
                v2 = v * b2
                v2 += (1.0 - b2) * (g * g)
                ms.append(_ro(m2))
                vs.append(_ro(v2))
                denom = np.sqrt(v2)
                denom *= 1.0 / c2
                denom += self.eps
                step = m2 / denom
                step *= lr / c1
                np.subtract(p, step, out=step)
                new.append(step)
            buffers = {"m": tuple(ms), "v": tuple(vs)}
        return new[0::2], new[1::2], OptimizerState(t, buffers)


def _params(weights, biases) -> list:
    out = []
    for w, b in zip(weights, biases, strict=True):
        out.append(w)
        out.append(b)
    return out


def check_learning_rate(lr: object) -> float:
    """The learning rate as a float; ValueError unless it is finite and > 0."""
    try:
        value = float(lr)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"learning rate must be a number, got {lr!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"learning rate must be a finite number > 0, got {lr!r}")
    return value
