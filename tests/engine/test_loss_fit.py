"""The rules the command line and the window share: which losses fit an output layer on
which data (engine.losses.losses_for), the default output layer (default_output), whether
a network fits the data (engine.network.fit_problem). Every activation x loss x kind of
data against a table written by hand. No Qt."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.activations import OUTPUT_ACTIVATIONS
from backprop_lab.engine.data import Dataset, make_dataset, one_hot
from backprop_lab.engine.losses import (
    LOSSES,
    default_output,
    loss_problem,
    losses_for,
    output_activations_for,
)
from backprop_lab.engine.network import MAX_UNITS, Architecture, fit_problem

RNG = np.random.default_rng(0)


def dataset(name: str, t: np.ndarray, labels: np.ndarray | None, n_classes: int) -> Dataset:
    """Eight training rows and two validation rows of 2-D inputs with targets ``t``."""
    x = RNG.normal(size=(len(t), 2))
    return Dataset(
        name=name,
        x=x[:8],
        t=t[:8],
        x_val=x[8:],
        t_val=t[8:],
        labels=None if labels is None else labels[:8],
        labels_val=None if labels is None else labels[8:],
        task="regression" if labels is None else "classification",
        n_classes=n_classes,
        feature_names=("x1", "x2"),
        target_names=tuple(f"t{k}" for k in range(t.shape[1])),
    )


LABELS3 = np.arange(10) % 3
LABELS2 = np.arange(10) % 2
KINDS = {
    # what the built-in sets and CSV files make
    "two classes": make_dataset("circles", 40, 0.1, 0, 0.2),  # t (N, 1) of 0/1
    "three classes, one-hot": make_dataset("spiral3", 60, 0.1, 0, 0.2),  # t (N, 3)
    "three classes, one label column": dataset("labels", LABELS3[:, None] * 1.0, LABELS3, 3),
    "regression": make_dataset("sine", 40, 0.1, 0, 0.2),  # t beyond [0, 1]
    "regression in [0, 1]": dataset("share", RNG.uniform(0, 1, (10, 1)), None, 0),
    # the article's worked example: two targets 0.01 and 0.99 are numbers to fit
    "targets 0.01 and 0.99": dataset("mazur", np.tile([0.01, 0.99], (10, 1)), None, 0),
    # 0/1 in several columns without class numbers (a CSV with --targets 2): labels
    "0/1 target columns": dataset("multilabel", one_hot(LABELS2, 2), None, 0),
    # only a Dataset built in code has these
    "two classes, one-hot": dataset("onehot2", one_hot(LABELS2, 2), LABELS2, 2),
    "one class": dataset("one", np.zeros((10, 1)), np.zeros(10, int), 1),
}

MSE, BCE_MSE, MSE_BCE, CE, NONE = ("mse",), ("bce", "mse"), ("mse", "bce"), ("ce",), ()
OTHERS = ("identity", "tanh", "relu", "leaky_relu")  # mse only, on any data
#: kind -> (losses for sigmoid, losses for softmax); the conventional loss first
FITTING = {
    "two classes": (BCE_MSE, CE),
    "three classes, one-hot": (BCE_MSE, CE),
    "three classes, one label column": (MSE, CE),  # class numbers 0..2 are not 0/1
    "regression": (MSE, NONE),
    "regression in [0, 1]": (MSE_BCE, NONE),  # not class labels: mse first
    "targets 0.01 and 0.99": (MSE_BCE, NONE),
    "0/1 target columns": (BCE_MSE, NONE),  # no class numbers for ce
    "two classes, one-hot": (BCE_MSE, CE),
    "one class": (BCE_MSE, NONE),  # a softmax over one class says nothing
}
#: kind -> default_output(data, loss) for loss None, "mse", "bce", "ce"
DEFAULTS = {
    "two classes": ("sigmoid", "bce"),
    "three classes, one-hot": ("softmax", "ce"),
    "three classes, one label column": ("softmax", "ce"),
    "regression": ("identity", "mse"),
    "regression in [0, 1]": ("identity", "mse"),
    "targets 0.01 and 0.99": ("identity", "mse"),
    "0/1 target columns": ("sigmoid", "bce"),
    "two classes, one-hot": ("softmax", "ce"),
    "one class": ("sigmoid", "bce"),
}
WITH_LOSS_CLASSIFICATION = {"mse": "sigmoid", "bce": "sigmoid", "ce": "softmax"}
WITH_LOSS_REGRESSION = {"mse": "identity", "bce": "sigmoid", "ce": "softmax"}


def expected_losses(kind: str, activation: str) -> tuple[str, ...]:
    sigmoid, softmax = FITTING[kind]
    return {"sigmoid": sigmoid, "softmax": softmax}.get(activation, MSE)


@pytest.mark.parametrize("kind", list(KINDS))
def test_losses_for_every_output_activation_and_kind_of_data(kind):
    data = KINDS[kind]
    for activation in OUTPUT_ACTIVATIONS:
        expected = expected_losses(kind, activation)
        assert losses_for(data, activation) == expected, (kind, activation)
        for loss in LOSSES:
            problem = loss_problem(data, activation, loss)
            assert (problem is None) == (loss in expected), (kind, activation, loss, problem)
            assert problem is None or "\n" not in problem
    assert set(OTHERS) | {"sigmoid", "softmax"} == set(OUTPUT_ACTIVATIONS)
    offered = tuple(a for a in OUTPUT_ACTIVATIONS if expected_losses(kind, a))
    assert output_activations_for(data) == offered


@pytest.mark.parametrize("kind", list(KINDS))
def test_default_output_for_every_kind_of_data(kind):
    data = KINDS[kind]
    activation, loss = default_output(data)
    assert (activation, loss) == DEFAULTS[kind]
    assert loss in losses_for(data, activation)  # the default always trains
    classes = data.task == "classification" or kind == "0/1 target columns"
    with_loss = WITH_LOSS_CLASSIFICATION if classes else WITH_LOSS_REGRESSION
    for loss in LOSSES:
        assert default_output(data, loss) == (with_loss[loss], loss), (kind, loss)
    with pytest.raises(ValueError, match="unknown loss"):
        default_output(data, "hinge")


def test_loss_problems_say_why():
    sine, circles = KINDS["regression"], KINDS["two classes"]
    assert "between 0 and 1" in loss_problem(sine, "sigmoid", "bce")
    with pytest.raises(ValueError) as raised:
        sine.targets("ce")
    assert loss_problem(sine, "softmax", "ce") == str(raised.value)  # the data's own words
    assert "needs the output activation" in loss_problem(circles, "identity", "bce")
    assert "two classes or more" in loss_problem(KINDS["one class"], "softmax", "ce")


def test_fit_problem_checks_inputs_loss_and_outputs():
    circles, spiral3 = KINDS["two classes"], KINDS["three classes, one-hot"]
    net = Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
    assert fit_problem(circles, net, "bce") is None
    assert fit_problem(circles, net, "mse") is None
    assert (
        fit_problem(circles, Architecture.build(2, [MAX_UNITS], 1, "tanh", "sigmoid"), "bce")
        is None
    )
    three_in = Architecture.build(3, [4], 1, "tanh", "sigmoid")
    assert fit_problem(circles, three_in, "bce") == "the network takes 3 inputs but the data has 2"
    assert fit_problem(
        KINDS["regression"], Architecture.build(1, [4], 1, "tanh", "sigmoid"), "bce"
    ) == ("a sigmoid output layer with the bce loss does not suit the data 'sine'")
    assert fit_problem(spiral3, net, "bce") == "the network has 1 output(s) but the data needs 3"
    softmax3 = Architecture.build(2, [4], 3, "tanh", "softmax")
    assert fit_problem(spiral3, softmax3, "ce") is None
    assert fit_problem(circles, softmax3, "ce") == (
        "the network has 3 output(s) but the data needs 2"
    )
