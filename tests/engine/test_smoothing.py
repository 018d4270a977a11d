"""The exponential moving average the gradient-norm plot draws (engine.smoothing.ema)."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.smoothing import ema
from backprop_lab.engine.transport.history import LossHistory


def reference(x, y, decay):
    """The recurrence written out, one point at a time."""
    s = [float(y[0])]
    for k in range(1, len(y)):
        c = decay ** (x[k] - x[k - 1])
        s.append(c * s[-1] + (1 - c) * y[k])
    return np.array(s)


def test_ema_by_hand() -> None:
    # decay 0.5: s = 1; 0.5*1 + 0.5*3 = 2; 0.5*2 + 0.5*2 = 2; 0.5*2 + 0.5*0 = 1
    np.testing.assert_allclose(ema([1, 2, 3, 4], [1.0, 3.0, 2.0, 0.0], 0.5), [1, 2, 2, 1])
    # a gap of two iterations fades the old value twice: c = 0.25, 0.25*4 + 0.75*0 = 1
    np.testing.assert_allclose(ema([0, 2], [4.0, 0.0], 0.5), [4.0, 1.0])
    # decay 0.9 on per-iteration points: 2; 0.9*2 + 0.1*12 = 3; 0.9*3 + 0.1*(-7) = 2
    np.testing.assert_allclose(ema([5, 6, 7], [2.0, 12.0, -7.0], 0.9), [2.0, 3.0, 2.0])
    assert ema([3], [7.5], 0.9).tolist() == pytest.approx([7.5])
    assert ema([], [], 0.9).shape == (0,) and ema([], np.empty((0, 3)), 0.9).shape == (0, 3)
    np.testing.assert_array_equal(ema([1, 2], [1.0, 5.0], 0.0), [1.0, 5.0])


def test_ema_matches_the_recurrence_on_long_irregular_series() -> None:
    rng = np.random.default_rng(3)
    x = np.cumsum(rng.integers(1, 40, 20_000)).astype(float)  # spans ~400,000 iterations
    y = np.exp(rng.standard_normal((len(x), 3)) * 3)  # norms over many decades
    y[::7, 1] *= -1  # and signs
    y[5, 2] = 0.0
    s = ema(x, y, 0.95)
    assert s.shape == y.shape and np.isfinite(s).all()
    for c in range(3):
        np.testing.assert_allclose(s[:, c], reference(x, y[:, c], 0.95), rtol=1e-9, atol=1e-300)


def test_ema_skips_non_finite_values() -> None:
    s = ema([1, 2, 3, 4], [np.nan, 2.0, np.inf, 4.0], 0.5)
    assert np.isnan(s[0]) and np.isnan(s[2])
    # starts at 2; two iterations later: 0.25*2 + 0.75*4 = 3.5
    np.testing.assert_allclose(s[[1, 3]], [2.0, 3.5])
    with pytest.raises(ValueError):
        ema([1], [1.0], 1.0)


def test_history_smoothed_is_the_ema_of_its_points() -> None:
    h = LossHistory(columns=2)
    x = np.arange(1, 501)
    y = np.column_stack([np.linspace(1, 2, 500), np.linspace(5, 0.5, 500)])
    h.append(x, y)
    for c in range(2):
        hx, s = h.smoothed(c, 0.9)
        np.testing.assert_array_equal(hx, x)
        np.testing.assert_allclose(s, reference(x, y[:, c], 0.9), rtol=1e-12)
        assert not s.flags.writeable


def test_ema_in_blocks_matches_the_recurrence_on_a_long_regular_series() -> None:
    """Per-iteration points over 40,000 iterations: several cumulative-sum blocks, each
    continuing from the previous one."""
    rng = np.random.default_rng(4)
    x = np.arange(1, 40_001, dtype=float)
    y = np.abs(rng.standard_normal((len(x), 2))) * np.array([1e-6, 1e3])
    y[::5, 0] *= -1
    s = ema(x, y, 0.95)
    for c in range(2):
        np.testing.assert_allclose(s[:, c], reference(x, y[:, c], 0.95), rtol=1e-9)
