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
def never_block_on_unsaved_work():
    """pytest-qt closes leftover widgets in its own teardown hook, after function-scoped
    monkeypatches are undone: without this session-wide default a window with unsaved
    work would open a modal Save/Discard/Cancel box there and hang the run."""
    from backprop_lab.gui.files.session_files import SessionFiles

    mp = pytest.MonkeyPatch()
    mp.setattr(SessionFiles, "ask_unsaved", lambda self, doing: "discard")
    yield
    mp.undo()


@pytest.fixture(autouse=True)
def discard_unsaved_work():
    """Windows closed by tests discard their unsaved work instead of asking Save /
    Discard / Cancel in a modal box nobody answers. Tests of that question replace
    ``window.session.ask_unsaved`` themselves; every question asked is recorded here.
    (Patched by hand, not with monkeypatch, so that a test's monkeypatch.undo() cannot
    remove it before pytest-qt closes the test's windows.)"""
    from backprop_lab.gui.files.session_files import SessionFiles

    asked: list[str] = []
    original = SessionFiles.ask_unsaved

    def discard(self, doing: str) -> str:
        asked.append(doing)
        return "discard"

    SessionFiles.ask_unsaved = discard
    yield asked
    SessionFiles.ask_unsaved = original


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
    """A MainWindow whose messages are recorded instead of shown and whose questions fail
    the test unless the test answers them; closed afterwards, with training stopped."""
    from backprop_lab.gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.quiet_messages = True

    def unexpected_question(title, text):
        raise AssertionError(f"unexpected question: {title}: {text}")

    monkeypatch.setattr(w, "ask", unexpected_question)
    yield w
    w.close()
    assert not w.controller.is_running
