"""Loss functions. Each one knows its value and its gradient with respect to the
output layer's pre-activation z (the output layer's error signal delta).

Conventions (also in the README):

* ``mse``  L = 1/(N*K) * sum_n sum_k (y_nk - t_nk)^2, a mean over samples AND outputs.
  For one sample with two outputs that is 1/2 * sum_k (t_k - y_k)^2, the article's form.
  Works with any output activation: delta = dL/dy * f'(z).
* ``bce``  binary cross-entropy on sigmoid outputs, mean over samples and outputs, computed
  from the logits z: l = max(z, 0) - z t + log(1 + e^-|z|). delta = (sigmoid(z) - t)/(N*K).
* ``ce``   softmax cross-entropy, mean over samples, computed from the logits with
  log-sum-exp: l_n = logsumexp(z_n) - sum_k t_nk z_nk. delta = (softmax(z) - t)/N.
  Targets are one-hot rows (or probability rows summing to 1).

Which loss fits which output layer and which data - the one rule the command line and
the window share (:func:`losses_for`, :func:`default_output`, :func:`default_loss_for`):

* the output activation must be one the loss accepts (:data:`LOSS_OUTPUTS`);
* ``mse`` fits any data;
* ``ce`` needs class labels: classification data with at least two classes;
* ``bce`` needs training targets between 0 and 1 (two classes in one 0/1 column, one-hot
  columns, or any targets in [0, 1]) - what the trainer itself checks.

Which loss is the default follows the data (:func:`has_class_targets`): class labels -
one column of class numbers, or targets that are all exactly 0 or 1 - give bce on a
sigmoid output and ce on a softmax output; any other targets (0.01 and 0.99, a
regression) give mse, also on a sigmoid output (the article's worked example).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, exp_nonpositive

if TYPE_CHECKING:
    from .data import Dataset

LOSSES = ("mse", "bce", "ce")

# Which output activations each loss accepts.
LOSS_OUTPUTS: dict[str, tuple[str, ...]] = {
    "mse": ("identity", "sigmoid", "tanh", "relu", "leaky_relu"),
    "bce": ("sigmoid",),
    "ce": ("softmax",),
}


def check_pairing(loss: str, output_activation: str) -> None:
    """Raise ValueError unless ``loss`` makes sense on that output activation."""
    if loss not in LOSS_OUTPUTS:
        raise ValueError(f"unknown loss {loss!r} (known: {', '.join(LOSSES)})")
    if output_activation not in LOSS_OUTPUTS[loss]:
        allowed = ", ".join(LOSS_OUTPUTS[loss])
        raise ValueError(
            f"loss {loss!r} needs the output activation to be one of: {allowed} "
            f"(got {output_activation!r})"
        )


def default_loss(output_activation: str) -> str:
    """The loss that goes with an output activation when the user names none (ce for
    softmax, bce for sigmoid, mse otherwise), whatever the data."""
    return {"softmax": "ce", "sigmoid": "bce"}.get(output_activation, "mse")


def has_class_targets(data: Dataset) -> bool:
    """True when ``data``'s targets are class labels: one column of class numbers (the
    data set has ``labels``), or every target (training and validation) exactly 0 or 1
    (one-hot or multi-label columns). False for anything else - 0.01 and 0.99 are
    numbers to fit, not classes."""
    if data.labels is not None:
        return True
    t = np.concatenate([data.t.ravel(), data.t_val.ravel()])
    return bool(t.size) and bool(np.all((t == 0.0) | (t == 1.0)))


def loss_problem(data: Dataset, output_activation: str, loss: str) -> str | None:
    """None if training an ``output_activation`` output layer with ``loss`` on ``data``
    makes sense (see the module docstring), else why not, in one line."""
    try:
        check_pairing(loss, output_activation)
    except ValueError as e:
        return str(e)
    if loss == "ce" and data.labels is None:
        try:
            data.targets(loss)  # raises, saying why (no class labels)
        except ValueError as e:
            return str(e)
    if loss == "ce" and data.n_classes < 2:
        return f"the cross-entropy loss ('ce') needs two classes or more, {data.name!r} has one"
    if loss == "bce":
        t = data.targets(loss)
        if t.size and (t.min() < 0 or t.max() > 1):
            return (
                f"loss 'bce' needs targets between 0 and 1, but {data.name!r} has targets "
                f"from {t.min():g} to {t.max():g}"
            )
    return None


def losses_for(data: Dataset, output_activation: str) -> tuple[str, ...]:
    """The losses that make sense for an ``output_activation`` output layer on ``data``,
    the default first - the conventional one (:func:`default_loss`) on class labels,
    ``mse`` on any other targets (:func:`has_class_targets`) - then in :data:`LOSSES`
    order. Empty if none does (softmax on regression data)."""
    fit = [loss for loss in LOSSES if loss_problem(data, output_activation, loss) is None]
    first = default_loss(output_activation) if has_class_targets(data) else "mse"
    fit.sort(key=lambda loss: loss != first)
    return tuple(fit)


def default_loss_for(data: Dataset, output_activation: str) -> str:
    """The loss to train an ``output_activation`` output layer on ``data`` with when the
    user names none - the same in the window and on the command line: the first of
    :func:`losses_for` (bce / ce on class labels, mse on other targets). When no loss
    fits, the conventional one (:func:`default_loss`), so that :func:`loss_problem` can
    say why it does not."""
    fit = losses_for(data, output_activation)
    return fit[0] if fit else default_loss(output_activation)


def output_activations_for(data: Dataset) -> tuple[str, ...]:
    """The output activations (in :data:`OUTPUT_ACTIVATIONS` order) with at least one
    loss that makes sense on ``data``."""
    return tuple(a for a in OUTPUT_ACTIVATIONS if losses_for(data, a))


def default_output(data: Dataset, loss: str | None = None) -> tuple[str, str]:
    """(output activation, loss) for ``data`` when the user names no output activation.

    Without ``loss``: identity + mse for targets that are not class labels
    (:func:`has_class_targets`: a regression, or targets such as 0.01 and 0.99); sigmoid
    + bce for classes in one 0/1 column (two classes) and for 0/1 target columns without
    class numbers (multi-label); softmax + ce for more classes or one-hot columns of
    class labels. With ``loss``: the activation that fits it - softmax for ce, sigmoid
    for bce, and for mse identity on targets that are not class labels, sigmoid on class
    labels. The pair may still not fit the data (bce on targets outside [0, 1]): check it
    with :func:`loss_problem`."""
    if loss is not None and loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r} (known: {', '.join(LOSSES)})")
    if loss == "ce":
        return "softmax", loss
    if loss == "bce":
        return "sigmoid", loss
    if not has_class_targets(data):
        return "identity", "mse"
    if loss == "mse":
        return "sigmoid", loss
    if data.labels is None or (data.t.shape[1] == 1 and data.n_classes <= 2):
        return "sigmoid", "bce"
    return "softmax", "ce"


def loss_value(loss: str, z: np.ndarray, y: np.ndarray, t: np.ndarray) -> float:
    """The loss (a Python float) of outputs ``y = f(z)`` against targets ``t``, all (N, K)."""
    n, k = y.shape
    return loss_sum(loss, z, y, t) / loss_norm(loss, n, k)


def loss_sum(loss: str, z: np.ndarray, y: np.ndarray, t: np.ndarray) -> float:
    """The sum of the per-sample (and, for mse and bce, per-output) terms of the loss of
    ``y = f(z)`` against ``t``, all (N, K): :func:`loss_value` is this divided by
    :func:`loss_norm`. Sums of parts of a data set add up to the whole set's sum."""
    if loss == "mse":
        d = y - t
        return float(np.vdot(d, d))
    if loss == "bce":
        per = np.maximum(z, 0.0) - z * t + np.log1p(exp_nonpositive(-np.abs(z)))
        return float(per.sum())
    if loss == "ce":
        m = z.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(exp_nonpositive(z - m).sum(axis=1))
        return float(lse.sum() - np.vdot(t, z))
    raise ValueError(f"unknown loss {loss!r}")


