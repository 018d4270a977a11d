"""Backprop Lab's desktop GUI (PySide6 + pyqtgraph): the Qt-free model of the lab
(:mod:`.model`), the panels, views and inspector that show it, the training controller,
the files it is read from and written to (:mod:`.files`) and the window that holds them
(:mod:`.window`). ``from backprop_lab.gui import MainWindow`` imports Qt; importing
``gui.main`` (the command-line entry point) does not."""

from __future__ import annotations

__all__ = ["MainWindow"]


def __getattr__(name: str):
    if name == "MainWindow":
        from .window.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'gui' has no attribute {name!r}")
