"""Session files in the window (issue 5): save -> close -> open continues exactly, the
title and its modified mark, Save / Discard / Cancel, atomic saves that fail cleanly,
broken and hostile files refused without touching the session, recent files.

Expected numbers come from the engine (load_session, an untouched window that keeps
training), never from the code under test."""

from __future__ import annotations

import io
import os
import threading
import zipfile

import backprop_lab.engine.formats.atomic as atomic
import numpy as np
import pytest
from backprop_lab.engine.data import load_csv
from backprop_lab.engine.formats import ModelFileError
from backprop_lab.engine.formats.session import load_session
from backprop_lab.gui import file_dialogs
from backprop_lab.gui import settings as user
from backprop_lab.gui.files import session_files as session_files_module
from PySide6.QtCore import QTimer

from .session_util import (
    WAIT_MS,
    answer_questions,
    assert_histories_equal,
    assert_states_equal,
    curve,
    history,
    make_window,
    play_until,
    steps,
    unsaved_doings,
)


def trained_window(qtbot, optimizer: str = "adam"):
    """The default example with ``optimizer``, trained by Play and then a few Steps so
    that the batch order stands mid-epoch."""
    w = make_window(qtbot)
    w.training_panel.optimizer_combo.setCurrentText(optimizer)
    w.training_panel.lr_spin.setValue(0.05)
    play_until(qtbot, w, lambda: w.last_snapshot is not None and w.last_snapshot.step >= 40)
    steps(w, 3)
    return w


# ---------------------------------------------------------------- exact continuation
@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_save_close_open_is_bit_identical_and_continues_exactly(qtbot, tmp_path, optimizer):
    a = trained_window(qtbot, optimizer)
    path = tmp_path / "run.bplab"
    saved_state = a.controller.trainer.get_state()
    saved_history = history(a)
    saved_curve = curve(a)
    assert a.save_session(path)
    assert not a.session.is_modified()

    # the file holds exactly that state and history (read by the engine)
    on_disk = load_session(path)
    assert_states_equal(on_disk.trainer_state, saved_state)
    assert_histories_equal(on_disk.history, saved_history)

    expected = steps(a, 7)  # never closed: keep training
    a.close()

    b = make_window(qtbot)
    assert b.open_session(path)
    assert_states_equal(b.controller.trainer.get_state(), saved_state)
    assert_histories_equal(history(b), saved_history)
    for got, want in zip(curve(b), saved_curve, strict=True):
        np.testing.assert_array_equal(got, want)
    assert b.training_panel.settings().optimizer == optimizer
    assert b.training_panel.iteration_label.text() == f"{saved_state.step:,}"
    assert not b.session.is_modified()
    assert steps(b, 7) == expected  # the same numbers as if never closed
    assert b.session.is_modified()


def test_reopened_session_plays_on_exactly(qtbot, tmp_path):
    a = trained_window(qtbot)
    path = tmp_path / "play.bplab"
    assert a.save_session(path)
    b = make_window(qtbot)
    assert b.open_session(path)
    start = b.controller.trainer.step_count
    play_until(qtbot, b, lambda: b.last_snapshot.step >= start + 30)
    n = b.controller.trainer.step_count - start
    steps(a, n)  # the never-closed window, stepped as far
    assert_states_equal(b.controller.trainer.get_state(), a.controller.trainer.get_state())


def test_csv_session_reopens_without_the_csv_file(qtbot, tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(60, 3))
    y = (x[:, 0] - x[:, 1] > 0).astype(int)
    csv = tmp_path / "blobs.csv"
    csv.write_text(
        "a,b,c,label\n" + "".join(f"{r[0]},{r[1]},{r[2]},{c}\n" for r, c in zip(x, y, strict=True))
    )
    a = make_window(qtbot)
    with qtbot.waitSignal(a.data_panel.datasetChanged, timeout=WAIT_MS):
        a.data_panel.load_csv_file(str(csv))
    steps(a, 9)
    path = tmp_path / "csv.bplab"
    assert a.save_session(path)
    expected = steps(a, 4)
    c = a.data_panel.choice
    load_csv_rows = load_csv(str(csv), c.targets, c.val_split, c.seed, standardize=c.standardize)
    csv.unlink()  # the session carries the rows

    b = make_window(qtbot)
    assert b.open_session(path)
    ds_b = b.controller.dataset
    truth = load_csv_rows  # the rows as the engine reads them
    for k in ("x", "t", "x_val", "t_val"):
        np.testing.assert_array_equal(getattr(ds_b, k), getattr(truth, k))
    assert b.data_panel.choice.source == "csv"
    assert steps(b, 4) == expected


