"""Undo/redo (issue 5): every edit of the network, the data and the training settings
is a QUndoStack command with a readable label; undoing and redoing k edits returns the
exact network, architecture and settings; undoing an edit that re-initialised the
network brings the trained network back. Expected networks come from the engine
(init_network from the seed) or from states recorded before the edits."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.formats import save_model
from backprop_lab.engine.network import Architecture, LayerSpec, init_network
from backprop_lab.engine.trainer import Trainer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QToolButton

from .session_util import assert_histories_equal, assert_states_equal, history, make_window, steps


def engine_losses(w, state, n: int) -> list[float]:
    """The losses of ``n`` iterations of an engine Trainer (the window's data and
    settings) continuing from ``state``."""
    ds, config = w.controller.dataset, w.controller.trainer.config
    t = Trainer(
        init_network(state.network.architecture),
        ds.x,
        ds.targets(config.loss),
        config,
        ds.x_val,
        ds.targets(config.loss, "val"),
    )
    t.set_state(state)
    return [t.step().loss.value for _ in range(n)]


def snapshot_of(w):
    """What an undo must bring back exactly: architecture, weights, settings, spec."""
    return (
        w.layer_editor.spec(),
        w.controller.network.flat.tobytes(),
        w.training_panel.settings(),
        w.controller.trainer.step_count,
        w.data_panel.choice,
    )


EDITS = (
    ("layer 1 width 8 -> 16", lambda w: w.layer_editor.set_layer(0, width=16)),
    ("insert layer 3 (8 tanh)", lambda w: w.layer_editor.add_layer()),
    ("layer 2 activation tanh -> relu", lambda w: w.layer_editor.set_layer(1, activation="relu")),
    ("learning rate 0.5 -> 0.1", lambda w: w.training_panel.lr_spin.setValue(0.1)),
    ("optimiser sgd -> adam", lambda w: w.training_panel.optimizer_combo.setCurrentText("adam")),
    ("move layer 3 to 1", lambda w: w.layer_editor.move_layer(2, -2)),
    ("biases off", lambda w: w.layer_editor.set_bias(False)),
    ("initialisation xavier -> he", lambda w: w.layer_editor.set_init("he")),
    ("seed 0 -> 7", lambda w: w.layer_editor.set_seed(7)),
    ("batch size 32 -> 8", lambda w: w.training_panel.batch_spin.setValue(8)),
    ("remove layer 2 (16 tanh)", lambda w: w.layer_editor.remove_layer(1)),
    ("data circles -> xor", lambda w: w.data_panel.source_combo.setCurrentText("xor")),
    ("noise 0.1 -> 0.2", lambda w: w.data_panel.noise_spin.setValue(0.2)),
    ("L2 0 -> 0.001", lambda w: w.training_panel.l2_spin.setValue(0.001)),
)


def test_k_edits_undo_and_redo_return_the_exact_networks(qtbot):
    w = make_window(qtbot)
    states = [snapshot_of(w)]
    labels = []
    for label, edit in EDITS:
        edit(w)
        labels.append(label)
        assert w.action_undo.text() == f"Undo: {label}"
        states.append(snapshot_of(w))
    assert w.undo.recorder.stack.count() == len(EDITS)
    # the network after each edit is the engine's initialisation from its spec
    spec = w.layer_editor.spec()
    expected = init_network(spec.architecture, spec.init, spec.seed)
    assert w.controller.network.flat.tobytes() == expected.flat.tobytes()

    for k in range(len(EDITS), 0, -1):
        assert w.action_undo.text() == f"Undo: {labels[k - 1]}"
        w.action_undo.trigger()
        assert snapshot_of(w) == states[k - 1], labels[k - 1]
        assert w.action_redo.text() == f"Redo: {labels[k - 1]}"
    assert not w.action_undo.isEnabled()
    assert w.action_undo.text() == "Undo"
    for k in range(1, len(EDITS) + 1):
        w.action_redo.trigger()
        assert snapshot_of(w) == states[k], labels[k - 1]
    assert not w.action_redo.isEnabled()


def test_undo_brings_the_trained_network_back(qtbot):
    w = make_window(qtbot)
    w.training_panel.optimizer_combo.setCurrentText("adam")
    steps(w, 25)
    trained = w.controller.trainer.get_state()
    trained_history = history(w)
    w.layer_editor.set_layer(1, width=4)  # asks, re-initialises
    assert w.controller.trainer.step_count == 0
    w.action_undo.trigger()
    assert_states_equal(w.controller.trainer.get_state(), trained)
    assert_histories_equal(history(w), trained_history)
    assert w.training_panel.iteration_label.text() == "25"
    # the undone trainer goes on exactly as the trained one would have
    assert steps(w, 3) == engine_losses(w, trained, 3)
    trained_plus_3 = w.controller.trainer.get_state()

    w.action_redo.trigger()  # the new architecture, as it was (untrained)
    assert w.layer_editor.spec().architecture.layers[1].units == 4
    steps(w, 6)
    small = w.controller.trainer.get_state()
    w.action_undo.trigger()  # back to the trained one, with the 3 extra steps
    assert w.controller.trainer.step_count == 28
    assert_states_equal(w.controller.trainer.get_state(), trained_plus_3)
    w.action_redo.trigger()  # and the small one keeps its 6 steps
    assert_states_equal(w.controller.trainer.get_state(), small)
    w.action_undo.trigger()
    w.action_undo.trigger()  # the optimiser change
    w.action_redo.trigger()
    assert w.controller.trainer.step_count == 28
    now = w.controller.trainer.get_state()  # (a new optimiser starts with fresh buffers)
    assert now.network.equals(trained_plus_3.network)
    assert (now.step, now.epoch, now.cursor) == (28, trained_plus_3.epoch, trained_plus_3.cursor)


def test_reset_and_import_are_undoable(qtbot, tmp_path):
    w = make_window(qtbot)
    steps(w, 12)
    trained = w.controller.trainer.get_state()
    w.action_reset.trigger()
    assert w.action_undo.text() == "Undo: reset"
    w.action_undo.trigger()
    assert_states_equal(w.controller.trainer.get_state(), trained)

    other = init_network(Architecture(2, (LayerSpec(3, "relu"), LayerSpec(1, "sigmoid"))), "he", 5)
    path = tmp_path / "other.npz"
    save_model(other, path)
    assert w.import_weights(path)
    assert w.action_undo.text() == "Undo: import other.npz"
    w.action_undo.trigger()
    assert_states_equal(w.controller.trainer.get_state(), trained)
    w.action_redo.trigger()
    assert w.controller.network.flat.tobytes() == other.flat.tobytes()


def test_an_edit_after_training_is_one_command_and_asks_nothing(qtbot, discard_unsaved_work):
    w = make_window(qtbot)
    steps(w, 3)
    w.layer_editor.set_layer(0, width=3)
    assert discard_unsaved_work == []
    assert w.undo.recorder.stack.count() == 1
    assert w.action_undo.text() == "Undo: layer 1 width 8 -> 3"
    assert w.controller.trainer.step_count == 0
    w.action_undo.trigger()
    assert w.layer_editor.spec().architecture.layers[0].units == 8
    assert w.controller.trainer.step_count == 3


def test_added_layers_copy_their_neighbour_and_undo(qtbot):
    """Add and Insert (the buttons) give the new layer its neighbour's width and
    activation, not tanh; undo removes it again, exactly."""
    w = make_window(qtbot)
    editor = w.layer_editor
    editor.set_layer(0, width=5, activation="relu")
    editor.set_layer(1, width=6, activation="sigmoid")
    before = snapshot_of(w)
    editor.findChild(QToolButton, "addLayerButton").click()
    assert editor.hidden_layers()[2] == LayerSpec(6, "sigmoid")  # like the last one
    assert w.lab.spec.architecture.layers[2] == LayerSpec(6, "sigmoid")
    assert w.action_undo.text() == "Undo: insert layer 3 (6 sigmoid)"
    w.action_undo.trigger()
    assert snapshot_of(w) == before
    editor._table.selectRow(0)
    editor.findChild(QToolButton, "insertLayerButton").click()  # at the front
    assert editor.hidden_layers() == (
        LayerSpec(5, "relu"), LayerSpec(5, "relu"), LayerSpec(6, "sigmoid"),
    )  # fmt: skip
    editor._table.selectRow(2)
    editor.findChild(QToolButton, "insertLayerButton").click()  # after layer 2
    assert editor.hidden_layers()[2] == LayerSpec(5, "relu")
    w.action_undo.trigger()
    w.action_undo.trigger()
    assert snapshot_of(w) == before
    editor.add_layer(3)  # a width given: the activation is still the neighbour's
    assert editor.hidden_layers()[2] == LayerSpec(3, "sigmoid")


def test_undo_marks_the_session_clean_again(qtbot, tmp_path):
    w = make_window(qtbot)
    assert w.save_session(tmp_path / "s.bplab")
    w.layer_editor.set_seed(3)
    assert w.session.is_modified()
    w.action_undo.trigger()
    assert not w.session.is_modified()
    w.action_redo.trigger()
    assert w.session.is_modified()


def test_standard_undo_redo_keys(qtbot):
    w = make_window(qtbot)
    undo, redo = w.action_undo, w.action_redo
    assert undo.objectName() == "actionUndo" and redo.objectName() == "actionRedo"
    undo_keys = set(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
    assert undo_keys and undo_keys <= set(undo.shortcuts())
    assert QKeySequence("Ctrl+Shift+Z") in redo.shortcuts()
    assert set(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)) <= set(redo.shortcuts())


def test_undo_while_playing_pauses_and_restores(qtbot):
    from .session_util import play_until

    w = make_window(qtbot)
    play_until(qtbot, w, lambda: w.last_snapshot.step >= 30)
    trained = w.controller.trainer.get_state()
    w.layer_editor.set_layer(0, width=5)
    w.action_play.trigger()
    qtbot.waitUntil(lambda: w.last_snapshot.step >= 5, timeout=30_000)
    w.action_undo.trigger()
    assert not w.controller.is_running
    assert_states_equal(w.controller.trainer.get_state(), trained)


@pytest.mark.parametrize("field", ["lr", "optimizer"])
def test_settings_undo_applies_to_the_trainer(qtbot, field):
    w = make_window(qtbot)
    before = w.controller.trainer.config
    if field == "lr":
        w.training_panel.lr_spin.setValue(2.0)
    else:
        w.training_panel.optimizer_combo.setCurrentText("momentum")
    assert w.controller.trainer.config != before
    w.action_undo.trigger()
    assert w.controller.trainer.config == before
    losses = steps(w, 2)
    assert np.all(np.isfinite(losses))
