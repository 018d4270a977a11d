"""Backpropagation against float64 central differences, for every sensible
activation x loss pair, random widths, bias on and off, with and without regularisation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from backprop_lab.engine import (
    Architecture,
    LayerSpec,
    Network,
    backward,
    compute_loss,
    forward,
    init_network,
    numerical_gradient,
    numerical_gradients,
    relative_error,
)
from backprop_lab.engine.losses import LOSS_OUTPUTS

HIDDEN = ("tanh", "sigmoid", "relu", "leaky_relu", "identity")
PAIRS = [(loss, out) for loss, outs in LOSS_OUTPUTS.items() for out in outs]


def _problem(loss: str, out: str, hidden: str, bias: bool, seed: int):
    rng = np.random.default_rng(seed)
    widths = rng.integers(1, 6, size=rng.integers(1, 4))
    k = int(rng.integers(2, 4)) if loss == "ce" else int(rng.integers(1, 4))
    n_in, n = int(rng.integers(1, 5)), int(rng.integers(1, 7))
    layers = tuple(LayerSpec(int(w), hidden) for w in widths) + (LayerSpec(k, out),)
    net = init_network(Architecture(n_in, layers, bias), "normal", seed)
    if bias:  # non-zero biases so their gradients are exercised
        flat = net.flat.copy()
        for span in net.architecture.layout:
            flat[span.bias_start : span.bias_end] = rng.normal(
                0, 0.5, span.bias_end - span.bias_start
            )
        net = type(net).from_flat(net.architecture, flat)
    x = rng.normal(size=(n, n_in))
    if loss == "ce":
        t = np.eye(k)[rng.integers(0, k, n)]
    elif loss == "bce":
        t = rng.integers(0, 2, (n, k)).astype(float)
    else:
        t = rng.normal(size=(n, k))
    return net, x, t


def _away_from_kinks(net, x, h=1e-4) -> bool:
    """relu/leaky_relu are not differentiable at 0: skip draws with |z| that small."""
    return all(np.abs(z).min() > h for z in forward(net, x).z)


@pytest.mark.parametrize(("loss", "out"), PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("bias", [True, False])
def test_backprop_matches_central_differences(loss, out, hidden, bias):
    checked = 0
    for seed in range(40):
        net, x, t = _problem(loss, out, hidden, bias, seed)
        if not _away_from_kinks(net, x):
            continue
        fwd = forward(net, x)
        bwd = backward(net, fwd, compute_loss(net, fwd, t, loss))
        num_w, num_b = numerical_gradients(net, x, t, loss, h=1e-5)
        analytic = bwd.dW + tuple(b for b in bwd.db if b is not None)
        numeric = num_w + tuple(b for b in num_b if b is not None)
        assert relative_error(analytic, numeric) < 1e-7, (seed, net)
        checked += 1
        if checked == 6:
            break
    assert checked == 6


@pytest.mark.parametrize(("l2", "l1"), [(0.1, 0.0), (0.0, 0.05), (0.2, 0.03)])
def test_regularised_gradients(l2, l1):
    net, x, t = _problem("mse", "identity", "tanh", True, 3)
    fwd = forward(net, x)
    bwd = backward(net, fwd, compute_loss(net, fwd, t, "mse", l2, l1), l2, l1)
    num_w, num_b = numerical_gradients(net, x, t, "mse", l2=l2, l1=l1)
    assert relative_error(bwd.dW + bwd.db, num_w + num_b) < 1e-7


def test_single_weight_gradient_and_layout():
    """dW[l][j, i] is dL/dw_ji of the weight from input i into unit j (torch layout)."""
    net, x, t = _problem("bce", "sigmoid", "tanh", False, 5)
    fwd = forward(net, x)
    bwd = backward(net, fwd, compute_loss(net, fwd, t, "bce"))
    for layer, w in enumerate(net.weights):
        for j, i in itertools.islice(np.ndindex(w.shape), 4):
            num = numerical_gradient(net, x, t, "bce", layer, (j, i))
            assert bwd.dW[layer][j, i] == pytest.approx(num, rel=1e-6, abs=1e-10)
    # the flat gradient vector holds exactly the per-layer views
    assert np.shares_memory(bwd.dW[0], bwd.grad)


def test_hand_derived_two_layer_example():
    """The article's setting: no bias, sigmoid, mse on one sample with two outputs.
    L = 1/2 sum (t - o)^2 and dL/dw by hand with the chain rule."""
    arch = Architecture(2, (LayerSpec(2, "sigmoid"), LayerSpec(2, "sigmoid")), bias=False)
    w1 = np.array([[0.15, 0.20], [0.25, 0.30]])
    w2 = np.array([[0.40, 0.45], [0.50, 0.55]])
    net = Network(arch, (w1, w2))
    x = np.array([[0.05, 0.10]])
    t = np.array([[0.01, 0.99]])
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h = sig(x @ w1.T)
    o = sig(h @ w2.T)
    loss = 0.5 * np.sum((t - o) ** 2)
    d_out = (o - t) * o * (1 - o)  # dL/dz2 for L = 1/2 sum (t-o)^2
    dw2 = d_out.T @ h
    d_hid = (d_out @ w2) * h * (1 - h)
    dw1 = d_hid.T @ x
    fwd = forward(net, x)
    lrec = compute_loss(net, fwd, t, "mse")
    bwd = backward(net, fwd, lrec)
    assert lrec.value == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(bwd.dW[1], dw2, rtol=1e-12)
    np.testing.assert_allclose(bwd.dW[0], dw1, rtol=1e-12)
    assert bwd.db == (None, None)
