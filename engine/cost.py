"""How long the engine's work takes for a network: estimates the window uses to decide what
may run in its own thread and what must run in the background, and to tell the user.

The cost of a forward pass is one multiply-add per weight and row (the element-wise work
per unit is small beside it for any network where cost matters), plus a fixed overhead
per layer for the Python around the NumPy calls. A training iteration is about three
forward passes (forward, backward's two products per layer). The machine's speed is
measured once per process (:func:`calibrate`): a few dense products like the ones
training does, timed, their best rate kept.

The estimates are deliberately rough (a factor of two either way is fine): they decide
between "instantly" (below ~30 ms: run synchronously) and "visibly" (run as a task), and
they give the "each step takes ~N s" the builder shows.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .network import Architecture

LAYER_OVERHEAD_S = 30e-6  # Python and NumPy call overhead per layer and pass
ITERATION_PASSES = 3.0  # forward + the two products per layer of backward
FALLBACK_RATE = 2e9  # multiply-adds per second if calibration fails
# The calibration's small product runs from the cache; a big network streams its weights
# from memory and runs far slower (measured here: 20-50x), and a loaded machine measures
# anything from 0.5 to 50 GMAC/s. So the measured rate is kept within these bounds: a big
# network is never taken for a quick one, and a network of moderate size (below ~60M
# multiply-adds a snapshot) is never sent to the background because of a busy moment -
# which networks step at once does not depend on the load.
RATE_FLOOR = 2e9
RATE_CAP = 5e9
GRID_BUDGET_MACS = 1e9  # at most this many multiply-adds for one decision-boundary grid
MIN_GRID_SIZE = 8  # the coarsest decision-boundary grid per axis

_rate: float | None = None


def calibrate(force: bool = False) -> float:
    """Multiply-adds per second this machine does in products like training's (measured
    once per process and cached; ``force`` measures again; kept within
    :data:`RATE_FLOOR` .. :data:`RATE_CAP`).
    Takes a few milliseconds."""
    global _rate
    if _rate is not None and not force:
        return _rate
    rng = np.random.default_rng(0)
    a = rng.standard_normal((64, 256))
    w = rng.standard_normal((256, 256))
    best = math.inf
    for _ in range(5):
        t0 = time.perf_counter()
        np.tanh(a @ w)
        best = min(best, time.perf_counter() - t0)
    rate = 64 * 256 * 256 / best if best > 0 else FALLBACK_RATE
    rate = rate if math.isfinite(rate) and rate > 0 else FALLBACK_RATE
    _rate = min(max(rate, RATE_FLOOR), RATE_CAP)
    return _rate


def set_rate(macs_per_second: float | None) -> None:
    """Replace the calibrated rate (tests, benchmarks); None measures again on next use."""
    global _rate
    _rate = None if macs_per_second is None else float(macs_per_second)


def weight_count(arch: Architecture) -> int:
    """Multiply-adds per row of a forward pass: the number of weights (biases excluded)."""
    sizes = [arch.input_size, *(layer.units for layer in arch.layers)]
    return sum(a * b for a, b in zip(sizes, sizes[1:], strict=False))


def forward_seconds(arch: Architecture, rows: int) -> float:
    """Estimated seconds for a forward pass of ``rows`` rows."""
    rows = max(int(rows), 0)
    return weight_count(arch) * rows / calibrate() + LAYER_OVERHEAD_S * len(arch.layers)


def iteration_seconds(arch: Architecture, batch: int) -> float:
    """Estimated seconds for one training iteration on a batch of ``batch`` rows."""
    return ITERATION_PASSES * forward_seconds(arch, batch)


def grid_size_for(arch: Architecture, size: int) -> int:
    """The decision-boundary grid per axis for ``arch``: ``size``, or fewer (at least
    :data:`MIN_GRID_SIZE`) when ``size * size`` rows would take more than
    :data:`GRID_BUDGET_MACS` multiply-adds - a big network gets a coarser picture, not a
    snapshot that takes seconds."""
    size = int(size)
    fitting = int(math.sqrt(GRID_BUDGET_MACS / max(weight_count(arch), 1)))
    return max(min(size, fitting), min(size, MIN_GRID_SIZE))


def snapshot_seconds(arch: Architecture, rows: int, grid_size: int = 0) -> float:
    """Estimated seconds to make a snapshot: ``rows`` evaluated rows (the training and
    validation data, or the sample of them snapshots use) plus the decision grid."""
    g = grid_size_for(arch, grid_size) if grid_size else 0
    return forward_seconds(arch, rows + g * g + 1) + forward_seconds(arch, 0)


def step_seconds(arch: Architecture, batch: int, rows: int, grid_size: int = 0) -> float:
    """Estimated seconds for one Step in the window: an iteration on ``batch`` rows and
    the snapshot after it (``rows`` evaluated rows, the decision grid)."""
    return iteration_seconds(arch, batch) + snapshot_seconds(arch, rows, grid_size)


__all__ = [
    "calibrate",
    "forward_seconds",
    "grid_size_for",
    "iteration_seconds",
    "set_rate",
    "snapshot_seconds",
    "step_seconds",
    "weight_count",
]
