"""Hand each snapshot to several views one view per event-loop turn.

A window that calls every view's ``show_snapshot`` in one go queues all their repaints at
once, and the GUI thread then works through all of them without taking a timer or an
input event in between: with the full window that was ~120-150 ms per snapshot on the
2-core test machine. Spreading the views over separate event-loop turns lets timers and
input in between every view (measured: longest 10 ms-timer gap 27-64 ms instead).

Each view keeps at most one pending snapshot ("latest wins"); when a newer one arrives
before the view got the older, the two are merged (the newer one carrying both loss
series, :func:`gui.training.mailbox.merge_snapshots`), so no view ever misses history.

Adaptive pacing: a view's repaint happens after its ``show_snapshot`` returns, in a later
event-loop turn. When the loop came back to the fan-out late (the last view's repaint
took long), the next view waits :data:`PACE_MS` instead of going next turn, so the GUI
thread always keeps idle time for timers and input.

A view whose ``show_snapshot`` raises is reported through ``sys.excepthook`` (the
window's :mod:`gui.window.error_hook`: one line, traceback logged); the other views still
get theirs and the fan-out goes on.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable

from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QObject, QTimer, Slot

from .mailbox import merge_snapshots

PACE_MS = 16  # wait this long before the next view when the last turn came back late
LATE_S = 0.010  # "late": the loop returned this much after the timer was due


class SnapshotFanout(QObject):
    """Fans snapshots out to ``views`` (objects with ``show_snapshot(snap)``), one per
    zero-interval timer tick, in the order given. Lives in the GUI thread."""

    def __init__(self, views: Iterable = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: list = list(views)
        self._pending: dict[int, Snapshot] = {}  # index into _views -> snapshot
        self._next = 0
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._deliver_one)
        self._due = 0.0  # when the timer's next tick was due (perf_counter)

    def set_views(self, views: Iterable) -> None:
        """Replace the receivers (pending snapshots are dropped)."""
        self.clear()
        self._views = list(views)

    @property
    def pending(self) -> int:
        """How many views still wait for their snapshot."""
        return len(self._pending)

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Queue ``snap`` for every view (merged into what a view has not got yet)."""
        for i in range(len(self._views)):
            old = self._pending.get(i)
            self._pending[i] = snap if old is None else merge_snapshots(old, snap)
        if self._pending and not self._timer.isActive():
            self._start(0)

    def _start(self, interval_ms: int) -> None:
        self._timer.setInterval(interval_ms)
        self._due = time.perf_counter() + interval_ms / 1000
        self._timer.start()

    @Slot()
    def _deliver_one(self) -> None:
        late = time.perf_counter() - self._due > LATE_S
        n = len(self._views)
        for k in range(n):
            i = (self._next + k) % n
            snap = self._pending.pop(i, None)
            if snap is not None:
                self._next = (i + 1) % n
                try:
                    self._views[i].show_snapshot(snap)
                except Exception:  # one failing view: reported, the others still follow
                    sys.excepthook(*sys.exc_info())
                break
        if not self._pending:
            self._timer.stop()
        elif self._timer.isActive():  # not flushing: pace the next view
            self._start(PACE_MS if late else 0)

    def flush(self) -> None:
        """Deliver everything pending now (e.g. before reading what the views show)."""
        while self._pending:
            self._deliver_one()

    def clear(self) -> None:
        """Forget pending snapshots (new problem / reset: the views start afresh)."""
        self._pending.clear()
        self._timer.stop()