def test_a_session_saved_with_standardisation_on_reopens_standardised(qtbot, tmp_path):
    # standardisation is off by default now; a session whose recipe says it was on
    # (the old default) must reopen exactly as it was saved
    rng = np.random.default_rng(4)
    rows = np.column_stack([rng.normal(5, 3, size=(40, 2)), rng.integers(0, 2, 40)])
    csv = tmp_path / "scaled.csv"
    csv.write_text("a,b,label\n" + "".join(f"{r[0]},{r[1]},{int(r[2])}\n" for r in rows))
    a = make_window(qtbot)
    assert not a.data_panel.standardize_check.isChecked()
    a.data_panel.standardize_check.setChecked(True)
    with qtbot.waitSignal(a.data_panel.datasetChanged, timeout=WAIT_MS):
        a.data_panel.load_csv_file(str(csv))
    steps(a, 3)
    path = tmp_path / "scaled.bplab"
    assert a.save_session(path)
    assert load_session(path).data["standardize"] is True
    expected = steps(a, 2)

    b = make_window(qtbot)
    assert not b.data_panel.standardize_check.isChecked()
    assert b.open_session(path)
    assert b.data_panel.choice.standardize and b.data_panel.standardize_check.isChecked()
    truth = load_csv(str(csv), 1, 0.2, 0, standardize=True)
    np.testing.assert_array_equal(b.controller.dataset.x, truth.x)
    np.testing.assert_array_equal(b.controller.dataset.mean, truth.mean)
    assert steps(b, 2) == expected


def test_saving_mid_phase_step_keeps_the_iteration_to_come(qtbot, tmp_path):
    a = trained_window(qtbot, "sgd")
    a.controller.begin_phase_step(None, 2)  # an iteration under way, not applied
    path = tmp_path / "mid.bplab"
    assert a.save_session(path)
    assert a.controller.iteration_pending  # saving did not disturb the stepping
    expected = a.controller.finish_iteration().loss.value
    b = make_window(qtbot)
    assert b.open_session(path)
    assert b.controller.step().loss.value == expected


# ---------------------------------------------------------------- title, questions
def test_title_names_the_session_and_marks_changes(qtbot, tmp_path):
    w = make_window(qtbot)
    assert w.windowTitle().startswith("Untitled[*] - circles, 2 -> 8 tanh")
    assert not w.isWindowModified()
    steps(w, 1)
    assert w.isWindowModified()
    assert w.save_session(tmp_path / "first")  # the suffix is added
    assert (tmp_path / "first.bplab").is_file()
    assert w.windowTitle().startswith("first.bplab[*] - ")
    assert not w.isWindowModified()
    w.training_panel.lr_spin.setValue(0.2)  # an edit
    assert w.isWindowModified()
    w.action_undo.trigger()
    assert not w.isWindowModified()  # back at the saved point


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_close_with_unsaved_work_asks_save_discard_cancel(qtbot, tmp_path, answer):
    w = make_window(qtbot)
    path = tmp_path / "s.bplab"
    assert w.save_session(path)
    steps(w, 5)
    before = path.read_bytes()
    asked = []
    answer_questions(answer, asked=asked)
    w.show()
    closed = w.close()
    if answer == "save":  # saved in the background, then closed
        assert not closed
        qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT_MS)
    assert unsaved_doings(asked) == ["closing"]
    assert closed == (answer == "discard")
    assert w.isVisible() == (answer == "cancel")
    if answer == "cancel":
        assert w.session.is_modified()
        steps(w, 1)  # still alive and usable
        answer_questions("discard")
    elif answer == "save":
        assert path.read_bytes() != before
        assert load_session(path).trainer_state.step == w.controller.trainer.step_count
    else:
        assert path.read_bytes() == before


