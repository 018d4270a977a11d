"""The main window's docks: the three control panels and the five plot views (the
chain-rule dock is the step-by-step part's), and the placeholders that stand in for the
views until pyqtgraph is loaded (``MainWindow(defer_views=True)``). Where they go is
:mod:`.layout`'s.
"""

from __future__ import annotations

import importlib

from backprop_lab.engine.data import Dataset
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from .layout import arrange_default

#: (objectName, title, attribute, module, class) of every view dock.
VIEW_DOCKS = (
    ("dockNetwork", "Network", "network_view", "network_view", "NetworkView"),
    ("dockDecision", "Decision boundary / fit", "decision_view", "decision_view", "DecisionView"),
    ("dockLoss", "Loss", "loss_plot", "loss_plot", "LossPlot"),
    ("dockGradNorms", "Gradient norms per layer", "grad_norm_plot", "grad_norms", "GradNormPlot"),
    ("dockHeatmaps", "Weights and gradients", "heatmaps", "heatmaps", "GradientHeatmaps"),
)
VIEWS_PACKAGE = "backprop_lab.gui.views"


class Placeholder(QLabel):
    """Stands in for a view until the plotting library is loaded (see ``install_views``)."""

    def __init__(self) -> None:
        super().__init__("Loading...")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # takes the share of the window its view will (see gui.window.layout)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Nothing to draw yet."""

    def clear(self) -> None:
        """Nothing to forget."""

    def set_dataset(self, dataset: Dataset) -> None:
        """Nothing to show."""

    def refresh(self) -> None:
        """Nothing drawn yet: the real view draws the model's histories when installed."""

    def set_log_scale(self, on: bool) -> None:
        """Nothing drawn yet: the real loss plot takes the model's scale when installed."""


def make_dock(
    window: QMainWindow, docks: dict, name: str, title: str, widget: QWidget, scroll: bool = False
) -> QDockWidget:
    """A dock ``name`` holding ``widget`` (in a scroll area if ``scroll``), kept in
    ``docks`` under its objectName; the caller places it."""
    dock = QDockWidget(title, window, objectName=name)
    if scroll:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(widget)
        widget = area
    dock.setWidget(widget)
    docks[name] = dock
    return dock


def create_docks(window) -> None:
    """Put the panels, the views (or their placeholders) and the chain-rule inspector in
    docks, kept in ``window.docks``, and give the window its first-start size and
    layout (:func:`gui.window.layout.arrange_default`)."""
    window.add_dock("dockTraining", "Training", window.training_panel, scroll=True)
    window.add_dock("dockBuilder", "Network builder", window.layer_editor, scroll=True)
    window.add_dock("dockData", "Data", window.data_panel, scroll=True)
    for name, title, attr, _, _ in VIEW_DOCKS:
        window.add_dock(name, title, getattr(window, attr))
    window.add_dock("dockChainRule", "Chain rule", window.chain_rule_view)
    arrange_default(window)


def replace_placeholders(window) -> None:
    """Create the plot views (imports pyqtgraph) in place of their placeholders; each
    becomes the window attribute of VIEW_DOCKS."""
    for name, _, attr, module, cls in VIEW_DOCKS:
        view = getattr(importlib.import_module(f"{VIEWS_PACKAGE}.{module}"), cls)()
        old = window.docks[name].widget()
        window.docks[name].setWidget(view)
        if old is not None:
            old.deleteLater()
        setattr(window, attr, view)


__all__ = ["VIEW_DOCKS", "Placeholder", "create_docks", "make_dock", "replace_placeholders"]
