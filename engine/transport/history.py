"""Bounded, shape-preserving history of per-iteration series (loss curves, gradient norms).

A run of millions of iterations must not grow memory without bound, yet the curve must
keep its shape, spikes included. :class:`LossHistory` keeps the newest ``recent`` points
exactly. Older points are gathered into bins of ``level`` consecutive points, and every
bin keeps two of its points: its minimum and its maximum, each at its own x and in the
order they occurred. When there are more than ``max_bins`` bins, neighbouring bins are
merged in pairs (again keeping the minimum and the maximum of the four points) and new
bins take twice as many points. So:

* the stored size per column stays below ``recent + chunk + 2 * max_bins + 2`` points
  (about 17,400 with the defaults) however long the run is;
* the minimum and the maximum of every column over the whole run are always kept, exactly;
* x stays sorted (non-decreasing), and the newest ``recent`` points are the exact input.

Bins start at two points, and a bin of two keeps both, so nothing is lost until the run
outgrows ``recent + 2 * max_bins`` points.

Pure NumPy: this is the model behind the GUI's loss and gradient-norm plots.
"""

from __future__ import annotations

import numpy as np

from ..smoothing import ema

RECENT = 8192
MAX_BINS = 4096
CHUNK = 1024


class LossHistory:
    """Several series (``columns``) sampled at the same, increasing x (e.g. iterations).

    ``append(x, y)`` takes x (n,) and y (n,) or (n, columns); ``arrays(column)`` returns
    what to plot. Each column is decimated on its own (its minima and maxima keep their
    own x), so ``arrays`` may give different x for different columns.
    """

    def __init__(
        self,
        columns: int = 1,
        recent: int = RECENT,
        max_bins: int = MAX_BINS,
        chunk: int = CHUNK,
    ) -> None:
        if columns < 1 or recent < 1 or max_bins < 2 or chunk < 1:
            raise ValueError("columns, recent, chunk must be >= 1 and max_bins >= 2")
        self.columns = int(columns)
        self.recent = int(recent)
        self.max_bins = int(max_bins)
        self.chunk = int(chunk)
        self.clear()

    def clear(self) -> None:
        """Forget everything (a new problem or a reset)."""
        c, cap = self.columns, self.recent + self.chunk
        self._rx = np.empty(cap)  # the exact recent points
        self._ry = np.empty((cap, c))
        self._rn = 0
        self._ox = np.empty((4 * self.max_bins, c))  # decimated points, 2 per bin
        self._oy = np.empty((4 * self.max_bins, c))
        self._bins = 0
        self._level = 2  # raw points per new bin
        self._px = np.empty((2, c))  # the bin being filled, as its (min, max) points
        self._py = np.empty((2, c))
        self._pn = 0  # raw points in that bin
        self.count = 0  # points accepted since the last clear
        self.last_x = -np.inf

    def __len__(self) -> int:
        """Points stored per column (what ``arrays`` returns)."""
        return 2 * self._bins + min(self._pn, 2) + self._rn

    # ------------------------------------------------------------ input
    def append(self, x, y) -> None:
        """Add points: ``x`` (n,) increasing (e.g. iteration numbers), ``y`` (n,) or
        (n, columns). Points whose x is not greater than the last accepted x are ignored,
        so the history stays sorted (a repeated frame adds nothing)."""
        x = np.asarray(x, dtype=np.float64).reshape(-1)
        y = np.asarray(y, dtype=np.float64)
        y = y.reshape(len(x), -1) if y.size else y.reshape(0, self.columns)
        if y.shape != (len(x), self.columns):
            raise ValueError(f"expected {self.columns} column(s), got shape {y.shape}")
        if len(x) and x[0] <= self.last_x:
            keep = x > self.last_x
            x, y = x[keep], y[keep]
        n = len(x)
        if n == 0:
            return
        self.count += n
        self.last_x = float(x[-1])
        rn, cap = self._rn, len(self._rx)
        if rn + n <= cap:
            self._rx[rn : rn + n] = x
            self._ry[rn : rn + n] = y
            self._rn = rn + n
            return
        all_x = np.concatenate([self._rx[:rn], x])
        all_y = np.concatenate([self._ry[:rn], y])
        k = len(all_x) - self.recent
        self._decimate(all_x[:k], all_y[:k])
        self._rx[: self.recent] = all_x[k:]
        self._ry[: self.recent] = all_y[k:]
        self._rn = self.recent

    def _decimate(self, x: np.ndarray, y: np.ndarray) -> None:
        """Move raw points (oldest first) into bins."""
        pos, n = 0, len(x)
        while pos < n:
            level = self._level
            if self._pn:  # finish the bin being filled
                take = min(level - self._pn, n - pos)
                px, py = _reduce(
                    np.concatenate([self._px, _col(x[pos : pos + take], self.columns)])[None],
                    np.concatenate([self._py, y[pos : pos + take]])[None],
                )
                self._px, self._py = px[0], py[0]
                self._pn += take
                pos += take
                if self._pn == level:
                    self._push(self._px[None], self._py[None])
                    self._pn = 0
                continue
            q = min((n - pos) // level, self.max_bins)
            if q == 0:  # start a bin with the rest
                rest = n - pos
                px, py = _reduce(_col(x[pos:], self.columns)[None], y[pos:][None])
                self._px, self._py, self._pn = px[0], py[0], rest
                return
            end = pos + q * level
            c = self.columns
            bx, by = _reduce(
                _col(x[pos:end], c).reshape(q, level, c), y[pos:end].reshape(q, level, c)
            )
            self._push(bx, by)
            pos = end

    def _push(self, bx: np.ndarray, by: np.ndarray) -> None:
        """Append finished bins given as (q, 2, columns) points; merge when too many."""
        q = len(bx)
        i = 2 * self._bins
        self._ox[i : i + 2 * q] = bx.reshape(-1, self.columns)
        self._oy[i : i + 2 * q] = by.reshape(-1, self.columns)
        self._bins += q
        while self._bins > self.max_bins:
            pairs = self._bins // 2
            c = self.columns
            mx, my = _reduce(
                self._ox[: 4 * pairs].reshape(pairs, 4, c),
                self._oy[: 4 * pairs].reshape(pairs, 4, c),
            )
            odd = self._bins - 2 * pairs  # an unpaired newest bin stays as it is
            tail_x = self._ox[4 * pairs : 4 * pairs + 2 * odd].copy()
            tail_y = self._oy[4 * pairs : 4 * pairs + 2 * odd].copy()
            self._ox[: 2 * pairs] = mx.reshape(-1, c)
            self._oy[: 2 * pairs] = my.reshape(-1, c)
            self._ox[2 * pairs : 2 * pairs + 2 * odd] = tail_x
            self._oy[2 * pairs : 2 * pairs + 2 * odd] = tail_y
            self._bins = pairs + odd
            self._level *= 2

    # ------------------------------------------------------------ output
    def arrays(self, column: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of one column, oldest first: fresh, read-only float64 arrays that
        nothing writes afterwards (safe to hand to pyqtgraph)."""
        if not 0 <= column < self.columns:
            raise IndexError(f"column {column} out of range 0..{self.columns - 1}")
        parts_x = [self._ox[: 2 * self._bins, column]]
        parts_y = [self._oy[: 2 * self._bins, column]]
        if self._pn:  # a bin of one point holds it twice: give it once
            parts_x.append(self._px[: min(self._pn, 2), column])
            parts_y.append(self._py[: min(self._pn, 2), column])
        parts_x.append(self._rx[: self._rn])
        parts_y.append(self._ry[: self._rn, column])
        x, y = np.concatenate(parts_x), np.concatenate(parts_y)
        x.flags.writeable = False
        y.flags.writeable = False
        return x, y

    def smoothed(self, column: int, decay: float) -> tuple[np.ndarray, np.ndarray]:
        """(x, s): :func:`engine.smoothing.ema` of one column with ``decay`` per
        iteration, at the points :meth:`arrays` gives (fresh, read-only). Exact over the
        newest ``recent`` points; over older, decimated history it averages the minima
        and maxima kept there, each standing for the iterations since the previous one."""
        x, y = self.arrays(column)
        s = ema(x, y, decay)
        s.flags.writeable = False
        return x, s

    def last(self) -> np.ndarray | None:
        """The newest y row (columns,) or None when empty."""
        return self._ry[self._rn - 1].copy() if self._rn else None

    # ------------------------------------------------------------ saving and restoring
    def get_state(self) -> dict[str, np.ndarray]:
        """Everything this history holds, as four fresh arrays (for session files):
        ``recent`` (n, 1 + columns) float64 - x, then y, of the exact recent points;
        ``bins`` (2 * bins, 2 * columns) float64 - each column's decimated x, then y;
        ``partial`` (2, 2 * columns) float64 - the bin being filled (x, then y);
        ``counters`` (8,) int64 - columns, recent, max_bins, chunk, bins, level,
        points in the partial bin, points accepted. :meth:`set_state` restores it."""
        c, rn, nb = self.columns, self._rn, 2 * self._bins
        counters = (c, self.recent, self.max_bins, self.chunk, self._bins, self._level,
                    self._pn, self.count)  # fmt: skip
        return {
            "recent": np.column_stack([self._rx[:rn], self._ry[:rn]]),
            "bins": np.concatenate([self._ox[:nb], self._oy[:nb]], axis=1),
            "partial": np.concatenate([self._px, self._py], axis=1).reshape(2, 2 * c),
            "counters": np.array(counters, dtype=np.int64),
        }

    def set_state(self, state: dict[str, np.ndarray]) -> None:
        """Continue from :meth:`get_state`'s arrays (possibly read from a file): afterwards
        ``arrays`` and every later ``append`` give exactly what the saved history would
        have. The bounds (columns, recent, max_bins, chunk) must be this history's;
        anything inconsistent raises ValueError and leaves the history unchanged."""
        try:
            counters = np.asarray(state["counters"])
            recent, bins, partial = (
                np.asarray(state[k], dtype=np.float64) for k in ("recent", "bins", "partial")
            )
        except KeyError as e:
            raise ValueError(f"history state without {e.args[0]!r}") from None
        if counters.dtype.kind not in "iu" or counters.shape != (8,):
            raise ValueError("history counters must be 8 integers")
        c, rec, mb, chunk, nbins, level, pn, count = (int(v) for v in counters)
        if (c, rec, mb, chunk) != (self.columns, self.recent, self.max_bins, self.chunk):
            raise ValueError(
                f"history saved with bounds {(c, rec, mb, chunk)}, this one has "
                f"{(self.columns, self.recent, self.max_bins, self.chunk)}"
            )
        rn = len(recent)
        if recent.ndim != 2 or recent.shape[1] != 1 + c or rn > rec + chunk:
            raise ValueError(f"history recent points: bad shape {recent.shape}")
        if not 0 <= nbins <= mb or bins.shape != (2 * nbins, 2 * c):
            raise ValueError(f"history bins: bad shape {bins.shape} for {nbins} bins")
        if partial.shape != (2, 2 * c):
            raise ValueError(f"history partial bin: bad shape {partial.shape}")
        if not 2 <= level <= 2**62 or level & (level - 1) or not 0 <= pn < level:
            raise ValueError(f"history bin size {level} / {pn} is not possible")
        stored = 2 * nbins + min(pn, 2) + rn
        if count < stored or (rn == 0) != (count == 0):
            raise ValueError(f"history counts {count} points but stores {stored}")
        x = recent[:, 0]
        if not (np.isfinite(x).all() and np.isfinite(bins[:, :c]).all()):
            raise ValueError("history x values must be finite")
        if rn > 1 and (np.diff(x) <= 0).any():
            raise ValueError("history x values must increase")
        self.clear()
        self._rx[:rn] = x
        self._ry[:rn] = recent[:, 1:]
        self._rn = rn
        self._ox[: 2 * nbins] = bins[:, :c]
        self._oy[: 2 * nbins] = bins[:, c:]
        self._bins, self._level, self._pn = nbins, level, pn
        self._px, self._py = partial[:, :c].copy(), partial[:, c:].copy()
        self.count = count
        self.last_x = float(x[-1]) if rn else -np.inf


def _col(x: np.ndarray, columns: int) -> np.ndarray:
    """x (n,) as (n, columns) without copying."""
    return np.broadcast_to(x[:, None], (len(x), columns))


def _reduce(x3: np.ndarray, y3: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Groups (q, m, columns) of points -> (q, 2, columns): each group's minimum and
    maximum, in the order they occurred (NaN counts as neither; an all-NaN group gives NaN)."""
    nan = np.isnan(y3)
    imin = np.where(nan, np.inf, y3).argmin(axis=1)[:, None, :]
    imax = np.where(nan, -np.inf, y3).argmax(axis=1)[:, None, :]
    first = np.minimum(imin, imax)
    second = np.maximum(imin, imax)
    idx = np.concatenate([first, second], axis=1)
    return np.take_along_axis(x3, idx, axis=1), np.take_along_axis(y3, idx, axis=1)
