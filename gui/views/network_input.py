"""The user's input to the network view: the Weights / Gradients buttons
(:func:`mode_buttons`) and the mouse (:class:`NetworkPointer`). A left click on a neuron
of a layer emits the view's ``nodeClicked`` (the window inspects its bias), on an edge
selects that weight; hovering a node shows its numbers as the plot's tooltip, and in
step-by-step mode hovering an edge shows the frame's numbers for it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QPointF, Qt, Slot
from PySide6.QtWidgets import QButtonGroup, QToolButton, QWidget


def mode_buttons(
    parent: QWidget, modes: tuple[str, ...]
) -> tuple[QButtonGroup, dict[str, QToolButton]]:
    """One checkable button per mode (objectNames networkWeightsButton,
    networkGradientsButton), exclusive in the returned group, the first checked; not
    connected. Their texts: :func:`retranslate_mode_buttons`."""
    group = QButtonGroup(parent)
    buttons: dict[str, QToolButton] = {}
    for mode in modes:
        b = QToolButton()
        b.setObjectName(f"network{mode.capitalize()}Button")
        b.setCheckable(True)
        group.addButton(b)
        buttons[mode] = b
    buttons[modes[0]].setChecked(True)
    retranslate_mode_buttons(buttons)
    return group, buttons


def retranslate_mode_buttons(buttons: dict[str, QToolButton]) -> None:
    """The buttons' texts and tooltips in the current language ("weights" and
    "gradients" are the modes :func:`mode_buttons` knows)."""
    texts = {
        "weights": (
            QCoreApplication.translate("NetworkView", "Weights"),
            QCoreApplication.translate("NetworkView", "Edges show the weights"),
        ),
        "gradients": (
            QCoreApplication.translate("NetworkView", "Gradients"),
            QCoreApplication.translate("NetworkView", "Edges show the dL/dw of the last step"),
        ),
    }
    for mode, b in buttons.items():
        text, tip = texts.get(mode, (mode.capitalize(), ""))
        b.setText(text)
        b.setToolTip(tip)


class NetworkPointer(QObject):
    """Listens to ``view``'s plot scene (a child of the view, living in the GUI thread).
    ``view`` is the :class:`~.network_view.NetworkView` (not imported: it imports this)."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self._vb = view.plot.getPlotItem().vb
        view.plot.scene().sigMouseClicked.connect(self._on_clicked)
        view.plot.scene().sigMouseMoved.connect(self._on_moved)

    @Slot(object)
    def _on_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        pos = ev.scenePos()
        if not self._vb.sceneBoundingRect().contains(pos):
            return
        view = self._view
        p = self._vb.mapSceneToView(pos)
        node = view.node_at(p.x(), p.y())
        if node is not None and node[0] > 0:  # a neuron (its bias), not an input
            view.nodeClicked.emit(*node)
            return
        hit = view.edge_at(p.x(), p.y())
        if hit is not None:
            view.select_edge(*hit)

    @Slot(object)
    def _on_moved(self, pos: QPointF) -> None:
        view = self._view
        frame = view.phase_frame
        if view.snapshot is None and frame is None:
            return
        if not self._vb.sceneBoundingRect().contains(pos):
            return
        p = self._vb.mapSceneToView(pos)
        node = view.node_at(p.x(), p.y())
        text = ""
        if node is not None:
            text = view.node_info(*node)
        elif frame is not None:
            edge = view.edge_at(p.x(), p.y())
            if edge is not None:
                text = frame.edge_info(*edge)
        view.plot.setToolTip(text)
