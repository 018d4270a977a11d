"""Edit > Undo / Redo, one part of the main window (``window.undo``): the actions and
their texts ("Undo: learning rate 0.5 -> 1"); the recording is
:class:`gui.model.undo.UndoRecorder`'s."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from .. import i18n
from ..actions import make_action
from ..model.undo import UndoRecorder
from .shortcuts_dialog import set_command_name


class UndoActions(QObject):
    """Undo and redo for one window; :attr:`stack` is the QUndoStack. The other parts
    follow it through :attr:`historyChanged` (which falls silent once this part goes,
    unlike the stack, which still signals while it is deleted)."""

    historyChanged = Signal()  # the stack's index or its clean state changed

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.recorder = UndoRecorder(window.lab, self)
        self.stack = self.recorder.stack
        K = QKeySequence.StandardKey
        self.action_undo = make_action(window, "", "actionUndo", self.stack.undo, [K.Undo])
        self.action_redo = make_action(
            window, "", "actionRedo", self.stack.redo, [K.Redo, "Ctrl+Shift+Z"]
        )
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)
        self.action_undo.setEnabled(False)
        self.action_redo.setEnabled(False)
        window.menus.add("edit", "undo", self.action_undo, self.action_redo)
        self.stack.canUndoChanged.connect(self.action_undo.setEnabled)
        self.stack.canRedoChanged.connect(self.action_redo.setEnabled)
        self.stack.undoTextChanged.connect(self._on_undo_text)
        self.stack.redoTextChanged.connect(self._on_redo_text)
        self.stack.indexChanged.connect(self._on_history_changed)
        self.stack.cleanChanged.connect(self._on_history_changed)

    @Slot()
    def retranslate(self) -> None:
        """Undo's and Redo's texts and command names in the current language (the
        command's own label is the model's, gui.model.undo)."""
        # the texts follow the stack ("Undo: ..."); the shortcuts list names the commands
        set_command_name(self.action_undo, self.tr("Undo"))
        set_command_name(self.action_redo, self.tr("Redo"))
        self.recorder.retranslate()  # the commands' own labels, rendered again
        self._on_undo_text(self.stack.undoText())
        self._on_redo_text(self.stack.redoText())

    @property
    def applying(self) -> bool:
        """True while an undo or redo is changing the window."""
        return self.recorder.applying

    @Slot()
    def _on_history_changed(self) -> None:
        self.historyChanged.emit()

    @Slot(str)
    def _on_undo_text(self, text: str) -> None:
        self.action_undo.setText(self.tr("Undo: {0}").format(text) if text else self.tr("Undo"))

    @Slot(str)
    def _on_redo_text(self, text: str) -> None:
        self.action_redo.setText(self.tr("Redo: {0}").format(text) if text else self.tr("Redo"))


__all__ = ["UndoActions"]
