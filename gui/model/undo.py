"""Undo/redo for every edit of the network, the data and the training settings.

The panels apply an edit as soon as the user makes it, without asking (an edit that
re-initialises the network keeps the trained run in its command, so Undo brings it
back); the edit changes the model (:class:`~gui.model.lab.LabModel`), which
re-initialises the network. :class:`UndoRecorder` listens to the model and turns each edit
into a command
on a ``QUndoStack``, labelled as the builder describes it ("layer 2 width 8 -> 16",
"learning rate 0.5 -> 1", "data circles -> moons", "reset", "import net.json"). A
command's first ``redo`` (QUndoStack.push calls it) does nothing: the edit is already
applied.

Edits that re-initialise the network (architecture, data, reset, imported weights) keep
the training progress they replaced - the exact trainer state and the plotted histories,
captured when the model announces ``runAboutToBeCleared`` (paused, histories not yet
cleared) - so undoing one brings the trained network back, not just its architecture.
Redo and undo each keep the progress they leave, so training between them is not lost
either. Progress is memory: beyond :data:`MAX_PROGRESS_BYTES` the oldest commands forget
theirs (undoing those re-initialises from the seed, which is exact for untrained work).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from .lab import LabModel
from .records import DataChoice, Problem, Progress, TrainingSettings
from .session_file import apply_problem, progress_of

UNDO_LIMIT = 100
MAX_PROGRESS_BYTES = 256 * 1024 * 1024


def _number(v: float) -> str:
    return f"{v:g}"


def settings_label(old: TrainingSettings, new: TrainingSettings) -> str:
    """What changed between two training settings, e.g. "learning rate 0.5 -> 1"."""
    parts = []
    if old.learning_rate != new.learning_rate:
        parts.append(f"learning rate {_number(old.learning_rate)} -> {_number(new.learning_rate)}")
    if old.optimizer != new.optimizer:
        parts.append(f"optimiser {old.optimizer} -> {new.optimizer}")
    if old.batch_size != new.batch_size:
        parts.append(f"batch size {old.batch_size or 'full'} -> {new.batch_size or 'full'}")
    if old.l2 != new.l2:
        parts.append(f"L2 {_number(old.l2)} -> {_number(new.l2)}")
    if old.l1 != new.l1:
        parts.append(f"L1 {_number(old.l1)} -> {_number(new.l1)}")
    return ", ".join(parts) or "training settings"


def data_label(old: DataChoice, new: DataChoice, name: str) -> str:
    """What changed between two data choices, e.g. "data circles -> moons"."""
    if new.source == "csv":
        return f"data {name}"
    if old.source != new.source:
        return f"data {old.source} -> {new.source}"
    parts = []
    for field, label in (("noise", "noise"), ("samples", "samples"),
                         ("val_split", "validation share"), ("seed", "data seed")):  # fmt: skip
        a, b = getattr(old, field), getattr(new, field)
        if a != b:
            parts.append(f"{label} {_number(a)} -> {_number(b)}")
    return ", ".join(parts) or f"data {new.source}"


class SettingsCommand(QUndoCommand):
    """A change of the training settings; ``apply(settings)`` shows and uses them."""

    def __init__(
        self,
        apply: Callable[[TrainingSettings], None],
        old: TrainingSettings,
        new: TrainingSettings,
    ) -> None:
        super().__init__(settings_label(old, new))
        self._apply, self.old, self.new = apply, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class ProblemCommand(QUndoCommand):
    """An edit that re-initialised the network (see the module docstring)."""

    def __init__(
        self,
        recorder: UndoRecorder,
        text: str,
        before: Problem,
        before_progress: Progress | None,
        after: Problem,
        after_progress: Progress | None = None,
    ) -> None:
        super().__init__(text)
        self._recorder = recorder
        self.before, self.before_progress = before, before_progress
        self.after, self.after_progress = after, after_progress
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.before_progress = self._recorder.switch(self.after, self.after_progress)

    def undo(self) -> None:
        self.after_progress = self._recorder.switch(self.before, self.before_progress)

    def nbytes(self) -> int:
        return sum(p.nbytes() for p in (self.before_progress, self.after_progress) if p)

    def forget_progress(self) -> None:
        """Drop the kept trainer states (memory); undo then re-initialises."""
        self.before_progress = self.after_progress = None


class UndoRecorder(QObject):
    """Records the model's edits on :attr:`stack` (see the module docstring)."""

    def __init__(self, lab: LabModel, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else lab)
        self.lab = lab
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LIMIT)
        self._applying = False
        self._pending: Progress | None = None  # progress captured before the run is cleared
        self._problem = lab.problem
        self._settings = lab.settings
        lab.runAboutToBeCleared.connect(self._on_about_to_clear)
        lab.changed.connect(self._on_changed)
        lab.runReplaced.connect(self._on_replaced)

    # ------------------------------------------------------------ state
    @property
    def applying(self) -> bool:
        """True while an undo or redo is changing the model."""
        return self._applying

    def resync(self) -> None:
        """Forget the history and take the model as it is (New, Open)."""
        self.stack.clear()
        self._pending = None
        self._problem = self.lab.problem
        self._settings = self.lab.settings

    # ------------------------------------------------------------ applying commands
    def switch(self, problem: Problem, progress: Progress | None) -> Progress | None:
        """Make ``problem`` the model's (continuing from ``progress``); returns the
        progress it replaced (None if nothing had been trained)."""
        self._applying = True
        try:
            left = progress_of(self.lab, always=True)
            apply_problem(self.lab, problem, progress)
            self._problem = self.lab.problem
        finally:
            self._applying = False
        return left

    def _apply_settings(self, settings: TrainingSettings) -> None:
        self._applying = True
        try:
            self.lab.set_settings(settings)
            self._settings = settings
        finally:
            self._applying = False

    def _push_problem(self, text: str, after_progress: Progress | None = None) -> None:
        before, progress = self._problem, self._pending
        self._pending = None
        self._problem = self.lab.problem
        self.stack.push(ProblemCommand(self, text, before, progress, self._problem, after_progress))
        self._limit_memory()

    def _limit_memory(self) -> None:
        total = 0
        for i in range(self.stack.count() - 1, -1, -1):
            cmd = self.stack.command(i)
            if isinstance(cmd, ProblemCommand):
                total += cmd.nbytes()
                if total > MAX_PROGRESS_BYTES:
                    cmd.forget_progress()

    # ------------------------------------------------------------ the model's edits
    @Slot()
    def _on_about_to_clear(self) -> None:
        if not self._applying and self._pending is None:
            self._pending = progress_of(self.lab)

    @Slot(str)
    def _on_changed(self, aspect: str) -> None:
        if self._applying:
            return
        lab = self.lab
        if aspect == "spec":
            if lab.spec == self._problem.spec:  # nothing changed
                self._pending = None
                return
            self._push_problem(lab.last_edit or "network")
        elif aspect == "data":
            if lab.dataset is self._problem.dataset:
                self._pending = None
                return
            self._push_problem(data_label(self._problem.choice, lab.choice, lab.dataset.name))
        elif aspect == "settings":
            new = lab.settings
            if new != self._settings:
                old, self._settings = self._settings, new
                self.stack.push(SettingsCommand(self._apply_settings, old, new))

    @Slot(str)
    def _on_replaced(self, how: str) -> None:
        if self._applying:
            return
        if how == "reset":
            if self._pending is not None:  # else nothing was trained: a reset changed nothing
                self._push_problem("reset")
            return
        self._push_problem(how, progress_of(self.lab, always=True))


__all__ = ["ProblemCommand", "SettingsCommand", "UndoRecorder", "data_label", "settings_label"]
