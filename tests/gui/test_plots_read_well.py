"""Plots that mean something from the first frame (issue 12): sensible empty ranges and a
hint, no SI-prefix scaling, ranges that reset with the history, padded one-row ranges,
smoothed gradient norms with a legend outside the plot, log labels that do not overlap,
colour bars labelled at both ends, single points drawn, no accuracy in a regression's
legend, no "it/s" once paused."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
import pytest
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.smoothing import ema
from backprop_lab.gui.views import DecisionView, GradientHeatmaps, GradNormPlot, LossPlot
from backprop_lab.gui.views.axes import rounded_out
from backprop_lab.gui.views.grad_norms import NORM_EMA
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from .test_views import Run, shown

HINT = "Press Play or Step to train"
WAIT_MS = 30_000


def drawn_labels(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """The tick labels ``axis`` draws now (its own layout pass), with their rectangles."""
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _, text in texts if text]


def no_si_prefix(plot_item: pg.PlotItem, *names: str) -> None:
    for name in names or ("bottom", "left"):
        axis = plot_item.getAxis(name)
        assert axis.autoSIPrefixScale == 1.0, (name, axis.labelString())
        assert "(x" not in axis.labelString(), axis.labelString()


def one_row() -> Dataset:
    """The classic 2-2-2 worked example: one row, inputs 0.05 and 0.10."""
    x, t = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])
    return Dataset(
        "one row", x, t, x[:0], t[:0], None, None, "regression", 0, ("x1", "x2"), ("t1", "t2")
    )


# ---------------------------------------------------------------- empty plots


@pytest.mark.parametrize("cls", [LossPlot, GradNormPlot])
def test_an_empty_plot_shows_iterations_0_to_10_a_unit_range_and_a_hint(qtbot, cls) -> None:
    plot = shown(qtbot, cls(), 500, 300)
    pi = plot.getPlotItem()

    def empty_range() -> None:
        (x0, x1), (y0, y1) = pi.vb.viewRange()
        assert -1 < x0 <= 0 and 10 <= x1 < 11, (x0, x1)
        if cls is GradNormPlot:  # log axis: one decade, 0.1..1
            assert -1.1 < y0 <= -1 and 0 <= y1 < 0.1, (y0, y1)
        else:
            assert -0.1 < y0 <= 0 and 1 <= y1 < 1.1, (y0, y1)

    qtbot.waitUntil(empty_range)
    no_si_prefix(pi)
    assert plot.hint.text() == HINT and plot.hint.item.isVisible()
    # the hint sits inside the plot area
    assert pi.vb.sceneBoundingRect().contains(plot.hint.item.sceneBoundingRect().center())


def test_an_empty_loss_plot_on_a_log_scale_shows_a_decade(qtbot) -> None:
    plot = shown(qtbot, LossPlot(), 500, 300)
    plot.set_log_scale(True)
    qtbot.waitUntil(lambda: plot.getPlotItem().vb.viewRange()[1] == pytest.approx([-1, 0], abs=0.1))


@pytest.mark.parametrize("cls", [LossPlot, GradNormPlot])
def test_clearing_the_history_resets_the_range_and_shows_the_hint(qtbot, cls) -> None:
    """After a long run (iterations to 20,000, norms ~1e-8), zoomed by the user, a cleared
    plot (new data, a new network, Reset) shows the empty range again."""
    run = Run()
    plot = shown(qtbot, cls(), 500, 300)
    snap = run.snapshot(1)
    steps = np.arange(1, 20_001, dtype=np.int64)
    tiny = np.full((len(steps), 3), 1e-8)
    plot.show_snapshot(
        replace(snap, steps=steps, losses=np.full(len(steps), 1e-8), grad_norms=tiny)
    )
    pi = plot.getPlotItem()
    qtbot.waitUntil(lambda: pi.vb.viewRange()[0][1] >= 20_000)
    assert not plot.hint.item.isVisible()
    pi.vb.setXRange(5_000, 6_000)  # the user zooms: auto-range is off
    plot.clear()
    qtbot.waitUntil(lambda: 10 <= pi.vb.viewRange()[0][1] < 11)
    (x0, _), (y0, y1) = pi.vb.viewRange()
    assert -1 < x0 <= 0
    assert (y0, y1) == pytest.approx((-1, 0) if cls is GradNormPlot else (0, 1), abs=0.1)
    assert plot.hint.item.isVisible()


def test_the_window_starts_with_readable_empty_plots(window, qtbot) -> None:
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    for dock, plot in (("dockLoss", window.loss_plot), ("dockGradNorms", window.grad_norm_plot)):
        window.docks[dock].raise_()  # the two share a tab group
        pi = plot.getPlotItem()
        qtbot.waitUntil(lambda pi=pi: 10 <= pi.vb.viewRange()[0][1] < 11)
        assert -1 < pi.vb.viewRange()[0][0] <= 0
        no_si_prefix(pi)
        assert plot.hint.item.isVisible()
    no_si_prefix(window.decision_view.plot.getPlotItem())
    window.step()
    assert not window.loss_plot.hint.item.isVisible()
    assert not window.grad_norm_plot.hint.item.isVisible()
    window.reset()  # history cleared: empty again
    assert window.loss_plot.hint.item.isVisible()
    qtbot.waitUntil(lambda: window.loss_plot.getPlotItem().vb.viewRange()[0][1] < 11)


def test_a_new_architecture_resets_the_plots_ranges(window, qtbot) -> None:
    """After training and zooming, a network of another depth clears the history: the
    loss and norm plots show the empty range again, not the old run's axes."""
    from dataclasses import replace as replaced

    from backprop_lab.engine.network import Architecture

    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    for _ in range(40):
        window.step()
    plots = {"dockLoss": window.loss_plot, "dockGradNorms": window.grad_norm_plot}
    for dock, plot in plots.items():
        window.docks[dock].raise_()  # the two share a tab group
        vb = plot.getPlotItem().vb
        qtbot.waitUntil(lambda vb=vb: vb.viewRange()[0][1] >= 40)
        vb.setXRange(10, 30)  # the user zooms: auto-range is off
    spec = window.lab.spec
    deeper = Architecture.build(2, [8, 8, 8], 1, "tanh", "sigmoid")
    window.lab.set_spec(replaced(spec, architecture=deeper), edit="add a layer")
    assert window.controller.network.architecture == deeper
    for dock, plot in plots.items():
        window.docks[dock].raise_()
        vb = plot.getPlotItem().vb
        qtbot.waitUntil(lambda vb=vb: 10 <= vb.viewRange()[0][1] < 11)
        assert -1 < vb.viewRange()[0][0] <= 0
        assert plot.hint.item.isVisible()


