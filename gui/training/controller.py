"""The TrainingController: the one object the window talks to about training.

It owns the authoritative :class:`engine.trainer.Trainer` (touched only in the GUI thread,
only while paused) and, while playing, a training thread (:mod:`gui.training.worker`)
that drives a worker process (:mod:`engine.transport.worker_process`). The process is
started by the first Play (or earlier by :meth:`TrainingController.warm_up`) and then kept
for the next play runs; Step and phase stepping never need it:

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
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.network import Architecture, Network, init_network
from backprop_lab.engine.phases import IterationRecord
from backprop_lab.engine.stepper import Phase, PhaseStepper
from backprop_lab.engine.trainer import Trainer, TrainerState, TrainingConfig, TrainingDiverged
from backprop_lab.engine.transport.snapshot import GridSpec, Snapshot, make_snapshot
from backprop_lab.engine.transport.stream import config_to_dict, data_to_frame, state_to_frame
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from .mailbox import SnapshotMailbox
from .process import WorkerProcess
from .worker import PlayLink, PlayOutcome, TrainingWorker

PAUSE_TIMEOUT_MS = 5000  # an iteration plus a final snapshot of the largest networks


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


@dataclass(frozen=True)
class _Problem:
    dataset: Dataset
    architecture: Architecture
    init: str
    seed: int
    dtype: str


@dataclass(frozen=True)
class _PhaseIteration:
    """Phase stepping (issue 4): the iteration being stepped, the sample it runs on (None:
    a mini-batch), the trainer's state before it began and the training-set index of
    each row of its batch (None if unknown)."""

    stepper: PhaseStepper
    sample: int | None
    saved: TrainerState
    rows: np.ndarray | None


class TrainingController(QObject):
    """Play / Pause / Step / Reset for one training problem (see the module docstring)."""

    snapshotReady = Signal(object)  # engine.transport.snapshot.Snapshot, in the GUI thread
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
        self._play: _Running | None = None
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
        """True between play() and the end of the play run."""
        return self._play is not None

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
        self._phase_drop()  # phase stepping (issue 4)
        self._problem, self._trainer = problem, trainer
        self._problem_id += 1
        self._grid_spec = GridSpec.around(dataset.x) if dataset.input_size == 2 else None
        self._sample_index = min(self._sample_index, len(trainer.x) - 1)
        self._last_snapshot = None
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
        self._phase_drop()  # phase stepping (issue 4)
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
        self._phase_abandon()  # phase stepping (issue 4)
        self._trainer.set_network(net)
        self._last_snapshot = None
        self._emit_local()

    # ------------------------------------------------------------ session files (issue 5)
    def restore_state(self, state: TrainerState) -> None:
        """Continue from a saved TrainerState (a reopened session, an undone edit): pauses
        first; the next iteration gives the numbers the saved trainer's would have. Emits
        a snapshot. ValueError if the state belongs to another architecture."""
        if self._trainer is None:
            raise ValueError("there is no training problem to restore a state into")
        self.pause()
        self._phase_drop()
        self._trainer.set_state(state)
        self._last_snapshot = None
        self._emit_local()

    def latest_state(self) -> TrainerState | None:
        """The newest exact TrainerState there is: the trainer's while paused; while
        playing, the worker process's latest checkpoint (about once a second; None before
        the first). An iteration being stepped phase by phase is not part of it."""
        if self._trainer is None:
            return None
        if self._play is not None:
            return self._play.outcome.checkpoint
        if self.iteration_pending:
            return replace(
                self._phase.saved,
                network=self._trainer.network,
                optimizer_state=self._trainer.state,
            )
        return self._trainer.get_state()

    # ------------------------------------------------------------ live settings
    def set_config(self, config: TrainingConfig) -> None:
        """New learning rate / optimiser / batch size / regularisation from the next
        iteration on (also while playing). A different loss needs set_problem."""
        if self._trainer is None:
            raise ValueError("set a training problem first")
        if config.loss != self._trainer.config.loss:
            raise ValueError("changing the loss changes the problem: use set_problem")
        self._trainer.set_config(config)
        self._phase_restart()  # phase stepping (issue 4)
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
        if self._play is not None:
            self._command("sample", {"index": i})
        elif self._trainer is not None:
            self._emit_local(keep_gradients=True)

    def _command(self, kind: str, meta: dict) -> None:
        if self._play is not None:
            self._play.link.command(kind, meta)

    # ------------------------------------------------------------ play / pause / step
    @Slot()
    def play(self) -> None:
        """Start training on the training thread (no-op if already playing)."""
        if self._play is not None or self._trainer is None:
            return
        if self.iteration_pending and self.finish_iteration() is None:  # phase stepping
            return  # (issue 4): the iteration under way is applied first; it diverged
        self._phase_drop()
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
        link = PlayLink(proc, (meta, arrays))
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
        self.runningChanged.emit(True)

    @Slot()
    def pause(self) -> None:
        """Stop after the running iteration; returns once the trainer holds the final
        state (or after a timeout, having killed an unresponsive worker process)."""
        s = self._play
        if s is not None:
            s.link.request_stop()
            self._end_play(s, PAUSE_TIMEOUT_MS)

    @Slot()
    def toggle(self) -> None:
        """Play if paused, pause if playing."""
        if self._play is None:
            self.play()
        else:
            self.pause()

    @Slot()
    def step(self, sample: int | None = None) -> IterationRecord | None:
        """Exactly one engine iteration (forward, loss, backward, update) on the next
        mini-batch, or on training sample ``sample`` alone, in this thread; pauses first
        if playing. An iteration being stepped phase by phase is finished instead.
        Returns the engine's record, or None if the iteration diverged (then ``diverged``
        is emitted)."""
        self.pause()
        t = self._trainer
        if t is None:
            return None
        if self.iteration_pending:  # phase stepping (issue 4)
            return self.finish_iteration()
        self._phase_drop()
        try:
            if sample is None:
                rec = t.step()
            else:
                if not 0 <= sample < len(t.x):
                    raise ValueError(f"sample must be between 0 and {len(t.x) - 1}, got {sample}")
                rec = t.step_on(t.x[sample : sample + 1], t.t[sample : sample + 1])
        except TrainingDiverged as e:
            self._emit_local(final=True, diverged=str(e))
            self.diverged.emit(str(e))
            return None
        self._emit_local([rec.step], [rec.loss.value], [rec.backward.grad_norms], rec)
        return rec

    # ============================================================ phase stepping (issue 4)
    # One iteration phase by phase (engine.stepper.PhaseStepper), in this thread and only
    # while paused. An iteration is applied by its update phase and not before: until
    # then Play and Step finish it first, new settings (set_config) restart it at the same
    # phase on the same batch, imported weights abandon it (the trainer goes back to
    # where it stood, so the same mini-batch is drawn next), a new problem or a reset
    # drops it. After the update the finished stepper stays readable (phase_stepper) until
    # the next iteration, Play or Step.
    phaseChanged = Signal(object)  # the PhaseStepper (under way or just finished), or None
    _phase: _PhaseIteration | None = None

    @property
    def phase_stepper(self) -> PhaseStepper | None:
        """The iteration being stepped, or the one its update phase just applied."""
        return None if self._phase is None else self._phase.stepper

    @property
    def phase_sample(self) -> int | None:
        """The training sample the stepped iteration runs on; None for a mini-batch."""
        return None if self._phase is None else self._phase.sample

    @property
    def phase_batch_indices(self) -> np.ndarray | None:
        """The training-set index of each row of the stepped iteration's batch."""
        return None if self._phase is None else self._phase.rows

    @property
    def iteration_pending(self) -> bool:
        """True from the start of a stepped iteration until its update is applied."""
        return self._phase is not None and not self._phase.stepper.done

    def begin_phase_step(self, sample: int | None = None, phases: int = 0) -> PhaseStepper:
        """Begin the next iteration, on training sample ``sample`` alone or (None) on the
        next mini-batch, and run its first ``phases`` phases (never the update). An
        iteration under way is abandoned first. Pauses first; emits ``phaseChanged``."""
        self.pause()
        if self._trainer is None:
            raise ValueError("set a training problem first")
        stepper = self._phase_start(sample)
        for _ in range(min(max(int(phases), 0), len(stepper.phases) - 1)):
            stepper.advance()
        self.phaseChanged.emit(stepper)
        return stepper

    def advance_phase(self, sample: int | None = None) -> Phase | None:
        """Run the next phase of the iteration under way - or begin the next iteration
        (on ``sample`` alone, or on the next mini-batch if None) and run its first phase.
        The update phase applies the iteration exactly as :meth:`step` does (a snapshot
        follows). Returns the phase run; None without a problem or if it diverged."""
        self.pause()
        if self._trainer is None:
            return None
        if not self.iteration_pending:
            self._phase_start(sample)
        s = self._phase.stepper
        phase = s.advance()
        if s.done and self._phase_commit() is None:
            return None
        self.phaseChanged.emit(s)
        return phase

    def finish_iteration(self) -> IterationRecord | None:
        """Run the remaining phases of the iteration under way and apply it. Returns its
        record; None if no iteration is under way or it diverged."""
        self.pause()
        if not self.iteration_pending:
            return None
        s = self._phase.stepper
        s.finish()
        rec = self._phase_commit()
        if rec is not None:
            self.phaseChanged.emit(s)
        return rec

    def restart_iteration(self, sample: int | None) -> None:
        """Run the iteration under way again, now on ``sample`` (None: a mini-batch), up
        to the same phase; no-op when none is under way."""
        if self.iteration_pending:
            self.begin_phase_step(sample, self._phase.stepper.position)

    def abandon_iteration(self) -> None:
        """Drop the iteration under way unapplied: the trainer goes back to where it stood
        before it began (keeping its current network and optimiser state)."""
        self._phase_abandon()

    def _phase_start(self, sample: int | None) -> PhaseStepper:
        self._phase_abandon(emit=False)
        t = self._trainer
        saved = t.get_state()
        stepper = t.begin_iteration(sample)
        self._phase = _PhaseIteration(stepper, sample, saved, self._batch_rows(stepper, sample))
        return stepper

    def _batch_rows(self, stepper: PhaseStepper, sample: int | None) -> np.ndarray | None:
        """The training-set index of each row of ``stepper``'s batch, from the trainer's
        batch order (checked against the batch itself); None if it cannot be told."""
        t = self._trainer
        if sample is not None:
            return np.array([sample])
        if stepper.x is t.x:
            return np.arange(len(t.x))
        st, b = t.get_state(), len(stepper.x)
        if st.order is None or st.cursor < b:
            return None
        rows = np.asarray(st.order[st.cursor - b : st.cursor])
        return rows if np.array_equal(t.x[rows], stepper.x) else None

    def _phase_commit(self) -> IterationRecord | None:
        rec = self._phase.stepper.record
        try:
            self._trainer.commit(rec)
        except TrainingDiverged as e:  # as step(): the trainer keeps the last finite weights
            self._phase_drop()
            self._emit_local(final=True, diverged=str(e))
            self.diverged.emit(str(e))
            return None
        self._emit_local([rec.step], [rec.loss.value], [rec.backward.grad_norms], rec)
        return rec

    def _phase_restart(self) -> None:
        if self.iteration_pending:
            self.begin_phase_step(self._phase.sample, self._phase.stepper.position)

    def _phase_drop(self) -> None:
        if self._phase is not None:
            self._phase = None
            self.phaseChanged.emit(None)

    def _phase_abandon(self, emit: bool = True) -> None:
        p, t = self._phase, self._trainer
        if p is None:
            return
        if not p.stepper.done and t is not None:
            t.set_state(replace(p.saved, network=t.network, optimizer_state=t.state))
        self._phase = None
        if emit:
            self.phaseChanged.emit(None)

    # ============================================================ end of phase stepping

    # ------------------------------------------------------------ end of a play run
    def _end_play(self, s: _Running, timeout_ms: int) -> bool:
        """Join the training thread and apply how the play run ended. True if it ended
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
        self._play = None
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
    def _on_play_finished(self, outcome: PlayOutcome) -> None:
        s = self._play
        if s is not None and s.outcome is outcome and not outcome.handled:
            self._end_play(s, PAUSE_TIMEOUT_MS)

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
    def warm_up(self) -> None:
        """Start the worker process now, if it is not running, so that the first Play does
        not wait for it to import NumPy (gui.app calls this once the window is up).
        Without it the first Play starts the process: a controller nobody plays - most
        windows in the tests - never starts one. Idempotent."""
        self._ensure_process()

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
