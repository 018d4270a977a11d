"""The control panels on their own: the network builder, the data panel, the training
controls. Expected values come from the engine (make_dataset, load_csv, Architecture)."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.data import CSVError, load_csv, make_dataset
from backprop_lab.engine.losses import losses_for
from backprop_lab.engine.network import MAX_UNITS, Architecture, LayerSpec, init_network
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.engine.trainer import Trainer, TrainingConfig
from backprop_lab.engine.transport.snapshot import make_snapshot
from backprop_lab.gui.panels.data_panel import DataChoice, DataPanel
from backprop_lab.gui.panels.layer_editor import MAX_HIDDEN, LayerEditor, NetworkSpec
from backprop_lab.gui.panels.log_spin_box import LogSpinBox, log_step
from backprop_lab.gui.panels.training_panel import SPEEDS, TrainingPanel, TrainingSettings
from PySide6.QtCore import Qt, QTimer

CIRCLES = make_dataset("circles", 200, 0.1, 0, 0.2)


def combo_items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


@pytest.fixture
def editor(qtbot):
    e = LayerEditor(CIRCLES)
    qtbot.addWidget(e)
    return e


# ---------------------------------------------------------------------- network builder
def test_editor_default_is_the_small_tanh_network(editor):
    assert editor.objectName() == "layerEditor"
    assert editor.architecture() == Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
    assert editor.spec() == NetworkSpec(editor.architecture(), "bce", "xavier", 0)


def test_editor_layer_edits_emit_the_new_architecture(editor, qtbot):
    seen = []
    editor.architectureChanged.connect(seen.append)
    editor.add_layer(4, "relu")
    assert editor.architecture().sizes == (2, 8, 8, 4, 1)
    editor.insert_layer(0, 3, "sigmoid")
    editor.set_layer(1, width=16)
    editor.set_layer(2, activation="leaky_relu")
    editor.move_layer(3, -3)  # the relu layer to the front
    editor.remove_layer(1)  # the sigmoid layer
    expected = Architecture(
        2,
        (
            LayerSpec(4, "relu"),
            LayerSpec(16, "tanh"),
            LayerSpec(8, "leaky_relu"),
            LayerSpec(1, "sigmoid"),
        ),
    )
    assert editor.architecture() == expected
    assert len(seen) == 6
    assert seen[-1] == editor.spec()
    assert seen[-1].architecture == expected
    assert editor.last_edit == "remove layer 2 (3 sigmoid)"


def test_editor_widgets_edit_the_layers(editor, qtbot):
    spin = editor._table.cellWidget(1, 0)
    with qtbot.waitSignal(editor.architectureChanged) as blocker:
        spin.setValue(12)
    assert blocker.args[0].architecture.sizes == (2, 8, 12, 1)
    assert editor.last_edit == "layer 2 width 8 -> 12"
    combo = editor._table.cellWidget(0, 1)
    with qtbot.waitSignal(editor.architectureChanged):
        combo.setCurrentText("relu")
    assert editor.hidden_layers()[0] == LayerSpec(8, "relu")
    # the buttons: Add appends (a copy of the last layer), selecting a row and Up moves it
    qtbot.mouseClick(editor._add, Qt.MouseButton.LeftButton)
    assert len(editor.hidden_layers()) == 3
    assert editor.hidden_layers()[2] == LayerSpec(12, "tanh")
    editor._table.selectRow(1)
    qtbot.mouseClick(editor._up, Qt.MouseButton.LeftButton)
    assert [ly.units for ly in editor.hidden_layers()] == [12, 8, 12]
    assert editor.current_row() == 0
    assert not editor._up.isEnabled()


def test_editor_invalid_widths_cannot_be_entered(editor, qtbot):
    spin = editor._table.cellWidget(0, 0)
    # the builder's limit is the engine's: one width limit for the window and the CLI
    assert (spin.minimum(), spin.maximum()) == (1, MAX_UNITS) == (1, 4096)
    spin.setValue(0)
    assert editor.hidden_layers()[0].units == 1
    spin.setValue(100_000)
    assert editor.hidden_layers()[0].units == 4096
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "-7x")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert 1 <= editor.hidden_layers()[0].units <= 4096
    with pytest.raises(ValueError):
        editor.set_layer(0, width=4097)
    with pytest.raises(ValueError):
        editor.add_layer(8, "softmax")  # output-only activation
    with pytest.raises(IndexError):
        editor.remove_layer(5)
    assert combo_items(editor._table.cellWidget(0, 1)) == [
        "tanh",
        "sigmoid",
        "relu",
        "leaky_relu",
        "identity",
    ]


def test_editor_refuses_more_parameters_than_the_engine_allows(editor):
    """Every layer may be MAX_UNITS wide, but not so many of them that the network would
    pass the engine's parameter limit (50 million): the edit is refused, nothing changes."""
    editor.set_layer(0, width=MAX_UNITS)
    editor.set_layer(1, width=MAX_UNITS)
    editor.add_layer(MAX_UNITS)
    editor.add_layer(8)
    before = editor.spec()
    with pytest.raises(ValueError, match="parameters"):
        editor.insert_layer(3, MAX_UNITS)
    with pytest.raises(ValueError, match="parameters"):
        editor.set_layer(3, width=MAX_UNITS)
    assert editor.spec() == before
    spin = editor._table.cellWidget(3, 0)
    spin.setValue(MAX_UNITS)  # typed into the box: the old width comes back
    assert spin.value() == 8
    assert editor.spec() == before
    assert editor._summary.text().startswith("Not possible: the network would have")


