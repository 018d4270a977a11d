"""Work on the paused trainer that is too slow for the GUI thread: a Step, or a snapshot,
of a big network.

The controller asks :func:`step_seconds` / :func:`snapshot_seconds` (the engine's cost
estimates, :mod:`engine.cost`) before it steps or makes a snapshot. Below
:data:`SYNC_LIMIT_S` the work runs in the GUI thread exactly as it always has; above it, the
functions here run as a :mod:`gui.tasks` task on a *clone* of the trainer
(:func:`clone_trainer`), so the trainer the window holds is never touched off its thread:
when the task returns, the controller adopts the clone and publishes the snapshot to the
same slots; when it is cancelled (Pause, Escape, any new edit), the clone is dropped and
nothing has changed. The functions here never touch Qt.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from backprop_lab.engine import cost
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.network import Architecture
from backprop_lab.engine.phases import IterationRecord
from backprop_lab.engine.trainer import Trainer, TrainingDiverged
from backprop_lab.engine.transport.snapshot import GRID_SIZE, GridSpec, Snapshot
from backprop_lab.engine.transport.snapshot_sample import evaluated_rows
from PySide6.QtCore import QCoreApplication

from .local_snapshot import local_snapshot

SYNC_LIMIT_S = 0.03  # estimated work above this runs as a background task


def clone_trainer(t: Trainer) -> Trainer:
    """A trainer that continues exactly as ``t`` would, sharing its (immutable) network,
    optimiser state and data but nothing a step changes in place (the batch cursor and
    the random generator are its own)."""
    c = copy.copy(t)
    c._rng = np.random.default_rng()
    c._rng.bit_generator.state = t._rng.bit_generator.state
    return c


def snapshot_seconds(t: Trainer, grid_spec: GridSpec | None) -> float:
    """Estimated seconds to make a snapshot of ``t``."""
    rows = evaluated_rows(len(t.x)) + (0 if t.x_val is None else evaluated_rows(len(t.x_val)))
    grid = 0 if grid_spec is None else grid_spec.size
    return cost.snapshot_seconds(t.network.architecture, rows, grid)


def step_seconds(t: Trainer, sample: int | None, grid_spec: GridSpec | None) -> float:
    """Estimated seconds for one Step of ``t``: the iteration (on one sample, or on the
    next mini-batch) and the snapshot after it."""
    batch = 1 if sample is not None else t.batch_size
    rows = evaluated_rows(len(t.x)) + (0 if t.x_val is None else evaluated_rows(len(t.x_val)))
    grid = 0 if grid_spec is None else grid_spec.size
    return cost.step_seconds(t.network.architecture, batch, rows, grid)


def network_step_seconds(arch: Architecture, data: Dataset, batch: int | None = None) -> float:
    """Estimated seconds for one Step of a network ``arch`` on ``data`` (mini-batches of
    ``batch`` rows, the default batch size when None) - what the builder tells the user."""
    from backprop_lab.engine import defaults

    rows = evaluated_rows(len(data.x)) + evaluated_rows(len(data.x_val))
    b = min(int(batch or defaults.BATCH_SIZE), max(len(data.x), 1))
    grid = GRID_SIZE if arch.input_size == 2 else 0
    return cost.step_seconds(arch, b, rows, grid)


def format_seconds(seconds: float) -> str:
    """``seconds`` as a short, rounded duration ("0.4 s", "8 s", "2 min"; in the window's
    language)."""
    if seconds < 1:
        return QCoreApplication.translate("Duration", "{0} s").format(f"{seconds:.1f}")
    if seconds < 90:
        return QCoreApplication.translate("Duration", "{0} s").format(f"{seconds:.0f}")
    return QCoreApplication.translate("Duration", "{0} min").format(f"{seconds / 60:.0f}")


@dataclass(frozen=True)
class StepDone:
    """What a background Step hands back: the trainer after it (the clone), the record
    (None if it diverged, then ``diverged`` says why) and the snapshot to publish."""

    trainer: Trainer
    record: IterationRecord | None
    diverged: str | None
    snapshot: Snapshot


def step_trainer(t: Trainer, sample: int | None) -> IterationRecord:
    """One iteration of ``t``: on its next mini-batch, or on training sample ``sample``
    alone (0 <= sample < len(t.x)). Raises TrainingDiverged as :meth:`Trainer.step`."""
    if sample is None:
        return t.step()
    return t.step_on(t.x[sample : sample + 1], t.t[sample : sample + 1])


def run_step(
    t: Trainer,
    sample: int | None,
    sample_index: int,
    grid_spec: GridSpec | None,
    prev: Snapshot | None,
    cancelled: Callable[[], bool] = lambda: False,
) -> StepDone | None:
    """One Step on ``t`` (a clone: it is changed) as the controller's ``step`` makes it,
    with the snapshot it publishes. None if ``cancelled()`` before the snapshot."""
    try:
        rec = step_trainer(t, sample)
    except TrainingDiverged as e:
        if cancelled():
            return None
        snap = local_snapshot(t, sample_index, grid_spec, prev, final=True, diverged=str(e))
        return StepDone(t, None, str(e), snap)
    if cancelled():
        return None
    snap = local_snapshot(
        t,
        sample_index,
        grid_spec,
        prev,
        [rec.step],
        [rec.loss.value],
        [rec.backward.grad_norms],
        rec,
    )
    return StepDone(t, rec, None, snap)


def run_snapshot(
    t: Trainer,
    sample_index: int,
    grid_spec: GridSpec | None,
    prev: Snapshot | None,
    kwargs: dict,
) -> Snapshot:
    """:func:`.local_snapshot.local_snapshot` of ``t`` - a clone (:func:`clone_trainer`),
    so that the controller may go on changing its own trainer meanwhile."""
    return local_snapshot(t, sample_index, grid_spec, prev, **kwargs)
