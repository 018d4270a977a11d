"""The views draw exactly what real engine snapshots carry (pytest-qt, offscreen)."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine import Architecture, Optimizer, Trainer, TrainingConfig, predict
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.network import init_network
from backprop_lab.engine.transport.snapshot import GridSpec, Snapshot, make_snapshot
from backprop_lab.gui.views import (
    DecisionView,
    GradientHeatmaps,
    GradNormPlot,
    LossPlot,
    NetworkView,
)
from backprop_lab.gui.views.axes import axis_end, rounded_out
from backprop_lab.gui.views.colormaps import nice_ceiling
from backprop_lab.gui.views.loss_plot import MAX_VAL_SYMBOLS
from backprop_lab.gui.views.network_geometry import LEVEL_EDGES
from backprop_lab.gui.views.network_view import LEVEL_INTENSITY
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QTabWidget, QWidget

# ---------------------------------------------------------------- real snapshots


class Run:
    """A real trainer and the snapshots it makes, with every record the views should show."""

    def __init__(self, sizes=(2, 8, 8, 1), data="circles", loss="bce", out="sigmoid", n=200):
        if data == "random":
            rng = np.random.default_rng(0)
            x = rng.standard_normal((n, sizes[0]))
            t = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
            self.dataset = None
            x_val, t_val = x[:16], t[:16]
        else:
            self.dataset = make_dataset(data, n)
            d = self.dataset
            x, t, x_val, t_val = d.x, d.targets(loss), d.x_val, d.targets(loss, "val")
        arch = Architecture.build(sizes[0], sizes[1:-1], sizes[-1], "tanh", out)
        config = TrainingConfig(loss=loss, optimizer=Optimizer("sgd", 0.1), batch_size=32)
        self.trainer = Trainer(init_network(arch, seed=1), x, t, config, x_val, t_val)
        self.grid = GridSpec.around(x) if sizes[0] == 2 else None
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.norms: list[tuple[float, ...]] = []

    def snapshot(self, iterations: int = 7) -> Snapshot:
        steps, losses, norms = [], [], []
        rec = None
        for _ in range(iterations):
            rec = self.trainer.step()
            steps.append(rec.step)
            losses.append(rec.loss.value)
            norms.append(rec.backward.grad_norms)
        self.steps += steps
        self.losses += losses
        self.norms += norms
        depth = self.trainer.network.depth
        return make_snapshot(
            self.trainer, steps, losses, np.reshape(norms, (-1, depth)), rec, grid_spec=self.grid
        )

    def first_snapshot(self) -> Snapshot:
        """Before any step: no gradient, no update."""
        depth = self.trainer.network.depth
        return make_snapshot(self.trainer, [], [], np.empty((0, depth)), None, grid_spec=self.grid)


def shown(qtbot, widget: QWidget, w: int = 700, h: int = 500) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(w, h)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def frozen_copies(arrays) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(a, np.array(a, copy=True)) for a in arrays if a is not None]


def assert_unchanged(pairs) -> None:
    for ref, copy in pairs:
        np.testing.assert_array_equal(ref, copy)


# ---------------------------------------------------------------- loss plot


def test_loss_plot_first_item_holds_every_loss_by_step(qtbot) -> None:
    run = Run()
    plot = shown(qtbot, LossPlot())
    assert plot.objectName() == "lossPlot"
    snaps = [run.snapshot(k) for k in (5, 1, 9, 3)]
    for s in snaps:
        plot.show_snapshot(s)
    first = plot.getPlotItem().listDataItems()[0]
    x, y = first.getOriginalDataset()
    np.testing.assert_array_equal(x, np.arange(1, 19))
    np.testing.assert_array_equal(x, run.steps)
    np.testing.assert_array_equal(y, run.losses)
    # validation loss and accuracy: one point per snapshot, at its step
    val = plot.getPlotItem().listDataItems()[1]
    vx, vy = val.getOriginalDataset()
    np.testing.assert_array_equal(vx, [s.step for s in snaps])
    np.testing.assert_array_equal(vy, [s.val_loss for s in snaps])
    ax, ay = plot._val_acc.getOriginalDataset()
    np.testing.assert_array_equal(ax, vx)
    np.testing.assert_array_equal(ay, [s.val_accuracy for s in snaps])
    assert plot._acc_axis.isVisible()
    assert val.opts["symbol"] == "o"  # few validation points: dots on the line


def test_loss_plot_regression_has_no_accuracy_axis(qtbot) -> None:
    run = Run((1, 8, 1), data="sine", loss="mse", out="identity")
    plot = shown(qtbot, LossPlot())
    plot.show_snapshot(run.snapshot())
    assert not plot._acc_axis.isVisible()
    assert len(plot._train.getOriginalDataset()[1]) == 7


def test_loss_plot_log_toggle_switches_the_axis(qtbot) -> None:
    run = Run()
    plot = shown(qtbot, LossPlot())
    plot.show_snapshot(run.snapshot())
    pi = plot.getPlotItem()
    assert not plot.is_log_scale() and not pi.getAxis("left").logMode
    plot.log_action.trigger()
    assert plot.is_log_scale()
    assert pi.getAxis("left").logMode
    assert pi.listDataItems()[0].opts["logMode"] == [False, True]
    assert not plot._acc_axis.logMode  # accuracy stays linear
    shown_y = pi.listDataItems()[0].getData()[1]
    np.testing.assert_allclose(shown_y, np.log10(run.losses))
    qtbot.mouseClick(plot.findChild(QWidget, "lossLogButton"), Qt.MouseButton.LeftButton)
    assert not plot.is_log_scale() and not pi.getAxis("left").logMode
    assert not plot.log_action.isChecked()
    pi.setLogMode(y=True)  # the plot's own context-menu switch keeps the action in step
    assert plot.log_action.isChecked()
    plot.set_log_scale(False)
    assert not pi.getAxis("left").logMode and not plot.log_action.isChecked()


def test_loss_plot_hover_reads_the_nearest_iteration(qtbot) -> None:
    run = Run()
    plot = shown(qtbot, LossPlot())
    snaps = [run.snapshot(10) for _ in range(3)]
    for s in snaps:
        plot.show_snapshot(s)
    text = plot.hover_at(12.3)
    assert "iteration 12" in text
    assert f"training loss {run.losses[11]:.6g}" in text
    assert f"validation loss {snaps[0].val_loss:.4g} (at 10)" in text
    # the mouse: move over iteration 25 in the plot's scene
    vb = plot.getPlotItem().vb
    plot.getPlotItem().vb.autoRange()
    y_mid = float(np.mean(vb.viewRange()[1]))
    plot.scene().sigMouseMoved.emit(vb.mapViewToScene(QPointF(25.0, y_mid)))
    assert "iteration 25" in plot.hover_text()
    assert f"training loss {run.losses[24]:.6g}" in plot.hover_text()


def test_loss_plot_clear_forgets_and_arrays_are_never_mutated(qtbot) -> None:
    run = Run()
    plot = shown(qtbot, LossPlot())
    plot.show_snapshot(run.snapshot())
    items = plot.getPlotItem().listDataItems()
    kept = frozen_copies(a for item in items[:2] for a in item.getOriginalDataset())
    for _ in range(3):
        plot.show_snapshot(run.snapshot())
    assert_unchanged(kept)
    plot.clear()
    x, y = items[0].getOriginalDataset()
    assert x is None or len(x) == len(y) == 0
    assert plot.history().count == 0
    assert plot.hover_at(3) == ""


# ---------------------------------------------------------------- network view


def _edge_signs_by_curve(view: NetworkView) -> list[set[tuple[int, int, int]]]:
    """The edges each batch item draws, identified by their end points."""
    g = view._geometry
    ends = {}
    for layer, j, i in view.drawn_edges():
        a, b = view.edge_point(layer, j, i, 0.0), view.edge_point(layer, j, i, 1.0)
        ends[(round(a.x(), 9), round(a.y(), 9), round(b.x(), 9), round(b.y(), 9))] = (layer, j, i)
    out = []
    for c in view._curves:
        x, y = c.getData()
        if x is None:
            out.append(set())
            continue
        segs = np.column_stack([x[0::2], y[0::2], x[1::2], y[1::2]]).round(9)
        out.append({ends[tuple(s)] for s in segs.tolist()})
    assert g is not None
    return out


def test_network_view_draws_every_edge_of_a_small_network(qtbot) -> None:
    run = Run()
    view = shown(qtbot, NetworkView())
    assert view.objectName() == "networkView"
    snap = run.snapshot()
    view.show_snapshot(snap)
    assert view.segment_count() == 2 * 8 + 8 * 8 + 8 * 1
    expected = {
        (ly, j, i) for ly, w in enumerate(snap.network.weights) for j, i in np.ndindex(w.shape)
    }
    assert set(view.drawn_edges()) == expected
    assert view.subset_label.text() == "all 88 weights drawn"
    levels = len(LEVEL_INTENSITY)
    for mode, values in (("weights", snap.network.weights), ("gradients", None)):
        view.set_mode(mode)
        by_curve = _edge_signs_by_curve(view)
        layout = snap.network.architecture.layout
        value, level = {}, {}
        for k, edges in enumerate(by_curve):
            for layer, j, i in edges:
                if mode == "weights":
                    v = values[layer][j, i]
                else:
                    span = layout[layer]
                    v = snap.gradients[span.weight_start + j * span.weight_shape[1] + i]
                assert (v < 0) == (k >= levels), (mode, layer, j, i, v, k)
                value[(layer, j, i)], level[(layer, j, i)] = abs(float(v)), k % levels
        assert sum(len(e) for e in by_curve) == 88 and len(value) == 88  # each edge once
        # the largest magnitude is in the strongest level of its sign; every magnitude
        # at least LEVEL_EDGES[-1] of it too, and every one below LEVEL_EDGES[0] of it in
        # the weakest; a larger magnitude is never in a weaker level
        top = max(value.values())
        assert level[max(value, key=value.get)] == levels - 1, mode
        for edge, v in value.items():
            if v >= LEVEL_EDGES[-1] * top:
                assert level[edge] == levels - 1, (mode, edge, v / top)
            if v < LEVEL_EDGES[0] * top:
                assert level[edge] == 0, (mode, edge, v / top)
        ranked = sorted(value, key=value.get)
        assert [level[e] for e in ranked] == sorted(level[e] for e in ranked), mode
        assert len(set(level.values())) > 1, mode  # the levels really tell magnitudes apart
    assert view.mode == "gradients"
    assert len(view._nodes.data) == 2 + 8 + 8 + 1


def test_network_view_bounds_a_large_network_and_says_so(qtbot) -> None:
    run = Run((784, 256, 128, 10), data="random", loss="ce", out="softmax", n=64)
    view = shown(qtbot, NetworkView())
    snap = run.snapshot(2)
    view.show_snapshot(snap)
    total = 784 * 256 + 256 * 128 + 128 * 10
    assert total == 234_752
    drawn = view.segment_count()
    assert 0 < drawn <= view.max_edges < total
    assert drawn == len(view.drawn_edges())
    text = view.subset_label.text()
    assert f"showing {drawn:,} of 234,752 weights" in text
    assert "64 of 784 inputs" in text and "64 of 256 units in layer 1" in text
    assert len(view._nodes.data) == 64 + 64 + 64 + 10
    for layer, j, i in view.drawn_edges():  # only edges between drawn nodes
        assert view.edge_point(layer, j, i) is not None


def test_network_view_keeps_the_largest_edges_by_the_shown_quantity(qtbot) -> None:
    run = Run((2, 16, 16, 1))
    view = shown(qtbot, NetworkView(max_edges=50))
    snap = run.snapshot()
    view.show_snapshot(snap)
    net = snap.network
    for mode in ("weights", "gradients"):
        view.set_mode(mode)
        values = []
        for ly, span in enumerate(net.architecture.layout):
            src = net.flat if mode == "weights" else snap.gradients
            block = src[span.weight_start : span.weight_end].reshape(span.weight_shape)
            values += [(abs(block[j, i]), (ly, j, i)) for j, i in np.ndindex(span.weight_shape)]
        values.sort(reverse=True)
        assert set(view.drawn_edges()) == {e for _, e in values[:50]}
        quantity = "weight" if mode == "weights" else "gradient"
        assert view.subset_label.text() == (
            f"showing 50 of 304 weights: the largest by |{quantity}|"
        )
        assert view.segment_count() == 50


def _edge_values(snap: Snapshot, layer: int, j: int, i: int) -> tuple[float, float, float]:
    span = snap.network.architecture.layout[layer]
    k = span.weight_start + j * span.weight_shape[1] + i
    return float(snap.network.flat[k]), float(snap.gradients[k]), float(snap.update[k])


def test_network_view_hit_test_emits_the_edge_and_shows_its_numbers(qtbot) -> None:
    run = Run()
    view = shown(qtbot, NetworkView())
    snap = run.snapshot()
    view.show_snapshot(snap)
    # a point on each edge, a fraction along that no other edge passes through
    for layer, j, i in [(0, 5, 1), (1, 2, 7), (1, 7, 0), (2, 0, 3)]:
        p = view.edge_point(layer, j, i, t=1 / 11)
        assert view.edge_at(p.x(), p.y()) == (layer, j, i)
    p = view.edge_point(1, 2, 7, t=1 / 11)
    with qtbot.waitSignal(view.edgeClicked) as blocker:
        view.select_edge(*view.edge_at(p.x(), p.y()))
    assert blocker.args == [1, 2, 7]
    w, g, u = _edge_values(snap, 1, 2, 7)
    assert w == snap.network.weights[1][2, 7]
    assert u != 0.0
    text = view.info_label.text()
    assert "Layer 2, w[2][7]" in text
    assert f"weight {w:.6g}" in text and f"dL/dw {g:.6g}" in text
    assert f"last update {u:.6g}" in text
    # the next snapshot updates the numbers of the selected weight
    snap2 = run.snapshot()
    view.show_snapshot(snap2)
    w2, g2, _ = _edge_values(snap2, 1, 2, 7)
    assert f"weight {w2:.6g}" in view.info_label.text()
    assert f"dL/dw {g2:.6g}" in view.info_label.text()
    assert view.edge_at(100.0, 100.0) is None  # far from everything


def test_network_view_mouse_click_on_an_edge(qtbot) -> None:
    run = Run()
    view = shown(qtbot, NetworkView())
    snap = run.snapshot()
    view.show_snapshot(snap)
    target = (2, 0, 6)  # output layer: its edges fan out, midpoints far apart
    mid = view.edge_point(*target)
    vb = view.plot.getPlotItem().vb
    pos = view.plot.mapFromScene(vb.mapViewToScene(mid))
    with qtbot.waitSignal(view.edgeClicked) as blocker:
        qtbot.mouseClick(
            view.plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y())
        )
    assert tuple(blocker.args) == target
    assert view.selected_edge() == target
    w, _, _ = _edge_values(snap, *target)
    assert f"weight {w:.6g}" in view.info_label.text()


def test_network_view_mode_buttons_and_before_the_first_step(qtbot) -> None:
    run = Run()
    view = shown(qtbot, NetworkView())
    view.show_snapshot(run.first_snapshot())
    qtbot.mouseClick(view.findChild(QWidget, "networkGradientsButton"), Qt.MouseButton.LeftButton)
    assert view.mode == "gradients"
    assert "no gradient yet" in view.subset_label.text()
    view.select_edge(0, 1, 1)
    assert "dL/dw - " in view.info_label.text() and "last update -" in view.info_label.text()
    with pytest.raises(ValueError):
        view.select_edge(0, 8, 0)
    qtbot.mouseClick(view.findChild(QWidget, "networkWeightsButton"), Qt.MouseButton.LeftButton)
    assert view.mode == "weights"


def record_set_data(items, given: list) -> None:
    """Make every ``setData`` of ``items`` also append (array, copy) to ``given`` for
    each array it is handed - what pyqtgraph holds on to and may draw from later."""
    for item in items:

        def spy(*args, _set=item.setData, **kwargs):
            given.extend(frozen_copies(a for a in (*args, *kwargs.values()) if is_array(a)))
            return _set(*args, **kwargs)

        item.setData = spy


def is_array(a) -> bool:
    return isinstance(a, np.ndarray)


def test_network_view_arrays_are_not_mutated_and_clear_empties(qtbot) -> None:
    run = Run()
    view = shown(qtbot, NetworkView())
    given: list = []
    drawn = view._items
    items = [*drawn.curves, drawn.inactive, drawn.highlight, drawn.paths, drawn.lit, drawn.nodes]
    record_set_data(items, given)
    view.show_snapshot(run.snapshot())
    view.select_edge(1, 2, 3)
    for mode in ("gradients", "weights", "gradients"):
        view.set_mode(mode)
        view.show_snapshot(run.snapshot())
    assert len(given) > 2 * len(view._curves)  # the edges were redrawn, every time anew
    assert_unchanged(given)  # nothing handed to pyqtgraph was changed afterwards
    view.clear()
    assert view.segment_count() == 0 and view.drawn_edges() == []


# ---------------------------------------------------------------- heatmaps


def test_heatmaps_show_w_and_dw_with_symmetric_levels(qtbot) -> None:
    run = Run()
    view = shown(qtbot, GradientHeatmaps(), 700, 700)
    assert view.objectName() == "gradientHeatmaps"
    snap = run.snapshot()
    view.show_snapshot(snap)
    assert len(view.rows) == 3
    for layer, span in enumerate(snap.network.architecture.layout):
        dw = snap.gradients[span.weight_start : span.weight_end].reshape(span.weight_shape)
        for kind, expected in (("W", snap.network.weights[layer]), ("dW", dw)):
            image = view.image(layer, kind)
            np.testing.assert_array_equal(image.image, expected)
            lo, hi = image.getLevels()
            assert lo == -hi  # symmetric, centred on 0
            peak = np.abs(expected).max()
            assert peak <= hi <= 1.5 * peak  # the largest magnitude, rounded up
            mantissa = hi / 10 ** np.floor(np.log10(hi))
            assert np.isclose(mantissa, [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8]).any()
            assert tuple(view.rows[layer].bars[kind].levels()) == (lo, hi)


@pytest.mark.parametrize(
    ("m", "expected"),
    [(0.3, 0.3), (0.31, 0.4), (1.0, 1.0), (1.01, 1.5), (7.2e-5, 8e-5), (8.5, 10.0), (123.0, 150.0)],
)
def test_nice_ceiling(m: float, expected: float) -> None:
    assert nice_ceiling(m) == pytest.approx(expected)
    assert nice_ceiling(m) >= m


def test_heatmap_hover_shows_row_column_value(qtbot) -> None:
    run = Run()
    view = shown(qtbot, GradientHeatmaps(), 700, 700)
    snap = run.snapshot()
    view.show_snapshot(snap)
    row = view.rows[1]
    image = row.images["dW"]
    qtbot.waitUntil(  # laid out: W and dL/dW side by side
        lambda: not image.sceneBoundingRect().intersects(row.images["W"].sceneBoundingRect())
    )
    scene_pos = image.mapToScene(QPointF(5.5, 3.5))  # pixel column 5, row 3
    row.scene().sigMouseMoved.emit(scene_pos)
    span = snap.network.architecture.layout[1]
    value = snap.gradients[span.weight_start : span.weight_end].reshape(span.weight_shape)[3, 5]
    assert view.hover_label.text() == (f"layer 2  dL/dW[3][5] (unit 3, input 5) = {value:.6g}")
    assert row.text_at("W", 0.2, 7.9) == (
        f"layer 2  W[7][0] (unit 7, input 0) = {snap.network.weights[1][7, 0]:.6g}"
    )
    assert row.text_at("W", 8.0, 0.0) == ""  # outside the matrix
    # a gradient that is exactly zero with a negative factor (IEEE -0.0) reads "0"
    row._data["dW"] = np.array([[-0.0, -2.5e-07]])
    assert row.text_at("dW", 0.5, 0.5).endswith(" = 0")
    assert row.text_at("dW", 1.5, 0.5).endswith(" = -2.5e-07")


def test_heatmaps_before_a_step_and_never_mutated(qtbot) -> None:
    run = Run()
    view = shown(qtbot, GradientHeatmaps(), 700, 700)
    view.show_snapshot(run.first_snapshot())
    np.testing.assert_array_equal(view.image(0, "dW").image, np.zeros((8, 2)))
    assert tuple(view.image(0, "dW").getLevels()) == (-1.0, 1.0)
    view.show_snapshot(run.snapshot())
    kept = frozen_copies(view.image(ly, k).image for ly in range(3) for k in ("W", "dW"))
    for _ in range(3):
        view.show_snapshot(run.snapshot())
    assert_unchanged(kept)
    view.clear()
    assert view.image(0, "W").image is None


# ---------------------------------------------------------------- gradient norms


def test_grad_norm_plot_one_log_line_per_layer(qtbot) -> None:
    run = Run((2, 8, 8, 8, 1))
    plot = shown(qtbot, GradNormPlot())
    for _ in range(3):
        plot.show_snapshot(run.snapshot())
    items = plot.layer_items()
    assert len(items) == 4
    norms = np.array(run.norms)
    for layer, item in enumerate(items):
        x, y = item.getOriginalDataset()
        np.testing.assert_array_equal(x, run.steps)
        np.testing.assert_array_equal(y, norms[:, layer])
        assert item.opts["logMode"] == [False, True]
    kept = frozen_copies(a for item in items for a in item.getOriginalDataset())
    plot.show_snapshot(run.snapshot())
    assert_unchanged(kept)
    plot.clear()
    x, _ = items[0].getOriginalDataset()
    assert x is None or len(x) == 0


def test_grad_norm_plot_draws_about_two_points_per_pixel(qtbot) -> None:
    """A long noisy history is drawn as one min/max pair per pixel column (pyqtgraph's
    default keeps five: several times the painting)."""
    from dataclasses import replace

    run = Run()
    plot = shown(qtbot, GradNormPlot(), 400, 300)
    snap = run.snapshot(1)
    rng = np.random.default_rng(0)
    steps = np.arange(1, 20_001, dtype=np.int64)
    norms = np.abs(rng.standard_normal((len(steps), 3))) + 1e-3
    plot.show_snapshot(replace(snap, steps=steps, losses=np.ones(len(steps)), grad_norms=norms))
    vb = plot.getPlotItem().getViewBox()
    qtbot.wait(50)
    assert vb.viewRange()[0][1] >= 20_000
    width = vb.width()
    for item in plot.layer_items():
        drawn = len(item.curve.xData)
        assert 0 < drawn <= 3 * width, (drawn, width)


# ---------------------------------------------------------------- decision view


def test_decision_view_2d_heatmap_and_points(qtbot) -> None:
    run = Run()
    view = shown(qtbot, DecisionView())
    view.set_dataset(run.dataset)
    snap = run.snapshot()
    view.show_snapshot(snap)
    np.testing.assert_array_equal(view.image.image, snap.grid[:, :, 0])
    assert tuple(view.image.getLevels()) == (0.0, 1.0)
    # grid point (r, c) is at (xs[c], ys[r]): the image covers the grid window
    rect = view.image.mapRectToParent(view.image.boundingRect())
    spec = snap.grid_spec
    step = (spec.x_max - spec.x_min) / (spec.size - 1)
    assert rect.left() == pytest.approx(spec.x_min - step / 2)
    assert rect.right() == pytest.approx(spec.x_max + step / 2)
    x, y = view.train_points.getData()
    np.testing.assert_array_equal(x, run.dataset.x[:, 0])
    np.testing.assert_array_equal(y, run.dataset.x[:, 1])
    assert not view.val_points.isVisible()
    view.show_validation.setChecked(True)
    assert view.val_points.isVisible()
    assert len(view.val_points.getData()[0]) == len(run.dataset.x_val)
    kept = frozen_copies([view.image.image])
    view.show_snapshot(run.snapshot())
    assert_unchanged(kept)


def test_decision_view_multiclass_mixes_class_colours(qtbot) -> None:
    run = Run((2, 8, 3), data="spiral3", loss="ce", out="softmax", n=120)
    view = shown(qtbot, DecisionView())
    view.set_dataset(run.dataset)
    snap = run.snapshot()
    view.show_snapshot(snap)
    assert view.image.image.shape == (snap.grid_spec.size, snap.grid_spec.size, 3)


def test_snapshot_curve_is_the_network_over_the_input_range() -> None:
    run = Run((1, 8, 1), data="sine", loss="mse", out="identity")
    snap = run.snapshot()
    assert snap.grid is None and snap.curve is not None
    xs = snap.curve[:, :1]
    np.testing.assert_array_equal(snap.curve[:, 1:], predict(snap.network, xs))
    all_x = np.concatenate([run.dataset.x, run.dataset.x_val])
    assert xs.min() < all_x.min() and xs.max() > all_x.max()
    assert np.all(np.diff(xs[:, 0]) > 0) and not snap.curve.flags.writeable
    assert Run().snapshot().curve is None  # 2-D inputs: the grid, not a curve


def test_decision_view_1d_fitted_curve(qtbot) -> None:
    run = Run((1, 8, 1), data="sine", loss="mse", out="identity")
    view = shown(qtbot, DecisionView())
    view.set_dataset(run.dataset)
    snap = run.snapshot()
    view.show_snapshot(snap)
    (item,) = view.curve_items()
    x, y = item.getOriginalDataset()
    np.testing.assert_array_equal(x, snap.curve[:, 0])
    np.testing.assert_array_equal(y, snap.curve[:, 1])
    px, py = view.train_points.getData()
    np.testing.assert_array_equal(px, run.dataset.x[:, 0])
    np.testing.assert_array_equal(py, run.dataset.t[:, 0])
    assert view.image.image is None
    view.clear()
    assert view.curve_items() == []


def test_decision_view_other_widths_say_so(qtbot) -> None:
    run = Run((3, 4, 2), data="random", loss="ce", out="softmax", n=40)
    view = shown(qtbot, DecisionView())
    view.show_snapshot(run.snapshot())
    assert view.message.text().startswith("No 2-D view for 3 inputs")
    assert not view.plot.isVisible()


# ---------------------------------------------------------------- hidden views


def test_a_hidden_view_draws_the_latest_snapshot_when_shown(qtbot) -> None:
    run = Run()
    tabs = QTabWidget()
    first = QWidget()
    heatmaps = GradientHeatmaps()
    tabs.addTab(first, "other")
    tabs.addTab(heatmaps, "heatmaps")
    shown(qtbot, tabs)
    snaps = [run.snapshot() for _ in range(3)]
    for s in snaps:
        heatmaps.show_snapshot(s)
    assert heatmaps.rows == []  # hidden: nothing drawn yet
    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(heatmaps.rows) == 3)
    np.testing.assert_array_equal(heatmaps.image(0, "W").image, snaps[-1].network.weights[0])


def test_views_follow_a_change_of_architecture(qtbot) -> None:
    small, deep = Run(), Run((2, 4, 4, 4, 4, 1))
    views = [shown(qtbot, v) for v in (NetworkView(), GradientHeatmaps(), GradNormPlot())]
    decision = shown(qtbot, DecisionView())
    decision.set_dataset(Run((1, 4, 1), data="sine", loss="mse", out="identity").dataset)
    for run in (small, deep):
        snap = run.snapshot()
        for v in (*views, decision):  # a 2-D snapshot after a 1-D data set: no crash
            v.show_snapshot(snap)
    net_view, heatmaps, norms = views
    assert net_view.segment_count() == 2 * 4 + 3 * 4 * 4 + 4
    assert len(heatmaps.rows) == 5
    assert len(norms.layer_items()) == 5
    np.testing.assert_array_equal(norms.layer_items()[4].getOriginalDataset()[0], deep.steps)
    assert decision.train_points.getData()[0].size == 0  # the data no longer fit


def test_heatmaps_reuse_their_rows_for_a_new_architecture(qtbot) -> None:
    """Making a row's plots costs ~0.1 s: a new architecture refits the rows it has (title,
    ticks, ranges, images) and makes or drops only the difference in depth."""
    heatmaps = shown(qtbot, GradientHeatmaps())
    runs = [Run((2, 8, 8, 1)), Run((2, 20, 3, 1)), Run((2, 5, 5, 5, 1)), Run((2, 6, 1))]
    heatmaps.show_snapshot(runs[0].snapshot())
    first = list(heatmaps.rows)
    for run in runs[1:]:
        before = list(heatmaps.rows)
        snap = run.snapshot()
        heatmaps.show_snapshot(snap)
        arch = snap.network.architecture
        depth = len(arch.layers)
        assert len(heatmaps.rows) == depth
        kept = min(depth, len(before))
        assert heatmaps.rows[:kept] == before[:kept]  # the same row objects
        for layer, row in enumerate(heatmaps.rows):
            units, inputs = arch.sizes[layer + 1], arch.sizes[layer]
            assert f"{inputs} \u2192 {units}" in row.title.text
            np.testing.assert_array_equal(row.images["W"].image, snap.network.weights[layer])
            assert row.images["dW"].image.shape == (units, inputs)
            for plot in row.plots.values():
                x_range, y_range = plot.getViewBox().viewRange()
                assert x_range == pytest.approx([-0.5, inputs - 0.5])
                assert y_range == pytest.approx([-0.5, units - 0.5])
                ticks = plot.getAxis("bottom")._tickLevels
                # whole-number ticks up to 16 columns, pyqtgraph's automatic ones beyond
                assert (ticks is None) == (inputs > 16)
                assert (plot.getAxis("left")._tickLevels is None) == (units > 16)
    assert heatmaps.rows[0] is first[0]


@pytest.mark.parametrize(
    ("x", "end"), [(3, 10), (57, 57), (1001, 1100), (1_000_000, 1_000_000), (1_034_567, 1_100_000)]
)
def test_axis_end_rounds_up_to_two_digits(x: float, end: float) -> None:
    assert axis_end(x) == pytest.approx(end) and axis_end(x) >= x


def test_rounded_out_contains_the_data() -> None:
    assert rounded_out(0.051, 0.71, log=False) == pytest.approx((0.04, 0.72))
    assert rounded_out(0.03, 0.7, log=True) == pytest.approx((10**-1.75, 10**-0.0))
    for lo, hi in [(0.3, 0.3), (-2.0, 5.5), (1e-9, 1e-7)]:
        a, b = rounded_out(lo, hi, log=False)
        assert a <= lo <= hi <= b


def test_live_plots_keep_every_point_in_view(qtbot) -> None:
    run = Run()
    plot = shown(qtbot, LossPlot())
    norms = shown(qtbot, GradNormPlot())
    for _ in range(4):
        snap = run.snapshot(25)
        plot.show_snapshot(snap)
        norms.show_snapshot(snap)

    def covers(widget, ys) -> None:
        (x0, x1), (y0, y1) = widget.getPlotItem().vb.viewRange()
        assert x0 <= 1 and x1 >= 100 and y0 <= ys.min() and y1 >= ys.max()

    for log in (False, True):
        plot.set_log_scale(log)
        losses = np.log10(run.losses) if log else np.array(run.losses)
        qtbot.waitUntil(lambda losses=losses: covers(plot, losses))
    qtbot.waitUntil(lambda: covers(norms, np.log10(run.norms)))


def test_many_validation_points_are_drawn_as_a_plain_line(qtbot) -> None:
    run = Run(n=40)
    plot = shown(qtbot, LossPlot())
    for _ in range(MAX_VAL_SYMBOLS + 1):
        plot.show_snapshot(run.snapshot(1))
    val = plot.getPlotItem().listDataItems()[1]
    assert len(val.getOriginalDataset()[0]) == MAX_VAL_SYMBOLS + 1
    assert val.opts["symbol"] is None


def test_a_deep_networks_heatmap_rows_are_made_a_few_per_turn(qtbot) -> None:
    """Making a row costs ~0.1 s: 63 layers made at once froze the window ~5 s. Up to
    ROWS_PER_TURN rows are made with the snapshot, the rest one per event-loop turn, each
    drawn from the newest snapshot."""
    from backprop_lab.gui.views import heatmaps as heatmaps_module

    depth = heatmaps_module.ROWS_PER_TURN + 4
    run = Run((2, *([3] * (depth - 1)), 1))
    heatmaps = shown(qtbot, GradientHeatmaps())
    first = run.snapshot()
    heatmaps.show_snapshot(first)
    assert len(heatmaps.rows) == heatmaps_module.ROWS_PER_TURN
    newest = run.snapshot()
    heatmaps.show_snapshot(newest)
    qtbot.waitUntil(lambda: len(heatmaps.rows) == depth)
    for layer in range(depth):
        np.testing.assert_array_equal(
            heatmaps.image(layer, "W").image, newest.network.weights[layer]
        )
