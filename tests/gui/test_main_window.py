"""The main window end to end (offscreen): the default example, the builder driving the
controller, Play/Pause/Step/Reset, closing mid-training, weight files, divergence, data
files. Expected numbers come from the engine (an independent Trainer, load_model,
load_csv), never from the GUI."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest
from backprop_lab.engine.data import CSVError, load_csv, make_dataset
from backprop_lab.engine.formats import FORMATS, ModelFileError, load_model, save_model
from backprop_lab.engine.network import Architecture, LayerSpec, init_network
from backprop_lab.engine.trainer import Trainer, TrainingDiverged
from backprop_lab.gui import MainWindow
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QMessageBox, QWidget

from .session_util import play_until

WAIT_MS = 30_000
DOCKS = (
    "dockBuilder",
    "dockData",
    "dockTraining",
    "dockLoss",
    "dockNetwork",
    "dockHeatmaps",
    "dockGradNorms",
    "dockDecision",
)


def loss_curve(w: MainWindow) -> tuple[np.ndarray, np.ndarray]:
    """(iterations, losses) the loss plot's first data item (the training loss) holds.
    Not getData(): that is what is drawn - clipped to the view and, once the x range has
    more iterations than pixels, peak-downsampled to (x, x) pairs starting at iteration
    1 + factor // 2 (which made the iteration-1 check below fail now and then)."""
    plot = w.findChild(pg.PlotWidget, "lossPlot")
    x, y = plot.getPlotItem().listDataItems()[0].getOriginalDataset()
    if x is None:
        return np.zeros(0), np.zeros(0)
    return np.asarray(x), np.asarray(y)


def independent_trainer(w: MainWindow) -> Trainer:
    """An engine Trainer on the window's data and settings, at the controller's state."""
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
    t.set_state(c.trainer.get_state())
    return t


# ---------------------------------------------------------------------- construction
def test_window_builds_the_default_example_without_showing(window):
    assert not window.isVisible()
    c = window.controller
    assert c.network.architecture == Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
    expected = make_dataset("circles", 200, 0.1, 0, 0.2)
    np.testing.assert_array_equal(c.dataset.x, expected.x)
    np.testing.assert_array_equal(c.dataset.x_val, expected.x_val)
    assert c.trainer.config.loss == "bce"
    assert not c.is_running
    for name in ("actionPlay", "actionStep", "actionReset"):
        assert window.findChild(QAction, name) is not None, name
    export = window.findChild(QAction, "actionExportWeights")
    imp = window.findChild(QAction, "actionImportWeights")
    assert export.shortcut().toString() == "Ctrl+E"
    assert imp.shortcut().toString() == "Ctrl+I"
    play = window.findChild(QAction, "actionPlay")
    assert play.isCheckable() and play.shortcut().toString() == "Space"
    for name in DOCKS:
        assert window.findChild(QDockWidget, name) is not None, name
    for name in ("lossPlot", "networkView", "gradientHeatmaps", "layerEditor"):
        assert window.findChild(QWidget, name) is not None, name
    assert isinstance(window.findChild(QWidget, "lossPlot"), pg.PlotWidget)


def test_builder_edits_reach_the_controller(window, qtbot):
    editor = window.layer_editor
    editor.add_layer(5, "relu")
    editor.set_layer(0, width=12, activation="sigmoid")
    expected = Architecture(
        2,
        (
            LayerSpec(12, "sigmoid"),
            LayerSpec(8, "tanh"),
            LayerSpec(5, "relu"),
            LayerSpec(1, "sigmoid"),
        ),
    )
    assert editor.architecture() == expected
    assert window.controller.network.architecture == expected
    # the width spin box of the new layer, as a user would use it
    editor._table.cellWidget(2, 0).setValue(3)
    assert window.controller.network.architecture.sizes == (2, 12, 8, 3, 1)
    # a new seed re-initialises exactly as the engine does
    editor.set_seed(11)
    net = init_network(window.controller.network.architecture, "xavier", 11)
    assert window.controller.network.equals(net)


