"""The chain-rule inspector: the article's equations for one weight, with the user's
numbers (objectName ``chainRuleView``).

For the weight w(l)_j,i (layer l from 1, unit j and input i from 0: the JSON model's
``weight[j][i]``) it shows what :func:`engine.chainrule.explain` derived - nothing is
computed here:

* output layer: dL/dw = dL/dy_j x dy_j/dz_j x dz_j/dw_ji, every factor named and valued
  (bce and ce give dL/dz directly: they are computed from the logits);
* hidden layer: one row per path from the weight to the loss with its factors and
  product, then the sum - and the same number in the recursive delta form, with the
  deltas of the later layer it reuses; when there are more paths than are worth listing,
  how many there are, the largest ones, and the recursive form in full;
* the numerical gradient (central differences) with the relative error and an
  AGREE / DISAGREE badge;
* the update with the optimiser's rule: w - eta * dL/dw = new w for plain SGD.

Derivations come from an :class:`~gui.inspector.explain_runner.ExplainRunner` (in the
GUI thread when cheap, else on a worker; a stale result is ignored). ``derivationShown``
is emitted when one is on screen; :meth:`markdown` is the whole worked example
(``engine.chainrule.to_markdown``) for "Copy as Markdown" and "Export derivation...".
"""

from __future__ import annotations

import html
import os

from backprop_lab.engine.chainrule import Derivation, Path, to_markdown
from backprop_lab.engine.formats import atomic_write
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .explain_runner import ExplainRequest, ExplainResult, ExplainRunner

AGREE_STYLE = "QLabel { background: #1e7d32; color: white; padding: 2px 8px; font-weight: bold; }"
DISAGREE_STYLE = (
    "QLabel { background: #b71c1c; color: white; padding: 2px 8px; font-weight: bold; }"
)
MAX_TABLE_ROWS = 24
PLACEHOLDER = (
    "Click an edge in the network view (or a cell of a weight heatmap) to see how the "
    "chain rule gives that weight's gradient, with this network's numbers."
)


def fmt(v: float) -> str:
    """How every number is written (the same as the Markdown export)."""
    return f"{v:.6g}"


def path_edges(d: Derivation) -> list[tuple[int, int, int]]:
    """The network edges ``(layer, j, i)`` (layer 0-based, ``weights[layer][j, i]``) of
    the listed paths from the derived weight to the loss, the weight itself first, each
    edge once."""
    seen: dict[tuple[int, int, int], None] = {}
    if d.col is not None:
        seen[(d.layer - 1, d.row, d.col)] = None
    for p in d.paths:
        for m in range(len(p.units) - 1):
            seen[(d.layer - 1 + m + 1, p.units[m + 1], p.units[m])] = None
    return list(seen)