def loss_norm(loss: str, n: int, k: int) -> int:
    """What :func:`loss_sum` is divided by for N samples of K outputs: the mean is over
    samples and outputs for mse and bce (N*K), over samples for ce (N)."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}")
    return n if loss == "ce" else n * k


def loss_and_delta(
    loss: str, z: np.ndarray, y: np.ndarray, t: np.ndarray, output_activation: str
) -> tuple[float, np.ndarray]:
    """(loss value, dL/dz of the output layer) in one pass - the training hot path.
    Same numbers as :func:`loss_value` and :func:`output_delta`."""
    n, k = y.shape
    if loss == "mse":
        d = y - t
        value = float(np.vdot(d, d)) / (n * k)
        d *= 2.0 / (n * k)
        if output_activation != "identity":
            ACTIVATIONS[output_activation].times_grad(d, z, y)
        return value, d
    d = y - t
    if loss == "ce" and output_activation == "softmax":
        d *= 1.0 / n
        # log-sum-exp from the softmax that the forward pass already computed: at a row's
        # largest logit m the softmax output is y_max = e^(m - lse) >= 1/K, so
        # lse = m - log(y_max) is as accurate as loss_value's form and costs half as much
        lse = z.max(axis=1)
        lse -= np.log(y.max(axis=1))
        return float(lse.sum() - np.vdot(t, z)) / n, d
    d *= 1.0 / (n * k) if loss == "bce" else 1.0 / n
    return loss_value(loss, z, y, t), d


def per_output_loss(loss: str, z: np.ndarray, y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Each sample's and each output's share of the loss, shape (N, K): the terms that
    :func:`loss_value` adds up, normalisation included, so ``per_output_loss(...).sum()``
    equals ``loss_value(...)`` up to rounding. For one sample and one output under mse it
    is (y - t)^2; for ce the share of output k is t_k * (logsumexp(z) - z_k) / N."""
    n, k = y.shape
    if loss == "mse":
        d = y - t
        return d * d / (n * k)
    if loss == "bce":
        per = np.maximum(z, 0.0) - z * t + np.log1p(exp_nonpositive(-np.abs(z)))
        return per / (n * k)
    if loss == "ce":
        m = z.max(axis=1, keepdims=True)
        lse = m + np.log(exp_nonpositive(z - m).sum(axis=1, keepdims=True))
        return t * (lse - z) / n
    raise ValueError(f"unknown loss {loss!r}")


