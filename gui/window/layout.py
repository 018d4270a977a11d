"""Dock layout helpers.

Qt (6.11, seen offscreen) leaves a dock-area tab bar visible where a group of tabified
docks stood before the layout was rebuilt - a dock tabified after it was placed, or any
group after ``QMainWindow.restoreState``: a dead second copy of the group's tabs that no
longer follows the layout and shows through. The layout's live bar for a group is the
one it made last, so :func:`hide_stale_tab_bars` hides every older bar showing the same
docks."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QTabBar


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


__all__ = ["hide_stale_tab_bars"]
