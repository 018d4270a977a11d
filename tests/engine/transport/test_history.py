"""LossHistory: bounded memory, extremes and order kept, exact recent tail."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.transport.history import LossHistory


def _feed(h: LossHistory, x: np.ndarray, y: np.ndarray, frame: int) -> None:
    for s in range(0, len(x), frame):
        h.append(x[s : s + frame], y[s : s + frame])


def test_short_history_is_exact() -> None:
    h = LossHistory(recent=90, max_bins=100, chunk=10)
    x = np.arange(1, 291)
    y = np.sin(x / 7.0)
    _feed(h, x, y, 7)
    # 290 points <= recent + 2 * max_bins: bins of two keep both points
    hx, hy = h.arrays()
    np.testing.assert_array_equal(hx, x)
    np.testing.assert_array_equal(hy, y)
    assert h.count == 290 and len(h) == 290


def test_five_million_points_stay_bounded_and_keep_shape() -> None:
    rng = np.random.default_rng(1)
    n = 5_000_000
    x = np.arange(1, n + 1, dtype=np.int64)
    y = np.exp(-x / 1e6) + 0.01 * rng.standard_normal(n)
    spike_at = [123_456, 2_222_222, 4_000_001]
    y[spike_at] = [50.0, -7.0, 99.0]  # rare spikes must survive decimation
    h = LossHistory()
    # big frames first (as after a resume), then snapshot-sized ones
    _feed(h, x[:4_000_000], y[:4_000_000], 250_000)
    _feed(h, x[4_000_000:], y[4_000_000:], 997)
    hx, hy = h.arrays()
    assert h.count == n
    assert len(hx) == len(hy) == len(h) <= 20_000
    assert hy.max() == y.max() and hy.min() == y.min()
    for i in spike_at:  # each spike kept at its own iteration
        assert y[i] in hy
        assert hx[np.flatnonzero(hy == y[i])[0]] == x[i]
    assert np.all(np.diff(hx) >= 0)
    assert hx[0] < 2 * n / h.max_bins and hx[-1] == n
    np.testing.assert_array_equal(hx[-h.recent :], x[-h.recent :])
    np.testing.assert_array_equal(hy[-h.recent :], y[-h.recent :])
    # every kept point is a real (x, y) pair of the input
    np.testing.assert_array_equal(y[hx.astype(np.int64) - 1], hy)


def test_local_extremes_survive_in_every_region() -> None:
    # a slow wave: every stretch of the curve keeps its own peak and trough
    n = 1_000_000
    x = np.arange(n)
    y = np.sin(x * (2 * np.pi / 100_000))
    h = LossHistory(recent=1000, max_bins=512, chunk=100)
    _feed(h, x, y, 5000)
    hx, hy = h.arrays()
    for k in range(10):
        part = (hx >= k * 100_000) & (hx < (k + 1) * 100_000)
        assert hy[part].max() == y[k * 100_000 : (k + 1) * 100_000].max()
        assert hy[part].min() == y[k * 100_000 : (k + 1) * 100_000].min()


def test_columns_are_decimated_independently() -> None:
    n = 200_000
    x = np.arange(n) + 1.0
    y = np.column_stack([np.cos(x / 500.0), np.zeros(n)])
    y[77_777, 1] = 3.0  # a spike in column 1 only
    h = LossHistory(columns=2, recent=500, max_bins=200, chunk=50)
    _feed(h, x, y, 3000)
    x0, y0 = h.arrays(0)
    x1, y1 = h.arrays(1)
    assert y1.max() == 3.0 and x1[y1.argmax()] == 77_778.0
    assert y0.max() == y[:, 0].max() and y0.min() == y[:, 0].min()
    assert np.all(np.diff(x0) >= 0) and np.all(np.diff(x1) >= 0)
    with pytest.raises(IndexError):
        h.arrays(2)


def test_arrays_are_fresh_and_read_only() -> None:
    h = LossHistory()
    h.append([1, 2, 3], [0.5, 0.4, 0.3])
    x, y = h.arrays()
    assert not x.flags.writeable and not y.flags.writeable
    h.append([4], [0.2])
    np.testing.assert_array_equal(y, [0.5, 0.4, 0.3])  # the earlier arrays are untouched
    np.testing.assert_array_equal(h.arrays()[1], [0.5, 0.4, 0.3, 0.2])
    assert h.last()[0] == 0.2


def test_repeated_or_older_x_is_ignored_and_clear_forgets() -> None:
    h = LossHistory()
    h.append([1, 2, 3], [1.0, 2.0, 3.0])
    h.append([3, 4], [9.0, 4.0])  # x=3 again: ignored
    np.testing.assert_array_equal(h.arrays()[0], [1, 2, 3, 4])
    np.testing.assert_array_equal(h.arrays()[1], [1, 2, 3, 4])
    h.append([], [])
    assert h.count == 4
    h.clear()
    assert len(h) == 0 and h.count == 0 and h.last() is None
    h.append([1], [5.0])  # after clear, x may start again
    np.testing.assert_array_equal(h.arrays()[1], [5.0])


def test_nan_is_not_taken_for_an_extreme() -> None:
    n = 50_000
    x = np.arange(n) + 1
    y = np.linspace(1.0, 0.0, n)
    y[10_000] = np.nan
    h = LossHistory(recent=100, max_bins=64, chunk=10)
    _feed(h, x, y, 1000)
    _, hy = h.arrays()
    assert np.nanmax(hy) == 1.0 and np.nanmin(hy) == 0.0


def test_wrong_column_count_is_refused() -> None:
    with pytest.raises(ValueError):
        LossHistory(columns=2).append([1, 2], [1.0, 2.0])


@pytest.mark.parametrize("n", [0, 5, 300, 20_000])
def test_state_round_trip_continues_exactly(n: int) -> None:
    rng = np.random.default_rng(n)
    x = np.arange(1, 2 * n + 2001, dtype=np.float64)
    y = rng.standard_normal((len(x), 2))
    a = LossHistory(columns=2, recent=64, max_bins=32, chunk=16)
    _feed(a, x[:n], y[:n], 37)
    b = LossHistory(columns=2, recent=64, max_bins=32, chunk=16)
    b.append([1.0], [[9.0, 9.0]])  # overwritten by set_state
    b.set_state({k: v.copy() for k, v in a.get_state().items()})
    for col in range(2):
        for got, want in zip(b.arrays(col), a.arrays(col), strict=True):
            np.testing.assert_array_equal(got, want)
    _feed(a, x[n:], y[n:], 53)
    _feed(b, x[n:], y[n:], 53)
    for col in range(2):
        for got, want in zip(b.arrays(col), a.arrays(col), strict=True):
            np.testing.assert_array_equal(got, want)
    assert (b.count, len(b), b.last_x) == (a.count, len(a), a.last_x)


def test_set_state_refuses_inconsistent_states() -> None:
    a = LossHistory(recent=8, max_bins=4, chunk=2)
    _feed(a, np.arange(1.0, 40.0), np.arange(39.0), 5)
    good = a.get_state()
    before = a.arrays()
    bad = [
        {**good, "counters": good["counters"] * 2},  # other bounds
        {**good, "recent": good["recent"][::-1]},  # x not increasing
        {**good, "bins": good["bins"][:1]},
        {**good, "counters": np.array([1, 8, 4, 2, 2, 3, 0, 39])},  # level not 2**k
        {k: v for k, v in good.items() if k != "partial"},
        {**good, "counters": good["counters"].astype(float)},
    ]
    for state in bad:
        with pytest.raises(ValueError):
            a.set_state(state)
    for got, want in zip(a.arrays(), before, strict=True):
        np.testing.assert_array_equal(got, want)
