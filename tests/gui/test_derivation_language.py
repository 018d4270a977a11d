"""The inspector's "Copy derivation as Markdown" / "Export derivation..." write the worked
example in the window's language (engine.derivation_text), with the same numbers."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.gui import i18n
from backprop_lab.gui.inspector.chain_rule_view import ChainRuleView
from backprop_lab.gui.inspector.explain_runner import ExplainRequest


def _view(qtbot) -> ChainRuleView:
    net = init_network(Architecture.build(2, [3, 2], 1, "tanh", "sigmoid"), "xavier", 3)
    x, t = np.array([[0.3, 0.7]]), np.array([[0.25]])
    view = ChainRuleView()
    qtbot.addWidget(view)
    view.inspect(ExplainRequest(net, x, t, "mse", 1, 0, 1, Optimizer("sgd", 0.5), None, 0,
                                0.0, 0.0, "test"))  # fmt: skip
    assert view.derivation is not None
    return view


def _numbers(text: str) -> Counter:
    body = text.split("\n", 3)[3]  # past the title and the window's own header line
    return Counter(re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", body))


def test_the_markdown_follows_the_window_language(qapp, qtbot):
    view = _view(qtbot)
    english = view.markdown()
    assert "## 1. Forward pass" in english
    i18n.apply_language("ja")
    try:
        japanese = view.markdown()
    finally:
        i18n.apply_language("en")
    assert "## 1. 順伝播" in japanese and "2 本の経路" in japanese
    assert _numbers(japanese) == _numbers(english)
    assert view.markdown() == english
