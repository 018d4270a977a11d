"""The article's chain rule with the user's numbers: one weight's gradient as a sum over
every path from that weight to the loss, and as the recursive delta form that reuses what
the later layer already computed.

For the weight w(l)_ji (layer l counted from 1, unit j, input i - ``weights[l-1][j, i]``)
and one sample, a path visits one unit in each later layer, k_{l+1}, ..., k_L, and

    dL/dw(l)_ji = sum over paths of
        dz(l)_j/dw_ji * da(l)_j/dz(l)_j * dz(l+1)_k/da(l)_j * da(l+1)_k/dz(l+1)_k * ...
        * dL/dz(L)_m

where dz(l)_j/dw_ji = a(l-1)_i (x_i for the first layer), dz(q+1)_k/da(q)_j = w(q+1)_kj and
da/dz = f'(z). At the output, mse shows dL/dy_m * dy_m/dz_m; bce and ce are computed from
the logits, so their factor is dL/dz_m = (y_m - t_m)/(N*K) resp. (y_m - t_m)/N directly.
The recursive form is dL/dw_ji = delta(l)_j * a(l-1)_i with
delta(l)_j = f'(z(l)_j) * sum_k w(l+1)_kj * delta(l+1)_k - the delta of the later layer is
reused, which is what makes backprop cheap.

For a mini-batch the gradient is the sum over samples of their path sums (the 1/N of the
mean lives in dL/dz); the listed paths are those of one chosen sample.

The records and their Markdown live in :mod:`.derivation`, the path sums and listings in
:mod:`.chainrule_paths`; the names are importable from here too.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS
from .chainrule_paths import MAX_ENUMERATED_PATHS, list_paths, path_sums
from .derivation import (
    Derivation,
    Factor,
    Path,
    number_text,
    paths_text,
    to_markdown,
    unit,
    weight_symbol,
)
from .gradcheck import numerical_gradient
from .network import Network
from .optimizers import Optimizer, OptimizerState
from .phases import backward, compute_loss, forward, update

__all__ = [
    "AGREE_TOLERANCE",
    "MAX_ENUMERATED_PATHS",
    "MAX_LISTED_PATHS",
    "NUMERIC_STEP",
    "Derivation",
    "Factor",
    "Path",
    "explain",
    "number_text",
    "paths_text",
    "to_markdown",
    "unit",
    "weight_symbol",
]

MAX_LISTED_PATHS = 300  # more than this: list the largest contributions only
AGREE_TOLERANCE = 1e-6  # relative error under which backprop and the numeric check agree
NUMERIC_STEP = 1e-3  # five-point central difference step (float64), shrunk near ReLU kinks


def _fprime(net: Network, layer0: int, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return ACTIVATIONS[net.architecture.layers[layer0].activation].grad(z, a)


def explain(
    net: Network,
    x: np.ndarray,
    t: np.ndarray,
    loss: str,
    layer: int,
    row: int,
    col: int | None,
    optimizer: Optimizer | None = None,
    state: OptimizerState | None = None,
    sample: int = 0,
    l2: float = 0.0,
    l1: float = 0.0,
    max_listed: int = MAX_LISTED_PATHS,
) -> Derivation:
    """Derive dL/dw for ``weights[layer-1][row, col]`` (``col=None``: the bias of unit
    ``row``) on the batch (x, t) (N, .), listing the paths of sample ``sample``."""
    arch = net.architecture
    depth = net.depth
    if not 1 <= layer <= depth:
        raise ValueError(f"layer must be between 1 and {depth}, got {layer}")
    l0 = layer - 1
    units, inputs = net.weights[l0].shape
    if not 0 <= row < units:
        raise ValueError(f"layer {layer} has units 0..{units - 1}; got unit {row}")
    if col is not None and not 0 <= col < inputs:
        raise ValueError(f"layer {layer} has inputs 0..{inputs - 1}; got input {col}")
    if col is None and not arch.bias:
        raise ValueError("the network has no biases")
    x = np.asarray(x, net.dtype)
    t = np.asarray(t, net.dtype)
    n = len(x)
    if not 0 <= sample < n:
        raise ValueError(f"sample must be between 0 and {n - 1}, got {sample}")
    optimizer = optimizer or Optimizer("sgd", 0.1)
    state = state or optimizer.init_state(net)

    with np.errstate(all="ignore"):
        fwd = forward(net, x)
        lrec = compute_loss(net, fwd, t, loss, l2, l1)
        bwd = backward(net, fwd, lrec, l2, l1)
        upd = update(net, bwd, optimizer, state)
    kind = "weight" if col is not None else "bias"
    index = (row, col) if col is not None else (row,)
    if col is not None:
        gradient = float(bwd.dW[l0][row, col])
        w_old, w_new = float(net.weights[l0][row, col]), float(upd.after.weights[l0][row, col])
    else:
        gradient = float(bwd.db[l0][row])
        w_old, w_new = float(net.biases[l0][row]), float(upd.after.biases[l0][row])
    numeric = numerical_gradient(
        net, x, t, loss, l0, index, kind, h=_numeric_step(net, fwd, l0), l2=l2, l1=l1, order=4
    )
    rel = abs(gradient - numeric) / max(abs(gradient) + abs(numeric), 1e-300)
    reg = 0.0
    if col is not None:
        reg = l2 * w_old + l1 * float(np.sign(w_old))

    # per-sample quantities along the paths
    a_in = (fwd.x if l0 == 0 else fwd.a[l0 - 1])[:, col] if col is not None else np.ones(n)
    fprimes = [_fprime(net, q, fwd.z[q], fwd.a[q]) for q in range(l0, depth - 1)]
    y = fwd.a[-1]
    dLdz_out = lrec.delta  # (N, K)
    dLdy = lrec.dL_dy if loss == "mse" else None
    dydz = _fprime(net, depth - 1, fwd.z[-1], y) if loss == "mse" else None

    path_count = int(np.prod([arch.layers[q].units for q in range(l0 + 1, depth)], dtype=object))
    per_sample = path_sums(net, l0, row, a_in, fprimes, dLdz_out)  # (N,)
    sample_sum = float(per_sample[sample])
    total = float(per_sample.sum()) + reg

    listed, complete, note = list_paths(
        net, loss, l0, row, col, sample, a_in, fprimes, dLdy, dydz, dLdz_out, path_count,
        max_listed,
    )  # fmt: skip

    recursive = _recursive_form(net, fwd, bwd, l0, row, col, sample)
    fwd_values = {
        "x": [float(v) for v in fwd.x[sample]],
        "layers": [
            {"z": [float(v) for v in fwd.z[q][sample]], "a": [float(v) for v in fwd.a[q][sample]]}
            for q in range(depth)
        ],
        "target": [float(v) for v in t[sample]],
    }
    return Derivation(
        layer=layer, row=row, col=col, kind=kind, symbol=weight_symbol(layer, row, col),
        loss_name=loss, loss=float(lrec.value), weight=w_old, gradient=gradient,
        numeric_gradient=float(numeric), relative_error=float(rel),
        agree=bool(rel < AGREE_TOLERANCE or abs(gradient - numeric) < 1e-12),
        sample=sample, batch_size=n, path_count=path_count, paths=tuple(listed),
        paths_complete=complete, paths_note=note, sample_sum_of_paths=sample_sum,
        sum_of_paths=total, regularisation=reg, recursive=recursive, forward_values=fwd_values,
        new_weight=w_new, update_rule=optimizer.rule(), learning_rate=optimizer.lr,
        optimizer=optimizer.name,
    )  # fmt: skip


def _numeric_step(net: Network, fwd, l0: int) -> float:
    """NUMERIC_STEP, made smaller when a relu/leaky_relu pre-activation downstream of the
    weight sits so close to 0 that the nudged loss would cross the kink."""
    margins = [
        float(np.abs(fwd.z[q]).min())
        for q in range(l0, net.depth)
        if net.architecture.layers[q].activation in ("relu", "leaky_relu")
    ]
    if not margins:
        return NUMERIC_STEP
    return float(min(NUMERIC_STEP, max(0.05 * min(margins), 1e-6)))


def _recursive_form(net, fwd, bwd, l0, row, col, sample) -> dict:
    """dL/dw_ji = sum_n delta(l)_nj * a(l-1)_ni, and delta(l)_j from the later deltas."""
    depth = net.depth
    delta = bwd.delta[l0]
    a_prev = fwd.x if l0 == 0 else fwd.a[l0 - 1]
    out = {
        "delta_symbol": f"delta({l0 + 1})_{row}",
        "delta": float(delta[sample, row]),
        "input_symbol": unit("a", l0, col) if col is not None else "1",
        "input": float(a_prev[sample, col]) if col is not None else 1.0,
        "sample_product": float(
            delta[sample, row] * (a_prev[sample, col] if col is not None else 1.0)
        ),
        "batch_sum": float((delta[:, row] * (a_prev[:, col] if col is not None else 1.0)).sum()),
    }
    if l0 < depth - 1:
        fp = _fprime(net, l0, fwd.z[l0], fwd.a[l0])[sample, row]
        nxt = bwd.delta[l0 + 1][sample]
        w = net.weights[l0 + 1][:, row]
        out["fprime"] = float(fp)
        out["fprime_symbol"] = f"da({l0 + 1})_{row}/dz({l0 + 1})_{row}"
        out["reused_deltas"] = [
            {
                "k": int(k),
                "weight_symbol": weight_symbol(l0 + 2, int(k), row),
                "weight": float(w[k]),
                "delta_symbol": f"delta({l0 + 2})_{int(k)}",
                "delta": float(nxt[k]),
            }
            for k in range(len(w))
        ]
        out["weighted_sum"] = float(np.dot(w, nxt))
        out["reuse_note"] = (
            f"delta({l0 + 2}) was already computed for layer {l0 + 2}; layer {l0 + 1} "
            "reuses it instead of walking every path again"
        )
    return out