def test_unchanged_window_closes_without_asking(qtbot, discard_unsaved_work):
    w = make_window(qtbot)
    assert w.close()
    assert discard_unsaved_work == []


def test_new_and_open_ask_and_cancel_changes_nothing(qtbot, tmp_path):
    w = make_window(qtbot)
    other = make_window(qtbot)
    steps(other, 3)
    path = tmp_path / "other.bplab"
    assert other.save_session(path)
    steps(w, 6)
    answer_questions("cancel")
    assert not w.session.new()
    assert not w.open_session(path)
    assert w.controller.trainer.step_count == 6
    answer_questions("discard")
    assert w.open_session(path)
    assert w.controller.trainer.step_count == 3
    steps(w, 2)
    assert w.session.new()
    assert w.controller.trainer.step_count == 0
    assert w.windowTitle().startswith("Untitled[*]")
    assert not w.session.is_modified()


# ---------------------------------------------------------------- failing saves
def test_failed_save_shows_the_reason_and_leaves_the_old_file(qtbot, tmp_path, monkeypatch):
    w = make_window(qtbot)
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "keep.bplab"
    steps(w, 4)
    assert w.save_session(path)
    old = path.read_bytes()
    steps(w, 4)

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(atomic.os, "replace", disk_full)
        assert not w.save_session(path)
    assert path.read_bytes() == old
    assert os.listdir(folder) == ["keep.bplab"]  # no temporary file left
    title, text = w.last_message
    assert title == "Cannot save the session"
    assert "No space left on device" in text
    assert w.session.is_modified()  # the work is still unsaved
    assert load_session(path).trainer_state.step == 4


def test_save_into_a_missing_folder_fails_with_a_message(qtbot, tmp_path):
    w = make_window(qtbot)
    steps(w, 1)
    assert not w.save_session(tmp_path / "no" / "such" / "folder.bplab")
    assert w.last_message[0] == "Cannot save the session"
    assert "does not exist" in w.last_message[1]


def test_failed_save_from_the_close_question_keeps_the_window(qtbot, tmp_path, monkeypatch):
    w = make_window(qtbot)
    assert w.save_session(tmp_path / "a.bplab")
    steps(w, 2)

    def denied(src, dst):
        raise PermissionError(13, "Permission denied")

    answer_questions("save")
    w.show()
    with monkeypatch.context() as m:
        m.setattr(atomic.os, "replace", denied)
        with qtbot.waitSignal(w.messageShown, timeout=WAIT_MS):
            assert not w.close()  # the save runs in the background...
    assert w.isVisible()  # ... and failed: nothing is lost, the window stays
    assert not w.file_operations.busy
    answer_questions("discard")
    assert not w.session._shut_down
    assert w.last_message[0] == "Cannot save the session"
    assert w.session.is_modified()


