"""The main window: the shell that holds the control panels and the views in docks the
user can move, the status bar and the messages, and the parts that each add their own
actions and menu entries (:mod:`gui.window.menus`):

* :class:`~gui.window.training_actions.TrainingActions` - Play, Step, Reset, Quit;
* :class:`~gui.window.stepping.Stepping` - step-by-step mode and the chain-rule inspector;
* :class:`~gui.files.weight_files.WeightFiles` - export / import weights;
* :class:`~gui.files.session_files.SessionFiles` (``window.session``) - the ``.bplab``
  session file: New, Open, Open Recent, Save, Save As, the unsaved-work questions, the title;
* :class:`~gui.window.undo_actions.UndoActions` - Edit > Undo / Redo;
* :class:`~gui.files.recovery.Recovery` - autosave and the crash-recovery offer;
* :class:`~gui.files.plot_files.PlotFiles` - File > Export Plot, the loss history as CSV;
* :class:`~gui.window.appearance.Appearance` - remembered layout, Reset Layout, theme, full screen;
* :class:`~gui.window.help.Help` - keyboard shortcuts, About;
* :class:`~gui.window.shortcut_focus.ShortcutFocus` - the window's keys work in number boxes.

What the user works on is the model's (``window.lab``, kept in step with the panels and
the controller by :mod:`.lab_binding`). The window computes no numbers: the controller
owns training and sends snapshots; the model keeps their histories, the views show them.

For tests and automation: ``MainWindow()`` builds the window with the default example
without showing it; ``controller`` is the controller; :meth:`export_weights`,
:meth:`import_weights`, :meth:`save_session`, :meth:`open_session`, :meth:`step`,
:meth:`step_phase`, :meth:`finish_iteration`, :meth:`reset`, :meth:`inspect_weight` and
:meth:`export_derivation` do what the menu items and clicks do, minus the file dialogs.
Every message goes through :meth:`show_error` (also :attr:`messageShown` and the status
bar; with ``quiet_messages`` set no box opens), every question through :mod:`gui.questions`
(non-blocking; tests answer through ``questions.show``).
"""

from __future__ import annotations

import os

from backprop_lab.engine.formats import FORMATS
from backprop_lab.engine.network import Network
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QWidget

from ..files.drops import dropped_file, open_dropped
from ..files.operations import FileOperations
from ..files.plot_files import PlotFiles
from ..files.recovery import Recovery
from ..files.session_files import SessionFiles
from ..files.weight_files import WeightFiles
from ..fonts import FontNotice
from ..messages import render
from ..model.lab import LabModel
from ..model.records import DataChoice, NetworkSpec, Problem, TrainingSettings
from ..panels.data_panel import DataPanel
from ..panels.layer_editor import LayerEditor
from ..panels.training_panel import TrainingPanel
from ..tasks import wait_for_tasks
from ..training.controller import TrainingController
from ..training.fanout import SnapshotFanout
from .appearance import Appearance
from .docks import VIEW_DOCKS, Placeholder, create_docks, make_dock, replace_placeholders
from .hang_notice import HangNotice
from .help import Help
from .lab_binding import LabBinding
from .menus import Menus
from .shortcut_focus import ShortcutFocus
from .stepping import Stepping
from .theme import configure_pyqtgraph
from .training_actions import TrainingActions, status_text
from .undo_actions import UndoActions

#: The example the window opens with (engine.defaults, shared with the command line).
DEFAULT_DATA = DataChoice()
DEFAULT_TRAINING = TrainingSettings()
SHUTDOWN_TIMEOUT_MS = 5000

#: the actions of the parts, also reachable as window attributes (automation interface)
PART_ACTIONS = {
    "training": (
        "action_play", "action_step", "action_reset", "action_cancel_work", "action_quit"
    ),
    "stepping": (
        "action_step_phase", "action_finish", "action_copy_derivation",
        "action_export_derivation",
    ),
    "weight_files": ("action_export", "action_import"),
}  # fmt: skip
FILE_PART_ACTIONS = {
    "undo": ("action_undo", "action_redo"),
    "session": ("action_new", "action_open", "action_save", "action_save_as"),
    "plot_files": ("action_export_csv",),
    "help": ("action_shortcuts", "action_about"),
    "appearance": ("action_full_screen", "action_reset_layout"),
}


