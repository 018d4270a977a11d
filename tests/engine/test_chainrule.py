"""The chain-rule derivation: the sum over paths equals backprop's gradient and the
central difference, the recursive form reuses the later delta, hand-derived numbers."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from backprop_lab.engine import Architecture, LayerSpec, Network, Optimizer, init_network
from backprop_lab.engine.chainrule import MAX_LISTED_PATHS, explain, to_markdown
from backprop_lab.engine.gradcheck import numerical_gradient

CASES = [("mse", "sigmoid", 2), ("mse", "identity", 1), ("bce", "sigmoid", 2), ("ce", "softmax", 3)]


def _net(loss, out, k, bias, seed=1):
    layers = (
        LayerSpec(4, "tanh"),
        LayerSpec(3, "sigmoid"),
        LayerSpec(3, "tanh"),
        LayerSpec(k, out),
    )
    net = init_network(Architecture(3, layers, bias), "normal", seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(5, 3))
    t = np.eye(k)[rng.integers(0, k, 5)] if loss == "ce" else rng.integers(0, 2, (5, k)) * 1.0
    return net, x, t


@pytest.mark.parametrize(("loss", "out", "k"), CASES)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("batch", [False, True])
def test_sum_of_paths_equals_gradient_and_central_difference(loss, out, k, bias, batch):
    """For every layer of a 3-hidden-layer network: per weight, the sum over all paths ==
    backprop's gradient (to rounding); per layer, it matches float64 central differences
    with a norm-based relative error < 1e-7."""
    net, x, t = _net(loss, out, k, bias)
    xs, ts = (x, t) if batch else (x[:1], t[:1])
    for layer in range(1, net.depth + 1):
        units, inputs = net.weights[layer - 1].shape
        cols = [*range(inputs), *([None] if bias else [])]
        paths, numeric = [], []
        for j in range(units):
            for i in cols:
                d = explain(net, xs, ts, loss, layer, j, i, sample=min(2, len(xs) - 1))
                assert d.sum_of_paths == pytest.approx(d.gradient, rel=1e-12, abs=1e-15)
                if not batch:  # one sample: the listed paths are all the paths
                    assert d.paths_complete and len(d.paths) == d.path_count
                    listed = sum(p.product for p in d.paths)
                    assert listed == pytest.approx(d.gradient, rel=1e-12, abs=1e-15)
                    for p in d.paths:  # each product really is the product of its factors
                        assert p.product == pytest.approx(np.prod([f.value for f in p.factors]))
                kind = "weight" if i is not None else "bias"
                index = (j, i) if i is not None else (j,)
                paths.append(d.sum_of_paths)
                numeric.append(
                    numerical_gradient(net, xs, ts, loss, layer - 1, index, kind, h=1e-5)
                )
        paths, numeric = np.array(paths), np.array(numeric)
        err = np.linalg.norm(paths - numeric) / (np.linalg.norm(paths) + np.linalg.norm(numeric))
        assert err < 1e-7, (layer, err)


def test_path_count_and_recursive_reuse():
    net, x, t = _net("mse", "sigmoid", 2, True)
    d = explain(net, x[:1], t[:1], "mse", 1, 2, 1)
    assert d.path_count == 3 * 3 * 2
    r = d.recursive
    # delta(1)_j = f'(z_j) * sum_k w(2)_kj delta(2)_k: the reused deltas rebuild it
    rebuilt = r["fprime"] * sum(e["weight"] * e["delta"] for e in r["reused_deltas"])
    assert rebuilt == pytest.approx(r["delta"], rel=1e-12)
    assert r["sample_product"] == pytest.approx(d.gradient, rel=1e-12)
    assert len(r["reused_deltas"]) == 3


def test_hand_derived_article_example():
    """2-2-2 sigmoid, no bias, mse with one sample and two outputs (L = 1/2 sum (t-o)^2)."""
    arch = Architecture(2, (LayerSpec(2, "sigmoid"), LayerSpec(2, "sigmoid")), bias=False)
    w1 = np.array([[0.15, 0.20], [0.25, 0.30]])
    w2 = np.array([[0.40, 0.45], [0.50, 0.55]])
    net = Network(arch, (w1, w2))
    x, t = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    h = sig(x @ w1.T)[0]
    o = sig(h @ w2.T)
    # output weight w(2)_0,1 (unit 0, from hidden unit 1): one path
    d_out = explain(net, x, t, "mse", 2, 0, 1, Optimizer("sgd", 0.5))
    assert d_out.path_count == 1
    factors = {f.symbol: f.value for f in d_out.paths[0].factors}
    assert factors["dL/dy_0"] == pytest.approx(o[0] - t[0, 0])
    assert factors["dy_0/dz(2)_0"] == pytest.approx(o[0] * (1 - o[0]))
    assert factors["dz(2)_0/dw(2)_0,1"] == pytest.approx(h[1])
    expected = (o[0] - t[0, 0]) * o[0] * (1 - o[0]) * h[1]
    assert d_out.gradient == pytest.approx(expected, rel=1e-12)
    assert d_out.new_weight == pytest.approx(0.45 - 0.5 * expected, rel=1e-12)
    # hidden weight w(1)_0,0: two paths, one through each output
    d_hid = explain(net, x, t, "mse", 1, 0, 0)
    assert d_hid.path_count == 2
    per_path = [
        x[0, 0] * h[0] * (1 - h[0]) * w2[m, 0] * (o[m] - t[0, m]) * o[m] * (1 - o[m])
        for m in range(2)
    ]
    assert [p.product for p in d_hid.paths] == pytest.approx(per_path, rel=1e-12)
    assert d_hid.agree and d_hid.relative_error < 1e-7


def test_many_paths_lists_the_largest():
    layers = (
        LayerSpec(16, "tanh"),
        LayerSpec(16, "tanh"),
        LayerSpec(16, "tanh"),
        LayerSpec(2, "softmax"),
    )
    net = init_network(Architecture(4, layers), "xavier", 0)
    rng = np.random.default_rng(0)
    x, t = rng.normal(size=(1, 4)), np.eye(2)[[1]]
    d = explain(net, x, t, "ce", 1, 0, 0)
    assert d.path_count == 16 * 16 * 2 > MAX_LISTED_PATHS
    assert not d.paths_complete and len(d.paths) == MAX_LISTED_PATHS
    assert str(d.path_count) in d.paths_note.replace(",", "")
    mags = [abs(p.product) for p in d.paths]
    assert mags == sorted(mags, reverse=True)
    assert d.sum_of_paths == pytest.approx(d.gradient, rel=1e-12)


def test_markdown_contains_every_factor_and_the_check():
    net, x, t = _net("bce", "sigmoid", 2, True)
    d = explain(net, x[:1], t[:1], "bce", 2, 1, 0, Optimizer("momentum", 0.1))
    md = to_markdown(d, net.architecture.describe())
    for p in d.paths:
        for f in p.factors:
            assert f"{f.symbol} = {f.value:.6g}" in md
    assert f"{d.numeric_gradient:.12g}" in md and "AGREE" in md
    assert "momentum" in md and f"{d.new_weight:.6g}" in md


def test_bad_selection_is_refused():
    net, x, t = _net("mse", "identity", 1, False)
    with pytest.raises(ValueError, match="layer"):
        explain(net, x, t, "mse", 9, 0, 0)
    with pytest.raises(ValueError, match="unit"):
        explain(net, x, t, "mse", 1, 99, 0)
    with pytest.raises(ValueError, match="no biases"):
        explain(net, x, t, "mse", 1, 0, None)


def test_number_text_never_writes_minus_zero():
    from backprop_lab.engine.chainrule import number_text

    assert number_text(-0.0) == "0" == number_text(0.0)  # %g writes -0.0 as "-0"
    assert number_text(-3.1e-7) == "-3.1e-07" and number_text(-1e-300) == "-1e-300"
    assert number_text(0.123456789) == "0.123457" and number_text(-0.0, 12) == "0"
    assert number_text(float("nan")) == "nan"


def test_markdown_counts_paths_in_english_and_writes_zero_as_0():
    arch = Architecture.build(2, [1], 1, "tanh", "sigmoid")
    net = init_network(arch, "xavier", 3)
    x, t = np.array([[0.0, 0.7]]), np.array([[0.25]])
    one = explain(net, x, t, "mse", 1, 0, 1, Optimizer("sgd", 0.5), None, 0)
    md = to_markdown(one)
    assert one.path_count == 1 and one.paths_note == "the only path"
    assert "1 path joins w(1)_0,1 to the loss" in md
    assert "path(s)" not in md and "all 1 paths" not in md
    arch = Architecture.build(2, [3, 3], 1, "tanh", "sigmoid")
    net = init_network(arch, "xavier", 3)
    many = explain(net, x, t, "mse", 1, 0, 0, Optimizer("sgd", 0.5), None, 0)  # x_0 = 0
    md = to_markdown(many)
    assert many.paths_note == "all 3 paths" and "3 paths join w(1)_0,0 to the loss" in md
    assert "(all 3 paths)" in md
    assert any(p.product == 0 and math.copysign(1, p.product) < 0 for p in many.paths)
    assert not re.findall(r"(?<![\w.])-0(?![\w.])", md)
