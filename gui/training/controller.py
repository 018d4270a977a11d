"""The TrainingController: the one object the window talks to about training.

(Over 400 lines for a reason: it is the window's one facade for training, and what is
left here after play_runs, phase_stepping, background and local_snapshot took their parts
is its public methods with their contracts.)

It owns the training problem (:mod:`.problem`), the authoritative
:class:`engine.trainer.Trainer` (touched only in the GUI thread, only while paused) and the
live settings, and two parts of its own: :class:`.play_runs.PlayRuns` (the training thread
of each play run and the worker process it drives, :mod:`engine.transport.worker_process`,
started by the first Play or by :meth:`TrainingController.warm_up`, then kept; Step and
phase stepping never need it) and :class:`.phase_stepping.PhaseStepping` (one iteration
phase by phase). Snapshots made here come from :mod:`.local_snapshot`.

* **play** sends the trainer's full TrainerState (and the data, once per problem) to the
  child, which runs the engine's own training loop at full speed on its own core and
  streams snapshots back at <= ~30 Hz;
* **pause** asks the child to stop after the running iteration, waits (with a timeout,
  and only while the child answers: see :mod:`.play_runs`) for its final snapshot and
  TrainerState and continues the GUI-side trainer from that
  state - so Step, and later phase stepping, work on the very same model and give the
  same numbers Play would have given;
* **step** runs exactly one engine iteration here, in the GUI thread, when it is cheap
  (the engine's estimate, :mod:`.background`, says below ~30 ms: the default and small
  networks); for a big network the iteration and its snapshot run as a background task
  on a clone of the trainer and the snapshot reaches the same slots when it is done
  (``busyChanged`` brackets it; Pause, :meth:`cancel_background` or any edit cancels it
  and leaves the trainer as it was). Snapshots of a big network made for other reasons
  (a new problem, restored state, a new sample) are made the same way.

Every snapshot reaches the views through ``snapshotReady`` in the GUI thread ("latest
wins": if the GUI falls behind, stale snapshots are dropped and their losses merged into
the next one; :mod:`.play_runs` says how they are handed out).

If the child crashes, ``errorOccurred`` says so (with its stderr) and the controller
falls back, paused, to the child's last checkpoint (about once a second) or
else to the state it had when Play was pressed; the next Play starts a fresh child.
"""

from __future__ import annotations

import math

import numpy as np
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.network import Architecture, Network
from backprop_lab.engine.phases import IterationRecord
from backprop_lab.engine.stepper import Phase, PhaseStepper
from backprop_lab.engine.trainer import Trainer, TrainerState, TrainingConfig, TrainingDiverged
from backprop_lab.engine.transport.snapshot import GridSpec, Snapshot
from backprop_lab.engine.transport.stream import config_to_dict
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from .. import tasks
from . import background
from .local_snapshot import local_snapshot
from .phase_stepping import PhaseStepping
from .play_runs import PlayRuns, start_frame
from .problem import TrainingProblem
from .worker import PlayOutcome


