"""The TrainingController: the one object the window talks to about training.

It owns the authoritative :class:`engine.trainer.Trainer` (touched only in the GUI thread,
only while paused) and, while playing, a training thread (:mod:`gui.training.worker`)
that drives a worker process (:mod:`engine.worker_process`):

* **play** sends the trainer's full TrainerState (and the data, once per problem) to the
  child, which runs the engine's own training loop at full speed on its own core and
  streams snapshots back at <= ~30 Hz;
* **pause** asks the child to stop after the running iteration, waits (with a timeout)
  for its final snapshot and TrainerState and continues the GUI-side trainer from that
  state - so Step, and later phase stepping, work on the very same model and give the
  same numbers Play would have given;
* **step** runs exactly one engine iteration here, in the GUI thread (one iteration is
  cheap; Play never runs iterations in this thread).

Every snapshot reaches the views through ``snapshotReady`` in the GUI thread ("latest
wins": if the GUI falls behind, stale snapshots are dropped and their losses merged into
the next one). The training thread's nudge only starts a zero-interval QTimer; the
snapshot is handed out when that timer fires. Measured: handing it out straight from the
cross-thread queued call let a busy window's chain of repaints starve the GUI thread's
timers for 350-650 ms; through a timer, other timers take their turn (gaps ~130 ms with
the same window, ~25 ms with a single plot).

If the child crashes, ``errorOccurred`` says so (with its stderr) and the controller
falls back, paused, to the child's last checkpoint (about once a second) or
else to the state it had when Play was pressed; the next Play starts a fresh child.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from engine.data import Dataset
from engine.network import Architecture, Network, init_network
from engine.phases import IterationRecord
from engine.snapshot import GridSpec, Snapshot, make_snapshot
from engine.stream import config_to_dict, data_to_frame, state_to_frame
from engine.trainer import Trainer, TrainingConfig, TrainingDiverged

from .mailbox import SnapshotMailbox
from .process import WorkerProcess
from .worker import Session, SessionOutcome, TrainingWorker

PAUSE_TIMEOUT_MS = 5000  # an iteration plus a final snapshot of the largest networks


@dataclass
class _Running:
    """A play session in progress: its link to the child, the thread and the worker
    (the worker is only referenced so that it lives until its thread has run it)."""

    session: Session
    thread: QThread
    worker: TrainingWorker

    @property
    def outcome(self) -> SessionOutcome:
        return self.session.outcome


@dataclass(frozen=True)
class _Problem:
    dataset: Dataset
    architecture: Architecture
    init: str
    seed: int
    dtype: str


class TrainingController(QObject):
    """Play / Pause / Step / Reset for one training problem (see the module docstring)."""

    snapshotReady = Signal(object)  # engine.snapshot.Snapshot, in the GUI thread
    runningChanged = Signal(bool)
    diverged = Signal(str)  # one line naming step and layer; training is paused
    errorOccurred = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._trainer: Trainer | None = None
        self._problem: _Problem | None = None
        self._problem_id = 0
        self._grid_spec: GridSpec | None = None
        self._sample_index = 0
        self._speed: float | None = None
        self._process: WorkerProcess | None = None
        self._session: _Running | None = None
        self._mailbox = SnapshotMailbox()
        self._last_snapshot: Snapshot | None = None
        self._stranded: list[_Running] = []  # threads that would not stop (kept alive)
        self._deliver_timer = QTimer(self)
        self._deliver_timer.setSingleShot(True)
        self._deliver_timer.setInterval(0)
        self._deliver_timer.timeout.connect(self._on_snapshot_pending)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_about_to_quit)

    # ------------------------------------------------------------ properties
    @property
    def is_running(self) -> bool:
        """True between play() and the end of the play session."""
        return self._session is not None

    @property
    def trainer(self) -> Trainer | None:
        """The authoritative trainer; only touch it while paused."""
        return self._trainer

    @property
    def network(self) -> Network | None:
        """The current network (as of the last pause or step while playing)."""
        return None if self._trainer is None else self._trainer.network

    @property
    def dataset(self) -> Dataset | None:
        return None if self._problem is None else self._problem.dataset

    @property
    def has_progress(self) -> bool:
        """True once at least one iteration has been trained since the last (re)initialisation."""
        return self._trainer is not None and self._trainer.step_count > 0

    @property
    def speed(self) -> float | None:
        return self._speed

    @property
    def sample_index(self) -> int:
        return self._sample_index

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id (None before the first start or after shutdown)."""
        return None if self._process is None else self._process.pid

    # ------------------------------------------------------------ the problem
    def set_problem(
        self,
        dataset: Dataset,
        architecture: Architecture,
        config: TrainingConfig,
        init: str = "xavier",
        seed: int = 0,
        dtype: str = "float64",
    ) -> None:
        """(Re)build the network from ``seed`` and a fresh trainer; pauses first.

        Raises ValueError (and changes nothing) when the data, the architecture and the
        loss do not fit together."""
        self.pause()
        problem = _Problem(dataset, architecture, init, int(seed), dtype)
        trainer = self._build_trainer(problem, config)
        self._problem, self._trainer = problem, trainer
        self._problem_id += 1
        self._grid_spec = GridSpec.around(dataset.x) if dataset.input_size == 2 else None
        self._sample_index = min(self._sample_index, len(trainer.x) - 1)
        self._last_snapshot = None
        self._ensure_process()  # warm up: the child imports NumPy while the user looks
        self._emit_local()

    @staticmethod
    def _build_trainer(problem: _Problem, config: TrainingConfig) -> Trainer:
        net = init_network(problem.architecture, problem.init, problem.seed, problem.dtype)
        ds = problem.dataset
        t_val = ds.targets(config.loss, "val") if len(ds.x_val) else None
        return Trainer(net, ds.x, ds.targets(config.loss, "train"), config, ds.x_val, t_val)

    @Slot()
    def reset(self) -> None:
        """Re-initialise the network from the seed (pauses first)."""
        self.pause()
        if self._problem is None:
            return
        self._trainer = self._build_trainer(self._problem, self._trainer.config)
        self._last_snapshot = None
        self._emit_local()

    def set_network(self, net: Network) -> None:
        """Replace the weights (e.g. imported); ValueError if the architecture differs."""
        if self._trainer is None:
            raise ValueError("there is no training problem to put the network into")
        if net.architecture != self._trainer.network.architecture:
            raise ValueError(
                f"the network is {net.architecture.describe()}, the current problem "
                f"needs {self._trainer.network.architecture.describe()}"
            )
        self.pause()
        self._trainer.set_network(net)
        self._last_snapshot = None
        self._emit_local()

    # ------------------------------------------------------------ live settings
    def set_config(self, config: TrainingConfig) -> None:
        """New learning rate / optimiser / batch size / regularisation from the next
        iteration on (also while playing). A different loss needs set_problem."""
        if self._trainer is None:
            raise ValueError("set a training problem first")
        if config.loss != self._trainer.config.loss:
            raise ValueError("changing the loss changes the problem: use set_problem")
        self._trainer.set_config(config)
        self._command("config", {"config": config_to_dict(config)})

    def set_speed(self, iterations_per_second: float | None) -> None:
        """Limit Play to this many iterations per second; None = full speed."""
        ips = iterations_per_second
        if ips is not None:
            ips = float(ips)
            if not (math.isfinite(ips) and ips > 0):
                raise ValueError(f"speed must be a positive number of iterations/s, got {ips}")
        self._speed = ips
        self._command("speed", {"ips": ips})

    def set_sample_index(self, i: int) -> None:
        """Which training sample's activations snapshots carry."""
        i = max(int(i), 0)
        if self._trainer is not None:
            i = min(i, len(self._trainer.x) - 1)
        self._sample_index = i
        if self._session is not None:
            self._command("sample", {"index": i})
        elif self._trainer is not None:
            self._emit_local(keep_gradients=True)

    def _command(self, kind: str, meta: dict) -> None:
        if self._session is not None:
            self._session.session.command(kind, meta)

    # ------------------------------------------------------------ play / pause / step
    @Slot()
    def play(self) -> None:
        """Start training on the training thread (no-op if already playing)."""
        if self._session is not None or self._trainer is None:
            return
        proc = self._ensure_process()
        t = self._trainer
        meta, arrays = state_to_frame(t.get_state())
        meta.update(
            problem_id=self._problem_id,
            config=config_to_dict(t.config),
            speed=self._speed,
            sample_index=self._sample_index,
            grid_spec=None if self._grid_spec is None else vars(self._grid_spec).copy(),
        )
        if proc.sent_problem != self._problem_id:
            arrays.update(data_to_frame(t.x, t.t, t.x_val, t.t_val))
            proc.sent_problem = self._problem_id
        session = Session(proc, (meta, arrays))
        worker = TrainingWorker(session, self._mailbox)
        thread = QThread()
        thread.setObjectName("trainingThread")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(worker.deleteLater, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(self._on_session_finished)
        worker.snapshotPending.connect(self._deliver_timer.start)
        self._session = _Running(session, thread, worker)
        thread.start()
        self.runningChanged.emit(True)

    @Slot()
    def pause(self) -> None:
        """Stop after the running iteration; returns once the trainer holds the final
        state (or after a timeout, having killed an unresponsive worker process)."""
        s = self._session
        if s is not None:
            s.session.request_stop()
            self._end_session(s, PAUSE_TIMEOUT_MS)

    @Slot()
    def toggle(self) -> None:
        """Play if paused, pause if playing."""
        if self._session is None:
            self.play()
        else:
            self.pause()

    @Slot()
    def step(self) -> IterationRecord | None:
        """Exactly one engine iteration (forward, loss, backward, update) on the next
        mini-batch, in this thread; pauses first if playing. Returns the engine's record,
        or None if the iteration diverged (then ``diverged`` is emitted)."""
        self.pause()
        t = self._trainer
        if t is None:
            return None
        try:
            rec = t.step()
        except TrainingDiverged as e:
            self._emit_local(final=True, diverged=str(e))
            self.diverged.emit(str(e))
            return None
        self._emit_local([rec.step], [rec.loss.value], [rec.backward.grad_norms], rec)
        return rec

    # ------------------------------------------------------------ session end
    def _end_session(self, s: _Running, timeout_ms: int) -> bool:
        """Join the training thread and apply how the session ended. True if it ended
        within the timeout."""
        if s.outcome.handled:
            return True
        clean = s.thread.wait(max(int(timeout_ms), 1))
        if not clean:  # the child does not answer: kill it, so the blocking read ends
            s.outcome.broken = True
            s.outcome.error = s.outcome.error or "the training process did not respond"
            if self._process is not None:
                self._process.kill()
            if not s.thread.wait(2000):
                self._stranded.append(s)  # never destroy a running QThread
        s.outcome.handled = True
        self._session = None
        out = s.outcome
        if out.broken and self._process is not None:
            self._process.stop(0.5)
            self._process = None
        state = out.state or (out.checkpoint if out.error else None)
        if state is not None:
            self._trainer.set_state(state)
        self._deliver_timer.stop()
        self._on_snapshot_pending()
        if not out.final_seen:
            self._emit_local(final=True)
        self.runningChanged.emit(False)
        if out.diverged:
            self.diverged.emit(out.diverged)
        if out.error:
            fallback = f"; paused at iteration {self._trainer.step_count}" if out.broken else ""
            self.errorOccurred.emit(out.error + fallback)
        return clean

    @Slot(object)
    def _on_session_finished(self, outcome: SessionOutcome) -> None:
        s = self._session
        if s is not None and s.outcome is outcome and not outcome.handled:
            self._end_session(s, PAUSE_TIMEOUT_MS)

    @Slot()
    def _on_snapshot_pending(self) -> None:
        snap = self._mailbox.take()
        if snap is not None:
            self._last_snapshot = snap
            self.snapshotReady.emit(snap)

    # ------------------------------------------------------------ snapshots made here
    def _emit_local(
        self,
        steps=(),
        losses=(),
        norms=(),
        last: IterationRecord | None = None,
        final: bool = False,
        diverged: str | None = None,
        keep_gradients: bool = False,
    ) -> None:
        """A snapshot of the (paused) trainer, made in this thread."""
        t = self._trainer
        depth = t.network.depth
        snap = make_snapshot(
            t, np.asarray(steps, np.int64), np.asarray(losses, np.float64),
            np.asarray(norms, np.float64).reshape(-1, depth), last, self._sample_index,
            self._grid_spec, final, diverged,
        )  # fmt: skip
        prev = self._last_snapshot
        if (
            keep_gradients
            and last is None
            and prev is not None
            and prev.step == snap.step
            and prev.network.equals(snap.network)
        ):
            snap = replace(snap, gradients=prev.gradients, update=prev.update)
        self._last_snapshot = snap
        self.snapshotReady.emit(snap)

    # ------------------------------------------------------------ the child process
    def _ensure_process(self) -> WorkerProcess:
        if self._process is not None and not self._process.alive():
            self._process.stop(0.1)  # reap it; a new one starts below
            self._process = None
        if self._process is None:
            self._process = WorkerProcess()
        return self._process

    @Slot()
    def _on_about_to_quit(self) -> None:
        self.shutdown()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop training, join the training thread and end the worker process, all within
        ``timeout_ms`` (then the child is killed). Idempotent; True if everything ended
        cleanly in time. The controller stays usable (Play starts a new child)."""
        deadline = time.monotonic() + timeout_ms / 1000
        clean = True
        s = self._session
        if s is not None:
            s.session.request_stop()
            clean = self._end_session(s, max(timeout_ms - 500, 100))
        if self._process is not None:
            clean &= self._process.stop(max(deadline - time.monotonic(), 0.05))
            self._process = None
        for s in list(self._stranded):
            if s.thread.wait(max(int((deadline - time.monotonic()) * 1000), 1)):
                self._stranded.remove(s)
        return clean and not self._stranded
