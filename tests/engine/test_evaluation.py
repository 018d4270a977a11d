"""Whole-data-set evaluation in bounded chunks (engine.evaluation): the same numbers as
one pass up to EVAL_ROWS rows, the same up to rounding beyond, memory bounded by the
chunk. The final losses, the accuracies and every snapshot's losses go through it."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest
from backprop_lab.engine import Architecture, init_network
from backprop_lab.engine.evaluation import EVAL_ROWS, evaluate
from backprop_lab.engine.losses import loss_value
from backprop_lab.engine.phases import forward
from backprop_lab.engine.trainer import Trainer, TrainingConfig
from backprop_lab.engine.training_state import accuracy
from backprop_lab.engine.transport.snapshot import make_snapshot

CASES = {  # loss: (output units, output activation)
    "mse": (2, "identity"),
    "bce": (1, "sigmoid"),
    "ce": (3, "softmax"),
}


def problem(loss: str, n: int, seed: int = 0, dtype: str = "float64"):
    units, out = CASES[loss]
    net = init_network(Architecture.build(3, [5, 4], units, "tanh", out), "xavier", seed, dtype)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    if loss == "ce":
        t = np.eye(units)[rng.integers(0, units, n)]
    elif loss == "bce":
        t = rng.integers(0, 2, (n, 1)).astype(float)
    else:
        t = rng.normal(size=(n, units))
    return net, x.astype(dtype), t.astype(dtype)


def one_pass(net, x, t, loss):
    fwd = forward(net, x)
    return loss_value(loss, fwd.z[-1], fwd.a[-1], t), accuracy(loss, fwd.a[-1], t)


@pytest.mark.parametrize("loss", list(CASES))
def test_up_to_one_chunk_the_numbers_are_bit_identical(loss):
    for n in (1, 50, EVAL_ROWS):
        net, x, t = problem(loss, n)
        assert evaluate(net, x, t, loss) == one_pass(net, x, t, loss)


@pytest.mark.parametrize("loss", list(CASES))
@pytest.mark.parametrize("rows", [1, 7, 256, 999])
def test_chunks_give_the_one_pass_numbers_up_to_rounding(loss, rows):
    net, x, t = problem(loss, 1000, seed=rows)
    value, acc = evaluate(net, x, t, loss, rows=rows)
    want_value, want_acc = one_pass(net, x, t, loss)
    assert value == pytest.approx(want_value, rel=1e-13)
    assert acc == want_acc  # a count of rows over N: exact


def test_mse_on_regression_targets_has_no_accuracy_in_chunks_either():
    net, x, t = problem("mse", 300)
    assert evaluate(net, x, t, "mse", rows=64)[1] is None
    t01 = (t > 0).astype(float)
    assert evaluate(net, x, t01, "mse", rows=64)[1] == one_pass(net, x, t01, "mse")[1]


def _independent_loss(net, x, t, loss) -> float:
    """Each sample's loss in float64 from the weights, summed exactly."""
    a = x.astype(np.float64)
    for n, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = a @ w.astype(np.float64).T + b.astype(np.float64)
        a = np.tanh(z) if n < len(net.weights) - 1 else z
    if loss == "mse":
        return math.fsum(((a - t) ** 2).ravel()) / t.size
    if loss == "bce":
        p = 1 / (1 + np.exp(-a))
        return -math.fsum((t * np.log(p) + (1 - t) * np.log(1 - p)).ravel()) / t.size
    lse = np.log(np.exp(a).sum(axis=1))
    return math.fsum(lse - (t * a).sum(axis=1)) / len(t)


@pytest.mark.parametrize("loss", list(CASES))
def test_many_chunks_against_an_independent_float64_sum(loss):
    net, x, t = problem(loss, 3 * EVAL_ROWS + 123, seed=4, dtype="float32")
    value, _ = evaluate(net, x, t, loss)
    assert value == pytest.approx(_independent_loss(net, x, t, loss), rel=2e-6)


def test_evaluation_memory_does_not_grow_with_the_data():
    net, x, t = problem("bce", 5 * EVAL_ROWS, seed=1)
    trainer = Trainer(net, x, t, TrainingConfig(loss="bce"), x_val=x[:1000], t_val=t[:1000])
    tracemalloc.start()
    try:
        trainer.evaluate("train")
        make_snapshot(trainer, np.zeros(0), np.zeros(0), np.zeros(0), None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # one pass over 327,680 rows held z and a of every layer: 60 MB (now 10 MB)
    assert peak < 20 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