def test_editor_limits_the_number_of_hidden_layers(editor):
    while editor.hidden_layers():
        editor.remove_layer(0)
    assert editor.architecture().sizes == (2, 1)  # logistic regression is allowed
    assert not editor._remove.isEnabled()
    for _ in range(MAX_HIDDEN):
        editor.add_layer(1)
    assert not editor._add.isEnabled() and not editor._insert.isEnabled()
    with pytest.raises(ValueError):
        editor.add_layer(1)


def test_editor_offers_only_sensible_output_and_loss_pairs(editor):
    assert combo_items(editor._loss_combo) == ["bce", "mse"]  # sigmoid output
    editor.set_output("softmax")
    assert combo_items(editor._loss_combo) == ["ce"]
    assert editor.spec().loss == "ce"
    assert editor.architecture().layers[-1] == LayerSpec(2, "softmax")  # one unit per class
    editor.set_output("identity")
    assert combo_items(editor._loss_combo) == ["mse"]
    assert editor.architecture().layers[-1].units == CIRCLES.t.shape[1]
    with pytest.raises(ValueError):
        editor.set_output("identity", "bce")
    with pytest.raises(ValueError):
        editor.set_output("sigmoid", "ce")


def test_editor_follows_the_data(editor):
    seen = []
    editor.architectureChanged.connect(seen.append)
    sine = make_dataset("sine", 100, 0.1, 0, 0.2)
    editor.set_dataset(sine)
    assert editor.architecture() == Architecture.build(1, [8, 8], 1, "tanh", "identity")
    assert editor.spec().loss == "mse"
    assert "softmax" not in combo_items(editor._output_combo)
    assert combo_items(editor._loss_combo) == ["mse"]
    assert losses_for(sine, "sigmoid") == ("mse",)  # regression: mse only
    spiral3 = make_dataset("spiral3", 150, 0.1, 0, 0.2)
    editor.set_dataset(spiral3)
    assert editor.architecture().sizes == (2, 8, 8, 3)
    assert editor.spec().loss == "ce"
    assert seen == []  # following the data emits nothing: the window re-initialises


