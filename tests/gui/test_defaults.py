"""One set of defaults (engine.defaults) for the window and the command line: what
``backprop-lab train`` does without options is what the window opens with - the same
data, network, initial weights, loss and training settings - and the default loss
follows the data identically in both (the layer editor and the CLI agree on a CSV of
0.01/0.99 targets and on one of 0/1 targets)."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine import defaults
from backprop_lab.engine.cli import build_parser
from backprop_lab.engine.cli.options import load_data
from backprop_lab.engine.cli.train import build_network
from backprop_lab.engine.network import init_network
from backprop_lab.gui.model.lab import training_config
from backprop_lab.gui.model.records import DataChoice, NetworkSpec, TrainingSettings
from backprop_lab.gui.panels.data_panel import DataPanel
from backprop_lab.gui.panels.layer_editor import LayerEditor
from backprop_lab.gui.panels.training_panel import TrainingPanel
from backprop_lab.gui.window import main_window
from PySide6.QtWidgets import QComboBox


def cli_defaults(*argv: str):
    """(args, data, network, loss) of ``backprop-lab train *argv`` before training."""
    args = build_parser().parse_args(["train", *argv])
    data = load_data(args)
    net, loss = build_network(args, data)
    return args, data, net, loss


def test_the_window_opens_with_what_the_command_line_trains_by_default(qtbot):
    args, data, net, loss = cli_defaults()
    panel = DataPanel()
    qtbot.addWidget(panel)
    editor = LayerEditor(panel.dataset)
    qtbot.addWidget(editor)
    training = TrainingPanel()
    qtbot.addWidget(training)

    # the data: circles, 200 samples, noise 0.1, a fifth for validation, not standardised
    choice = panel.choice
    assert (choice.source, args.data) == (defaults.DATA, defaults.DATA) == ("circles",) * 2
    assert choice.standardize is args.standardize is False
    assert not panel.standardize_check.isChecked()
    assert np.array_equal(panel.dataset.x, data.x) and np.array_equal(panel.dataset.t, data.t)
    assert np.array_equal(panel.dataset.x_val, data.x_val)

    # the network: 2-8-8-1 tanh, sigmoid + bce, the same initial weights
    spec = editor.spec()
    assert spec.architecture == net.architecture
    assert net.architecture.describe().startswith("2 -> 8 tanh -> 8 tanh -> 1 sigmoid")
    assert spec.loss == loss == "bce"
    window_net = init_network(spec.architecture, spec.init, spec.seed, "float64")
    assert np.array_equal(window_net.flat, net.flat)

    # training: sgd, the article's eta = 0.5, batch 32, no regularisation, seed 0
    config = training_config(training.settings(), spec)
    cli = (args.optimizer, args.lr, args.batch_size, args.l2, args.l1, args.seed)
    window = (config.optimizer.name, config.optimizer.lr, config.batch_size, config.l2,
              config.l1, config.seed)  # fmt: skip
    assert window == cli == ("sgd", 0.5, 32, 0.0, 0.0, 0)


def test_the_records_and_the_main_window_take_the_engine_defaults():
    assert DataChoice() == main_window.DEFAULT_DATA
    assert TrainingSettings() == main_window.DEFAULT_TRAINING
    c, s = DataChoice(), TrainingSettings()
    assert (c.source, c.samples, c.noise, c.val_split, c.seed, c.targets, c.standardize) == (
        defaults.DATA, defaults.SAMPLES, defaults.NOISE, defaults.VAL_SPLIT,
        defaults.DATA_SEED, defaults.CSV_TARGETS, defaults.STANDARDIZE,
    )  # fmt: skip
    assert (s.learning_rate, s.optimizer, s.batch_size, s.l2, s.l1) == (
        defaults.LEARNING_RATE, defaults.OPTIMIZER, defaults.BATCH_SIZE, defaults.L2,
        defaults.L1,
    )  # fmt: skip
    spec = NetworkSpec(None, "mse")  # type: ignore[arg-type]
    assert (spec.init, spec.seed) == (defaults.INIT, defaults.INIT_SEED)


@pytest.mark.parametrize(
    ("rows", "targets", "output", "loss"),
    [
        # the article's worked example: 0.01 and 0.99 are numbers to fit
        ("0.05,0.10,0.01,0.99\n0.2,0.3,0.2,0.8\n", 2, "identity", "mse"),
        # 0/1 in two columns: class labels
        ("0.05,0.10,0,1\n0.2,0.3,1,0\n0.4,0.1,0,1\n", 2, "sigmoid", "bce"),
        # one column of class numbers
        ("0.05,0.10,0\n0.2,0.3,1\n0.4,0.1,2\n", 1, "softmax", "ce"),
    ],
)
def test_the_default_loss_follows_the_data_in_both(qtbot, tmp_path, rows, targets, output, loss):
    path = tmp_path / "data.csv"
    path.write_text(rows)
    _, data, net, cli_loss = cli_defaults("--data", str(path), "--targets", str(targets))
    editor = LayerEditor(data)
    qtbot.addWidget(editor)
    spec = editor.spec()
    assert (net.architecture.output_activation, cli_loss) == (output, loss)
    assert (spec.architecture.output_activation, spec.loss) == (output, loss)


def test_a_sigmoid_output_on_targets_that_are_not_labels_trains_with_mse(qtbot, tmp_path):
    # the worked example's network has sigmoid outputs; its targets 0.01/0.99 ask for mse
    path = tmp_path / "one_row.csv"
    path.write_text("0.05,0.10,0.01,0.99\n")
    _, data, _, cli_loss = cli_defaults(
        "--data", str(path), "--targets", "2", "--output-activation", "sigmoid"
    )
    editor = LayerEditor(data)
    qtbot.addWidget(editor)
    editor.set_output("sigmoid")
    assert cli_loss == editor.spec().loss == "mse"
    combo = editor.findChild(QComboBox, "lossCombo")
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert offered == ["mse", "bce"]  # the default first, as on the command line
