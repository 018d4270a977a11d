"""Step-by-step mode and the chain-rule inspector, one part of the main window.

Step (F10, the window's) runs one whole iteration; Step phase (F11) one phase of it,
Finish iteration (Shift+F11) the rest; on the mini-batch or on one chosen training
sample (``sampleChooser``). The ``phaseIndicator`` says where the iteration stands, the
network view draws the phase's numbers and the chain-rule inspector (``chainRuleView``,
in the ``dockChainRule`` dock) derives one weight's gradient: :meth:`Stepping.inspect_weight`
does what clicking its edge does. The part adds its actions to the Train menu and the
File menu's ``derivation`` section, and the ``stepToolBar``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from backprop_lab.engine.stepper import PhaseStepper
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStyle, QToolBar

from .. import file_dialogs, i18n
from .. import settings as user
from ..files.errors import describe_error
from ..inspector.chain_rule_view import ChainRuleView, path_edges
from ..inspector.context import chosen_row, explain_request
from ..inspector.phase_indicator import PhaseIndicator
from ..inspector.sample_chooser import SampleChooser
from ..model.phase_frame import build_frame, data_text
from .icons import set_palette_icon


class Stepping(QObject):
    """Step-by-step mode of one window (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.phase_indicator = PhaseIndicator()
        self.sample_chooser = SampleChooser()
        self.chain_rule_view = ChainRuleView()
        self._create_step_actions()
        self.chain_rule_view.set_actions(self.action_copy_derivation, self.action_export_derivation)

    def install(self) -> None:
        """Add the toolbar and the menu entries (once the window's docks - the
        inspector's ``dockChainRule`` among them, see gui.window.docks - and training
        actions exist), and connect."""
        self._create_step_ui()
        w = self.window
        w.menus.add(
            "train", "training", self.action_step_phase, self.action_finish, before=w.action_reset
        )
        w.menus.add(
            "file", "derivation", self.action_copy_derivation, self.action_export_derivation
        )
        self._connect_step_ui()

    def _create_step_actions(self) -> None:
        window = self.window
        self.action_step_phase = QAction(window, objectName="actionStepPhase")
        self.action_step_phase.setShortcut(QKeySequence(Qt.Key.Key_F11))
        set_palette_icon(self.action_step_phase, QStyle.StandardPixmap.SP_ArrowForward)
        self.action_finish = QAction(window, objectName="actionFinishIteration")
        self.action_finish.setShortcut(QKeySequence("Shift+F11"))
        set_palette_icon(self.action_finish, QStyle.StandardPixmap.SP_MediaSeekForward)
        self.action_finish.setEnabled(False)
        for a in (self.action_step_phase, self.action_finish):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action_copy_derivation = QAction(window, objectName="actionCopyDerivation")
        self.action_export_derivation = QAction(window, objectName="actionExportDerivation")
        for a in (self.action_copy_derivation, self.action_export_derivation):
            a.setEnabled(False)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    @Slot()
    def retranslate(self) -> None:
        """The part's actions, toolbar and phase line in the current language."""
        self.action_step_phase.setText(self.tr("Step phase"))
        self.action_step_phase.setToolTip(
            self.tr(
                "One phase: forward layer by layer, loss, backward layer by layer, update (F11)"
            )
        )
        self.action_finish.setText(self.tr("Finish iteration"))
        self.action_finish.setToolTip(
            self.tr("Run the rest of the iteration under way (Shift+F11)")
        )
        self.action_copy_derivation.setText(self.tr("Copy derivation as Markdown"))
        self.action_copy_derivation.setToolTip(
            self.tr("The worked example for the inspected weight")
        )
        self.action_export_derivation.setText(self.tr("Export derivation..."))
        if getattr(self, "step_toolbar", None) is not None:
            self.step_toolbar.setWindowTitle(self.tr("Step by step"))
            self.update_phase_views()

    def _create_step_ui(self) -> None:
        bar = QToolBar(self.tr("Step by step"), self.window, objectName="stepToolBar")
        for a in (self.window.action_play, self.window.action_step, self.action_step_phase):
            bar.addAction(a)
        bar.addAction(self.action_finish)
        bar.addAction(self.window.action_reset)
        bar.addSeparator()
        bar.addWidget(self.sample_chooser)
        bar.addSeparator()
        # last: its sentence changes length with the phase, and nothing after it moves
        bar.addWidget(self.phase_indicator)
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.step_toolbar = bar

    def _connect_step_ui(self) -> None:
        self.window.controller.phaseChanged.connect(self._on_phase_changed)
        self.action_step_phase.triggered.connect(self.step_phase)
        self.action_finish.triggered.connect(self.finish_iteration)
        self.action_copy_derivation.triggered.connect(self._on_copy_derivation)
        self.action_export_derivation.triggered.connect(self._on_export_derivation)
        self.sample_chooser.changed.connect(self._on_sample_choice)
        self.chain_rule_view.derivationShown.connect(self._on_derivation_shown)

    def connect_views(self) -> None:
        self.window.network_view.edgeClicked.connect(self._on_edge_clicked)
        self.window.network_view.nodeClicked.connect(self._on_node_clicked)
        self.window.heatmaps.cellClicked.connect(self._on_cell_clicked)
        self.window.decision_view.train_points.sigClicked.connect(self._on_point_clicked)

    @Slot()
    def step_phase(self) -> None:
        """One phase of the iteration (pauses first if training is running); begins the
        next iteration on the mini-batch or the chosen sample when none is under way."""
        self.window.statusBar().clearMessage()
        self.window.controller.advance_phase(self.sample_chooser.step_sample)

    @Slot()
    def finish_iteration(self) -> None:
        """The remaining phases of the iteration under way, which is then applied."""
        self.window.statusBar().clearMessage()
        if (
            self.window.controller.finish_iteration() is None
            and not self.window.controller.iteration_pending
        ):
            self.window.statusBar().showMessage(
                self.tr("No iteration under way: Step phase (F11) begins one"), 5000
            )

    def inspect_weight(self, layer: int, row: int, col: int | None) -> None:
        """Open the chain-rule inspector for one weight, exactly as clicking its edge does.

        ``layer`` counts from 1 (the first layer after the input), ``row`` (j, the unit)
        and ``col`` (i, the input) from 0: the JSON model's ``weight[row][col]`` of that
        layer, ``backprop-lab explain --weight L,J,I`` and the article's w(l)_ji. (The
        network view's ``edgeClicked`` counts layers from 0: it is called with layer - 1.)
        ``col`` None inspects the bias of unit ``row``. ValueError if the network has no
        such weight."""
        net = self.window.controller.network
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
        if self.window.views_installed and col is not None:
            self.window.network_view.select_edge(layer - 1, row, col)  # -> edgeClicked -> _inspect
        else:
            self._inspect(layer, row, col)

    def export_derivation(self, path: str | os.PathLike) -> bool:
        """Write the inspected weight's worked example (Markdown) to ``path`` atomically;
        False and a message if there is none or it failed."""
        path = os.fspath(path)
        try:
            self.chain_rule_view.export_markdown(path)
        except (OSError, ValueError) as e:
            self.window.show_error(self.tr("Cannot export the derivation"), describe_error(e, path))
            return False
        self.window.statusBar().showMessage(self.tr("Derivation saved to {0}").format(path), 5000)
        return True

    def _inspect(self, layer: int, row: int, col: int | None) -> None:
        self.window.lab.select_weight((layer, row, col))  # the model keeps the choice
        dock = self.window.docks["dockChainRule"]
        dock.show()
        dock.raise_()
        self.refresh_inspector()

    def forget_inspection(self) -> None:
        self.window.lab.select_weight(None)
        self.chain_rule_view.clear()
        for a in (self.action_copy_derivation, self.action_export_derivation):
            a.setEnabled(False)

    def refresh_inspector(self) -> None:
        """Derive the inspected weight again if its numbers changed (a step, a phase
        iteration begun, another sample)."""
        if self.window.lab.selected is None:
            return
        request = explain_request(
            self.window.controller, *self.window.lab.selected, self.sample_chooser.sample_index,
            self.window.last_snapshot,
        )  # fmt: skip
        if request is not None:
            self.chain_rule_view.inspect(request)

    @Slot(object)
    def _on_derivation_shown(self, derivation) -> None:
        for a in (self.action_copy_derivation, self.action_export_derivation):
            a.setEnabled(True)
        if self.window.views_installed:
            self.window.network_view.highlight_paths(path_edges(derivation))

    @Slot(int, int, int)
    def _on_edge_clicked(self, layer: int, j: int, i: int) -> None:
        self._inspect(layer + 1, j, i)

    @Slot(int, int)
    def _on_node_clicked(self, column: int, unit: int) -> None:
        net = self.window.controller.network
        if net is not None and net.architecture.bias:
            self.inspect_weight(column, unit, None)  # the neuron's bias

    @Slot(int, int, int)
    def _on_cell_clicked(self, layer: int, j: int, i: int) -> None:
        self.inspect_weight(layer + 1, j, i)

    @Slot(object, object, object)
    def _on_point_clicked(self, item, points, event) -> None:
        """A training point clicked in the decision view becomes the chosen sample."""
        data = self.window.data_panel.dataset
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
        c, chooser = self.window.controller, self.sample_chooser
        c.set_sample_index(chooser.sample_index)  # the views' node fills follow
        self.window.lab.set_sample_index(chooser.sample_index)
        if c.iteration_pending and (len(c.phase_stepper.x) > 1) != chooser.use_batch:
            c.restart_iteration(chooser.step_sample)  # same phase, now on the new choice
        elif c.iteration_pending and c.phase_sample not in (None, chooser.step_sample):
            c.restart_iteration(chooser.step_sample)
        self.update_phase_views()
        self.refresh_inspector()

    @Slot(object)
    def _on_phase_changed(self, stepper: PhaseStepper | None) -> None:
        self.window.lab.set_step_position(stepper)
        self.action_finish.setEnabled(self.window.controller.iteration_pending)
        self.update_phase_views()
        self.refresh_inspector()

    def update_phase_views(self) -> None:
        """The phase indicator and the network view follow the stepped iteration."""
        c = self.window.controller
        s = None if c.is_running else c.phase_stepper
        if s is None:
            self.phase_indicator.show_phase(None, "", c.is_running)
            if self.window.views_installed and self.window.network_view.phase_frame is not None:
                self.window.network_view.show_phase(None)
            return
        single = c.phase_sample is not None  # one chosen sample, not a batch of one
        if single:
            row, index = 0, c.phase_sample
        else:
            row, index = chosen_row(c.phase_batch_indices, self.sample_chooser.sample_index)
        detail = data_text(len(s.x), row, index, single, self.sample_chooser.sample_index)
        self.phase_indicator.show_phase(s, self.tr("Iteration {0} {1}").format(s.step, detail))
        if not self.window.views_installed:
            return
        snap = self.window.last_snapshot
        change = None
        if s.done and snap is not None and snap.step == s.step and snap.update is not None:
            change = snap.update  # the engine's new - old of this very iteration
        self.window.network_view.show_phase(build_frame(s, row, index, change, detail))

    @Slot()
    def _on_copy_derivation(self) -> None:
        if self.chain_rule_view.copy_markdown():
            self.window.statusBar().showMessage(self.tr("Derivation copied as Markdown"), 5000)

    @Slot()
    def _on_export_derivation(self) -> None:
        d = self.chain_rule_view.derivation
        name = "derivation.md" if d is None else f"derivation-{d.symbol}.md"
        name = name.replace("(", "").replace(")", "").replace(",", "-")
        start = os.path.join(user.last_folder(), name)
        file_dialogs.ask_save_file(
            self.window,
            self.tr("Export derivation"),
            start,
            ";;".join((self.tr("Markdown (*.md)"), file_dialogs.all_files_filter())),
            self._export_derivation_to,
        )

    def _export_derivation_to(self, path: str, _filter: str) -> None:
        if not Path(path).suffix:
            path += ".md"
        user.remember_folder(path)
        self.export_derivation(path)


__all__ = ["Stepping"]
