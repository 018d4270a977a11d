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

Labels are :class:`~gui.model.labels.EditLabel` parts rendered in the window's language
when the command is pushed; after a language change :meth:`UndoRecorder.retranslate`
renders every command's text again (and tells the stack's undo/redo texts' listeners).

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

from . import labels
from .lab import LabModel
from .labels import EditLabel, Phrase, dataset_name, label_text
from .records import DataChoice, Problem, Progress, TrainingSettings
from .session_file import apply_problem, progress_of

UNDO_LIMIT = 100
MAX_PROGRESS_BYTES = 256 * 1024 * 1024


def _batch(size: int | None) -> object:
    return size or Phrase(labels.FULL_BATCH)


def settings_label(old: TrainingSettings, new: TrainingSettings) -> EditLabel:
    """What changed between two training settings, e.g. "learning rate 0.5 -> 1"."""
    parts = []
    if old.learning_rate != new.learning_rate:
        parts.append(Phrase(labels.LEARNING_RATE, old.learning_rate, new.learning_rate))
    if old.optimizer != new.optimizer:
        parts.append(Phrase(labels.OPTIMISER, old.optimizer, new.optimizer))
    if old.batch_size != new.batch_size:
        parts.append(Phrase(labels.BATCH_SIZE, _batch(old.batch_size), _batch(new.batch_size)))
    if old.l2 != new.l2:
        parts.append(Phrase(labels.L2, float(old.l2), float(new.l2)))
    if old.l1 != new.l1:
        parts.append(Phrase(labels.L1, float(old.l1), float(new.l1)))
    return EditLabel(parts) if parts else EditLabel.of(labels.SETTINGS)


def data_label(old: DataChoice, new: DataChoice, name: str) -> EditLabel:
    """What changed between two data choices, e.g. "data circles -> moons"."""
    if new.source == "csv":
        return EditLabel.of(labels.DATA_FILE, name)
    if old.source != new.source:
        return EditLabel.of(labels.DATA_SWITCH, dataset_name(old.source), dataset_name(new.source))
    parts = []
    fields = (("noise", labels.NOISE), ("samples", labels.SAMPLES),
              ("val_split", labels.VAL_SHARE), ("seed", labels.DATA_SEED))  # fmt: skip
    for field, template in fields:
        a, b = getattr(old, field), getattr(new, field)
        if a != b:
            parts.append(Phrase(template, *(float(v) if field != "seed" else v for v in (a, b))))
    return EditLabel(parts) if parts else EditLabel.of(labels.DATA_FILE, dataset_name(new.source))


def replacement_label(how: str) -> EditLabel:
    """The label of a replaced run (``LabModel.announce_replaced``'s ``how``): "reset",
    "import <file name>", or any other text as it is."""
    if how == "reset":
        return EditLabel.of(labels.RESET)
    if how.startswith("import "):
        return EditLabel.of(labels.IMPORT, how.removeprefix("import "))
    return EditLabel.of("%1", how)


class _Labelled:
    """A command whose text is an :class:`EditLabel` rendered in the window's language."""

    label: str

    def retranslate(self) -> None:
        """Render the label again in the window's language."""
        self.setText(label_text(self.label))


class SettingsCommand(_Labelled, QUndoCommand):
    """A change of the training settings; ``apply(settings)`` shows and uses them."""

    def __init__(
        self,
        apply: Callable[[TrainingSettings], None],
        old: TrainingSettings,
        new: TrainingSettings,
    ) -> None:
        self.label = settings_label(old, new)
        super().__init__(label_text(self.label))
        self._apply, self.old, self.new = apply, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class ProblemCommand(_Labelled, QUndoCommand):
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
        self.label = text  # an EditLabel (or a plain text, shown as it is)
        super().__init__(label_text(text))
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

    @Slot()
    def retranslate(self) -> None:
        """Render every command's label in the window's language again, then emit the
        stack's ``undoTextChanged`` / ``redoTextChanged`` so the Undo and Redo actions
        show the new texts (call it on ``gui.i18n.notifier.languageChanged``)."""
        for i in range(self.stack.count()):
            cmd = self.stack.command(i)
            if isinstance(cmd, _Labelled):
                cmd.retranslate()
        self.stack.undoTextChanged.emit(self.stack.undoText())
        self.stack.redoTextChanged.emit(self.stack.redoText())

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

    def _push_problem(self, text: EditLabel, after_progress: Progress | None = None) -> None:
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
            self._push_problem(lab.last_edit or EditLabel.of(labels.NETWORK))
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
                self._push_problem(replacement_label(how))
            return
        self._push_problem(replacement_label(how), progress_of(self.lab, always=True))


__all__ = [
    "ProblemCommand",
    "SettingsCommand",
    "UndoRecorder",
    "data_label",
    "replacement_label",
    "settings_label",
]
