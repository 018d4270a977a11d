"""The phases and the trainer: records, bit-for-bit equivalence, immutability,
stability, divergence, determinism and convergence."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from backprop_lab.engine import (
    ACTIVATIONS,
    Architecture,
    LayerSpec,
    Optimizer,
    Trainer,
    TrainingConfig,
    TrainingDiverged,
    backward,
    compute_loss,
    forward,
    init_network,
    iterate,
    update,
)
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.limits import MAX_WEIGHT
from backprop_lab.engine.losses import loss_and_delta, loss_value
from backprop_lab.engine.phases import ForwardRecord, backward_layer, forward_layer, gradient_buffer


@pytest.fixture(params=["copy", "gather"])
def batch_mode(request, monkeypatch):
    """Both ways the trainer makes mini-batches: slices of a shuffled copy per epoch
    (small data) and a gather per batch (data over GATHER_BYTES)."""
    from backprop_lab.engine import trainer

    monkeypatch.setattr(trainer, "GATHER_BYTES", 1 << 40 if request.param == "copy" else 0)
    return request.param


def _trainer(opt="sgd", dtype="float64", batch=8, l2=0.0, l1=0.0, seed=0):
    d = make_dataset("circles", n=64, seed=1)
    arch = Architecture.build(2, [5, 4], 1, "tanh", "sigmoid")
    net = init_network(arch, "xavier", seed, dtype)
    cfg = TrainingConfig("bce", Optimizer(opt, 0.1), batch, l2, l1, seed)
    return Trainer(net, d.x, d.targets("bce"), cfg, d.x_val, d.targets("bce", "val"))


@pytest.mark.parametrize("opt", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_phase_calls_equal_trainer_bit_for_bit(opt, dtype):
    """N explicit phase-by-phase iterations == N trainer iterations, bit for bit."""
    a, b = _trainer(opt, dtype, l2=0.01), _trainer(opt, dtype, l2=0.01)
    a.run(25)
    c = b.config
    for _ in range(25):
        x, t = b.next_batch()
        net = b.network
        # forward layer by layer
        zs, as_, act = [], [], x
        for layer in range(net.depth):
            z, act = forward_layer(net, layer, act)
            zs.append(z)
            as_.append(act)
        fwd = ForwardRecord(x, tuple(zs), tuple(as_))
        lrec = compute_loss(net, fwd, t, c.loss, c.l2, c.l1)
        grad = gradient_buffer(net)
        delta = lrec.delta
        for layer in range(net.depth - 1, -1, -1):
            delta = backward_layer(net, layer, delta, fwd, grad, c.l2, c.l1)
        flat, state = c.optimizer.apply(net.flat, grad, b.state)
        b.network = type(net).from_flat(net.architecture, flat)
        b.state = state
        b.step_count += 1
    assert np.array_equal(a.network.flat, b.network.flat)
    assert a.network.flat.dtype == np.dtype(dtype)


def test_iterate_equals_separate_phases():
    tr = _trainer()
    x, t = tr.x[:8], tr.t[:8]
    opt = tr.config.optimizer
    rec = iterate(tr.network, x, t, "bce", opt, tr.state)
    fwd = forward(tr.network, x)
    lrec = compute_loss(tr.network, fwd, t, "bce")
    bwd = backward(tr.network, fwd, lrec)
    upd = update(tr.network, bwd, opt, tr.state)
    assert rec.loss.value == lrec.value
    assert np.array_equal(rec.backward.grad, bwd.grad)
    assert np.array_equal(rec.update.after.flat, upd.after.flat)


def test_records_are_immutable_and_keep_their_values():
    tr = _trainer()
    first = tr.step()
    before = first.update.after.flat.copy()
    grads = first.backward.grad.copy()
    tr.run(10)
    assert np.array_equal(first.update.after.flat, before)  # later steps did not touch it
    assert np.array_equal(first.backward.grad, grads)
    with pytest.raises(ValueError):
        first.update.after.weights[0][0, 0] = 1.0
    with pytest.raises(ValueError):
        first.backward.dW[0][0, 0] = 1.0
    with pytest.raises(AttributeError):
        first.loss.value = 0.0  # type: ignore[misc]
    # the update really is w <- w - eta * dL/dw for sgd
    np.testing.assert_array_equal(
        first.update.after.flat,
        first.update.before.flat - 0.1 * first.backward.grad,
    )


def test_sgd_update_is_the_articles_rule():
    tr = _trainer()
    rec = tr.step()
    before, after = rec.update.before.weights, rec.update.after.weights
    for w0, w1, g in zip(before, after, rec.backward.dW, strict=True):
        np.testing.assert_array_equal(w1, w0 - 0.1 * g)


def test_adam_matches_hand_formula():
    tr = _trainer("adam")
    g_hist, p0 = [], tr.network.flat.copy()
    for _ in range(3):
        g_hist.append(tr.step().backward.grad)
    m = v = np.zeros_like(p0)
    p = p0
    for step, g in enumerate(g_hist, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        p = p - 0.1 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    np.testing.assert_allclose(tr.network.flat, p, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_activations_stable_at_extremes(name, dtype):
    z = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]], dtype)
    act = ACTIVATIONS[name]
    with np.errstate(all="raise"):
        a = act.fn(z)
        if name != "softmax":
            act.grad(z, a)
    assert np.isfinite(a).all() and a.dtype == dtype


@pytest.mark.parametrize("loss", ["bce", "ce", "mse"])
def test_losses_stable_at_extremes(loss):
    z = np.array([[-1000.0, 1000.0], [1000.0, -1000.0]])
    y = ACTIVATIONS["softmax" if loss == "ce" else "sigmoid"].fn(z)
    t = np.array([[0.0, 1.0], [0.0, 1.0]])
    with np.errstate(all="raise"):
        value = loss_value(loss, z, y, t)
    assert np.isfinite(value)
    if loss == "ce":  # second sample is wrong by a logit gap of 2000: its loss is 2000
        assert value == pytest.approx(1000.0)
    if loss == "bce":  # two of four outputs wrong by |z| = 1000
        assert value == pytest.approx(500.0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_training_loss_equals_loss_value(dtype):
    """loss_and_delta (the hot path) takes ce's log-sum-exp from the softmax output; it
    must agree with loss_value's logit form, also at +-1000, without overflow or invalid
    values (dL/dz = (y - t) / N may underflow to a subnormal in float32: harmless)."""
    rng = np.random.default_rng(3)
    tol = 1e-13 if dtype == np.float64 else 2e-6
    cases = [rng.standard_normal((64, 5)) * s for s in (0.1, 3.0, 40.0)]
    cases.append(np.array([[-1000.0, 1000.0, 0.0], [1000.0, -1000.0, 999.0], [5, 5, 5]]))
    for z in cases:
        z = z.astype(dtype)
        t = np.eye(z.shape[1], dtype=dtype)[rng.integers(0, z.shape[1], len(z))]
        with np.errstate(all="raise", under="ignore"):
            y = ACTIVATIONS["softmax"].fn(z)
            value, delta = loss_and_delta("ce", z, y, t, "softmax")
        exact = loss_value("ce", z.astype(np.float64), y.astype(np.float64), t)
        assert value == pytest.approx(exact, rel=tol, abs=tol)
        np.testing.assert_array_equal(delta, (y - t) * dtype(1.0 / len(z)))
    for loss, act in (("mse", "tanh"), ("bce", "sigmoid")):
        z = rng.standard_normal((16, 3)).astype(dtype)
        y = ACTIVATIONS[act].fn(z)
        t = (rng.random((16, 3)) > 0.5).astype(dtype)
        assert loss_and_delta(loss, z, y, t, act)[0] == loss_value(loss, z, y, t)


def test_relu_grad_is_the_step_function():
    z = np.array([[-2.0, -0.0, 0.0, 1e-300, 3.0]])
    g = ACTIVATIONS["relu"].grad(z, ACTIVATIONS["relu"].fn(z))
    np.testing.assert_array_equal(np.abs(g), [[0.0, 0.0, 0.0, 1.0, 1.0]])
    assert g.dtype == z.dtype


@pytest.mark.parametrize("name", ["identity", "sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_times_grad_multiplies_by_the_derivative(name, dtype):
    """Backpropagation's in-place delta *= f'(z) gives exactly delta * grad(z, a)."""
    rng = np.random.default_rng(5)
    act = ACTIVATIONS[name]
    for shape in [(1, 5), (64, 16), (128, 256)]:
        z = (rng.standard_normal(shape) * 3).astype(dtype)
        z.flat[:4] = [0.0, -0.0, 1e-30, -1e-30]
        a = act.fn(z)
        delta = rng.standard_normal(shape).astype(dtype)
        expected = delta * act.grad(z, a)
        act.times_grad(delta, z, a)
        np.testing.assert_array_equal(delta, expected)
        assert delta.dtype == dtype


def test_relu_equals_maximum_for_every_layout():
    """relu compares against cached zero arrays (NumPy's fast same-shape loop); the result
    must be max(z, 0) and a fresh writable array for any shape and layout, the cached
    zeros must stay zero, and the cache must stay small."""
    from backprop_lab.engine import activations

    rng = np.random.default_rng(6)
    big = activations._ZEROS_MAX_SIZE + 1
    arrays = [rng.standard_normal(s) for s in [(3,), (128, 256), (7, 9), (1, big)]]
    arrays += [rng.standard_normal((20, 30))[:, ::2], np.float64(-2.5), np.float32(4.0)]
    arrays += [np.array([[np.nan, -np.inf, np.inf, -0.0]], np.float32)]
    for z in arrays * 2:  # the second time through the cache answers
        a = ACTIVATIONS["relu"].fn(z)
        np.testing.assert_array_equal(a, np.maximum(z, 0.0))
        assert np.shape(a) == np.shape(z) and a.dtype == z.dtype
        if isinstance(a, np.ndarray):
            a[...] = 7.0  # fresh and writable: the cached zeros must not be touched
    for shape in range(1, 60):  # many batch shapes over a session: the cache is bounded
        ACTIVATIONS["relu"].fn(np.ones((shape, 3)))
    assert len(activations._ZEROS) <= 32
    assert all(
        not zeros.any() and not zeros.flags.writeable for zeros in activations._ZEROS.values()
    )


def test_mse_convention():
    """One sample, two outputs: L = 1/2 sum (t - o)^2 (mean over samples AND outputs)."""
    y = np.array([[0.75, 0.77]])
    t = np.array([[0.01, 0.99]])
    assert loss_value("mse", y, y, t) == pytest.approx(0.5 * ((0.74) ** 2 + (0.22) ** 2))


def test_same_seed_same_network_and_run():
    arch = Architecture.build(3, [7, 5], 2, "relu", "softmax")
    for init in ("xavier", "he", "uniform", "normal"):
        a, b = init_network(arch, init, 42), init_network(arch, init, 42)
        assert a.equals(b)
        assert not a.equals(init_network(arch, init, 43))
    t1, t2 = _trainer(seed=3), _trainer(seed=3)
    t1.run(30)
    t2.run(30)
    assert t1.network.equals(t2.network)


def test_divergence_names_step_and_layer_and_keeps_last_finite_weights():
    d = make_dataset("plane", n=64, seed=0)
    arch = Architecture.build(2, [16, 16], 1, "relu", "identity")
    net = init_network(arch, "he", 0)
    tr = Trainer(net, d.x * 100, d.t * 100, TrainingConfig("mse", Optimizer("sgd", 1e6), None))
    with pytest.raises(TrainingDiverged) as info:
        tr.run(1000)
    err = info.value
    assert err.step >= 1 and f"step {err.step}" in str(err)
    assert err.layer is None or f"layer {err.layer}" in str(err)
    assert tr.step_count == err.step - 1
    assert tr.network.all_finite()
    assert (
        not err.record.update.after.all_finite()
        or not np.isfinite(err.record.loss.value)
        or (not np.isfinite(err.record.backward.grad).all())
        # weights beyond what any file keeps (engine.limits): the kept ones are within it
        or (
            err.quantity == "weight size"
            and np.abs(err.record.update.after.flat).max() > MAX_WEIGHT
            and np.abs(tr.network.flat).max() <= MAX_WEIGHT
        )
    )


def test_trainer_state_round_trip_continues_identically(batch_mode):
    a = _trainer("adam")
    a.run(13)  # mid-epoch
    state = a.get_state()
    b = _trainer("adam")
    b.set_state(state)
    a.run(20)
    b.run(20)
    assert a.network.equals(b.network)
    assert a.step_count == b.step_count == 33


def test_set_state_refuses_a_foreign_batch_order_and_changes_nothing(batch_mode):
    a = _trainer("adam")
    a.run(13)
    good = a.get_state()
    b = _trainer("adam")
    b.run(2)
    before = b.get_state()
    n = len(b.x)
    for order in (np.zeros(n, np.int64), np.arange(n) + 1, np.arange(n)[::-1] - n):
        with pytest.raises(ValueError, match="batch order"):
            b.set_state(replace(good, order=order))
        after = b.get_state()
        assert after.network.equals(before.network) and after.step == before.step == 2
        np.testing.assert_array_equal(after.order, before.order)
    b.run(3)  # still trains where it stood
    assert b.step_count == 5


def test_full_batch_and_epochs():
    tr = _trainer(batch=None)
    assert tr.steps_per_epoch == 1
    tr.run(3)
    assert tr.epoch == 3
    tr2 = _trainer(batch=10)
    n = len(tr2.x)
    tr2.run(tr2.steps_per_epoch)
    assert tr2.epoch == 1 and tr2.steps_per_epoch == -(-n // 10)
    tr2.step()
    assert tr2.epoch == 2


def test_mini_batch_order_against_a_reference(batch_mode):
    """Batches follow one shuffled order per epoch (the last batch shorter), a new
    permutation from the config's seed every epoch; a batch-size change takes effect at
    the next batch and a full batch is the data itself, in order. Checked against a plain
    re-implementation, through the trainer's fast path and its slow path, with batches
    sliced from a shuffled copy and gathered; either way they are read-only."""
    n, seed = 10, 7
    x = np.arange(n, dtype=float)[:, None]
    arch = Architecture.build(1, [], 1, "identity", "identity")
    tr = Trainer(init_network(arch), x, x, TrainingConfig(batch_size=4, seed=seed))
    rng = np.random.default_rng(seed)

    def expected(sizes):
        out, order, cursor = [], None, n
        for b in sizes:
            if b >= n:
                out.append(np.arange(n))
                cursor = n
                continue
            if cursor >= n:
                order, cursor = rng.permutation(n), 0
            out.append(order[cursor : cursor + b])
            cursor += b
        return out

    sizes = [4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 10, 10, 4, 4]
    got = []
    for b in sizes:
        if b != tr.batch_size:
            tr.set_config(TrainingConfig(batch_size=None if b == n else b, seed=seed))
        xb, tb = tr.next_batch()
        assert not xb.flags.writeable and not tb.flags.writeable
        got.append(xb[:, 0].astype(int))
    for g, e in zip(got, expected(sizes), strict=True):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("name", ["xor", "circles"])
def test_convergence_smoke(name):
    """> 95% training accuracy within 3000 steps, fixed seed."""
    d = make_dataset(name, n=200, noise=0.1, seed=0, val_split=0.0)
    arch = Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
    tr = Trainer(
        init_network(arch, "xavier", 0),
        d.x,
        d.targets("bce"),
        TrainingConfig("bce", Optimizer("adam", 0.02), 32, seed=0),
    )
    tr.run(3000)
    _, acc = tr.evaluate()
    assert acc > 0.95


def test_bad_configuration_is_refused():
    with pytest.raises(ValueError, match="learning rate"):
        Optimizer("sgd", 0.0)
    with pytest.raises(ValueError, match="learning rate"):
        Optimizer("sgd", float("nan"))
    with pytest.raises(ValueError, match="between 1 and"):
        Architecture(2, (LayerSpec(0, "tanh"), LayerSpec(1, "sigmoid")))
    with pytest.raises(ValueError, match="only allowed on the output layer"):
        Architecture(2, (LayerSpec(3, "softmax"), LayerSpec(2, "softmax")))
    with pytest.raises(ValueError, match="ce"):
        _ = Trainer(
            init_network(Architecture.build(2, [3], 1, "tanh", "sigmoid")),
            np.zeros((4, 2)),
            np.zeros((4, 1)),
            TrainingConfig("ce"),
        )


def test_input_checks_from_review():
    """Fractional batch sizes, bce targets outside [0, 1], unknown splits and gigantic
    networks are refused with a message."""
    with pytest.raises(ValueError, match="whole number"):
        TrainingConfig(batch_size=2.5)
    net = init_network(Architecture.build(2, [3], 1, "tanh", "sigmoid"))
    with pytest.raises(ValueError, match="between 0 and 1"):
        Trainer(net, np.zeros((4, 2)), np.full((4, 1), 2.0), TrainingConfig("bce"))
    tr = Trainer(net, np.zeros((4, 2)), np.ones((4, 1)), TrainingConfig("bce"))
    with pytest.raises(ValueError, match="split"):
        tr.evaluate("test")
    with pytest.raises(ValueError, match="parameters"):
        Architecture.build(4096, [4096] * 4, 10)


def test_divergence_in_the_forward_pass_names_the_layer_and_keeps_the_batch(batch_mode):
    d = make_dataset("sine", n=64, seed=0)
    arch = Architecture.build(1, [32, 32], 1, "relu", "identity")
    tr = Trainer(
        init_network(arch, "he", 0), d.x * 1e3, d.t * 1e3,
        TrainingConfig("mse", Optimizer("sgd", 1e6), 8, seed=1),
    )  # fmt: skip
    tr.run(1)
    before = tr.get_state()
    with pytest.raises(TrainingDiverged) as info:
        tr.run(50)
    err = info.value
    assert err.layer is not None and f"layer {err.layer}" in str(err)
    # the diverging batch is not consumed: a retry sees the same batch as the failed step
    diverged_x = err.record.forward.x.copy()
    assert tr.network.all_finite()
    x_next, _ = tr.next_batch()
    np.testing.assert_array_equal(x_next, diverged_x)
    assert before.step <= tr.step_count < err.step


def test_layer_layout_names_every_span_of_the_flat_vector():
    """Architecture.layout: one LayerLayout per layer, spans tiling the flat vector in
    order [W_0, b_0, W_1, b_1, ...]; weight_shape is (units, inputs)."""
    from backprop_lab.engine import LayerLayout

    with_bias = Architecture.build(3, [4], 2, "tanh", "identity")
    assert with_bias.layout == (
        LayerLayout(weight_start=0, weight_end=12, weight_shape=(4, 3), bias_start=12, bias_end=16),
        LayerLayout(
            weight_start=16, weight_end=24, weight_shape=(2, 4), bias_start=24, bias_end=26
        ),
    )
    assert with_bias.parameter_count == 26
    no_bias = Architecture.build(3, [4], 2, "tanh", "identity", bias=False)
    assert no_bias.layout == (
        LayerLayout(0, 12, (4, 3), 12, 12),
        LayerLayout(12, 20, (2, 4), 20, 20),
    )
    net = init_network(with_bias, "normal", 1)
    for span, w, b in zip(with_bias.layout, net.weights, net.biases, strict=True):
        flat_w = net.flat[span.weight_start : span.weight_end].reshape(span.weight_shape)
        np.testing.assert_array_equal(flat_w, w)
        np.testing.assert_array_equal(net.flat[span.bias_start : span.bias_end], b)
