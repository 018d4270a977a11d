"""Autosave and crash recovery (issue 5).

The subprocess test runs the real entry point twice: the first run trains until it has
autosaved and is killed with SIGKILL; the second run is offered the autosave, restores
it, and must be at exactly the autosaved iteration with exactly the autosaved weights
(read independently from the file with engine.formats.session.load_session). In-process
tests cover autosave on pause, diverged weights, the clean-exit clean-up, windows that
are still running, and declining the offer."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from backprop_lab.engine.formats.session import (
    autosave_path,
    find_autosave,
    load_session,
    write_autosave,
)
from backprop_lab.engine.network import Network
from backprop_lab.gui.files.autosave import Autosaver, autosave_root, orphaned_autosaves
from backprop_lab.gui.model.session_file import session_of
from backprop_lab.gui.window.autotest import network_digest

from .session_util import (
    WAIT_MS,
    answer_questions,
    assert_states_equal,
    make_window,
    play_until,
    steps,
)
from .test_entry_point import IGNORED_STDERR, entry_point_command

AUTOSAVED = re.compile(r"autotest: autosaved iteration (\d+)")
RESTORED = re.compile(r"autotest: restored iteration (\d+) network ([0-9a-f]{64})")


@pytest.fixture(autouse=True)
def quick_idle_autosave(monkeypatch):
    """Windows made here autosave idle changes after 100 ms instead of 1 s: the tests
    wait for that autosave, and how long the app waits is not what they check."""
    from backprop_lab.gui.files import recovery

    monkeypatch.setattr(recovery, "AUTOSAVE_IDLE_MS", 100)


def _env(tmp_path: Path, mode: str) -> dict:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", BACKPROP_LAB_AUTOTEST=mode)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(tmp_path / var.lower())
    return env


def _autosave_dirs(tmp_path: Path) -> list[Path]:
    root = tmp_path / "xdg_data_home" / "Backprop Lab" / "Backprop Lab" / "autosave"
    return sorted(p for p in root.glob("run-*") if p.is_dir()) if root.is_dir() else []


@pytest.mark.slow
def test_killed_app_offers_its_autosave_and_restores_it_exactly(tmp_path):
    proc = subprocess.Popen(
        entry_point_command(),
        env=_env(tmp_path, "play-until-killed"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
    )
    lines: list[str] = []
    autosaved = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            m = AUTOSAVED.fullmatch(lines[-1])
            if m and int(m.group(1)) > 0:
                autosaved.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert autosaved.wait(90), f"no autosave reported: {lines}"
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash: no clean-up at all
        proc.wait(30)
        reader.join(10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    folders = _autosave_dirs(tmp_path)
    assert len(folders) == 1
    saved = load_session(find_autosave(folders[0]))
    reported = [int(m.group(1)) for ln in lines if (m := AUTOSAVED.fullmatch(ln))]
    assert saved.trainer_state.step in reported  # the newest complete autosave
    assert saved.trainer_state.step > 0

    result = subprocess.run(
        entry_point_command(),
        env=_env(tmp_path, "recover-and-close"),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    stderr = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert [ln for ln in stderr if not any(ig in ln for ig in IGNORED_STDERR)] == []
    out = result.stdout.splitlines()
    assert "autotest: asked Restore unsaved work?" in out
    restored = [m for ln in out if (m := RESTORED.fullmatch(ln))]
    assert len(restored) == 1, result.stdout
    assert int(restored[0].group(1)) == saved.trainer_state.step
    assert restored[0].group(2) == network_digest(saved.trainer_state.network)
    assert _autosave_dirs(tmp_path) == []  # the clean exit removed the adopted autosave


# ---------------------------------------------------------------- in process
def test_pause_autosaves_the_exact_state(qtbot):
    w = make_window(qtbot)
    with qtbot.waitSignal(w.recovery.autosaver.saved, timeout=WAIT_MS) as blocker:
        play_until(qtbot, w, lambda: w.last_snapshot.step >= 50)
    step = w.controller.trainer.step_count
    qtbot.waitUntil(lambda: w.recovery.autosaver.last_saved_step == step, timeout=WAIT_MS)
    assert blocker.args[0] > 0
    on_disk = load_session(w.recovery.autosaver.path)
    assert_states_equal(on_disk.trainer_state, w.controller.trainer.get_state())


def test_idle_changes_are_autosaved_and_a_clean_exit_removes_them(qtbot):
    w = make_window(qtbot)
    folder = w.recovery.autosaver.folder
    steps(w, 7)
    qtbot.waitUntil(lambda: w.recovery.autosaver.last_saved_step == 7, timeout=WAIT_MS)
    assert autosave_path(folder).is_file()
    assert Path(str(folder) + ".lock").is_file()
    assert w.close()
    assert not folder.exists()
    assert not Path(str(folder) + ".lock").exists()


def test_saving_removes_the_autosave(qtbot, tmp_path):
    w = make_window(qtbot)
    steps(w, 3)
    qtbot.waitUntil(lambda: w.recovery.autosaver.last_saved_step == 3, timeout=WAIT_MS)
    assert w.save_session(tmp_path / "s.bplab")
    assert not autosave_path(w.recovery.autosaver.folder).exists()


def test_diverged_weights_never_replace_the_last_finite_autosave(qtbot):
    w = make_window(qtbot)
    steps(w, 5)
    qtbot.waitUntil(lambda: w.recovery.autosaver.last_saved_step == 5, timeout=WAIT_MS)
    good = autosave_path(w.recovery.autosaver.folder).read_bytes()
    session = session_of(w.lab)
    net = session.trainer_state.network
    bad_net = Network.from_flat(net.architecture, np.full_like(net.flat, np.nan))
    bad = replace(session, trainer_state=replace(session.trainer_state, network=bad_net))
    with qtbot.waitSignal(w.recovery.autosaver.failed, timeout=WAIT_MS) as blocker:
        w.recovery.autosaver.write(bad)
    assert "NaN" in blocker.args[0]
    assert autosave_path(w.recovery.autosaver.folder).read_bytes() == good

    # a real divergence: training pauses on the last finite weights, which are what the
    # autosave on pause holds
    w.layer_editor.set_layer(0, activation="identity")
    w.layer_editor.set_layer(1, activation="identity")
    w.training_panel.lr_spin.setValue(1e6)
    with qtbot.waitSignal(w.controller.diverged, timeout=WAIT_MS):
        w.action_play.trigger()
    qtbot.waitUntil(lambda: not w.controller.is_running, timeout=WAIT_MS)
    step = w.controller.trainer.step_count
    qtbot.waitUntil(lambda: w.recovery.autosaver.last_saved_step == step, timeout=WAIT_MS)
    assert w.recovery.autosaver.wait()
    saved = load_session(find_autosave(w.recovery.autosaver.folder))
    assert saved.trainer_state.step == step
    assert np.isfinite(saved.trainer_state.network.flat).all()
    assert saved.trainer_state.network.flat.tobytes() == w.controller.network.flat.tobytes()


def test_recovery_offer_restores_exactly_or_is_declined(qtbot, tmp_path):
    # a window that "crashed": its folder has an autosave, nobody holds its lock
    donor = make_window(qtbot)
    donor.training_panel.optimizer_combo.setCurrentText("adam")
    steps(donor, 17)
    session = session_of(donor.lab)
    dead = autosave_root() / "run-99999-dead"
    write_autosave(dead, session)
    expected = donor.controller.trainer.get_state()
    next_losses = steps(donor, 3)

    questions = []
    w = make_window(qtbot, questions=questions)
    assert w.recovery.offer_recovery()
    assert len(questions) == 1 and "iteration 17" in questions[0]
    assert_states_equal(w.controller.trainer.get_state(), expected)
    assert w.training_panel.settings().optimizer == "adam"
    assert w.session.is_modified()  # restored work is unsaved work
    assert steps(w, 3) == next_losses
    assert not dead.exists()  # adopted: now this window's autosave

    write_autosave(dead, session)
    declined = make_window(qtbot)
    answer_questions(yes=False)
    assert not declined.recovery.offer_recovery()
    assert declined.controller.trainer.step_count == 0
    assert not dead.exists()  # declined: removed


def test_a_running_window_is_never_offered_to_another(qtbot):
    first = make_window(qtbot)
    steps(first, 4)
    qtbot.waitUntil(lambda: first.recovery.autosaver.last_saved_step == 4, timeout=WAIT_MS)
    assert orphaned_autosaves() == []  # its lock is held
    second = make_window(qtbot, questions=(asked := []))
    assert not second.recovery.offer_recovery()
    assert asked == []
    assert first.recovery.autosaver.path.is_file()


def test_autosaver_keeps_only_the_newest_waiting_request(qtbot, tmp_path):
    w = make_window(qtbot)
    steps(w, 2)
    s2 = session_of(w.lab)
    steps(w, 2)
    s4 = session_of(w.lab)
    steps(w, 2)
    s6 = session_of(w.lab)
    saver = Autosaver(tmp_path / "root")
    seen = []
    saver.saved.connect(seen.append)
    saver.write(s2)
    saver.write(s4)  # waits ...
    saver.write(s6)  # ... and is replaced by this one
    qtbot.waitUntil(lambda: 6 in seen, timeout=WAIT_MS)
    assert seen == [2, 6]
    assert load_session(saver.path).trainer_state.step == 6
    saver.close()
    assert not saver.folder.exists()


def test_a_write_in_progress_when_the_autosave_is_discarded_is_not_reported(
    qtbot, tmp_path, monkeypatch
):
    from backprop_lab.gui.files import autosave

    began, release = threading.Event(), threading.Event()

    def slow_write(folder, session):
        began.set()
        release.wait(WAIT_MS / 1000)
        return 7

    monkeypatch.setattr(autosave, "_write", slow_write)
    saver = Autosaver(tmp_path / "root")
    saved, failed = [], []
    saver.saved.connect(saved.append)
    saver.failed.connect(failed.append)
    saver.write(object())  # (slow_write does not look at it)
    assert began.wait(WAIT_MS / 1000)
    assert not saver.wait(0.02) and saver.busy  # still writing: wait gave up
    release.set()
    saver.discard()  # waits for the write, then drops its report
    qtbot.waitUntil(lambda: not saver.busy, timeout=WAIT_MS)
    assert (saved, failed, saver.last_saved_step) == ([], [], None)
    saver.close()
    assert not saver.folder.exists()


def test_an_unexpected_autosave_error_is_reported_by_name(qtbot, tmp_path, monkeypatch):
    from backprop_lab.gui.files import autosave

    def broken_write(folder, session):
        raise TypeError("not a session")

    monkeypatch.setattr(autosave, "_write", broken_write)
    saver = Autosaver(tmp_path / "root")
    with qtbot.waitSignal(saver.failed, timeout=WAIT_MS) as blocker:
        saver.write(object())
    assert blocker.args == ["TypeError: not a session"]
    qtbot.waitUntil(lambda: not saver.busy, timeout=WAIT_MS)
    saver.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_autosave_root_follows_xdg_data_home(tmp_path):
    assert str(autosave_root()).startswith(os.environ["XDG_DATA_HOME"])


def test_start_up_removes_killed_autosave_writes_leftovers(qtbot, tmp_path):
    from backprop_lab.engine.formats.atomic import TEMP_SUFFIX

    donor = make_window(qtbot)
    steps(donor, 3)
    dead_pid = int(
        subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    dead = autosave_root() / f"run-{dead_pid}-dead"
    write_autosave(dead, session_of(donor.lab))
    # the dead window was killed while writing its next autosave (and another one, in
    # a folder without a usable autosave, in the autosave folder itself)
    leftover = dead / f".autosave.bplab.{dead_pid}-abcd1234{TEMP_SUFFIX}"
    leftover.write_bytes(b"\0" * 4096)
    root_leftover = autosave_root() / f".x.{dead_pid}-abcd1234{TEMP_SUFFIX}"
    root_leftover.write_bytes(b"\0" * 4096)

    orphans = orphaned_autosaves()
    try:
        assert [o.folder for o in orphans] == [dead]
        assert not leftover.exists() and not root_leftover.exists()
        assert find_autosave(dead) is not None  # the work itself is still offered
    finally:
        for orphan in orphans:
            orphan.release(remove=True)
