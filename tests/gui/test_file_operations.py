"""The menu items' file operations (gui/files/operations.py): File > Save / Save As /
Open / Export and Import Weights / Export Plot and the close button's Save read and
write in a background task behind a window-modal busy dialog - no nested event loop.

The work functions are replaced by ones that block until the test lets them go, so a
test can look at the window while the work runs: the dialog is up (only for slow work),
the GUI thread keeps running its timers, the file actions are disabled, and the result
is right once the work is done. Expected contents are read back by the engine."""

from __future__ import annotations

import os
import threading

import backprop_lab.engine.formats.atomic as atomic
import pytest
from backprop_lab.engine.formats import load_model
from backprop_lab.engine.formats.session import load_session
from backprop_lab.engine.network import Network
from backprop_lab.gui import file_dialogs, tasks
from backprop_lab.gui.files import plot_export
from backprop_lab.gui.files import session_files as session_files_module
from backprop_lab.gui.files import weight_files as weight_files_module
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog

from .session_util import (
    WAIT_MS,
    answer_questions,
    assert_states_equal,
    make_window,
    steps,
    unsaved_doings,
)

BLOCK_S = 20  # how long a blocked work function waits for the test at most


class Gate:
    """Wraps a work function: the call blocks on another thread until :meth:`open`."""

    def __init__(self, fn):
        self.fn = fn
        self.entered = threading.Event()
        self.released = threading.Event()
        self.threads: list[threading.Thread] = []

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        self.entered.set()
        assert self.released.wait(BLOCK_S), "the test never released the work"
        return self.fn(*args, **kwargs)

    def open(self) -> None:
        self.released.set()


class Ticker:
    """A GUI-thread timer that counts its ticks: proof that the event loop runs."""

    def __init__(self) -> None:
        self.ticks = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.ticks += 1


def progress_dialog(w):
    d = w.findChild(QProgressDialog, "progressDialog")
    return d if d is not None and d.isVisible() else None


def choose_file(monkeypatch, path) -> None:
    """The file dialogs answer ``path`` (None: they are cancelled)."""
    monkeypatch.setattr(file_dialogs, "show", file_dialogs.answer_with(path))


@pytest.fixture
def gated_save(monkeypatch):
    gate = Gate(session_files_module.save_session)
    monkeypatch.setattr(session_files_module, "save_session", gate)
    yield gate
    gate.open()


def file_actions(w):
    return [
        w.action_new, w.action_open, w.action_save, w.action_save_as,
        w.action_export, w.action_import,
    ]  # fmt: skip


# ---------------------------------------------------------------- slow and fast saves
def test_a_slow_save_shows_the_dialog_keeps_the_loop_running_and_writes_the_file(
    qtbot, tmp_path, monkeypatch, gated_save
):
    w = make_window(qtbot)
    w.show()
    qtbot.waitExposed(w)
    steps(w, 5)
    path = tmp_path / "slow.bplab"
    choose_file(monkeypatch, path)
    state = w.controller.trainer.get_state()
    ticker = Ticker()

    w.action_save.trigger()  # Untitled: Save asks for a name, then saves
    assert w.file_operations.busy
    assert gated_save.entered.wait(BLOCK_S)
    assert gated_save.threads[0] is not threading.main_thread()
    qtbot.waitUntil(lambda: progress_dialog(w) is not None, timeout=WAIT_MS)
    dialog = progress_dialog(w)
    assert dialog.labelText() == "Saving slow.bplab..."
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert not any(a.isEnabled() for a in file_actions(w))
    assert not w.plot_files.export_plot_menu.isEnabled()
    seen = ticker.ticks
    qtbot.waitUntil(lambda: ticker.ticks > seen + 3, timeout=WAIT_MS)  # the loop turns
    assert not path.exists()  # nothing is written before the work is let go
    assert w.session.is_modified()

    gated_save.open()
    qtbot.waitUntil(lambda: not w.file_operations.busy, timeout=WAIT_MS)
    assert progress_dialog(w) is None  # closed on done
    assert all(a.isEnabled() for a in file_actions(w))
    assert w.plot_files.export_plot_menu.isEnabled()
    assert_states_equal(load_session(path).trainer_state, state)
    assert not w.session.is_modified()
    assert w.session.path == str(path)
    assert w.statusBar().currentMessage() == f"Saved {path}"


