"""The model of the lab: what the user is working on, apart from any widget.

:class:`LabModel` holds the data choice and its Dataset, the network spec, the training
settings and speed, the run (the exact ``TrainerState`` and the ``TrainingConfig`` it
trains with), the plotted histories (:class:`~gui.model.histories.Histories`), the
step-by-step position, the chosen sample and the selected weight. Every change emits
:attr:`LabModel.changed` with the aspect's name (:data:`ASPECTS`).

Who writes what: the panels' accepted edits and undo/redo and the session file write
the records (``set_data``, ``set_spec``, ``set_settings``...); the window applies a
changed problem to the training controller, which owns the training thread; the run
comes from the controller (:meth:`LabModel.attach_run` - while training plays, the
worker's latest exact checkpoint); the histories grow with every snapshot
(:meth:`LabModel.record`) and the views draw them. The session file
(:mod:`.session_file`), undo (:mod:`.undo`) and autosave read and write this object.

Imports no widget module: QObject and Signal are its only Qt.
"""

from __future__ import annotations

from collections.abc import Callable

from backprop_lab.engine.data import Dataset
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.engine.trainer import TrainerState, TrainingConfig
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QObject, Signal

from .histories import Histories
from .records import DataChoice, NetworkSpec, Problem, TrainingSettings

#: the names :attr:`LabModel.changed` carries
ASPECTS = (
    "problem",  # the data and the spec together (a new problem: undo, a session file)
    "data",  # the data choice and its Dataset
    "spec",  # the network spec (and dtype)
    "settings",  # the training settings
    "speed",  # iterations per second (None: full speed)
    "run",  # the trainer state / config the model was given
    "history",  # the loss curves and gradient norms were cleared or restored
    "record",  # a snapshot's numbers were added to the histories
    "sample",  # the chosen training sample
    "selection",  # the weight the chain-rule inspector shows
    "stepping",  # the step-by-step position
    "view",  # how the views show it (the loss axis' scale)
)

RunSource = Callable[[], tuple[TrainerState | None, TrainingConfig | None]]


def optimizer_of(settings: TrainingSettings) -> Optimizer:
    """The engine optimiser the settings describe (every hyper-parameter of theirs)."""
    s = settings
    return Optimizer(s.optimizer, s.learning_rate, s.momentum, s.beta1, s.beta2, s.eps)


def training_config(settings: TrainingSettings, spec: NetworkSpec) -> TrainingConfig:
    """The engine configuration for ``settings`` and the spec's loss; the spec's seed
    orders the mini-batches."""
    return TrainingConfig(
        loss=spec.loss,
        optimizer=optimizer_of(settings),
        batch_size=settings.batch_size,
        l2=settings.l2,
        l1=settings.l1,
        seed=spec.seed,
    )


