"""The chain-rule inspector's body as HTML: for one :class:`engine.chainrule.Derivation`,
the introduction (loss, data, weight), the paths (the output layer's one path as a
factor table, a hidden layer's paths as rows), the sums, the recursive delta form, the
numerical check and the update - every number the derivation's, none computed here.
Numbers and counts are written as :mod:`.wording` says ("0", never "-0"; "1 path").
"""

from __future__ import annotations

import html

from backprop_lab.engine.chainrule import Derivation, Path, number_text
from PySide6.QtCore import QObject

from .wording import counted, fmt

MAX_TABLE_ROWS = 24


def fmt12(v: float) -> str:
    """The numerical check's 12 significant digits (a zero as "0")."""
    return number_text(v, 12)


def derivation_html(d: Derivation, depth: int, training_sample: int | None) -> str:
    """The whole body for derivation ``d`` of a ``depth``-layer network; the listed
    paths are those of training sample ``training_sample`` (None: unknown)."""
    paths = _output_layer(d) if d.layer == depth else _hidden_layer(d)
    parts = [_intro(d, training_sample), paths, _recursive(d), _numeric(d), _update(d)]
    return "".join(parts)


def _e(s: str) -> str:
    return html.escape(s)


def _article_order(p: Path) -> list:
    """The factors from the loss back to the weight, as the article writes them."""
    return list(reversed(p.factors))


def _intro(d: Derivation, training_sample: int | None) -> str:
    if d.batch_size > 1:
        data = (
            f"a mini-batch of {d.batch_size} samples; the paths below are those of batch "
            f"row {d.sample}"
            + (f" (training sample {training_sample})" if training_sample is not None else "")
            + ". <b>The gradient is the batch mean</b>: every sample's paths are added, the "
            "1/N sits in dL/dz."
        )
    else:
        data = "one training sample" + (
            f" (sample {training_sample})" if training_sample is not None else ""
        )
    return (
        f"<p>Loss <b>{_e(d.loss_name)}</b> = {fmt(d.loss)} on {data} "
        f"Weight now: {_e(d.symbol)} = {fmt(d.weight)}.</p>"
    )


def _factor_table(factors: list) -> str:
    rows = "".join(
        f"<tr><td><b>{_e(f.symbol)}</b></td><td>{_e(f.meaning)}</td>"
        f"<td align='right'>{fmt(f.value)}</td></tr>"
        for f in factors
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='3'>"
        "<tr><th>factor</th><th>what it is</th><th>value</th></tr>" + rows + "</table>"
    )


