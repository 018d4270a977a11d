"""The main window's docks: the three control panels on the left, the five plot views on
the right (the chain-rule dock is the step-by-step part's), and the placeholders that
stand in for the views until pyqtgraph is loaded (``MainWindow(defer_views=True)``).
"""

from __future__ import annotations

import importlib

from backprop_lab.engine.data import Dataset
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QScrollArea, QWidget

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
    """Put the panels and the views (or their placeholders) in docks, in the first-start
    layout: Training above the tabbed Network builder / Data on the left, the views on
    the right."""
    left = Qt.DockWidgetArea.LeftDockWidgetArea
    right = Qt.DockWidgetArea.RightDockWidgetArea
    training = window.add_dock("dockTraining", "Training", window.training_panel, scroll=True)
    builder = window.add_dock("dockBuilder", "Network builder", window.layer_editor, scroll=True)
    data = window.add_dock("dockData", "Data", window.data_panel, scroll=True)
    window.addDockWidget(left, training)
    window.addDockWidget(left, builder)
    window.tabifyDockWidget(builder, data)
    builder.raise_()
    views = {}
    for name, title, attr, _, _ in VIEW_DOCKS:
        views[name] = window.add_dock(name, title, getattr(window, attr))
    window.addDockWidget(right, views["dockNetwork"])
    window.splitDockWidget(views["dockNetwork"], views["dockLoss"], Qt.Orientation.Vertical)
    window.splitDockWidget(views["dockLoss"], views["dockHeatmaps"], Qt.Orientation.Vertical)
    window.splitDockWidget(views["dockNetwork"], views["dockDecision"], Qt.Orientation.Horizontal)
    window.splitDockWidget(views["dockLoss"], views["dockGradNorms"], Qt.Orientation.Horizontal)
    window.resizeDocks([training, views["dockNetwork"]], [370, 1030], Qt.Orientation.Horizontal)
    window.resizeDocks([training, builder], [300, 560], Qt.Orientation.Vertical)
    window.resizeDocks(
        [views["dockNetwork"], views["dockLoss"], views["dockHeatmaps"]],
        [330, 250, 260],
        Qt.Orientation.Vertical,
    )


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
