"""The main window's docks: the three control panels and the five plot views (the
chain-rule dock is the step-by-step part's), and the placeholders that stand in for the
views until pyqtgraph is loaded (``MainWindow(defer_views=True)``). Where they go is
:mod:`.layout`'s.
"""

from __future__ import annotations

import importlib

from backprop_lab.engine.data import Dataset
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from .. import i18n
from .layout import arrange_default

#: the context of the dock titles (translated when shown: :class:`DockTitles`)
CONTEXT = "Docks"
#: (objectName, title, attribute, module, class) of every view dock.
VIEW_DOCKS = (
    ("dockNetwork", QT_TRANSLATE_NOOP("Docks", "Network"), "network_view", "network_view",
     "NetworkView"),
    ("dockDecision", QT_TRANSLATE_NOOP("Docks", "Decision boundary / fit"), "decision_view",
     "decision_view", "DecisionView"),
    ("dockLoss", QT_TRANSLATE_NOOP("Docks", "Loss"), "loss_plot", "loss_plot", "LossPlot"),
    ("dockGradNorms", QT_TRANSLATE_NOOP("Docks", "Gradient norms per layer"), "grad_norm_plot",
     "grad_norms", "GradNormPlot"),
    ("dockHeatmaps", QT_TRANSLATE_NOOP("Docks", "Weights and gradients"), "heatmaps", "heatmaps",
     "GradientHeatmaps"),
)  # fmt: skip
#: the panels' docks and the inspector's: objectName -> title
PANEL_DOCKS = {
    "dockTraining": QT_TRANSLATE_NOOP("Docks", "Training"),
    "dockBuilder": QT_TRANSLATE_NOOP("Docks", "Network builder"),
    "dockData": QT_TRANSLATE_NOOP("Docks", "Data"),
    "dockChainRule": QT_TRANSLATE_NOOP("Docks", "Chain rule"),
}
VIEWS_PACKAGE = "backprop_lab.gui.views"
#: the dynamic property holding a dock's English title
SOURCE_TITLE = "sourceTitle"


class Placeholder(QLabel):
    """Stands in for a view until the plotting library is loaded (see ``install_views``)."""

    def __init__(self) -> None:
        super().__init__()
        self.setText(self.tr("Loading..."))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # takes the share of the window its view will (see gui.window.layout)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setText(self.tr("Loading..."))
        super().changeEvent(event)

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
    ``docks`` under its objectName; the caller places it. ``title`` is English: the
    dock shows its translation (context "Docks") and follows the language."""
    dock = QDockWidget(QCoreApplication.translate(CONTEXT, title), window, objectName=name)
    dock.setProperty(SOURCE_TITLE, title)
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
    window.add_dock("dockTraining", PANEL_DOCKS["dockTraining"], window.training_panel, True)
    window.add_dock("dockBuilder", PANEL_DOCKS["dockBuilder"], window.layer_editor, True)
    window.add_dock("dockData", PANEL_DOCKS["dockData"], window.data_panel, scroll=True)
    for name, title, attr, _, _ in VIEW_DOCKS:
        window.add_dock(name, title, getattr(window, attr))
    window.add_dock("dockChainRule", PANEL_DOCKS["dockChainRule"], window.chain_rule_view)
    window.dock_titles = DockTitles(window)
    arrange_default(window)


class DockTitles(QObject):
    """Keeps the titles of a window's docks (and so their View menu entries) in the
    current language."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        i18n.notifier.languageChanged.connect(self.retranslate)

    @Slot()
    def retranslate(self) -> None:
        """Every dock's title in the current language."""
        for dock in self.window.findChildren(QDockWidget):
            title = dock.property(SOURCE_TITLE)
            if isinstance(title, str):
                dock.setWindowTitle(QCoreApplication.translate(CONTEXT, title))


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


__all__ = [
    "PANEL_DOCKS",
    "VIEW_DOCKS",
    "DockTitles",
    "Placeholder",
    "create_docks",
    "make_dock",
    "replace_placeholders",
]
