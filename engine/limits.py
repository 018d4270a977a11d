"""The ranges every value of a training run lies in - one set, defined here, used by the
window's controls (the training panel's spin boxes, the data panel, the builder's seed),
by the command line's options and by every file reader (session files, weight files),
so that a file can never carry a value the window cannot show: the window never shows
one value while training uses another, and nothing a file holds breaks a step, a save
or a paint later.

Why each bound:

* **Learning rate** :data:`LEARNING_RATE` = [1e-6, 1e6]: the training panel's spin box
  (1-2-5 steps over twelve decades). Beyond 1e6 every network diverges in one step;
  below 1e-6 nothing visibly moves in a lesson's time.
* **Batch size** :data:`BATCH_SIZE` = [1, 100,000] (or the full batch): the spin box's
  range, the largest built-in data set. A larger batch than there are rows takes every
  row, as the full batch does.
* **L2 / L1** :data:`PENALTY` = [0, 10]: the spin boxes; a penalty of 10 already
  outweighs any loss.
* **Momentum and Adam's betas** :data:`DECAY` = [0, 1): a decay of 1 never forgets
  (Adam's bias correction ``1 - beta**t`` is then 0: a division by zero), above 1 the
  buffers grow without bound (``sqrt(1 - beta2**t)`` of a negative number).
* **Adam's eps** :data:`EPS` = (0, 1]: it keeps ``m / (sqrt(v) + eps)`` finite.
* **Counters** (iteration, epoch, optimizer updates) at most :data:`MAX_COUNTER` = 2**53:
  every one is exactly a float64 (the loss curve's x values), and a lifetime of training
  at a million iterations a second stays far below it - whereas 2**63 - 1 overflows
  NumPy's int64 at the next step.
* **Weights** at most :data:`MAX_WEIGHT` = 1e154 in magnitude: their squares (the L2
  penalty, Adam's ``v``, a view's colour range) stay finite. **Data** likewise at most
  :data:`MAX_DATA` = 1e150: a plot's range ``max - min`` and the inputs' squares
  (standardisation) stay finite.
* **Noise** :data:`NOISE` = [0, 2] and **seeds** [0, :data:`MAX_SEED`]: the data panel's
  and the builder's spin boxes.
* **Target columns** of a CSV file: 1..:data:`MAX_TARGETS` (the data panel's spin box).

* **Network sizes** - the widest hidden or output layer :data:`MAX_UNITS`, the widest
  input layer :data:`MAX_INPUTS` (the most feature columns a data set may have: a CSV
  file wider than that is refused before its rows are read), :data:`MAX_LAYERS` and
  :data:`MAX_PARAMETERS`: the builder, the command line, the weight and session files
  and the data files alike (:mod:`engine.network` checks every architecture against
  them).

Each ``check_*`` function returns the value (as int or float) or raises ValueError with
one line naming the value and its range. Pure Python and NumPy; never imports Qt.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import EngineValueError

LEARNING_RATE = (1e-6, 1e6)
BATCH_SIZE = (1, 100_000)
PENALTY = (0.0, 10.0)
DECAY = (0.0, 1.0)  # [lo, hi): momentum, beta1, beta2
EPS = (0.0, 1.0)  # (lo, hi]
NOISE = (0.0, 2.0)
MAX_SEED = 2**31 - 1
MAX_TARGETS = 1000
MAX_COUNTER = 2**53
MAX_WEIGHT = 1e154
MAX_DATA = 1e150

#: The widest layer (hidden or output) any network may have - the command line's and the
#: window's limit alike.
MAX_UNITS = 4096
#: The widest input layer: the most feature columns a data set may have.
MAX_INPUTS = 100_000
MAX_LAYERS = 64
MAX_PARAMETERS = 50_000_000  # 400 MB of float64 weights: beyond this a laptop runs out


def _float(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise EngineValueError(
            f"{what} must be a number, got {value!r}",
            kind="limits.not_a_number",
            what=what,
            value=repr(value),
        )
    f = float(value)
    if not math.isfinite(f):
        raise EngineValueError(
            f"{what} must be a finite number, got {value!r}",
            kind="limits.not_finite",
            what=what,
            value=repr(value),
        )
    return f


def check_number(
    value: object, what: str, lo: float, hi: float, *, lo_open=False, hi_open=False
) -> float:
    """``value`` as a float if it is a finite number in the range from ``lo`` to ``hi``
    (each end included unless ``lo_open`` / ``hi_open``); else ValueError naming
    ``what`` and the range."""
    f = _float(value, what)
    if (f <= lo if lo_open else f < lo) or (f >= hi if hi_open else f > hi):
        left = f"above {lo:g}" if lo_open else f"at least {lo:g}"
        right = f"below {hi:g}" if hi_open else f"at most {hi:g}"
        raise EngineValueError(
            f"{what} must be {left} and {right}, got {value!r}",
            kind="limits.out_of_range",
            what=what,
            lo=f"{lo:g}",
            hi=f"{hi:g}",
            lo_open=lo_open,
            hi_open=hi_open,
            value=repr(value),
        )
    return f


def check_whole(value: object, what: str, lo: int, hi: int) -> int:
    """``value`` as an int if it is a whole number (not a bool) in [lo, hi]; else
    ValueError naming ``what`` and the range."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise EngineValueError(
            f"{what} must be a whole number, got {value!r}",
            kind="limits.not_whole",
            what=what,
            value=repr(value),
        )
    if not lo <= int(value) <= hi:
        raise EngineValueError(
            f"{what} must be between {lo:,} and {hi:,}, got {int(value):,}",
            kind="limits.whole_out_of_range",
            what=what,
            lo=f"{lo:,}",
            hi=f"{hi:,}",
            value=f"{int(value):,}",
        )
    return int(value)


