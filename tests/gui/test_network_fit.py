"""The network drawing fits its plot (issue 12): every neuron - with the ring around the
layer just computed - and every column caption lies inside the visible plot, at the
default window size and at 1280x800; with 8 hidden layers the captions are written
(two lines, staggered, abbreviated) so that no two overlap. The range used to be fixed
in view units while nodes and captions are drawn in pixels: the top and bottom neurons
were cut at the plot's edge."""

from __future__ import annotations

import itertools

import pytest
from backprop_lab.engine.network import Architecture
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.engine.trainer import TrainingConfig
from backprop_lab.gui.views import NetworkView
from PySide6.QtCore import QPointF, QRectF

SIZES = [None, (1280, 800)]  # None: the window's default size
TOLERANCE_PX = 0.5


def _show(window, qtbot, size, hidden: list[int] | None = None, activation: str = "tanh"):
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    if hidden is not None:
        arch = Architecture.build(2, hidden, 1, activation, "sigmoid")
        config = TrainingConfig("bce", Optimizer("sgd", 0.1), 32)
        window.controller.set_problem(window.lab.dataset, arch, config, "xavier", 0)
    window.step()
    qtbot.wait(1)
    return window.network_view


def _visible(view: NetworkView) -> QRectF:
    return view._vb.sceneBoundingRect().adjusted(
        -TOLERANCE_PX, -TOLERANCE_PX, TOLERANCE_PX, TOLERANCE_PX
    )


def _spot_rects(view: NetworkView, item) -> list[QRectF]:
    """Each spot of a scatter item as drawn: its size and outline, in scene pixels."""
    rects = []
    for spot in item.points():
        centre = view._vb.mapViewToScene(QPointF(spot.pos()))
        r = spot.size() / 2 + spot.pen().widthF() / 2
        rects.append(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
    return rects


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("hidden", [None, [8] * 8, [64, 3]], ids=["default", "8-hidden", "tall"])
def test_every_neuron_and_caption_is_inside_the_plot(window, qtbot, size, hidden):
    view = _show(window, qtbot, size, hidden)
    visible = _visible(view)
    assert visible.height() > 60
    nodes = _spot_rects(view, view._nodes)
    assert len(nodes) == sum(len(s) for s in view._geometry.shown)
    for rect in nodes:
        assert visible.contains(rect), (rect, visible)
    for caption in view._captions:
        assert visible.contains(caption.sceneBoundingRect()), caption.toPlainText()
    window.step_phase()  # the first layer computed: ringed
    rings = _spot_rects(view, view._items.lit)
    assert rings
    for rect in rings:
        assert visible.contains(rect), (rect, visible)


def _overlaps(view: NetworkView) -> list[tuple[str, str]]:
    rects = [(c.toPlainText(), c.sceneBoundingRect()) for c in view._captions]
    return [(a, b) for (a, ra), (b, rb) in itertools.combinations(rects, 2) if ra.intersects(rb)]


@pytest.mark.parametrize("size", SIZES)
def test_eight_hidden_layers_have_captions_that_do_not_overlap(window, qtbot, size):
    view = _show(window, qtbot, size, [8] * 8, "leaky_relu")
    assert len(view._captions) == 10
    assert not _overlaps(view)
    for caption in view._captions[1:-1]:
        assert "(8)" in caption.toPlainText()


@pytest.mark.parametrize("width", [320, 480, 700])
def test_a_narrow_view_staggers_or_abbreviates_its_captions(qtbot, width):
    import numpy as np
    from backprop_lab.engine.network import init_network
    from backprop_lab.engine.trainer import Trainer
    from backprop_lab.engine.transport.snapshot import make_snapshot

    arch = Architecture.build(2, [8] * 8, 1, "leaky_relu", "sigmoid")
    trainer = Trainer(init_network(arch), np.zeros((4, 2)), np.zeros((4, 1)), TrainingConfig("bce"))
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(width, 400)
    view.show()
    qtbot.waitExposed(view)
    view.show_snapshot(make_snapshot(trainer, [], [], np.empty((0, 3)), None))
    qtbot.wait(1)
    assert not _overlaps(view), _overlaps(view)
    visible = _visible(view)
    for caption in view._captions:
        assert visible.contains(caption.sceneBoundingRect()), caption.toPlainText()
    for rect in _spot_rects(view, view._nodes):
        assert visible.contains(rect)
    if width == 320:
        assert view._items.fitted.captions.staggered
        assert any("lrelu" in c.toPlainText() for c in view._captions)  # abbreviated too


def test_fit_tries_the_plainest_captions_first():
    from backprop_lab.gui.views.network_frame import LAYOUTS, caption_forms, fit

    forms = [caption_forms(n, c) for n, c in [("input", "2"), ("tanh", "8"), ("sigmoid", "1")]]
    assert forms[2] == ("sigmoid (1)", "sigmoid\n(1)", "sigm\n(1)")

    def px(texts):  # 7 px a character, 15 px a line
        return [
            (7.0 * max(len(line) for line in t.split("\n")), 15.0 * (t.count("\n") + 1))
            for t in texts
        ]

    measured = [px([f[k] for f in forms]) for k in range(3)]
    wide = fit(2, 1.0, (800, 300), 22, measured)
    assert wide.captions == LAYOUTS[0] and wide.x_range[0] < 0 < 2 < wide.x_range[1]
    narrow = fit(2, 1.0, (120, 300), 22, measured)
    assert narrow.captions != LAYOUTS[0]
    # the nodes' margin at the top and the captions' room at the bottom, in pixels
    (y0, y1), uy = wide.y_range, (wide.y_range[1] - wide.y_range[0]) / 300
    assert (y1 - 1.0) / uy == pytest.approx(22 / 2 + 6)
    assert (-1.0 - y0) / uy == pytest.approx(22 / 2 + 6 + 3 + 15)
