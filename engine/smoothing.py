"""Smoothing a noisy per-iteration series (mini-batch gradient norms, losses) for display.

:func:`ema` is the exponential moving average a plot draws over the raw points:

    s_0 = y_0,    s_k = c_k s_(k-1) + (1 - c_k) y_k,    c_k = decay ** (x_k - x_(k-1))

so with one point per iteration (x_k - x_(k-1) = 1) it is the textbook
``s = decay * s + (1 - decay) * y``, and where points are further apart (an old, decimated
history keeps only some of them) the older value fades by the iterations that passed.

Computed without a loop over points: unrolled, s_k is a weighted sum of y_0..y_k whose
weights are powers of ``decay``, so a cumulative sum gives them all - in blocks short
enough that the powers neither under- nor overflow, or, when gaps would make many blocks,
as ``logaddexp.accumulate`` of the logarithms (one pass however long the series is).
"""

from __future__ import annotations

import numpy as np


def ema(x, y, decay: float) -> np.ndarray:
    """The exponential moving average of ``y`` (n,) or (n, columns) sampled at the
    increasing positions ``x`` (n,) (e.g. iteration numbers), with ``decay`` per unit of x
    (0 <= decay < 1; 0 gives ``y`` itself). Returns a fresh float64 array shaped like ``y``.
    Non-finite values are skipped (their smoothed value is NaN and the average carries on
    over them); a column starts at its first finite value."""
    if not 0.0 <= decay < 1.0:
        raise ValueError(f"decay must be in [0, 1), got {decay}")
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    y = np.asarray(y, dtype=np.float64)
    flat = y.ndim == 1
    y2 = y.reshape(len(x), -1) if y.size else y.reshape(len(x), 1 if flat else y.shape[-1])
    out = np.full(y2.shape, np.nan)
    for c in range(y2.shape[1]):
        column = np.ascontiguousarray(y2[:, c])  # 1-D, contiguous: numpy's fast loops
        finite = np.isfinite(column)
        if finite.all():
            out[:, c] = _ema_finite(x, column, decay)
        elif finite.any():
            out[finite, c] = _ema_finite(x[finite], column[finite], decay)
    return out[:, 0] if flat else out


LOG_RANGE = 230.0  # a block's weights span at most e**230 (~1e100): no overflow


def _ema_finite(x: np.ndarray, y: np.ndarray, decay: float) -> np.ndarray:
    """:func:`ema` of one column of finite values ``y`` (n,), n >= 0."""
    if decay == 0.0 or len(x) == 0:
        return y.copy()
    log_decay = np.log(decay)
    keep = np.ones(len(x))  # 1 - c_k: the share of the new value
    keep[1:] = -np.expm1(np.diff(x) * log_decay)
    # blocks of x spanning at most LOG_RANGE / -log(decay): within one, s_k = r_k *
    # cumsum((1 - c_j) y_j / r_j) with r_k = decay ** (x_k - x_block_start)
    block = np.floor((x - x[0]) * (-log_decay / LOG_RANGE))
    starts = np.flatnonzero(np.diff(block, prepend=-1.0))
    if len(starts) > max(8, len(x) // 256):  # many gaps (a very long, decimated history)
        return _ema_logs(x, y, keep, log_decay)
    out = np.empty(len(y))
    ends = [*starts[1:], len(x)]
    for b, e in zip(starts, ends, strict=True):
        r = np.exp((x[b:e] - x[b]) * log_decay)
        terms = keep[b:e] * y[b:e] / r
        if b == 0:
            terms[0] = y[0]
        else:  # the block's first point continues from the previous block's last
            terms[0] = (1.0 - keep[b]) * out[b - 1] + keep[b] * y[b]
        np.cumsum(terms, out=out[b:e])
        out[b:e] *= r
    return out


def _ema_logs(x: np.ndarray, y: np.ndarray, keep: np.ndarray, log_decay: float) -> np.ndarray:
    """The same sums as logarithms (``logaddexp.accumulate``): slower, but one pass
    however many blocks the gaps would make. The average is linear in y, so the positive
    and negative parts are averaged apart (logarithms need values > 0)."""
    log_p = (x - x[0]) * log_decay  # log of decay ** (x_k - x_0) <= 0
    with np.errstate(divide="ignore"):
        log_keep = np.log(keep)
        log_keep[0] = 0.0  # y_0 counts whole
        parts = (y,) if (y >= 0).all() else (np.maximum(y, 0.0), np.maximum(-y, 0.0))
        sums = []
        for part in parts:
            acc = np.logaddexp.accumulate(np.log(part) + (log_keep - log_p))
            sums.append(np.exp(acc + log_p))
    return sums[0] if len(sums) == 1 else sums[0] - sums[1]


__all__ = ["ema"]
