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
from typing import NamedTuple

import numpy as np

from . import defaults, limits
from .network import Network

OPTIMIZERS = ("sgd", "momentum", "adam")


class OptimizerState(NamedTuple):
    """``t``: updates applied so far. ``buffers``: name -> one read-only flat array laid
    out as ``Network.flat`` ("velocity" for momentum, "m" and "v" for adam)."""

    t: int
    buffers: dict[str, np.ndarray]


def _ro(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


_tuple = tuple.__new__  # an OptimizerState without NamedTuple.__new__ (hot path)


@dataclass(frozen=True)
class Optimizer:
    """An optimiser and its hyper-parameters; ``apply`` is pure. Each lies in its range
    of :mod:`engine.limits` (ValueError otherwise): lr in [1e-6, 1e6], momentum and the
    betas in [0, 1), eps in (0, 1]."""

    name: str = "sgd"
    lr: float = 0.1
    momentum: float = defaults.MOMENTUM
    beta1: float = defaults.BETA1
    beta2: float = defaults.BETA2
    eps: float = defaults.EPS

    def __post_init__(self) -> None:
        if self.name not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.name!r} (known: {', '.join(OPTIMIZERS)})")
        check_learning_rate(self.lr)
        limits.check_decay(self.momentum, "momentum")
        limits.check_decay(self.beta1, "beta1")
        limits.check_decay(self.beta2, "beta2")
        limits.check_eps(self.eps)

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
        return OptimizerState(0, {n: _ro(np.zeros_like(net.flat)) for n in names})

    def apply(
        self, params: np.ndarray, grad: np.ndarray, state: OptimizerState
    ) -> tuple[np.ndarray, OptimizerState]:
        """(new flat parameters, new state) from flat parameters and gradients; pure."""
        lr = self.lr
        t = state.t + 1
        if self.name == "sgd":
            new = grad * lr
            np.subtract(params, new, out=new)
            return new, _tuple(OptimizerState, (t, state.buffers))
        if self.name == "momentum":
            v = state.buffers["velocity"] * self.momentum
            v += grad
            new = v * lr
            np.subtract(params, new, out=new)
            return new, _tuple(OptimizerState, (t, {"velocity": _ro(v)}))
        b1, b2 = self.beta1, self.beta2
        m = state.buffers["m"] * b1
        m += (1.0 - b1) * grad
        v = grad * grad
        v *= 1.0 - b2
        v += b2 * state.buffers["v"]
        denom = np.sqrt(v)
        denom *= 1.0 / math.sqrt(1.0 - b2**t)
        denom += self.eps
        new = m / denom
        new *= lr / (1.0 - b1**t)
        np.subtract(params, new, out=new)
        return new, _tuple(OptimizerState, (t, {"m": _ro(m), "v": _ro(v)}))


def check_learning_rate(lr: object) -> float:
    """The learning rate as a float; ValueError unless it is a finite number in
    :data:`engine.limits.LEARNING_RATE`."""
    try:
        value = float(lr)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"the learning rate must be a number, got {lr!r}") from None
    return limits.check_learning_rate(value)
