"""The main window: control panels and views in docks the user can move, the menus and
actions, and the wiring between them and the :class:`~gui.training.controller.TrainingController`.

The window computes no numbers: the controller owns training (on its thread) and sends
``engine.snapshot.Snapshot`` frames, which the window hands to every view, the training
panel and the status bar.

For tests and automation: ``MainWindow()`` builds the window with the default example
without showing it; ``controller`` is the controller; :meth:`export_weights` and
:meth:`import_weights` do what the File menu items do, minus the file dialog. Every
message goes through :meth:`show_error` (also emitted as :attr:`messageShown` and shown in
the status bar; with ``quiet_messages`` set no message box opens) and every question
through :meth:`ask`, so tests can replace both instead of facing modal dialogs.

Step by step (issue 4): Step (F10) runs one whole iteration, Step phase (F11) one phase
of it, Finish iteration (Shift+F11) the rest; on the mini-batch or on one chosen training
sample (``sampleChooser``). The ``phaseIndicator`` says where the iteration stands, the
network view draws the phase's numbers and the chain-rule inspector (``chainRuleView``)
derives one weight's gradient: :meth:`inspect_weight` does what clicking its edge does.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.formats import (
    FORMATS,
    LOADABLE_FORMATS,
    ModelFileError,
    load_model,
    save_model,
)
from backprop_lab.engine.formats.session import SUFFIX as SESSION_SUFFIX
from backprop_lab.engine.network import Network
from backprop_lab.engine.snapshot import Snapshot
from backprop_lab.engine.stepper import PhaseStepper
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStyle,
    QToolBar,
    QWidget,
)

from . import settings as user_settings
from .inspector.chain_rule_view import ChainRuleView, path_edges
from .inspector.context import chosen_row, explain_request
from .inspector.phase_frame import build_frame, data_text
from .inspector.phase_indicator import PhaseIndicator
from .inspector.sample_chooser import SampleChooser
from .panels.data_panel import DataChoice, DataPanel
from .panels.layer_editor import LayerEditor, NetworkSpec
from .panels.training_panel import TrainingPanel, TrainingSettings
from .progress import run_with_progress
from .session.session_manager import SessionManager
from .training.controller import TrainingController
from .training.fanout import SnapshotFanout

#: The example the window opens with: it learns visibly within a second of Play.
DEFAULT_DATA = DataChoice(source="circles", noise=0.1, samples=200, val_split=0.2, seed=0)
DEFAULT_TRAINING = TrainingSettings(learning_rate=0.5, optimizer="sgd", batch_size=32)
SHUTDOWN_TIMEOUT_MS = 5000

EXPORT_FILTERS = {
    ".json": "JSON model (*.json)",
    ".npz": "NumPy arrays (*.npz)",
    ".safetensors": "safetensors (*.safetensors)",
    ".onnx": "ONNX inference graph (*.onnx)",
}
IMPORT_FILTER = "Weight files (*.json *.npz *.safetensors)"

#: (objectName, title, attribute, module, class) of every view dock.
VIEW_DOCKS = (
    ("dockNetwork", "Network", "network_view", "network_view", "NetworkView"),
    ("dockDecision", "Decision boundary / fit", "decision_view", "decision_view", "DecisionView"),
    ("dockLoss", "Loss", "loss_plot", "loss_plot", "LossPlot"),
    ("dockGradNorms", "Gradient norms per layer", "grad_norm_plot", "grad_norms", "GradNormPlot"),
    ("dockHeatmaps", "Weights and gradients", "heatmaps", "heatmaps", "GradientHeatmaps"),
)


class _Placeholder(QLabel):
    """Stands in for a view until the plotting library is loaded (see ``install_views``)."""

    def __init__(self) -> None:
        super().__init__("Loading...")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        pass

    def clear(self) -> None:
        pass

    def set_dataset(self, dataset: Dataset) -> None:
        pass


class MainWindow(QMainWindow):
    """Backprop Lab's main window (see the module docstring)."""

    messageShown = Signal(str, str)  # title, text of every message
    # issue 5 (gui.session): undo keeps what these announce
    trainingAboutToBeCleared = Signal()  # paused; the views still show the run
    networkImported = Signal(str)  # the weight file's path
    viewsInstalled = Signal()

    def __init__(self, parent: QWidget | None = None, *, defer_views: bool = False) -> None:
        """Build the window with the default example (not shown). ``defer_views``: leave
        placeholders where the plot views go and create them when :meth:`install_views`
        is called, so that the window can appear before pyqtgraph (about a second to
        import) is loaded; ``gui.app.run`` does this."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Backprop Lab")
        self.setDockNestingEnabled(True)
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self.quiet_messages = False
        self.last_message: tuple[str, str] | None = None
        self._message_box: QMessageBox | None = None
        self._last_snapshot: Snapshot | None = None
        self._views_installed = False
        self._closing = False

        self.controller = TrainingController(self)
        # views get snapshots one per event-loop turn while playing (timers and input in
        # between; each view "latest wins" with the loss history merged)
        self._fanout = SnapshotFanout(parent=self)
        self._create_actions()
        self._create_step_actions()
        self.data_panel = DataPanel(DEFAULT_DATA)
        self.layer_editor = LayerEditor(self.data_panel.dataset)
        self.training_panel = TrainingPanel(DEFAULT_TRAINING)
        self.training_panel.set_actions(self.action_play, self.action_step, self.action_reset)
        self.training_panel.set_phase_actions(self.action_step_phase, self.action_finish)
        self.phase_indicator = PhaseIndicator()
        self.sample_chooser = SampleChooser()
        self.chain_rule_view = ChainRuleView()
        self.chain_rule_view.set_actions(self.action_copy_derivation, self.action_export_derivation)
        self._inspected: tuple[int, int, int | None] | None = None
        for _, _, attr, _, _ in VIEW_DOCKS:
            setattr(self, attr, _Placeholder())
        self.docks: dict[str, QDockWidget] = {}
        self._create_docks()
        self._create_step_ui()
        self._create_menus()
        self._create_status_bar()
        self._connect()

        self._spec: NetworkSpec = self.layer_editor.spec()
        if not defer_views:
            self.install_views()
        self._apply_problem()
        self.session = SessionManager(self)  # sessions, undo, autosave, layout, theme

    # ------------------------------------------------------------------ building
    def _create_actions(self) -> None:
        style = self.style()
        self.action_play = QAction("Play", self, objectName="actionPlay", checkable=True)
        self.action_play.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.action_play.setToolTip("Play / pause training (Space)")
        self.action_play.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.action_step = QAction("Step", self, objectName="actionStep")
        self.action_step.setShortcut(QKeySequence(Qt.Key.Key_F10))
        self.action_step.setToolTip("One iteration: forward, loss, backward, update (F10)")
        self.action_step.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward))
        self.action_reset = QAction("Reset", self, objectName="actionReset")
        self.action_reset.setShortcut(QKeySequence("Ctrl+R"))
        self.action_reset.setToolTip("Re-initialise the weights from the seed (Ctrl+R)")
        self.action_reset.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.action_export = QAction("Export weights...", self, objectName="actionExportWeights")
        self.action_export.setShortcut(QKeySequence("Ctrl+E"))
        self.action_import = QAction("Import weights...", self, objectName="actionImportWeights")
        self.action_import.setShortcut(QKeySequence("Ctrl+I"))
        self.action_quit = QAction("Quit", self, objectName="actionQuit")
        self.action_quit.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        for a in (self.action_play, self.action_step, self.action_reset):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _dock(self, name: str, title: str, widget: QWidget, scroll: bool = False) -> QDockWidget:
        dock = QDockWidget(title, self, objectName=name)
        if scroll:
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setWidget(widget)
            widget = area
        dock.setWidget(widget)
        self.docks[name] = dock
        return dock

    def _create_docks(self) -> None:
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        training = self._dock("dockTraining", "Training", self.training_panel, scroll=True)
        builder = self._dock("dockBuilder", "Network builder", self.layer_editor, scroll=True)
        data = self._dock("dockData", "Data", self.data_panel, scroll=True)
        self.addDockWidget(left, training)
        self.addDockWidget(left, builder)
        self.tabifyDockWidget(builder, data)
        builder.raise_()
        views = {}
        for name, title, attr, _, _ in VIEW_DOCKS:
            views[name] = self._dock(name, title, getattr(self, attr))
        self.addDockWidget(right, views["dockNetwork"])
        self.splitDockWidget(views["dockNetwork"], views["dockLoss"], Qt.Orientation.Vertical)
        self.splitDockWidget(views["dockLoss"], views["dockHeatmaps"], Qt.Orientation.Vertical)
        self.splitDockWidget(views["dockNetwork"], views["dockDecision"], Qt.Orientation.Horizontal)
        self.splitDockWidget(views["dockLoss"], views["dockGradNorms"], Qt.Orientation.Horizontal)
        self.resizeDocks([training, views["dockNetwork"]], [370, 1030], Qt.Orientation.Horizontal)
        self.resizeDocks([training, builder], [300, 560], Qt.Orientation.Vertical)
        self.resizeDocks(
            [views["dockNetwork"], views["dockLoss"], views["dockHeatmaps"]],
            [330, 250, 260],
            Qt.Orientation.Vertical,
        )

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_export)
        file_menu.addAction(self.action_import)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        file_menu.insertActions(
            self.action_quit, [self.action_copy_derivation, self.action_export_derivation]
        )
        file_menu.insertSeparator(self.action_quit)
        train_menu = bar.addMenu("&Train")
        for a in (self.action_play, self.action_step, self.action_step_phase):
            train_menu.addAction(a)
        train_menu.addAction(self.action_finish)
        train_menu.addAction(self.action_reset)
        view_menu = bar.addMenu("&View")
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.step_toolbar.toggleViewAction())

    def _create_status_bar(self) -> None:
        self.status_label = QLabel(objectName="statusLabel")
        self.statusBar().addPermanentWidget(self.status_label)

    def _connect(self) -> None:
        c = self.controller
        c.snapshotReady.connect(self._on_snapshot)
        c.runningChanged.connect(self._on_running_changed)
        c.diverged.connect(self._on_diverged)
        c.errorOccurred.connect(self._on_worker_error)
        self.action_play.toggled.connect(self._on_play_toggled)
        self.action_step.triggered.connect(self.step)
        self.action_reset.triggered.connect(self.reset)
        self.action_export.triggered.connect(self._on_export)
        self.action_import.triggered.connect(self._on_import)
        self.action_quit.triggered.connect(self.close)
        self.layer_editor.architectureChanged.connect(self._on_architecture_changed)
        self.data_panel.datasetChanged.connect(self._on_dataset_changed)
        self.data_panel.loadFailed.connect(self._on_data_failed)
        self.data_panel.busyChanged.connect(self._on_data_busy)
        self.training_panel.configChanged.connect(self._on_config_changed)
        self.training_panel.speedChanged.connect(self._on_speed_changed)
        self._connect_step_ui()

    @Slot()
    def install_views(self) -> None:
        """Create the plot views (imports pyqtgraph) and put them in their docks."""
        if self._views_installed:
            return
        import importlib

        from .session.theme import configure_pyqtgraph

        configure_pyqtgraph()
        for name, _, attr, module, cls in VIEW_DOCKS:
            view = getattr(importlib.import_module(f".views.{module}", __package__), cls)()
            old = self.docks[name].widget()
            self.docks[name].setWidget(view)
            if old is not None:
                old.deleteLater()
            setattr(self, attr, view)
        self._views_installed = True
        self._fanout.set_views([*self.views, self.training_panel])
        self.decision_view.set_dataset(self.data_panel.dataset)
        self._connect_views_for_inspection()
        if self._last_snapshot is not None:
            self._show_snapshot(self._last_snapshot)
        self._update_phase_views()
        self.viewsInstalled.emit()

    def current_network(self) -> Network:
        """The weights on screen: while training runs, those of the newest snapshot;
        otherwise the controller's (after a divergence: the last finite ones)."""
        snap = self._last_snapshot
        if self.controller.is_running and snap is not None:
            return snap.network
        return self.controller.network

    @property
    def last_snapshot(self) -> Snapshot | None:
        """The newest snapshot the controller sent."""
        return self._last_snapshot

    @property
    def views(self) -> tuple[QWidget, ...]:
        """Every view that draws snapshots."""
        return tuple(getattr(self, attr) for _, _, attr, _, _ in VIEW_DOCKS)

    # ------------------------------------------------------------------ messages
    def show_error(self, title: str, text: str) -> None:
        """Tell the user something went wrong: status bar, :attr:`messageShown`, and a
        non-blocking message box unless ``quiet_messages`` is set."""
        self.last_message = (title, text)
        self.statusBar().showMessage(text)
        self.messageShown.emit(title, text)
        if self.quiet_messages:
            return
        if self._message_box is not None:
            self._message_box.close()
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("messageBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self._message_box = box
        box.destroyed.connect(self._on_message_box_gone)

    @Slot()
    def _on_message_box_gone(self) -> None:
        self._message_box = None

    def ask(self, title: str, text: str) -> bool:
        """A yes/no question (modal); True for yes."""
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _has_progress(self) -> bool:
        """Training has happened since the last (re)initialisation, or is happening (a
        controller may count the iterations of a running session only when it pauses)."""
        progress = self.controller.has_progress
        progress = progress() if callable(progress) else progress
        snap = self._last_snapshot
        return bool(progress or self.controller.is_running or (snap is not None and snap.step))

    def _confirm_discard(self, change: str) -> bool:
        """True if there is nothing to lose or the user agrees to lose it."""
        if not self._has_progress():
            return True
        return self.ask(
            "Start training afresh?",
            f"{change} re-initialises the network from its seed; the training progress "
            "so far is lost. Continue?",
        )

    # ------------------------------------------------------------------ problem
    def _config(self):
        return self.training_panel.training_config(self._spec.loss, self._spec.seed)

    def apply_spec(self, spec: NetworkSpec, dtype: str = "float64") -> None:
        """Show ``spec`` in the builder and re-initialise the network from it on the
        current data, without asking (reopened sessions, undo/redo)."""
        self.layer_editor.set_spec(spec)
        self._spec = spec
        self._apply_problem(dtype)

    def _apply_problem(self, dtype: str = "float64") -> None:
        """(Re)build the network and trainer from the builder, the data and the settings."""
        spec, data = self._spec, self.data_panel.dataset
        self._clear_views()
        self._forget_inspection()
        self.decision_view.set_dataset(data)
        self.sample_chooser.set_sample_count(len(data.x))
        self.controller.set_problem(
            data, spec.architecture, self._config(), spec.init, spec.seed, dtype
        )
        if self.controller.sample_index != self.sample_chooser.sample_index:
            self.controller.set_sample_index(self.sample_chooser.sample_index)

    @Slot(object)
    def _on_architecture_changed(self, spec: NetworkSpec) -> None:
        if not self._confirm_discard(f"Changing the network ({self.layer_editor.last_edit})"):
            self.layer_editor.set_spec(self._spec)
            return
        self._spec = spec
        self._apply_problem()

    @Slot(object)
    def _on_dataset_changed(self, data: Dataset) -> None:
        if not self._confirm_discard(f"Switching to the data {data.name!r}"):
            self.data_panel.revert()
            return
        self.layer_editor.set_dataset(data)
        self._spec = self.layer_editor.spec()
        self._apply_problem()
        self.statusBar().showMessage(self.data_panel.summary_label.text(), 5000)

    @Slot(str)
    def _on_data_failed(self, message: str) -> None:
        self.show_error("Cannot load the data", message)

    @Slot(bool)
    def _on_data_busy(self, busy: bool) -> None:
        if busy:
            self.statusBar().showMessage(self.data_panel.summary_label.text())

    @Slot()
    def _on_config_changed(self) -> None:
        try:
            self.controller.set_config(self._config())
        except ValueError as e:
            self.show_error("Invalid training settings", str(e))

    @Slot(object)
    def _on_speed_changed(self, iterations_per_second: float | None) -> None:
        self.controller.set_speed(iterations_per_second)

    # ------------------------------------------------------------------ training
    @Slot(bool)
    def _on_play_toggled(self, checked: bool) -> None:
        if checked and not self.controller.is_running:
            self.statusBar().clearMessage()
            self.controller.play()  # finishes an iteration under way first (issue 4)
            if not self.controller.is_running:  # it diverged: training stays paused
                self._on_running_changed(False)
        elif not checked and self.controller.is_running:
            self.controller.pause()

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        self._update_phase_views()
        blocked = self.action_play.blockSignals(True)
        self.action_play.setChecked(running)
        self.action_play.blockSignals(blocked)
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPause if running else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.action_play.setIcon(self.style().standardIcon(pixmap))
        self.action_play.setText("Pause" if running else "Play")

    @Slot()
    def step(self) -> None:
        """Exactly one training iteration (pauses first if training is running) on the
        mini-batch or the chosen sample (``sampleChooser``); an iteration being stepped
        phase by phase is finished instead."""
        self.statusBar().clearMessage()
        self.controller.step(self.sample_chooser.step_sample)

    @Slot()
    def reset(self) -> None:
        """Re-initialise the network from the seed; the views forget their history."""
        self._clear_views()
        self._forget_inspection()
        self.statusBar().clearMessage()
        self.controller.reset()

    def _clear_views(self) -> None:
        """Pause (the run's final snapshot arrives now), then make the views forget."""
        self.controller.pause()
        self.trainingAboutToBeCleared.emit()
        self._fanout.clear()
        for view in self.views:
            view.clear()
        self.training_panel.clear()

    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        self._last_snapshot = snap
        if self._views_installed:
            self._show_snapshot(snap)
        if not self.controller.is_running:
            self._refresh_inspector()

    def _show_snapshot(self, snap: Snapshot) -> None:
        """Hand ``snap`` to the views: while playing, one view per event-loop turn (see
        :class:`gui.training.fanout.SnapshotFanout`); otherwise (a step, a reset, the
        final snapshot of a run) every view at once, so they show it on return."""
        if self._views_installed:
            self._fanout.show_snapshot(snap)
            if not self.controller.is_running:
                self._fanout.flush()
        else:
            self.training_panel.show_snapshot(snap)
        loss = "-" if math.isnan(snap.train_loss) else f"{snap.train_loss:.4g}"
        parts = [f"iteration {snap.step:,}", f"epoch {snap.epoch:,}", f"loss {loss}"]
        if snap.train_accuracy is not None:
            parts.append(f"accuracy {snap.train_accuracy:.1%}")
        if snap.rate > 0:
            parts.append(f"{snap.rate:,.0f} it/s")
        self.status_label.setText("   ".join(parts))

    @Slot(str)
    def _on_diverged(self, message: str) -> None:
        self.show_error("Training diverged", message)

    @Slot(str)
    def _on_worker_error(self, message: str) -> None:
        self.show_error("Training stopped", message)

    # ------------------------------------------------------------------ step by step (issue 4)
    def _create_step_actions(self) -> None:
        style = self.style()
        self.action_step_phase = QAction("Step phase", self, objectName="actionStepPhase")
        self.action_step_phase.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.action_step_phase.setToolTip(
            "One phase: forward layer by layer, loss, backward layer by layer, update (F11)"
        )
        self.action_step_phase.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        self.action_finish = QAction("Finish iteration", self, objectName="actionFinishIteration")
        self.action_finish.setShortcut(QKeySequence("Shift+F11"))
        self.action_finish.setToolTip("Run the rest of the iteration under way (Shift+F11)")
        self.action_finish.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward))
        self.action_finish.setEnabled(False)
        for a in (self.action_step_phase, self.action_finish):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action_copy_derivation = QAction(
            "Copy derivation as Markdown", self, objectName="actionCopyDerivation"
        )
        self.action_copy_derivation.setToolTip("The worked example for the inspected weight")
        self.action_export_derivation = QAction(
            "Export derivation...", self, objectName="actionExportDerivation"
        )
        for a in (self.action_copy_derivation, self.action_export_derivation):
            a.setEnabled(False)

    def _create_step_ui(self) -> None:
        dock = self._dock("dockChainRule", "Chain rule", self.chain_rule_view)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.tabifyDockWidget(self.docks["dockDecision"], dock)
        self.docks["dockDecision"].raise_()
        bar = QToolBar("Step by step", self, objectName="stepToolBar")
        for a in (self.action_play, self.action_step, self.action_step_phase):
            bar.addAction(a)
        bar.addAction(self.action_finish)
        bar.addAction(self.action_reset)
        bar.addSeparator()
        bar.addWidget(self.phase_indicator)
        bar.addSeparator()
        bar.addWidget(self.sample_chooser)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.step_toolbar = bar

    def _connect_step_ui(self) -> None:
        self.controller.phaseChanged.connect(self._on_phase_changed)
        self.action_step_phase.triggered.connect(self.step_phase)
        self.action_finish.triggered.connect(self.finish_iteration)
        self.action_copy_derivation.triggered.connect(self._on_copy_derivation)
        self.action_export_derivation.triggered.connect(self._on_export_derivation)
        self.sample_chooser.changed.connect(self._on_sample_choice)
        self.chain_rule_view.derivationShown.connect(self._on_derivation_shown)

    def _connect_views_for_inspection(self) -> None:
        self.network_view.edgeClicked.connect(self._on_edge_clicked)
        self.network_view.nodeClicked.connect(self._on_node_clicked)
        self.heatmaps.cellClicked.connect(self._on_cell_clicked)
        self.decision_view.train_points.sigClicked.connect(self._on_point_clicked)

    @Slot()
    def step_phase(self) -> None:
        """One phase of the iteration (pauses first if training is running); begins the
        next iteration on the mini-batch or the chosen sample when none is under way."""
        self.statusBar().clearMessage()
        self.controller.advance_phase(self.sample_chooser.step_sample)

    @Slot()
    def finish_iteration(self) -> None:
        """The remaining phases of the iteration under way, which is then applied."""
        self.statusBar().clearMessage()
        if self.controller.finish_iteration() is None and not self.controller.iteration_pending:
            self.statusBar().showMessage(
                "No iteration under way: Step phase (F11) begins one", 5000
            )

    def inspect_weight(self, layer: int, row: int, col: int | None) -> None:
        """Open the chain-rule inspector for one weight, exactly as clicking its edge does.

        ``layer`` counts from 1 (the first layer after the input), ``row`` (j, the unit)
        and ``col`` (i, the input) from 0: the JSON model's ``weight[row][col]`` of that
        layer, ``backprop-lab explain --weight L,J,I`` and the article's w(l)_ji. (The
        network view's ``edgeClicked`` counts layers from 0: it is called with layer - 1.)
        ``col`` None inspects the bias of unit ``row``. ValueError if the network has no
        such weight."""
        net = self.controller.network
        if net is None:
            raise ValueError("there is no network to inspect")
        arch = net.architecture
        if not 1 <= layer <= net.depth:
            raise ValueError(f"layer must be between 1 and {net.depth}, got {layer}")
        units, inputs = arch.sizes[layer], arch.sizes[layer - 1]
        if not 0 <= row < units or (col is not None and not 0 <= col < inputs):
            raise ValueError(f"layer {layer} has no weight [{row}][{col}] ({units} x {inputs})")
        if col is None and not arch.bias:
            raise ValueError("the network has no biases")
        if self._views_installed and col is not None:
            self.network_view.select_edge(layer - 1, row, col)  # -> edgeClicked -> _inspect
        else:
            self._inspect(layer, row, col)

    def export_derivation(self, path: str | os.PathLike) -> bool:
        """Write the inspected weight's worked example (Markdown) to ``path`` atomically;
        False and a message if there is none or it failed."""
        path = os.fspath(path)
        try:
            self.chain_rule_view.export_markdown(path)
        except (OSError, ValueError) as e:
            self.show_error("Cannot export the derivation", _describe(e, path))
            return False
        self.statusBar().showMessage(f"Derivation saved to {path}", 5000)
        return True

    def _inspect(self, layer: int, row: int, col: int | None) -> None:
        self._inspected = (layer, row, col)
        dock = self.docks["dockChainRule"]
        dock.show()
        dock.raise_()
        self._refresh_inspector()

    def _forget_inspection(self) -> None:
        self._inspected = None
        self.chain_rule_view.clear()
        for a in (self.action_copy_derivation, self.action_export_derivation):
            a.setEnabled(False)

    def _refresh_inspector(self) -> None:
        """Derive the inspected weight again if its numbers changed (a step, a phase
        iteration begun, another sample)."""
        if self._inspected is None:
            return
        request = explain_request(
            self.controller, *self._inspected, self.sample_chooser.sample_index,
            self._last_snapshot,
        )  # fmt: skip
        if request is not None:
            self.chain_rule_view.inspect(request)

    @Slot(object)
    def _on_derivation_shown(self, derivation) -> None:
        for a in (self.action_copy_derivation, self.action_export_derivation):
            a.setEnabled(True)
        if self._views_installed:
            self.network_view.highlight_paths(path_edges(derivation))

    @Slot(int, int, int)
    def _on_edge_clicked(self, layer: int, j: int, i: int) -> None:
        self._inspect(layer + 1, j, i)

    @Slot(int, int)
    def _on_node_clicked(self, column: int, unit: int) -> None:
        net = self.controller.network
        if net is not None and net.architecture.bias:
            self.inspect_weight(column, unit, None)  # the neuron's bias

    @Slot(int, int, int)
    def _on_cell_clicked(self, layer: int, j: int, i: int) -> None:
        self.inspect_weight(layer + 1, j, i)

    @Slot(object, object, object)
    def _on_point_clicked(self, item, points, event) -> None:
        """A training point clicked in the decision view becomes the chosen sample."""
        data = self.data_panel.dataset
        if points is None or len(points) == 0 or data is None:
            return
        p = points[0].pos()
        if data.input_size == 2:
            hit = np.flatnonzero((data.x[:, 0] == p.x()) & (data.x[:, 1] == p.y()))
        elif data.input_size == 1:
            hit = np.flatnonzero((data.x[:, 0] == p.x()) & (data.t[:, 0] == p.y()))
        else:
            return
        if len(hit):
            self.sample_chooser.set_sample_index(int(hit[0]))

    @Slot()
    def _on_sample_choice(self) -> None:
        c, chooser = self.controller, self.sample_chooser
        c.set_sample_index(chooser.sample_index)  # the views' node fills follow
        if c.iteration_pending and (len(c.phase_stepper.x) > 1) != chooser.use_batch:
            c.restart_iteration(chooser.step_sample)  # same phase, now on the new choice
        elif c.iteration_pending and c.phase_sample not in (None, chooser.step_sample):
            c.restart_iteration(chooser.step_sample)
        self._update_phase_views()
        self._refresh_inspector()

    @Slot(object)
    def _on_phase_changed(self, stepper: PhaseStepper | None) -> None:
        self.action_finish.setEnabled(self.controller.iteration_pending)
        self._update_phase_views()
        self._refresh_inspector()

    def _update_phase_views(self) -> None:
        """The phase indicator and the network view follow the stepped iteration."""
        c = self.controller
        s = None if c.is_running else c.phase_stepper
        if s is None:
            self.phase_indicator.show_phase(None, "", c.is_running)
            if self._views_installed and self.network_view.phase_frame is not None:
                self.network_view.show_phase(None)
            return
        single = len(s.x) == 1
        if single:
            row, index = 0, c.phase_sample
        else:
            row, index = chosen_row(c.phase_batch_indices, self.sample_chooser.sample_index)
        detail = data_text(len(s.x), row, index, single, self.sample_chooser.sample_index)
        self.phase_indicator.show_phase(s, f"Iteration {s.step} {detail}")
        if not self._views_installed:
            return
        snap = self._last_snapshot
        change = None
        if s.done and snap is not None and snap.step == s.step and snap.update is not None:
            change = snap.update  # the engine's new - old of this very iteration
        self.network_view.show_phase(build_frame(s, row, index, change, detail))

    @Slot()
    def _on_copy_derivation(self) -> None:
        if self.chain_rule_view.copy_markdown():
            self.statusBar().showMessage("Derivation copied as Markdown", 5000)

    @Slot()
    def _on_export_derivation(self) -> None:
        d = self.chain_rule_view.derivation
        name = "derivation.md" if d is None else f"derivation-{d.symbol}.md"
        name = name.replace("(", "").replace(")", "").replace(",", "-")
        start = os.path.join(self._last_folder(), name)
        path, _ = QFileDialog.getSaveFileName(
            self, "Export derivation", start, "Markdown (*.md);;All files (*)"
        )
        if not path:
            return
        if not Path(path).suffix:
            path += ".md"
        self._remember_folder(path)
        self.export_derivation(path)

    # ------------------------------------------------------------------ weight files
    def export_weights(self, path: str | os.PathLike) -> bool:
        """Save the current (last finite) weights to ``path``; the format follows the
        suffix (.json if there is none). False and a message if it failed."""
        path = os.fspath(path)
        if not Path(path).suffix:
            path += ".json"
        try:
            net = self.current_network()
            run_with_progress(self, "Exporting the weights...", save_model, net, path)
        except (ModelFileError, OSError) as e:
            self.show_error("Cannot export the weights", _describe(e, path))
            return False
        self.statusBar().showMessage(f"Weights saved to {path}", 5000)
        return True

    def import_weights(self, path: str | os.PathLike) -> bool:
        """Replace the network by the one saved in ``path`` after checking that it fits
        the data (the builder then shows its architecture). A bad file or a network that
        does not fit shows a message, changes nothing and returns False."""
        path = os.fspath(path)
        try:
            net = run_with_progress(self, "Reading the weights...", load_model, path)
        except (ModelFileError, OSError) as e:
            self.show_error("Cannot import the weights", _describe(e, path))
            return False
        spec, problem = self._spec_for(net)
        if problem:
            name = os.path.basename(path)
            self.show_error("Cannot import the weights", f"{name}: {problem}")
            return False
        try:
            if spec != self._spec:
                self._spec = spec
                self.layer_editor.set_spec(spec)
                self._apply_problem()
            self._clear_views()
            self.controller.set_network(net)
        except ValueError as e:
            self.show_error("Cannot import the weights", str(e))
            return False
        self.statusBar().showMessage(
            f"Imported {os.path.basename(path)}: {net.architecture.describe()}", 5000
        )
        self.networkImported.emit(path)
        return True

    def _spec_for(self, net: Network) -> tuple[NetworkSpec, str | None]:
        """The builder spec that trains ``net`` on the current data, keeping the current
        loss when it suits the network's output, and why it cannot (or None)."""
        from .panels.layer_editor import losses_for

        arch, data = net.architecture, self.data_panel.dataset
        losses = losses_for(data, arch.output_activation)
        if not losses:
            return self._spec, (
                f"its {arch.output_activation} output layer does not suit the data {data.name!r}"
            )
        loss = self._spec.loss if self._spec.loss in losses else losses[0]
        spec = NetworkSpec(arch, loss, self._spec.init, self._spec.seed)
        problem = self.layer_editor.fits(spec, data)
        if problem:
            problem = f"the network {arch.describe()} does not fit the data: {problem}"
        return spec, problem

    @Slot()
    def _on_export(self) -> None:
        start = os.path.join(self._last_folder(), "network.json")
        filters = ";;".join(EXPORT_FILTERS.values())
        path, chosen = QFileDialog.getSaveFileName(self, "Export weights", start, filters)
        if not path:
            return
        if not Path(path).suffix:
            suffix = next((s for s, f in EXPORT_FILTERS.items() if f == chosen), ".json")
            path += suffix
        self._remember_folder(path)
        self.export_weights(path)

    @Slot()
    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import weights", self._last_folder(), f"{IMPORT_FILTER};;All files (*)"
        )
        if path:
            self._remember_folder(path)
            self.import_weights(path)

    def _last_folder(self) -> str:
        return user_settings.last_folder()

    def _remember_folder(self, path: str) -> None:
        user_settings.remember_folder(path)

    # ------------------------------------------------------------------ sessions (issue 5)
    def save_session(self, path: str | os.PathLike) -> bool:
        """Save the session to ``path`` as File > Save As does, minus the file dialog."""
        return self.session.save_to(path)

    def open_session(self, path: str | os.PathLike) -> bool:
        """Open the session file ``path`` as File > Open does (asking about unsaved work
        first), minus the file dialog. A bad file shows a message and changes nothing."""
        return self.session.open(path)

    # ------------------------------------------------------------------ drag and drop
    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls() or len(mime.urls()) != 1 or not mime.urls()[0].isLocalFile():
            return None
        path = mime.urls()[0].toLocalFile()
        suffix = Path(path).suffix.lower()
        known = suffix in (".csv", SESSION_SUFFIX) or suffix in LOADABLE_FORMATS
        return path if known else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if not path:
            event.ignore()
            return
        event.acceptProposedAction()
        if Path(path).suffix.lower() == ".csv":
            self.data_panel.load_csv_file(path)
        elif Path(path).suffix.lower() == SESSION_SUFFIX:
            self.open_session(path)
        else:
            self.import_weights(path)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved work (Save / Discard / Cancel), then stop and join the
        training thread (and a CSV read) before the window goes."""
        if not self._closing and not self.session.confirm_close():
            event.ignore()
            return
        if not self._closing:
            self._closing = True
            self.data_panel.shutdown(SHUTDOWN_TIMEOUT_MS)
            self.controller.shutdown(SHUTDOWN_TIMEOUT_MS)
            self.chain_rule_view.runner.shutdown(SHUTDOWN_TIMEOUT_MS)
            self.session.shutdown()
        event.accept()


def _describe(error: Exception, path: str) -> str:
    if isinstance(error, ModelFileError):
        return str(error)
    reason = getattr(error, "strerror", None) or str(error)
    return f"{os.path.basename(path)}: {reason}"


__all__ = ["DEFAULT_DATA", "DEFAULT_TRAINING", "FORMATS", "MainWindow"]
