"""What a chain-rule derivation is and how it is written: the records
:func:`backprop_lab.engine.chainrule.explain` returns (a :class:`Factor` of a
:class:`Path`, the :class:`Derivation` with its JSON form :meth:`Derivation.to_dict`), the
article's notation for units and weights (:func:`unit`, :func:`weight_symbol`), how
numbers and counts are written (:func:`number_text`, :func:`paths_text`) and the Markdown
worked example (:func:`to_markdown`, in English or Japanese: ``engine.derivation_text``).
No numbers are computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .derivation_text import texts

MAX_ENUMERATED_PATHS = 4_000_000  # beyond this, the largest paths are found by beam search


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


def paths_text(n: int, lang: str = "en") -> str:
    """ "1 path", "3 paths", "1,280 paths"; in Japanese 「8 本の経路」."""
    t = texts(lang)
    return t["path_one" if n == 1 else "path_many"].format(n=f"{n:,}")


def paths_note(count: int, listed: int, complete: bool, lang: str = "en") -> str:
    """Which of the ``count`` paths are listed: all of them (``complete``), else the
    ``listed`` largest - found exactly while they can be enumerated (at most
    :data:`MAX_ENUMERATED_PATHS`), else by beam search."""
    t, paths = texts(lang), paths_text(count, lang)
    if complete:
        return t["note_only"] if count == 1 else t["note_all"].format(paths=paths)
    key = "note_largest" if count <= MAX_ENUMERATED_PATHS else "note_beam"
    return t[key].format(paths=paths, k=listed)


_g = number_text


def to_markdown(d: Derivation, architecture_text: str = "", lang: str = "en") -> str:
    """The whole worked example for one weight and sample, numbers filled in, as Markdown:
    forward values, loss, every factor of every listed path, the sum, the recursive form,
    the numerical check and the update. ``lang`` ("en", "ja": ``derivation_text.LANGS``) chooses the
    words; the numbers and symbols are the same in every language."""
    t = texts(lang)
    lines = [t["title"].format(symbol=d.symbol), ""]
    if architecture_text:
        lines += [t["network"].format(text=architecture_text), ""]
    batch = (
        t["batch_many"].format(n=d.batch_size, sample=d.sample)
        if d.batch_size > 1
        else t["batch_one"].format(sample=d.sample)
    )
    lines += [t["loss_on"].format(loss=d.loss_name, batch=batch), "", t["h_forward"], ""]
    fv = d.forward_values
    lines.append(t["table_head"])
    lines.append("|---|---|")
    for i, v in enumerate(fv["x"]):
        lines.append(f"| x_{i} | {_g(v)} |")
    for q, layer in enumerate(fv["layers"], start=1):
        for j, (z, a) in enumerate(zip(layer["z"], layer["a"], strict=True)):
            lines.append(f"| z({q})_{j} / a({q})_{j} | {_g(z)} / {_g(a)} |")
    for m, v in enumerate(fv["target"]):
        lines.append(t["target_row"].format(m=m, value=_g(v)))
    lines += ["", t["h_loss"], "", f"L = {_g(d.loss)}", ""]
    lines += [t["h_paths"], ""]
    intro = t["paths_intro_one" if d.path_count == 1 else "paths_intro"]
    note = paths_note(d.path_count, len(d.paths), d.paths_complete, lang)
    lines.append(
        intro.format(paths=paths_text(d.path_count, lang), symbol=d.symbol)
        + (f" ({note})" if d.path_count > 1 else "")
    )
    lines.append("")
    for n, p in enumerate(d.paths, start=1):
        factors = " x ".join(f"{f.symbol} = {_g(f.value)}" for f in p.factors)
        lines.append(f"{n}. {factors}  ->  **{_g(p.product)}**")
    lines.append("")
    lines.append(t["sample_sum"].format(sample=d.sample, value=_g(d.sample_sum_of_paths)))
    if d.batch_size > 1:
        lines.append(t["batch_sum"].format(value=_g(d.sum_of_paths - d.regularisation)))
    if d.regularisation:
        lines.append(t["regularisation"].format(value=_g(d.regularisation)))
    lines += ["", f"**dL/d{d.symbol} = {_g(d.sum_of_paths)}**", ""]
    r = d.recursive
    lines += [t["h_recursive"], ""]
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
        lines.append(t["reuse_note"].format(later=d.layer + 1, layer=d.layer))
    else:
        lines.append(t["output_delta"].format(delta=r["delta_symbol"], value=_g(r["delta"])))
    lines.append("")
    lines.append(
        t["product_line"].format(
            symbol=d.symbol, delta=r["delta_symbol"], input=r["input_symbol"],
            d=_g(r["delta"]), i=_g(r["input"]), p=_g(r["sample_product"]), sample=d.sample,
        )
        + (t["product_batch"].format(value=_g(r["batch_sum"])) if d.batch_size > 1 else "")
    )  # fmt: skip
    badge = t["agree"] if d.agree else t["disagree"]
    check = t["check_line"].format(
        gradient=_g(d.gradient, 12), numeric=_g(d.numeric_gradient, 12),
        error=f"{d.relative_error:.2e}", badge=badge,
    )  # fmt: skip
    lines += [
        "",
        t["h_check"],
        "",
        check,
        "",
        t["h_update"],
        "",
        t["rule"].format(optimizer=d.optimizer, rule=d.update_rule),
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