# ---------------------------------------------------------------- broken files
def _session_bytes(qtbot, tmp_path) -> bytes:
    w = make_window(qtbot)
    steps(w, 2)
    p = tmp_path / "good.bplab"
    assert w.save_session(p)
    return p.read_bytes()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_broken_and_hostile_files_are_refused_without_touching_the_session(qtbot, tmp_path):
    good = _session_bytes(qtbot, tmp_path)
    w = make_window(qtbot)
    current = tmp_path / "current.bplab"
    steps(w, 5)
    assert w.save_session(current)
    steps(w, 1)
    state = w.controller.trainer.get_state()
    title = w.windowTitle()
    bad = {
        "empty.bplab": b"",
        "text.bplab": b"hello, I am not a zip file\n" * 10,
        "truncated.bplab": good[: len(good) // 2],
        "flipped.bplab": good[:200] + bytes([good[200] ^ 0xFF]) + good[201:],
        "nojson.bplab": _zip({"network.npy": b"\x93NUMPY"}),
        "badjson.bplab": _zip({"session.json": b"{not json"}),
        "bomb.bplab": _zip({"session.json": b" " * 50_000_000}),
        "pickle.bplab": _zip({"session.json": b"{}", "network.npy": b"\x80\x04K\x01."}),
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    paths = [tmp_path / n for n in bad] + [tmp_path / "missing.bplab", tmp_path]
    for path in paths:
        messages = []
        w.messageShown.connect(lambda t, text, m=messages: m.append((t, text)))
        assert not w.open_session(path), path
        assert messages and messages[-1][0] == "Cannot open the session", path
        assert "\n" not in messages[-1][1]  # one line
        assert_states_equal(w.controller.trainer.get_state(), state)
        assert w.windowTitle() == title
        assert w.session.path == str(current)
        w.messageShown.disconnect()


def test_opening_keeps_the_window_responsive(qtbot, tmp_path, monkeypatch):
    """File > Open reads the file on another thread: the GUI thread's timers keep
    firing while it is read (here the read waits until a GUI-thread timer has fired)."""
    good = _session_bytes(qtbot, tmp_path)
    path = tmp_path / "slow.bplab"
    path.write_bytes(good)
    ticked = threading.Event()
    real = session_files_module.load_session

    def slow_load(p):
        assert ticked.wait(20), "the GUI thread's timer never fired during the read"
        return real(p)

    monkeypatch.setattr(session_files_module, "load_session", slow_load)
    w = make_window(qtbot)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(ticked.set)
    timer.start(50)
    monkeypatch.setattr(file_dialogs, "show", file_dialogs.answer_with(path))
    w.action_open.trigger()
    assert w.file_operations.busy  # it runs in the background
    qtbot.waitUntil(lambda: not w.file_operations.busy, timeout=WAIT_MS)
    assert ticked.is_set()
    assert w.session.path == str(path)
    assert w.controller.trainer.step_count == 2


# ---------------------------------------------------------------- recent files
def test_recent_files_newest_first_at_most_ten_missing_dropped(qtbot, tmp_path):
    w = make_window(qtbot)
    paths = []
    for k in range(12):
        p = tmp_path / f"s{k}.bplab"
        steps(w, 1)
        assert w.save_session(p)
        paths.append(str(p))
    assert user.recent_files() == paths[::-1][:10]
    os.remove(paths[-1])
    assert user.recent_files() == paths[::-1][1:10]
    w.session._fill_recent_menu()
    texts = [a.text() for a in w.session.recent_menu.actions()]
    assert texts[0].startswith("&1 s10.bplab")
    assert w.open_session(paths[3])
    assert user.recent_files()[0] == paths[3]


def test_open_session_keeps_the_last_folder(qtbot, tmp_path):
    w = make_window(qtbot)
    sub = tmp_path / "sub"
    sub.mkdir()
    steps(w, 1)
    assert w.save_session(sub / "x.bplab")
    assert user.last_folder() == str(sub)
    assert user.last_folder() == str(sub)  # the weight dialogs start there too


def test_session_file_errors_are_model_file_errors(tmp_path):
    (tmp_path / "x.bplab").write_bytes(b"junk")
    with pytest.raises(ModelFileError):
        load_session(tmp_path / "x.bplab")


def test_dropping_a_session_file_opens_it(qtbot, tmp_path):
    from .test_main_window import drop

    a = make_window(qtbot)
    steps(a, 6)
    path = tmp_path / "dropped.bplab"
    assert a.save_session(path)
    b = make_window(qtbot)
    enter, _ = drop(b, path)
    assert enter.isAccepted()
    qtbot.waitUntil(lambda: b.controller.trainer.step_count == 6, timeout=WAIT_MS)
    assert b.session.path == str(path)


def test_open_recent_menu_opens_the_file(qtbot, tmp_path):
    a = make_window(qtbot)
    steps(a, 2)
    path = tmp_path / "recent.bplab"
    assert a.save_session(path)
    b = make_window(qtbot)
    b.session._fill_recent_menu()
    first = b.session.recent_menu.actions()[0]
    assert first.data() == str(path)
    first.trigger()
    qtbot.waitUntil(lambda: b.controller.trainer.step_count == 2, timeout=WAIT_MS)
    assert b.session.path == str(path)