def test_a_fast_save_shows_no_dialog(qtbot, tmp_path, monkeypatch):
    # the dialog waits SHOW_AFTER_MS: here longer than any save of this tiny session
    monkeypatch.setattr(tasks, "SHOW_AFTER_MS", 60_000)
    shown = []
    real_busy_dialog = tasks.busy_dialog
    monkeypatch.setattr(tasks, "busy_dialog", lambda *a: shown.append(a) or real_busy_dialog(*a))
    w = make_window(qtbot)
    steps(w, 2)
    path = tmp_path / "fast.bplab"
    assert w.save_session(path)
    steps(w, 2)
    w.action_save.trigger()  # the session has a file: no dialog asks for one
    qtbot.waitUntil(lambda: not w.file_operations.busy, timeout=WAIT_MS)
    assert shown == []
    assert load_session(path).trainer_state.step == 4
    assert not w.session.is_modified()


def test_a_failing_save_shows_the_message_and_keeps_the_old_file(qtbot, tmp_path, monkeypatch):
    w = make_window(qtbot)
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "keep.bplab"
    steps(w, 3)
    assert w.save_session(path)
    old = path.read_bytes()
    steps(w, 3)

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    with qtbot.waitSignal(w.messageShown, timeout=WAIT_MS) as message:
        w.action_save.trigger()
        assert message.args is None  # the message comes later, from the task's end
    assert message.args[0] == "Cannot save the session"
    assert "No space left on device" in message.args[1]
    assert path.read_bytes() == old
    assert os.listdir(folder) == ["keep.bplab"]  # no temporary file left
    assert w.session.is_modified()
    assert not w.file_operations.busy


def test_a_save_resumes_training_when_it_is_done(qtbot, tmp_path, monkeypatch, gated_save):
    w = make_window(qtbot)
    path = tmp_path / "run.bplab"
    choose_file(monkeypatch, path)
    w.action_play.trigger()
    qtbot.waitUntil(
        lambda: w.last_snapshot is not None and w.last_snapshot.step > 3, timeout=WAIT_MS
    )
    w.action_save.trigger()
    assert not w.controller.is_running  # paused for the exact state
    gated_save.open()
    qtbot.waitUntil(lambda: w.controller.is_running, timeout=WAIT_MS)
    assert load_session(path).trainer_state.step > 3
    w.action_play.trigger()
    qtbot.waitUntil(lambda: not w.controller.is_running, timeout=WAIT_MS)


def test_scripts_are_refused_while_a_file_operation_runs(qtbot, tmp_path, monkeypatch, gated_save):
    w = make_window(qtbot)
    steps(w, 2)
    path = tmp_path / "a.bplab"
    choose_file(monkeypatch, path)
    w.action_save.trigger()
    assert gated_save.entered.wait(BLOCK_S)
    other = tmp_path / "b.bplab"
    assert not w.save_session(other)
    assert w.last_message[1] == "Another file operation is still under way."
    assert not w.open_session(path)
    assert not w.export_weights(tmp_path / "n.json")
    assert not w.session.new()
    assert not w.recovery.offer_recovery()
    gated_save.open()
    qtbot.waitUntil(lambda: not w.file_operations.busy, timeout=WAIT_MS)
    assert path.is_file() and not other.exists()
    assert w.save_session(other)  # and accepted again afterwards


