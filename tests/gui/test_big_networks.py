"""Big networks: a Step, and the snapshots of a big network, run as a background task on a
clone of the trainer - the GUI thread keeps running, the numbers are those a synchronous
Step gives, and a cancelled Step changes nothing. The threshold is forced to 0 here (a
small network counts as "big"), so the tests are quick; the estimate itself is tested in
tests/engine/test_cost.py."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine import Architecture, Optimizer, TrainingConfig
from backprop_lab.engine.data import make_dataset
from backprop_lab.gui.training import TrainingController, background
from PySide6.QtCore import QTimer

from .test_controller import WAIT_MS, Recorder

CIRCLES = make_dataset("circles", n=200, seed=0)
ARCH = Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
CONFIG = TrainingConfig("bce", Optimizer("sgd", 0.5), batch_size=32)


@pytest.fixture
def controller(qtbot):
    c = TrainingController()
    yield c
    assert c.shutdown(10_000)


def _sync_steps(n: int) -> list:
    """n synchronous Steps of a fresh controller (the threshold as shipped)."""
    limit, background.SYNC_LIMIT_S = background.SYNC_LIMIT_S, 1e9
    c = TrainingController()
    c.set_problem(CIRCLES, ARCH, CONFIG)
    recs = [c.step() for _ in range(n)]
    flat = c.network.flat.copy()
    c.shutdown(10_000)
    background.SYNC_LIMIT_S = limit
    return recs, flat


def test_a_cheap_step_is_synchronous(controller):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    rec = Recorder(controller)
    assert controller.step() is not None
    assert not controller.busy and len(rec.snaps) == 1  # delivered inside the call


def test_a_big_step_runs_in_the_background_with_the_same_numbers(controller, qtbot, monkeypatch):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    monkeypatch.setattr(background, "SYNC_LIMIT_S", 0.0)
    rec = Recorder(controller)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(0)
    busy = []
    controller.busyChanged.connect(busy.append)
    for expected in (1, 2, 3):
        assert controller.step() is None  # returns at once
        assert controller.busy and controller.trainer.step_count == expected - 1
        qtbot.waitUntil(lambda e=expected: bool(rec.snaps) and rec.last.step == e, timeout=WAIT_MS)
        assert not controller.busy and controller.trainer.step_count == expected
    timer.stop()
    assert ticks  # the event loop ran while the steps were under way
    assert busy == [True, False] * 3
    _, flat = _sync_steps(3)
    np.testing.assert_array_equal(controller.network.flat, flat)  # bit for bit
    assert [s.step for s in rec.snaps] == [1, 2, 3]
    assert rec.last.gradients is not None and rec.last.losses.shape == (1,)


def test_a_cancelled_step_changes_nothing(controller, qtbot, monkeypatch):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    before = controller.trainer.get_state()
    monkeypatch.setattr(background, "SYNC_LIMIT_S", 0.0)
    rec = Recorder(controller)
    assert controller.step() is None and controller.busy
    controller.cancel_background()
    assert not controller.busy
    qtbot.wait(200)
    assert rec.snaps == []
    assert controller.trainer.step_count == 0
    np.testing.assert_array_equal(controller.network.flat, before.network.flat)
    first, _ = _sync_steps(1)
    monkeypatch.setattr(background, "SYNC_LIMIT_S", 1e9)  # the next Step, synchronous,
    # draws the batch the cancelled one would have drawn
    assert controller.step().loss.value == first[0].loss.value


def test_a_big_network_snapshot_is_made_in_the_background(controller, qtbot, monkeypatch):
    monkeypatch.setattr(background, "SYNC_LIMIT_S", 0.0)
    rec = Recorder(controller)
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    assert controller.busy and rec.snaps == []
    qtbot.waitUntil(lambda: len(rec.snaps) == 1, timeout=WAIT_MS)
    assert rec.last.step == 0 and rec.last.grid is not None
    controller.set_sample_index(5)
    qtbot.waitUntil(lambda: len(rec.snaps) == 2, timeout=WAIT_MS)
    assert rec.last.sample_index == 5


def test_play_cancels_a_background_step(controller, qtbot, monkeypatch):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    monkeypatch.setattr(background, "SYNC_LIMIT_S", 0.0)
    controller.step()
    assert controller.busy
    controller.play()
    assert not controller.busy and controller.is_running
    controller.pause()
    assert not controller.is_running


def test_the_window_disables_step_while_a_big_step_runs_and_escape_cancels(
    window, qtbot, monkeypatch
):
    monkeypatch.setattr(background, "SYNC_LIMIT_S", 0.0)
    c = window.controller
    qtbot.waitUntil(lambda: not c.busy, timeout=WAIT_MS)  # the window's first snapshot
    window.step()
    assert c.busy and not window.action_step.isEnabled()
    assert not window.action_step_phase.isEnabled()
    assert "each step takes" in window.statusBar().currentMessage()
    assert window.action_cancel_work.isEnabled()
    window.action_cancel_work.trigger()  # Escape
    assert not c.busy and window.action_step.isEnabled()
    assert c.trainer.step_count == 0
    window.step()
    qtbot.waitUntil(lambda: not c.busy, timeout=WAIT_MS)
    assert c.trainer.step_count == 1 and window.action_step.isEnabled()


def test_the_builder_states_its_limits_and_says_when_a_network_is_large(qtbot):
    from backprop_lab.engine import cost
    from backprop_lab.engine.network import MAX_PARAMETERS
    from backprop_lab.gui.panels import LayerEditor

    cost.set_rate(1e9)
    try:
        e = LayerEditor(CIRCLES)
        qtbot.addWidget(e)
        summary = e.findChild(type(e._summary), "architectureSummary")
        assert f"{MAX_PARAMETERS:,}" in summary.toolTip() and "63" in summary.toolTip()
        assert "large" not in summary.text()  # the default network steps at once
        e.set_architecture(Architecture.build(2, [512] * 20, 1, "tanh", "sigmoid"))
        assert "This network is large: each step takes ~" in summary.text()
    finally:
        cost.set_rate(None)


def test_the_status_line_states_a_sampled_evaluation():
    from dataclasses import replace

    from backprop_lab.gui.window.training_actions import status_text

    c = TrainingController()
    c.set_problem(CIRCLES, ARCH, CONFIG)
    snap = c._last_snapshot
    c.shutdown(10_000)
    assert "sample" not in status_text(snap)
    assert "(on a sample of 4,096 rows)" in status_text(replace(snap, sample_rows=4096))


def test_a_final_snapshot_left_by_the_child_is_made_with_its_losses(controller):
    from backprop_lab.gui.training.worker import PlayOutcome

    controller.set_problem(CIRCLES, ARCH, CONFIG)
    rec = Recorder(controller)
    pending = (np.array([1, 2]), np.array([0.7, 0.6]), np.full((2, 3), 0.1))
    out = PlayOutcome(state=controller.trainer.get_state(), pending=pending)
    controller._play_ended(out)  # as PlayRuns hands it over
    assert rec.last.final
    np.testing.assert_array_equal(rec.last.steps, [1, 2])
    np.testing.assert_array_equal(rec.last.losses, [0.7, 0.6])


def test_pausing_a_big_network_returns_at_once_and_ends_with_the_childs_state(
    controller, qtbot, monkeypatch
):
    """The Pause button (``request_pause``) of a network whose Step the engine estimates
    above the limit does not wait for the running iteration: the run ends when the child
    has stopped, with its exact final state (the last snapshot is of that iteration)."""
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    rec = Recorder(controller)
    controller.play()
    qtbot.waitUntil(lambda: bool(rec.snaps) and rec.snaps[-1].step > 5, timeout=WAIT_MS)
    monkeypatch.setattr(background, "SYNC_LIMIT_S", 0.0)
    assert controller.request_pause()  # asked, not waited for
    assert controller.is_running and rec.running == [True]
    qtbot.waitUntil(lambda: not controller.is_running, timeout=WAIT_MS)
    assert rec.running == [True, False]
    steps = controller.trainer.step_count
    assert steps > 5 and rec.snaps[-1].step == steps and rec.snaps[-1].final
    assert not controller.request_pause()  # nothing to pause


def test_pausing_a_small_network_is_synchronous_as_before(controller, qtbot):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    rec = Recorder(controller)
    controller.play()
    qtbot.waitUntil(lambda: bool(rec.snaps) and rec.snaps[-1].step > 5, timeout=WAIT_MS)
    assert not controller.request_pause()  # done by the time it returns
    assert not controller.is_running and rec.running == [True, False]


def test_the_pause_button_of_a_big_network_says_it_is_pausing(window, qtbot, monkeypatch):
    c = window.controller
    window.action_play.trigger()
    qtbot.waitUntil(
        lambda: window.last_snapshot is not None and window.last_snapshot.step > 5,
        timeout=WAIT_MS,
    )
    monkeypatch.setattr(background, "SYNC_LIMIT_S", 0.0)
    window.action_play.trigger()  # Pause
    assert "Pausing after the running iteration" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not c.is_running, timeout=WAIT_MS)
    assert not window.action_play.isChecked() and window.action_play.text() == "Play"