def test_rounded_ranges_are_never_empty() -> None:
    for lo, hi, log in [(0.7, 0.7, False), (0.0, 0.0, False), (0.1, 0.1, True), (1.0, 1.0, True)]:
        a, b = rounded_out(lo, hi, log)
        assert a < b and a <= lo <= hi <= b, (lo, hi, log, a, b)


def test_one_row_data_gets_a_padded_range_without_si_prefix(window, qtbot, tmp_path) -> None:
    """The 2-2-2 example's one row: the decision view's axes span about a unit around
    the point (they read "100.000001..99.999999 (x0.001)" and "x1 (x1e-09)")."""
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    path = tmp_path / "one_row.csv"
    path.write_text("0.05,0.10,0.01,0.99\n")
    window.data_panel.targets_spin.setValue(2)
    with qtbot.waitSignal(window.data_panel.datasetChanged, timeout=WAIT_MS):
        window.data_panel.load_csv_file(str(path))
    pi = window.decision_view.plot.getPlotItem()
    x = window.controller.dataset.x[0]  # as the trainer sees it (standardised or not)

    def framed() -> None:
        pi.vb.updateAutoRange()  # what the next paint would show, now
        (x0, x1), (y0, y1) = pi.vb.viewRange()
        assert x0 < x[0] < x1 and y0 < x[1] < y1
        assert x1 - x0 >= 0.5 and y1 - y0 >= 0.5, pi.vb.viewRange()

    qtbot.waitUntil(framed)
    no_si_prefix(pi)
    window.step()
    qtbot.waitUntil(framed)
    no_si_prefix(pi)


