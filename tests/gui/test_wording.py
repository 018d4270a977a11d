"""How numbers and counts are written (issue 12): a value that is exactly zero reads "0"
(IEEE gives -0.0 for 0 x a negative factor, which %g writes "-0") in the chain-rule
inspector, its Markdown export and the network view's numbers; path counts read
"1 path" / "8 paths" in English without a catalogue."""

from __future__ import annotations

import math
import re

import numpy as np
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.gui.inspector.chain_rule_view import ChainRuleView
from backprop_lab.gui.inspector.explain_runner import ExplainRequest

MINUS_ZERO = re.compile(r"(?<![\w.])-0(?![\w.])")  # "-0" as a number, not "-0.5" or "-0e"


def _request(hidden, x, layer=1, row=0, col=0) -> ExplainRequest:
    arch = Architecture.build(2, hidden, 1, "tanh", "sigmoid")
    net = init_network(arch, "xavier", 3)
    x = np.asarray(x, dtype=float)
    t = np.full((len(x), 1), 0.25)
    return ExplainRequest(
        net, x, t, "mse", layer, row, col, Optimizer("sgd", 0.5), None, 0, 0.0, 0.0, "test"
    )


def _shown(qtbot, request: ExplainRequest) -> tuple[ChainRuleView, str]:
    view = ChainRuleView()
    qtbot.addWidget(view)
    view.inspect(request)  # cheap: derived at once
    assert view.derivation is not None
    return view, view.plain_text()


def test_the_network_views_numbers_never_write_minus_zero():
    from backprop_lab.engine.stepper import PhaseStepper
    from backprop_lab.gui.model.phase_frame import build_frame
    from backprop_lab.gui.views.network_geometry import Geometry, label_texts

    arch = Architecture.build(2, [6, 6], 1, "relu", "sigmoid")
    net = init_network(arch, "he", 5)
    x, t = np.array([[0.8, -0.6]]), np.array([[1.0]])
    stepper = PhaseStepper(net, x, t, "bce", Optimizer("sgd", 0.5), None)
    while stepper.next is not None and stepper.next.kind != "update":
        stepper.advance()
    # an inactive relu unit (f'(z) = 0) with a negative back-propagated sum: delta -0.0
    deltas = np.concatenate([d[0] for d in stepper.delta[:-1]])
    assert any(v == 0 and math.copysign(1, v) < 0 for v in deltas)
    frame = build_frame(stepper)
    g = Geometry(arch, 64)
    texts = [text for _, _, text in label_texts(g, frame)]
    texts += [frame.node_info(c, u) for c in range(1, 4) for u in range(arch.sizes[c])]
    texts += [frame.edge_info(0, j, i) for j in range(6) for i in range(2)]
    assert any("δ 0" in text for text in texts)  # the zero delta beside its node
    for text in texts:
        assert not MINUS_ZERO.findall(text), text


def test_a_zero_path_product_is_written_0_not_minus_0(qtbot):
    # x_0 = 0: every path of w(1)_j,0 starts with the factor 0, so products whose other
    # factors multiply to a negative number are -0.0
    request = _request([3, 3], [[0.0, 0.7]])
    view, text = _shown(qtbot, request)
    d = view.derivation
    assert any(p.product == 0 and math.copysign(1, p.product) < 0 for p in d.paths)
    assert not MINUS_ZERO.findall(text), MINUS_ZERO.findall(text)
    assert not MINUS_ZERO.findall(view.markdown())
    assert not MINUS_ZERO.findall(view.text.toHtml())
