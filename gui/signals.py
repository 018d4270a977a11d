"""SIGINT and SIGTERM reach the window as a Qt signal, in the GUI thread.

Python runs its signal handlers only between bytecodes of the main thread: while Qt's
event loop waits in C++ a Ctrl+C is not seen at all, and while a slot runs it raises
KeyboardInterrupt in whatever code happens to run. The self-pipe pattern avoids both:

* the Python-level handlers installed here only record the signal (no exception);
* ``signal.set_wakeup_fd`` makes the C-level handler write the signal's number to one
  end of a socket pair, at once, whatever the main thread is doing;
* a :class:`QSocketNotifier` on the other end wakes the event loop, and
  :class:`TerminationSignals` emits ``received(signum)`` from there - in the GUI
  thread, between events, where closing the window is safe.

:mod:`gui.app` connects ``received`` to closing every window as a desktop logout does.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Iterable

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 0}  # 130: the shell's 128 + SIGINT


def exit_code_for(signum: int) -> int:
    """The exit code after closing on ``signum``: 130 for SIGINT (as a shell reports an
    interrupted program), 0 for SIGTERM (a requested, clean end), 128 + signum else."""
    return EXIT_CODES.get(signum, 128 + int(signum))


class TerminationSignals(QObject):
    """While installed, ``signals`` (default SIGINT and SIGTERM) emit ``received`` in
    the thread this object lives in (the GUI thread) instead of interrupting Python
    code. Install it from the main thread; :meth:`uninstall` restores the previous
    handlers and wake-up fd."""

    received = Signal(int)  # the signal's number

    def __init__(
        self, signals: Iterable[int] = (signal.SIGINT, signal.SIGTERM), parent=None
    ) -> None:
        super().__init__(parent)
        self.pending: list[int] = []  # recorded by the Python-level handler
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {s: signal.signal(s, self._record) for s in signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        self._installed = True

    def _record(self, signum: int, frame) -> None:
        """The Python-level handler: only records (the wake-up fd already woke Qt)."""
        self.pending.append(signum)

    @Slot()
    def _on_readable(self) -> None:
        data = b""
        with contextlib.suppress(BlockingIOError, InterruptedError, OSError):
            while chunk := self._reader.recv(64):
                data += chunk
        seen = list(data) or list(self.pending)
        self.pending.clear()
        for signum in dict.fromkeys(seen):  # each signal once, in order
            if signum in self._previous:  # (other handled signals wake the fd too)
                self.received.emit(signum)

    def uninstall(self) -> None:
        """Restore the previous handlers and wake-up fd and close the sockets. Idempotent."""
        if not self._installed:
            return
        self._installed = False
        self._notifier.setEnabled(False)
        for s, handler in self._previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


__all__ = ["EXIT_CODES", "TerminationSignals", "exit_code_for"]
