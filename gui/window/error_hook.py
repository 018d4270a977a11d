"""Unexpected errors in the window: an exception that escapes a slot or a Qt virtual
method (a paint, an event handler) cannot reach any caller - PySide hands it to
``sys.excepthook``. :func:`install` puts a hook there that

* shows one readable line in the window (``MainWindow.show_error``: the status bar and a
  non-blocking message box): "Unexpected error in <where>: <ExcType>: <message>";
* writes the full traceback to stderr and to the error log in the application-data
  folder (:mod:`gui.error_log`), for a bug report;
* never raises itself, and shows the same error again only in the status bar (a view
  that fails on every snapshot does not open a box 30 times a second; its traceback is
  logged the first :data:`LOGGED_REPEATS` times).

The window keeps its last good state: the failing slot's work is lost, nothing else -
training, Save and autosave go on. KeyboardInterrupt and SystemExit go only to the hook
that was there before; other exceptions go to it too unless it is Python's default (which
would print the traceback a second time) - so pytest-qt's capture still fails a test.
``gui.app.run`` installs it for the app's window (``gui.app.install_error_hook``); tests
install it the same way, with pytest-qt's capture off where the error is the point
(``@pytest.mark.qt_no_exception_capture``).
"""

from __future__ import annotations

import contextlib
import sys

from PySide6.QtCore import QCoreApplication

from ..error_log import describe, format_exception, where_raised, write_report

LOGGED_REPEATS = 3


class ErrorHook:
    """A ``sys.excepthook`` that reports to ``window`` (see the module docstring)."""

    def __init__(self, window, previous=None) -> None:
        self.window = window
        self.previous = previous if previous is not None else sys.__excepthook__
        self.seen: dict[str, int] = {}  # line -> how often
        self._reporting = False

    def __call__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt | SystemExit):
            with contextlib.suppress(Exception):
                self.previous(exc_type, exc, tb)
            return
        if self._reporting:  # an error while reporting one: stderr only
            with contextlib.suppress(Exception):
                sys.__stderr__.write(format_exception(exc_type, exc, tb))
            return
        self._reporting = True
        try:
            self.report(exc, tb)
        except Exception:
            with contextlib.suppress(Exception):
                sys.__stderr__.write(format_exception(exc_type, exc, tb))
        finally:
            self._reporting = False
        if self.previous is not sys.__excepthook__:  # e.g. pytest-qt's capture in tests
            with contextlib.suppress(Exception):
                self.previous(exc_type, exc, tb)

    def report(self, exc: BaseException, tb) -> None:
        """Log ``exc`` and show it as one line (once as a message box per distinct line)."""
        line = QCoreApplication.translate("UnexpectedError", "Unexpected error in {0}").format(
            describe(exc, where_raised(tb))
        )
        count = self.seen.get(line, 0) + 1
        self.seen[line] = count
        if count <= LOGGED_REPEATS:
            write_report(line, format_exception(type(exc), exc, tb))
        window = self.window
        if window is None:
            return
        if count == 1:
            window.show_error(
                QCoreApplication.translate("UnexpectedError", "Unexpected error"), line
            )
        else:
            window.statusBar().showMessage(line)


def install(window) -> ErrorHook:
    """Route unexpected exceptions to ``window`` from now on (see the module docstring);
    the previous hook is kept for KeyboardInterrupt and SystemExit and put back by
    :func:`uninstall`."""
    hook = ErrorHook(window, sys.excepthook)
    sys.excepthook = hook
    return hook


def uninstall(hook: ErrorHook) -> None:
    """Put back the hook that was there before ``hook`` (if ``hook`` is still installed)."""
    if sys.excepthook is hook:
        sys.excepthook = hook.previous
    hook.window = None


__all__ = ["LOGGED_REPEATS", "ErrorHook", "install", "uninstall"]
