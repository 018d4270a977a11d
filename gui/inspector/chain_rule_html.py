"""The chain-rule inspector's body as HTML: for one :class:`engine.chainrule.Derivation`,
the introduction (loss, data, weight), the paths (the output layer's one path as a
factor table, a hidden layer's paths as rows), the sums, the recursive delta form, the
numerical check and the update - every number the derivation's, none computed here.
Numbers and counts are written as :mod:`.wording` says ("0", never "-0"; "1 path").

Words: in the current language (contexts "ChainRuleHtml" and "ChainRuleWords", the
"views" catalogue); the numbers and symbols are the same in every language. What the
engine writes in English beside its numbers (a factor's meaning, the note on the listed
paths, the reuse note) is written here again from the derivation's own fields - the
English exactly as the engine's - so it follows the language too (:func:`meaning`,
:func:`paths_note`, :func:`reuse_note`).
"""

from __future__ import annotations

import html

from backprop_lab.engine.chainrule import Derivation, Factor, Path, number_text
from backprop_lab.engine.chainrule_paths import MAX_ENUMERATED_PATHS
from PySide6.QtCore import QCoreApplication, QObject

from .wording import counted, fmt, grouped

translate = QCoreApplication.translate

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
    loss, value, symbol, weight = _e(d.loss_name), fmt(d.loss), _e(d.symbol), fmt(d.weight)
    if d.batch_size > 1:
        which = (
            translate("ChainRuleHtml", " (training sample {0})").format(training_sample)
            if training_sample is not None
            else ""
        )
        return translate(
            "ChainRuleHtml",
            "<p>Loss <b>{0}</b> = {1} on a mini-batch of {2} samples; the paths below are "
            "those of batch row {3}{4}. <b>The gradient is the batch mean</b>: every "
            "sample's paths are added, the 1/N sits in dL/dz. Weight now: {5} = {6}.</p>",
        ).format(loss, value, d.batch_size, d.sample, which, symbol, weight)
    which = (
        translate("ChainRuleHtml", " (sample {0})").format(training_sample)
        if training_sample is not None
        else ""
    )
    return translate(
        "ChainRuleHtml",
        "<p>Loss <b>{0}</b> = {1} on one training sample{2} Weight now: {3} = {4}.</p>",
    ).format(loss, value, which, symbol, weight)


def meaning(f: Factor) -> str:
    """What factor ``f`` is, in the current language: the engine's words
    (``engine.chainrule_paths``) translated, anything unforeseen as the engine wrote it."""
    m = f.meaning
    fixed = {
        "the input the weight multiplies": translate(
            "ChainRuleHtml", "the input the weight multiplies"
        ),
        "a bias multiplies 1": translate("ChainRuleHtml", "a bias multiplies 1"),
        "activation's derivative f'(z)": translate(
            "ChainRuleHtml", "activation's derivative f'(z)"
        ),
        "loss with respect to the output": translate(
            "ChainRuleHtml", "loss with respect to the output"
        ),
        "output activation's derivative": translate(
            "ChainRuleHtml", "output activation's derivative"
        ),
    }
    if m in fixed:
        return fixed[m]
    if m.startswith("the weight "):
        return translate("ChainRuleHtml", "the weight {0}").format(m[len("the weight ") :])
    tail = " from the logits: (y - t) / N"
    if m.endswith(tail):
        return translate("ChainRuleHtml", "{0} from the logits: (y - t) / N").format(
            m[: -len(tail)]
        )
    return m


def paths_note(d: Derivation) -> str:
    """Which paths are listed when not all of them are (the engine's ``paths_note``), in
    the current language; "" when every path is listed."""
    if d.paths_complete:
        return ""
    if d.path_count > MAX_ENUMERATED_PATHS:
        return _w().largest_by_beam(d.path_count, len(d.paths))
    return _w().largest_listed(d.path_count, len(d.paths))


