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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .activations import ACTIVATIONS
from .gradcheck import numerical_gradient
from .network import Network
from .optimizers import Optimizer, OptimizerState
from .phases import backward, compute_loss, forward, update

MAX_LISTED_PATHS = 300  # more than this: list the largest contributions only
MAX_ENUMERATED_PATHS = 4_000_000  # beyond this, the largest are found by beam search
AGREE_TOLERANCE = 1e-6  # relative error under which backprop and the numeric check agree
NUMERIC_STEP = 1e-3  # five-point central difference step (float64), shrunk near ReLU kinks


@dataclass(frozen=True)
class Factor:
    symbol: str
    value: float
    meaning: str = ""


@dataclass(frozen=True)
class Path:
    units: tuple[int, ...]  # unit index (0-based) in each layer from l to L
    factors: tuple[Factor, ...]
    product: float


@dataclass(frozen=True)
class Derivation:
    """Everything the inspector, ``backprop-lab explain`` and the Markdown export show."""

    layer: int  # 1-based
    row: int  # j (0-based)
    col: int | None  # i (0-based); None for a bias
    kind: str  # "weight" or "bias"
    symbol: str
    loss_name: str
    loss: float
    weight: float
    gradient: float  # the engine's backward pass (batch gradient incl. regularisation)
    numeric_gradient: float
    relative_error: float
    agree: bool
    sample: int  # the sample whose paths are listed
    batch_size: int
    path_count: int
    paths: tuple[Path, ...]  # listed paths (all, or the largest |product|)
    paths_complete: bool
    paths_note: str
    sample_sum_of_paths: float  # the chosen sample's paths added up
    sum_of_paths: float  # every sample's paths added up (+ regularisation): = gradient
    regularisation: float
    recursive: dict
    forward_values: dict
    new_weight: float
    update_rule: str
    learning_rate: float
    optimizer: str
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "layer": self.layer,
            "row": self.row,
            "col": self.col,
            "kind": self.kind,
            "symbol": self.symbol,
            "loss_function": self.loss_name,
            "loss": self.loss,
            "weight": self.weight,
            "gradient": self.gradient,
            "numeric_gradient": self.numeric_gradient,
            "relative_error": self.relative_error,
            "agree": self.agree,
            "sample": self.sample,
            "batch_size": self.batch_size,
            "path_count": self.path_count,
            "paths_complete": self.paths_complete,
            "paths_note": self.paths_note,
            "paths": [
                {
                    "units": list(p.units),
                    "factors": [{"symbol": f.symbol, "value": f.value} for f in p.factors],
                    "product": p.product,
                }
                for p in self.paths
            ],
            "sample_sum_of_paths": self.sample_sum_of_paths,
            "regularisation": self.regularisation,
            "sum_of_paths": self.sum_of_paths,
            "recursive": self.recursive,
            "forward": self.forward_values,
            "learning_rate": self.learning_rate,
            "optimizer": self.optimizer,
            "update_rule": self.update_rule,
            "new_weight": self.new_weight,
        }


# ----------------------------------------------------------------- notation


def unit(kind: str, layer: int, j: int) -> str:
    """Article-style names: x_0, z(2)_3, a(2)_3. Layers count from 1 (the first layer
    after the input); units count from 0, as the indices of the weight files' arrays."""
    return f"x_{j}" if layer == 0 else f"{kind}({layer})_{j}"


def weight_symbol(layer: int, j: int, i: int | None) -> str:
    """w(l)_j,i is ``weight[j][i]`` of layer l in the JSON model; b(l)_j its bias."""
    return f"b({layer})_{j}" if i is None else f"w({layer})_{j},{i}"


# ----------------------------------------------------------------- the derivation


