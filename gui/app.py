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
(``Recovery.offer_recovery``, :mod:`gui.files.recovery`). SIGINT (Ctrl+C) and SIGTERM
close the window as a desktop logout does (:mod:`gui.window.logout`): unsaved work is
autosaved for the next start and the exit code is 130 or 0.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from backprop_lab import resources
from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .signals import TerminationSignals
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


def run(argv: Sequence[str] | None = None) -> int:
    """Run Backprop Lab's window; returns the process exit code (0 after a normal close).
    ``argv`` goes to QApplication (program name first); default ``sys.argv``."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(sys.argv if argv is None else argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    signals = TerminationSignals()  # from now on SIGINT / SIGTERM wait for the event loop
    autotest = os.environ.get(AUTOTEST_VARIABLE) == "play-and-close"

    from backprop_lab.engine import __version__

    from .window.logout import LogoutOnSignals
    from .window.main_window import MainWindow

    app.setApplicationVersion(__version__)
    icon = _icon_path()
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    window = MainWindow(defer_views=True)
    LogoutOnSignals(signals, window)  # they close the window as a desktop logout does
    window.show()
    app.processEvents()  # lay out and paint the window before loading the plots
    if autotest:
        print("autotest: window shown", flush=True)
    window.install_views()
    window.controller.warm_up()  # the training process imports NumPy while the user looks
    if autotest:
        print("autotest: views ready", flush=True)
        _AutoTest(window)
    from .window.autotest import install as install_automation

    hooks = install_automation(window, os.environ.get(AUTOTEST_VARIABLE, ""))
    if hooks is None or not hooks.offers_recovery:
        QTimer.singleShot(0, window.recovery.offer_recovery)
    code = app.exec()
    signals.uninstall()
    window.deleteLater()
    return int(code)


__all__ = ["configure_pyqtgraph", "run"]
