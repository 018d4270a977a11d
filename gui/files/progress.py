"""Long operations without a frozen window: :func:`run_with_progress` runs a function on
a worker thread while the GUI thread keeps its event loop turning (the window repaints,
training snapshots keep arriving), and shows a busy progress dialog if it takes longer
than :data:`SHOW_AFTER_MS`. User input to the window waits until the operation is done,
so nothing can change under it (the file being written, the session being replaced).

The function must not touch widgets (it runs on another thread); what it returns (or
raises) is handed back to the caller in the GUI thread. The worker thread makes no Qt
calls at all: the GUI thread's local event loop looks every :data:`POLL_MS` whether it
is done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..tasks import SHOW_AFTER_MS, busy_dialog

POLL_MS = 5


class _Task(threading.Thread):
    """The function on its own thread, and its outcome."""

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        super().__init__(name="backprop-lab-progress", daemon=True)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.fn(*self.args, **self.kwargs)
        except BaseException as e:  # handed to the GUI thread, re-raised there
            self.error = e


class _Waiter(QObject):
    """Ends the local event loop when the task is done; shows the dialog when slow."""

    def __init__(self, task: _Task, parent: QWidget | None, label: str) -> None:
        super().__init__()
        self.task = task
        self.loop = QEventLoop()
        self.finished = False
        self._parent, self._label = parent, label
        self.dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)
        self._timer.start(SHOW_AFTER_MS)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self._check)
        self._poll.start(POLL_MS)

    @Slot()
    def _check(self) -> None:
        if not self.task.is_alive():
            self.finished = True
            self._timer.stop()
            self._poll.stop()
            self.loop.quit()

    @Slot()
    def _show_dialog(self) -> None:
        if self.finished:
            return
        self.dialog = busy_dialog(self._parent, self._label)


def run_with_progress(
    parent: QWidget | None, label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """``fn(*args, **kwargs)`` on a worker thread; returns its result or raises what it
    raised. Meanwhile the event loop runs (user input excluded) and, after
    :data:`SHOW_AFTER_MS`, a busy dialog says ``label``."""
    task = _Task(fn, args, kwargs)
    task.start()
    waiter = _Waiter(task, parent, label)
    while not waiter.finished:
        waiter.loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    task.join()
    if waiter.dialog is not None:
        waiter.dialog.close()
        waiter.dialog.deleteLater()  # (owned by its parent window until then)
        waiter.dialog = None
    if task.error is not None:
        raise task.error
    return task.result


__all__ = ["SHOW_AFTER_MS", "run_with_progress"]
