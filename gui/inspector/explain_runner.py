"""Runs :func:`engine.chainrule.explain` for the chain-rule inspector: in the GUI thread
when it is cheap, as a background task (:mod:`gui.tasks`) when it is not.

Measured on the 2-core test machine (float64): 784-256-128-10, a first-layer weight on
one sample 20-25 ms, on a mini-batch of 128 ~35 ms, on a batch of 5,000 ~570 ms;
784-512-512-512-10, a first-layer weight (2.6 million paths) ~145 ms. The cost grows with
(batch size x parameters) and with the number of paths to enumerate, so requests above
:data:`SYNC_WORK` or :data:`SYNC_PATHS` go to the worker and the GUI stays responsive.

Everything given to ``explain`` is immutable (networks, batches and optimiser states are
read-only arrays that nobody writes), so the worker can read them while the GUI thread
goes on; the task delivers the result to a ``@Slot`` in the GUI thread.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from backprop_lab.engine.chainrule import Derivation, explain
from backprop_lab.engine.network import Network
from backprop_lab.engine.optimizers import Optimizer, OptimizerState
from PySide6.QtCore import QObject, Signal, Slot

from ..tasks import Task, start_task

SYNC_WORK = 4_000_000  # batch size x parameters done in the GUI thread (~5-25 ms)
SYNC_PATHS = 200_000  # paths enumerated in the GUI thread


@dataclass(frozen=True, eq=False)
class ExplainRequest:
    """Everything ``explain`` needs, and how to describe it.

    layer counts from 1, row (j) and col (i) from 0 - the JSON model's
    ``weight[j][i]`` of that layer; col None is the bias of unit j. ``sample`` is the
    batch row whose paths are listed; ``training_sample`` its training-set index (None
    if unknown); ``label`` says which data and weights these are."""

    net: Network
    x: np.ndarray
    t: np.ndarray
    loss: str
    layer: int
    row: int
    col: int | None
    optimizer: Optimizer
    state: OptimizerState | None
    sample: int
    l2: float
    l1: float
    label: str
    training_sample: int | None = None
    iteration: int = 0

    @property
    def batch_size(self) -> int:
        return len(self.x)

    @property
    def work(self) -> int:
        """Batch size x parameters: what the forward/backward/numeric passes cost."""
        return len(self.x) * self.net.architecture.parameter_count

    @property
    def paths(self) -> int:
        """How many paths join the weight to the loss."""
        units = [s.units for s in self.net.architecture.layers[self.layer :]]
        return math.prod(units)

    def cheap(self) -> bool:
        """True if the GUI thread may run it (a few tens of ms at most)."""
        return self.work <= SYNC_WORK and self.paths <= SYNC_PATHS

    def same_as(self, other: ExplainRequest | None) -> bool:
        """The same weight on the very same numbers (so the derivation is unchanged)."""
        return (
            other is not None
            and self.net is other.net
            and _same_array(self.x, other.x)
            and _same_array(self.t, other.t)
            and self.state is other.state
            and (self.loss, self.layer, self.row, self.col, self.optimizer, self.sample)
            == (other.loss, other.layer, other.row, other.col, other.optimizer, other.sample)
            and (self.l2, self.l1, self.label) == (other.l2, other.l1, other.label)
        )


def _same_array(a: np.ndarray, b: np.ndarray) -> bool:
    """The same read-only memory seen the same way (e.g. two slices x[i:i+1] of the
    training set): as nobody writes these arrays, the same numbers."""
    if a is b:
        return True
    ia, ib = a.__array_interface__, b.__array_interface__
    return (ia["data"], a.shape, a.strides, a.dtype) == (ib["data"], b.shape, b.strides, b.dtype)


@dataclass(frozen=True)
class ExplainResult:
    """A request's derivation (or the error that stopped it) and how long it took."""

    request: ExplainRequest
    derivation: Derivation | None
    error: str | None
    seconds: float
    background: bool


def compute(request: ExplainRequest, background: bool = False) -> ExplainResult:
    """Run ``explain`` for ``request`` (in whatever thread calls it)."""
    r = request
    start = time.perf_counter()
    try:
        d = explain(
            r.net, r.x, r.t, r.loss, r.layer, r.row, r.col, r.optimizer, r.state, r.sample,
            r.l2, r.l1,
        )  # fmt: skip
        error = None
    except (ValueError, ArithmeticError, MemoryError) as e:
        d, error = None, str(e)
    return ExplainResult(r, d, error, time.perf_counter() - start, background)


class ExplainRunner(QObject):
    """Computes derivations; ``finished`` (in the GUI thread) carries every result.

    :meth:`submit` computes a cheap request at once (and also returns it); an expensive
    one runs as a background task, one at a time. While one runs, only the newest
    waiting request is kept ("latest wins")."""

    finished = Signal(object)  # ExplainResult

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: Task | None = None
        self._request: ExplainRequest | None = None  # the one the task computes
        self._waiting: ExplainRequest | None = None

    @property
    def busy(self) -> bool:
        """True while a request runs in the background."""
        return self._task is not None

    def submit(self, request: ExplainRequest) -> ExplainResult | None:
        """Compute ``request``: now if it is cheap (returns the result, also emitted), else
        on the worker (returns None; ``finished`` follows)."""
        if request.cheap():
            self._waiting = None
            result = compute(request)
            self.finished.emit(result)
            return result
        if self._task is not None:
            self._waiting = request
        else:
            self._start(request)
        return None

    def _start(self, request: ExplainRequest) -> None:
        self._request = request
        self._task = start_task(compute, request, background=True)
        self._task.returned.connect(self._on_computed)
        self._task.errored.connect(self._on_failed)
        self._task.finished.connect(self._on_finished)

    @Slot(object)
    def _on_computed(self, result: ExplainResult) -> None:
        self.finished.emit(result)

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        # compute() turns the errors explain raises into results; this is anything else
        message = f"{type(error).__name__}: {error}"
        self.finished.emit(ExplainResult(self._request, None, message, 0.0, True))

    @Slot()
    def _on_finished(self) -> None:
        self._task = self._request = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start(waiting)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Forget waiting requests, drop the running one's result and wait (at most
        ``timeout_ms``) for it to end. True if nothing is left running."""
        self._waiting = None
        if self._task is None:
            return True
        self._task.cancel()
        return self._task.wait(timeout_ms)


__all__ = ["SYNC_PATHS", "SYNC_WORK", "ExplainRequest", "ExplainResult", "ExplainRunner"]
