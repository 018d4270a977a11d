"""SIGINT and SIGTERM close the window as a desktop logout does (issue 13).

The subprocess tests run the real entry point: while it trains, a signal must stop
training, keep the unsaved work in an autosave the next start restores exactly, end the
training process, and exit with 130 (SIGINT) or 0 (SIGTERM) and no traceback. Idle, with
nothing unsaved, SIGINT exits at once and leaves no autosave. In process: the signal
plumbing (gui.signals) and closing without the unsaved-work question."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from backprop_lab.engine.formats.session import find_autosave, load_session
from backprop_lab.gui.window.autotest import network_digest

from ..engine.transport.test_worker_process import process_gone, wait_gone
from .session_util import WAIT_MS, make_window, steps
from .test_crash_recovery import RESTORED, _autosave_dirs, _env
from .test_entry_point import IGNORED_STDERR, entry_point_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
TRAINING = re.compile(r"autotest: training process (\d+)")


class App:
    """The entry point in a subprocess, its stdout read line by line on a thread."""

    def __init__(self, tmp_path: Path, mode: str) -> None:
        self.proc = subprocess.Popen(
            entry_point_command(), env=_env(tmp_path, mode), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        )  # fmt: skip
        self.lines: list[str] = []
        self._new = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._new:
                self.lines.append(line.rstrip("\n"))
                self._new.notify_all()

    def wait_for(self, pattern: re.Pattern, timeout: float = 90) -> re.Match:
        with self._new:
            found = self._new.wait_for(
                lambda: any(pattern.fullmatch(ln) for ln in self.lines), timeout
            )
            assert found, f"no {pattern.pattern!r} in {self.lines}"
            return next(m for ln in self.lines if (m := pattern.fullmatch(ln)))

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        try:
            self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(30)
        self._reader.join(10)
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode, err


def _unexpected(stderr: str) -> list[str]:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    return [ln for ln in lines if not any(ig in ln for ig in IGNORED_STDERR)]


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_a_signal_while_training_closes_like_a_logout_and_keeps_the_work(tmp_path, signum, code):
    app = App(tmp_path, "play-until-killed")
    child = int(app.wait_for(TRAINING).group(1))
    assert not process_gone(child)
    app.proc.send_signal(signum)
    returncode, stderr = app.finish()

    assert returncode == code, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert _unexpected(stderr) == []
    assert wait_gone(child), "the training process outlived the window"
    folders = _autosave_dirs(tmp_path)
    assert len(folders) == 1, "the unsaved work was not kept"
    saved = load_session(find_autosave(folders[0]))
    assert saved.trainer_state.step > 0

    result = subprocess.run(
        entry_point_command(), env=_env(tmp_path, "recover-and-close"),
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    restored = [m for ln in result.stdout.splitlines() if (m := RESTORED.fullmatch(ln))]
    assert len(restored) == 1, result.stdout
    assert int(restored[0].group(1)) == saved.trainer_state.step
    assert restored[0].group(2) == network_digest(saved.trainer_state.network)


@pytest.mark.slow
def test_sigint_while_idle_exits_130_and_leaves_nothing(tmp_path):
    app = App(tmp_path, "idle-until-killed")
    app.wait_for(re.compile("autotest: idle"))
    app.proc.send_signal(signal.SIGINT)
    returncode, stderr = app.finish()
    assert returncode == 130, stderr
    assert "Traceback" not in stderr
    assert _autosave_dirs(tmp_path) == []  # nothing unsaved: a clean exit


# ---------------------------------------------------------------- in process
def test_termination_signals_arrive_in_the_gui_thread_without_an_exception(qtbot):
    from backprop_lab.gui.signals import TerminationSignals, exit_code_for

    before = signal.getsignal(signal.SIGTERM)
    signals = TerminationSignals()
    try:
        with qtbot.waitSignal(signals.received, timeout=WAIT_MS) as blocker:
            os.kill(os.getpid(), signal.SIGTERM)
        assert blocker.args == [signal.SIGTERM]
        with qtbot.waitSignal(signals.received, timeout=WAIT_MS) as blocker:
            os.kill(os.getpid(), signal.SIGINT)  # no KeyboardInterrupt
        assert blocker.args == [signal.SIGINT]
    finally:
        signals.uninstall()
    assert signal.getsignal(signal.SIGTERM) == before
    assert (exit_code_for(signal.SIGINT), exit_code_for(signal.SIGTERM)) == (130, 0)


def test_closing_without_asking_keeps_unsaved_work_for_the_next_start(qtbot):
    from backprop_lab.gui.files.autosave import orphaned_autosaves
    from backprop_lab.gui.window.logout import close_without_asking

    asked = []
    w = make_window(qtbot, questions=asked)
    steps(w, 5)
    w.action_play.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.step > 20, timeout=WAIT_MS)
    folder = w.recovery.autosaver.folder
    assert close_without_asking(w)
    assert asked == []  # no Save / Discard / Cancel
    assert not w.controller.is_running and w.controller.worker_pid is None
    (orphan,) = orphaned_autosaves()  # offered at the next start
    try:
        assert orphan.folder == folder
        saved = load_session(orphan.path)
        assert saved.trainer_state.step == w.controller.trainer.step_count > 20
    finally:
        orphan.release(remove=True)


@pytest.mark.slow
def test_the_training_process_ends_with_a_window_killed_outright(tmp_path):
    app = App(tmp_path, "play-until-killed")
    child = int(app.wait_for(TRAINING).group(1))
    app.proc.send_signal(signal.SIGKILL)  # no clean-up at all in the window
    returncode, _ = app.finish()
    assert returncode == -signal.SIGKILL
    assert wait_gone(child), "the training process outlived the window"
