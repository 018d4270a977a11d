"""A snapshot evaluates a bounded, fixed sample of big data (all rows of small data)."""

import numpy as np
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.trainer import Trainer, TrainingConfig
from backprop_lab.engine.transport import snapshot_sample
from backprop_lab.engine.transport.snapshot import make_snapshot
from backprop_lab.engine.transport.stream import snapshot_from_frame, snapshot_to_frame


def _trainer(n: int) -> Trainer:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, 3))
    t = (x[:, :1] > 0).astype(float)
    arch = Architecture.build(3, [4], 1, "tanh", "sigmoid")
    return Trainer(init_network(arch, seed=0), x, t, TrainingConfig(loss="bce"), x[:50], t[:50])


def _snap(tr: Trainer):
    return make_snapshot(tr, [], [], np.zeros((0, 2)), None)


def test_small_data_is_evaluated_whole_exactly_as_before():
    tr = _trainer(300)
    snap = _snap(tr)
    assert snap.sample_rows == 0
    assert (snap.train_loss, snap.train_accuracy) == tr.evaluate("train")
    assert (snap.val_loss, snap.val_accuracy) == tr.evaluate("val")


def test_big_data_is_evaluated_on_a_fixed_bounded_sample():
    n = snapshot_sample.SNAPSHOT_ROWS + 1000
    tr = _trainer(n)
    rows = snapshot_sample.sample_rows(n)
    assert len(rows) == snapshot_sample.SNAPSHOT_ROWS == len(set(rows.tolist()))
    assert np.all(np.diff(rows) > 0) and rows[-1] < n
    np.testing.assert_array_equal(rows, snapshot_sample.sample_rows(n))  # the same rows
    snap = _snap(tr)
    assert snap.sample_rows == snapshot_sample.SNAPSHOT_ROWS
    sub = Trainer(tr.network, tr.x[rows], tr.t[rows], tr.config)
    assert snap.train_loss == sub.evaluate("train")[0]
    assert snap.train_accuracy == sub.evaluate("train")[1]
    assert (snap.val_loss, snap.val_accuracy) == tr.evaluate("val")  # 50 rows: all


def test_the_sample_size_travels_with_the_snapshot():
    tr = _trainer(snapshot_sample.SNAPSHOT_ROWS + 1)
    snap = _snap(tr)
    back = snapshot_from_frame(*snapshot_to_frame(snap))
    assert back.sample_rows == snapshot_sample.SNAPSHOT_ROWS
