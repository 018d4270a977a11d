"""Built-in toy data sets: small 2-D classification pictures and two regressions.

Every generator draws from a NumPy generator seeded by ``seed`` only, so the same
arguments always give bit-identical data. ``noise`` is the standard deviation of Gaussian
jitter added to the inputs (classification, where it blurs the class boundary) or to the
target (regression). All sets are centred on the origin, so a network without biases (the
article's simplification) can still learn them.

* ``xor``       (classification, D=2, t 0/1): four square clusters, one per quadrant;
  label 1 where the signs of x1 and x2 differ. No straight line separates it.
* ``circles``   (classification, D=2, t 0/1): class 0 a disc of radius 0.5, class 1 the
  ring 0.8 <= r <= 1 around it.
* ``gaussians`` (classification, D=2, t 0/1): round blobs at (-1, -1) (class 0) and (1, 1).
* ``spiral``    (classification, D=2, t 0/1): two interleaved spiral arms, 1.25 turns each,
  radius 0.15 -> 1.
* ``spiral3``   (classification, D=2, t one-hot (N, 3)): three interleaved arms, one turn each.
* ``sine``      (regression, D=1): x uniform in [-pi, pi], t = sin(x) + noise.
* ``plane``     (regression, D=2): x uniform in [-1, 1]^2, t = x1 - 0.5 x2 + noise.

Classes are balanced: class sizes differ by at most one sample.
"""

from __future__ import annotations

import math
import operator

import numpy as np

from .. import defaults
from .dataset import Dataset, check_seed, check_val_split, one_hot, rng_for, split_dataset

BUILTIN_DATASETS: tuple[str, ...] = (
    "xor",
    "circles",
    "gaussians",
    "spiral",
    "spiral3",
    "sine",
    "plane",
)

MIN_SAMPLES = 4
MAX_SAMPLES = 100_000


def _balanced(n: int, classes: int) -> np.ndarray:
    """(n,) int64 labels 0, 1, ..., classes-1, 0, 1, ... (sizes differ by at most one)."""
    return np.arange(n, dtype=np.int64) % classes


def _xor(n, noise, rng):
    labels = _balanced(n, 2)
    sx = rng.choice([-1.0, 1.0], size=n)
    sy = np.where(labels == 1, -sx, sx)
    mag = rng.uniform(0.1, 1.0, size=(n, 2))
    x = mag * np.stack([sx, sy], axis=1)
    return x + rng.normal(0.0, noise, size=(n, 2)), labels


def _circles(n, noise, rng):
    labels = _balanced(n, 2)
    u = rng.uniform(0.0, 1.0, size=n)
    # uniform by area: inner disc r in [0, 0.5], outer ring r in [0.8, 1.0]
    r = np.where(labels == 0, 0.5 * np.sqrt(u), np.sqrt(0.64 + 0.36 * u))
    a = rng.uniform(0.0, 2.0 * math.pi, size=n)
    x = np.stack([r * np.cos(a), r * np.sin(a)], axis=1)
    return x + rng.normal(0.0, noise, size=(n, 2)), labels


def _gaussians(n, noise, rng):
    labels = _balanced(n, 2)
    centres = np.where(labels[:, None] == 0, -1.0, 1.0) * np.ones((1, 2))
    spread = math.sqrt(0.5**2 + noise**2)
    return centres + rng.normal(0.0, spread, size=(n, 2)), labels


def _spiral_arms(n, noise, rng, arms):
    # 1.25 turns for two arms, 1 turn for three: with the default noise 0.1 about 90% of
    # the points then lie nearer their own arm than another (more turns -> arms too close)
    turns = 1.25 if arms == 2 else 1.0
    labels = _balanced(n, arms)
    s = rng.uniform(0.0, 1.0, size=n)
    r = 0.15 + 0.85 * s
    a = 2.0 * math.pi * (turns * s + labels / arms)
    x = np.stack([r * np.cos(a), r * np.sin(a)], axis=1)
    return x + rng.normal(0.0, noise, size=(n, 2)), labels


def _sine(n, noise, rng):
    x = rng.uniform(-math.pi, math.pi, size=(n, 1))
    return x, np.sin(x) + rng.normal(0.0, noise, size=(n, 1))


def _plane(n, noise, rng):
    x = rng.uniform(-1.0, 1.0, size=(n, 2))
    t = x[:, :1] - 0.5 * x[:, 1:] + rng.normal(0.0, noise, size=(n, 1))
    return x, t


def _check_args(name, n, noise) -> tuple[str, int, float]:
    valid = ", ".join(BUILTIN_DATASETS)
    if not isinstance(name, str) or name.strip().lower() not in BUILTIN_DATASETS:
        raise ValueError(f"unknown data set {name!r}; the built-in data sets are: {valid}")
    try:
        if isinstance(n, bool):
            raise TypeError
        n = operator.index(n)
    except TypeError:
        raise ValueError(f"n (number of samples) must be a whole number, got {n!r}") from None
    if not MIN_SAMPLES <= n <= MAX_SAMPLES:
        raise ValueError(
            f"n (number of samples) must be between {MIN_SAMPLES} and {MAX_SAMPLES:,}, got {n}"
        )
    if isinstance(noise, bool) or not isinstance(noise, int | float | np.number):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    if not (math.isfinite(float(noise)) and float(noise) >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return name.strip().lower(), n, float(noise)


def make_dataset(
    name: str,
    n: int = defaults.SAMPLES,
    noise: float = defaults.NOISE,
    seed: int = defaults.DATA_SEED,
    val_split: float = defaults.VAL_SPLIT,
) -> Dataset:
    """Generate the built-in data set ``name`` (one of :data:`BUILTIN_DATASETS`, case
    ignored) with ``n`` samples in total (4..100_000) before a seeded split that puts
    round(n * val_split) of them (val_split in [0, 0.9]) into the validation arrays.

    Two-class sets: ``t`` is (N, 1) of 0.0/1.0 and ``labels`` (N,) 0/1, ``n_classes`` 2.
    spiral3: ``t`` is (N, 3) one-hot, ``labels`` 0/1/2. sine: ``x`` (N, 1), ``t`` (N, 1);
    plane: ``x`` (N, 2), ``t`` (N, 1); both regression with ``labels`` None.
    Same arguments -> bit-identical arrays. Bad arguments raise ValueError.
    """
    name, n, noise = _check_args(name, n, noise)
    seed = check_seed(seed)
    check_val_split(val_split)
    rng = rng_for(seed, 0)
    if name in ("sine", "plane"):
        x, t = _sine(n, noise, rng) if name == "sine" else _plane(n, noise, rng)
        return split_dataset(
            name,
            x,
            t,
            None,
            task="regression",
            n_classes=0,
            feature_names=("x",) if name == "sine" else ("x1", "x2"),
            target_names=("y",),
            val_split=val_split,
            seed=seed,
        )
    if name == "spiral3":
        x, labels = _spiral_arms(n, noise, rng, 3)
        t = one_hot(labels, 3)
        target_names = ("class 0", "class 1", "class 2")
    else:
        gen = {"xor": _xor, "circles": _circles, "gaussians": _gaussians}.get(name)
        x, labels = gen(n, noise, rng) if gen else _spiral_arms(n, noise, rng, 2)
        t = labels[:, None].astype(np.float64)
        target_names = ("class",)
    return split_dataset(
        name,
        x,
        t,
        labels,
        task="classification",
        n_classes=int(t.shape[1]) if name == "spiral3" else 2,
        feature_names=("x1", "x2"),
        target_names=target_names,
        val_split=val_split,
        seed=seed,
    )