def output_delta(loss: str, z: np.ndarray, y: np.ndarray, t: np.ndarray, fgrad) -> np.ndarray:
    """dL/dz of the output layer, shape (N, K). ``fgrad(z, y)`` is the output activation's
    element-wise derivative (used by mse only; bce and ce fold it in analytically)."""
    n, k = y.shape
    if loss == "mse":
        d = y - t
        d *= 2.0 / (n * k)
        d *= fgrad(z, y)
        return d
    if loss == "bce":
        d = y - t
        d *= 1.0 / (n * k)
        return d
    if loss == "ce":
        d = y - t
        d *= 1.0 / n
        return d
    raise ValueError(f"unknown loss {loss!r}")


def output_dL_dy(loss: str, y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """dL/dy: the loss's derivative with respect to the output activations (N, K).

    Used to show the article's first factor dl/dy_j; the training hot path uses
    :func:`output_delta`, which for bce and ce never forms this (it can divide by 0 when
    a sigmoid output saturates; the result is then +-inf, honestly)."""
    n, k = y.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        if loss == "mse":
            return 2.0 * (y - t) / (n * k)
        if loss == "bce":
            return (y - t) / (y * (1.0 - y)) / (n * k)
        if loss == "ce":
            return -t / y / n
    raise ValueError(f"unknown loss {loss!r}")


@dataclass(frozen=True)
class LossInfo:
    name: str
    formula: str


LOSS_FORMULAS = {
    "mse": "L = 1/(N*K) * sum_n sum_k (y_nk - t_nk)^2",
    "bce": "L = -1/(N*K) * sum_n sum_k [t log y + (1 - t) log(1 - y)],  y = sigmoid(z)",
    "ce": "L = -1/N * sum_n sum_k t_nk log y_nk,  y = softmax(z)",
}