def test_the_decision_view_frames_one_point_before_any_snapshot(qtbot) -> None:
    view = shown(qtbot, DecisionView())
    view.set_dataset(one_row())
    pi = view.plot.getPlotItem()
    pi.vb.updateAutoRange()  # what the next paint would show, now
    (x0, x1), (y0, y1) = pi.vb.viewRange()
    assert x0 < 0.05 < x1 and y0 < 0.10 < y1 and x1 - x0 >= 1.0 and y1 - y0 >= 1.0
    no_si_prefix(pi)


# ---------------------------------------------------------------- gradient norms


def test_gradient_norms_draw_the_engines_moving_average_over_the_raw_points(qtbot) -> None:
    run = Run((2, 8, 8, 8, 1))
    plot = shown(qtbot, GradNormPlot(), 600, 350)
    for _ in range(4):
        plot.show_snapshot(run.snapshot(25))
    norms = np.array(run.norms)
    assert len(plot.smoothed_items()) == len(plot.layer_items()) == 4
    pairs = zip(plot.layer_items(), plot.smoothed_items(), strict=True)
    for layer, (raw, smooth) in enumerate(pairs):
        _, y = raw.getOriginalDataset()
        np.testing.assert_array_equal(y, norms[:, layer])  # every iteration, faint
        sx, sy = smooth.getOriginalDataset()
        np.testing.assert_array_equal(sx, run.steps)
        np.testing.assert_allclose(sy, ema(run.steps, norms[:, layer], NORM_EMA), rtol=1e-12)
        # the raw band is fainter than its smoothed line and drawn under it
        raw_colour, colour = raw.opts["pen"].color(), smooth.opts["pen"].color()
        assert raw_colour != colour and smooth.zValue() > raw.zValue()
    assert plot.legend_names() == [f"layer {k} (EMA {NORM_EMA:g})" for k in (1, 2, 3, 4)]


@pytest.mark.parametrize("cls", [LossPlot, GradNormPlot])
def test_the_legend_is_outside_the_plot_area(qtbot, cls) -> None:
    run = Run()
    plot = shown(qtbot, cls(), 500, 320)
    plot.show_snapshot(run.snapshot(30))
    pi = plot.getPlotItem()
    legend = plot._legend
    qtbot.waitUntil(lambda: legend.sceneBoundingRect().height() > 0)
    area = pi.vb.sceneBoundingRect()
    qtbot.waitUntil(lambda: not legend.sceneBoundingRect().intersects(pi.vb.sceneBoundingRect()))
    assert plot.rect().contains(legend.sceneBoundingRect().toRect())  # and not clipped
    assert area.height() > 100


@pytest.mark.parametrize("cls", [LossPlot, GradNormPlot])
def test_a_short_plot_folds_its_legend_behind_a_key_button(qtbot, cls) -> None:
    """At laptop sizes the rows below would leave almost no plot: the legend folds
    away and its Key button shows it (below the plot, still not over the curves)."""
    run = Run()
    plot = shown(qtbot, cls(), 330, 170)
    plot.show_snapshot(run.snapshot(30))
    legend, pi = plot._legend, plot.getPlotItem()
    qtbot.waitUntil(lambda: legend.button.isVisible())
    assert not legend.isVisible() and plot.legend_names() == []
    assert pi.vb.height() >= 80  # the plot keeps the room
    legend.button.click()
    qtbot.waitUntil(lambda: legend.isVisible() and legend.sceneBoundingRect().height() > 0)
    assert plot.legend_names()
    qtbot.waitUntil(lambda: not legend.sceneBoundingRect().intersects(pi.vb.sceneBoundingRect()))
    legend.button.click()
    qtbot.waitUntil(lambda: not legend.isVisible())
    plot.resize(700, 500)  # room again: shown, no button
    qtbot.waitUntil(lambda: legend.isVisible() and not legend.button.isVisible())