def test_architecture_change_asks_nothing_and_undo_restores_progress(
    window, qtbot, discard_unsaved_work
):
    window.step()
    assert window.controller.has_progress
    before = window.controller.trainer.get_state()
    window.layer_editor.set_layer(0, width=3)
    assert discard_unsaved_work == []  # no question
    assert window.controller.network.architecture.sizes == (2, 3, 8, 1)
    assert not window.controller.has_progress
    window.action_undo.trigger()
    assert window.layer_editor.architecture().sizes == (2, 8, 8, 1)
    assert window.controller.network.equals(before.network)
    assert window.controller.trainer.step_count == 1


def test_architecture_change_while_playing_applies_and_undo_restores(window, qtbot):
    window.action_play.trigger()
    qtbot.waitUntil(lambda: window.last_snapshot.step > 0, timeout=WAIT_MS)
    window.layer_editor.add_layer(4)
    assert window.controller.network.architecture.sizes == (2, 8, 8, 4, 1)
    if window.controller.is_running:
        window.action_play.trigger()
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=WAIT_MS)
    window.action_undo.trigger()
    assert window.controller.network.architecture.sizes == (2, 8, 8, 1)
    assert window.controller.trainer.step_count > 0  # the trained run is back


# ---------------------------------------------------------------------- training
def test_play_until_the_loss_falls_then_pause(window, qtbot):
    window.show()
    qtbot.waitExposed(window)

    def fallen() -> bool:
        _, y = loss_curve(window)
        return len(y) >= 20 and float(np.mean(y[-10:])) < 0.5 * float(np.mean(y[:10]))

    play_until(qtbot, window, fallen)
    assert not window.action_play.isChecked()
    x, _ = loss_curve(window)
    np.testing.assert_array_equal(x, np.arange(1, len(x) + 1))  # every iteration, in order
    step = window.controller.trainer.step_count
    assert step >= x[-1]
    assert window.training_panel.iteration_label.text() == f"{window.last_snapshot.step:,}"
    assert f"iteration {window.last_snapshot.step:,}" in window.status_label.text()


def test_step_is_exactly_one_engine_iteration(window, qtbot):
    play_until(qtbot, window, lambda: window.last_snapshot.step >= 50)
    for _ in range(3):
        reference = independent_trainer(window)
        before = window.controller.network
        expected = reference.step()
        window.action_step.trigger()
        step = expected.step
        qtbot.waitUntil(lambda s=step: window.last_snapshot.step == s, timeout=WAIT_MS)
        after = window.controller.network
        assert after.equals(expected.update.after)
        assert not after.equals(before)
        assert window.controller.trainer.step_count == expected.step


def test_space_toggles_play_and_view_menu_toggles_docks(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.is_running, timeout=WAIT_MS)
    assert window.action_play.isChecked() and window.action_play.text() == "Pause"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=WAIT_MS)
    assert window.action_play.text() == "Play"
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert set(menus) == {"File", "Edit", "Train", "View", "Help"}  # Edit, Help: issue 5
    toggles = {a.text(): a for a in menus["View"].actions()}
    dock = window.findChild(QDockWidget, "dockHeatmaps")
    toggles[dock.windowTitle()].trigger()
    assert dock.isHidden()
    toggles[dock.windowTitle()].trigger()
    assert not dock.isHidden()


def test_reset_reinitialises_from_the_seed(window, qtbot):
    play_until(qtbot, window, lambda: window.last_snapshot.step >= 20)
    window.action_reset.trigger()
    qtbot.waitUntil(lambda: window.last_snapshot.step == 0, timeout=WAIT_MS)
    arch = window.controller.network.architecture
    assert window.controller.network.equals(init_network(arch, "xavier", 0))
    assert len(loss_curve(window)[1]) == 0


