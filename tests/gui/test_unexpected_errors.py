"""Unexpected errors (issue 13): an exception that escapes a slot reaches the user as one
readable line - never as a traceback, never swallowed - its traceback goes to stderr and
the error log, the window keeps its last good state, and saving stays possible.

These tests switch pytest-qt's own exception capture off (it would fail the test on the
very exception under test) and install the window's hook as gui.app.run does
(gui.window.error_hook)."""

from __future__ import annotations

import sys

import pytest
from backprop_lab.engine.formats.session import load_session
from backprop_lab.gui import app, error_log
from backprop_lab.gui.window import error_hook
from PySide6.QtCore import QTimer

from .session_util import make_window, steps

ONE_LINE = "Unexpected error in {}: ZeroDivisionError: float division by zero"


@pytest.fixture
def hooked(qtbot):
    w = make_window(qtbot)
    hook = app.install_error_hook(w)  # what gui.app.run does for its window
    messages: list[tuple[str, str]] = []
    w.messageShown.connect(lambda title, text: messages.append((title, text)))
    yield w, messages
    app.uninstall_error_hook(hook)


def divide_by_zero(*args) -> None:
    raise ZeroDivisionError("float division by zero")


@pytest.mark.qt_no_exception_capture
def test_a_failing_view_shows_one_line_and_saving_still_works(
    qtbot, tmp_path, monkeypatch, capsys, hooked
):
    w, messages = hooked
    monkeypatch.setattr(w.loss_plot, "show_snapshot", divide_by_zero)
    steps(w, 3)  # every snapshot fails in the loss plot

    line = ONE_LINE.format("divide_by_zero")
    assert messages == [("Unexpected error", line)]  # once, not once per snapshot
    assert w.statusBar().currentMessage() == line
    # the full traceback is in stderr and in the error log, for a bug report
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "divide_by_zero" in err
    log = error_log.log_path().read_text()
    assert line in log and "Traceback" in log
    # the other views followed, the controller trained on
    assert w.training_panel.iteration_label.text() == "3"
    assert w.controller.trainer.step_count == 3

    # Save still works, and the saved session reopens at the right iteration
    path = tmp_path / "after.bplab"
    assert w.save_session(path)
    assert load_session(path).trainer_state.step == 3
    other = make_window(qtbot)
    assert other.open_session(path)
    assert other.controller.trainer.step_count == 3


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_qt_callback_reaches_the_window(qtbot, hooked):
    """A slot called by Qt itself (a timer here; a paint or an event handler alike):
    PySide hands the exception to sys.excepthook, the window shows one line."""
    _, messages = hooked
    QTimer.singleShot(0, divide_by_zero)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert messages == [("Unexpected error", ONE_LINE.format("divide_by_zero"))]


def test_the_hook_never_raises(qtbot, capsys):
    """Even when showing fails (a window already gone), the hook only writes stderr;
    every exception is passed on to the hook that was there before (pytest-qt's capture,
    say), KeyboardInterrupt and SystemExit only to it."""

    class Gone:
        def show_error(self, title, text):
            raise RuntimeError("Internal C++ object already deleted.")

    before: list = []
    hook = error_hook.ErrorHook(Gone(), lambda *exc: before.append(exc[0]))
    try:
        divide_by_zero()
    except ZeroDivisionError:
        hook(*sys.exc_info())
    assert "ZeroDivisionError" in capsys.readouterr().err
    hook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert before == [ZeroDivisionError, KeyboardInterrupt]  # both passed on
    assert "KeyboardInterrupt" not in capsys.readouterr().err  # not reported as an error


def test_worker_errors_are_one_line(qtbot):
    """The training process reports an error as one line; its traceback is kept apart."""
    from backprop_lab.engine.transport.worker_process import error_meta

    try:
        divide_by_zero()
    except ZeroDivisionError:
        meta = error_meta()
    assert meta["message"] == (
        "unexpected error in the training process: ZeroDivisionError: float division by zero"
    )
    assert "Traceback" in meta["details"] and "\n" not in meta["message"]
