"""gui.tasks: the order of a task's signals, errors, results in the GUI thread,
cancellation, waiting without an event loop, the busy dialog of slow tasks, no slot run
inside another, and a window closed while its task runs.

(A little over 400 lines: one file per module under test, and gui.tasks is one contract.)"""

from __future__ import annotations

import threading

import pytest
from backprop_lab.gui import tasks
from backprop_lab.gui.tasks import (
    running_tasks,
    start_task,
    start_with_progress,
    wait_for_tasks,
)
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QProgressDialog, QPushButton, QVBoxLayout, QWidget
from shiboken6 import Shiboken

WAIT_MS = 10_000


class Recorder(QObject):
    """Receives a task's signals in order, noting the thread each one arrived in."""

    def __init__(self, task=None) -> None:
        super().__init__()
        self.log: list[tuple] = []
        self.threads: list[QThread] = []
        if task is not None:
            task.started.connect(self.started)
            task.returned.connect(self.returned)
            task.errored.connect(self.errored)
            task.finished.connect(self.finished)

    def _note(self, *entry) -> None:
        self.log.append(entry)
        self.threads.append(QThread.currentThread())

    @Slot()
    def started(self) -> None:
        self._note("started")

    @Slot(object)
    def returned(self, value) -> None:
        self._note("returned", value)

    @Slot(object)
    def errored(self, error) -> None:
        self._note("errored", error)

    @Slot()
    def finished(self) -> None:
        self._note("finished")

    def names(self) -> list[str]:
        return [entry[0] for entry in self.log]


@pytest.fixture
def release():
    """An event blocking tasks wait for; set at the end so no task outlives its test."""
    event = threading.Event()
    yield event
    event.set()
    assert wait_for_tasks(WAIT_MS, cancel=False)


def test_a_task_returns_in_order_and_in_the_gui_thread(qtbot, qapp):
    ran_in = []

    def double(x, *, plus=0):
        ran_in.append(QThread.currentThread())
        return 2 * x + plus

    task = start_task(double, 20, plus=2)
    recorder = Recorder(task)
    with qtbot.waitSignals(
        [task.started, task.returned, task.finished],
        order="strict",
        check_params_cbs=[None, lambda value: value == 42, None],
        timeout=WAIT_MS,
    ):
        pass
    assert recorder.log == [("started",), ("returned", 42), ("finished",)]
    assert ran_in and ran_in[0] != qapp.thread()
    assert all(t == qapp.thread() for t in recorder.threads)


def test_an_error_is_delivered_instead_of_a_value(qtbot):
    def fail():
        raise ValueError("no such weight")

    task = start_task(fail)
    recorder = Recorder(task)
    with qtbot.waitSignals(
        [task.started, task.errored, task.finished],
        order="strict",
        check_params_cbs=[None, lambda e: isinstance(e, ValueError), None],
        timeout=WAIT_MS,
    ):
        pass
    assert recorder.names() == ["started", "errored", "finished"]
    assert str(recorder.log[1][1]) == "no such weight"


def test_an_error_nobody_receives_is_raised_in_the_gui_thread(qtbot):
    def fail():
        raise ZeroDivisionError("unheard")

    task = start_task(fail)
    with qtbot.captureExceptions() as caught, qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert [type(value) for _, value, _ in caught] == [ZeroDivisionError]


def test_a_finished_task_deletes_itself(qtbot):
    task = start_task(int, "7")
    assert task in running_tasks()
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert task not in running_tasks()
    qtbot.waitUntil(lambda: not Shiboken.isValid(task), timeout=WAIT_MS)


def test_cancel_is_a_flag_the_function_checks_and_drops_the_outcome(qtbot, release):
    running, saw_cancel = threading.Event(), threading.Event()

    def loop(*, cancelled):
        running.set()
        while not cancelled():
            if release.wait(0.002):
                return "released"
        saw_cancel.set()
        return "stopped"

    task = start_task(loop, cancellable=True)
    recorder = Recorder(task)
    qtbot.waitUntil(running.is_set, timeout=WAIT_MS)
    assert not task.is_cancelled
    task.cancel()
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert saw_cancel.is_set() and task.is_done
    assert recorder.names() == ["started", "finished"]


def test_cancel_after_the_function_ended_still_drops_its_outcome(qtbot):
    task = start_task(lambda: "done")
    recorder = Recorder(task)
    assert task.wait(WAIT_MS)  # ended on its thread; the outcome is queued, not delivered
    task.cancel()
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert recorder.names() == ["started", "finished"]


