"""Data files the window cannot use: refused with one clear message, the work kept.

A CSV file wider than any network used to load (10^6 columns in 4 MB), say nothing,
and leave Step, Save and autosave raising from then on - unsaved work could no longer be
saved. Now it is refused before its rows are read, naming the engine's limit, and the
window goes on as before."""

from __future__ import annotations

import pytest
from backprop_lab.engine.formats.session import autosave_path, load_session
from backprop_lab.engine.network import MAX_INPUTS

from .session_util import WAIT_MS, make_window, steps


@pytest.fixture(autouse=True)
def quick_idle_autosave(monkeypatch):
    """Idle changes autosave after 100 ms instead of 1 s (the test waits for it)."""
    from backprop_lab.gui.files import recovery

    monkeypatch.setattr(recovery, "AUTOSAVE_IDLE_MS", 100)


def test_a_csv_wider_than_a_network_is_refused_and_the_window_keeps_working(qtbot, tmp_path):
    path = tmp_path / "wide.csv"
    row = "0," * 999_999 + "1\n"
    path.write_text(row + row)  # 4 MB, 10^6 columns
    w = make_window(qtbot)
    steps(w, 2)
    data, spec = w.data_panel.dataset, w.lab.spec
    with qtbot.waitSignal(w.data_panel.loadFailed, timeout=WAIT_MS) as failed:
        w.data_panel.load_csv_file(str(path))
    message = failed.args[0]
    assert message.startswith("wide.csv, row 1: 1,000,000 columns, but a network takes at most")
    assert f"{MAX_INPUTS:,} input columns" in message
    assert w.last_message == ("Cannot load the data", message)
    qtbot.waitUntil(lambda: not w.data_panel.busy, timeout=WAIT_MS)
    assert w.data_panel.dataset is data and w.lab.dataset is data and w.lab.spec == spec
    # the work goes on: Step, Save and autosave
    steps(w, 3)
    assert w.controller.trainer.step_count == 5
    qtbot.waitUntil(lambda: w.recovery.autosaver.last_saved_step == 5, timeout=WAIT_MS)
    assert load_session(autosave_path(w.recovery.autosaver.folder)).trainer_state.step == 5
    assert w.save_session(tmp_path / "kept.bplab")
    assert load_session(tmp_path / "kept.bplab").trainer_state.step == 5
