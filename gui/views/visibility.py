"""When a view should draw: "latest wins" for views the user cannot see.

A view hidden in a tabbed dock keeps only the newest snapshot and draws it when it is
shown again, so hidden views cost nothing while training streams snapshots.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def would_be_seen(widget: QWidget) -> bool:
    """True unless ``widget`` sits in a window but is hidden inside it (e.g. the other
    tab of a tabbed dock). A top-level widget, shown or not, counts as seen, so that
    ``grab()`` of a window that was never shown still draws every visible part."""
    window = widget.window()
    return window is widget or widget.isVisibleTo(window)