def test_editor_set_spec_is_silent_and_checked(editor):
    seen = []
    editor.architectureChanged.connect(seen.append)
    arch = Architecture((2), (LayerSpec(5, "relu"), LayerSpec(1, "sigmoid")), bias=False)
    spec = NetworkSpec(arch, "mse", "he", 7)
    editor.set_spec(spec)
    assert editor.spec() == spec
    assert not editor._bias_check.isChecked()
    assert editor._init_combo.currentText() == "he"
    assert editor._seed_spin.value() == 7
    assert seen == []
    editor.set_architecture(Architecture.build(2, [6, 6], 2, "relu", "softmax"))
    assert editor.spec() == NetworkSpec(
        Architecture.build(2, [6, 6], 2, "relu", "softmax"), "ce", "he", 7
    )
    assert seen == []
    wide = Architecture.build(2, [MAX_UNITS], 1, "tanh", "sigmoid")
    assert editor.fits(NetworkSpec(wide, "bce")) is None  # up to the engine's limit
    with pytest.raises(ValueError, match="4096"):  # wider cannot even be described
        Architecture.build(2, [MAX_UNITS + 1], 1, "tanh", "sigmoid")
    wrong_input = Architecture.build(3, [4], 1, "tanh", "sigmoid")
    assert "3 inputs" in editor.fits(NetworkSpec(wrong_input, "bce"))
    with pytest.raises(ValueError):
        editor.set_spec(NetworkSpec(wrong_input, "bce"))
    assert editor.spec().architecture.sizes == (2, 6, 6, 2)


def test_editor_bias_init_and_seed_edits(editor, qtbot):
    with qtbot.waitSignal(editor.architectureChanged) as blocker:
        editor._bias_check.setChecked(False)
    assert blocker.args[0].architecture.bias is False
    with qtbot.waitSignal(editor.architectureChanged) as blocker:
        editor._init_combo.setCurrentText("normal")
    assert blocker.args[0].init == "normal"
    with qtbot.waitSignal(editor.architectureChanged) as blocker:
        editor._seed_spin.setValue(42)
    assert blocker.args[0].seed == 42


# ---------------------------------------------------------------------- learning-rate box
@pytest.mark.parametrize(
    ("value", "steps", "expected"),
    [(0.5, 1, 1.0), (0.5, -1, 0.2), (1.0, -1, 0.5), (0.3, 1, 0.5), (0.3, -1, 0.2), (0.1, 3, 1.0)],
)
def test_log_step_walks_the_1_2_5_series(value, steps, expected):
    assert log_step(value, steps) == expected


def test_log_spin_box_accepts_only_positive_values(qtbot):
    box = LogSpinBox(1e-6, 1e6)
    qtbot.addWidget(box)
    box.setValue(0.0)
    assert box.value() == 1e-6
    box.setValue(0.05)
    box.stepBy(1)
    assert box.value() == 0.1
    assert box.text() == "0.1"
    edit = box.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "-3")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert box.value() > 0
    edit.selectAll()
    qtbot.keyClicks(edit, "2e-4")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert box.value() == 2e-4


# ---------------------------------------------------------------------- training panel
def test_training_panel_builds_the_engine_config(qtbot):
    panel = TrainingPanel(TrainingSettings(0.5, "sgd", 32))
    qtbot.addWidget(panel)
    assert panel.training_config("bce", 3) == TrainingConfig(
        "bce", Optimizer("sgd", 0.5), 32, 0.0, 0.0, seed=3
    )
    with qtbot.waitSignal(panel.configChanged):
        panel.optimizer_combo.setCurrentText("adam")
    with qtbot.waitSignal(panel.configChanged):
        panel.batch_spin.setValue(0)
    assert panel.batch_spin.text() == "full"
    panel.l2_spin.setValue(0.001)
    panel.lr_spin.setValue(0.01)
    assert panel.training_config("mse") == TrainingConfig(
        "mse", Optimizer("adam", 0.01), None, 0.001, 0.0
    )
    seen = []
    panel.configChanged.connect(lambda: seen.append(1))
    panel.set_settings(TrainingSettings(0.2, "momentum", 8, 0.0, 0.01))
    assert seen == []
    assert panel.settings() == TrainingSettings(0.2, "momentum", 8, 0.0, 0.01)


