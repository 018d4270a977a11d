"""The continuous trainer: nothing but :func:`engine.phases.iterate` in a loop.

It owns what a loop needs between iterations - the current network, the optimiser state,
the step and epoch counters and the mini-batch order - and checks every iteration for
non-finite numbers. A non-finite loss, gradient or weight stops training with
:class:`TrainingDiverged`; the trainer then keeps its last finite network.

The records around the loop (config, state, the divergence and target checks) are in
:mod:`.training_state` and importable from here. The mini-batch order stays in the
Trainer: its fast path reads the trainer's own attributes on every step.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from . import limits
from .evaluation import evaluate
from .losses import check_pairing
from .network import Network
from .optimizers import OptimizerState
from .phases import IterationRecord, iterate, predict
from .training_state import (
    TrainerState,
    TrainingConfig,
    TrainingDiverged,
    accuracy,
    check_finite,
    check_targets,
)

# Training data larger than this is not copied in shuffled order each epoch; each batch is
# gathered from it instead (below this a copy per epoch is cheaper than a gather per step).
GATHER_BYTES = 1 << 20


class Trainer:
    """Runs iterations on (x, t); validation data is only evaluated, never trained on."""

    def __init__(
        self,
        network: Network,
        x: np.ndarray,
        t: np.ndarray,
        config: TrainingConfig = TrainingConfig(),  # noqa: B008 - frozen, so sharing it is safe
        x_val: np.ndarray | None = None,
        t_val: np.ndarray | None = None,
    ) -> None:
        check_pairing(config.loss, network.architecture.output_activation)
        dtype = network.dtype
        self.x = _data(x, dtype, "x")
        self.t = _data(t, dtype, "t")
        if self.x.shape[1] != network.architecture.input_size:
            raise ValueError(
                f"the data has {self.x.shape[1]} input columns but the network expects "
                f"{network.architecture.input_size}"
            )
        if self.t.shape[1] != network.architecture.layers[-1].units:
            raise ValueError(
                f"the data has {self.t.shape[1]} target columns but the network has "
                f"{network.architecture.layers[-1].units} outputs"
            )
        if len(self.x) != len(self.t) or len(self.x) == 0:
            raise ValueError("x and t must have the same, non-zero number of rows")
        check_targets(config.loss, self.t)
        self.x_val = None if x_val is None or len(x_val) == 0 else _data(x_val, dtype, "x_val")
        self.t_val = None if self.x_val is None else _data(t_val, dtype, "t_val")
        self.config = config
        self.network = network
        self.state: OptimizerState = config.optimizer.init_state(network)
        self.step_count = 0
        self.epoch = 0
        self._rng = np.random.default_rng(config.seed)
        self._order: np.ndarray | None = None  # this epoch's sample order
        # Small data: one shuffled copy per epoch, batches are slices of it. Large data:
        # each batch gathered on its own (_epoch_x is None): no second copy of the whole
        # set, and a batch is read from memory once, into the cache the step then uses.
        self._gather = self.x.nbytes + self.t.nbytes > GATHER_BYTES
        self._epoch_x = self._epoch_t = self.x
        self._cursor = len(self.x)  # start a new epoch on the first batch
        self._sync_batch()
        self.last: IterationRecord | None = None

    # ------------------------------------------------------------ batches
    @property
    def batch_size(self) -> int:
        b = self.config.batch_size
        return len(self.x) if b is None else min(int(b), len(self.x))

    def _sync_batch(self) -> None:
        """Cache what next_batch's fast path compares: the data size and the mini-batch
        size (n + 1 for a full batch, which never takes that path)."""
        n, b = len(self.x), self.batch_size
        self._n, self._batch = n, (b if b < n else n + 1)

    @property
    def steps_per_epoch(self) -> int:
        return -(-len(self.x) // self.batch_size)

    def next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        """The next mini-batch; a new shuffled order at the start of every epoch."""
        c, b = self._cursor, self._batch
        if c + b <= self._n:  # the common case: the next b samples of this epoch's order
            self._cursor = e = c + b
            ex = self._epoch_x
            if ex is not None:
                return ex[c:e], self._epoch_t[c:e]
            return self._gather_batch(c, e)
        n, b = len(self.x), self.batch_size
        if b == n:
            self.epoch += 1 if self._cursor >= n else 0
            self._cursor = n
            return self.x, self.t
        if self._cursor >= n:
            # A new shuffled order. Batches are slices (views) of a shuffled copy of the
            # data, or gathered one by one for large data; either way never written again,
            # so records may keep referring to them.
            self._order = order = _readonly(self._rng.permutation(n))
            self._shuffle(order)
            self._cursor = 0
            self.epoch += 1
        c = self._cursor
        self._cursor = e = c + b
        if self._epoch_x is None:
            return self._gather_batch(c, e)
        return self._epoch_x[c:e], self._epoch_t[c:e]

    def _shuffle(self, order: np.ndarray) -> None:
        """This epoch's data in ``order``: a shuffled copy, or None when batches are gathered."""
        if self._gather:
            self._epoch_x = self._epoch_t = None
        else:
            # take, not x[order]: fancy indexing walks the rows one by one (9x slower here)
            self._epoch_x = _readonly(self.x.take(order, axis=0))
            self._epoch_t = _readonly(self.t.take(order, axis=0))

    def _gather_batch(self, c: int, e: int) -> tuple[np.ndarray, np.ndarray]:
        """Samples c..e-1 of this epoch's order, as fresh read-only arrays."""
        idx = self._order[c:e]
        x = self.x.take(idx, axis=0)
        t = self.t.take(idx, axis=0)
        x.flags.writeable = t.flags.writeable = False
        return x, t

    # ------------------------------------------------------------ stepping
    def step(self) -> IterationRecord:
        """One iteration on the next batch. Raises TrainingDiverged, leaving the network and
        the batch position as they were before the step."""
        mark = self._batch_mark()
        x, t = self.next_batch()
        try:
            return self.step_on(x, t)
        except TrainingDiverged:
            self._batch_restore(mark)
            raise

    def _batch_mark(self) -> tuple:
        """Enough to undo next_batch(): the rng state only when a new epoch would start."""
        new_epoch = self._cursor >= len(self.x)
        rng = self._rng.bit_generator.state if new_epoch else None
        return (self._cursor, self.epoch, self._order, self._epoch_x, self._epoch_t, rng)

    def _batch_restore(self, mark: tuple) -> None:
        self._cursor, self.epoch, self._order, self._epoch_x, self._epoch_t, rng = mark
        if rng is not None:
            self._rng.bit_generator.state = rng

    def step_on(self, x: np.ndarray, t: np.ndarray) -> IterationRecord:
        """One iteration on a given batch (e.g. one chosen sample for step-by-step mode)."""
        c = self.config
        with np.errstate(all="ignore"):
            rec = iterate(
                self.network, x, t, c.loss, c.optimizer, self.state,
                self.step_count + 1, self.epoch, c.l2, c.l1,
            )  # fmt: skip
            self._commit(rec)
        return rec

    def begin_iteration(self, sample: int | None = None):
        """A :class:`engine.stepper.PhaseStepper` for the next iteration: on the next
        mini-batch, or on training sample ``sample`` alone (the article's x^(i)). Run its
        phases, then :meth:`commit` its ``record``; the batch order advances now."""
        from .stepper import PhaseStepper

        if sample is None:
            x, t = self.next_batch()
        else:
            if not 0 <= sample < len(self.x):
                raise ValueError(f"sample must be between 0 and {len(self.x) - 1}, got {sample}")
            x, t = self.x[sample : sample + 1], self.t[sample : sample + 1]
        c = self.config
        return PhaseStepper(
            self.network, x, t, c.loss, c.optimizer, self.state,
            self.step_count + 1, self.epoch, c.l2, c.l1,
        )  # fmt: skip

    def commit(self, rec: IterationRecord) -> None:
        """Accept an iteration computed elsewhere (e.g. phase by phase) as the next step.
        Raises TrainingDiverged (nothing changes) for non-finite or too large numbers."""
        with np.errstate(over="ignore"):  # huge weights: their sum of squares overflows
            self._commit(rec)

    def _commit(self, rec: IterationRecord) -> None:
        check_finite(rec)
        self.network = rec.update.after
        self.state = rec.update.state
        self.step_count = rec.step
        self.last = rec

    def run(
        self, steps: int, callback: Callable[[IterationRecord], object] | None = None
    ) -> IterationRecord | None:
        """``steps`` iterations; ``callback(record)`` after each one (return False to stop).
        The config is read once per call: a set_config from the callback takes effect on
        the next call."""
        rec = self.last
        c = self.config
        loss, optimizer, l2, l1 = c.loss, c.optimizer, c.l2, c.l1
        with np.errstate(all="ignore"):
            for _ in range(steps):
                mark = self._batch_mark()
                x, t = self.next_batch()
                rec = iterate(
                    self.network, x, t, loss, optimizer, self.state,
                    self.step_count + 1, self.epoch, l2, l1,
                )  # fmt: skip
                try:
                    self._commit(rec)
                except TrainingDiverged:
                    self._batch_restore(mark)
                    raise
                if callback is not None and callback(rec) is False:
                    break
        return rec

    # ------------------------------------------------------------ state
    def get_state(self) -> TrainerState:
        """Everything needed to continue exactly where this trainer stands."""
        return TrainerState(
            self.network,
            self.state,
            self.step_count,
            self.epoch,
            self._cursor,
            self._order,
            self._rng.bit_generator.state,
        )

    def set_state(self, s: TrainerState) -> None:
        """Continue from ``s`` (from get_state, possibly of another process or session):
        the next iteration gives the same numbers as it would have there. A state that
        cannot belong to this trainer raises ValueError and changes nothing."""
        if s.network.architecture != self.network.architecture:
            raise ValueError("the saved state belongs to a different architecture")
        limits.check_counter(s.step, "the iteration count")
        limits.check_counter(s.epoch, "the epoch count")
        limits.check_counter(s.optimizer_state.t, "the optimizer's update count")
        n = len(self.x)
        order = None
        if s.order is not None and len(s.order) == n and s.cursor < n:
            order = np.array(s.order, dtype=np.int64)
            if not np.array_equal(np.sort(order), np.arange(n)):
                raise ValueError("the saved batch order is not an order of the data's rows")
        network = s.network.astype(self.network.dtype)
        self._rng.bit_generator.state = s.rng_state  # the last check: it validates the dict
        self.network = network
        self.state = s.optimizer_state
        self.step_count, self.epoch, self._cursor = s.step, s.epoch, s.cursor
        if order is not None:
            self._order = _readonly(order)
            self._shuffle(self._order)
        else:
            self._order, self._epoch_x, self._epoch_t = None, self.x, self.t
            self._cursor = max(self._cursor, n) if s.order is None else n
        self.last = None

    def set_network(self, network: Network) -> None:
        """Replace the network (e.g. imported weights); the optimiser starts afresh."""
        if network.architecture != self.network.architecture:
            raise ValueError(
                f"the new network is {network.architecture.describe()}, the data and the "
                f"trainer expect {self.network.architecture.describe()}"
            )
        self.network = network.astype(self.network.dtype)
        self.state = self.config.optimizer.init_state(self.network)
        self.last = None

    def set_config(self, config: TrainingConfig) -> None:
        """New hyper-parameters from the next iteration on. The optimiser state is kept when
        the optimiser stays the same kind, reset otherwise; the batch order is kept."""
        check_pairing(config.loss, self.network.architecture.output_activation)
        if config.optimizer.name != self.config.optimizer.name:
            self.state = config.optimizer.init_state(self.network)
        self.config = config
        self._sync_batch()

    # ------------------------------------------------------------ evaluation
    def evaluate(self, split: str = "train") -> tuple[float, float | None]:
        """(loss, accuracy or None) of the current network on "train" or "val" data.

        The loss here is the data loss alone (no regularisation term). Large data is
        passed through the network in chunks (:func:`engine.evaluation.evaluate`)."""
        if split not in ("train", "val"):
            raise ValueError(f"split must be 'train' or 'val', got {split!r}")
        x, t = (self.x, self.t) if split == "train" else (self.x_val, self.t_val)
        if x is None:
            return math.nan, None
        return evaluate(self.network, x, t, self.config.loss)


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _data(a, dtype, name: str) -> np.ndarray:
    """``a`` as the trainer's own read-only C-contiguous ``dtype`` copy - or ``a`` itself
    when it already is read-only and owns its memory (a Dataset's arrays): nothing can
    change it then, and a large data set is not held twice."""
    a = np.asarray(a, dtype=dtype)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (samples, columns), got shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    if a.flags.c_contiguous and a.flags.owndata and not a.flags.writeable:
        return a
    return _readonly(np.array(a, order="C"))


__all__ = [
    "Trainer",
    "TrainerState",
    "TrainingConfig",
    "TrainingDiverged",
    "accuracy",
    "check_finite",
    "check_targets",
    "predict",
]
