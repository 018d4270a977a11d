"""The chain-rule inspector (issue 4): MainWindow.inspect_weight, clicks on edges and
heatmap cells, the numbers against engine.chainrule.explain called directly, the orange
paths in the network view, the Markdown export, and a large network (784-256-128-10)
whose first layer has too many paths to list, derived on the worker thread."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.chainrule import MAX_LISTED_PATHS, Derivation, explain
from backprop_lab.engine.chainrule import number_text as written  # how numbers are written
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.engine.trainer import Trainer, TrainingConfig
from backprop_lab.engine.transport.snapshot import make_snapshot
from backprop_lab.gui import MainWindow
from backprop_lab.gui.inspector.chain_rule_view import ChainRuleView
from backprop_lab.gui.inspector.explain_runner import ExplainRequest
from backprop_lab.gui.views import NetworkView
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QWidget

WAIT_MS = 60_000


def direct(w: MainWindow, layer: int, row: int, col: int | None, sample: int) -> Derivation:
    """engine.chainrule.explain on what a paused window derives from: the trainer's
    network on the chosen sample alone, its optimiser and optimiser state."""
    t = w.controller.trainer
    c = t.config
    return explain(
        t.network, t.x[sample : sample + 1], t.t[sample : sample + 1], c.loss, layer, row, col,
        c.optimizer, t.state, 0, c.l2, c.l1,
    )  # fmt: skip


def every_number(d: Derivation) -> list[str]:
    """Every factor of every listed path, each product and the sums, as written (.6g,
    a zero as "0")."""
    out = [written(f.value) for p in d.paths for f in p.factors]
    out += [written(p.product) for p in d.paths]
    out += [written(v) for v in (d.sample_sum_of_paths, d.sum_of_paths, d.weight, d.new_weight)]
    return out


def expected_edges(d: Derivation) -> set[tuple[int, int, int]]:
    """The edges (layer 0-based, j, i) of the derived weight and of its listed paths."""
    edges = {(d.layer - 1, d.row, d.col)} if d.col is not None else set()
    for p in d.paths:
        for m in range(len(p.units) - 1):
            edges.add((d.layer + m, p.units[m + 1], p.units[m]))
    return edges


# ---------------------------------------------------------------------- the numbers
@pytest.mark.parametrize(("layer", "row", "col"), [(1, 2, 1), (2, 5, 3), (3, 0, 6), (2, 1, None)])
def test_inspect_weight_shows_the_engines_derivation(window, qtbot, layer, row, col):
    window.sample_chooser.set_sample_index(11)
    window.step()  # a trained, non-initial state
    with qtbot.waitSignal(window.chain_rule_view.derivationShown, timeout=WAIT_MS):
        window.inspect_weight(layer, row, col)
    view = window.findChild(QWidget, "chainRuleView")
    assert view is window.chain_rule_view
    assert window.findChild(QDockWidget, "dockChainRule").widget() is view
    d = direct(window, layer, row, col, 11)
    shown = view.derivation
    assert shown.gradient == d.gradient and shown.numeric_gradient == d.numeric_gradient
    assert shown.new_weight == d.new_weight and shown.paths == d.paths
    text = view.plain_text()
    assert f"dL/d{d.symbol} = {written(d.gradient)}" in text
    for number in every_number(d):
        assert number in text, number
    for p in d.paths:
        for f in p.factors:
            assert f.symbol in text, f.symbol
    assert f"{written(d.numeric_gradient, 12)}" in text and f"{d.relative_error:.2e}" in text
    assert d.agree and view.badge.text() == "AGREE" and not view.badge.isHidden()
    if layer < 3:  # hidden layers: the paths are counted ("1 path", "8 paths")
        paths = "1 path" if d.path_count == 1 else f"{d.path_count} paths"
        assert f"{paths} from {d.symbol} to the loss." in text
        assert f"Sum over the {paths} of this sample: {written(d.sample_sum_of_paths)}" in text
    if layer < 3:
        for e in d.recursive["reused_deltas"]:
            assert f"{e['delta_symbol']} = {written(e['delta'])}" in text
    assert (
        f"{written(d.weight)} - {written(d.learning_rate)} \u00d7 {written(d.gradient)} = " in text
    )
    assert "training sample 11" in view.title.text()
    if col is not None:
        assert window.network_view.selected_edge() == (layer - 1, row, col)


def test_inspect_weight_counts_layers_from_1_and_checks_the_weight(window):
    with pytest.raises(ValueError):
        window.inspect_weight(0, 0, 0)
    with pytest.raises(ValueError):
        window.inspect_weight(4, 0, 0)
    with pytest.raises(ValueError):
        window.inspect_weight(1, 8, 0)  # layer 1 has units 0..7
    with pytest.raises(ValueError):
        window.inspect_weight(1, 0, 2)  # and inputs 0..1
    window.inspect_weight(3, 0, 7)  # the output layer: weight[0][7]
    assert window.chain_rule_view.derivation.symbol == "w(3)_0,7"


def test_mid_iteration_the_inspector_explains_the_steppers_own_gradient(window, qtbot):
    c = window.controller
    for _ in range(3):
        window.action_step_phase.trigger()
    rows = c.phase_batch_indices
    window.sample_chooser.set_sample_index(int(rows[4]))
    window.inspect_weight(1, 3, 0)
    d = window.chain_rule_view.derivation
    s = c.phase_stepper
    assert d.batch_size == 32 and d.sample == 4
    ref = explain(s.net, s.x, s.t, s.loss, 1, 3, 0, s.optimizer, s.state, 4)
    assert d.gradient == ref.gradient and d.paths == ref.paths
    text = window.chain_rule_view.plain_text()
    assert "The gradient is the batch mean" in text
    assert f"training sample {int(rows[4])}" in text
    before = c.network
    window.action_finish.trigger()  # the gradient the stepper computes is the one shown
    assert float(s.record.backward.dW[0][3, 0]) == d.gradient
    assert float(c.network.weights[0][3, 0]) == d.new_weight
    assert float(before.weights[0][3, 0]) == d.weight


def test_the_inspector_follows_steps(window):
    window.inspect_weight(2, 0, 0)
    first = window.chain_rule_view.derivation
    window.step()
    d = window.chain_rule_view.derivation
    assert d is not first
    assert d.weight == float(window.controller.network.weights[1][0, 0])
    assert d.gradient == direct(window, 2, 0, 0, 0).gradient
    window.reset()
    assert window.chain_rule_view.derivation is None
    assert window.network_view.path_segment_count() == 0


# ---------------------------------------------------------------------- clicks
def test_clicking_an_edge_opens_the_inspector(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    view = window.network_view
    target = (2, 0, 6)
    mid = view.edge_point(*target)
    vb = view.plot.getPlotItem().vb
    pos = view.plot.mapFromScene(vb.mapViewToScene(mid))
    with qtbot.waitSignal(window.chain_rule_view.derivationShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(
            view.plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y())
        )
    assert blocker.args[0].symbol == "w(3)_0,6"
    assert window.docks["dockChainRule"].isVisible()


def test_clicking_a_heatmap_cell_opens_the_inspector(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.docks["dockHeatmaps"].raise_()
    row = window.heatmaps.rows[1]  # layer 2: W is 8 x 8
    image = row.images["W"]
    scene = image.mapToScene(np.float64(5.5), np.float64(3.5))  # column i=5, row j=3
    pos = row.mapFromScene(scene)
    with qtbot.waitSignal(window.chain_rule_view.derivationShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(row.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))
    assert blocker.args[0].symbol == "w(2)_3,5"
    assert window.network_view.selected_edge() == (1, 3, 5)


def test_clicking_a_neuron_inspects_its_bias(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    view = window.network_view
    x, y = view._geometry.node_position(2, 3)  # layer 2, unit 3
    vb = view.plot.getPlotItem().vb
    pos = view.plot.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    with qtbot.waitSignal(window.chain_rule_view.derivationShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(
            view.plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y())
        )
    d = blocker.args[0]
    assert d.symbol == "b(2)_3" and d.kind == "bias"
    assert d.gradient == direct(window, 2, 3, None, 0).gradient
    assert "bias[3] of layer 2" in window.chain_rule_view.title.text()


# ---------------------------------------------------------------------- orange paths
@pytest.mark.parametrize(("layer", "row", "col"), [(1, 2, 1), (2, 4, 4), (3, 0, 3)])
def test_the_paths_of_the_selected_weight_are_drawn_orange(window, layer, row, col):
    window.inspect_weight(layer, row, col)
    d = window.chain_rule_view.derivation
    edges = expected_edges(d)
    view = window.network_view
    assert set(view.path_edges()) == edges
    assert view.path_segment_count() == len(edges)
    assert len(edges) == {1: 1 + 8 + 8, 2: 1 + 1, 3: 1}[layer]
    x, y = view._paths.getData()
    for k, (ly, j, i) in enumerate(view.path_edges()):  # each segment joins its two nodes
        a, b = view.edge_point(ly, j, i, 0.0), view.edge_point(ly, j, i, 1.0)
        assert (x[2 * k], y[2 * k], x[2 * k + 1], y[2 * k + 1]) == (a.x(), a.y(), b.x(), b.y())


# ---------------------------------------------------------------------- Markdown
def test_markdown_export_and_copy_hold_every_factor(window, tmp_path):
    window.step()
    window.inspect_weight(1, 6, 0)
    d = window.chain_rule_view.derivation
    path = tmp_path / "derivation.md"
    assert window.export_derivation(path)
    md = path.read_text(encoding="utf-8")
    for number in every_number(d):
        assert number in md, number
    for p in d.paths:
        for f in p.factors:
            assert f"{f.symbol} = {written(f.value)}" in md
    assert f"{written(d.numeric_gradient, 12)}" in md and "AGREE" in md
    assert "Network: 2 -> 8 tanh -> 8 tanh -> 1 sigmoid, loss bce" in md
    window.action_copy_derivation.trigger()
    assert QGuiApplication.clipboard().text() == md
    assert not window.export_derivation(tmp_path / "missing" / "x.md")
    assert window.last_message[0] == "Cannot export the derivation"


def test_export_without_a_weight_says_so(window, tmp_path):
    assert not window.action_export_derivation.isEnabled()
    assert not window.export_derivation(tmp_path / "x.md")
    assert not (tmp_path / "x.md").exists()


# ---------------------------------------------------------------------- large networks
def _mnist_like(n: int = 160) -> Dataset:
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 10, n)
    x = rng.random((n, 784))
    return Dataset(
        "random784", x, labels[:, None].astype(float), x[:0], np.zeros((0, 1)), labels,
        labels[:0], "classification", 10, tuple(f"p{i}" for i in range(784)), ("digit",),
    )  # fmt: skip


def test_large_network_says_how_many_paths_and_lists_the_largest(window, qtbot):
    data = _mnist_like()
    arch = Architecture.build(784, [256, 128], 10, "relu", "softmax")
    config = TrainingConfig("ce", Optimizer("sgd", 0.1), 128)
    c = window.controller
    c.set_problem(data, arch, config, "he", 0)
    with qtbot.waitSignal(window.chain_rule_view.derivationShown, timeout=WAIT_MS):
        window.inspect_weight(1, 100, 400)
    d = window.chain_rule_view.derivation
    assert d.path_count == 128 * 10 and not d.paths_complete
    assert len(d.paths) == MAX_LISTED_PATHS
    products = [abs(p.product) for p in d.paths]
    assert products == sorted(products, reverse=True)
    text = window.chain_rule_view.plain_text()
    assert "1,280 paths from w(1)_100,400 to the loss." in text and d.paths_note in text
    assert f"{written(d.sample_sum_of_paths)}" in text
    for e in d.recursive["reused_deltas"]:  # the recursive form in full: all 128 deltas
        assert f"{e['delta_symbol']} = {written(e['delta'])}" in text
    assert len(d.recursive["reused_deltas"]) == 128
    # orange: the listed paths' edges whose both ends are drawn (64 units per column)
    view = window.network_view
    g = view._geometry
    drawn = {
        e
        for e in expected_edges(d)
        if g.node_position(e[0], e[2]) is not None and g.node_position(e[0] + 1, e[1]) is not None
    }
    assert set(view.path_edges()) == drawn
    assert view.path_segment_count() == len(drawn) > 0


def test_a_large_batch_is_derived_on_the_worker_and_stale_results_are_ignored(qtbot):
    arch = Architecture.build(784, [256, 128], 10, "relu", "softmax")
    net = init_network(arch, "he", 0)
    data = _mnist_like(128)
    x, t = data.x, data.targets("ce")
    opt = Optimizer("sgd", 0.1)
    view = ChainRuleView()
    qtbot.addWidget(view)

    def request(layer, row, col, xs, ts) -> ExplainRequest:
        return ExplainRequest(net, xs, ts, "ce", layer, row, col, opt, None, 0, 0.0, 0.0, "t")

    big = request(1, 3, 5, x, t)
    assert not big.cheap()
    results = []
    view.runner.finished.connect(results.append)
    view.inspect(big)
    assert view.busy and view.derivation is None
    assert "background thread" in view.title.text()
    with qtbot.waitSignal(view.derivationShown, timeout=WAIT_MS) as blocker:
        pass
    assert results[-1].background
    d = blocker.args[0]
    ref = explain(net, x, t, "ce", 1, 3, 5, opt, None, 0)
    assert d.gradient == ref.gradient and d.agree
    # a slow request overtaken by a cheap one: the cheap one stays on screen
    view.inspect(request(1, 7, 7, x, t))
    small = request(3, 0, 1, x[:1], t[:1])
    view.inspect(small)
    assert view.derivation.symbol == "w(3)_0,1"
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=WAIT_MS)
    assert view.derivation.symbol == "w(3)_0,1"
    assert view.runner.shutdown(5000)


def test_an_unexpected_error_on_the_worker_is_shown_and_the_runner_goes_on(qtbot, monkeypatch):
    from backprop_lab.gui.inspector import explain_runner

    arch = Architecture.build(784, [256, 128], 10, "relu", "softmax")
    net = init_network(arch, "he", 0)
    data = _mnist_like(128)
    opt = Optimizer("sgd", 0.1)
    big = ExplainRequest(
        net, data.x, data.targets("ce"), "ce", 1, 3, 5, opt, None, 0, 0.0, 0.0, "t"
    )
    assert not big.cheap()

    def broken(*args):
        raise TypeError("a bug, not bad numbers")

    monkeypatch.setattr(explain_runner, "explain", broken)
    view = ChainRuleView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.runner.finished, timeout=WAIT_MS) as blocker:
        view.inspect(big)
    result = blocker.args[0]
    assert result.request is big and result.derivation is None and result.background
    assert result.error == "TypeError: a bug, not bad numbers"
    assert "Cannot derive" in view.title.text() and "TypeError" in view.title.text()
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=WAIT_MS)
    assert view.runner.shutdown(5000)


def test_network_view_highlights_only_drawn_path_edges(qtbot):
    arch = Architecture.build(2, [3, 3], 1, "tanh", "sigmoid")
    net = init_network(arch)
    trainer = Trainer(net, np.zeros((4, 2)), np.zeros((4, 1)), TrainingConfig("bce"))
    view = NetworkView()
    qtbot.addWidget(view)
    view.show_snapshot(make_snapshot(trainer, [], [], np.empty((0, 3)), None))
    view.highlight_paths([(0, 1, 0), (1, 2, 1), (2, 0, 2)])
    assert view.path_segment_count() == 3
    view.highlight_paths([])
    assert view.path_segment_count() == 0


def test_before_a_weight_is_chosen_the_inspector_says_what_to_do_in_full(window, qtbot):
    """The hint was a QTextBrowser placeholder: one line, cut off at the dock's right
    edge ("... to see"). It is the word-wrapped title now, whole at 1280x800."""
    from backprop_lab.gui.inspector.chain_rule_view import PLACEHOLDER

    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    view = window.chain_rule_view
    assert view.text.placeholderText() == ""
    title = view.title
    assert title.text() == PLACEHOLDER and title.wordWrap()
    qtbot.waitUntil(lambda: title.width() > 0)
    needed = title.fontMetrics().boundingRect(
        0, 0, title.width(), 10_000, Qt.TextFlag.TextWordWrap, PLACEHOLDER
    )
    assert needed.height() <= title.height()  # every line of it fits
    window.inspect_weight(1, 0, 0)
    assert title.text() != PLACEHOLDER
    window.reset()
    assert title.text() == PLACEHOLDER
