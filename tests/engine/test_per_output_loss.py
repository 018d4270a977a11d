"""per_output_loss: the per-sample, per-output terms that add up to the loss."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.activations import ACTIVATIONS
from backprop_lab.engine.losses import loss_value, per_output_loss

OUTPUT = {"mse": "identity", "bce": "sigmoid", "ce": "softmax"}


def _batch(loss: str, n: int = 7, k: int = 3):
    rng = np.random.default_rng(5)
    z = rng.normal(0, 2, (n, k))
    y = ACTIVATIONS[OUTPUT[loss]].fn(z)
    if loss == "ce":
        t = np.eye(k)[rng.integers(0, k, n)]
    elif loss == "bce":
        t = rng.integers(0, 2, (n, k)).astype(float)
    else:
        t = rng.normal(size=(n, k))
    return z, y, t


@pytest.mark.parametrize("loss", ["mse", "bce", "ce"])
def test_the_shares_add_up_to_the_loss(loss):
    z, y, t = _batch(loss)
    shares = per_output_loss(loss, z, y, t)
    assert shares.shape == y.shape
    assert np.all(shares >= 0)
    assert shares.sum() == pytest.approx(loss_value(loss, z, y, t), rel=1e-12)


def test_one_sample_one_output_mse_is_the_squared_error():
    y, t = np.array([[0.8]]), np.array([[0.5]])
    assert per_output_loss("mse", y, y, t)[0, 0] == pytest.approx(0.09, rel=1e-12)


def test_ce_puts_the_loss_on_the_target_output():
    z = np.array([[2.0, 0.0, -1.0]])
    y = ACTIVATIONS["softmax"].fn(z)
    t = np.array([[0.0, 1.0, 0.0]])
    shares = per_output_loss("ce", z, y, t)
    assert shares[0, 0] == 0 and shares[0, 2] == 0
    assert shares[0, 1] == pytest.approx(-np.log(y[0, 1]), rel=1e-12)


def test_unknown_loss():
    z, y, t = _batch("mse")
    with pytest.raises(ValueError):
        per_output_loss("hinge", z, y, t)
