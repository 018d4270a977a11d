"""One iteration phase by phase (step-by-step mode), owned by the TrainingController.

:class:`PhaseStepping` drives an :class:`engine.stepper.PhaseStepper` in the GUI thread and
only while paused. An iteration is applied by its update phase and not before: until then
Play and Step finish it first, new settings restart it at the same phase on the same batch,
imported weights abandon it (the trainer goes back to where it stood, so the same
mini-batch is drawn next), a new problem or a reset drops it. After the update the finished
stepper stays readable (:attr:`PhaseStepping.stepper`) until the next iteration, Play or
Step.

It reaches the controller only through :class:`SteppingHost`: the trainer, ``pause``, the
``phaseChanged`` signal and the two reports an applied iteration makes (the same ones a
Step makes), so signals are emitted by the controller, in the order Step emits them. It
holds the controller weakly: the controller owns it, and a cycle would leave both to
Python's cyclic GC, which may run in another thread (see tests/gui/conftest.py).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from backprop_lab.engine.phases import IterationRecord
from backprop_lab.engine.stepper import Phase, PhaseStepper
from backprop_lab.engine.trainer import Trainer, TrainerState, TrainingDiverged
from PySide6.QtCore import SignalInstance


class SteppingHost(Protocol):
    """What phase stepping needs of the TrainingController."""

    phaseChanged: SignalInstance  # the PhaseStepper (under way or just finished), or None

    @property
    def trainer(self) -> Trainer | None: ...

    def pause(self) -> None: ...

    def _report_iteration(self, rec: IterationRecord) -> None: ...

    def _report_divergence(self, message: str) -> None: ...


@dataclass(frozen=True)
class _PhaseIteration:
    """The iteration being stepped, the sample it runs on (None: a mini-batch), the
    trainer's state before it began and the training-set index of each row of its batch
    (None if unknown)."""

    stepper: PhaseStepper
    sample: int | None
    saved: TrainerState
    rows: np.ndarray | None


class PhaseStepping:
    """The iteration stepped phase by phase, if any (see the module docstring); the
    controller's phase-stepping methods forward to this."""

    def __init__(self, host: SteppingHost) -> None:
        self._host = weakref.proxy(host)
        self._phase: _PhaseIteration | None = None

    # ------------------------------------------------------------ what is being stepped
    @property
    def stepper(self) -> PhaseStepper | None:
        """The iteration being stepped, or the one its update phase just applied."""
        return None if self._phase is None else self._phase.stepper

    @property
    def sample(self) -> int | None:
        """The training sample the stepped iteration runs on; None for a mini-batch."""
        return None if self._phase is None else self._phase.sample

    @property
    def batch_indices(self) -> np.ndarray | None:
        """The training-set index of each row of the stepped iteration's batch."""
        return None if self._phase is None else self._phase.rows

    @property
    def pending(self) -> bool:
        """True from the start of a stepped iteration until its update is applied."""
        return self._phase is not None and not self._phase.stepper.done

    def state_before(self, t: Trainer) -> TrainerState:
        """``t``'s exact state as if the iteration under way had not begun (its current
        network and optimiser state, the counters and batch order from before it).
        Only while :attr:`pending`."""
        return replace(self._phase.saved, network=t.network, optimizer_state=t.state)

    # ------------------------------------------------------------ stepping
    def begin(self, sample: int | None = None, phases: int = 0) -> PhaseStepper:
        """Begin the next iteration, on training sample ``sample`` alone or (None) on the
        next mini-batch, and run its first ``phases`` phases (never the update). An
        iteration under way is abandoned first. Pauses first; emits ``phaseChanged``."""
        self._host.pause()
        if self._host.trainer is None:
            raise ValueError("set a training problem first")
        stepper = self._start(sample)
        for _ in range(min(max(int(phases), 0), len(stepper.phases) - 1)):
            stepper.advance()
        self._host.phaseChanged.emit(stepper)
        return stepper

    def advance(self, sample: int | None = None) -> Phase | None:
        """Run the next phase of the iteration under way - or begin the next iteration
        (on ``sample`` alone, or on the next mini-batch if None) and run its first phase.
        The update phase applies the iteration exactly as the controller's ``step`` does
        (a snapshot follows). Returns the phase run; None without a problem or if it diverged."""
        self._host.pause()
        if self._host.trainer is None:
            return None
        if not self.pending:
            self._start(sample)
        s = self._phase.stepper
        phase = s.advance()
        if s.done and self._commit() is None:
            return None
        self._host.phaseChanged.emit(s)
        return phase

    def finish(self) -> IterationRecord | None:
        """Run the remaining phases of the iteration under way and apply it. Returns its
        record; None if no iteration is under way or it diverged."""
        self._host.pause()
        if not self.pending:
            return None
        s = self._phase.stepper
        s.finish()
        rec = self._commit()
        if rec is not None:
            self._host.phaseChanged.emit(s)
        return rec

    def restart(self, sample: int | None) -> None:
        """Run the iteration under way again, now on ``sample`` (None: a mini-batch), up
        to the same phase; no-op when none is under way."""
        if self.pending:
            self.begin(sample, self._phase.stepper.position)

    def restart_same(self) -> None:
        """Run the iteration under way again on the same sample or mini-batch, up to the
        same phase (new settings); no-op when none is under way."""
        if self.pending:
            self.begin(self._phase.sample, self._phase.stepper.position)

    def drop(self) -> None:
        """Forget the stepped iteration (the trainer is left as it is); emits
        ``phaseChanged(None)`` if there was one."""
        if self._phase is not None:
            self._phase = None
            self._host.phaseChanged.emit(None)

    def abandon(self, emit: bool = True) -> None:
        """Drop the iteration under way unapplied: the trainer goes back to where it stood
        before it began (keeping its current network and optimiser state). Emits
        ``phaseChanged(None)`` if ``emit`` and there was an iteration (under way or done)."""
        p, t = self._phase, self._host.trainer
        if p is None:
            return
        if not p.stepper.done and t is not None:
            t.set_state(self.state_before(t))
        self._phase = None
        if emit:
            self._host.phaseChanged.emit(None)

    def _start(self, sample: int | None) -> PhaseStepper:
        self.abandon(emit=False)
        t = self._host.trainer
        saved = t.get_state()
        stepper = t.begin_iteration(sample)
        self._phase = _PhaseIteration(stepper, sample, saved, _batch_rows(t, stepper, sample))
        return stepper

    def _commit(self) -> IterationRecord | None:
        rec = self._phase.stepper.record
        try:
            self._host.trainer.commit(rec)
        except TrainingDiverged as e:  # as step(): the trainer keeps the last finite weights
            self.drop()
            self._host._report_divergence(str(e))
            return None
        self._host._report_iteration(rec)
        return rec


def _batch_rows(t: Trainer, stepper: PhaseStepper, sample: int | None) -> np.ndarray | None:
    """The training-set index of each row of ``stepper``'s batch, from ``t``'s batch order
    (checked against the batch itself); None if it cannot be told."""
    if sample is not None:
        return np.array([sample])
    if stepper.x is t.x:
        return np.arange(len(t.x))
    st, b = t.get_state(), len(stepper.x)
    if st.order is None or st.cursor < b:
        return None
    rows = np.asarray(st.order[st.cursor - b : st.cursor])
    return rows if np.array_equal(t.x[rows], stepper.x) else None
