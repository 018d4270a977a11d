"""The window and the model (:class:`gui.model.lab.LabModel`): the panels' edits go to
the model, and the model's changes go to the panels and to the training controller.

Panels -> model: an edit of the network or the data re-initialises the network; it asks
nothing (the edit is an undo command that keeps the trained run, so Undo brings it
back) and the status bar says so and names the Undo key. Settings and speed go straight
through.

Model -> panels and controller: whatever changed the model (an edit, undo/redo, a session
file, a weight file), the panels show it and the controller trains it - a new problem
rebuilds the network and the trainer and the views forget the old run; a given run (a
reopened session, an undone edit) is restored exactly; restored histories are redrawn.
The controller is the model's source of the run (``LabModel.attach_run``).
"""

from __future__ import annotations

from backprop_lab.engine.data import Dataset
from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from ..messages import render
from ..model.lab import LabModel
from ..model.labels import dataset_name, label_text
from ..model.records import NetworkSpec, Problem


class LabBinding(QObject):
    """Keeps one window's panels and controller and its model in step."""

    def __init__(self, window: QMainWindow, lab: LabModel) -> None:
        super().__init__(window)
        self.window, self.lab = window, lab
        c = window.controller
        lab.attach_run(lambda: (c.latest_state(), c.trainer.config if c.trainer else None), c.pause)
        lab.changed.connect(self._on_lab_changed)
        window.layer_editor.architectureChanged.connect(self._on_architecture_changed)
        window.data_panel.datasetChanged.connect(self._on_dataset_changed)
        window.data_panel.loadFailed.connect(self._on_data_failed)
        window.data_panel.busyChanged.connect(self._on_data_busy)
        window.training_panel.configChanged.connect(self._on_config_changed)
        window.training_panel.speedChanged.connect(self._on_speed_changed)

    # ------------------------------------------------------------ panels -> model
    def has_progress(self) -> bool:
        """Training has happened since the last (re)initialisation, or is happening (the
        controller counts the iterations of a running play run only when it pauses)."""
        c = self.window.controller
        snap = self.window.last_snapshot
        return bool(c.has_progress or c.is_running or (snap is not None and snap.step))

    def tell_how_to_undo(self, change: str, progress_lost: bool) -> None:
        """Say in the status bar what ``change`` did and how to undo it - the edit is an
        undo command (:mod:`gui.model.undo`), so it asks nothing first."""
        w = self.window
        keys = w.action_undo.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        how = self.tr("Edit > Undo ({0})").format(keys) if keys else self.tr("Edit > Undo")
        if progress_lost:
            text = self.tr(
                "{0}: the network starts afresh from its seed. {1} brings back the trained network."
            ).format(change, how)
        else:
            text = self.tr("{0}. {1} takes it back.").format(change, how)
        w.statusBar().showMessage(text, 10_000)

    @Slot(object)
    def _on_architecture_changed(self, spec: NetworkSpec) -> None:
        edit = self.window.layer_editor.last_edit
        progress = self.has_progress()
        self.lab.set_spec(spec, edit=edit)
        self.tell_how_to_undo(
            self.tr("Changed the network ({0})").format(label_text(edit)), progress
        )

    @Slot(object)
    def _on_dataset_changed(self, data: Dataset) -> None:
        w = self.window
        progress = self.has_progress()
        w.layer_editor.set_dataset(data)
        problem = Problem(w.data_panel.choice, data, w.layer_editor.spec())
        self.lab.set_problem(problem, aspect="data")
        name = dataset_name(data.name).text()
        self.tell_how_to_undo(self.tr("Switched to the data {0}").format(repr(name)), progress)

    @Slot(str)
    def _on_data_failed(self, message: str) -> None:
        self.window.show_error(self.tr("Cannot load the data"), message)

    @Slot(bool)
    def _on_data_busy(self, busy: bool) -> None:
        if busy:
            self.window.statusBar().showMessage(self.window.data_panel.summary_label.text())

    @Slot()
    def _on_config_changed(self) -> None:
        self.lab.set_settings(self.window.training_panel.settings())

    @Slot(object)
    def _on_speed_changed(self, iterations_per_second: float | None) -> None:
        self.lab.set_speed(iterations_per_second)

    # ------------------------------------------------------------ model -> panels, controller
    @Slot(str)
    def _on_lab_changed(self, aspect: str) -> None:
        w, lab, c = self.window, self.lab, self.window.controller
        if aspect in ("problem", "data", "spec"):
            if w.data_panel.dataset is not lab.dataset:
                w.data_panel.set_data(lab.choice, lab.dataset)
            if w.layer_editor.dataset is not lab.dataset:
                w.layer_editor.set_dataset(lab.dataset)
            if w.layer_editor.spec() != lab.spec:
                w.layer_editor.set_spec(lab.spec)
            self.apply_problem()
        elif aspect == "settings":
            if w.training_panel.settings() != lab.settings:
                w.training_panel.set_settings(lab.settings)
            try:
                c.set_config(lab.training_config())
            except ValueError as e:
                w.show_error(self.tr("Invalid training settings"), render(e))
        elif aspect == "speed":
            try:
                if w.training_panel.speed() != lab.speed:
                    w.training_panel.set_speed(lab.speed)  # -> speedChanged -> here again
            except ValueError:  # a speed this version does not offer
                lab.speed = w.training_panel.speed()
            c.set_speed(lab.speed)
        elif aspect == "sample":
            if c.sample_index != lab.sample_index:
                c.set_sample_index(lab.sample_index)
        elif aspect == "run":
            state, config = lab.given_run
            if config is not None:
                c.set_config(config)
            if state is not None:
                c.restore_state(state)
        elif aspect == "history":
            w.loss_plot.refresh()
            w.grad_norm_plot.refresh()
        elif aspect == "view":
            w.loss_plot.set_log_scale(lab.loss_log_scale)

    def apply_problem(self) -> None:
        """(Re)build the network and trainer from the model's problem and settings."""
        w, lab, c = self.window, self.lab, self.window.controller
        spec, data = lab.spec, lab.dataset
        w.clear_views()
        w.stepping.forget_inspection()
        w.decision_view.set_dataset(data)
        w.sample_chooser.set_sample_count(len(data.x))
        config = lab.training_config()
        c.set_problem(data, spec.architecture, config, spec.init, spec.seed, lab.dtype)
        if c.sample_index != w.sample_chooser.sample_index:
            c.set_sample_index(w.sample_chooser.sample_index)
        lab.set_sample_index(c.sample_index)


__all__ = ["LabBinding"]
