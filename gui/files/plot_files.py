"""Plot export, one part of the main window (``window.plot_files``): File > Export Plot
(each view as PNG or SVG; the view is drawn at once, the file written in the background
behind a busy dialog, see :mod:`.operations`) and File > Export Loss History as CSV. The
drawing and writing are :mod:`.plot_export`'s (imported on first use: it needs
pyqtgraph)."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from .. import file_dialogs, i18n
from .. import settings as user
from ..actions import make_action
from .errors import describe_error
from .operations import FileOperation

PLOT_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"  # English (shown: plot_filter())
PLOT_ERRORS = (OSError, ValueError)  # a plot that could not be exported

#: (menu text, window attribute) of the views File > Export Plot offers (English; shown
#: translated, context "PlotFiles")
PLOTS = (
    (QT_TRANSLATE_NOOP("PlotFiles", "Network view"), "network_view"),
    (QT_TRANSLATE_NOOP("PlotFiles", "Decision boundary / fit"), "decision_view"),
    (QT_TRANSLATE_NOOP("PlotFiles", "Loss curve"), "loss_plot"),
    (QT_TRANSLATE_NOOP("PlotFiles", "Gradient norms"), "grad_norm_plot"),
    (QT_TRANSLATE_NOOP("PlotFiles", "Weights and gradients"), "heatmaps"),
)


class PlotFiles(QObject):
    """Plot and loss-history export for one window (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.export_plot_menu = QMenu(window.menus.file, objectName="menuExportPlot")
        self.plot_actions: dict[str, QAction] = {}
        for _, attr in PLOTS:
            a = make_action(window, "", f"actionExportPlot_{attr}", self._on_export_plot)
            a.setData(attr)
            self.export_plot_menu.addAction(a)
            self.plot_actions[attr] = a
        self.action_export_csv = make_action(window, "", "actionExportLossCsv", self._on_export_csv)
        window.menus.add_menu("file", "weights", self.export_plot_menu)
        window.menus.add("file", "weights", self.action_export_csv)
        window.file_operations.busyChanged.connect(self.export_plot_menu.setDisabled)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    @Slot()
    def retranslate(self) -> None:
        """File > Export Plot and the CSV entry in the current language."""
        self.export_plot_menu.setTitle(self.tr("Export &Plot"))
        for text, attr in PLOTS:
            self.plot_actions[attr].setText(self.tr("{0}...").format(self.tr(text)))
        self.action_export_csv.setText(self.tr("Export Loss History as &CSV..."))

    def export_plot(self, attr: str, path: str | os.PathLike) -> bool:
        """Export the view ``attr`` (e.g. "loss_plot") as PNG or SVG here and now;
        False and a message if it failed."""
        ops = self.window.file_operations
        if ops.refuse_if_busy():
            return False
        op = self._plot_operation(attr, path)
        return op is not None and ops.run(op)

    def start_export_plot(self, attr: str, path: str | os.PathLike) -> bool:
        """File > Export Plot's way: the view is drawn now, the file is encoded and
        written in the background behind the busy dialog."""
        ops = self.window.file_operations
        if ops.refuse_if_busy():
            return False
        op = self._plot_operation(attr, path)
        return op is not None and ops.start(op)

    def _plot_operation(self, attr: str, path: str | os.PathLike) -> FileOperation | None:
        """Draw the view (GUI thread); None and a message if it cannot be drawn."""
        from . import plot_export

        w = self.window

        def failed(error: BaseException) -> None:
            w.show_error(self.tr("Cannot export the plot"), describe_error(error, path))

        target = plot_export.plot_path(path)
        try:
            rendered = plot_export.render_plot(getattr(w, attr), target.suffix)
        except PLOT_ERRORS as e:
            failed(e)
            return None

        def end(written: Path) -> bool:
            w.statusBar().showMessage(self.tr("Plot saved to {0}").format(written), 5000)
            return True

        return FileOperation(
            self.tr("Exporting {0}...").format(target.name),
            partial(plot_export.write_plot, target, rendered),
            end,
            failed,
            PLOT_ERRORS,
        )

    def export_loss_csv(self, path: str | os.PathLike) -> bool:
        """Export the loss history as CSV; False and a message if it failed."""
        from . import plot_export

        w = self.window
        try:
            written = plot_export.export_loss_csv(w.loss_plot, path)
        except (OSError, ValueError, AttributeError) as e:
            w.show_error(self.tr("Cannot export the loss history"), describe_error(e, path))
            return False
        w.statusBar().showMessage(self.tr("Loss history saved to {0}").format(written), 5000)
        return True

    @Slot()
    def _on_export_plot(self) -> None:
        action = self.sender()
        attr = action.data() if isinstance(action, QAction) else None
        if attr is None:
            return
        start = os.path.join(user.last_folder(), f"{attr.replace('_', '-')}.png")
        file_dialogs.ask_save_file(
            self.window,
            self.tr("Export plot"),
            start,
            ";;".join((self.tr("PNG image (*.png)"), self.tr("SVG drawing (*.svg)"))),
            partial(self._export_plot_to, attr),
        )

    def _export_plot_to(self, attr: str, path: str, chosen: str) -> None:
        if not Path(path).suffix:
            path += ".svg" if "svg" in chosen.lower() else ".png"
        user.remember_folder(path)
        self.start_export_plot(attr, path)

    @Slot()
    def _on_export_csv(self) -> None:
        start = os.path.join(user.last_folder(), "loss-history.csv")
        file_dialogs.ask_save_file(
            self.window,
            self.tr("Export loss history"),
            start,
            self.tr("CSV table (*.csv)"),
            self._export_csv_to,
        )

    def _export_csv_to(self, path: str, _filter: str) -> None:
        user.remember_folder(path)
        self.export_loss_csv(path)


__all__ = ["PLOTS", "PLOT_FILTER", "PlotFiles"]
