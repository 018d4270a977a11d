"""The hidden-layer table of the network builder (objectName ``layerTable``): one row per
hidden layer, input side first, each with a width spin box (1..``engine.network.MAX_UNITS``)
and a list of hidden-layer activations.

The table only shows layers and reports what the user changed in a row
(:attr:`LayerTable.widthEdited`, :attr:`LayerTable.activationEdited`); whether the edit
is possible is the :class:`~.layer_editor.LayerEditor`'s decision. :func:`layer_buttons`
makes the Add / Insert / Remove / Up / Down buttons under it.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_lab.engine.activations import HIDDEN_ACTIVATIONS
from backprop_lab.engine.network import MAX_UNITS, LayerSpec
from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)


class LayerTable(QTableWidget):
    """Width and activation of every hidden layer, one row each.

    ``widthEdited(row, width)`` and ``activationEdited(row, activation)`` (row 0-based)
    are emitted whenever a row's spin box or list changes - also while
    :meth:`show_layers` fills them, so the receiver ignores them while it refreshes."""

    widthEdited = Signal(int, int)
    activationEdited = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setObjectName("layerTable")
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.retranslate()

    def retranslate(self) -> None:
        """Headers and tooltip in the window's language (the owner calls it on a language
        change; the rows' widgets stay)."""
        self.setHorizontalHeaderLabels([self.tr("Width"), self.tr("Activation")])
        self.setToolTip(self.tr("Hidden layers, from the input to the output layer"))
        for row in range(self.rowCount()):
            self.setVerticalHeaderItem(row, QTableWidgetItem(self._row_title(row)))

    def _row_title(self, row: int) -> str:
        return self.tr("Layer %1").replace("%1", str(row + 1))

    def show_layers(self, hidden: Sequence[LayerSpec]) -> None:
        """One row per layer of ``hidden`` (widgets reused), the selection kept if the
        selected row still exists."""
        selected = self.current_row()
        self.setRowCount(len(hidden))
        for row, spec in enumerate(hidden):
            self.setVerticalHeaderItem(row, QTableWidgetItem(self._row_title(row)))
            spin = self.cellWidget(row, 0)
            if spin is None:
                spin = QSpinBox()
                spin.setRange(1, MAX_UNITS)
                spin.setKeyboardTracking(False)
                spin.valueChanged.connect(self._on_width_spin)
                self.setCellWidget(row, 0, spin)
                combo = QComboBox()
                combo.addItems(HIDDEN_ACTIVATIONS)
                combo.currentTextChanged.connect(self._on_activation_combo)
                self.setCellWidget(row, 1, combo)
            combo = self.cellWidget(row, 1)
            spin.setValue(spec.units)
            combo.setCurrentText(spec.activation)
        if 0 <= selected < len(hidden):
            self.selectRow(selected)

    def current_row(self) -> int:
        """The selected row's 0-based index, or -1."""
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_after(self, count: int, row: int) -> None:
        """Make room for ``count`` rows and select ``row`` (none if negative) - before an
        edit is shown, so the edited layer stays selected."""
        self.setRowCount(count)
        if row >= 0:
            self.selectRow(row)

    def _row_of(self, widget: QWidget, column: int) -> int:
        for row in range(self.rowCount()):
            if self.cellWidget(row, column) is widget:
                return row
        return -1

    @Slot(int)
    def _on_width_spin(self, value: int) -> None:
        row = self._row_of(self.sender(), 0)
        if row >= 0:
            self.widthEdited.emit(row, value)

    @Slot(str)
    def _on_activation_combo(self, text: str) -> None:
        row = self._row_of(self.sender(), 1)
        if row >= 0:
            self.activationEdited.emit(row, text)


def layer_button_texts() -> tuple[tuple[str, str], ...]:
    """(text, tooltip) of the Add, Insert, Remove, Up and Down buttons in the window's
    language."""

    return (
        (
            QCoreApplication.translate("LayerTable", "Add"),
            QCoreApplication.translate(
                "LayerTable",
                "Add a hidden layer before the output layer (a copy of the last hidden layer)",
            ),
        ),
        (
            QCoreApplication.translate("LayerTable", "Insert"),
            QCoreApplication.translate(
                "LayerTable",
                "Insert a hidden layer before the selected one (a copy of the layer before"
                " it, or of the selected one at the front)",
            ),
        ),
        (
            QCoreApplication.translate("LayerTable", "Remove"),
            QCoreApplication.translate("LayerTable", "Remove the selected hidden layer"),
        ),
        (
            "\u2191",
            QCoreApplication.translate("LayerTable", "Move the selected layer towards the input"),
        ),
        (
            "\u2193",
            QCoreApplication.translate("LayerTable", "Move the selected layer towards the output"),
        ),
    )


def layer_buttons() -> tuple[QToolButton, QToolButton, QToolButton, QToolButton, QToolButton]:
    """The Add, Insert, Remove, Up and Down buttons under the table (objectNames
    addLayerButton, insertLayerButton, removeLayerButton, moveLayerUpButton,
    moveLayerDownButton), not connected, with the texts of :func:`layer_button_texts`
    (the owner sets them again on a language change)."""
    names = (
        "addLayerButton",
        "insertLayerButton",
        "removeLayerButton",
        "moveLayerUpButton",
        "moveLayerDownButton",
    )
    buttons = []
    for name, (text, tip) in zip(names, layer_button_texts(), strict=True):
        button = QToolButton(objectName=name)
        button.setText(text)
        button.setToolTip(tip)
        buttons.append(button)
    return tuple(buttons)