def test_training_panel_speed_and_counters(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    assert panel.speed() is None
    with qtbot.waitSignal(panel.speedChanged) as blocker:
        panel.set_speed(3.0)
    assert blocker.args == [3.0]
    assert SPEEDS[panel.speed_combo.currentIndex()] == ("3 / s", 3.0)
    with qtbot.waitSignal(panel.speedChanged) as blocker:
        panel.speed_combo.setCurrentIndex(0)
    assert blocker.args == [None]
    net = init_network(Architecture.build(2, [3], 1, "tanh", "sigmoid"))
    trainer = Trainer(net, CIRCLES.x, CIRCLES.t, TrainingConfig("bce", batch_size=16))
    trainer.run(25)
    snap = make_snapshot(trainer, [], [], np.zeros((0, 2)), trainer.last)
    panel.show_snapshot(snap)
    assert panel.iteration_label.text() == "25"
    assert panel.epoch_label.text() == str(trainer.epoch)


# ---------------------------------------------------------------------- data panel
def assert_same_data(a, b):
    for name in ("x", "t", "x_val", "t_val"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert (a.name, a.task, a.n_classes) == (b.name, b.task, b.n_classes)


@pytest.fixture
def data_panel(qtbot):
    panel = DataPanel(DataChoice("circles", 0.1, 200, 0.2, 0))
    qtbot.addWidget(panel)
    yield panel
    panel.shutdown(5000)


def test_data_panel_default_and_changes(data_panel, qtbot):
    assert_same_data(data_panel.dataset, CIRCLES)
    with qtbot.waitSignal(data_panel.datasetChanged) as blocker:
        data_panel.noise_spin.setValue(0.25)
    assert_same_data(blocker.args[0], make_dataset("circles", 200, 0.25, 0, 0.2))
    with qtbot.waitSignal(data_panel.datasetChanged) as blocker:
        data_panel.source_combo.setCurrentText("xor")
    assert_same_data(blocker.args[0], make_dataset("xor", 200, 0.25, 0, 0.2))
    with qtbot.waitSignal(data_panel.datasetChanged) as blocker:
        qtbot.mouseClick(data_panel.regenerate_button, Qt.MouseButton.LeftButton)
    assert_same_data(blocker.args[0], make_dataset("xor", 200, 0.25, 1, 0.2))
    assert data_panel.seed_spin.value() == 1
    data_panel.revert()
    assert_same_data(data_panel.dataset, make_dataset("xor", 200, 0.25, 0, 0.2))
    assert data_panel.seed_spin.value() == 0


def test_data_panel_loads_a_csv_in_the_background(data_panel, qtbot, tmp_path):
    path = tmp_path / "points.csv"
    rng = np.random.default_rng(0)
    rows = np.column_stack([rng.normal(size=(50, 3)), rng.integers(0, 3, 50)])
    path.write_text("a,b,c,label\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n")
    with qtbot.waitSignal(data_panel.busyChanged) as busy:
        data_panel.load_csv_file(str(path))
    assert busy.args == [True] and data_panel.busy
    with qtbot.waitSignal(data_panel.datasetChanged, timeout=20_000) as blocker:
        pass
    assert not data_panel.busy
    assert_same_data(blocker.args[0], load_csv(path, 1, 0.2, 0, standardize=False))
    assert data_panel.source_combo.currentText() == "CSV: points.csv"
    assert not data_panel.noise_spin.isEnabled()


def test_data_panel_uses_a_one_row_csv_as_written(data_panel, qtbot, tmp_path):
    # standardisation was on by default and turned the one row's inputs into 0
    path = tmp_path / "one_row.csv"
    path.write_text("x1,x2,t1,t2\n0.05,0.10,0.01,0.99\n")
    assert not data_panel.standardize_check.isChecked()
    data_panel.targets_spin.setValue(2)
    with qtbot.waitSignal(data_panel.datasetChanged, timeout=20_000) as blocker:
        data_panel.load_csv_file(str(path))
    np.testing.assert_array_equal(blocker.args[0].x, [[0.05, 0.10]])
    assert blocker.args[0].mean is None


def test_data_panel_refuses_to_standardise_one_row_naming_the_column(data_panel, qtbot, tmp_path):
    path = tmp_path / "one_row.csv"
    path.write_text("x1,x2,t1,t2\n0.05,0.10,0.01,0.99\n")
    data_panel.targets_spin.setValue(2)
    data_panel.standardize_check.setChecked(True)
    before = data_panel.dataset
    with qtbot.waitSignal(data_panel.loadFailed, timeout=20_000) as blocker:
        data_panel.load_csv_file(str(path))
    assert blocker.args[0].startswith("one_row.csv: cannot standardise input column 'x1'")
    assert "only one training row" in blocker.args[0]
    assert data_panel.dataset is before


def test_data_panel_stays_responsive_while_reading_a_large_csv(
    data_panel, qtbot, tmp_path, monkeypatch
):
    """The read runs off the GUI thread: while it is held (an Event the test sets once the
    GUI thread's timer has fired three times with the panel busy) the event loop runs.
    (Before the fast reader a 3.5 MB file took long enough by itself; held, the test does
    not depend on the machine's speed.)"""
    import threading

    from backprop_lab.gui.panels import data_panel as data_panel_module

    path = tmp_path / "large.csv"
    rng = np.random.default_rng(2)
    rows = np.column_stack([rng.normal(size=(40_000, 4)), rng.integers(0, 2, 40_000)])
    np.savetxt(path, rows, fmt="%.17g", delimiter=",")  # about 3.5 MB
    release = threading.Event()
    real_load = data_panel_module.load_csv

    def held_load(*args, **kwargs):
        assert release.wait(30), "the GUI thread never saw the panel busy"
        return real_load(*args, **kwargs)

    monkeypatch.setattr(data_panel_module, "load_csv", held_load)
    ticks = []
    timer = QTimer()
    timer.setInterval(10)

    def tick():
        ticks.append(data_panel.busy)
        if ticks.count(True) >= 3:
            release.set()

    timer.timeout.connect(tick)
    timer.start()
    with qtbot.waitSignal(data_panel.datasetChanged, timeout=60_000) as blocker:
        data_panel.load_csv_file(str(path))
    timer.stop()
    release.set()
    # the event loop kept running during the read: the timer fired while the panel was
    # busy (a read in the GUI thread would have blocked it until the end - and here, held
    # until the timer fired, it would never end: the wait above would time out)
    assert ticks.count(True) >= 3
    assert len(blocker.args[0].x) + len(blocker.args[0].x_val) == 40_000


def test_a_newer_csv_request_replaces_the_read_in_progress(data_panel, qtbot, tmp_path):
    rng = np.random.default_rng(3)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    np.savetxt(first, np.column_stack([rng.normal(size=(20_000, 2)), rng.integers(0, 2, 20_000)]),
               fmt="%.17g", delimiter=",")  # fmt: skip
    np.savetxt(second, np.column_stack([rng.normal(size=(30, 2)), rng.integers(0, 2, 30)]),
               fmt="%.17g", delimiter=",")  # fmt: skip
    shown, failed = [], []
    data_panel.datasetChanged.connect(shown.append)
    data_panel.loadFailed.connect(failed.append)
    data_panel.load_csv_file(str(first))
    data_panel.load_csv_file(str(second))  # while the first is (or may be) still read
    qtbot.waitUntil(lambda: not data_panel.busy and data_panel._read is None, timeout=60_000)
    assert failed == [] and len(shown) == 1  # the first file's answer was dropped
    assert_same_data(shown[0], load_csv(second, 1, 0.2, 0, standardize=False))
    assert data_panel.source_combo.currentText() == "CSV: second.csv"


def test_data_panel_malformed_csv_keeps_the_data(data_panel, qtbot, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x,y,t\n1,2,0\n3,abc,1\n")
    with pytest.raises(CSVError) as info:
        load_csv(path, 1, 0.2, 0, standardize=False)
    before = data_panel.dataset
    with qtbot.waitSignal(data_panel.loadFailed, timeout=20_000) as blocker:
        data_panel.load_csv_file(str(path))
    assert blocker.args == [str(info.value)]
    assert "row 3" in blocker.args[0] and "column 2" in blocker.args[0]
    assert data_panel.dataset is before
    assert not data_panel.busy
