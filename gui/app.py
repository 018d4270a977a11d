"""Start the desktop app: ``run()`` creates the QApplication, shows the main window and
runs the event loop until the window is closed.

The window appears before the plotting library is loaded: pyqtgraph takes about a second
to import, so the window is shown and painted with placeholders first
(``MainWindow(defer_views=True)``) and the plot views are created right after, on the
first pass of the event loop.

Automation hook (used by tests/gui/test_entry_point.py): with the environment variable
``BACKPROP_LAB_AUTOTEST=play-and-close`` the app prints ``autotest: ...`` progress lines on
stdout (window shown, views ready, the iteration reached at the end), presses Play once
the window is up and closes the window about 2 s later, as a user would. The modes
``play-until-killed`` and ``recover-and-close`` (crash recovery) are described in
:mod:`gui.window.autotest`; in every mode questions are answered without waiting for a
person. Any other value is ignored.

Once the window is up, a crashed window's autosave is offered for recovery
(``Recovery.offer_recovery``, :mod:`gui.files.recovery`). While it runs, an exception that
escapes a slot is shown as one line in the window and logged with its traceback
(:mod:`gui.window.error_hook`). SIGINT (Ctrl+C) and SIGTERM close the window as a desktop
logout does (:mod:`gui.window.logout`): unsaved work is autosaved for the next start and
the exit code is 130 or 0.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from backprop_lab import resources
from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from .signals import TerminationSignals
from .window.error_hook import ErrorHook
from .window.error_hook import install as install_error_hook
from .window.error_hook import uninstall as uninstall_error_hook
from .window.theme import configure_pyqtgraph

APP_NAME = "Backprop Lab"
ORGANIZATION = "Backprop Lab"
AUTOTEST_VARIABLE = "BACKPROP_LAB_AUTOTEST"
AUTOTEST_PLAY_MS = 300
AUTOTEST_CLOSE_MS = 2300


class _AutoTest(QObject):
    """BACKPROP_LAB_AUTOTEST=play-and-close: press Play, close the window, report."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        QTimer.singleShot(AUTOTEST_PLAY_MS, self.play)
        QTimer.singleShot(AUTOTEST_CLOSE_MS, self.close)

    @Slot()
    def play(self) -> None:
        self.window.action_play.trigger()

    @Slot()
    def close(self) -> None:
        snap = self.window.last_snapshot
        print(f"autotest: closing at iteration {0 if snap is None else snap.step}", flush=True)
        self.window.close()


def _icon_path() -> Path | None:
    """resources/icon.svg, shipped in backprop_lab.resources (wheel and editable installs)."""
    try:
        return resources.path("icon.svg")
    except FileNotFoundError:
        return None


def start(argv: Sequence[str] | None = None) -> tuple[QApplication, QMainWindow]:
    """Create the QApplication (``argv``, program name first; default ``sys.argv``) and
    the main window as the app starts it: shown and painted first, then the plot views
    installed and the training process warmed up. Returns ``(app, window)``; the event
    loop is not started (``run`` does that; benchmarks/bench_gui_responsiveness.py's cold
    mode measures from here)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(sys.argv if argv is None else argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    signals = TerminationSignals()  # from now on SIGINT / SIGTERM wait for the event loop
    autotest = os.environ.get(AUTOTEST_VARIABLE) == "play-and-close"

    from backprop_lab.engine import __version__

    from .window.language_menu import apply_chosen_language
    from .window.logout import LogoutOnSignals
    from .window.main_window import MainWindow

    app.setApplicationVersion(__version__)
    icon = _icon_path()
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    apply_chosen_language()  # View > Language's choice, else the system's (LANG)
    window = MainWindow(defer_views=True)
    # an exception in a slot: one line, not a traceback; SIGINT / SIGTERM close the
    # window as a desktop logout does (run() uninstalls both: see stop_catching)
    window.error_hook = install_error_hook(window)
    window.termination_signals = signals
    LogoutOnSignals(signals, window)
    window.appearance.show_window()  # where the user left it, or fitted to the screen
    app.processEvents()  # lay out and paint the window before loading the plots
    if autotest:
        print("autotest: window shown", flush=True)
    window.install_views()
    # paint the views now: their first paint (~50-100 ms for all of them) must not fall
    # into the first seconds of Play when the user presses it at once. Two passes: a
    # plot's first paint sets its auto-range, which asks for a second paint
    for _ in range(2):
        app.processEvents()
    window.controller.warm_up()  # the training process imports NumPy while the user looks
    freeze_start_up_objects()
    if autotest:
        print("autotest: views ready", flush=True)
    return app, window


def stop_catching(window: QMainWindow) -> None:
    """Undo what :func:`start` installed for ``window``: the error hook and the SIGINT /
    SIGTERM handlers (``run`` calls it after the event loop; tests after ``start``)."""
    uninstall_error_hook(window.error_hook)
    window.termination_signals.uninstall()


def freeze_start_up_objects() -> None:
    """Collect the start-up garbage, then hide everything alive from the cyclic garbage
    collector (``gc.freeze``): the ~80,000 objects of the modules, the window and its
    views are never garbage, yet every full collection scanned them - 42-52 ms of the GUI
    thread, a visible stall whenever one fell into Play. Now a full collection scans only
    what was made since (~0 ms right after start). The cost: an object made at start-up
    that later becomes cyclic garbage (say a view replaced by an architecture change) is
    not freed - bounded by what start-up made."""
    gc.collect()
    gc.freeze()


def run(argv: Sequence[str] | None = None) -> int:
    """Run Backprop Lab's window; returns the process exit code (0 after a normal close).
    ``argv`` goes to QApplication (program name first); default ``sys.argv``."""
    app, window = start(argv)
    if os.environ.get(AUTOTEST_VARIABLE) == "play-and-close":
        _AutoTest(window)
    from .window.autotest import install as install_automation

    hooks = install_automation(window, os.environ.get(AUTOTEST_VARIABLE, ""))
    if hooks is None or not hooks.offers_recovery:
        QTimer.singleShot(0, window.recovery.offer_recovery)
    code = app.exec()
    stop_catching(window)
    window.deleteLater()
    return int(code)


__all__ = [
    "ErrorHook",
    "configure_pyqtgraph",
    "freeze_start_up_objects",
    "install_error_hook",
    "run",
    "start",
    "stop_catching",
    "uninstall_error_hook",
]
