"""The "latest wins" hand-over of snapshots from the training thread to the GUI thread.

The training thread ``put``s every snapshot; the GUI thread ``take``s the newest. When the
GUI falls behind, older snapshots are dropped - but their losses and gradient norms are
merged into the newer one, so the loss curve never has a gap.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
from backprop_lab.engine.transport.snapshot import Snapshot


def _joined(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.concatenate([a, b])
    out.flags.writeable = False
    return out


def merge_snapshots(older: Snapshot, newer: Snapshot) -> Snapshot:
    """``newer`` carrying the per-iteration series of both (older first)."""
    return replace(
        newer,
        steps=_joined(older.steps, newer.steps),
        losses=_joined(older.losses, newer.losses),
        grad_norms=_joined(older.grad_norms, newer.grad_norms),
    )


class SnapshotMailbox:
    """Holds at most one snapshot: the newest, with all unseen history merged into it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None

    def put(self, snap: Snapshot) -> bool:
        """Store ``snap``; True if the mailbox was empty (the reader needs a nudge)."""
        with self._lock:
            first = self._snap is None
            self._snap = snap if first else merge_snapshots(self._snap, snap)
        return first

    def take(self) -> Snapshot | None:
        """The pending snapshot (None if there is none); empties the mailbox."""
        with self._lock:
            snap, self._snap = self._snap, None
        return snap