# ---------------------------------------------------------------- opening
def test_open_reads_in_the_background_and_applies_the_session(qtbot, tmp_path, monkeypatch):
    a = make_window(qtbot)
    steps(a, 6)
    path = tmp_path / "six.bplab"
    assert a.save_session(path)
    state = a.controller.trainer.get_state()
    gate = Gate(session_files_module.load_session)
    monkeypatch.setattr(session_files_module, "load_session", gate)
    choose_file(monkeypatch, path)
    b = make_window(qtbot)
    b.show()
    qtbot.waitExposed(b)
    ticker = Ticker()
    b.action_open.trigger()
    assert gate.entered.wait(BLOCK_S)
    qtbot.waitUntil(lambda: progress_dialog(b) is not None, timeout=WAIT_MS)
    assert progress_dialog(b).labelText() == "Opening six.bplab..."
    seen = ticker.ticks
    qtbot.waitUntil(lambda: ticker.ticks > seen + 3, timeout=WAIT_MS)
    assert b.controller.trainer.step_count == 0  # not applied before it is read
    gate.open()
    qtbot.waitUntil(lambda: not b.file_operations.busy, timeout=WAIT_MS)
    assert progress_dialog(b) is None
    assert_states_equal(b.controller.trainer.get_state(), state)
    assert b.session.path == str(path)
    assert not b.session.is_modified()


def test_a_broken_file_from_the_menu_shows_the_message_and_changes_nothing(
    qtbot, tmp_path, monkeypatch
):
    w = make_window(qtbot)
    steps(w, 3)
    state = w.controller.trainer.get_state()
    path = tmp_path / "broken.bplab"
    path.write_bytes(b"not a session")
    choose_file(monkeypatch, path)
    answer_questions("discard")
    with qtbot.waitSignal(w.messageShown, timeout=WAIT_MS) as message:
        w.action_open.trigger()
    assert message.args[0] == "Cannot open the session"
    assert_states_equal(w.controller.trainer.get_state(), state)
    assert w.session.path is None


def test_open_with_unsaved_work_and_save_saves_first_then_opens(qtbot, tmp_path, monkeypatch):
    a = make_window(qtbot)
    steps(a, 2)
    other = tmp_path / "other.bplab"
    assert a.save_session(other)
    w = make_window(qtbot)
    steps(w, 3)
    mine = tmp_path / "mine.bplab"
    assert w.save_session(mine)
    steps(w, 2)
    gate = Gate(session_files_module.save_session)
    monkeypatch.setattr(session_files_module, "save_session", gate)
    choose_file(monkeypatch, other)  # the Open dialog's answer (Save needs none)
    answer_questions("save")
    w.action_open.trigger()
    assert gate.entered.wait(BLOCK_S)
    assert w.controller.trainer.step_count == 5  # Open waits for the save
    gate.open()
    qtbot.waitUntil(lambda: w.controller.trainer.step_count == 2, timeout=WAIT_MS)
    assert load_session(mine).trainer_state.step == 5
    assert w.session.path == str(other)


def test_new_with_unsaved_work_and_save_continues_after_the_save(
    qtbot, tmp_path, monkeypatch, gated_save
):
    w = make_window(qtbot)
    steps(w, 4)
    path = tmp_path / "before-new.bplab"
    choose_file(monkeypatch, path)
    asked = []
    answer_questions("save", asked=asked)
    w.action_new.trigger()
    assert unsaved_doings(asked) == ["starting a new session"]
    assert gated_save.entered.wait(BLOCK_S)
    assert w.controller.trainer.step_count == 4  # New waits for the save
    gated_save.open()
    qtbot.waitUntil(lambda: w.controller.trainer.step_count == 0, timeout=WAIT_MS)
    assert load_session(path).trainer_state.step == 4
    assert w.session.path is None and not w.session.is_modified()


# ---------------------------------------------------------------- closing
def test_close_then_save_finishes_the_save_then_closes(qtbot, tmp_path, monkeypatch, gated_save):
    w = make_window(qtbot)
    w.show()
    steps(w, 5)
    path = tmp_path / "closing.bplab"
    choose_file(monkeypatch, path)
    asked = []
    answer_questions("save", asked=asked)
    assert not w.close()  # not yet: the save runs
    assert gated_save.entered.wait(BLOCK_S)
    assert w.isVisible()
    gated_save.open()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT_MS)
    assert unsaved_doings(asked) == ["closing"]  # saved: closing again did not ask again
    assert load_session(path).trainer_state.step == 5
    assert not w.controller.is_running


