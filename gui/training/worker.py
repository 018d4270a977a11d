"""The training thread: a QObject worker moved to a QThread, one per play run.

Life cycle (as in superqt's workers): ``QThread.started -> run() -> finished(outcome)``;
``finished`` quits the thread and deletes the worker (``deleteLater``). ``run`` sends the
"start" frame to the worker process and then reads its frames - blocking pipe reads that
release the GIL, so the GUI thread keeps running while the child trains - until the child
reports "stopped" or its output ends. Snapshots go into the controller's mailbox; the GUI
is nudged with ``snapshotPending`` only when the mailbox was empty, so the GUI thread's
event queue never fills up with stale frames.

The controller talks to a play run only through its :class:`PlayLink` (plain Python,
usable from any thread): commands, and the stop flag - :meth:`PlayLink.request_stop` sets
it and sends "pause"; the child checks its commands after every iteration and answers
with a final snapshot and its TrainerState.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from backprop_lab.engine.trainer import TrainerState
from backprop_lab.engine.transport.stream import FrameError, snapshot_from_frame, state_from_frame
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal, Slot

from ..error_log import one_line, write_report
from .mailbox import SnapshotMailbox
from .process import WorkerProcess


@dataclass
class PlayOutcome:
    """How a play run ended, filled in by the training thread.

    state: the child's final TrainerState (None if it never started or crashed);
    checkpoint: its latest periodic TrainerState (the fallback after a crash);
    diverged: TrainingDiverged's message; error: anything else that went wrong;
    broken: the pipe can no longer be trusted (crash, malformed frame) - restart the child;
    final_seen: the child's final snapshot reached the mailbox;
    pending: when the child left the final snapshot to the window (a big network), the
        (steps, losses, norms) since its last snapshot;
    handled: the controller has applied this outcome (GUI thread only);
    last_heard: time.monotonic() of the child's latest frame (or of the start frame's
    sending), None before the start frame has gone out; stalled: the latest heartbeat
    said the training loop is stuck in an iteration (see engine.transport.worker_process).
    The training thread writes these two, the GUI thread's watchdog reads them."""

    state: TrainerState | None = None
    checkpoint: TrainerState | None = None
    diverged: str | None = None
    error: str | None = None
    broken: bool = False
    final_seen: bool = False
    pending: tuple | None = None
    handled: bool = False
    last_heard: float | None = None
    stalled: bool = False


class PlayLink:
    """One play run's link to the worker process: the "start" frame, then commands
    in order. Thread-safe; a "pause" before the start means the run never starts."""

    def __init__(self, process: WorkerProcess, start: tuple[dict, dict]) -> None:
        self.process = process
        self.outcome = PlayOutcome()
        self._start: tuple[dict, dict] | None = start
        self._lock = threading.Lock()
        self._stop_requested = False
        self._started = False
        self._queued: list[tuple[str, dict]] = []

    def request_stop(self) -> None:
        """Set the stop flag and ask the child to pause after its running iteration."""
        self.command("pause", {})

    def command(self, kind: str, meta: dict) -> None:
        """Send a command to the child (queued until the start frame has gone out)."""
        with self._lock:
            if kind == "pause":
                self._stop_requested = True
            if self._started:
                self._send(kind, meta)
            else:
                self._queued.append((kind, meta))

    def begin(self) -> bool:
        """Send the start frame and any queued commands (training thread). False if the
        run was stopped before it began or the child cannot be reached."""
        with self._lock:
            start, self._start = self._start, None  # the data may be large: let it go
            if self._stop_requested:
                return False
            self._started = True
            ok = self._send("start", *start)
            for kind, meta in self._queued:
                ok = ok and self._send(kind, meta)
            return ok

    def _send(self, kind: str, meta: dict, arrays: dict | None = None) -> bool:
        try:
            self.process.send(kind, meta, arrays)
            return True
        except (OSError, ValueError) as e:  # ValueError: write to a closed pipe
            out = self.outcome
            out.error = out.error or _tr(
                QT_TRANSLATE_NOOP("TrainingWorker", "cannot reach the training process: %1"), e
            )
            out.broken = True
            return False


def _tr(text: str, value: object = None) -> str:
    """``text`` in the window's language, ``%1`` filled with ``value`` (any thread)."""
    translated = QCoreApplication.translate("TrainingWorker", text)
    return translated if value is None else translated.replace("%1", str(value))


class TrainingWorker(QObject):
    """Runs one play run (its :class:`PlayLink`) on the training thread (see the module
    docstring)."""

    snapshotPending = Signal()
    finished = Signal(object)  # the PlayOutcome

    def __init__(self, link: PlayLink, mailbox: SnapshotMailbox) -> None:
        super().__init__()
        self._link = link
        self._mailbox = mailbox

    @Slot()
    def run(self) -> None:
        """The play run (runs in the QThread)."""
        out = self._link.outcome
        try:
            if self._link.begin():
                out.last_heard = time.monotonic()
                self._read_replies()
            elif out.broken:
                self._link.process.kill()
        except Exception as e:  # never let an exception escape a QThread
            out.error = out.error or _tr(
                QT_TRANSLATE_NOOP("TrainingWorker", "training thread failed: %1"), repr(e)
            )
            out.broken = True
        finally:
            self.finished.emit(out)

    def _read_replies(self) -> None:
        out, proc = self._link.outcome, self._link.process
        while True:
            try:
                frame = proc.read()
            except FrameError as e:
                out.error = _tr(
                    QT_TRANSLATE_NOOP(
                        "TrainingWorker", "garbled reply from the training process: %1"
                    ),
                    e,
                )
                out.broken = True
                return
            if frame is None:
                code = proc.exit_code(2.0)
                tail = proc.stderr_tail()
                if not out.error:  # (stopping a frozen process says why itself)
                    out.error = _tr(
                        QT_TRANSLATE_NOOP(
                            "TrainingWorker",
                            "the training process stopped unexpectedly (exit code %1)",
                        ),
                        code,
                    )
                    if tail:  # its last words go to the error log, the window says one line
                        write_report(out.error, tail)
                        out.error += _tr(
                            QT_TRANSLATE_NOOP("TrainingWorker", "; details in the error log")
                        )
                out.broken = True
                return
            out.last_heard = time.monotonic()
            out.stalled = frame.kind == "alive" and bool(frame.meta.get("stalled"))
            if frame.kind == "snapshot":
                snap = snapshot_from_frame(frame.meta, frame.arrays)
                out.final_seen = snap.final
                if self._mailbox.put(snap):
                    self.snapshotPending.emit()
            elif frame.kind == "checkpoint":
                out.checkpoint = state_from_frame(frame.meta, frame.arrays)
            elif frame.kind == "error":
                out.error = one_line(frame.meta.get("message", "unknown error"))
                details = frame.meta.get("details")
                if isinstance(details, str) and details:
                    write_report(out.error, details)
            elif frame.kind == "stopped":
                if frame.meta.get("has_state"):
                    out.state = state_from_frame(frame.meta, frame.arrays)
                if "pending.steps" in frame.arrays:
                    a = frame.arrays
                    out.pending = (a["pending.steps"], a["pending.losses"], a["pending.norms"])
                out.diverged = frame.meta.get("diverged")
                return