def _rows(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A table - or, beyond MAX_TABLE_ROWS, one line per row: Qt lays a long rich-text
    table out slowly (~180 ms for 300 paths), plain lines in a few ms."""
    if len(rows) <= MAX_TABLE_ROWS:
        th = "".join(f"<th>{h}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        return f"<table border='1' cellspacing='0' cellpadding='3'><tr>{th}</tr>{body}</table>"
    lines = [" | ".join(r) for r in rows]
    return "<p><i>" + " | ".join(head) + "</i><br>" + "<br>".join(lines) + "</p>"


def _output_layer(d: Derivation) -> str:
    p = d.paths[0]
    factors = _article_order(p)
    formula = " \u00d7 ".join(_e(f.symbol) for f in factors)
    values = " \u00d7 ".join(fmt(f.value) for f in factors)
    note = (
        ""
        if d.loss_name == "mse"
        else f"<p><i>{_e(d.loss_name)} is computed from the logits: dL/dy \u00d7 dy/dz "
        "is one factor dL/dz = (y - t) / N.</i></p>"
    )
    out = [
        "<h3>Output layer: one path from the weight to the loss</h3>",
        f"<p><b>dL/d{_e(d.symbol)} = {formula}</b></p>",
        _factor_table(factors),
        note,
        f"<p>= {values} = <b>{fmt(p.product)}</b> for this sample</p>",
    ]
    out.append(_sums(d))
    return "".join(out)


def _hidden_layer(d: Derivation) -> str:
    out = [
        "<h3>Every path from the weight to the loss</h3>",
        "<p>"
        + _w().paths_from(d.path_count).replace("%1", _e(d.symbol))
        + " Along each one the derivatives of neighbours are multiplied; then the products "
        "are added.</p>",
    ]
    if not d.paths_complete:
        out.append(
            f"<p><b>{_e(d.paths_note)}.</b> Their sum is only part of the gradient; the "
            "recursive form below gives all of it.</p>"
        )
    rows = []
    for n, p in enumerate(d.paths, start=1):
        units = " \u2192 ".join(
            f"{q}:{u}" for q, u in zip(range(d.layer, d.layer + len(p.units)), p.units, strict=True)
        )
        factors = " \u00d7 ".join(f"{_e(f.symbol)} = {fmt(f.value)}" for f in _article_order(p))
        cells = (str(n), f"{units} \u2192 L", factors, f"<b>{fmt(p.product)}</b>")
        rows.append(cells)
    out.append(_rows(("#", "path (layer:unit)", "factors", "product"), rows))
    out.append(_sums(d))
    return "".join(out)


class ChainRuleWords(QObject):
    """The body's counted phrases. ``self.tr`` with the count is the form
    ``pyside6-lupdate`` marks as numerus (it does not for ``QCoreApplication.translate``),
    so a catalogue gets one entry per plural form; :func:`.wording.counted` makes the
    untranslated English read right."""

    def paths_from(self, n: int) -> str:
        """ "3 paths from %1 to the loss." (%1: the weight's symbol)."""
        return counted(self.tr("%n path(s) from %1 to the loss.", "", n), n)

    def paths_sum(self, n: int) -> str:
        """ "Sum over the 3 paths of this sample: %1" (%1: the sum)."""
        return counted(self.tr("Sum over the %n path(s) of this sample: %1", "", n), n)


_words: ChainRuleWords | None = None


def _w() -> ChainRuleWords:
    global _words
    if _words is None:
        _words = ChainRuleWords()
    return _words


def _sums(d: Derivation) -> str:
    lines = [_w().paths_sum(d.path_count).replace("%1", fmt(d.sample_sum_of_paths))]
    if d.batch_size > 1:
        lines.append(
            f"Sum over every sample's paths (the batch): {fmt(d.sum_of_paths - d.regularisation)}"
        )
    if d.regularisation:
        lines.append(f"Regularisation term (l2 w + l1 sign w): {fmt(d.regularisation)}")
    lines.append(f"<b>dL/d{_e(d.symbol)} = {fmt(d.sum_of_paths)}</b>")
    return "<p>" + "<br>".join(lines) + "</p>"


def _recursive(d: Derivation) -> str:
    r = d.recursive
    out = ["<h3>The same number, reusing the later layer's delta</h3>"]
    if "reused_deltas" in r:
        terms = _rows(
            ("k", "weight", "reused delta"),
            [
                (
                    str(e["k"]),
                    f"{_e(e['weight_symbol'])} = {fmt(e['weight'])}",
                    f"{_e(e['delta_symbol'])} = {fmt(e['delta'])}",
                )
                for e in r["reused_deltas"]
            ],
        )
        out += [
            f"<p>{_e(r['delta_symbol'])} = {_e(r['fprime_symbol'])} \u00d7 "
            f"\u03a3<sub>k</sub> w<sub>k,{d.row}</sub> \u00d7 delta<sub>k</sub> = "
            f"{fmt(r['fprime'])} \u00d7 {fmt(r['weighted_sum'])} = <b>{fmt(r['delta'])}</b></p>",
            f"<p><i>{_e(r['reuse_note'])}.</i></p>",
            terms,
        ]
    else:
        out.append(
            f"<p>{_e(r['delta_symbol'])} = dL/dz of the output unit = <b>{fmt(r['delta'])}</b>"
            " - the error signal every earlier layer starts from.</p>"
        )
    batch = f"; summed over the batch: {fmt(r['batch_sum'])}" if d.batch_size > 1 else ""
    out.append(
        f"<p>dL/d{_e(d.symbol)} = {_e(r['delta_symbol'])} \u00d7 {_e(r['input_symbol'])} = "
        f"{fmt(r['delta'])} \u00d7 {fmt(r['input'])} = {fmt(r['sample_product'])} for this "
        f"sample{batch}</p>"
    )
    return "".join(out)


def _numeric(d: Derivation) -> str:
    colour = "#1e7d32" if d.agree else "#b71c1c"
    badge = "AGREE" if d.agree else "DISAGREE"
    return (
        "<h3>Numerical check</h3>"
        f"<p>backprop: {fmt12(d.gradient)}<br>central difference: {fmt12(d.numeric_gradient)}<br>"
        f"relative error: {d.relative_error:.2e} "
        f"<span style='background:{colour}; color:white'>&nbsp;<b>{badge}</b>&nbsp;</span></p>"
    )


def _update(d: Derivation) -> str:
    rule = f"<p>Rule ({_e(d.optimizer)}): {_e(d.update_rule)}</p>"
    if d.optimizer == "sgd":
        calc = (
            f"<p><b>{_e(d.symbol)}: {fmt(d.weight)} - {fmt(d.learning_rate)} \u00d7 "
            f"{fmt(d.gradient)} = {fmt(d.new_weight)}</b></p>"
        )
    else:
        calc = (
            f"<p><b>{_e(d.symbol)}: {fmt(d.weight)} \u2192 {fmt(d.new_weight)}</b> "
            f"(eta = {fmt(d.learning_rate)}, with the optimiser's running state)</p>"
        )
    return "<h3>Update</h3>" + rule + calc


__all__ = ["MAX_TABLE_ROWS", "ChainRuleWords", "derivation_html", "fmt", "fmt12"]