class MainWindow(QMainWindow):
    """Backprop Lab's main window (see the module docstring)."""

    messageShown = Signal(str, str)  # title, text of every message
    # undo keeps what these announce
    trainingAboutToBeCleared = Signal()  # paused; the views still show the run
    networkImported = Signal(str)  # the weight file's path
    viewsInstalled = Signal()

    def __init__(self, parent: QWidget | None = None, *, defer_views: bool = False) -> None:
        """Build the window with the default example (not shown). ``defer_views``: leave
        placeholders for the plot views until :meth:`install_views`, so that the window
        appears before pyqtgraph (about a second to import) is loaded, as the app does."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Backprop Lab")
        self.setDockNestingEnabled(True)
        self.setAcceptDrops(True)
        self.quiet_messages = False
        self.last_message: tuple[str, str] | None = None
        self._message_box: QMessageBox | None = None
        self._last_snapshot: Snapshot | None = None
        self._views_installed = False
        self._closing = False

        self.controller = TrainingController(self)
        # views get snapshots one per event-loop turn while playing ("latest wins")
        self._fanout = SnapshotFanout(parent=self)
        self.menus = Menus(self)
        self.training = TrainingActions(self)
        self.stepping = Stepping(self)
        self.file_operations = FileOperations(self)  # one file read or write at a time
        self.weight_files = WeightFiles(self)
        self._forward_actions(PART_ACTIONS)
        self.data_panel = DataPanel(DEFAULT_DATA)
        self.layer_editor = LayerEditor(self.data_panel.dataset)
        self.training_panel = TrainingPanel(DEFAULT_TRAINING)
        self.training_panel.set_actions(self.action_play, self.action_step, self.action_reset)
        self.training_panel.set_phase_actions(self.action_step_phase, self.action_finish)
        self.phase_indicator = self.stepping.phase_indicator
        self.sample_chooser = self.stepping.sample_chooser
        self.chain_rule_view = self.stepping.chain_rule_view
        for _, _, attr, _, _ in VIEW_DOCKS:
            setattr(self, attr, Placeholder())
        self.docks: dict[str, QDockWidget] = {}
        create_docks(self)
        self.stepping.install()
        for dock in self.docks.values():
            self.menus.add("view", "docks", dock.toggleViewAction())
        self.menus.add("view", "docks", self.stepping.step_toolbar.toggleViewAction())
        self.status_label = QLabel(objectName="statusLabel")
        self.statusBar().addPermanentWidget(self.status_label)
        self.font_notice = FontNotice(self.statusBar())  # Japanese without a CJK font: say so
        self.lab = LabModel(
            self.data_panel.choice, self.data_panel.dataset, self.layer_editor.spec(),
            self.training_panel.settings(),
        )  # fmt: skip
        self.binding = LabBinding(self, self.lab)
        self._connect()

        if not defer_views:
            self.install_views()
        self.binding.apply_problem()
        # the parts that keep the user's work: the session file, undo, autosave
        self.undo = UndoActions(self)
        self.session = SessionFiles(self)  # the .bplab file
        self.recovery = Recovery(self)
        self.plot_files = PlotFiles(self)
        self.help = Help(self)
        self.shortcut_focus = ShortcutFocus(self)  # the window's keys win in number boxes
        self.hang_notice = HangNotice(self)  # the training process stopped answering
        self.appearance = Appearance(self)  # last: it remembers the first-start layout
        self._forward_actions(FILE_PART_ACTIONS)
        self.session.update_title()

    def _forward_actions(self, table: dict[str, tuple[str, ...]]) -> None:
        for part, names in table.items():
            for name in names:
                setattr(self, name, getattr(getattr(self, part), name))

    def add_dock(self, name: str, title: str, widget: QWidget, scroll: bool = False) -> QDockWidget:
        """A dock ``name`` holding ``widget``, kept in :attr:`docks`; the caller places it."""
        return make_dock(self, self.docks, name, title, widget, scroll)

    def _connect(self) -> None:
        c = self.controller
        c.snapshotReady.connect(self._on_snapshot)
        c.runningChanged.connect(self.stepping.update_phase_views)
        c.runningChanged.connect(self._update_status)
        c.diverged.connect(self._on_diverged)
        c.errorOccurred.connect(self._on_worker_error)
        self.action_step.triggered.connect(self.step)
        self.action_reset.triggered.connect(self.reset)

    @Slot()
    def install_views(self) -> None:
        """Create the plot views (imports pyqtgraph) and put them in their docks."""
        if self._views_installed:
            return
        configure_pyqtgraph()
        replace_placeholders(self)
        self._views_installed = True
        self._fanout.set_views([*self.views, self.training_panel])
        self.loss_plot.set_histories(self.lab.histories)
        self.grad_norm_plot.set_histories(self.lab.histories)
        self.loss_plot.set_log_scale(self.lab.loss_log_scale)
        self.loss_plot.logScaleChanged.connect(self.lab.set_loss_log_scale)
        self.decision_view.set_dataset(self.lab.dataset)
        self.stepping.connect_views()
        if self._last_snapshot is not None:
            self._show_snapshot(self._last_snapshot)
        self.stepping.update_phase_views()
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
    def views_installed(self) -> bool:
        """True once the plot views have replaced their placeholders."""
        return self._views_installed

    @property
    def network_spec(self) -> NetworkSpec:
        """The spec the network was last built from (the model's)."""
        return self.lab.spec

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

    # ------------------------------------------------------------------ problem
    def apply_spec(self, spec: NetworkSpec, dtype: str = "float64") -> None:
        """Show ``spec`` in the builder and re-initialise the network from it on the
        current data, without asking (reopened sessions, undo/redo)."""
        lab = self.lab
        self.lab.set_problem(Problem(lab.choice, lab.dataset, spec, dtype))

    # ------------------------------------------------------------------ training
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
        self.clear_views()
        self.stepping.forget_inspection()
        self.statusBar().clearMessage()
        self.controller.reset()
        self.lab.announce_replaced("reset")

    def clear_views(self) -> None:
        """Pause (the run's final snapshot arrives now), then make the views forget."""
        self.controller.pause()
        self.trainingAboutToBeCleared.emit()
        self.lab.announce_clear()
        self.lab.clear_history()
        self._fanout.clear()
        for view in self.views:
            view.clear()
        self.training_panel.clear()

    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        self._last_snapshot = snap
        self.lab.record(snap)
        if self._views_installed:
            self._show_snapshot(snap)
        if not self.controller.is_running:
            self.stepping.refresh_inspector()

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
        self.status_label.setText(status_text(snap, playing=self.controller.is_running))

    @Slot(bool)
    def _update_status(self, running: bool) -> None:
        """Paused: the status line loses its speed ("it/s" belongs to playing)."""
        if self._last_snapshot is not None:
            self.status_label.setText(status_text(self._last_snapshot, playing=running))

    @Slot(str)
    def _on_diverged(self, message: str) -> None:
        self.show_error(self.tr("Training diverged"), render(message))  # the window's language

    @Slot(str)
    def _on_worker_error(self, message: str) -> None:
        self.show_error(self.tr("Training stopped"), message)

    # ------------------------------------------------------------------ the parts' automation
    def step_phase(self) -> None:
        """One phase of the iteration (see :meth:`Stepping.step_phase`)."""
        self.stepping.step_phase()

    def finish_iteration(self) -> None:
        """The rest of the iteration under way (see :meth:`Stepping.finish_iteration`)."""
        self.stepping.finish_iteration()

    def inspect_weight(self, layer: int, row: int, col: int | None) -> None:
        """Open the chain-rule inspector for one weight, exactly as clicking its edge
        does (see :meth:`Stepping.inspect_weight`; ``layer`` counts from 1)."""
        self.stepping.inspect_weight(layer, row, col)

    def export_derivation(self, path: str | os.PathLike) -> bool:
        """Write the inspected weight's worked example (Markdown) to ``path``."""
        return self.stepping.export_derivation(path)

    def export_weights(self, path: str | os.PathLike) -> bool:
        """Save the current (last finite) weights to ``path`` (see :class:`WeightFiles`)."""
        return self.weight_files.export_weights(path)

    def import_weights(self, path: str | os.PathLike) -> bool:
        """Replace the network by the one saved in ``path`` (see :class:`WeightFiles`)."""
        return self.weight_files.import_weights(path)

    def save_session(self, path: str | os.PathLike) -> bool:
        """Save the session to ``path`` as File > Save As does, minus the file dialog."""
        return self.session.save_to(path)

    def open_session(self, path: str | os.PathLike) -> bool:
        """Open the session file ``path`` as File > Open does (asking about unsaved work
        first), minus the file dialog. A bad file shows a message and changes nothing."""
        return self.session.open(path)

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_file(event)
        if not path:
            event.ignore()
            return
        event.acceptProposedAction()
        open_dropped(self, path)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved work (Save / Discard / Cancel; Save closes after the save),
        then stop and join the training thread and the background tasks (timeouts)."""
        if not self._closing and not self.session.confirm_close():
            event.ignore()
            return
        if not self._closing:
            self._closing = True
            self.data_panel.shutdown(SHUTDOWN_TIMEOUT_MS)
            self.controller.shutdown(SHUTDOWN_TIMEOUT_MS)
            self.chain_rule_view.runner.shutdown(SHUTDOWN_TIMEOUT_MS)
            self.session.shutdown()
            self.recovery.shutdown()
            self.appearance.shutdown()
            wait_for_tasks(SHUTDOWN_TIMEOUT_MS, cancel=False)  # (other windows' too)
        event.accept()


__all__ = ["DEFAULT_DATA", "DEFAULT_TRAINING", "FORMATS", "MainWindow"]