def check_learning_rate(value: object) -> float:
    """A learning rate in :data:`LEARNING_RATE`."""
    return check_number(value, "the learning rate", *LEARNING_RATE)


def check_batch_size(value: object) -> int | None:
    """A batch size in :data:`BATCH_SIZE`, or None (the full batch)."""
    return None if value is None else check_whole(value, "the batch size", *BATCH_SIZE)


def check_penalty(value: object, what: str) -> float:
    """An L2 or L1 rate in :data:`PENALTY`."""
    return check_number(value, what, *PENALTY)


def check_decay(value: object, what: str) -> float:
    """Momentum or an Adam beta: in [0, 1) (:data:`DECAY`)."""
    return check_number(value, what, *DECAY, hi_open=True)


def check_eps(value: object) -> float:
    """Adam's eps: in (0, 1] (:data:`EPS`)."""
    return check_number(value, "eps", *EPS, lo_open=True)


def check_counter(value: object, what: str) -> int:
    """An iteration, epoch or update count in [0, :data:`MAX_COUNTER`]."""
    return check_whole(value, what, 0, MAX_COUNTER)


def check_seed(value: object, what: str) -> int:
    """A seed in [0, :data:`MAX_SEED`]."""
    return check_whole(value, what, 0, MAX_SEED)


def check_noise(value: object) -> float:
    """A built-in data set's noise in :data:`NOISE`."""
    return check_number(value, "the noise", *NOISE)


def check_array(a: np.ndarray, what: str, limit: float) -> None:
    """ValueError unless every value of the float array ``a`` is finite and at most
    ``limit`` in magnitude (integer arrays: only the magnitude)."""
    if a.size == 0:
        return
    lo, hi = float(np.min(a)), float(np.max(a))  # NaN propagates: two passes, no copy
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise EngineValueError(
            f"{what} contains NaN or infinite values", kind="limits.array_not_finite", what=what
        )
    largest = max(abs(lo), abs(hi))
    if largest > limit:
        raise EngineValueError(
            f"{what} has a value of {largest:.3g}: values must be at most {limit:g} in size",
            kind="limits.array_too_large",
            what=what,
            value=f"{largest:.3g}",
            limit=f"{limit:g}",
        )


def check_weights(a: np.ndarray, what: str = "the network") -> None:
    """Finite weights of at most :data:`MAX_WEIGHT` in magnitude (ValueError)."""
    check_array(a, what, MAX_WEIGHT)


def check_data(a: np.ndarray, what: str = "the data") -> None:
    """Finite data of at most :data:`MAX_DATA` in magnitude (ValueError)."""
    check_array(a, what, MAX_DATA)


__all__ = [
    "BATCH_SIZE",
    "DECAY",
    "EPS",
    "LEARNING_RATE",
    "MAX_COUNTER",
    "MAX_DATA",
    "MAX_INPUTS",
    "MAX_LAYERS",
    "MAX_PARAMETERS",
    "MAX_SEED",
    "MAX_TARGETS",
    "MAX_UNITS",
    "MAX_WEIGHT",
    "NOISE",
    "PENALTY",
    "check_array",
    "check_batch_size",
    "check_counter",
    "check_data",
    "check_decay",
    "check_eps",
    "check_learning_rate",
    "check_noise",
    "check_number",
    "check_penalty",
    "check_seed",
    "check_weights",
    "check_whole",
]
