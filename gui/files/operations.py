"""File operations of one window (``window.file_operations``): opening and saving a
session, exporting and importing weights, exporting a plot - one at a time.

Each operation is a :class:`FileOperation` in three parts. The caller does the *begin*
part itself, in the GUI thread (the unsaved-work question, pausing training, taking
immutable inputs such as ``session_of(lab)`` or a rendered plot) and hands over the
rest: ``work()`` touches no widget and reads only those inputs; ``end(value)`` (GUI
thread) applies the outcome and returns the operation's result (True for success);
``failed(error)`` (GUI thread) tells the user about an expected error (one of
``errors``; anything else is raised).

:meth:`FileOperations.run` is for scripts (``MainWindow.save_session`` and its
siblings): it calls ``work`` in the caller's thread - no event loop - and returns the
real result. :meth:`FileOperations.start` is for the menu items: ``work`` runs as a
background task behind a window-modal busy dialog (:func:`gui.tasks.start_with_progress`)
and ``end`` / ``failed`` run when it is over, followed by ``then(result)`` if given.
While an operation started that way runs, :attr:`FileOperations.busy` is True,
:attr:`FileOperations.busyChanged` has told the parts to disable their file actions, and
further operations (scripted or not) are refused with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal, Slot
from PySide6.QtWidgets import QMainWindow

from ..tasks import Task, start_with_progress

#: the busy message (English; shown translated, context "FileOperations")
BUSY_TITLE = QT_TRANSLATE_NOOP("FileOperations", "Please wait")
BUSY_TEXT = QT_TRANSLATE_NOOP("FileOperations", "Another file operation is still under way.")


@dataclass(frozen=True)
class FileOperation:
    """The work and the end of one file operation (see the module docstring)."""

    label: str  # what the busy dialog says, e.g. "Saving run.bplab..."
    work: Callable[[], Any]  # any thread: touches no widget
    end: Callable[[Any], bool]  # GUI thread: apply work's value; the result
    failed: Callable[[BaseException], None]  # GUI thread: report an expected error
    errors: tuple[type[BaseException], ...]  # the errors failed() reports


class FileOperations(QObject):
    """The one file operation a window runs at a time (see the module docstring)."""

    busyChanged = Signal(bool)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._task: Task | None = None
        self._running: FileOperation | None = None
        self._then: Callable[[bool], None] | None = None

    @property
    def busy(self) -> bool:
        """True while an operation started by :meth:`start` has not ended."""
        return self._task is not None

    @property
    def task(self) -> Task | None:
        """The background task of the running operation, or None."""
        return self._task

    def refuse_if_busy(self) -> bool:
        """True (and a message) if an operation is running, so nothing new may start."""
        if self._task is None:
            return False
        self.window.show_error(self.tr(BUSY_TITLE), self.tr(BUSY_TEXT))
        return True

    def run(self, op: FileOperation) -> bool:
        """Do ``op`` now, in this thread (no event loop): ``work``, then ``end`` or
        ``failed``; returns the result (False if it failed or another operation runs)."""
        if self.refuse_if_busy():
            return False
        try:
            value = op.work()
        except op.errors as e:
            op.failed(e)
            return False
        return bool(op.end(value))

    def start(self, op: FileOperation, then: Callable[[bool], None] | None = None) -> bool:
        """Run ``op.work`` in the background behind the busy dialog; ``end`` / ``failed``
        and then ``then(result)`` follow in the GUI thread, never inside this call.
        False (and a message) if another operation runs."""
        if self.refuse_if_busy():
            return False
        self._running, self._then = op, then
        self._task = start_with_progress(
            self.window, op.label, op.work, on_done=self._on_done, on_error=self._on_error
        )
        self._task.finished.connect(self._on_task_finished)
        self.busyChanged.emit(True)
        return True

    def _take(self) -> tuple[FileOperation, Callable[[bool], None] | None]:
        op, then = self._running, self._then
        self._task = self._running = self._then = None  # the next operation may start
        return op, then

    def _finish(self, then: Callable[[bool], None] | None, outcome: Callable[[], bool]) -> None:
        try:
            result = bool(outcome())
            if then is not None:
                then(result)
        finally:
            if self._task is None:
                self.busyChanged.emit(False)

    def _on_done(self, value: Any) -> None:
        op, then = self._take()
        self._finish(then, lambda: op.end(value))

    def _on_error(self, error: BaseException) -> None:
        op, then = self._take()
        if not isinstance(error, op.errors):
            self.busyChanged.emit(False)
            raise error

        def report() -> bool:
            op.failed(error)
            return False

        self._finish(then, report)

    @Slot()
    def _on_task_finished(self) -> None:
        if self._task is not None and self.sender() is self._task:  # cancelled
            self._take()
            self.busyChanged.emit(False)


__all__ = ["BUSY_TEXT", "BUSY_TITLE", "FileOperation", "FileOperations"]