def test_a_task_cancelled_before_its_thread_picks_it_up_never_runs(qtbot, release):
    blockers = [
        start_task(release.wait, WAIT_MS / 1000)
        for _ in range(tasks._thread_pool().maxThreadCount())
    ]
    called = []
    queued = start_task(called.append, "ran")  # waits for a free thread
    recorder = Recorder(queued)
    queued.cancel()
    release.set()
    with qtbot.waitSignals([b.finished for b in [*blockers, queued]], timeout=WAIT_MS):
        pass
    assert called == []
    assert recorder.names() == ["started", "finished"]


def test_wait_has_a_timeout_and_runs_no_event_loop(qtbot, release):
    began = threading.Event()

    def blocked():
        began.set()
        release.wait(WAIT_MS / 1000)
        return 1

    task = start_task(blocked)
    recorder = Recorder(task)
    assert began.wait(WAIT_MS / 1000)
    assert not task.wait(20) and not task.is_done
    release.set()
    assert task.wait(WAIT_MS) and task.is_done
    assert recorder.log == []  # nothing was delivered inside wait
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert recorder.names() == ["started", "returned", "finished"]


def test_wait_for_tasks_cancels_and_gives_up_after_its_timeout(qtbot, release):
    began = threading.Event()

    def blocked():
        began.set()
        return release.wait(WAIT_MS / 1000)

    task = start_task(blocked)
    recorder = Recorder(task)
    assert began.wait(WAIT_MS / 1000)  # running: cancelling cannot skip it any more
    assert not wait_for_tasks(20)
    assert task.is_cancelled
    release.set()
    assert wait_for_tasks(WAIT_MS)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert recorder.names() == ["started", "finished"]


def test_tasks_are_started_in_the_gui_thread_only():
    errors = []

    def elsewhere():
        try:
            start_task(sum, [1])
        except RuntimeError as e:
            errors.append(str(e))

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join(WAIT_MS / 1000)
    assert errors == ["background tasks are started in the GUI thread"]


# ---------------------------------------------------------------- behind a busy dialog
class Continuation(QObject):
    """on_done / on_error of start_with_progress; notes whether the dialog was still up."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.window = window
        self.calls: list[tuple] = []

    def _dialog_up(self) -> bool:
        d = self.window.findChild(QProgressDialog, "progressDialog")
        return d is not None and d.isVisible()

    @Slot(object)
    def done(self, value) -> None:
        self.calls.append(("done", value, self._dialog_up(), QThread.currentThread()))

    @Slot(object)
    def error(self, error) -> None:
        self.calls.append(("error", error, self._dialog_up(), QThread.currentThread()))


def _window(qtbot) -> QWidget:
    w = QWidget()
    w.button = QPushButton("Press", w)
    QVBoxLayout(w).addWidget(w.button)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _shown_dialogs(window: QWidget) -> list[QProgressDialog]:
    return [d for d in window.findChildren(QProgressDialog) if d.isVisible()]


def test_a_slow_task_shows_a_window_modal_dialog_until_it_is_done(qtbot, qapp, release):
    w = _window(qtbot)
    then = Continuation(w)
    task = start_with_progress(
        w, "Saving s.bplab...", release.wait, WAIT_MS / 1000, on_done=then.done,
        on_error=then.error,
    )  # fmt: skip
    qtbot.waitUntil(lambda: len(_shown_dialogs(w)) == 1, timeout=WAIT_MS)
    (dialog,) = _shown_dialogs(w)
    assert dialog.objectName() == "progressDialog"
    assert dialog.labelText() == "Saving s.bplab..."
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert then.calls == []
    release.set()
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert _shown_dialogs(w) == []
    assert then.calls == [("done", True, False, qapp.thread())]  # after the dialog closed
    qtbot.waitUntil(lambda: w.findChild(QProgressDialog) is None, timeout=WAIT_MS)


def test_a_fast_task_shows_no_dialog(qtbot, monkeypatch):
    monkeypatch.setattr(tasks, "SHOW_AFTER_MS", 600_000)  # "fast": done before the delay
    w = _window(qtbot)
    then = Continuation(w)
    task = start_with_progress(w, "Opening...", sum, [1, 2], on_done=then.done, on_error=then.error)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert w.findChild(QProgressDialog) is None
    assert [c[:3] for c in then.calls] == [("done", 3, False)]


def test_an_error_goes_to_on_error(qtbot):
    w = _window(qtbot)
    then = Continuation(w)
    task = start_with_progress(
        w, "Reading...", int, "not a number", on_done=then.done, on_error=then.error
    )
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert [c[0] for c in then.calls] == ["error"]
    assert isinstance(then.calls[0][1], ValueError)


def test_user_input_to_the_window_is_dropped_while_the_task_runs(qtbot, release):
    w = _window(qtbot)
    clicks, shortcuts = [], []
    w.button.clicked.connect(lambda: clicks.append(1))
    action = QAction("Save", w)
    action.setShortcut(QKeySequence("Ctrl+S"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: shortcuts.append(1))
    w.addAction(action)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT_MS)
    then = Continuation(w)
    task = start_with_progress(
        w, "Saving...", release.wait, WAIT_MS / 1000, on_done=then.done, on_error=then.error
    )
    qtbot.mouseClick(w.button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(w.button, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (clicks, shortcuts) == ([], [])
    release.set()
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    qtbot.mouseClick(w.button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(w.button, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (clicks, shortcuts) == ([1], [1])  # the same input reaches the window after


class Slots(QObject):
    """Two queued slots: the first starts a task behind the dialog."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.window = window
        self.inside_first = False
        self.log: list[str] = []
        self.task = None

    @Slot()
    def first(self) -> None:
        self.inside_first = True
        self.task = start_with_progress(
            self.window, "Working...", sum, [1], on_done=self.done, on_error=self.error
        )
        assert self.task.wait(WAIT_MS)  # the function has ended: nothing left to wait for
        self.log.append("first ends")
        self.inside_first = False

    @Slot()
    def second(self) -> None:
        self.log.append("second inside first" if self.inside_first else "second")

    @Slot(object)
    def done(self, value) -> None:
        self.log.append("done inside first" if self.inside_first else "done")

    @Slot(object)
    def error(self, error) -> None:
        self.log.append(f"error {error}")


