"""Play, Step and Reset (and Quit), one part of the main window: the actions, the Train
menu, and Play's look following the controller (Play / Pause).

The numbers are the controller's: Play starts its thread (finishing an iteration being
stepped first), Step runs exactly one iteration on the mini-batch or the chosen sample,
Reset re-initialises the network from the seed. While the controller works in the
background (a Step of a big network, :attr:`TrainingController.busy`) Step and Step phase
are disabled, the status bar says how long a step takes, and Cancel (Escape) cancels it.
"""

from __future__ import annotations

import math

from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStyle

from .. import i18n
from ..training.background import format_seconds
from .icons import set_palette_icon
from .shortcuts_dialog import set_command_name


def status_text(snap: Snapshot, playing: bool = True) -> str:
    """The status bar's line for a snapshot: iteration, epoch, loss, accuracy, and the
    speed (it/s) only while ``playing`` (a paused run has no speed), in the current
    language (numbers as in English)."""
    loss = "-" if math.isnan(snap.train_loss) else f"{snap.train_loss:.4g}"
    parts = [
        QCoreApplication.translate("StatusLine", "iteration {0}").format(f"{snap.step:,}"),
        QCoreApplication.translate("StatusLine", "epoch {0}").format(f"{snap.epoch:,}"),
        QCoreApplication.translate("StatusLine", "loss {0}").format(loss),
    ]
    if snap.train_accuracy is not None:
        parts.append(
            QCoreApplication.translate("StatusLine", "accuracy {0}").format(
                f"{snap.train_accuracy:.1%}"
            )
        )
    if snap.sample_rows:
        parts.append(
            QCoreApplication.translate("StatusLine", "(on a sample of {0} rows)").format(
                f"{snap.sample_rows:,}"
            )
        )
    if playing and snap.rate > 0:
        parts.append(
            QCoreApplication.translate("StatusLine", "{0} it/s").format(f"{snap.rate:,.0f}")
        )
    return "   ".join(parts)


class TrainingActions(QObject):
    """The window's training actions (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.action_play = QAction(window, objectName="actionPlay", checkable=True)
        self.action_play.setShortcut(QKeySequence(Qt.Key.Key_Space))
        set_palette_icon(self.action_play, QStyle.StandardPixmap.SP_MediaPlay)
        self.action_step = QAction(window, objectName="actionStep")
        self.action_step.setShortcut(QKeySequence(Qt.Key.Key_F10))
        set_palette_icon(self.action_step, QStyle.StandardPixmap.SP_MediaSkipForward)
        self.action_reset = QAction(window, objectName="actionReset")
        self.action_reset.setShortcut(QKeySequence("Ctrl+R"))
        set_palette_icon(self.action_reset, QStyle.StandardPixmap.SP_BrowserReload)
        self.action_cancel_work = QAction(window, objectName="actionCancelWork")
        self.action_cancel_work.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.action_cancel_work.setEnabled(False)
        self.action_quit = QAction(window, objectName="actionQuit")
        self.action_quit.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        if not self.action_quit.shortcuts():
            self.action_quit.setShortcut(QKeySequence("Ctrl+Q"))  # platforms without a standard
        for a in (self.action_play, self.action_step, self.action_reset, self.action_cancel_work):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.menus.add("train", "training", self.action_play, self.action_step)
        window.menus.add("train", "training", self.action_reset, self.action_cancel_work)
        window.menus.add("file", "quit", self.action_quit)
        self.action_play.toggled.connect(self._on_play_toggled)
        self.action_quit.triggered.connect(window.close)
        window.controller.runningChanged.connect(self.on_running_changed)
        window.controller.busyChanged.connect(self._on_busy_changed)
        self.action_cancel_work.triggered.connect(window.controller.cancel_background)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    @Slot()
    def retranslate(self) -> None:
        """The actions' texts, tooltips and command names in the current language."""
        set_command_name(self.action_play, self.tr("Play / Pause"))  # its text follows
        self.action_play.setToolTip(self.tr("Play / pause training (Space)"))
        self._set_play_text(self.action_play.isChecked())
        self.action_step.setText(self.tr("Step"))
        self.action_step.setToolTip(self.tr("One iteration: forward, loss, backward, update (F10)"))
        self.action_reset.setText(self.tr("Reset"))
        self.action_reset.setToolTip(self.tr("Re-initialise the weights from the seed (Ctrl+R)"))
        self.action_cancel_work.setText(self.tr("Cancel step"))
        self.action_cancel_work.setToolTip(self.tr("Cancel the step under way (Esc)"))
        self.action_quit.setText(self.tr("Quit"))
        label, snap = getattr(self.window, "status_label", None), self.window.last_snapshot
        if label is not None and snap is not None:  # the status line's words too
            label.setText(status_text(snap, playing=self.window.controller.is_running))

    def _set_play_text(self, running: bool) -> None:
        self.action_play.setText(self.tr("Pause") if running else self.tr("Play"))

    @Slot(bool)
    def _on_play_toggled(self, checked: bool) -> None:
        c = self.window.controller
        if checked and not c.is_running:
            self.window.statusBar().clearMessage()
            c.play()  # finishes an iteration under way first (issue 4)
            if not c.is_running:  # it diverged: training stays paused
                self.window.stepping.update_phase_views()
                self.on_running_changed(False)
        elif not checked and c.is_running and c.request_pause():
            self.window.statusBar().showMessage(
                self.tr("Pausing after the running iteration (a large network)...")
            )

    @Slot(bool)
    def on_running_changed(self, running: bool) -> None:
        """Play shows Pause while training runs, Play otherwise (without toggling)."""
        blocked = self.action_play.blockSignals(True)
        self.action_play.setChecked(running)
        self.action_play.blockSignals(blocked)
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPause if running else QStyle.StandardPixmap.SP_MediaPlay
        )
        set_palette_icon(self.action_play, pixmap)
        self._set_play_text(running)

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        """A background Step started or ended: Step and Step phase follow, Cancel too."""
        w = self.window
        self.action_cancel_work.setEnabled(busy)
        for a in (self.action_step, getattr(w.stepping, "action_step_phase", None)):
            if a is not None:
                a.setEnabled(not busy)
        if busy:
            seconds = w.controller.step_seconds()
            w.statusBar().showMessage(
                self.tr("This network is large: each step takes ~{0} - Esc cancels").format(
                    format_seconds(seconds)
                )
            )
        else:
            w.statusBar().clearMessage()


__all__ = ["TrainingActions", "status_text"]
