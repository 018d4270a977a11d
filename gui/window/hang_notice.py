"""Telling the user that the training process stopped answering, and offering to stop it.

The controller's ``workerStalled(True)`` (:mod:`gui.training.play_runs`: no heartbeat for
2 s, or stuck in one iteration) puts a message in the status bar and asks - without
blocking, :func:`gui.questions.ask_yes_no` - whether to stop the training process. Yes
calls :meth:`TrainingController.stop_stalled` (training pauses at its last checkpoint; the
next Play starts a fresh process); No keeps waiting. If the process answers again, the
message and the question go away by themselves.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QMainWindow, QMessageBox

from .. import questions


class HangNotice(QObject):
    """The not-responding notice of one window (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._box: QMessageBox | None = None
        self._asking = False
        window.controller.workerStalled.connect(self._on_stalled)

    @property
    def asking(self) -> bool:
        """True while the stop-it question is open."""
        return self._asking

    @Slot(bool)
    def _on_stalled(self, stalled: bool) -> None:
        bar = self.window.statusBar()
        if not stalled:
            if self._box is not None:
                box, self._box = self._box, None
                box.done(QMessageBox.StandardButton.No)  # answered by the process itself
            if bar.currentMessage() == self._message():
                bar.clearMessage()
            return
        bar.showMessage(self._message())
        if not self._asking:
            self._asking = True
            box = questions.ask_yes_no(
                self.window,
                self.tr("Training is not responding"),
                self.tr(
                    "The training process has not answered for a while: it may be stuck. "
                    "Stop it? Training then pauses at its last checkpoint (at most about "
                    "a second earlier); No keeps waiting."
                ),
                self._answered,
            )
            if self._asking:  # (not answered at once)
                self._box = box

    def _message(self) -> str:
        return self.tr("The training process is not responding")

    def _answered(self, yes: bool) -> None:
        self._box, self._asking = None, False
        if yes:  # after this event: an answer given at once must not end the run while
            QTimer.singleShot(0, self._stop)  # workerStalled(True) is still being handed out

    @Slot()
    def _stop(self) -> None:
        if self.window.controller.worker_stalled:
            self.window.controller.stop_stalled()


__all__ = ["HangNotice"]