class ChainRuleView(QWidget):
    """The chain-rule inspector (see the module docstring)."""

    derivationShown = Signal(object)  # engine.chainrule.Derivation, once it is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chainRuleView")
        self._request: ExplainRequest | None = None
        self._derivation: Derivation | None = None
        self._seconds = 0.0
        self.runner = ExplainRunner(self)
        self.runner.finished.connect(self._on_finished)

        self.title = QLabel("Chain rule", objectName="chainRuleTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge = QLabel("", objectName="chainRuleBadge")
        self.badge.setVisible(False)
        self.copy_button = QToolButton(objectName="copyMarkdownButton")
        self.export_button = QToolButton(objectName="exportDerivationButton")
        self.text = QTextBrowser(objectName="chainRuleText")
        self.text.setOpenLinks(False)
        self.text.setPlaceholderText(PLACEHOLDER)
        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout()
        row.addWidget(self.badge)
        row.addStretch(1)
        row.addWidget(self.copy_button)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)

    # ------------------------------------------------------------ public API
    def set_actions(self, copy: QAction, export: QAction) -> None:
        """Make the buttons trigger the window's Copy / Export actions."""
        self.copy_button.setDefaultAction(copy)
        self.export_button.setDefaultAction(export)

    @property
    def derivation(self) -> Derivation | None:
        """The derivation on screen (None while computing or before any)."""
        return self._derivation

    @property
    def request(self) -> ExplainRequest | None:
        """The weight and data asked for last."""
        return self._request

    @property
    def busy(self) -> bool:
        """True while the newest request is being computed on the worker."""
        return self._request is not None and self._derivation is None and self.runner.busy

    def inspect(self, request: ExplainRequest) -> None:
        """Show the derivation for ``request`` (at once when cheap, else when the worker
        is done; a request for the same weight on the same numbers as the last one is
        not made again)."""
        if request.same_as(self._request):
            return  # on screen already, or on its way
        self._request = request
        self._derivation = None
        result = self.runner.submit(request)
        if result is None:
            self.title.setText(
                f"Computing dL/d{_symbol(request)} ({request.label}) on a background "
                "thread - a large network or batch..."
            )
            self.badge.setVisible(False)

    def clear(self) -> None:
        """Forget the weight (a new problem or a reset)."""
        self._request = None
        self._derivation = None
        self.title.setText("Chain rule")
        self.badge.setVisible(False)
        self.text.clear()

    def plain_text(self) -> str:
        """Everything the inspector shows, as plain text (title, badge, body)."""
        return "\n".join((self.title.text(), self.badge.text(), self.text.toPlainText()))

    def markdown(self) -> str | None:
        """The whole worked example as Markdown (None without a derivation)."""
        d = self._derivation
        if d is None:
            return None
        arch = self._request.net.architecture
        head = f"{arch.describe()}, loss {d.loss_name}; {self._request.label}"
        return to_markdown(d, head)

    def copy_markdown(self) -> bool:
        """Put :meth:`markdown` on the clipboard; False without a derivation."""
        md = self.markdown()
        if md is None:
            return False
        QGuiApplication.clipboard().setText(md)
        return True

    def export_markdown(self, path: str | os.PathLike) -> None:
        """Write :meth:`markdown` to ``path`` atomically (UTF-8). Raises OSError, or
        ValueError without a derivation."""
        md = self.markdown()
        if md is None:
            raise ValueError("there is no derivation to export: select a weight first")
        atomic_write(path, md.encode("utf-8"))

    # ------------------------------------------------------------ results
    @Slot(object)
    def _on_finished(self, result: ExplainResult) -> None:
        if result.request is not self._request:
            return  # stale: another weight or newer numbers were asked for since
        if result.derivation is None:
            self.title.setText(f"Cannot derive dL/d{_symbol(result.request)}: {result.error}")
            self.badge.setVisible(False)
            self.text.clear()
            return
        self._derivation = result.derivation
        self._seconds = result.seconds
        self._render(result.request, result.derivation)
        self.derivationShown.emit(result.derivation)

    def _render(self, r: ExplainRequest, d: Derivation) -> None:
        depth = r.net.depth
        where = (
            f"weight[{d.row}][{d.col}] of layer {d.layer} (input {d.col} \u2192 unit {d.row})"
            if d.col is not None
            else f"bias[{d.row}] of layer {d.layer} (unit {d.row})"
        )
        self.title.setText(f"dL/d{d.symbol} = {fmt(d.gradient)}   \u2014 {where}; {r.label}")
        self.badge.setText("AGREE" if d.agree else "DISAGREE")
        self.badge.setStyleSheet(AGREE_STYLE if d.agree else DISAGREE_STYLE)
        self.badge.setToolTip(
            f"backprop {d.gradient:.12g} vs central difference {d.numeric_gradient:.12g}: "
            f"relative error {d.relative_error:.2e}"
        )
        self.badge.setVisible(True)
        paths = _output_layer(d) if d.layer == depth else _hidden_layer(d)
        parts = [_intro(r, d), paths, _recursive(d), _numeric(d), _update(d)]
        self.text.setHtml("".join(parts))


# ---------------------------------------------------------------- HTML pieces


def _symbol(r: ExplainRequest) -> str:
    return f"b({r.layer})_{r.row}" if r.col is None else f"w({r.layer})_{r.row},{r.col}"


def _e(s: str) -> str:
    return html.escape(s)


def _article_order(p: Path) -> list:
    """The factors from the loss back to the weight, as the article writes them."""
    return list(reversed(p.factors))


def _intro(r: ExplainRequest, d: Derivation) -> str:
    if d.batch_size > 1:
        data = (
            f"a mini-batch of {d.batch_size} samples; the paths below are those of batch "
            f"row {d.sample}"
            + (f" (training sample {r.training_sample})" if r.training_sample is not None else "")
            + ". <b>The gradient is the batch mean</b>: every sample's paths are added, the "
            "1/N sits in dL/dz."
        )
    else:
        data = "one training sample" + (
            f" (sample {r.training_sample})" if r.training_sample is not None else ""
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
        f"<p>{d.path_count:,} path(s) join {_e(d.symbol)} to the loss. Along each one the "
        "derivatives of neighbours are multiplied; then the paths are added.</p>",
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


def _sums(d: Derivation) -> str:
    lines = [f"Sum over all {d.path_count:,} path(s) of this sample: {fmt(d.sample_sum_of_paths)}"]
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
        f"<p>backprop: {d.gradient:.12g}<br>central difference: {d.numeric_gradient:.12g}<br>"
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


__all__ = ["ChainRuleView", "fmt", "path_edges"]
