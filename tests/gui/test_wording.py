"""How numbers and counts are written (issue 12): a value that is exactly zero reads "0"
(IEEE gives -0.0 for 0 x a negative factor, which %g writes "-0") in the chain-rule
inspector, its Markdown export and the network view's numbers; path counts read
"1 path" / "8 paths" in English without a catalogue."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
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


@pytest.mark.parametrize(("hidden", "count"), [([1], 1), ([3, 1], 1), ([2, 4], 4)])
def test_path_counts_read_in_english(qtbot, hidden, count):
    view, text = _shown(qtbot, _request(hidden, [[0.3, 0.7]]))
    d = view.derivation
    assert d.path_count == count and d.paths_complete
    paths = "1 path" if count == 1 else f"{count} paths"
    assert f"{paths} from w(1)_0,0 to the loss." in text
    assert f"Sum over the {paths} of this sample: " in text
    md = view.markdown()
    join = "joins" if count == 1 else "join"
    assert f"{paths} {join} w(1)_0,0 to the loss" in md
    for shown in (text, md):
        assert "path(s)" not in shown and "all 1 paths" not in shown
        assert "(all 1 path" not in shown
    assert (f"(all {count} paths)" in md) == (count > 1)


def test_counts_get_thousands_separators_and_translations_are_kept():
    from backprop_lab.gui.inspector.wording import counted, fmt

    assert fmt(-0.0) == "0" and fmt(-3.1e-7) == "-3.1e-07"
    assert counted("1280 path(s) from %1", 1280) == "1,280 paths from %1"
    assert counted("1 path(s)", 1) == "1 path" and counted("0 path(s)", 0) == "0 paths"
    assert counted("経路 1280 本", 1280) == "経路 1280 本"  # a catalogue's translation


JA_CATALOGUE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>ChainRuleWords</name>
    <message numerus="yes">
        <source>%n path(s) from %1 to the loss.</source>
        <translation><numerusform>%1 から損失への経路は %n 本。</numerusform></translation>
    </message>
</context>
</TS>
"""


def test_a_catalogue_with_numerus_forms_is_used(qtbot, tmp_path):
    """The counted phrases are numerus messages: a compiled catalogue's form is shown as
    it is (the English rule applies only to what no catalogue translated)."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication, QTranslator

    lrelease = shutil.which("pyside6-lrelease") or shutil.which(
        "pyside6-lrelease", path=str(Path(sys.executable).parent)
    )
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    ts, qm = tmp_path / "ja.ts", tmp_path / "ja.qm"
    ts.write_text(JA_CATALOGUE, encoding="utf-8")
    subprocess.run([lrelease, str(ts), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        _, text = _shown(qtbot, _request([2, 4], [[0.3, 0.7]]))
    finally:
        QCoreApplication.removeTranslator(translator)
    assert "w(1)_0,0 から損失への経路は 4 本。" in text
    assert "Sum over the 4 paths of this sample: " in text  # not in the catalogue: English
