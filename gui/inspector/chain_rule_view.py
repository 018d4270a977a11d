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
from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, Slot
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
from ..model.live_text import reworded
from .chain_rule_html import badge_text, derivation_html, fmt, fmt12
from .explain_runner import ExplainRequest, ExplainResult, ExplainRunner

AGREE_STYLE = "QLabel { background: #1e7d32; color: white; padding: 2px 8px; font-weight: bold; }"
DISAGREE_STYLE = (
    "QLabel { background: #b71c1c; color: white; padding: 2px 8px; font-weight: bold; }"
)
PLACEHOLDER = (
    "Click an edge in the network view (or a cell of a weight heatmap) to see how the "
    "chain rule gives that weight's gradient, with this network's numbers."
)


def placeholder() -> str:
    """:data:`PLACEHOLDER` in the current language."""
    return QCoreApplication.translate(
        "ChainRuleView",
        "Click an edge in the network view (or a cell of a weight heatmap) to see how the "
        "chain rule gives that weight's gradient, with this network's numbers.",
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
        self._error: str | None = None  # why the request on screen could not be derived
        self.runner = ExplainRunner(self)
        self.runner.finished.connect(self._on_finished)

        # before a weight is chosen the title says what to do, wrapped to the dock's width
        # (a QTextBrowser's placeholder is one line, cut off at the right)
        self.title = QLabel(placeholder(), objectName="chainRuleTitle")
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
        self._error = None
        result = self.runner.submit(request)
        if result is None:
            self._show_computing(request)
            self.badge.setVisible(False)

    def clear(self) -> None:
        """Forget the weight (a new problem or a reset)."""
        self._request = None
        self._derivation = None
        self._error = None
        self.title.setText(placeholder())
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
        head = self.tr("{0}, loss {1}; {2}").format(
            arch.describe(), d.loss_name, reworded(self._request.label)
        )
        return markdown_of(d, head)

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
            raise ValueError(self.tr("there is no derivation to export: select a weight first"))
        atomic_write(path, md.encode("utf-8"))

    # ------------------------------------------------------------ results
    @Slot(object)
    def _on_finished(self, result: ExplainResult) -> None:
        if result.request is not self._request:
            return  # stale: another weight or newer numbers were asked for since
        if result.derivation is None:
            self._error = result.error
            self._show_error(result.request, result.error)
            self.badge.setVisible(False)
            self.text.clear()
            return
        self._derivation = result.derivation
        self._seconds = result.seconds
        self._render(result.request, result.derivation)
        self.derivationShown.emit(result.derivation)

    def _show_computing(self, r: ExplainRequest) -> None:
        self.title.setText(
            self.tr(
                "Computing dL/d{0} ({1}) on a background thread - a large network or batch..."
            ).format(_symbol(r), reworded(r.label))
        )

    def _show_error(self, r: ExplainRequest, error: str | None) -> None:
        self.title.setText(self.tr("Cannot derive dL/d{0}: {1}").format(_symbol(r), error))

    def retranslate(self) -> None:
        """What is on screen again in the current language: the placeholder, the
        message while computing or the error, or the whole derivation."""
        r, d = self._request, self._derivation
        if r is None:
            self.title.setText(placeholder())
        elif d is not None:
            self._render(r, d)
        elif self._error is not None:
            self._show_error(r, self._error)
        else:
            self._show_computing(r)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _render(self, r: ExplainRequest, d: Derivation) -> None:
        depth = r.net.depth
        where = (
            self.tr("weight[{0}][{1}] of layer {2} (input {1} \u2192 unit {0})").format(
                d.row, d.col, d.layer
            )
            if d.col is not None
            else self.tr("bias[{0}] of layer {1} (unit {0})").format(d.row, d.layer)
        )
        label = reworded(r.label)
        self.title.setText(f"dL/d{d.symbol} = {fmt(d.gradient)}   \u2014 {where}; {label}")
        self.badge.setText(badge_text(d.agree))
        self.badge.setStyleSheet(AGREE_STYLE if d.agree else DISAGREE_STYLE)
        self.badge.setToolTip(
            self.tr("backprop {0} vs central difference {1}: relative error {2}").format(
                fmt12(d.gradient), fmt12(d.numeric_gradient), f"{d.relative_error:.2e}"
            )
        )
        self.badge.setVisible(True)
        self.text.setHtml(derivation_html(d, depth, r.training_sample))


def markdown_of(d: Derivation, head: str) -> str:
    """The worked example of ``d`` as Markdown in the window's language - the one place
    the inspector asks the engine for it."""
    return to_markdown(d, head, current_language())


def _symbol(r: ExplainRequest) -> str:
    return f"b({r.layer})_{r.row}" if r.col is None else f"w({r.layer})_{r.row},{r.col}"


__all__ = ["ChainRuleView", "fmt", "path_edges"]
