"""engine.cost: the estimates that decide what runs in the window's thread, and the
decision grid that stays bounded for big networks."""

import numpy as np
import pytest
from backprop_lab.engine import cost
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.trainer import Trainer, TrainingConfig
from backprop_lab.engine.transport.snapshot import GRID_SIZE, GridSpec, make_snapshot


@pytest.fixture
def fixed_rate():
    cost.set_rate(1e9)
    yield
    cost.set_rate(None)


def test_weight_count_is_the_multiply_adds_per_row():
    arch = Architecture.build(2, [8, 8], 1)
    assert cost.weight_count(arch) == 2 * 8 + 8 * 8 + 8 * 1
    assert cost.weight_count(arch) < arch.parameter_count  # biases are not counted


def test_calibration_measures_a_positive_rate_once():
    cost.set_rate(None)
    rate = cost.calibrate()
    assert rate > 0 and cost.calibrate() == rate


def test_the_default_network_is_cheap_and_the_largest_is_not(fixed_rate):
    small = Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
    big = Architecture.build(2, [512] * 63, 1, "tanh", "sigmoid")
    assert cost.iteration_seconds(small, 32) < 0.03
    assert cost.snapshot_seconds(small, 200, GRID_SIZE) < 0.03
    assert cost.iteration_seconds(big, 32) > 1.0  # 16.3M weights x 32 rows x 3 passes
    assert cost.snapshot_seconds(big, 200, GRID_SIZE) > 1.0


def test_the_grid_is_full_for_small_networks_and_bounded_for_big_ones():
    small = Architecture.build(2, [8, 8], 1)
    big = Architecture.build(2, [512] * 63, 1)
    assert cost.grid_size_for(small, GRID_SIZE) == GRID_SIZE
    g = cost.grid_size_for(big, GRID_SIZE)
    assert cost.MIN_GRID_SIZE <= g < GRID_SIZE
    assert g * g * cost.weight_count(big) <= max(
        cost.GRID_BUDGET_MACS, cost.MIN_GRID_SIZE**2 * cost.weight_count(big)
    )
    assert cost.grid_size_for(big, 4) == 4  # never finer than asked


def test_a_big_network_snapshot_evaluates_a_coarser_grid(monkeypatch):
    monkeypatch.setattr(cost, "GRID_BUDGET_MACS", 1000.0)  # a small network counts as big
    arch = Architecture.build(2, [16, 16], 1, "tanh", "sigmoid")
    x = np.random.default_rng(0).standard_normal((20, 2))
    t = (x[:, :1] > 0).astype(float)
    trainer = Trainer(init_network(arch, seed=0), x, t, TrainingConfig(loss="bce"))
    spec = GridSpec.around(x)
    snap = make_snapshot(trainer, [], [], np.zeros((0, 3)), None, 0, spec)
    size = cost.grid_size_for(arch, spec.size)
    assert size < spec.size
    assert snap.grid_spec.size == size and snap.grid.shape[:2] == (size, size)
    assert snap.grid_spec.x_min == spec.x_min and snap.grid_spec.y_max == spec.y_max


def test_the_calibration_never_takes_a_big_network_for_a_quick_one(monkeypatch):
    """The calibration product runs from the cache, far faster than a big network
    streaming its weights: a fast measurement is capped, so the largest network's Step
    is never estimated below the 30 ms that would run it in the GUI thread."""
    clock = (k * 1e-12 for k in range(10**6))  # each product "takes" a picosecond
    monkeypatch.setattr(cost.time, "perf_counter", clock.__next__)
    rate = cost.calibrate(force=True)
    try:
        assert rate <= cost.RATE_CAP
        big = Architecture.build(2, [512] * 63, 1, "tanh", "sigmoid")
        assert cost.iteration_seconds(big, 32) > 0.03
        clock = (k * 1.0 for k in range(10**6))  # ... and a second: a very busy one
        monkeypatch.setattr(cost.time, "perf_counter", clock.__next__)
        assert cost.calibrate(force=True) == cost.RATE_FLOOR
    finally:
        cost.set_rate(None)
