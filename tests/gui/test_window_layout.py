"""The first-start layout (issue 12, "a window that fits a laptop"): at 1280x800 the
network view and the chain-rule inspector get the room, the secondary views are tabbed,
the network caption wraps above the drawing; it stays sensible up to 2560x1440; a layout
saved by an earlier layout version does not override it, the user's own still restores;
the first-start window fits its screen."""

from __future__ import annotations

import pytest
from backprop_lab.gui import settings as user
from backprop_lab.gui.window import layout
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDockWidget

from .session_util import make_window

LAPTOP = (1280, 800)
LARGE = (2560, 1440)
MIN_PLOT_HEIGHT = 300
MIN_INSPECTOR_LINES = 20

#: the automation interface: every dock and view keeps its objectName
DOCKS = (
    "dockTraining", "dockBuilder", "dockData", "dockNetwork", "dockChainRule",
    "dockLoss", "dockGradNorms", "dockDecision", "dockHeatmaps",
)  # fmt: skip


def _settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(10)


def _window_at(qtbot, size: tuple[int, int], order: str = "resize-then-show"):
    w = make_window(qtbot)
    if order == "resize-then-show":
        w.resize(*size)
        w.show()
    else:  # shown at its default size, then made smaller or larger
        w.show()
        qtbot.waitExposed(w)
        w.resize(*size)
    qtbot.waitExposed(w)
    _settle(qtbot)
    return w


def _inspect(w, qtbot) -> None:
    """A derivation on screen (the inspector's title and the network caption at their
    longest: step-by-step mode in the backward pass, a hidden-layer weight)."""
    for _ in range(w.controller.network.depth + 2):
        w.step_phase()
    w.inspect_weight(1, 0, 0)
    qtbot.waitUntil(lambda: w.chain_rule_view.derivation is not None, timeout=10_000)
    _settle(qtbot)


def _seen_rect(widget, view) -> QRect:
    """The part of ``widget`` on screen, in ``view``'s coordinates."""
    seen = widget.visibleRegion().boundingRect()
    return seen.translated(widget.mapTo(view, QPoint(0, 0)))


def _plot_height(w) -> int:
    return w.network_view.plot.viewport().height()


def _inspector_lines(w) -> float:
    text = w.chain_rule_view.text
    return text.viewport().height() / QFontMetrics(text.font()).lineSpacing()


@pytest.mark.parametrize("order", ["resize-then-show", "show-then-resize"])
def test_a_laptop_screen_gives_the_network_view_and_the_inspector_the_room(qtbot, order):
    w = _window_at(qtbot, LAPTOP, order)
    _inspect(w, qtbot)
    assert w.size() == QSize(*LAPTOP)
    assert _plot_height(w) >= MIN_PLOT_HEIGHT
    assert _inspector_lines(w) >= MIN_INSPECTOR_LINES
    assert w.docks["dockNetwork"].isVisible() and w.docks["dockChainRule"].isVisible()
    assert not w.tabifiedDockWidgets(w.docks["dockChainRule"])  # a dock of its own


def test_the_secondary_views_are_tabbed_with_the_most_useful_raised(qtbot):
    w = _window_at(qtbot, LAPTOP)
    d = w.docks
    for group in layout.SECONDARY_GROUPS:
        first, others = d[group[0]], [d[n] for n in group[1:]]
        assert set(w.tabifiedDockWidgets(first)) == set(others)
        assert not first.visibleRegion().isEmpty()  # raised
        assert all(o.visibleRegion().isEmpty() for o in others)
    # the heart of the app is above them, side by side
    net, inspector = d["dockNetwork"].geometry(), d["dockChainRule"].geometry()
    assert net.right() < inspector.left()
    for name in ("dockLoss", "dockDecision"):
        assert d[name].geometry().top() > max(net.bottom(), inspector.bottom())


def test_a_large_screen_keeps_the_room_and_stretches_nothing_absurdly(qtbot):
    w = _window_at(qtbot, LARGE)
    _inspect(w, qtbot)
    assert _plot_height(w) >= MIN_PLOT_HEIGHT
    assert _inspector_lines(w) >= MIN_INSPECTOR_LINES
    panels = w.docks["dockTraining"].width()
    assert panels <= layout.PANEL_MAX_WIDTH < LARGE[0] / 4  # not half the window
    plot = w.network_view.plot.viewport().size()
    assert 0.5 <= plot.width() / plot.height() <= 3.0
    views = w.width() - panels
    for name in ("dockNetwork", "dockChainRule"):
        assert 0.3 * views <= w.docks[name].width() <= 0.7 * views, name
    assert w.docks["dockLoss"].height() <= 0.5 * w.height()


