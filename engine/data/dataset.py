"""The :class:`Dataset` record and the helpers every data source shares.

Conventions:

* ``x`` is (N, D) float64 inputs, one sample per row; ``t`` is (N, K) float64 raw targets.
* ``x_val``/``t_val`` hold the validation rows, (M, D)/(M, K); M may be 0.
* classification data also carries integer ``labels`` (N,) and ``n_classes``; for the
  softmax cross-entropy loss (``"ce"``) :meth:`Dataset.targets` turns them into one-hot rows.
* every array in a Dataset is a read-only float64 (labels: int64) copy.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, replace

import numpy as np

from ..errors import Explained
from ..limits import check_data

TASKS = ("classification", "regression")
_WHAT = {"x": "inputs", "t": "targets", "x_val": "validation inputs",
         "t_val": "validation targets"}  # fmt: skip
SPLITS = ("train", "val")


def _frozen(a, dtype, name: str, ndim: int) -> np.ndarray:
    """A read-only C-contiguous copy of ``a`` as ``dtype`` with ``ndim`` dimensions - or
    ``a`` itself when it already is such an array that owns its memory (a fresh array
    made read-only for the record, as :func:`split_dataset` makes them): a data set of
    millions of rows is then held once, not twice."""
    out = a if _is_frozen(a, dtype) else np.array(a, dtype=dtype, copy=True, order="C")
    if out.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {out.shape}")
    out.flags.writeable = False
    return out


def _is_frozen(a, dtype) -> bool:
    return (
        isinstance(a, np.ndarray)
        and a.dtype == dtype
        and a.flags.c_contiguous
        and a.flags.owndata
        and not a.flags.writeable
    )


def _read_only(a: np.ndarray) -> np.ndarray:
    """``a`` (a fresh array nothing else refers to) made read-only."""
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Dataset:
    """A data set split into training and validation rows.

    Shapes: ``x`` (N, D), ``t`` (N, K), ``x_val`` (M, D), ``t_val`` (M, K), ``labels`` (N,)
    and ``labels_val`` (M,) int64 for classification (None for regression). ``mean`` and
    ``std`` (D,) are the training-row feature statistics once :meth:`standardized`.
    Compared by identity (``eq=False``): element-wise array equality has no single answer.
    Every value of ``x``, ``t``, ``x_val`` and ``t_val`` is finite and at most
    :data:`engine.limits.MAX_DATA` in size (ValueError naming the array otherwise).
    """

    name: str
    x: np.ndarray
    t: np.ndarray
    x_val: np.ndarray
    t_val: np.ndarray
    labels: np.ndarray | None
    labels_val: np.ndarray | None
    task: str
    n_classes: int
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    mean: np.ndarray | None = None
    std: np.ndarray | None = None

    def __post_init__(self) -> None:
        def put(field: str, value) -> None:
            object.__setattr__(self, field, value)

        for field in ("x", "t", "x_val", "t_val"):
            put(field, _frozen(getattr(self, field), np.float64, field, 2))
            check_data(getattr(self, field), f"the data's {_WHAT[field]}")
        n, d = self.x.shape
        k = self.t.shape[1]
        m = self.x_val.shape[0]
        if self.t.shape[0] != n:
            raise ValueError(f"x has {n} rows but t has {self.t.shape[0]}")
        if self.x_val.shape[1] != d or self.t_val.shape != (m, k):
            raise ValueError(
                f"validation arrays must be ({m}, {d}) and ({m}, {k}), "
                f"got {self.x_val.shape} and {self.t_val.shape}"
            )
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}, got {self.task!r}")
        put("n_classes", operator.index(self.n_classes))
        if (self.labels is None) != (self.labels_val is None):
            raise ValueError("labels and labels_val must both be given or both be None")
        if self.labels is not None:
            put("labels", _frozen(self.labels, np.int64, "labels", 1))
            put("labels_val", _frozen(self.labels_val, np.int64, "labels_val", 1))
            if self.labels.shape != (n,) or self.labels_val.shape != (m,):
                raise ValueError(f"labels must have shapes ({n},) and ({m},)")
            both = np.concatenate([self.labels, self.labels_val])
            out_of_range = both.size and (both.min() < 0 or both.max() >= self.n_classes)
            if self.n_classes < 1 or out_of_range:
                raise ValueError(f"labels must lie in 0..{self.n_classes - 1}")
        if self.task == "regression" and (self.labels is not None or self.n_classes != 0):
            raise ValueError("a regression data set has no labels and n_classes 0")
        put("feature_names", tuple(str(s) for s in self.feature_names))
        put("target_names", tuple(str(s) for s in self.target_names))
        if len(self.feature_names) != d or len(self.target_names) != k:
            raise ValueError(
                f"need {d} feature names and {k} target names, "
                f"got {len(self.feature_names)} and {len(self.target_names)}"
            )
        if (self.mean is None) != (self.std is None):
            raise ValueError("mean and std must both be given or both be None")
        if self.mean is not None:
            put("mean", _frozen(self.mean, np.float64, "mean", 1))
            put("std", _frozen(self.std, np.float64, "std", 1))
            if self.mean.shape != (d,) or self.std.shape != (d,):
                raise ValueError(f"mean and std must have shape ({d},)")

    @property
    def input_size(self) -> int:
        """D, the number of input columns (the network's input layer size)."""
        return int(self.x.shape[1])

    def output_size(self, loss: str) -> int:
        """The output layer size training with ``loss`` needs: ``n_classes`` for "ce"
        (one-hot targets), otherwise K, the number of raw target columns."""
        return int(self.targets(loss, "train").shape[1])

    def targets(self, loss: str, split: str = "train") -> np.ndarray:
        """Targets ready for training with ``loss`` on ``split`` ("train" or "val").

        "ce": one-hot rows of the labels, (N, n_classes) float64; ValueError when the data
        set has no class labels. Any other loss ("mse", "bce"): the raw targets (N, K).
        """
        if split not in SPLITS:
            raise ValueError(f"split must be 'train' or 'val', got {split!r}")
        if not isinstance(loss, str):
            raise ValueError(f"loss must be a name such as 'mse', 'bce' or 'ce', got {loss!r}")
        if loss != "ce":
            return self.t if split == "train" else self.t_val
        labels = self.labels if split == "train" else self.labels_val
        if labels is None:
            raise ValueError(
                f"the cross-entropy loss ('ce') needs class labels, but {self.name!r} is a "
                "regression data set (its targets are not one column of class numbers "
                "0, 1, 2, ...); use 'mse' instead"
            )
        return one_hot(labels, self.n_classes)

    def standardized(self) -> Dataset:
        """A copy with features scaled to (x - mean) / std, mean and std (D,) taken from the
        TRAINING rows only and applied to the validation rows too. Targets are unchanged.
        ``mean``/``std`` of the result map the original raw features, also when
        standardising twice.

        A column with the same value in every training row (one row, or a constant
        column) has no spread to scale by: ValueError (:class:`ZeroVarianceError`) naming
        the first such column, rather than turning it silently into zeros."""
        constant = np.flatnonzero(self.x.max(axis=0) == self.x.min(axis=0)) if len(self.x) else ()
        if len(constant):
            raise ZeroVarianceError(self, int(constant[0]))
        mean = self.x.mean(axis=0) if len(self.x) else np.zeros(self.input_size)
        std = self.x.std(axis=0) if len(self.x) else np.ones(self.input_size)
        std = np.where(std > 0, std, 1.0)  # only for spreads that underflow to 0
        x = self.x - mean  # in place from here: one new array per split, not two
        x /= std
        x_val = self.x_val - mean
        x_val /= std
        if self.mean is not None:  # compose with the earlier scaling
            mean, std = self.mean + self.std * mean, self.std * std
        return replace(self, x=_read_only(x), x_val=_read_only(x_val), mean=mean, std=std)


class ZeroVarianceError(Explained, ValueError):
    """Standardisation refused: input column ``column`` (1-based) has the same value in
    every training row. The message names it by its header name when it has one
    ("input column 'x1' (column 1)"), else by its number ("input column 1")."""

    def __init__(self, data: Dataset, index: int) -> None:
        self.column = index + 1
        name = data.feature_names[index]
        which = (
            f"column {self.column}"
            if name == f"column {self.column}"
            else f"column {name!r} (column {self.column})"
        )
        rows = len(data.x)
        why = "there is only one training row" if rows == 1 else "it is constant"
        self.explain(
            "data.zero_variance_one_row" if rows == 1 else "data.zero_variance",
            {"input_column": self.column, "name": None if name == f"column {self.column}" else name,
             "value": f"{data.x[0, index]:g}"},
        )  # fmt: skip
        super().__init__(
            f"cannot standardise input {which}: it has the same value "
            f"({data.x[0, index]:g}) in every training row ({why}), so its standard "
            "deviation is 0; turn standardisation off or remove the column"
        )


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(N,) integer labels in 0..n_classes-1 -> (N, n_classes) float64 one-hot rows."""
    out = np.zeros((len(labels), n_classes))
    out[np.arange(len(labels)), labels] = 1.0
    out.flags.writeable = False
    return out


def check_val_split(val_split) -> float:
    """``val_split`` as a float in [0, 0.9], or ValueError."""
    if isinstance(val_split, bool) or not isinstance(val_split, int | float | np.number):
        raise ValueError(f"val_split must be a number in [0, 0.9], got {val_split!r}")
    v = float(val_split)
    if not (math.isfinite(v) and 0.0 <= v <= 0.9):
        raise ValueError(f"val_split must be a number in [0, 0.9], got {val_split!r}")
    return v


def check_seed(seed) -> int:
    """``seed`` as a Python int (any sign), or ValueError."""
    if isinstance(seed, bool):
        raise ValueError(f"seed must be a whole number, got {seed!r}")
    try:
        return operator.index(seed)
    except TypeError:
        raise ValueError(f"seed must be a whole number, got {seed!r}") from None


def rng_for(seed: int, stream: int) -> np.random.Generator:
    """A generator for ``seed`` (any int, also negative) and a purpose number ``stream``,
    so that generating data and splitting it draw from independent streams."""
    seed = check_seed(seed)
    return np.random.default_rng([abs(seed), int(seed < 0), stream])


def split_indices(n: int, val_split: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded random split of ``n`` rows: (train indices, val indices), each in ascending
    order (rows keep their original order within each part). The validation part has
    round(n * val_split) rows (halves round up), capped so that at least one training row
    remains; which rows it takes is decided by a permutation seeded by ``seed``."""
    v = check_val_split(val_split)
    n_val = min(math.floor(n * v + 0.5), max(n - 1, 0))
    perm = rng_for(seed, 1).permutation(n)
    return np.sort(perm[n_val:]), np.sort(perm[:n_val])


def split_dataset(
    name: str,
    x: np.ndarray,
    t: np.ndarray,
    labels: np.ndarray | None,
    *,
    task: str,
    n_classes: int,
    feature_names: tuple[str, ...],
    target_names: tuple[str, ...],
    val_split: float,
    seed: int,
) -> Dataset:
    """Split all rows ``x`` (N, D), ``t`` (N, K), ``labels`` (N,) or None into a Dataset."""
    tr, va = split_indices(len(x), val_split, seed)
    return Dataset(
        name=name,
        x=_read_only(x[tr]),
        t=_read_only(t[tr]),
        x_val=_read_only(x[va]),
        t_val=_read_only(t[va]),
        labels=None if labels is None else _read_only(labels[tr]),
        labels_val=None if labels is None else _read_only(labels[va]),
        task=task,
        n_classes=n_classes,
        feature_names=feature_names,
        target_names=target_names,
    )
