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

The body is HTML written by :mod:`.chain_rule_html`; this module is the widget.

Derivations come from an :class:`~gui.inspector.explain_runner.ExplainRunner` (in the
GUI thread when cheap, else on a worker; a stale result is ignored). ``derivationShown``
is emitted when one is on screen; :meth:`markdown` is the whole worked example
(``engine.chainrule.to_markdown``) for "Copy as Markdown" and "Export derivation...".
"""

from __future__ import annotations

import os

from backprop_lab.engine.chainrule import Derivation, to_markdown
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

from ..i18n import current_language
from .chain_rule_html import derivation_html, fmt, fmt12
from .explain_runner import ExplainRequest, ExplainResult, ExplainRunner

AGREE_STYLE = "QLabel { background: #1e7d32; color: white; padding: 2px 8px; font-weight: bold; }"
DISAGREE_STYLE = (
    "QLabel { background: #b71c1c; color: white; padding: 2px 8px; font-weight: bold; }"
)
PLACEHOLDER = (
    "Click an edge in the network view (or a cell of a weight heatmap) to see how the "
    "chain rule gives that weight's gradient, with this network's numbers."
)


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

        # before a weight is chosen the title says what to do, wrapped to the dock's width
        # (a QTextBrowser's placeholder is one line, cut off at the right)
        self.title = QLabel(PLACEHOLDER, objectName="chainRuleTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge = QLabel("", objectName="chainRuleBadge")
        self.badge.setVisible(False)
        self.copy_button = QToolButton(objectName="copyMarkdownButton")
        self.export_button = QToolButton(objectName="exportDerivationButton")
        self.text = QTextBrowser(objectName="chainRuleText")
        self.text.setOpenLinks(False)
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
        self.title.setText(PLACEHOLDER)
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
        return to_markdown(d, head, current_language())  # the window's language

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
            f"backprop {fmt12(d.gradient)} vs central difference {fmt12(d.numeric_gradient)}: "
            f"relative error {d.relative_error:.2e}"
        )
        self.badge.setVisible(True)
        self.text.setHtml(derivation_html(d, depth, r.training_sample))


def _symbol(r: ExplainRequest) -> str:
    return f"b({r.layer})_{r.row}" if r.col is None else f"w({r.layer})_{r.row},{r.col}"


__all__ = ["ChainRuleView", "fmt", "path_edges"]
