"""A training process that stops answering (issue 13): the real child is frozen with
SIGSTOP; the window must notice (a heartbeat goes silent), say so, offer to stop it,
keep its GUI thread running meanwhile, never wait for it on Pause, and train on from the
last good state in a fresh process afterwards."""

from __future__ import annotations

import os
import signal
import sys

import pytest
from backprop_lab.gui.training import play_runs
from PySide6.QtCore import QObject, QTimer, Slot

from .session_util import WAIT_MS, answer_questions, make_window, steps
from .test_signals import process_gone, wait_gone

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


class Ticks(QObject):
    """Counts a 20 ms QTimer's timeouts in the GUI thread: it keeps counting only if the
    GUI thread is not blocked."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.timer = QTimer(self)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    @Slot()
    def tick(self) -> None:
        self.count += 1


class Flags(QObject):
    def __init__(self, controller) -> None:
        super().__init__()
        self.stalled: list[bool] = []
        self.errors: list[str] = []
        controller.workerStalled.connect(self.on_stalled)
        controller.errorOccurred.connect(self.on_error)

    @Slot(bool)
    def on_stalled(self, stalled: bool) -> None:
        self.stalled.append(stalled)

    @Slot(str)
    def on_error(self, message: str) -> None:
        self.errors.append(message)


def _play_until_checkpoint(qtbot, w):
    """Play until the child has sent a checkpoint (the last good state to fall back to)."""
    w.action_play.trigger()
    qtbot.waitUntil(lambda: w.controller.latest_state() is not None, timeout=WAIT_MS)
    return w.controller.worker_pid


def test_a_frozen_training_process_is_noticed_stopped_and_replaced(qtbot):
    asked: list[str] = []
    w = make_window(qtbot)
    answer_questions(yes=True, asked=asked)  # yes: stop it
    flags = Flags(w.controller)
    steps(w, 3)
    pid = _play_until_checkpoint(qtbot, w)
    os.kill(pid, signal.SIGSTOP)
    try:
        ticks = Ticks()
        checkpoint = w.controller.latest_state()
        qtbot.waitUntil(lambda: flags.stalled[:1] == [True], timeout=WAIT_MS)
        # the GUI thread kept running while the child was silent (~2 s of 20 ms ticks)
        assert ticks.count >= 10
        assert len(asked) == 1 and "Stop it?" in asked[0]
        # answered yes: the frozen process was killed and training paused at the last
        # checkpoint it sent
        qtbot.waitUntil(lambda: not w.controller.is_running, timeout=WAIT_MS)
        assert flags.stalled == [True, False]
        assert wait_gone(pid)
        assert flags.errors and "did not respond" in flags.errors[0]
        assert w.controller.trainer.step_count >= checkpoint.step >= 3
    finally:
        if not process_gone(pid):
            os.kill(pid, signal.SIGKILL)
    resumed_at = w.controller.trainer.step_count
    assert not w.controller.worker_stalled

    # Play starts a fresh process from there and trains on
    w.action_play.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.step > resumed_at + 10, timeout=WAIT_MS)
    assert w.controller.worker_pid not in (None, pid)
    w.action_play.trigger()  # pause
    assert not w.controller.is_running
    assert w.controller.trainer.step_count > resumed_at + 10
    assert flags.stalled == [True, False]


def test_pause_does_not_wait_for_a_frozen_process(qtbot, monkeypatch):
    # a pause that waited for the child's answer until the timeout would hang the test
    monkeypatch.setattr(play_runs, "PAUSE_TIMEOUT_MS", 10 * 60 * 1000)
    w = make_window(qtbot)
    answer_questions(yes=False)
    flags = Flags(w.controller)
    pid = _play_until_checkpoint(qtbot, w)
    os.kill(pid, signal.SIGSTOP)
    try:
        w.controller.pause()  # gives up once the child has been silent for ~2 s
        assert not w.controller.is_running
        assert wait_gone(pid)
        assert flags.errors and "did not respond" in flags.errors[0]
    finally:
        if not process_gone(pid):
            os.kill(pid, signal.SIGKILL)


def test_declining_keeps_waiting_and_a_process_that_answers_again_is_not_stopped(qtbot):
    asked: list[str] = []
    w = make_window(qtbot)
    answer_questions(yes=False, asked=asked)  # no: keep waiting
    flags = Flags(w.controller)
    pid = _play_until_checkpoint(qtbot, w)
    os.kill(pid, signal.SIGSTOP)
    try:
        qtbot.waitUntil(lambda: flags.stalled[:1] == [True], timeout=WAIT_MS)
        assert w.controller.is_running and w.controller.worker_stalled
        assert "not responding" in w.statusBar().currentMessage()
    finally:
        os.kill(pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: flags.stalled == [True, False], timeout=WAIT_MS)
    assert w.controller.is_running and w.controller.worker_pid == pid
    step = w.last_snapshot.step
    qtbot.waitUntil(lambda: w.last_snapshot.step > step, timeout=WAIT_MS)  # trains on
    w.action_play.trigger()
    assert not w.controller.is_running and flags.errors == []
    assert len(asked) == 1
