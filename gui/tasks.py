"""Background tasks: a function runs on a worker thread and its outcome comes back to
the GUI thread as signals - the one way the window runs work off its thread (the
training thread keeps its own worker, on the same life cycle).

The contract of a :class:`Task` (superqt's worker life cycle):

* :func:`start_task` (called in the GUI thread) returns at once; ``fn(*args, **kwargs)``
  runs on a thread of this module's pool. ``fn`` must not touch widgets, and must only
  read what nobody changes while it runs (give it immutable snapshots).
* Signals, all emitted in the GUI thread from queued events - never inside the call that
  started the task, so a slot never runs inside another one because of a task:
  ``started`` -> ``returned(value)`` or ``errored(exception)`` -> ``finished``.
  ``finished`` always comes, last; then the task deletes itself (``deleteLater``).
  An ``errored`` nobody is connected to is raised in the GUI thread, not lost.
* :meth:`Task.cancel` (GUI thread) is a flag: from then on neither ``returned`` nor
  ``errored`` is emitted, even if ``fn`` has already ended; ``finished`` still is. A task
  cancelled before its thread picks it up does not call ``fn`` at all. ``fn`` sees the
  flag only if it asks: ``start_task(fn, ..., cancellable=True)`` calls
  ``fn(..., cancelled=check)``, ``check()`` being True once the task is cancelled, and
  ``fn`` decides where to stop.
* :meth:`Task.wait` blocks the calling thread, at most ``timeout_ms``, until ``fn`` has
  ended; it runs no event loop (the outcome signals stay queued until the loop runs).
* Tasks are children of the QApplication, not of a window: a window may close or be
  deleted while its task runs. Connections to its slots die with it (Qt disconnects the
  receivers it destroys), and the task ends on its own. A close path cancels and waits
  for its tasks with a timeout (:meth:`Task.wait`, :func:`wait_for_tasks`) and abandons
  them if they do not end in time. (Qt's pool still joins a thread whose function never
  ends when the process exits: give long functions the cancel flag.)
* Python's cyclic garbage collector may run in a task's thread and free Qt wrappers
  there; a caller that has just dropped many widgets collects first, in the GUI thread
  (the data panel does before a CSV read).

:func:`start_with_progress` runs a task for a window: user input to the window is
dropped while it runs, a window-modal busy dialog appears only if it takes longer than
:data:`SHOW_AFTER_MS`, and once it is over (dialog closed) it continues in a callback,
``on_done(value)`` or ``on_error(exception)`` (the menu items' file operations,
:mod:`gui.files.operations`, run this way).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    SIGNAL,
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

SHOW_AFTER_MS = 400  # a task that ends sooner shows no dialog
MAX_THREADS = 4  # tasks at once (more wait in the pool's queue)

_pool: QThreadPool | None = None


def _thread_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(max(MAX_THREADS, QThread.idealThreadCount()))
    return _pool


class Task(QObject):
    """One function on a worker thread; made by :func:`start_task` (see the module's
    contract for the order of the signals, cancellation and waiting)."""

    started = Signal()
    returned = Signal(object)  # what fn returned
    errored = Signal(object)  # the exception fn raised
    finished = Signal()

    _began = Signal()  # emitted on the worker thread, queued to _on_began
    _ended = Signal(bool, object)  # (returned?, value or exception), queued to _on_ended

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("background tasks need a QApplication")
        if QThread.currentThread() != app.thread():
            raise RuntimeError("background tasks are started in the GUI thread")
        super().__init__(app)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._cancelled = threading.Event()
        self._done = threading.Event()  # fn has ended (or was skipped)
        self._over = False  # finished has been emitted
        queued = Qt.ConnectionType.QueuedConnection
        self._began.connect(self._on_began, queued)
        self._ended.connect(self._on_ended, queued)

    @property
    def is_cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancelled.is_set()

    @property
    def is_done(self) -> bool:
        """True once ``fn`` has ended on its thread (its outcome may still be queued)."""
        return self._done.is_set()

    def cancel(self) -> None:
        """Drop the outcome (no returned / errored; finished still comes) and raise the
        flag a cancellable ``fn`` checks. Idempotent."""
        self._cancelled.set()

    def wait(self, timeout_ms: int) -> bool:
        """Block this thread until ``fn`` has ended, at most ``timeout_ms``; True if it
        has. Runs no event loop."""
        return self._done.wait(max(int(timeout_ms), 0) / 1000)

    def _start(self) -> None:
        _thread_pool().start(self._work)

    def _work(self) -> None:
        """The worker thread's part: the only code of a task that runs off the GUI thread."""
        fn, args, kwargs = self._fn, self._args, self._kwargs
        self._fn = self._args = self._kwargs = None
        ok, value = True, None
        try:
            self._began.emit()
            if not self._cancelled.is_set():
                try:
                    value = fn(*args, **kwargs)
                except BaseException as e:  # delivered to the GUI thread as errored
                    ok, value = False, e
            del fn, args, kwargs  # let the inputs go before the outcome is handed over
            self._ended.emit(ok, value)
        except RuntimeError:
            pass  # the task was deleted under us: the application is going away
        finally:
            self._done.set()

    @Slot()
    def _on_began(self) -> None:
        self.started.emit()

    @Slot(bool, object)
    def _on_ended(self, ok: bool, value: Any) -> None:
        try:
            if not self._cancelled.is_set():
                if ok:
                    self.returned.emit(value)
                elif self.receivers(SIGNAL("errored(PyObject)")):
                    self.errored.emit(value)
                else:
                    raise value
        finally:
            self._over = True
            self.finished.emit()
            self.deleteLater()