class LabModel(QObject):
    """What the user is working on (see the module docstring)."""

    changed = Signal(str)  # one of ASPECTS
    #: the run is about to be replaced (a new problem, a reset, imported weights);
    #: training is paused and the histories still hold it
    runAboutToBeCleared = Signal()
    #: the run was re-initialised or replaced: "reset" or "import <file name>"
    runReplaced = Signal(str)

    def __init__(
        self,
        choice: DataChoice,
        dataset: Dataset,
        spec: NetworkSpec,
        settings: TrainingSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice, self.dataset, self.spec, self.settings = choice, dataset, spec, settings
        self.dtype = "float64"
        self.speed: float | None = None
        self.sample_index = 0
        self.loss_log_scale = False
        self.selected: tuple[int, int, int | None] | None = None
        self.step_position: object | None = None  # the PhaseStepper under way, or None
        self.histories = Histories()
        self._run: tuple[TrainerState | None, TrainingConfig | None] = (None, None)
        self._run_source: RunSource | None = None
        self._settle: Callable[[], None] | None = None
        self.last_edit = ""  # how the last spec edit is described ("layer 2 width 8 -> 16")

    # ------------------------------------------------------------ reading
    @property
    def problem(self) -> Problem:
        """What training starts from: data choice, Dataset, spec and dtype."""
        return Problem(self.choice, self.dataset, self.spec, self.dtype)

    @property
    def run(self) -> TrainerState | None:
        """The newest exact trainer state (None before there is a network)."""
        return self._current_run()[0]

    @property
    def config(self) -> TrainingConfig | None:
        """The configuration the run trains with (None before there is a network)."""
        return self._current_run()[1]

    def _current_run(self) -> tuple[TrainerState | None, TrainingConfig | None]:
        return self._run_source() if self._run_source is not None else self._run

    @property
    def given_run(self) -> tuple[TrainerState | None, TrainingConfig | None]:
        """The (state, config) last given to :meth:`set_run`."""
        return self._run

    def settle(self) -> None:
        """Make the run exact before it is read: pause training (see attach_run)."""
        if self._settle is not None:
            self._settle()

    def training_config(self) -> TrainingConfig:
        """The engine configuration the settings and the spec ask for."""
        return training_config(self.settings, self.spec)

    # ------------------------------------------------------------ writing
    def set_problem(self, problem: Problem, aspect: str = "problem") -> None:
        """New data and spec together; emits ``aspect``: "problem" (undo/redo, a file)
        or "data" (the user chose other data, the spec follows it)."""
        self.choice, self.dataset = problem.choice, problem.dataset
        self.spec, self.dtype = problem.spec, problem.dtype
        self.changed.emit(aspect)

    def set_spec(self, spec: NetworkSpec, dtype: str = "float64", edit: str = "") -> None:
        """A new network spec; ``edit`` describes the change for undo (emits "spec")."""
        self.spec, self.dtype, self.last_edit = spec, dtype, edit
        self.changed.emit("spec")

    def set_settings(self, settings: TrainingSettings) -> None:
        """New training settings (emits "settings" if they differ)."""
        if settings != self.settings:
            self.settings = settings
            self.changed.emit("settings")

    def set_speed(self, iterations_per_second: float | None) -> None:
        """A new speed, None for full speed (emits "speed" if it differs)."""
        if iterations_per_second != self.speed:
            self.speed = iterations_per_second
            self.changed.emit("speed")

    def set_sample_index(self, index: int) -> None:
        """Choose training sample ``index`` (emits "sample" if it differs)."""
        if int(index) != self.sample_index:
            self.sample_index = int(index)
            self.changed.emit("sample")

    def select_weight(self, selected: tuple[int, int, int | None] | None) -> None:
        """The weight (layer from 1, row, column or None for the bias) the inspector
        shows, or None (emits "selection")."""
        self.selected = selected
        self.changed.emit("selection")

    def set_step_position(self, stepper: object | None) -> None:
        """The iteration being stepped phase by phase, or None (emits "stepping")."""
        self.step_position = stepper
        self.changed.emit("stepping")

    def set_loss_log_scale(self, on: bool) -> None:
        """Show the loss axis logarithmic (emits "view" if it differs)."""
        if bool(on) != self.loss_log_scale:
            self.loss_log_scale = bool(on)
            self.changed.emit("view")

    def set_run(self, state: TrainerState | None, config: TrainingConfig | None) -> None:
        """The exact trainer state and its configuration (emits "run"). With a source
        attached (:meth:`attach_run`) the source answers instead."""
        self._run = (state, config)
        self.changed.emit("run")

    def attach_run(
        self, source: RunSource | None, settle: Callable[[], None] | None = None
    ) -> None:
        """Take the run from ``source`` (a callable returning (state, config): the
        training controller's newest exact state) from now on, and pause with
        ``settle`` before it must be exact; None detaches."""
        self._run_source, self._settle = source, settle

    def announce_clear(self) -> None:
        """The run is about to be replaced (emits runAboutToBeCleared)."""
        self.runAboutToBeCleared.emit()

    def announce_replaced(self, how: str) -> None:
        """The run was re-initialised ("reset") or replaced ("import net.json")."""
        self.runReplaced.emit(how)

    def record(self, snap: Snapshot) -> None:
        """Add a snapshot's numbers to the histories (emits "history")."""
        self.histories.record(snap)
        self.changed.emit("record")

    def clear_history(self) -> None:
        """Forget the histories (a new problem, a reset; emits "history")."""
        self.histories.clear()
        self.changed.emit("history")

    def restore_history(self, state: dict) -> list[str]:
        """Continue from saved histories; returns what did not fit (emits "history")."""
        problems = self.histories.restore(state)
        self.changed.emit("history")
        return problems


__all__ = ["ASPECTS", "LabModel", "optimizer_of", "training_config"]