def test_settings_reach_the_controller(window, qtbot, monkeypatch):
    window.training_panel.lr_spin.setValue(0.02)
    window.training_panel.optimizer_combo.setCurrentText("adam")
    window.training_panel.batch_spin.setValue(0)  # full batch
    config = window.controller.trainer.config
    assert (config.optimizer.name, config.optimizer.lr, config.batch_size) == ("adam", 0.02, None)
    speeds = []
    monkeypatch.setattr(window.controller, "set_speed", speeds.append)
    window.training_panel.set_speed(3.0)
    window.training_panel.set_speed(None)
    assert speeds == [3.0, None]


def test_close_mid_training_stops_the_controller(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.action_play.trigger()
    qtbot.waitUntil(
        lambda: w.last_snapshot is not None and w.last_snapshot.step > 0, timeout=WAIT_MS
    )
    assert w.controller.is_running
    assert w.close()
    assert not w.controller.is_running
    assert w.controller.shutdown(1000)  # idempotent: nothing left to stop


def test_divergence_pauses_with_a_message_naming_step_and_layer(window, qtbot, tmp_path):
    editor = window.layer_editor
    editor.set_layer(0, activation="identity")
    editor.set_layer(1, activation="identity")
    window.training_panel.lr_spin.setValue(1e6)
    reference = independent_trainer(window)
    with pytest.raises(TrainingDiverged) as info:
        reference.run(10_000)
    assert info.value.layer is not None
    with qtbot.waitSignal(window.controller.diverged, timeout=WAIT_MS):
        window.action_play.trigger()
    qtbot.waitUntil(lambda: window.last_message is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=WAIT_MS)
    _, text = window.last_message
    assert f"step {info.value.step}" in text
    assert f"layer {info.value.layer}" in text
    assert f"step {info.value.step}" in window.statusBar().currentMessage()
    assert not window.action_play.isChecked()
    net = window.controller.network
    assert net.all_finite()
    assert net.equals(reference.network)  # the last finite weights
    assert window.export_weights(tmp_path / "finite.json")
    assert load_model(tmp_path / "finite.json").equals(reference.network)


# ---------------------------------------------------------------------- weight files
def test_export_all_formats_and_reimport_bit_identical(window, qtbot, tmp_path):
    play_until(qtbot, window, lambda: window.last_snapshot.step >= 30)
    trained = window.controller.network
    for suffix in FORMATS:
        path = tmp_path / f"net{suffix}"
        assert window.export_weights(path), window.last_message
        assert path.stat().st_size > 0
    assert window.export_weights(tmp_path / "plain")  # no suffix: .json
    assert load_model(tmp_path / "plain.json").equals(trained)
    for suffix in (".json", ".npz", ".safetensors"):
        window.action_reset.trigger()
        qtbot.waitUntil(lambda: window.last_snapshot.step == 0, timeout=WAIT_MS)
        assert not window.controller.network.equals(trained)
        assert window.import_weights(tmp_path / f"net{suffix}"), window.last_message
        assert window.controller.network.equals(trained), suffix
        assert window.last_snapshot.network.equals(trained)


def test_import_of_another_fitting_architecture_updates_the_builder(window, tmp_path):
    arch = Architecture.build(2, [4, 3, 2], 1, "relu", "sigmoid")
    net = init_network(arch, "he", 5)
    save_model(net, tmp_path / "other.npz")
    assert window.import_weights(tmp_path / "other.npz")
    assert window.layer_editor.architecture() == arch
    assert window.controller.network.equals(net)


def test_import_of_a_bad_file_changes_nothing(window, tmp_path):
    before = window.controller.network
    spec = window.layer_editor.spec()
    garbage = tmp_path / "broken.json"
    garbage.write_text('{"format": "backprop-lab.model", "version": 1, "layers": [')
    with pytest.raises(ModelFileError) as info:
        load_model(garbage)
    assert not window.import_weights(garbage)
    assert window.last_message[1] == str(info.value)
    # a network that does not fit the data: 3 inputs, the data has 2
    save_model(init_network(Architecture.build(3, [4], 1, "tanh", "sigmoid")), tmp_path / "w.json")
    assert not window.import_weights(tmp_path / "w.json")
    assert "3 inputs" in window.last_message[1]
    # export-only and missing files
    save_model(before, tmp_path / "n.onnx")
    assert not window.import_weights(tmp_path / "n.onnx")
    assert "export-only" in window.last_message[1]
    assert not window.import_weights(tmp_path / "missing.json")
    assert "missing.json" in window.last_message[1]
    assert window.controller.network.equals(before)
    assert window.layer_editor.spec() == spec


# ---------------------------------------------------------------------- data files
def drop(w: MainWindow, path) -> tuple[QDragEnterEvent, QDropEvent]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(w.rect().center(), Qt.DropAction.CopyAction, mime, buttons, mods)
    w.dragEnterEvent(enter)
    event = QDropEvent(QPointF(w.rect().center()), Qt.DropAction.CopyAction, mime, buttons, mods)
    if enter.isAccepted():
        w.dropEvent(event)
    return enter, event


def test_dropping_a_malformed_csv_keeps_the_data(window, qtbot, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x1,x2,label\n0.1,0.2,0\n0.3,,1\n")
    with pytest.raises(CSVError) as info:
        load_csv(path, 1, 0.2, 0, standardize=False)
    data, net = window.controller.dataset, window.controller.network
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as blocker:
        enter, _ = drop(window, path)
    assert enter.isAccepted()
    assert blocker.args[1] == str(info.value)  # the engine's message: row, column, reason
    assert "row 3, column 2" in blocker.args[1]
    assert str(info.value) in window.statusBar().currentMessage()
    assert window.controller.dataset is data and window.controller.network.equals(net)
    assert window.data_panel.dataset is data


def test_dropping_a_csv_loads_it_and_the_network_follows(window, qtbot, tmp_path):
    path = tmp_path / "three.csv"
    rng = np.random.default_rng(1)
    rows = np.column_stack([rng.normal(size=(60, 3)), rng.integers(0, 2, 60)])
    path.write_text("\n".join(",".join(f"{v:g}" for v in r) for r in rows) + "\n")
    expected = load_csv(path, 1, 0.2, 0, standardize=False)
    with qtbot.waitSignal(window.data_panel.datasetChanged, timeout=WAIT_MS):
        drop(window, path)
    np.testing.assert_array_equal(window.controller.dataset.x, expected.x)
    assert window.controller.network.architecture.sizes == (3, 8, 8, 1)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    enter, _ = drop(window, other)
    assert not enter.isAccepted()


def test_data_change_asks_nothing_and_undo_brings_the_data_back(
    window, qtbot, discard_unsaved_work
):
    window.step()
    data = window.controller.dataset
    window.data_panel.source_combo.setCurrentText("sine")
    assert discard_unsaved_work == []
    assert window.controller.dataset.name == "sine"
    assert window.controller.network.architecture == Architecture.build(
        1, [8, 8], 1, "tanh", "identity"
    )
    window.action_undo.trigger()
    assert window.controller.dataset is data
    assert window.data_panel.source_combo.currentText() == "circles"
    assert window.controller.trainer.step_count == 1


# ---------------------------------------------------------------------- the picture
def test_shown_window_is_not_blank(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.step()
    qtbot.waitUntil(lambda: window.last_snapshot.step == 1, timeout=WAIT_MS)
    image = window.grab().toImage()
    assert image.width() > 100 and image.height() > 100
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 10
    assert not math.isnan(window.last_snapshot.train_loss)


def test_messages_open_a_non_blocking_box(window, qtbot):
    window.quiet_messages = False
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.messageShown) as blocker:
        window.show_error("Cannot load the data", "bad.csv, row 3, column 2: empty cell")
    assert blocker.args == ["Cannot load the data", "bad.csv, row 3, column 2: empty cell"]
    box = window.findChild(QMessageBox, "messageBox")
    assert box is not None and box.isVisible()  # show_error returned: it did not block
    assert box.text() == "bad.csv, row 3, column 2: empty cell"
    assert window.statusBar().currentMessage() == box.text()
    box.close()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "messageBox") is None, timeout=WAIT_MS)