class TrainingController(QObject):
    """Play / Pause / Step / Reset for one training problem (see the module docstring)."""

    snapshotReady = Signal(object)  # engine.transport.snapshot.Snapshot, in the GUI thread
    runningChanged = Signal(bool)
    diverged = Signal(str)  # one line naming step and layer; training is paused
    errorOccurred = Signal(str)
    # True when the training process stops answering while playing (frozen, or stuck in
    # one iteration), False when it answers again or the run has ended: see play_runs
    workerStalled = Signal(bool)
    phaseChanged = Signal(object)  # the PhaseStepper (under way or just finished), or None
    busyChanged = Signal(bool)  # a background Step or snapshot started (True) / ended

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._trainer: Trainer | None = None
        self._problem: TrainingProblem | None = None
        self._problem_id = 0
        self._grid_spec: GridSpec | None = None
        self._sample_index = 0
        self._speed: float | None = None
        self._runs = PlayRuns(self)
        self._runs.snapshotArrived.connect(self._publish)
        self._runs.runEnded.connect(self._play_ended)
        self._runs.stalledChanged.connect(self.workerStalled)
        self._phases = PhaseStepping(self)
        self._last_snapshot: Snapshot | None = None
        self._background: tasks.Task | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_about_to_quit)

    # ------------------------------------------------------------ properties
    @property
    def is_running(self) -> bool:
        """True between play() and the end of the play run."""
        return self._runs.running

    @property
    def busy(self) -> bool:
        """True while a Step or snapshot of a big network runs in the background."""
        return self._background is not None

    def step_seconds(self, sample: int | None = None) -> float:
        """The engine's estimate of one Step (iteration and snapshot) in seconds; 0 without
        a problem. Above ``background.SYNC_LIMIT_S`` a Step runs in the background."""
        if self._trainer is None:
            return 0.0
        return background.step_seconds(self._trainer, sample, self._grid_spec)

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
        """The current problem's data set (None before set_problem)."""
        return None if self._problem is None else self._problem.dataset

    @property
    def has_progress(self) -> bool:
        """True once at least one iteration has been trained since the last (re)initialisation."""
        return self._trainer is not None and self._trainer.step_count > 0

    @property
    def speed(self) -> float | None:
        """Play's limit in iterations per second; None = full speed."""
        return self._speed

    @property
    def sample_index(self) -> int:
        """The training sample whose activations snapshots carry."""
        return self._sample_index

    @property
    def worker_stalled(self) -> bool:
        """True while playing with a training process that does not answer."""
        return self._runs.stalled

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id (None before the first start or after shutdown)."""
        return self._runs.pid

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
        problem = TrainingProblem(dataset, architecture, init, int(seed), dtype)
        trainer = problem.build_trainer(config)
        self._phases.drop()
        self._problem, self._trainer = problem, trainer
        self._problem_id += 1
        self._grid_spec = GridSpec.around(dataset.x) if dataset.input_size == 2 else None
        self._sample_index = min(self._sample_index, len(trainer.x) - 1)
        self._last_snapshot = None
        self._emit_local()

    @Slot()
    def reset(self) -> None:
        """Re-initialise the network from the seed (pauses first)."""
        self.pause()
        if self._problem is None:
            return
        self._phases.drop()
        self._trainer = self._problem.build_trainer(self._trainer.config)
        self._last_snapshot = None
        self._emit_local()

    def set_network(self, net: Network) -> None:
        """Replace the weights (e.g. imported); ValueError if the architecture differs."""
        if self._trainer is None:
            raise ValueError("there is no training problem to put the network into")
        if net.architecture != self._trainer.network.architecture:
            text = self.tr("the network is %1, the current problem needs %2")
            given, needed = net.architecture, self._trainer.network.architecture
            raise ValueError(text.replace("%1", given.describe()).replace("%2", needed.describe()))
        self.pause()
        self._phases.abandon()
        self._trainer.set_network(net)
        self._last_snapshot = None
        self._emit_local()

    def restore_state(self, state: TrainerState) -> None:
        """Continue from a saved TrainerState (a reopened session, an undone edit): pauses
        first; the next iteration gives the numbers the saved trainer's would have. Emits
        a snapshot. ValueError if the state belongs to another architecture."""
        if self._trainer is None:
            raise ValueError("there is no training problem to restore a state into")
        self.pause()
        self._phases.drop()
        self._trainer.set_state(state)
        self._last_snapshot = None
        self._emit_local()

    def latest_state(self) -> TrainerState | None:
        """The newest exact TrainerState there is: the trainer's while paused; while
        playing, the worker process's latest checkpoint (about once a second; None before
        the first). An iteration being stepped phase by phase is not part of it."""
        if self._trainer is None:
            return None
        if self._runs.running:
            return self._runs.checkpoint
        if self.iteration_pending:
            return self._phases.state_before(self._trainer)
        return self._trainer.get_state()

    # ------------------------------------------------------------ live settings
    def set_config(self, config: TrainingConfig) -> None:
        """New learning rate / optimiser / batch size / regularisation from the next
        iteration on (also while playing). A different loss needs set_problem."""
        if self._trainer is None:
            raise ValueError("set a training problem first")
        if config.loss != self._trainer.config.loss:
            raise ValueError("changing the loss changes the problem: use set_problem")
        self.cancel_background()
        self._trainer.set_config(config)
        self._phases.restart_same()
        self._runs.command("config", {"config": config_to_dict(config)})

    def set_speed(self, iterations_per_second: float | None) -> None:
        """Limit Play to this many iterations per second; None = full speed."""
        ips = iterations_per_second
        if ips is not None:
            ips = float(ips)
            if not (math.isfinite(ips) and ips > 0):
                raise ValueError(f"speed must be a positive number of iterations/s, got {ips}")
        self._speed = ips
        self._runs.command("speed", {"ips": ips})

    def set_sample_index(self, i: int) -> None:
        """Which training sample's activations snapshots carry."""
        i = max(int(i), 0)
        if self._trainer is not None:
            i = min(i, len(self._trainer.x) - 1)
        self._sample_index = i
        if self._runs.running:
            self._runs.command("sample", {"index": i})
        elif self._trainer is not None:
            self._emit_local(keep_gradients=True)

    # ------------------------------------------------------------ play / pause / step
    @Slot()
    def play(self) -> None:
        """Start training on the training thread (no-op if already playing)."""
        if self._runs.running or self._trainer is None:
            return
        self.cancel_background()
        if self.iteration_pending and self.finish_iteration() is None:  # phase stepping:
            return  # the iteration under way is applied first; it diverged
        self._phases.drop()
        proc = self._runs.ensure_process()
        settings = (self._problem_id, self._speed, self._sample_index, self._grid_spec)
        self._runs.start(proc, start_frame(proc, self._trainer, *settings))
        self.runningChanged.emit(True)

    @Slot()
    def pause(self) -> None:
        """Stop after the running iteration; returns once the trainer holds the final
        state (or after a timeout, having killed an unresponsive worker process). A
        background Step or snapshot is cancelled (the trainer stays as it was)."""
        self.cancel_background()
        self._runs.stop()

    def request_pause(self) -> bool:
        """The Pause button's way: :meth:`pause` when an iteration is quick; when the
        engine estimates one Step above ``background.SYNC_LIMIT_S`` (a big network, whose
        running iteration may take seconds), ask the run to stop after it and return at
        once - ``runningChanged(False)`` follows when the child has stopped, the GUI
        thread never waits. True if the pause is still under way when this returns."""
        if not self._runs.running:
            return False
        if self.step_seconds() <= background.SYNC_LIMIT_S:
            self.pause()
            return False
        self.cancel_background()
        return self._runs.request_stop()

    @Slot()
    def stop_stalled(self) -> None:
        """End the play run now without waiting for the training process (kill it): for
        one that does not answer (``workerStalled``). Training pauses at the process's
        last checkpoint (about once a second) and ``errorOccurred`` says why; the next
        Play starts a fresh process from there."""
        self._runs.abandon()

    def cancel_background(self) -> None:
        """Cancel the background Step or snapshot, if any: its result is dropped and the
        trainer is as it was before it (emits ``busyChanged(False)``)."""
        task, self._background = self._background, None
        if task is not None:
            task.cancel()
            self.busyChanged.emit(False)

    @Slot()
    def toggle(self) -> None:
        """Play if paused, pause if playing."""
        if not self._runs.running:
            self.play()
        else:
            self.pause()

    @Slot()
    def step(self, sample: int | None = None) -> IterationRecord | None:
        """Exactly one engine iteration (forward, loss, backward, update) on the next
        mini-batch, or on training sample ``sample`` alone, in this thread; pauses first
        if playing. An iteration being stepped phase by phase is finished instead.
        Returns the engine's record, or None if the iteration diverged (then ``diverged``
        is emitted) - or None at once when the network is big enough to need more than
        ``background.SYNC_LIMIT_S``: then the iteration runs as a background task and its
        snapshot reaches ``snapshotReady`` when it is done (:attr:`busy` until then)."""
        self.pause()
        t = self._trainer
        if t is None:
            return None
        if self.iteration_pending:
            return self.finish_iteration()
        self._phases.drop()
        if sample is not None and not 0 <= sample < len(t.x):
            raise ValueError(f"sample must be between 0 and {len(t.x) - 1}, got {sample}")
        if background.step_seconds(t, sample, self._grid_spec) > background.SYNC_LIMIT_S:
            args = (self._sample_index, self._grid_spec, self._last_snapshot)
            clone = background.clone_trainer(t)
            self._start_background(background.run_step, clone, sample, *args, cancellable=True)
            return None
        try:
            rec = background.step_trainer(t, sample)
        except TrainingDiverged as e:
            self._report_divergence(str(e))
            return None
        self._report_iteration(rec)
        return rec

    @Slot(object)
    def _play_ended(self, out: PlayOutcome) -> None:
        """Apply how a play run ended (PlayRuns' ``runEnded``): continue the trainer from the
        child's final state (after a crash: its last checkpoint), publish what is left,
        then runningChanged(False), diverged, errorOccurred - in that order."""
        state = out.state or (out.checkpoint if out.error else None)
        if state is not None:
            self._trainer.set_state(state)
        self._runs.flush()
        if not out.final_seen:  # (a big network's: made in the background)
            self._emit_local(*(out.pending or ()), final=True, diverged=out.diverged)
        self.runningChanged.emit(False)
        if out.diverged:
            self.diverged.emit(out.diverged)
        if out.error:
            paused = self.tr("; paused at iteration %1")
            paused = paused.replace("%1", str(self._trainer.step_count))
            fallback = paused if out.broken else ""
            self.errorOccurred.emit(out.error + fallback)

    # ------------------------------------------------------------ phase stepping
    # One iteration phase by phase: see gui.training.phase_stepping.
    @property
    def phase_stepper(self) -> PhaseStepper | None:
        """The iteration being stepped, or the one its update phase just applied."""
        return self._phases.stepper

    @property
    def phase_sample(self) -> int | None:
        """The training sample the stepped iteration runs on; None for a mini-batch."""
        return self._phases.sample

    @property
    def phase_batch_indices(self) -> np.ndarray | None:
        """The training-set index of each row of the stepped iteration's batch."""
        return self._phases.batch_indices

    @property
    def iteration_pending(self) -> bool:
        """True from the start of a stepped iteration until its update is applied."""
        return self._phases.pending

    def begin_phase_step(self, sample: int | None = None, phases: int = 0) -> PhaseStepper:
        """Forwards to :meth:`PhaseStepping.begin` (the contract is there)."""
        return self._phases.begin(sample, phases)

    def advance_phase(self, sample: int | None = None) -> Phase | None:
        """Forwards to :meth:`PhaseStepping.advance` (the contract is there)."""
        return self._phases.advance(sample)

    def finish_iteration(self) -> IterationRecord | None:
        """Forwards to :meth:`PhaseStepping.finish` (the contract is there)."""
        return self._phases.finish()

    def restart_iteration(self, sample: int | None) -> None:
        """Forwards to :meth:`PhaseStepping.restart` (the contract is there)."""
        self._phases.restart(sample)

    def abandon_iteration(self) -> None:
        """Forwards to :meth:`PhaseStepping.abandon` (the contract is there)."""
        self._phases.abandon()

    # ------------------------------------------------------------ snapshots made here
    def _report_iteration(self, rec: IterationRecord) -> None:
        """An iteration was applied in this thread (Step, or phase stepping's update)."""
        self._emit_local([rec.step], [rec.loss.value], [rec.backward.grad_norms], rec)

    def _report_divergence(self, message: str) -> None:
        """An iteration run in this thread diverged: a final snapshot, then ``diverged``."""
        self._emit_local(final=True, diverged=message)
        self.diverged.emit(message)

    def _emit_local(self, *args, **kwargs) -> None:
        """A snapshot of the (paused) trainer, made in this thread and published; the
        arguments after ``prev`` of :func:`.local_snapshot.local_snapshot`. For a big
        network it is made in the background (on a clone) and published when done."""
        t, i, gs, prev = self._trainer, self._sample_index, self._grid_spec, self._last_snapshot
        if background.snapshot_seconds(t, gs) <= background.SYNC_LIMIT_S:
            self._publish(local_snapshot(t, i, gs, prev, *args, **kwargs))
            return
        names = ("steps", "losses", "norms", "last", "final", "diverged", "keep_gradients")
        kwargs.update(zip(names, args, strict=False))
        clone = background.clone_trainer(t)
        self._start_background(background.run_snapshot, clone, i, gs, prev, kwargs)

    def _start_background(self, fn, *args, **kwargs) -> None:
        """Run ``fn`` as the one background task (cancelling the one before)."""
        was_busy = self._background is not None
        if was_busy:
            self._background.cancel()
        task = tasks.start_task(fn, *args, **kwargs)
        task.returned.connect(self._on_background_returned)
        task.errored.connect(self._on_background_errored)
        self._background = task
        if not was_busy:
            self.busyChanged.emit(True)

    @Slot(object)
    def _on_background_returned(self, value: object) -> None:
        """A background task ended (not cancelled): adopt its trainer, publish."""
        self._background = None
        self.busyChanged.emit(False)
        if isinstance(value, background.StepDone):
            self._trainer = value.trainer
            self._publish(value.snapshot)
            if value.diverged is not None:
                self.diverged.emit(value.diverged)
        elif value is not None:
            self._publish(value)

    @Slot(object)
    def _on_background_errored(self, error: BaseException) -> None:
        self._background = None
        self.busyChanged.emit(False)
        self.errorOccurred.emit(f"{type(error).__name__}: {error}")

    @Slot(object)
    def _publish(self, snap: Snapshot) -> None:
        self._last_snapshot = snap
        self.snapshotReady.emit(snap)

    # ------------------------------------------------------------ the child process
    def warm_up(self) -> None:
        """Start the worker process now, if it is not running, so that the first Play does
        not wait for it to import NumPy (gui.app calls this once the window is up).
        Without it the first Play starts the process: a controller nobody plays - most
        windows in the tests - never starts one. Idempotent."""
        self._runs.ensure_process()

    @Slot()
    def _on_about_to_quit(self) -> None:
        self.shutdown()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop training, join the training thread and end the worker process, all within
        ``timeout_ms`` (then the child is killed). Idempotent; True if everything ended
        cleanly in time. The controller stays usable (Play starts a new child)."""
        self.cancel_background()
        return self._runs.shutdown(timeout_ms)
