"""The classic 2-2-2 worked example (Matt Mazur, "A Step by Step Backpropagation
Example"), reproduced from the command line with nothing but the data, the model and
the article's learning rate: the default loss must follow the data (targets 0.01 and
0.99 are numbers to fit: mse, not bce) and the published numbers must come out.

The published numbers are the independent truth: inputs 0.05, 0.10; targets 0.01,
0.99; w1..w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55; biases 0.35 (hidden) and
0.60 (output); sigmoid everywhere; E_total = 1/2 sum (target - out)^2 (the engine's mse,
a mean over outputs: 1/2 for two outputs); one update with eta = 0.5. No Qt.
"""

from __future__ import annotations

import json

import pytest
from backprop_lab.engine import cli

#: the article's numbers after the first backward pass and update (eta = 0.5)
TOTAL_ERROR = 0.298371109
DE_DW1, DE_DW5 = 0.000438568, 0.082167041
PUBLISHED = {  # (layer, j, i) in the JSON model's weight[j][i] -> new weight
    "w1": ((0, 0, 0), 0.149780716),
    "w2": ((0, 0, 1), 0.19956143),
    "w3": ((0, 1, 0), 0.24975114),
    "w4": ((0, 1, 1), 0.29950229),
    "w5": ((1, 0, 0), 0.35891648),
    "w6": ((1, 0, 1), 0.408666186),
    "w7": ((1, 1, 0), 0.511301270),
    "w8": ((1, 1, 1), 0.561370121),
}


@pytest.fixture
def files(tmp_path):
    """m.json (the article's 2-2-2 network) and one_row.csv (its one sample)."""
    model = {
        "format": "backprop-lab.model",
        "version": 1,
        "input_size": 2,
        "bias": True,
        "dtype": "float64",
        "layers": [
            {"units": 2, "activation": "sigmoid", "weight": [[0.15, 0.20], [0.25, 0.30]],
             "bias": [0.35, 0.35]},
            {"units": 2, "activation": "sigmoid", "weight": [[0.40, 0.45], [0.50, 0.55]],
             "bias": [0.60, 0.60]},
        ],
    }  # fmt: skip
    (tmp_path / "m.json").write_text(json.dumps(model))
    (tmp_path / "one_row.csv").write_text("0.05,0.10,0.01,0.99\n")
    return tmp_path


def test_one_training_step_gives_the_published_weights(files, capsys):
    out = files / "after.json"
    argv = ["train", "--model", str(files / "m.json"), "--data", str(files / "one_row.csv")]
    argv += ["--targets", "2", "--lr", "0.5", "--steps", "1", "--export", str(out)]
    assert cli.main(argv) == 0, capsys.readouterr().err
    summary = capsys.readouterr().out
    assert "loss mse" in summary  # not bce: 0.01 and 0.99 are not class labels
    layers = json.loads(out.read_text())["layers"]
    for name, ((layer, j, i), published) in PUBLISHED.items():
        assert layers[layer]["weight"][j][i] == pytest.approx(published, abs=1e-8), name


def test_explain_gives_the_published_derivative_and_update(files, capsys):
    base = ["explain", "--model", str(files / "m.json"), "--data", str(files / "one_row.csv")]
    base += ["--targets", "2", "--json"]  # the default learning rate is the article's 0.5
    for weight, derivative, new in (("1,0,0", DE_DW1, "w1"), ("2,0,0", DE_DW5, "w5")):
        assert cli.main([*base, "--weight", weight]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["loss_function"] == "mse"
        assert doc["loss"] == pytest.approx(TOTAL_ERROR, abs=1e-9)
        assert doc["gradient"] == pytest.approx(derivative, abs=1e-9)
        assert doc["new_weight"] == pytest.approx(PUBLISHED[new][1], abs=1e-8)
