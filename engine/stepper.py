"""One iteration, one phase at a time - the article's order, for step-by-step mode.

    forward layer 1 -> ... -> forward output layer -> loss
    -> backward output layer -> backward layer L-1 -> ... -> backward layer 1 -> update

Each :meth:`PhaseStepper.advance` runs exactly one phase with the same functions
:func:`engine.phases.iterate` uses (``forward_layer``, ``compute_loss``,
``backward_layer``, ``update``), so a finished stepper's :class:`IterationRecord` is
bit-for-bit the one a trainer step would have made.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network
from .optimizers import Optimizer, OptimizerState
from .phases import (
    BackwardRecord,
    ForwardRecord,
    IterationRecord,
    LossRecord,
    UpdateRecord,
    backward_layer,
    compute_loss,
    forward_layer,
    gradient_buffer,
    update,
)


@dataclass(frozen=True)
class Phase:
    """``kind`` is "forward", "loss", "backward" or "update"; ``layer`` 1-based (0 for
    loss and update)."""

    kind: str
    layer: int

    def describe(self, depth: int) -> str:
        if self.kind == "forward":
            return f"Forward: layer {self.layer} of {depth}"
        if self.kind == "backward":
            return f"Backward: layer {self.layer} of {depth}"
        return "Loss" if self.kind == "loss" else "Update: w <- w - eta * dL/dw"


def phases_of(depth: int) -> tuple[Phase, ...]:
    """The phases of one iteration of a network with ``depth`` layers, in order."""
    return (
        *(Phase("forward", q) for q in range(1, depth + 1)),
        Phase("loss", 0),
        *(Phase("backward", q) for q in range(depth, 0, -1)),
        Phase("update", 0),
    )


class PhaseStepper:
    """Runs one iteration on the batch (x, t) phase by phase.

    After each phase the partial results are readable: ``z``/``a`` (per computed layer,
    None for layers not reached yet), ``loss_record``, ``delta``/``dW``/``db`` (per layer
    done, output layer first), ``update_record``. ``record`` is the complete
    IterationRecord once :attr:`done`."""

    def __init__(
        self,
        net: Network,
        x: np.ndarray,
        t: np.ndarray,
        loss: str,
        optimizer: Optimizer,
        state: OptimizerState,
        step: int = 1,
        epoch: int = 0,
        l2: float = 0.0,
        l1: float = 0.0,
    ) -> None:
        self.net, self.x, self.t, self.loss = net, x, t, loss
        self.optimizer, self.state = optimizer, state
        self.step, self.epoch, self.l2, self.l1 = step, epoch, l2, l1
        depth = net.depth
        self.phases = phases_of(depth)
        self.position = 0
        self.z: list[np.ndarray | None] = [None] * depth
        self.a: list[np.ndarray | None] = [None] * depth
        self.delta: list[np.ndarray | None] = [None] * depth
        self._done: list[bool] = [False] * depth  # backward phase run, per layer
        self.grad = gradient_buffer(net)
        self.forward_record: ForwardRecord | None = None
        self.loss_record: LossRecord | None = None
        self.backward_record: BackwardRecord | None = None
        self.update_record: UpdateRecord | None = None
        self._next_delta: np.ndarray | None = None
        self.record: IterationRecord | None = None

    @property
    def done(self) -> bool:
        return self.position >= len(self.phases)

    @property
    def current(self) -> Phase | None:
        """The phase the last advance() ran (None before the first)."""
        return self.phases[self.position - 1] if self.position else None

    @property
    def next(self) -> Phase | None:
        """The phase the next advance() will run (None when done)."""
        return None if self.done else self.phases[self.position]

    def layers_done_backward(self) -> list[int]:
        """1-based layers whose gradients are already computed (output layer first)."""
        return [q + 1 for q in range(self.net.depth - 1, -1, -1) if self._done[q]]

    def dW(self, layer: int) -> np.ndarray | None:
        """dL/dW of layer ``layer`` (1-based) once its backward phase has run."""
        q = layer - 1
        if not self._done[q]:
            return None
        span = self.net.architecture.layout[q]
        return self.grad[span.weight_start : span.weight_end].reshape(span.weight_shape)

    def db(self, layer: int) -> np.ndarray | None:
        q = layer - 1
        span = self.net.architecture.layout[q]
        if not self._done[q] or span.bias_end == span.bias_start:
            return None
        return self.grad[span.bias_start : span.bias_end]

    def advance(self) -> Phase:
        """Run the next phase; returns it."""
        if self.done:
            raise RuntimeError("the iteration is complete")
        phase = self.phases[self.position]
        net, depth = self.net, self.net.depth
        with np.errstate(all="ignore"):
            if phase.kind == "forward":
                q = phase.layer - 1
                a_prev = self.x if q == 0 else self.a[q - 1]
                self.z[q], self.a[q] = forward_layer(net, q, a_prev)
                if q == depth - 1:
                    self.forward_record = ForwardRecord(self.x, tuple(self.z), tuple(self.a))
            elif phase.kind == "loss":
                self.loss_record = compute_loss(
                    net, self.forward_record, self.t, self.loss, self.l2, self.l1
                )
                self._next_delta = self.loss_record.delta
            elif phase.kind == "backward":
                q = phase.layer - 1
                self.delta[q] = self._next_delta
                self._next_delta = backward_layer(
                    net, q, self._next_delta, self.forward_record, self.grad, self.l2, self.l1
                )
                self._done[q] = True
                if q == 0:
                    self.grad.flags.writeable = False
                    self.backward_record = BackwardRecord(
                        net.architecture, tuple(self.delta), self.grad
                    )
            else:
                self.update_record = update(net, self.backward_record, self.optimizer, self.state)
                self.record = IterationRecord(
                    self.step, self.epoch, self.forward_record, self.loss_record,
                    self.backward_record, self.update_record,
                )  # fmt: skip
        self.position += 1
        return phase

    def finish(self) -> IterationRecord:
        """Run every remaining phase; returns the complete record."""
        while not self.done:
            self.advance()
        assert self.record is not None
        return self.record