def _fprime(net: Network, layer0: int, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return ACTIVATIONS[net.architecture.layers[layer0].activation].grad(z, a)


def _output_factors(loss: str, out_layer: int, m: int, dLdy, dydz, dLdz) -> list[Factor]:
    y, z = f"y_{m}", unit("z", out_layer, m)
    if loss == "mse":
        return [
            Factor(f"dL/d{y}", float(dLdy), "loss with respect to the output"),
            Factor(f"d{y}/d{z}", float(dydz), "output activation's derivative"),
        ]
    return [Factor(f"dL/d{z}", float(dLdz), f"{loss} from the logits: (y - t) / N")]


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
    per_sample = _path_sums(net, l0, row, a_in, fprimes, dLdz_out)  # (N,)
    sample_sum = float(per_sample[sample])
    total = float(per_sample.sum()) + reg

    listed, complete, note = _list_paths(
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


def _path_sums(net, l0, row, a_in, fprimes, dLdz_out) -> np.ndarray:
    """Every sample's sum over all paths, by pushing the per-path products forward layer
    by layer (sums of products, never the recursion backward uses)."""
    depth = net.depth
    if l0 == depth - 1:
        return a_in * dLdz_out[:, row]
    # v[n, k]: sum over partial paths ending at unit k of the current layer, of the product
    # of the factors from the weight up to and including dz(k)/da(prev)
    v = (a_in * fprimes[0][:, row])[:, None] * net.weights[l0 + 1][:, row][None, :]
    for q in range(l0 + 1, depth - 1):
        v = (v * fprimes[q - l0]) @ net.weights[q + 1].T
    return (v * dLdz_out).sum(axis=1)


def _list_paths(net, loss, l0, row, col, sample, a_in, fprimes, dLdy, dydz, dLdz, count, k):
    """The paths of one sample: all of them if there are at most ``k``, else the ``k``
    with the largest |product| (exactly when they can be enumerated, else by beam search)."""
    depth = net.depth
    later = [net.architecture.layers[q].units for q in range(l0 + 1, depth)]
    # per-layer factor vectors of this sample
    first = float(a_in[sample])
    in_sym = f"d{unit('z', l0 + 1, row)}/d{weight_symbol(l0 + 1, row, col)}"
    if count <= MAX_ENUMERATED_PATHS:
        # the products of all paths as a tensor with one axis per later layer
        if l0 == depth - 1:
            prods = np.array(first * dLdz[sample, row])
        else:
            prods = first * fprimes[0][sample, row] * net.weights[l0 + 1][:, row]
            for q in range(l0 + 1, depth):
                if q > l0 + 1:
                    prods = prods[..., :, None] * net.weights[q].T
                prods = prods * (fprimes[q - l0][sample] if q < depth - 1 else dLdz[sample])
        flat = np.ravel(prods)
        if flat.size <= k:
            order = np.arange(flat.size)
        else:
            order = np.argpartition(-np.abs(flat), k - 1)[:k]
            order = order[np.argsort(-np.abs(flat[order]), kind="stable")]
        unit_paths = [np.unravel_index(int(o), tuple(later)) if later else () for o in order]
        complete = flat.size <= k
        note = (
            f"all {count} paths"
            if complete
            else f"{count:,} paths: the {k} with the largest contribution are listed"
        )
    else:
        unit_paths = _beam_paths(net, l0, row, sample, first, fprimes, dLdz, k)
        complete = False
        note = f"{count:,} paths: the {len(unit_paths)} largest found by beam search are listed"
    paths = [
        _path(net, loss, l0, row, col, sample, tuple(int(u) for u in up), first, in_sym,
              fprimes, dLdy, dydz, dLdz)
        for up in unit_paths
    ]  # fmt: skip
    return paths, complete, note


def _beam_paths(net, l0, row, sample, first, fprimes, dLdz, k, beam=2_000):
    depth = net.depth
    partial = [((), first * fprimes[0][sample, row])]
    for q in range(l0 + 1, depth):
        cand = []
        for units, val in partial:
            prev = units[-1] if units else row
            col_w = net.weights[q][:, prev]
            f = fprimes[q - l0][sample] if q < depth - 1 else dLdz[sample]
            vals = val * col_w * f
            for kk in np.argsort(-np.abs(vals))[: max(1, beam // max(1, len(partial)))]:
                cand.append(((*units, int(kk)), float(vals[kk])))
        cand.sort(key=lambda c: -abs(c[1]))
        partial = cand[:beam]
    return [u for u, _ in partial[:k]]


def _path(net, loss, l0, row, col, sample, units, first, in_sym, fprimes, dLdy, dydz, dLdz):
    depth = net.depth
    factors = [Factor(in_sym, first, "the input the weight multiplies" if col is not None
                      else "a bias multiplies 1")]  # fmt: skip
    chain = (row, *units)
    for q in range(l0, depth):
        j = chain[q - l0]
        if q < depth - 1:
            factors.append(
                Factor(f"d{unit('a', q + 1, j)}/d{unit('z', q + 1, j)}",
                       float(fprimes[q - l0][sample, j]), "activation's derivative f'(z)")
            )  # fmt: skip
            k = chain[q - l0 + 1]
            factors.append(
                Factor(f"d{unit('z', q + 2, k)}/d{unit('a', q + 1, j)}",
                       float(net.weights[q + 1][k, j]),
                       f"the weight {weight_symbol(q + 2, k, j)}")
            )  # fmt: skip
        else:
            m = j
            factors.extend(
                _output_factors(
                    loss, depth, m,
                    None if dLdy is None else dLdy[sample, m],
                    None if dydz is None else dydz[sample, m],
                    dLdz[sample, m],
                )
            )  # fmt: skip
    product = math.prod(f.value for f in factors)
    return Path(units=chain, factors=tuple(factors), product=float(product))


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


# ----------------------------------------------------------------- Markdown


def _g(v: float) -> str:
    return f"{v:.6g}"


def to_markdown(d: Derivation, architecture_text: str = "") -> str:
    """The whole worked example for one weight and sample, numbers filled in, as Markdown:
    forward values, loss, every factor of every listed path, the sum, the recursive form,
    the numerical check and the update."""
    lines = [f"# dL/d{d.symbol}: the chain rule with real numbers", ""]
    if architecture_text:
        lines += [f"Network: {architecture_text}", ""]
    batch = (
        f"a mini-batch of {d.batch_size} samples; the paths listed are those of sample "
        f"{d.sample} (the gradient is the batch mean: the 1/N sits in dL/dz)"
        if d.batch_size > 1
        else f"one training sample (sample {d.sample})"
    )
    lines += [f"Loss `{d.loss_name}` on {batch}.", "", "## 1. Forward pass", ""]
    fv = d.forward_values
    lines.append("| node | value |")
    lines.append("|---|---|")
    for i, v in enumerate(fv["x"]):
        lines.append(f"| x_{i} | {_g(v)} |")
    for q, layer in enumerate(fv["layers"], start=1):
        for j, (z, a) in enumerate(zip(layer["z"], layer["a"], strict=True)):
            lines.append(f"| z({q})_{j} / a({q})_{j} | {_g(z)} / {_g(a)} |")
    for m, v in enumerate(fv["target"]):
        lines.append(f"| target t_{m} | {_g(v)} |")
    lines += ["", "## 2. Loss", "", f"L = {_g(d.loss)}", ""]
    lines += ["## 3. The gradient, path by path", ""]
    lines.append(
        f"{d.path_count:,} path(s) join {d.symbol} to the loss; along each one the "
        "derivatives of neighbours are multiplied, then the paths are added. "
        f"({d.paths_note})"
    )
    lines.append("")
    for n, p in enumerate(d.paths, start=1):
        factors = " x ".join(f"{f.symbol} = {_g(f.value)}" for f in p.factors)
        lines.append(f"{n}. {factors}  ->  **{_g(p.product)}**")
    lines.append("")
    lines.append(f"Sum over the paths of sample {d.sample}: {_g(d.sample_sum_of_paths)}")
    if d.batch_size > 1:
        lines.append(f"Sum over every sample's paths: {_g(d.sum_of_paths - d.regularisation)}")
    if d.regularisation:
        lines.append(f"Regularisation term: {_g(d.regularisation)}")
    lines += ["", f"**dL/d{d.symbol} = {_g(d.sum_of_paths)}**", ""]
    r = d.recursive
    lines += ["## 4. The same number, reusing the later layer's delta", ""]
    if "reused_deltas" in r:
        terms = " + ".join(
            f"{e['weight_symbol']} ({_g(e['weight'])}) x {e['delta_symbol']} ({_g(e['delta'])})"
            for e in r["reused_deltas"]
        )
        lines.append(
            f"{r['delta_symbol']} = {r['fprime_symbol']} ({_g(r['fprime'])}) x "
            f"[{terms}] = {_g(r['delta'])}"
        )
        lines.append("")
        lines.append(r["reuse_note"] + ".")
    else:
        lines.append(f"{r['delta_symbol']} = dL/dz of the output unit = {_g(r['delta'])}")
    lines.append("")
    lines.append(
        f"dL/d{d.symbol} = {r['delta_symbol']} x {r['input_symbol']} = {_g(r['delta'])} x "
        f"{_g(r['input'])} = {_g(r['sample_product'])} for sample {d.sample}"
        + (f"; summed over the batch: {_g(r['batch_sum'])}" if d.batch_size > 1 else "")
    )
    badge = "AGREE" if d.agree else "DISAGREE"
    lines += [
        "",
        "## 5. Numerical check",
        "",
        f"Backprop: {d.gradient:.12g}   central difference: {d.numeric_gradient:.12g}   "
        f"relative error: {d.relative_error:.2e}   **{badge}**",
        "",
        "## 6. Update",
        "",
        f"Rule ({d.optimizer}): {d.update_rule}",
        "",
        f"{d.symbol}: {_g(d.weight)} -> {_g(d.new_weight)}"
        + (
            f"   (= {_g(d.weight)} - {_g(d.learning_rate)} x {_g(d.gradient)})"
            if d.optimizer == "sgd"
            else ""
        ),
        "",
    ]
    return "\n".join(lines)
