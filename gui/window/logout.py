"""Closing as a desktop session's logout does, on SIGINT (Ctrl+C) or SIGTERM.

:func:`close_without_asking` closes one window the way a logout must (nobody can answer
the Save / Discard / Cancel question): training is paused, unsaved work goes into the
autosave the next start offers (:meth:`gui.files.recovery.Recovery.keep_for_next_start`),
and the window closes - its training process ends with it. :class:`LogoutOnSignals`
(installed by :func:`gui.app.run`) does this for every window when a signal arrives
(:mod:`gui.signals`) and ends the event loop with the signal's exit code: 130 for
SIGINT, 0 for SIGTERM.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtWidgets import QApplication

from ..signals import TerminationSignals, exit_code_for
from .main_window import MainWindow


def close_without_asking(window: MainWindow) -> bool:
    """Pause training, keep unsaved work in the autosave, close ``window`` without a
    question (its close stops the training process). True if the window closed."""
    window.controller.pause()
    window.recovery.keep_for_next_start()
    window.session.close_without_asking()
    return window.close()


class LogoutOnSignals(QObject):
    """While it exists, ``signals`` (SIGINT and SIGTERM, caught since start-up) close
    every main window with :func:`close_without_asking` and then quit the application
    with :func:`gui.signals.exit_code_for` the signal. A second signal is ignored."""

    def __init__(self, signals: TerminationSignals, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._closing = False
        self.signals = signals
        signals.received.connect(self._on_signal)

    @Slot(int)
    def _on_signal(self, signum: int) -> None:
        if self._closing:
            return
        self._closing = True
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):  # (closing a closed one again is a no-op)
                close_without_asking(widget)
        QCoreApplication.exit(exit_code_for(signum))

    def uninstall(self) -> None:
        """Give the signals back to their previous handlers (see TerminationSignals)."""
        self.signals.uninstall()


__all__ = ["LogoutOnSignals", "close_without_asking"]
