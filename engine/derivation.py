"""What a chain-rule derivation is and how it is written: the records
:func:`backprop_lab.engine.chainrule.explain` returns (a :class:`Factor` of a
:class:`Path`, the :class:`Derivation` with its JSON form :meth:`Derivation.to_dict`), the
article's notation for units and weights (:func:`unit`, :func:`weight_symbol`), how
numbers and counts are written (:func:`number_text`, :func:`paths_text`) and the Markdown
worked example (:func:`to_markdown`). No numbers are computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


# ----------------------------------------------------------------- Markdown


def number_text(v: float, digits: int = 6) -> str:
    """How a derivation writes a number: ``digits`` significant digits (``%g``), a zero
    always as "0". A product with a zero factor and a negative one is -0.0 in IEEE
    arithmetic, which ``%g`` writes "-0"; no other value rounds to zero at any number of
    significant digits (1e-300 is written 1e-300), so "0" only ever means exactly zero."""
    return f"{v + 0.0:.{digits}g}"  # -0.0 + 0.0 is +0.0; every other value is unchanged


def paths_text(n: int) -> str:
    """ "1 path", "3 paths", "1,280 paths"."""
    return f"{n:,} path" if n == 1 else f"{n:,} paths"


_g = number_text


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
    join = "joins" if d.path_count == 1 else "join"
    lines.append(
        f"{paths_text(d.path_count)} {join} {d.symbol} to the loss; along each one the "
        "derivatives of neighbours are multiplied, then the products are added."
        + (f" ({d.paths_note})" if d.path_count > 1 else "")
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
        f"Backprop: {_g(d.gradient, 12)}   central difference: {_g(d.numeric_gradient, 12)}   "
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
