"""What the GUI is shown: immutable snapshots of a training run, made by the engine.

The training thread (or the worker process behind it) sends a :class:`Snapshot` at most
~30 times a second and once more when it stops. A snapshot carries every training loss
since the previous one (so the loss curve has no gaps), the current weights, the last
iteration's gradients and update, per-layer gradient norms, evaluation numbers, the
activations of one chosen sample and, for 2-D inputs, the network's output over a grid of
the input plane (for 1-D inputs: over a range of the input, the fitted curve). Views draw
snapshots; they compute nothing of their own.

Every array in a snapshot is fresh and read-only: it is never written after the snapshot
is made, so pyqtgraph may keep references to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..cost import grid_size_for
from ..network import Network
from ..phases import IterationRecord, forward, predict
from ..trainer import Trainer
from .snapshot_sample import evaluate_sample

GRID_SIZE = 96  # decision-boundary resolution per axis
CURVE_SIZE = 256  # fitted-curve resolution (1-D inputs)


def padding(lo: np.ndarray, hi: np.ndarray, margin: float) -> np.ndarray:
    """How far a window reaches beyond the data's bounds ``lo`` <= ``hi`` (per axis):
    ``margin`` times the span, or - where the data have no span (one row, a constant
    column) - half a unit, or half the value's magnitude if larger. (A span-relative
    pad alone made a one-row data set's window 2e-9 wide.)"""
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    span = hi - lo
    return np.where(span > 0, span * margin, 0.5 * np.maximum(1.0, np.abs(lo)))


@dataclass(frozen=True)
class GridSpec:
    """The input-plane window a decision boundary is evaluated on (2-D inputs only)."""

    x_min: float
    x_max: float
    y_min: float
    y_max: float
    size: int = GRID_SIZE

    @classmethod
    def around(cls, x: np.ndarray, margin: float = 0.15, size: int = GRID_SIZE) -> GridSpec:
        """A window around the points ``x`` (N, 2) with a relative margin (see
        :func:`padding`: one point, or one value in a column, still gets a window)."""
        lo, hi = x.min(axis=0), x.max(axis=0)
        pad = padding(lo, hi, margin)
        return cls(
            float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]),
            float(hi[1] + pad[1]), size,
        )  # fmt: skip

    def points(self, dtype=np.float64) -> np.ndarray:
        """(size*size, 2) grid points, row-major: row r is y, column c is x."""
        xs = np.linspace(self.x_min, self.x_max, self.size)
        ys = np.linspace(self.y_min, self.y_max, self.size)
        gx, gy = np.meshgrid(xs, ys)
        return np.column_stack([gx.ravel(), gy.ravel()]).astype(dtype)


@dataclass(frozen=True)
class CurveSpec:
    """The input range a fitted curve is evaluated on (1-D inputs only)."""

    x_min: float
    x_max: float
    size: int = CURVE_SIZE

    @classmethod
    def around(cls, x: np.ndarray, margin: float = 0.05, size: int = CURVE_SIZE) -> CurveSpec:
        """A range around the points ``x`` (N,) or (N, 1) with a relative margin (see
        :func:`padding`)."""
        x = np.asarray(x).reshape(-1)
        lo, hi = float(x.min()), float(x.max())
        pad = float(padding(np.array([lo]), np.array([hi]), margin)[0])
        return cls(lo - pad, hi + pad, size)

    def points(self, dtype=np.float64) -> np.ndarray:
        """(size, 1) evenly spaced inputs from x_min to x_max."""
        return np.linspace(self.x_min, self.x_max, self.size, dtype=dtype)[:, None]