def test_a_close_while_a_file_operation_runs_waits_for_it(qtbot, tmp_path, monkeypatch, gated_save):
    w = make_window(qtbot)
    w.show()
    steps(w, 3)
    path = tmp_path / "first.bplab"
    choose_file(monkeypatch, path)
    w.action_save_as.trigger()
    assert gated_save.entered.wait(BLOCK_S)
    asked = []
    answer_questions("cancel", asked=asked)
    assert not w.close()  # not while the file is written...
    assert asked == [] and w.isVisible()
    gated_save.open()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT_MS)  # ... but right after
    assert asked == []  # saved: nothing to ask
    assert load_session(path).trainer_state.step == 3


def test_close_then_a_failing_save_keeps_the_window_open(qtbot, tmp_path, monkeypatch):
    w = make_window(qtbot)
    w.show()
    steps(w, 2)
    path = tmp_path / "denied.bplab"
    choose_file(monkeypatch, path)

    def denied(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", denied)
    answer_questions("save")
    with qtbot.waitSignal(w.messageShown, timeout=WAIT_MS) as message:
        assert not w.close()
    assert message.args[0] == "Cannot save the session"
    assert w.isVisible() and not path.exists()
    assert w.session.is_modified()
    steps(w, 1)  # still alive and usable
    answer_questions("discard")


def test_close_then_a_cancelled_save_as_dialog_keeps_the_window_open(qtbot, monkeypatch):
    w = make_window(qtbot)
    w.show()
    steps(w, 2)
    choose_file(monkeypatch, None)  # the user cancels the file dialog
    answer_questions("save")
    assert not w.close()
    assert w.isVisible() and not w.file_operations.busy
    answer_questions("discard")


# ---------------------------------------------------------------- weights and plots
def test_export_and_import_weights_from_the_menu(qtbot, tmp_path, monkeypatch):
    a = make_window(qtbot)
    steps(a, 5)
    path = tmp_path / "net.npz"
    gate = Gate(weight_files_module.save_model)
    monkeypatch.setattr(weight_files_module, "save_model", gate)
    choose_file(monkeypatch, path)
    net = a.controller.network
    expected = Network.from_flat(net.architecture, net.flat.copy())
    a.action_export.trigger()
    assert gate.entered.wait(BLOCK_S)
    steps(a, 1)  # the network changes: the export has its own copy
    gate.open()
    qtbot.waitUntil(lambda: not a.file_operations.busy, timeout=WAIT_MS)
    assert load_model(path).equals(expected)
    assert a.statusBar().currentMessage() == f"Weights saved to {path}"

    b = make_window(qtbot)
    with qtbot.waitSignal(b.networkImported, timeout=WAIT_MS) as imported:
        b.action_import.trigger()
    assert imported.args == [str(path)]
    assert b.controller.network.equals(expected)


def test_export_plot_from_the_menu_writes_in_the_background(qtbot, tmp_path, monkeypatch):
    w = make_window(qtbot)
    steps(w, 3)
    path = tmp_path / "loss.png"
    gate = Gate(plot_export.write_plot)
    monkeypatch.setattr(plot_export, "write_plot", gate)
    choose_file(monkeypatch, path)
    action = next(a for a in w.plot_files.export_plot_menu.actions() if a.data() == "loss_plot")
    action.trigger()
    assert gate.entered.wait(BLOCK_S)
    assert gate.threads[0] is not threading.main_thread()
    assert not path.exists()
    gate.open()
    qtbot.waitUntil(lambda: not w.file_operations.busy, timeout=WAIT_MS)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert w.statusBar().currentMessage() == f"Plot saved to {path}"
