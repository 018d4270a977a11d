"""The rows a snapshot evaluates: all of them for small data, a fixed sample for big data.

A snapshot is made up to ~30 times a second; evaluating 100,000 rows of 784 columns for
each one makes the training process spend most of its time on snapshots and a Step in
the window take seconds. So a snapshot's training and validation losses and accuracies
are computed on at most :data:`SNAPSHOT_ROWS` rows of each split: the same rows every
time (a seeded choice, in their original order), so the curve they draw is smooth and
comparable from snapshot to snapshot. The snapshot says how many rows it used
(``Snapshot.sample_rows``; 0 means all) and the window states it. The whole-data numbers
are the trainer's :meth:`engine.trainer.Trainer.evaluate` (the command line's final
losses, for instance).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..losses import loss_value
from ..phases import forward
from ..trainer import Trainer
from ..training_state import accuracy

SNAPSHOT_ROWS = 4096
SAMPLE_SEED = 0


@lru_cache(maxsize=8)
def sample_rows(n: int, limit: int = SNAPSHOT_ROWS) -> np.ndarray | None:
    """The indices (sorted, read-only) of the rows a snapshot evaluates out of ``n``;
    None when all ``n`` are (``n <= limit``). The same for the same ``n`` every time."""
    if n <= limit:
        return None
    rows = np.sort(np.random.default_rng(SAMPLE_SEED).choice(n, size=limit, replace=False))
    rows.flags.writeable = False
    return rows


def evaluated_rows(n: int) -> int:
    """How many of ``n`` rows a snapshot evaluates."""
    return min(int(n), SNAPSHOT_ROWS)


def evaluate_sample(trainer: Trainer, split: str) -> tuple[float, float | None, int]:
    """(loss, accuracy or None, rows used; 0 = all) of the trainer's network on the
    sample of ``split`` ("train" or "val"); exactly ``trainer.evaluate(split)`` when the
    split has no more than :data:`SNAPSHOT_ROWS` rows."""
    x, t = (trainer.x, trainer.t) if split == "train" else (trainer.x_val, trainer.t_val)
    rows = None if x is None else sample_rows(len(x))
    if rows is None:
        loss, acc = trainer.evaluate(split)
        return loss, acc, 0
    xs, ts = x.take(rows, axis=0), t.take(rows, axis=0)
    with np.errstate(all="ignore"):
        fwd = forward(trainer.network, xs)
        value = loss_value(trainer.config.loss, fwd.z[-1], fwd.a[-1], ts)
    value = float(value) if math.isfinite(value) else value
    return value, accuracy(trainer.config.loss, fwd.a[-1], ts), len(rows)


__all__ = ["SNAPSHOT_ROWS", "evaluate_sample", "evaluated_rows", "sample_rows"]
