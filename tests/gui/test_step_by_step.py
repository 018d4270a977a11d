"""Step-by-step mode in the window (issue 4): phase stepping, the phase indicator, the
sample choice, Play/Step mid-iteration, the network view following the phases.

Expected numbers come from the engine - an independent Trainer and PhaseStepper started
from the controller's exact TrainerState, engine.losses.per_output_loss - never from the
GUI."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.losses import per_output_loss
from backprop_lab.engine.network import init_network
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.engine.stepper import phases_of
from backprop_lab.engine.trainer import Trainer, TrainingConfig
from backprop_lab.gui import MainWindow
from backprop_lab.gui.model.phase_frame import CHANGE, GRADIENT, WEIGHT, data_text
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QToolBar

WAIT_MS = 30_000
DEPTH = 3  # the default example 2-8-8-1
PHASES = 2 * DEPTH + 2


def reference(w: MainWindow, state=None) -> Trainer:
    """An engine Trainer on the window's data and settings at the controller's state
    (or at ``state``)."""
    c = w.controller
    data, config = c.dataset, c.trainer.config
    t = Trainer(
        init_network(c.network.architecture),
        data.x,
        data.targets(config.loss),
        config,
        data.x_val,
        data.targets(config.loss, "val"),
    )
    t.set_state(state if state is not None else c.trainer.get_state())
    return t


def press(w: MainWindow, action: QAction, times: int = 1) -> None:
    for _ in range(times):
        action.trigger()


# ---------------------------------------------------------------------- actions
def test_actions_shortcuts_menu_toolbar_and_panel(window):
    f11 = window.findChild(QAction, "actionStepPhase")
    finish = window.findChild(QAction, "actionFinishIteration")
    step = window.findChild(QAction, "actionStep")
    assert f11.shortcut().toString() == "F11"
    assert finish.shortcut().toString() == "Shift+F11"
    assert step.shortcut().toString() == "F10"
    train_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Train"
    )
    assert {f11, finish, step} <= set(train_menu.actions())
    toolbar = window.findChild(QToolBar, "stepToolBar")
    assert {f11, finish, step} <= set(toolbar.actions())
    panel = window.training_panel
    assert panel.step_phase_button.defaultAction() is f11
    assert panel.finish_button.defaultAction() is finish
    assert window.findChild(QLabel, "phaseIndicator") is window.phase_indicator
    assert not finish.isEnabled()  # nothing to finish yet


# ---------------------------------------------------------------------- bit for bit
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_every_phase_equals_one_step_and_one_engine_iteration_bit_for_bit(window, optimizer):
    c = window.controller
    if optimizer != "sgd":
        window.training_panel.optimizer_combo.setCurrentText(optimizer)
        assert c.trainer.config.optimizer.name == optimizer
    window.step()  # a non-trivial optimiser state to start from
    for _ in range(3):
        start = c.trainer.get_state()
        engine = reference(window, start).step()  # the engine's own iteration
        seen = []
        for _ in range(PHASES):
            window.action_step_phase.trigger()
            seen.append(c.phase_stepper.current)
        assert seen == list(phases_of(DEPTH))
        assert c.phase_stepper.done and not c.iteration_pending
        phased = c.network
        assert phased.equals(engine.update.after)
        assert c.trainer.step_count == engine.step
        assert np.array_equal(c.phase_stepper.record.backward.grad, engine.backward.grad)
        # the same iteration as one Step (F10) from the same state
        after = c.trainer.get_state()
        c.restore_state(start)
        window.action_step.trigger()
        assert c.network.equals(phased)
        assert window.last_snapshot.step == engine.step
        c.restore_state(after)


def test_phases_on_one_sample_equal_the_engine_on_that_sample(window):
    c = window.controller
    window.sample_chooser.set_use_batch(False)
    window.sample_chooser.set_sample_index(17)
    assert c.sample_index == 17
    start = c.trainer.get_state()
    ref = reference(window, start)
    expected = ref.step_on(ref.x[17:18], ref.t[17:18])
    press(window, window.action_step_phase, PHASES)
    assert np.array_equal(c.phase_stepper.x, c.trainer.x[17:18])
    assert c.network.equals(expected.update.after)
    # F10 in "one sample" mode is the same iteration in one go
    c.restore_state(start)
    window.action_step.trigger()
    assert c.network.equals(expected.update.after)


# ---------------------------------------------------------------------- indicator
def test_phase_indicator_through_a_whole_iteration_of_a_3_layer_net(window):
    indicator = window.phase_indicator
    texts = [indicator.text()]
    enabled = []
    for _ in range(PHASES):
        window.action_step_phase.trigger()
        texts.append(indicator.text())
        enabled.append(window.action_finish.isEnabled())
    assert texts == [
        "Ready - next: forward layer 1",
        "Forward: layer 1 of 3 done - next: forward layer 2",
        "Forward: layer 2 of 3 done - next: forward layer 3",
        "Forward: layer 3 of 3 done - next: loss",
        "Loss computed - next: backward layer 3",
        "Backward: layer 3 of 3 done - next: backward layer 2",
        "Backward: layer 2 of 3 done - next: backward layer 1",
        "Backward: layer 1 of 3 done - next: update",
        "Update done: iteration 1 applied - next: forward layer 1",
    ]
    assert enabled == [True] * (PHASES - 1) + [False]
    assert "mini-batch of 32" in indicator.toolTip()
    assert "batch mean" in indicator.toolTip()
    window.action_step_phase.trigger()  # the next iteration begins
    assert indicator.text() == "Forward: layer 1 of 3 done - next: forward layer 2"
    window.reset()
    assert indicator.text() == "Ready - next: forward layer 1"


def test_finish_iteration_runs_the_rest(window):
    c = window.controller
    start = c.trainer.get_state()
    expected = reference(window, start).step()
    press(window, window.action_step_phase, 3)
    assert c.trainer.step_count == start.step  # nothing applied before the update
    window.action_finish.trigger()
    assert c.network.equals(expected.update.after)
    assert window.phase_indicator.text().startswith("Update done: iteration 1 applied")
    window.finish_iteration()  # nothing under way: says so, changes nothing
    assert c.network.equals(expected.update.after)
    assert "No iteration under way" in window.statusBar().currentMessage()


# ---------------------------------------------------------------------- Play / Step mid-iteration
def test_play_mid_iteration_completes_it_first_then_continues(window, qtbot):
    c = window.controller
    start = c.trainer.get_state()
    press(window, window.action_step_phase, 4)  # forward done, loss computed
    assert c.iteration_pending
    snaps = []
    c.snapshotReady.connect(snaps.append)
    window.action_play.trigger()
    assert snaps and snaps[0].step == start.step + 1  # the stepped iteration, applied
    assert c.phase_stepper is None
    qtbot.waitUntil(lambda: c.is_running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.last_snapshot.step >= start.step + 20, timeout=WAIT_MS)
    window.action_play.trigger()
    qtbot.waitUntil(lambda: not c.is_running, timeout=WAIT_MS)
    assert window.phase_indicator.text() == "Ready - next: forward layer 1"
    done = c.trainer.step_count - start.step
    assert done > 20
    ref = reference(window, start)
    ref.run(done)
    assert c.network.equals(ref.network)  # the same trajectory as playing from the start


def test_step_mid_iteration_finishes_it(window):
    c = window.controller
    start = c.trainer.get_state()
    expected = reference(window, start).step()
    press(window, window.action_step_phase, 6)
    window.action_step.trigger()
    assert c.trainer.step_count == start.step + 1
    assert c.network.equals(expected.update.after)


def test_step_phase_while_playing_pauses_first(window, qtbot):
    c = window.controller
    window.action_play.trigger()
    qtbot.waitUntil(lambda: window.last_snapshot.step >= 5, timeout=WAIT_MS)
    window.action_step_phase.trigger()
    assert not c.is_running and not window.action_play.isChecked()
    assert c.iteration_pending and c.phase_stepper.position == 1
    assert c.phase_stepper.step == c.trainer.step_count + 1


def test_new_settings_mid_iteration_restart_it_on_the_same_batch(window):
    c = window.controller
    press(window, window.action_step_phase, 5)
    batch = c.phase_stepper.x
    start = c.latest_state()
    window.training_panel.lr_spin.setValue(0.05)
    assert c.phase_stepper.position == 5 and c.phase_stepper.optimizer.lr == 0.05
    assert np.array_equal(c.phase_stepper.x, batch)
    window.action_finish.trigger()
    ref = reference(window, start)
    ref.set_config(TrainingConfig("bce", Optimizer("sgd", 0.05), 32, seed=0))
    assert c.network.equals(ref.step().update.after)


# ---------------------------------------------------------------------- sample choice
def test_sample_choice_restarts_a_sample_iteration_at_the_same_phase(window):
    c = window.controller
    chooser = window.sample_chooser
    chooser.set_use_batch(False)
    chooser.set_sample_index(4)
    press(window, window.action_step_phase, 2)
    chooser.set_sample_index(9)
    s = c.phase_stepper
    assert s.position == 2 and np.array_equal(s.x, c.trainer.x[9:10])
    assert window.last_snapshot.sample_index == 9  # the views' node fills follow
    chooser.set_use_batch(True)  # now on the mini-batch, same phase
    assert c.phase_stepper.position == 2 and len(c.phase_stepper.x) == 32
    rows = c.phase_batch_indices
    assert np.array_equal(c.trainer.x[rows], c.phase_stepper.x)
    chooser.set_sample_index(int(rows[5]))  # a sample of this batch: its row is shown
    frame = window.network_view.phase_frame
    assert frame.row == 5 and frame.sample == int(rows[5])
    np.testing.assert_array_equal(frame.columns[0].fill, c.trainer.x[rows[5]])


def test_clicking_a_training_point_chooses_the_sample(window):
    item = window.decision_view.train_points
    point = item.points()[23]
    item.sigClicked.emit(item, [point], None)
    assert window.sample_chooser.sample_index == 23
    assert window.controller.sample_index == 23


# ---------------------------------------------------------------------- the network view
def test_network_view_follows_every_phase_with_the_engines_numbers(window):
    view = window.network_view
    window.sample_chooser.set_use_batch(False)
    window.sample_chooser.set_sample_index(3)
    ref = reference(window).begin_iteration(3)  # an independent engine stepper
    window.action_step_phase.trigger()
    ref.advance()
    f = view.phase_frame
    assert f.lit == 1 and f.edge_quantity == WEIGHT and f.edge_layers == (True, False, False)
    q = dict(f.columns[1].quantities)
    np.testing.assert_array_equal(q["z"], ref.z[0][0])
    np.testing.assert_array_equal(q["a"], ref.a[0][0])
    assert f.columns[2].fill is None and f.columns[3].fill is None
    labels = view.node_labels()
    assert f"z {ref.z[0][0][0]:.3g}  a {ref.a[0][0][0]:.3g}" in labels
    assert "not computed yet" in view.node_info(2, 0)
    for _ in range(3):  # layer 2, layer 3, loss
        window.action_step_phase.trigger()
        ref.advance()
    f = view.phase_frame
    out = dict(f.columns[3].quantities)
    shares = per_output_loss("bce", ref.z[-1], ref.a[-1], ref.t)
    np.testing.assert_array_equal(out["y"], ref.a[-1][0])
    np.testing.assert_array_equal(out["t"], ref.t[0])
    np.testing.assert_array_equal(out["loss"], shares[0])
    assert f"loss = {shares[0][0]:.6g}" in view.node_info(3, 0)
    for expected_active in ((False, False, True), (False, True, True), (True, True, True)):
        window.action_step_phase.trigger()
        ref.advance()
        f = view.phase_frame
        assert f.edge_quantity == GRADIENT and f.edge_layers == expected_active
        for layer in range(1, DEPTH + 1):
            span = f.network.architecture.layout[layer - 1]
            got = f.edge_values[span.weight_start : span.weight_end].reshape(span.weight_shape)
            if expected_active[layer - 1]:
                np.testing.assert_array_equal(got, ref.dW(layer))
                np.testing.assert_array_equal(f.columns[layer].fill, ref.delta[layer - 1][0])
            else:
                assert not got.any()
    window.action_step_phase.trigger()  # update
    ref.advance()
    f = view.phase_frame
    assert f.edge_quantity == CHANGE and f.lit is None
    np.testing.assert_array_equal(f.edge_values, window.last_snapshot.update)
    after = ref.update_record.after
    np.testing.assert_array_equal(f.after.flat, after.flat)
    old, new = float(f.network.weights[1][2, 5]), float(after.weights[1][2, 5])
    view.select_edge(1, 2, 5)
    assert f"{old:.6g} \u2192 {new:.6g}" in view.info_label.text()
    window.action_play.trigger()  # Play: back to the snapshots
    window.action_play.trigger()
    assert view.phase_frame is None


def test_batch_phase_says_the_gradient_is_the_batch_mean(window):
    press(window, window.action_step_phase, 6)
    view = window.network_view
    assert "mini-batch of 32" in view.legend.text()
    assert "batch mean" in view.legend.text()
    rows = window.controller.phase_batch_indices
    outside = next(i for i in range(len(window.controller.trainer.x)) if i not in rows)
    window.sample_chooser.set_sample_index(outside)
    assert f"sample {outside} is not in this mini-batch" in window.phase_indicator.toolTip()
    assert view.phase_frame.row == 0 and view.phase_frame.sample == int(rows[0])
    assert "(batch mean)" in view.phase_frame.edge_info(2, 0, 1)


# ---------------------------------------------------------------------- a batch of one
def test_data_text_names_the_sample_of_a_batch_of_one():
    # "Iteration 1 on training sample None" was shown for one-row data on the mini-batch
    assert data_text(1, 0, 0, single=False) == "on a mini-batch of 1: training sample 0"
    assert data_text(1, 0, 7, single=False, chosen=3) == (
        "on a mini-batch of 1: training sample 7 (sample 3 is not in this mini-batch)"
    )
    assert "None" not in data_text(1, 0, None, single=True)
    assert "None" not in data_text(1, 0, None, single=False)
    assert data_text(1, 0, 5, single=True) == "on training sample 5"
    assert data_text(32, 4, 9, single=False).startswith(
        "on a mini-batch of 32: values shown for sample 9 (row 4)"
    )


def test_one_row_data_stepped_on_the_mini_batch_names_its_sample(window, qtbot, tmp_path):
    path = tmp_path / "one_row.csv"
    path.write_text("0.05,0.10,0.01,0.99\n")
    window.data_panel.targets_spin.setValue(2)
    with qtbot.waitSignal(window.data_panel.datasetChanged, timeout=WAIT_MS):
        window.data_panel.load_csv_file(str(path))
    assert len(window.controller.trainer.x) == 1
    assert window.sample_chooser.use_batch
    window.action_step_phase.trigger()
    tip = window.phase_indicator.toolTip()
    assert tip == "Iteration 1 on a mini-batch of 1: training sample 0"
    assert "None" not in window.network_view.legend.text()


def test_batch_size_one_names_the_sample_the_batch_holds(window):
    window.training_panel.batch_spin.setValue(1)
    window.sample_chooser.set_sample_index(0)
    window.action_step_phase.trigger()
    (index,) = window.controller.phase_batch_indices
    tip = window.phase_indicator.toolTip()
    assert tip.startswith(f"Iteration 1 on a mini-batch of 1: training sample {index}")
    assert "None" not in tip


# ---------------------------------------------------------------------- what is computed
@pytest.mark.parametrize("bias", [True, False])
def test_forward_caption_says_what_is_computed_with_and_without_bias(window, bias):
    window.layer_editor.set_bias(bias)
    assert window.controller.network.architecture.bias is bias
    press(window, window.action_step_phase)  # forward through layer 1
    legend = window.network_view.legend.text()
    assert "layer 1 just computed" in legend
    if bias:
        assert "z = W a + b" in legend
    else:
        assert "z = W a (no bias" in legend and "+ b" not in legend
