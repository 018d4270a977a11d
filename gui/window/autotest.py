"""Automation hooks for the subprocess tests (``BACKPROP_LAB_AUTOTEST``, see gui/app.py).

In every automation mode nothing waits for a person: the Save / Discard / Cancel
question answers "discard" and yes/no questions answer no - except in
``recover-and-close``, which answers yes to restoring a crashed window's work. Progress
goes to stdout as ``autotest: ...`` lines:

``play-until-killed``
    press Play; print ``autotest: training process PID`` (the worker process's id) when
    its first snapshot arrives and ``autotest: autosaved iteration N`` after every
    completed autosave (the test then kills the process, or sends it SIGINT / SIGTERM).
``idle-until-killed``
    print ``autotest: idle`` once the window is up, then wait (for a signal).
``recover-and-close``
    offer recovery; print ``autotest: restored iteration N network SHA256`` (the SHA-256
    of the restored flat parameter vector's bytes) or ``autotest: nothing restored``,
    then close the window.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QMessageBox

from .. import questions

MODES = ("play-and-close", "play-until-killed", "idle-until-killed", "recover-and-close")
PLAY_MS = 300
CLOSE_MS = 300


def network_digest(network) -> str:
    """SHA-256 of a network's flat parameters (how the tests compare networks)."""
    return hashlib.sha256(network.flat.tobytes()).hexdigest()


class AutomationHooks(QObject):
    """Answers the questions and runs the session modes (see the module docstring)."""

    def __init__(self, window, mode: str) -> None:
        super().__init__(window)
        self.window, self.mode = window, mode
        questions.show = self.answer
        self._pid_reported = False
        if mode == "play-until-killed":
            window.recovery.autosaver.saved.connect(self._on_autosaved)
            window.controller.snapshotReady.connect(self._on_snapshot)
            QTimer.singleShot(PLAY_MS, self._play)
        elif mode == "idle-until-killed":
            QTimer.singleShot(0, self._idle)
        elif mode == "recover-and-close":
            QTimer.singleShot(0, self._recover)

    @property
    def offers_recovery(self) -> bool:
        """True when this mode offers recovery itself."""
        return self.mode == "recover-and-close"

    def answer(self, box: QMessageBox) -> None:
        """The :data:`gui.questions.show` of the automation modes (see the module
        docstring); a yes/no question is printed as ``autotest: asked TITLE``."""
        if box.objectName() == questions.QUESTION_BOX:
            print(f"autotest: asked {box.windowTitle()}", flush=True)
        questions.answer_with("discard", yes=self.mode == "recover-and-close")(box)

    @Slot()
    def _idle(self) -> None:
        print("autotest: idle", flush=True)

    @Slot()
    def _play(self) -> None:
        self.window.action_play.trigger()

    @Slot(object)
    def _on_snapshot(self, snap) -> None:
        pid = self.window.controller.worker_pid
        if not self._pid_reported and self.window.controller.is_running and snap.step > 0:
            self._pid_reported = True
            print(f"autotest: training process {pid}", flush=True)

    @Slot(int)
    def _on_autosaved(self, step: int) -> None:
        print(f"autotest: autosaved iteration {step}", flush=True)

    @Slot()
    def _recover(self) -> None:
        w = self.window
        w.recovery.offer_recovery(self._recovered)

    def _recovered(self, restored: bool) -> None:
        w = self.window
        if restored:
            state = w.controller.trainer.get_state()
            print(
                f"autotest: restored iteration {state.step} network "
                f"{network_digest(state.network)}",
                flush=True,
            )
        else:
            print("autotest: nothing restored", flush=True)
        QTimer.singleShot(CLOSE_MS, w.close)


def install(window, mode: str) -> AutomationHooks | None:
    """Install the hooks for ``mode`` (None if it is not an automation mode)."""
    return AutomationHooks(window, mode) if mode in MODES else None


__all__ = ["MODES", "AutomationHooks", "install", "network_digest"]
