"""Where the docks go: the first-start layout, its proportions, the window's size on the
screen it opens on, and a repair of Qt's dock tab bars.

The first-start layout is designed for a 1280x800 laptop screen and scales up to
2560x1440: the network view and the chain-rule inspector - the heart of the app - share
the top of the window side by side; the secondary views sit below them in two tabbed
groups (Loss | Gradient norms, Decision boundary / fit | Weights and gradients; the first
of each raised); the panels are a narrow column on the left (Training above the tabbed
Network builder | Data). The views share the window in the proportions of
:func:`size_docks` and keep them when the window is resized. The panels' column grows
with the window only up to :data:`PANEL_MAX_WIDTH`: with no central widget Qt shares
extra width evenly between the left and right dock areas, which at 2560 px gave the
panels half the window.

Qt (6.11, seen offscreen) leaves a dock-area tab bar visible where a group of tabified
docks stood before the layout was rebuilt - a dock tabified after it was placed, or any
group after ``QMainWindow.restoreState``: a dead second copy of the group's tabs that no
longer follows the layout and shows through. The layout's live bar for a group is the
one it made last, so :func:`hide_stale_tab_bars` hides every older bar showing the same
docks."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QMainWindow, QScrollArea, QTabBar

#: the window's size when it is built (tests, automation, screenshots: always the same)
DEFAULT_SIZE = QSize(1400, 900)
#: what the window takes of a large screen's free area at the first start
SCREEN_SHARE = 0.85
#: room left for the window manager's frame and title bar when fitting a screen
FRAME_ALLOWANCE = QSize(16, 48)

#: the tabbed groups below the network view and the inspector, the raised one first
SECONDARY_GROUPS = (("dockLoss", "dockGradNorms"), ("dockDecision", "dockHeatmaps"))
PANEL_WIDTH = (260, 0.22, 380)  # at least, share of the window, at most (pixels)
PANEL_MAX_WIDTH = 520
PANEL_DOCKS = ("dockTraining", "dockBuilder", "dockData")
INSPECTOR_SHARE = 0.42  # of the views' width
TOP_ROW_SHARE = 0.66  # of the docks' height: network view and inspector
CHROME_HEIGHT = 80  # menu bar, toolbar and status bar, about
TRAINING_SHARE = 0.45  # of the panels' column at most
TITLE_ALLOWANCE = 32  # a dock's title bar and frame, about


def arrange_default(window: QMainWindow) -> None:
    """Give the window :data:`DEFAULT_SIZE`, place every dock of ``window.docks`` in
    the first-start layout (see the module docstring) and size them for it."""
    window.resize(DEFAULT_SIZE)
    d = window.docks
    left = Qt.DockWidgetArea.LeftDockWidgetArea
    right = Qt.DockWidgetArea.RightDockWidgetArea
    for name in PANEL_DOCKS:
        d[name].setMaximumWidth(PANEL_MAX_WIDTH)
    window.addDockWidget(left, d["dockTraining"])
    window.addDockWidget(left, d["dockBuilder"])
    window.tabifyDockWidget(d["dockBuilder"], d["dockData"])
    window.addDockWidget(right, d["dockNetwork"])
    window.splitDockWidget(d["dockNetwork"], d["dockChainRule"], Qt.Orientation.Horizontal)
    below = Qt.Orientation.Vertical
    first, second = SECONDARY_GROUPS
    window.splitDockWidget(d["dockNetwork"], d[first[0]], below)
    window.splitDockWidget(d["dockChainRule"], d[second[0]], below)
    for group in SECONDARY_GROUPS:
        for name in group[1:]:
            window.tabifyDockWidget(d[group[0]], d[name])
    for name in ("dockBuilder", first[0], second[0]):
        d[name].raise_()
    size_docks(window)


def size_docks(window: QMainWindow, size: QSize | None = None) -> None:
    """Give the docks of the first-start layout their shares of ``size`` (default: the
    window's size): the panels' column, then the network view and the inspector over
    the secondary views."""
    size = window.size() if size is None else size
    d = window.docks
    low, share, high = PANEL_WIDTH
    panels = int(min(high, max(low, share * size.width())))
    views = size.width() - panels
    inspector = int(INSPECTOR_SHARE * views)
    h = Qt.Orientation.Horizontal
    window.resizeDocks(
        [d["dockTraining"], d["dockNetwork"], d["dockChainRule"]],
        [panels, views - inspector, inspector],
        h,
    )
    height = max(1, size.height() - CHROME_HEIGHT)
    top = int(TOP_ROW_SHARE * height)
    first, second = SECONDARY_GROUPS
    v = Qt.Orientation.Vertical
    window.resizeDocks([d["dockNetwork"], d[first[0]]], [top, height - top], v)
    window.resizeDocks([d["dockChainRule"], d[second[0]]], [top, height - top], v)
    # the training controls as tall as they need (the toolbar has Play and Step too), at
    # most TRAINING_SHARE; the builder's layer table the rest
    training = d["dockTraining"]
    content = training.widget()
    content = content.widget() if isinstance(content, QScrollArea) else content
    need = content.sizeHint().height() + TITLE_ALLOWANCE
    training_height = min(need, int(TRAINING_SHARE * height))
    window.resizeDocks([training, d["dockBuilder"]], [training_height, height - training_height], v)


def fitted_geometry(available: QRect, preferred: QSize = DEFAULT_SIZE) -> tuple[QRect, bool]:
    """The first-start window rectangle on a screen whose free area (without panels and
    taskbars) is ``available``, and whether to show the window maximised: a screen
    smaller than ``preferred`` (plus the frame) is filled - maximised, the laptop case;
    on a larger one the window takes :data:`SCREEN_SHARE` of it (never less than
    ``preferred``), centred."""
    room = available.size() - FRAME_ALLOWANCE
    if room.width() < preferred.width() or room.height() < preferred.height():
        return QRect(available.topLeft(), room.boundedTo(available.size())), True
    size = QSize(
        max(preferred.width(), int(SCREEN_SHARE * room.width())),
        max(preferred.height(), int(SCREEN_SHARE * room.height())),
    ).boundedTo(room)
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(available.center())
    return rect, False


def fit_to_screen(window: QMainWindow, screen: QScreen | None = None) -> bool:
    """Size and place the (not yet shown) window for ``screen`` (default: its own) per
    :func:`fitted_geometry`, resizing the docks to match; returns True when it should
    be shown maximised."""
    screen = screen or window.screen()
    if screen is None:
        return False
    rect, maximise = fitted_geometry(screen.availableGeometry())
    window.resize(rect.size())
    window.move(rect.topLeft())
    size_docks(window)
    return maximise


def _docks(bar: QTabBar) -> frozenset:
    return frozenset(bar.tabText(i) for i in range(bar.count()))


def hide_stale_tab_bars(window: QMainWindow) -> int:
    """Hide the window's dead dock tab bars (see the module docstring); returns how many."""
    bars = [
        b
        for b in window.findChildren(QTabBar)
        if b.parent() is window and b.isVisible() and b.count()
    ]
    newest = {}
    for bar in bars:  # creation order: a later bar replaces an earlier one
        newest[_docks(bar)] = bar
    hidden = 0
    for bar in bars:
        if newest[_docks(bar)] is not bar:
            bar.hide()
            hidden += 1
    return hidden


__all__ = [
    "DEFAULT_SIZE",
    "SECONDARY_GROUPS",
    "arrange_default",
    "fit_to_screen",
    "fitted_geometry",
    "hide_stale_tab_bars",
    "size_docks",
]