def test_widening_the_inspector_keeps_the_caption_above_the_drawing(qtbot):
    w = _window_at(qtbot, LAPTOP)
    _inspect(w, qtbot)
    view = w.network_view
    before = _plot_height(w)
    net, dock = w.docks["dockNetwork"], w.docks["dockChainRule"]
    wide = dock.width() + 300  # the separator between them dragged 300 px to the left
    w.resizeDocks([net, dock], [net.width() - 300, wide], Qt.Orientation.Horizontal)
    _settle(qtbot)
    assert dock.width() >= wide - 10
    caption, plot = _seen_rect(view.legend, view), _seen_rect(view.plot, view)
    assert view.legend.text()
    assert caption.bottom() <= plot.top()  # above ...
    assert caption.width() >= 0.9 * plot.width()  # ... the whole drawing, not beside it
    assert _plot_height(w) >= MIN_PLOT_HEIGHT
    line = QFontMetrics(view.legend.font()).lineSpacing()
    assert before - _plot_height(w) <= 2 * line  # (the edge's text below may wrap)


def test_a_layout_saved_by_an_earlier_version_does_not_override_the_new_one(qtbot):
    old = make_window(qtbot)
    old.docks["dockHeatmaps"].hide()
    geometry, state = old.saveGeometry(), old.saveState(1)
    assert old.close()
    s = user.user_settings()
    s.setValue(user.KEY_GEOMETRY, geometry)
    s.setValue(user.KEY_STATE, state)
    s.setValue(user.KEY_LAYOUT_VERSION, 1)  # the layout of the releases before issue 12
    s.sync()

    w = _window_at(qtbot, LAPTOP)
    assert not w.docks["dockHeatmaps"].isHidden()
    assert _plot_height(w) >= MIN_PLOT_HEIGHT
    assert not w.appearance.layout_restored
    assert w.close()  # saves the new version's layout...

    again = make_window(qtbot)
    assert again.appearance.layout_restored  # ... which the next start restores


def test_the_users_own_layout_still_restores(qtbot):
    w = _window_at(qtbot, LAPTOP)
    d = w.docks
    w.tabifyDockWidget(d["dockNetwork"], d["dockChainRule"])  # the user's choice
    d["dockNetwork"].raise_()
    assert w.close()
    again = make_window(qtbot)
    again.show()
    qtbot.waitExposed(again)
    _settle(qtbot)
    assert again.docks["dockChainRule"] in again.tabifiedDockWidgets(again.docks["dockNetwork"])
    assert again.appearance.layout_restored


def test_the_first_start_window_fits_its_screen():
    laptop = QRect(0, 0, 1280, 770)  # 1280x800 minus a panel
    rect, maximise = layout.fitted_geometry(laptop)
    assert maximise and laptop.contains(rect)
    large = QRect(0, 0, 2560, 1400)
    rect, maximise = layout.fitted_geometry(large)
    assert not maximise and large.contains(rect)
    assert rect.width() >= layout.DEFAULT_SIZE.width()
    assert rect.width() <= 0.9 * large.width() and rect.center() == large.center()
    desktop = QRect(1920, 0, 1920, 1050)  # a second monitor
    rect, maximise = layout.fitted_geometry(desktop)
    assert desktop.contains(rect) and not maximise


def test_a_window_shown_at_the_first_start_fits_the_available_screen(qtbot):
    w = make_window(qtbot)
    w.appearance.show_window()
    qtbot.waitExposed(w)
    available = w.screen().availableGeometry()
    assert w.width() <= available.width() and w.height() <= available.height()


def test_every_dock_and_view_keeps_its_object_name(qtbot):
    w = make_window(qtbot)
    assert set(DOCKS) <= {d.objectName() for d in w.findChildren(QDockWidget)}
    for name in ("networkView", "networkPlot", "networkLegend", "chainRuleView", "chainRuleText"):
        assert w.findChild(object, name) is not None, name
