"""Snapshots made in the GUI thread, from the paused trainer (after Step, a phase-stepped
update, a new problem, new weights or a restored state, a new sample, the end of a play
run) - the same :class:`engine.transport.snapshot.Snapshot` the worker process sends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from backprop_lab.engine.phases import IterationRecord
from backprop_lab.engine.trainer import Trainer
from backprop_lab.engine.transport.snapshot import GridSpec, Snapshot, make_snapshot


def local_snapshot(
    t: Trainer,
    sample_index: int,
    grid_spec: GridSpec | None,
    prev: Snapshot | None,
    steps: Sequence[int] = (),
    losses: Sequence[float] = (),
    norms: Sequence = (),
    last: IterationRecord | None = None,
    final: bool = False,
    diverged: str | None = None,
    keep_gradients: bool = False,
) -> Snapshot:
    """A snapshot of trainer ``t`` (only while paused) carrying the losses ``losses`` and
    per-layer gradient norms ``norms`` (one row of ``t.network.depth`` per step in
    ``steps``) and the activations of training sample ``sample_index``; ``last`` is the
    iteration just applied, if any. With ``keep_gradients``, no ``last`` and an unchanged
    network at the same step, the gradients and update of ``prev`` (the snapshot
    published last) are kept - a new sample does not hide them."""
    depth = t.network.depth
    snap = make_snapshot(
        t, np.asarray(steps, np.int64), np.asarray(losses, np.float64),
        np.asarray(norms, np.float64).reshape(-1, depth), last, sample_index,
        grid_spec, final, diverged,
    )  # fmt: skip
    if (
        keep_gradients
        and last is None
        and prev is not None
        and prev.step == snap.step
        and prev.network.equals(snap.network)
    ):
        snap = replace(snap, gradients=prev.gradients, update=prev.update)
    return snap
