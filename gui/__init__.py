"""Backprop Lab's desktop GUI (PySide6 + pyqtgraph): views, panels and the controller
that owns the training thread. ``from gui import MainWindow`` imports Qt; importing
``gui.main`` (the command-line entry point) does not."""

from __future__ import annotations

__all__ = ["MainWindow"]


def __getattr__(name: str):
    if name == "MainWindow":
        from .main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'gui' has no attribute {name!r}")