def start_task(
    fn: Callable[..., Any], *args: Any, cancellable: bool = False, **kwargs: Any
) -> Task:
    """Run ``fn(*args, **kwargs)`` on a worker thread; returns its :class:`Task` at once
    (connect its signals before control returns to the event loop). With
    ``cancellable`` it is called with ``cancelled=`` a function that says whether the
    task has been cancelled. Call in the GUI thread."""
    task = Task(fn, args, kwargs)
    if cancellable:
        task._kwargs = {**kwargs, "cancelled": task._cancelled.is_set}
    task._start()
    return task


def running_tasks() -> list[Task]:
    """Tasks whose ``finished`` has not been emitted yet, oldest first."""
    app = QCoreApplication.instance()
    if app is None:
        return []
    found = app.findChildren(Task, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return [t for t in found if not t._over]


def wait_for_tasks(timeout_ms: int, cancel: bool = True) -> bool:
    """For a close path: cancel every running task (unless ``cancel`` is False) and wait
    until their functions have ended, at most ``timeout_ms`` in all. True if none is
    left running; the others are abandoned (they end on their own)."""
    tasks = running_tasks()
    if cancel:
        for task in tasks:
            task.cancel()
    deadline = time.monotonic() + max(int(timeout_ms), 0) / 1000

    def left_ms() -> int:
        return max(0, round((deadline - time.monotonic()) * 1000))

    return all(task.wait(left_ms()) for task in tasks)


# ---------------------------------------------------------------- behind a busy dialog
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.ContextMenu,
        QEvent.Type.DragEnter,
        QEvent.Type.DragMove,
        QEvent.Type.Drop,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletRelease,
    }
)


class _Progress(QObject):
    """The dialog side of :func:`start_with_progress`: a child of the window, so that
    if the window is deleted mid-task nothing here runs any more. It keeps no reference
    to the window (``parent()`` finds it): a child holding the last reference to its
    parent's wrapper would delete the parent, and itself twice, when it goes."""

    def __init__(
        self,
        window: QWidget,
        label: str,
        task: Task,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__(window)
        self._label = label
        self._on_done, self._on_error = on_done, on_error
        self._outcome: tuple[bool, Any] | None = None
        self.dialog: QProgressDialog | None = None
        task.returned.connect(self._on_returned)
        task.errored.connect(self._on_errored)
        task.finished.connect(self._on_finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)
        self._timer.start(SHOW_AFTER_MS)
        # until the dialog is up (and makes the window modal), user input to the window
        # is dropped here, so nothing changes under the task
        QCoreApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _INPUT_EVENTS or not isinstance(watched, QWidget):
            return False
        widget = watched.window()  # the window itself, a floating dock or menu of it...
        if isinstance(widget, QDialog):
            return False  # ... but not a dialog (this one, or a question asked meanwhile)
        window = self.parent()
        while widget is not None and widget is not window:
            widget = widget.parentWidget()
        if widget is None:
            return False
        event.accept()  # an accepted ShortcutOverride keeps the window's shortcuts quiet
        return True

    @Slot()
    def _show_dialog(self) -> None:
        self.dialog = busy_dialog(self.parent(), self._label)

    @Slot(object)
    def _on_returned(self, value: Any) -> None:
        self._outcome = (True, value)

    @Slot(object)
    def _on_errored(self, error: BaseException) -> None:
        self._outcome = (False, error)

    @Slot()
    def _on_finished(self) -> None:
        QCoreApplication.instance().removeEventFilter(self)
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        outcome, self._outcome = self._outcome, None
        on_done, on_error = self._on_done, self._on_error
        self._on_done = self._on_error = None  # (they may hold the window: see above)
        self.deleteLater()
        if outcome is None:
            return  # cancelled
        ok, value = outcome
        (on_done if ok else on_error)(value)


def busy_dialog(window: QWidget | None, label: str) -> QProgressDialog:
    """Show and return the window-modal busy dialog (objectName ``progressDialog``, no
    Cancel button) that says ``label``; the caller closes it."""
    d = QProgressDialog(label, "", 0, 0, window)
    d.setObjectName("progressDialog")
    d.setCancelButton(None)
    d.setWindowModality(Qt.WindowModality.WindowModal)
    d.setMinimumDuration(0)
    d.setAutoClose(False)
    d.setAutoReset(False)
    d.show()
    return d


def start_with_progress(
    window: QWidget,
    label: str,
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    **kwargs: Any,
) -> Task:
    """Run ``fn(*args, **kwargs)`` as a task (:func:`start_task`) on behalf of
    ``window``: while it runs, user input to the window is dropped and, after
    :data:`SHOW_AFTER_MS`, a window-modal busy dialog (objectName ``progressDialog``)
    says ``label``. When the task is over the dialog closes, then ``on_done(value)`` or
    ``on_error(exception)`` runs in the GUI thread - never inside this call. Nothing
    runs if the task was cancelled or the window deleted first. Returns the task."""
    task = start_task(fn, *args, **kwargs)
    _Progress(window, label, task, on_done, on_error)
    return task


__all__ = [
    "SHOW_AFTER_MS",
    "Task",
    "busy_dialog",
    "running_tasks",
    "start_task",
    "start_with_progress",
    "wait_for_tasks",
]