@pytest.mark.parametrize(
    ("height", "low", "high"), [(220, 0.03, 0.11), (160, 0.004, 0.9), (260, 0.06, 0.1)]
)
def test_log_axis_labels_do_not_overlap(qtbot, height, low, high) -> None:
    """Today 0.1/0.09/0.08... collide: decades are labelled, minor ticks only where their
    text has room."""
    run = Run()
    plot = shown(qtbot, GradNormPlot(), 500, height)
    snap = run.snapshot(1)
    steps = np.arange(1, 201, dtype=np.int64)
    norms = np.geomspace(low, high, len(steps))[:, None] * np.ones((1, 3))
    plot.show_snapshot(replace(snap, steps=steps, losses=np.ones(len(steps)), grad_norms=norms))
    axis = plot.getPlotItem().getAxis("left")
    vb = plot.getPlotItem().vb
    qtbot.waitUntil(
        lambda: vb.viewRange()[1][0] <= np.log10(low) < np.log10(high) <= vb.viewRange()[1][1]
    )
    labels = drawn_labels(axis)
    for k, (a, ta) in enumerate(labels):
        for b, tb in labels[k + 1 :]:
            assert not a.intersects(b), (ta, tb, a, b)
    texts = [t for _, t in labels]
    _, (y0, y1) = plot.getPlotItem().vb.viewRange()
    for decade in range(int(np.ceil(y0)), int(np.floor(y1)) + 1):  # every decade labelled
        assert axis.logTickStrings([float(decade)], 1.0, 1.0)[0] in texts


# ---------------------------------------------------------------- heatmap colour bars


def test_the_gradient_colour_bar_labels_both_ends_with_their_values(qtbot) -> None:
    view = shown(qtbot, GradientHeatmaps(), 700, 700)
    run = Run()
    snap = run.snapshot()
    view.show_snapshot(snap)
    row = view.rows[0]
    small = np.full((8, 2), 3.2e-5)
    small[0, 0] = -3.2e-5
    small.flags.writeable = False
    row.set_matrices(snap.network.weights[0], small)
    bar = row.bars["dW"]
    lo, hi = bar.levels()
    assert hi == pytest.approx(4e-5)
    qtbot.waitUntil(lambda: len(drawn_labels(bar.axis)) == 3)
    texts = [t for _, t in drawn_labels(bar.axis)]
    assert sorted(float(t) for t in texts) == pytest.approx([lo, 0.0, hi])
    assert "4e-05" in texts and "-4e-05" in texts


# ---------------------------------------------------------------- single points


def test_one_iteration_is_drawn_as_visible_points(qtbot) -> None:
    run = Run()
    loss, norms = shown(qtbot, LossPlot(), 500, 300), shown(qtbot, GradNormPlot(), 500, 300)
    snap = run.snapshot(1)
    for plot in (loss, norms):
        plot.show_snapshot(snap)
    train = loss.getPlotItem().listDataItems()[0]
    assert len(train.getOriginalDataset()[0]) == 1
    for item in (train, *norms.smoothed_items()):
        assert item.opts["symbol"] is not None  # a lone point is a dot, not nothing
        assert pg.mkBrush(item.opts["symbolBrush"]).color() == pg.mkPen(item.opts["pen"]).color()
    loss.show_snapshot(run.snapshot(200))  # many points: a plain line again
    norms.show_snapshot(run.snapshot(200))
    assert train.opts["symbol"] is None
    assert all(item.opts["symbol"] is None for item in norms.smoothed_items())


# ---------------------------------------------------------------- legend, status bar


def test_a_regression_legend_has_no_accuracy_entries(qtbot) -> None:
    plot = shown(qtbot, LossPlot())
    plot.show_snapshot(Run((1, 8, 1), data="sine", loss="mse", out="identity").snapshot())
    assert plot.legend_names() == ["training loss (mini-batch)", "validation loss"]
    classification = shown(qtbot, LossPlot())
    classification.show_snapshot(Run().snapshot())
    assert classification.legend_names() == [
        "training loss (mini-batch)", "validation loss", "training accuracy",
        "validation accuracy",
    ]  # fmt: skip


def test_the_speed_leaves_the_status_bar_when_paused(window, qtbot) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.action_play.trigger()
    qtbot.waitUntil(lambda: "it/s" in window.status_label.text(), timeout=WAIT_MS)
    window.action_play.trigger()  # pause
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=WAIT_MS)
    assert "iteration" in window.status_label.text()
    assert "it/s" not in window.status_label.text()
