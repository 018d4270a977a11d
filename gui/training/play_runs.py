"""Play runs and the worker process they drive, owned by the :class:`TrainingController`.

:class:`PlayRuns` keeps the child process (:mod:`engine.transport.worker_process`) and,
while playing, the run in progress: its :class:`PlayLink`, the training ``QThread`` and the
:class:`TrainingWorker` on it. It lives in the GUI thread (a child QObject of the
controller), so the worker's cross-thread ``finished`` reaches its ``@Slot``.

* **The process** is started lazily: by the first :meth:`PlayRuns.start` (through
  :meth:`PlayRuns.ensure_process`) or earlier by the controller's ``warm_up``, and then
  kept for the next play runs; a dead or untrusted one is replaced by the next start.
* **The end of a run** - a pause (:meth:`PlayRuns.stop`), the child stopping on its own,
  or :meth:`PlayRuns.shutdown` - joins the thread with a timeout (an unresponsive child is
  killed, so the blocking read ends; a thread that still will not stop is kept alive,
  never destroyed while running) and emits the :class:`PlayOutcome` as ``runEnded``.
* **Snapshots** from the training thread go into the mailbox (latest wins). The thread's
  nudge only starts a zero-interval QTimer; the snapshot is emitted as ``snapshotArrived``
  when that timer fires. Measured: handing it out straight from the cross-thread queued
  call let a busy window's chain of repaints starve the GUI thread's timers for 350-650
  ms; through a timer, other timers take their turn (gaps ~130 ms with the same window,
  ~25 ms with a single plot).

* **A child that stops answering** - frozen (SIGSTOP: not even its heartbeat for
  :data:`SILENCE_SECONDS`) or stuck in one iteration (its heartbeat says "stalled") - is
  noticed by a watchdog timer in the GUI thread: ``stalledChanged(True)`` (False when it
  answers again or the run has ended). :meth:`PlayRuns.abandon` then kills it (the run
  ends as after a crash: its last checkpoint). The GUI thread never waits for it: a
  pause gives up on a child silent for :data:`SILENCE_SECONDS` (at once if it was
  already noticed) instead of waiting the full :data:`PAUSE_TIMEOUT_MS`.

The signals are emitted in the GUI thread and reach the controller's slots directly
(synchronously, so the order of what the controller emits is the order of events here).
Signals rather than callbacks: the controller owns this object, and a reference back to
it would make a cycle that only Python's cyclic GC frees - possibly in another thread,
where freeing Qt objects can deadlock (see tests/gui/conftest.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from backprop_lab.engine.trainer import Trainer, TrainerState
from backprop_lab.engine.transport.snapshot import GridSpec
from backprop_lab.engine.transport.stream import config_to_dict, data_to_frame, state_to_frame
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from .mailbox import SnapshotMailbox
from .process import WorkerProcess
from .worker import PlayLink, PlayOutcome, TrainingWorker

PAUSE_TIMEOUT_MS = 5000  # an iteration plus a final snapshot of the largest networks
SILENCE_SECONDS = 2.0  # no frame (the child's heartbeat is 0.4 s) for this long: frozen
WATCH_MS = 250  # how often the watchdog looks
JOIN_SLICE_MS = 50  # a pause waits for the thread in slices, checking for silence
ABANDON_MESSAGE = "the training process did not respond and was stopped"


@dataclass
class _Running:
    """A play run in progress: its link to the child, the thread and the worker
    (the worker is only referenced so that it lives until its thread has run it)."""

    link: PlayLink
    thread: QThread
    worker: TrainingWorker

    @property
    def outcome(self) -> PlayOutcome:
        return self.link.outcome


def start_frame(
    proc: WorkerProcess,
    t: Trainer,
    problem_id: int,
    speed: float | None,
    sample_index: int,
    grid_spec: GridSpec | None,
) -> tuple[dict, dict]:
    """The "start" frame (meta, arrays) of a play run on ``proc``: trainer ``t``'s exact
    state and the settings, and the data too if ``proc`` does not have problem
    ``problem_id``'s yet (then it is marked as sent)."""
    meta, arrays = state_to_frame(t.get_state())
    meta.update(
        problem_id=problem_id,
        config=config_to_dict(t.config),
        speed=speed,
        sample_index=sample_index,
        grid_spec=None if grid_spec is None else vars(grid_spec).copy(),
    )
    if proc.sent_problem != problem_id:
        arrays.update(data_to_frame(t.x, t.t, t.x_val, t.t_val))
        proc.sent_problem = problem_id
    return meta, arrays


