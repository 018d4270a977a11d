"""GUI test setup shared by every tests/gui module."""

from __future__ import annotations

import pyqtgraph as pg
import pytest


@pytest.fixture(scope="session", autouse=True)
def pyqtgraph_config() -> None:
    """The pyqtgraph options gui.app.run() sets at start-up: images indexed [row, column]
    (W[j, i] is drawn at row j, column i) and no antialiasing (the fast drawing path)."""
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)


@pytest.fixture(autouse=True)
def user_folders(tmp_path, monkeypatch):
    """Each test gets its own settings and application-data folders (QStandardPaths
    follows XDG_CONFIG_HOME / XDG_DATA_HOME): remembered layouts, recent files and
    autosaves of one test never reach another."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "user" / var.lower()))


@pytest.fixture(scope="session", autouse=True)
def never_leave_a_question_open():
    """pytest-qt closes leftover widgets in its own teardown hook, possibly after the
    function-scoped fixtures below are torn down: without this session-wide default a
    window with unsaved work would stay open there behind an unanswered box."""
    from backprop_lab.gui import questions

    original = questions.show
    questions.show = questions.answer_with("discard")
    yield
    questions.show = original


@pytest.fixture(autouse=True)
def discard_unsaved_work(never_leave_a_question_open):
    """Questions are answered at once (:func:`gui.questions.answer_with`): Save / Discard
    / Cancel with Discard - windows closed by tests discard their unsaved work instead of
    staying open behind a box nobody answers - and yes/no questions with no. The text of
    every question asked is recorded here. Tests of a question install their own answer
    (``monkeypatch.setattr(questions, "show", questions.answer_with(...))``). (Set by
    hand, not with monkeypatch, so that a test's monkeypatch.undo() cannot remove it
    before pytest-qt closes the test's windows.)"""
    from backprop_lab.gui import questions

    asked: list[str] = []
    original = questions.show
    questions.show = questions.answer_with("discard", yes=False, asked=asked)
    yield asked
    questions.show = original


@pytest.fixture(scope="session", autouse=True)
def freeze_what_is_already_loaded(qapp):
    """Move everything alive once the app's modules are imported (modules, classes, Qt
    wrappers: nothing a test frees) out of the garbage collector's sight, so that the
    collection after every test below scans only what tests made (~60 ms -> a few ms)."""
    import gc

    import backprop_lab.gui  # noqa: F401 (the window and everything it imports)

    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def collect_qt_garbage_in_the_gui_thread(qapp, freeze_what_is_already_loaded):
    """Collect each test's garbage in the GUI thread right after it. Otherwise Python's
    cyclic GC may run in a pool thread of a later test (e.g. a CSV read) and free widgets
    there; shiboken then defers their deletion to the GUI thread while Qt mutexes are
    held, which deadlocked a run (seen: QAction::~QAction waiting in a QTimer slot)."""
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()


@pytest.fixture
def window(qtbot, monkeypatch):
    """A MainWindow whose messages are recorded instead of shown; closed afterwards, with
    training stopped."""
    from backprop_lab.gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.quiet_messages = True

    yield w
    w.close()
    assert not w.controller.is_running
