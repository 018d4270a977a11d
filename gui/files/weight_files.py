"""Weight files, one part of the main window: File > Export weights... (Ctrl+E; JSON,
NumPy .npz, safetensors, ONNX) and File > Import weights... (Ctrl+I).

:meth:`WeightFiles.export_weights` and :meth:`WeightFiles.import_weights` do what the
menu items do, here and now, minus the file dialog (``MainWindow`` forwards both). The
menu items read and write in the background behind a busy dialog (:mod:`.operations`);
an imported network must fit the data, and the builder then shows its architecture.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from backprop_lab.engine.formats import ModelFileError, load_model, save_model
from backprop_lab.engine.losses import losses_for
from backprop_lab.engine.network import Network
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from .. import file_dialogs, i18n
from .. import settings as user
from ..model.records import NetworkSpec
from .errors import describe_error
from .operations import FileOperation

ERRORS = (ModelFileError, OSError)  # a weight file that failed

#: suffix -> the export dialog's filter (English; shown translated: :func:`export_filters`)
EXPORT_FILTERS = {
    ".json": QT_TRANSLATE_NOOP("WeightFiles", "JSON model (*.json)"),
    ".npz": QT_TRANSLATE_NOOP("WeightFiles", "NumPy arrays (*.npz)"),
    ".safetensors": "safetensors (*.safetensors)",
    ".onnx": QT_TRANSLATE_NOOP("WeightFiles", "ONNX inference graph (*.onnx)"),
}
IMPORT_FILTER = QT_TRANSLATE_NOOP("WeightFiles", "Weight files (*.json *.npz *.safetensors)")


def export_filters() -> dict[str, str]:
    """:data:`EXPORT_FILTERS` in the current language."""
    return {s: QCoreApplication.translate("WeightFiles", f) for s, f in EXPORT_FILTERS.items()}


class WeightFiles(QObject):
    """Export and import of the network's weights for one window."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.action_export = QAction(window, objectName="actionExportWeights")
        self.action_export.setShortcut(QKeySequence("Ctrl+E"))
        self.action_import = QAction(window, objectName="actionImportWeights")
        self.action_import.setShortcut(QKeySequence("Ctrl+I"))
        self.action_export.triggered.connect(self._on_export)
        self.action_import.triggered.connect(self._on_import)
        window.menus.add("file", "weights", self.action_export, self.action_import)
        window.file_operations.busyChanged.connect(self._on_busy_changed)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    @Slot()
    def retranslate(self) -> None:
        """The File menu's weight entries in the current language."""
        self.action_export.setText(self.tr("Export weights..."))
        self.action_import.setText(self.tr("Import weights..."))

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        self.action_export.setEnabled(not busy)
        self.action_import.setEnabled(not busy)

    def export_weights(self, path: str | os.PathLike) -> bool:
        """Save the current (last finite) weights to ``path`` here and now; the format
        follows the suffix (.json if there is none). False and a message if it failed."""
        ops = self.window.file_operations
        return not ops.refuse_if_busy() and ops.run(self._export_operation(path))

    def start_export(self, path: str | os.PathLike) -> bool:
        """File > Export weights' way: write in the background behind the busy dialog."""
        ops = self.window.file_operations
        return not ops.refuse_if_busy() and ops.start(self._export_operation(path))

    def _export_operation(self, path: str | os.PathLike) -> FileOperation:
        path = os.fspath(path)
        if not Path(path).suffix:
            path += ".json"
        net = self.window.current_network()
        net = Network.from_flat(net.architecture, net.flat.copy())  # nothing changes it

        def end(_written: object) -> bool:
            self.window.statusBar().showMessage(self.tr("Weights saved to {0}").format(path), 5000)
            return True

        def failed(error: BaseException) -> None:
            self.window.show_error(
                self.tr("Cannot export the weights"), describe_error(error, path)
            )

        return FileOperation(
            self.tr("Exporting the weights..."), partial(save_model, net, path), end, failed, ERRORS
        )

    def import_weights(self, path: str | os.PathLike) -> bool:
        """Replace the network by the one saved in ``path``, here and now, after checking
        that it fits the data (the builder then shows its architecture). A bad file or a
        network that does not fit shows a message, changes nothing and returns False."""
        ops = self.window.file_operations
        return not ops.refuse_if_busy() and ops.run(self._import_operation(path))

    def start_import(self, path: str | os.PathLike) -> bool:
        """File > Import weights' way: read in the background behind the busy dialog,
        then replace the network."""
        ops = self.window.file_operations
        return not ops.refuse_if_busy() and ops.start(self._import_operation(path))

    def _import_operation(self, path: str | os.PathLike) -> FileOperation:
        path = os.fspath(path)

        def failed(error: BaseException) -> None:
            self.window.show_error(
                self.tr("Cannot import the weights"), describe_error(error, path)
            )

        return FileOperation(
            self.tr("Reading the weights..."),
            partial(load_model, path),
            partial(self._end_import, path),
            failed,
            ERRORS,
        )

    def _end_import(self, path: str, net: Network) -> bool:
        spec, problem = self._spec_for(net)
        if problem:
            name = os.path.basename(path)
            self.window.show_error(self.tr("Cannot import the weights"), f"{name}: {problem}")
            return False
        try:
            if spec != self.window.network_spec:
                self.window.apply_spec(spec)
            self.window.clear_views()
            self.window.controller.set_network(net)
        except ValueError as e:
            self.window.show_error(self.tr("Cannot import the weights"), str(e))
            return False
        self.window.statusBar().showMessage(
            self.tr("Imported {0}: {1}").format(
                os.path.basename(path), net.architecture.describe()
            ),
            5000,
        )
        self.window.networkImported.emit(path)
        self.window.lab.announce_replaced(f"import {os.path.basename(path)}")
        return True

    def _spec_for(self, net: Network) -> tuple[NetworkSpec, str | None]:
        """The builder spec that trains ``net`` on the current data, keeping the current
        loss when it suits the network's output, and why it cannot (or None)."""
        arch, data = net.architecture, self.window.lab.dataset
        current = self.window.network_spec
        losses = losses_for(data, arch.output_activation)
        if not losses:
            return current, self.tr("its {0} output layer does not suit the data {1}").format(
                arch.output_activation, repr(data.name)
            )
        loss = current.loss if current.loss in losses else losses[0]
        spec = NetworkSpec(arch, loss, current.init, current.seed)
        problem = self.window.layer_editor.fits(spec, data)
        if problem:
            problem = self.tr("the network {0} does not fit the data: {1}").format(
                arch.describe(), problem
            )
        return spec, problem

    @Slot()
    def _on_export(self) -> None:
        start = os.path.join(user.last_folder(), "network.json")
        filters = ";;".join(export_filters().values())
        title = self.tr("Export weights")
        file_dialogs.ask_save_file(self.window, title, start, filters, self._export_to)

    def _export_to(self, path: str, chosen: str) -> None:
        if not Path(path).suffix:
            suffix = next((s for s, f in export_filters().items() if f == chosen), ".json")
            path += suffix
        user.remember_folder(path)
        self.start_export(path)

    @Slot()
    def _on_import(self) -> None:
        file_dialogs.ask_open_file(
            self.window,
            self.tr("Import weights"),
            user.last_folder(),
            f"{self.tr(IMPORT_FILTER)};;{file_dialogs.all_files_filter()}",
            self._import_from,
        )

    def _import_from(self, path: str, _filter: str) -> None:
        user.remember_folder(path)
        self.start_import(path)


__all__ = ["EXPORT_FILTERS", "IMPORT_FILTER", "WeightFiles", "export_filters"]