class PlayRuns(QObject):
    """The worker process and the play run in progress (see the module docstring)."""

    snapshotArrived = Signal(object)  # a Snapshot from the child, in the GUI thread
    # the PlayOutcome, once per run when it is over (``running`` is already False and a
    # broken process already stopped): the controller applies it
    runEnded = Signal(object)
    # True when the running child stops answering (frozen or stuck), False when it
    # answers again or the run has ended
    stalledChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: WorkerProcess | None = None
        self._play: _Running | None = None
        self._mailbox = SnapshotMailbox()
        self._stranded: list[_Running] = []  # threads that would not stop (kept alive)
        self._deliver_timer = QTimer(self)
        self._deliver_timer.setSingleShot(True)
        self._deliver_timer.setInterval(0)
        self._deliver_timer.timeout.connect(self._on_snapshot_pending)
        self._stalled = False
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_MS)
        self._watch_timer.timeout.connect(self._on_watch)

    @property
    def running(self) -> bool:
        """True between :meth:`start` and the end of that play run."""
        return self._play is not None

    @property
    def checkpoint(self) -> TrainerState | None:
        """The running child's latest periodic TrainerState (None before the first, or
        when no run is in progress)."""
        return None if self._play is None else self._play.outcome.checkpoint

    @property
    def stalled(self) -> bool:
        """True while the running child does not answer (see ``stalledChanged``)."""
        return self._stalled

    @property
    def pid(self) -> int | None:
        """The worker process's id (None before the first start or after shutdown)."""
        return None if self._process is None else self._process.pid

    # ------------------------------------------------------------ the child process
    def ensure_process(self) -> WorkerProcess:
        """The worker process, started now if there is none (or it has died). Idempotent."""
        if self._process is not None and not self._process.alive():
            self._process.stop(0.1)  # reap it; a new one starts below
            self._process = None
        if self._process is None:
            self._process = WorkerProcess()
        return self._process

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop the run in progress, join its thread and end the worker process, all
        within ``timeout_ms`` (then the child is killed). Idempotent; True if everything
        ended cleanly in time. A later :meth:`start` starts a new child."""
        deadline = time.monotonic() + timeout_ms / 1000
        clean = True
        s = self._play
        if s is not None:
            s.link.request_stop()
            clean = self._end_play(s, max(timeout_ms - 500, 100))
        if self._process is not None:
            clean &= self._process.stop(max(deadline - time.monotonic(), 0.05))
            self._process = None
        for s in list(self._stranded):
            if s.thread.wait(max(int((deadline - time.monotonic()) * 1000), 1)):
                self._stranded.remove(s)
        return clean and not self._stranded

    # ------------------------------------------------------------ a play run
    def start(self, process: WorkerProcess, start_frame: tuple[dict, dict]) -> None:
        """Start a play run on a new training thread: ``process`` (from
        :meth:`ensure_process`) receives ``start_frame`` (meta, arrays) first. Only while
        not :attr:`running`."""
        link = PlayLink(process, start_frame)
        worker = TrainingWorker(link, self._mailbox)
        thread = QThread()
        thread.setObjectName("trainingThread")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(worker.deleteLater, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(self._on_play_finished)
        worker.snapshotPending.connect(self._deliver_timer.start)
        self._play = _Running(link, thread, worker)
        thread.start()
        self._watch_timer.start()

    def command(self, kind: str, meta: dict) -> None:
        """Send a command to the run in progress, if there is one."""
        if self._play is not None:
            self._play.link.command(kind, meta)

    def stop(self) -> None:
        """Ask the run in progress (if any) to stop after its running iteration and end
        it: returns once ``runEnded`` has been handled (or after a timeout, having killed
        an unresponsive worker process)."""
        s = self._play
        if s is not None:
            s.link.request_stop()
            self._end_play(s, PAUSE_TIMEOUT_MS)

    def request_stop(self) -> bool:
        """Ask the run in progress (if any) to stop after its running iteration and return
        at once: ``runEnded`` follows when the worker has the child's final state (the
        worker's ``finished``). False if no run was in progress."""
        s = self._play
        if s is None:
            return False
        s.link.request_stop()
        return True

    def abandon(self) -> None:
        """End the run in progress (if any) now, without waiting for the child: kill the
        worker process; the run ends as after a crash (``runEnded`` with the error
        :data:`ABANDON_MESSAGE`; the controller falls back to the last checkpoint) and
        the next start starts a fresh process."""
        s = self._play
        if s is None:
            return
        s.outcome.error = s.outcome.error or ABANDON_MESSAGE
        s.outcome.broken = True
        s.link.request_stop()
        if self._process is not None:
            self._process.kill()  # (also a stopped one: SIGKILL needs no SIGCONT)
        self._end_play(s, PAUSE_TIMEOUT_MS)  # the read ends at once: its pipe closed

    def flush(self) -> None:
        """Publish the snapshot waiting in the mailbox now, if any."""
        self._deliver_timer.stop()
        self._on_snapshot_pending()

    def _end_play(self, s: _Running, timeout_ms: int) -> bool:
        """Join the training thread and hand over how the play run ended. True if it
        ended within the timeout."""
        if s.outcome.handled:
            return True
        clean = self._join(s, timeout_ms)
        self._watch_timer.stop()
        if not clean:  # the child does not answer: kill it, so the blocking read ends
            s.outcome.broken = True
            s.outcome.error = s.outcome.error or "the training process did not respond"
            if self._process is not None:
                self._process.kill()
            if not s.thread.wait(2000):
                self._stranded.append(s)  # never destroy a running QThread
        s.outcome.handled = True
        self._play = None
        out = s.outcome
        if out.broken and self._process is not None:
            self._process.stop(0.5)
            self._process = None
        self._set_stalled(False)
        self.runEnded.emit(out)
        return clean

    def _join(self, s: _Running, timeout_ms: int) -> bool:
        """Wait for the training thread to end, at most ``timeout_ms`` and only while
        the child answers (see :meth:`_silent`). True if it ended."""
        deadline = time.monotonic() + max(int(timeout_ms), 1) / 1000
        while not s.thread.wait(JOIN_SLICE_MS):
            if time.monotonic() >= deadline or self._silent(s.outcome):
                return s.thread.wait(1)
        return True

    def _silent(self, out: PlayOutcome) -> bool:
        """True if the child has not answered: no frame for :data:`SILENCE_SECONDS` since
        the start frame went out, or its heartbeat says it is stuck."""
        heard = out.last_heard
        return out.stalled or (heard is not None and time.monotonic() - heard > SILENCE_SECONDS)

    @Slot()
    def _on_watch(self) -> None:
        s = self._play
        if s is None:
            self._watch_timer.stop()
            return
        self._set_stalled(self._silent(s.outcome))

    def _set_stalled(self, stalled: bool) -> None:
        if stalled != self._stalled:
            self._stalled = stalled
            self.stalledChanged.emit(stalled)

    @Slot(object)
    def _on_play_finished(self, outcome: PlayOutcome) -> None:
        s = self._play
        if s is not None and s.outcome is outcome and not outcome.handled:
            self._end_play(s, PAUSE_TIMEOUT_MS)

    @Slot()
    def _on_snapshot_pending(self) -> None:
        snap = self._mailbox.take()
        if snap is not None:
            self.snapshotArrived.emit(snap)