def reuse_note(d: Derivation) -> str:
    """The recursive form's note (the engine's ``reuse_note``) in the current language."""
    return translate(
        "ChainRuleHtml",
        "delta({0}) was already computed for layer {0}; layer {1} reuses it instead of "
        "walking every path again",
    ).format(d.layer + 1, d.layer)


def _factor_table(factors: list) -> str:
    rows = "".join(
        f"<tr><td><b>{_e(f.symbol)}</b></td><td>{_e(meaning(f))}</td>"
        f"<td align='right'>{fmt(f.value)}</td></tr>"
        for f in factors
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='3'>"
        + translate("ChainRuleHtml", "<tr><th>factor</th><th>what it is</th><th>value</th></tr>")
        + rows
        + "</table>"
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
        else translate(
            "ChainRuleHtml",
            "<p><i>{0} is computed from the logits: dL/dy \u00d7 dy/dz is one factor "
            "dL/dz = (y - t) / N.</i></p>",
        ).format(_e(d.loss_name))
    )
    out = [
        translate("ChainRuleHtml", "<h3>Output layer: one path from the weight to the loss</h3>"),
        f"<p><b>dL/d{_e(d.symbol)} = {formula}</b></p>",
        _factor_table(factors),
        note,
        translate("ChainRuleHtml", "<p>= {0} = <b>{1}</b> for this sample</p>").format(
            values, fmt(p.product)
        ),
    ]
    out.append(_sums(d))
    return "".join(out)


def _hidden_layer(d: Derivation) -> str:
    out = [
        translate("ChainRuleHtml", "<h3>Every path from the weight to the loss</h3>"),
        "<p>"
        + _w().paths_from(d.path_count).replace("%1", _e(d.symbol))
        + translate(
            "ChainRuleHtml",
            " Along each one the derivatives of neighbours are multiplied; then the "
            "products are added.",
        )
        + "</p>",
    ]
    if not d.paths_complete:
        out.append(
            translate(
                "ChainRuleHtml",
                "<p><b>{0}.</b> Their sum is only part of the gradient; the recursive form "
                "below gives all of it.</p>",
            ).format(_e(paths_note(d)))
        )
    rows = []
    for n, p in enumerate(d.paths, start=1):
        units = " \u2192 ".join(
            f"{q}:{u}" for q, u in zip(range(d.layer, d.layer + len(p.units)), p.units, strict=True)
        )
        factors = " \u00d7 ".join(f"{_e(f.symbol)} = {fmt(f.value)}" for f in _article_order(p))
        cells = (str(n), f"{units} \u2192 L", factors, f"<b>{fmt(p.product)}</b>")
        rows.append(cells)
    head = (
        "#",
        translate("ChainRuleHtml", "path (layer:unit)"),
        translate("ChainRuleHtml", "factors"),
        translate("ChainRuleHtml", "product"),
    )
    out.append(_rows(head, rows))
    out.append(_sums(d))
    return "".join(out)


class ChainRuleWords(QObject):
    """The body's counted phrases. ``self.tr`` with the count is the form
    ``pyside6-lupdate`` marks as numerus (it does not for ``QCoreApplication.translate``),
    so a catalogue gets one entry per plural form; :func:`.wording.counted` makes the
    untranslated English read right."""

    def paths_from(self, n: int) -> str:
        """ "3 paths from %1 to the loss." (%1: the weight's symbol)."""
        return grouped(counted(self.tr("%n path(s) from %1 to the loss.", "", n), n), n)

    def paths_sum(self, n: int) -> str:
        """ "Sum over the 3 paths of this sample: %1" (%1: the sum)."""
        return grouped(counted(self.tr("Sum over the %n path(s) of this sample: %1", "", n), n), n)

    def largest_listed(self, n: int, k: int) -> str:
        """ "1,280 paths: the 24 with the largest contribution are listed"."""
        text = self.tr("%n path(s): the %1 with the largest contribution are listed", "", n)
        return grouped(counted(text, n), n).replace("%1", str(k))

    def largest_by_beam(self, n: int, k: int) -> str:
        """ "5,000,000 paths: the 24 largest found by beam search are listed"."""
        text = self.tr("%n path(s): the %1 largest found by beam search are listed", "", n)
        return grouped(counted(text, n), n).replace("%1", str(k))


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
            translate("ChainRuleHtml", "Sum over every sample's paths (the batch): {0}").format(
                fmt(d.sum_of_paths - d.regularisation)
            )
        )
    if d.regularisation:
        lines.append(
            translate("ChainRuleHtml", "Regularisation term (l2 w + l1 sign w): {0}").format(
                fmt(d.regularisation)
            )
        )
    lines.append(f"<b>dL/d{_e(d.symbol)} = {fmt(d.sum_of_paths)}</b>")
    return "<p>" + "<br>".join(lines) + "</p>"