def test_no_slot_runs_inside_another_because_of_a_task(qtbot):
    w = _window(qtbot)
    slots = Slots(w)
    QTimer.singleShot(0, slots.first)
    QTimer.singleShot(0, slots.second)
    qtbot.waitUntil(lambda: len(slots.log) == 3, timeout=WAIT_MS)
    assert slots.log[0] == "first ends"
    assert sorted(slots.log[1:]) == ["done", "second"]


def test_closing_the_window_mid_task_is_clean(qtbot, release):
    w = _window(qtbot)
    then = Continuation(w)
    task = start_with_progress(
        w, "Saving...", release.wait, WAIT_MS / 1000, on_done=then.done, on_error=then.error
    )
    recorder = Recorder(task)
    qtbot.waitUntil(lambda: len(_shown_dialogs(w)) == 1, timeout=WAIT_MS)
    w.close()
    w.deleteLater()
    qtbot.waitUntil(lambda: not Shiboken.isValid(w), timeout=WAIT_MS)
    assert task in running_tasks()  # the task outlives the window
    release.set()
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert recorder.names() == ["started", "returned", "finished"]
    assert then.calls == []  # nothing continues in a deleted window


def test_closing_the_main_window_mid_read_abandons_it_after_a_timeout(qtbot, monkeypatch, release):
    from backprop_lab.gui import MainWindow
    from backprop_lab.gui.panels import data_panel
    from backprop_lab.gui.panels.data_panel import DataPanel

    began = threading.Event()

    def stuck_read(choice):
        began.set()
        release.wait(WAIT_MS / 1000)
        raise AssertionError("an abandoned read is never reported")

    monkeypatch.setattr(data_panel, "_read_csv", stuck_read)
    w = MainWindow()
    qtbot.addWidget(w)
    w.quiet_messages = True
    panel = w.data_panel
    monkeypatch.setattr(panel, "shutdown", lambda timeout_ms: DataPanel.shutdown(panel, 50))
    failed, changed = [], []
    panel.loadFailed.connect(failed.append)
    panel.datasetChanged.connect(changed.append)
    panel.load_csv_file("big.csv")
    assert began.wait(WAIT_MS / 1000)
    read = panel._read
    assert w.close()  # did not wait for the read beyond the panel's timeout
    assert read.is_cancelled and not read.is_done
    release.set()
    with qtbot.waitSignal(read.finished, timeout=WAIT_MS):
        pass
    assert (failed, changed) == ([], [])
