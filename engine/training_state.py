"""What the training loop is configured with, where it stands and what it checks - the
records around :class:`~.trainer.Trainer`, without the loop: :class:`TrainingConfig`,
:class:`TrainerState` (a position to save and continue from), :class:`TrainingDiverged`
and :func:`check_finite` (the per-iteration check for non-finite numbers), and the checks
of the data against the loss (:func:`check_targets`, :func:`accuracy`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .errors import UNKNOWN_KIND, Explained
from .limits import MAX_WEIGHT
from .network import Network
from .optimizers import Optimizer, OptimizerState
from .phases import IterationRecord


class TrainingDiverged(Explained, ArithmeticError):
    """Raised at the first non-finite loss, gradient or weight.

    ``step`` is the 1-based iteration, ``layer`` the 1-based layer, ``quantity`` one of
    "activation" (the forward pass overflowed in that layer), "loss" (finite outputs of the
    output layer ``layer`` gave a non-finite loss), "gradient", "weight" (non-finite),
    "weight size" (finite, but beyond :data:`engine.limits.MAX_WEIGHT`: no file could
    keep it); ``record`` the offending iteration."""

    #: quantity -> kind (see :mod:`engine.errors`); params: step, layer, limit.
    KINDS: ClassVar[dict[str, str]] = {
        "activation": "diverged.activation",
        "loss": "diverged.loss",
        "gradient": "diverged.gradient",
        "weight": "diverged.weight",
        "weight size": "diverged.weight_size",
    }

    def __init__(self, step: int, layer: int | None, quantity: str, record=None):
        self.step, self.layer, self.quantity, self.record = step, layer, quantity, record
        kind = "diverged.loss_no_layer" if quantity == "loss" and layer is None else None
        kind = kind or self.KINDS.get(quantity, UNKNOWN_KIND)
        self.explain(kind, {"step": step, "layer": layer, "limit": f"{MAX_WEIGHT:g}"})
        if quantity == "loss":
            where = "the loss" + ("" if layer is None else f" of the outputs of layer {layer}")
        elif quantity == "weight size":
            where = f"the weights of layer {layer}"
        else:
            where = f"the {quantity}s of layer {layer}"
            where += " (and so the loss)" if quantity == "activation" else ""
        became = (
            f"grew beyond {MAX_WEIGHT:g} in size"
            if quantity == "weight size"
            else "became non-finite (NaN or infinity)"
        )
        super().__init__(
            f"training diverged at step {step}: {where} {became}; "
            "the last finite weights were kept - try a smaller learning rate"
        )

    @classmethod
    def from_message(cls, message: str) -> TrainingDiverged | None:
        """The error whose ``str`` is ``message`` (without its record), or None if
        ``message`` is not one - the window gets only the message from the training
        process and renders it from this error's kind."""
        text = message.strip()
        m = _DIVERGED.match(text)
        if m is None:
            return None
        step, where = int(m["step"]), _LAYER.search(text)
        layers = [None] if where is None else [int(where[1]), None]
        for quantity in cls.KINDS:
            for n in layers:
                error = cls(step, n, quantity)
                if str(error) == text:
                    return error
        return None


_DIVERGED = re.compile(r"training diverged at step (?P<step>\d+): ")
_LAYER = re.compile(r"layer (\d+)")


@dataclass(frozen=True)
class TrainingConfig:
    """What the loop needs besides the network and the data."""

    loss: str = "mse"
    optimizer: Optimizer = Optimizer()
    batch_size: int | None = 32  # None = full batch
    l2: float = 0.0
    l1: float = 0.0
    seed: int = 0  # mini-batch order

    def __post_init__(self) -> None:
        b = self.batch_size
        if b is not None and (
            isinstance(b, bool) or not isinstance(b, int | np.integer) or int(b) < 1
        ):
            raise ValueError(f"batch size must be a whole number >= 1, got {b!r}")
        for name in ("l2", "l1"):
            v = getattr(self, name)
            if not math.isfinite(v) or v < 0:
                raise ValueError(f"{name} rate must be a finite number >= 0, got {v!r}")


def check_finite(rec: IterationRecord) -> None:
    """Raise TrainingDiverged if anything in ``rec`` that feeds the next step is
    non-finite, or a new weight is larger than :data:`engine.limits.MAX_WEIGHT` (beyond
    the range every file reader accepts, so the run could no longer be saved).

    One dot product of the new weights with themselves detects it (NaN and inf propagate
    from a gradient into the update, and through the sum of squares; a BLAS dot costs
    less than a NumPy reduction; a sum of squares within MAX_WEIGHT**2 bounds every
    weight); only then is the culprit looked for, layer by layer: the forward pass, the
    loss, the gradients, the weights."""
    loss_ok = math.isfinite(rec.loss.value)
    flat = rec.update.after.flat
    if loss_ok and flat.dot(flat) <= _MAX_SQUARES:
        return
    after = rec.update.after
    layout = after.architecture.layout
    if not loss_ok:
        for layer, a in enumerate(rec.forward.a):
            if not np.isfinite(a).all() or not np.isfinite(rec.forward.z[layer]).all():
                raise TrainingDiverged(rec.step, layer + 1, "activation", rec)
        raise TrainingDiverged(rec.step, len(rec.forward.a), "loss", rec)
    grad = rec.backward.grad
    for layer, span in enumerate(layout):
        if not np.isfinite(grad[span.weight_start : span.bias_end]).all():
            raise TrainingDiverged(rec.step, layer + 1, "gradient", rec)
    for layer, span in enumerate(layout):
        if not np.isfinite(after.flat[span.weight_start : span.bias_end]).all():
            raise TrainingDiverged(rec.step, layer + 1, "weight", rec)
    for layer, span in enumerate(layout):
        if np.abs(after.flat[span.weight_start : span.bias_end]).max() > MAX_WEIGHT:
            raise TrainingDiverged(rec.step, layer + 1, "weight size", rec)
    # the sum of squares is merely large: every weight is finite and within the bound


_MAX_SQUARES = MAX_WEIGHT * MAX_WEIGHT


@dataclass(frozen=True)
class TrainerState:
    """A trainer's position: network, optimiser state, counters and mini-batch order.
    ``rng_state`` is NumPy's bit-generator state dict (JSON-serialisable)."""

    network: Network
    optimizer_state: OptimizerState
    step: int
    epoch: int
    cursor: int
    order: np.ndarray | None
    rng_state: dict


def check_targets(loss: str, t: np.ndarray) -> None:
    """bce needs targets in [0, 1]; ce needs rows of non-negative numbers summing to 1."""
    if loss == "bce" and ((t < 0).any() or (t > 1).any()):
        raise ValueError("the 'bce' loss needs targets between 0 and 1")
    if loss == "ce" and ((t < 0).any() or not np.allclose(t.sum(axis=1), 1.0)):
        raise ValueError("the 'ce' loss needs one-hot (or probability) target rows summing to 1")


def accuracy(loss: str, y: np.ndarray, t: np.ndarray) -> float | None:
    """Share of correctly classified samples, or None for a regression (mse on non-0/1
    targets). One output: y > 0.5 vs t; several: argmax y == argmax t."""
    if loss == "mse" and not np.isin(t, (0.0, 1.0)).all():
        return None
    if y.shape[1] == 1:
        return float(np.mean((y[:, 0] > 0.5) == (t[:, 0] > 0.5)))
    return float(np.mean(y.argmax(axis=1) == t.argmax(axis=1)))