def _recursive(d: Derivation) -> str:
    r = d.recursive
    out = [translate("ChainRuleHtml", "<h3>The same number, reusing the later layer's delta</h3>")]
    if "reused_deltas" in r:
        terms = _rows(
            ("k", translate("ChainRuleHtml", "weight"), translate("ChainRuleHtml", "reused delta")),
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
            translate("ChainRuleHtml", "<p><i>{0}.</i></p>").format(_e(reuse_note(d))),
            terms,
        ]
    else:
        out.append(
            translate(
                "ChainRuleHtml",
                "<p>{0} = dL/dz of the output unit = <b>{1}</b> - the error signal every "
                "earlier layer starts from.</p>",
            ).format(_e(r["delta_symbol"]), fmt(r["delta"]))
        )
    batch = (
        translate("ChainRuleHtml", "; summed over the batch: {0}").format(fmt(r["batch_sum"]))
        if d.batch_size > 1
        else ""
    )
    symbols = (_e(d.symbol), _e(r["delta_symbol"]), _e(r["input_symbol"]))
    values = (fmt(r["delta"]), fmt(r["input"]), fmt(r["sample_product"]))
    out.append(
        translate(
            "ChainRuleHtml",
            "<p>dL/d{0} = {1} \u00d7 {2} = {3} \u00d7 {4} = {5} for this sample{6}</p>",
        ).format(*symbols, *values, batch)
    )
    return "".join(out)


def _numeric(d: Derivation) -> str:
    colour = "#1e7d32" if d.agree else "#b71c1c"
    badge = badge_text(d.agree)
    return translate(
        "ChainRuleHtml",
        "<h3>Numerical check</h3><p>backprop: {0}<br>central difference: {1}<br>relative "
        "error: {2} ",
    ).format(fmt12(d.gradient), fmt12(d.numeric_gradient), f"{d.relative_error:.2e}") + (
        f"<span style='background:{colour}; color:white'>&nbsp;<b>{badge}</b>&nbsp;</span></p>"
    )


def badge_text(agree: bool) -> str:
    """The numerical check's verdict: "AGREE" or "DISAGREE" (in the current language)."""
    return translate("ChainRuleHtml", "AGREE") if agree else translate("ChainRuleHtml", "DISAGREE")


def _update(d: Derivation) -> str:
    rule = translate("ChainRuleHtml", "<p>Rule ({0}): {1}</p>").format(
        _e(d.optimizer), _e(d.update_rule)
    )
    if d.optimizer == "sgd":
        calc = (
            f"<p><b>{_e(d.symbol)}: {fmt(d.weight)} - {fmt(d.learning_rate)} \u00d7 "
            f"{fmt(d.gradient)} = {fmt(d.new_weight)}</b></p>"
        )
    else:
        calc = translate(
            "ChainRuleHtml",
            "<p><b>{0}: {1} \u2192 {2}</b> (eta = {3}, with the optimiser's running state)</p>",
        ).format(_e(d.symbol), fmt(d.weight), fmt(d.new_weight), fmt(d.learning_rate))
    return translate("ChainRuleHtml", "<h3>Update</h3>") + rule + calc


__all__ = [
    "MAX_TABLE_ROWS",
    "ChainRuleWords",
    "badge_text",
    "derivation_html",
    "fmt",
    "fmt12",
    "meaning",
    "paths_note",
    "reuse_note",
]