@dataclass(frozen=True)
class Snapshot:
    """One frame of a training run (see the module docstring).

    steps, losses: (n,) iteration numbers and training (mini-batch) losses since the
        previous snapshot, n >= 0.
    grad_norms: (n, layers) per-layer gradient norms of those iterations.
    network: the weights after iteration ``step``.
    gradients, update: flat dL/dparams of the last iteration and the change it made
        (after - before), laid out as ``network.flat``; None before the first iteration.
    train_loss, val_loss: data loss on the whole training / validation set (nan if none).
    train_accuracy, val_accuracy: for classification, else None.
    sample_index: which training sample ``activations`` belongs to;
    activations: per layer (input first) the activation vector of that sample.
    grid: the network's output over ``grid_spec`` as (size, size, outputs), or None.
    final: True for the last snapshot of a run; ``diverged`` holds the message when the
        run stopped because numbers went non-finite.
    rate: iterations per second over the last interval.
    sample_rows: how many rows of each split the losses and accuracies were computed on
        (a fixed sample of big data, :mod:`.snapshot_sample`); 0 = all of them.
    curve: for 1-D inputs, (n, 1 + outputs): column 0 the inputs (evenly spaced, rising),
        the other columns the network's outputs there; None otherwise.
    """

    step: int
    epoch: int
    steps: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    network: Network
    gradients: np.ndarray | None
    update: np.ndarray | None
    train_loss: float
    val_loss: float
    train_accuracy: float | None
    val_accuracy: float | None
    sample_index: int
    activations: tuple[np.ndarray, ...]
    grid: np.ndarray | None
    grid_spec: GridSpec | None
    final: bool = False
    diverged: str | None = None
    rate: float = 0.0
    curve: np.ndarray | None = None
    sample_rows: int = 0


def _ro(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def make_snapshot(
    trainer: Trainer,
    records_steps: np.ndarray,
    records_losses: np.ndarray,
    records_norms: np.ndarray,
    last: IterationRecord | None,
    sample_index: int = 0,
    grid_spec: GridSpec | None = None,
    final: bool = False,
    diverged: str | None = None,
    rate: float = 0.0,
    curve_spec: CurveSpec | None = None,
) -> Snapshot:
    """Build a snapshot of ``trainer`` now. ``records_*`` are the per-iteration series
    collected since the previous snapshot (they are copied); ``last`` the last iteration.
    For 1-D inputs the fitted curve is evaluated over ``curve_spec``, by default a range
    around the training and validation inputs. The decision grid is ``grid_spec``'s, made
    coarser for a big network (:func:`engine.cost.grid_size_for`); the snapshot's
    ``grid_spec`` is the one evaluated."""
    net = trainer.network
    train_loss, train_acc, sample_rows = evaluate_sample(trainer, "train")
    val_loss, val_acc, _ = evaluate_sample(trainer, "val")
    i = min(max(int(sample_index), 0), len(trainer.x) - 1)
    with np.errstate(all="ignore"):
        fwd = forward(net, trainer.x[i : i + 1])
    acts = (_ro(trainer.x[i].copy()), *(_ro(a[0].copy()) for a in fwd.a))
    grid = None
    if grid_spec is not None and net.architecture.input_size == 2:
        size = grid_size_for(net.architecture, grid_spec.size)  # coarser for big networks
        grid_spec = grid_spec if size == grid_spec.size else replace(grid_spec, size=size)
        out = predict(net, grid_spec.points(net.dtype))
        grid = _ro(out.reshape(grid_spec.size, grid_spec.size, -1))
    curve = None
    if net.architecture.input_size == 1:
        if curve_spec is None:
            xs = trainer.x  # the range of both splits, without a copy of the data
            if trainer.x_val is not None:
                xs = np.array([xs.min(), xs.max(), trainer.x_val.min(), trainer.x_val.max()])
            curve_spec = CurveSpec.around(xs)
        xs = curve_spec.points(net.dtype)
        curve = _ro(np.column_stack([xs, predict(net, xs)]))
    gradients = update = None
    if last is not None:
        gradients = last.backward.grad
        update = _ro(last.update.after.flat - last.update.before.flat)
    return Snapshot(
        step=trainer.step_count,
        epoch=trainer.epoch,
        steps=_ro(np.array(records_steps, dtype=np.int64)),
        losses=_ro(np.array(records_losses, dtype=np.float64)),
        grad_norms=_ro(np.array(records_norms, dtype=np.float64).reshape(-1, net.depth)),
        network=net,
        gradients=gradients,
        update=update,
        train_loss=train_loss,
        val_loss=val_loss if trainer.x_val is not None else math.nan,
        train_accuracy=train_acc,
        val_accuracy=val_acc,
        sample_index=i,
        activations=acts,
        grid=grid,
        grid_spec=grid_spec,
        final=final,
        diverged=diverged,
        rate=rate,
        curve=curve,
        sample_rows=sample_rows,
    )
