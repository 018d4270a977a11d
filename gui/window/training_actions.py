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

from ..training.background import format_seconds
from .icons import set_palette_icon
from .shortcuts_dialog import set_command_name


def status_text(snap: Snapshot, playing: bool = True) -> str:
    """The status bar's line for a snapshot: iteration, epoch, loss, accuracy, and the
    speed (it/s) only while ``playing`` (a paused run has no speed)."""
    loss = "-" if math.isnan(snap.train_loss) else f"{snap.train_loss:.4g}"
    parts = [f"iteration {snap.step:,}", f"epoch {snap.epoch:,}", f"loss {loss}"]
    if snap.train_accuracy is not None:
        parts.append(f"accuracy {snap.train_accuracy:.1%}")
    if snap.sample_rows:
        parts.append(
            QCoreApplication.translate("TrainingActions", "(on a sample of {0:,} rows)").format(
                snap.sample_rows
            )
        )
    if playing and snap.rate > 0:
        parts.append(f"{snap.rate:,.0f} it/s")
    return "   ".join(parts)


class TrainingActions(QObject):
    """The window's training actions (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.action_play = QAction("Play", window, objectName="actionPlay", checkable=True)
        self.action_play.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.action_play.setToolTip("Play / pause training (Space)")
        set_palette_icon(self.action_play, QStyle.StandardPixmap.SP_MediaPlay)
        set_command_name(self.action_play, self.tr("Play / Pause"))  # its text follows
        self.action_step = QAction("Step", window, objectName="actionStep")
        self.action_step.setShortcut(QKeySequence(Qt.Key.Key_F10))
        self.action_step.setToolTip("One iteration: forward, loss, backward, update (F10)")
        set_palette_icon(self.action_step, QStyle.StandardPixmap.SP_MediaSkipForward)
        self.action_reset = QAction("Reset", window, objectName="actionReset")
        self.action_reset.setShortcut(QKeySequence("Ctrl+R"))
        self.action_reset.setToolTip("Re-initialise the weights from the seed (Ctrl+R)")
        set_palette_icon(self.action_reset, QStyle.StandardPixmap.SP_BrowserReload)
        self.action_cancel_work = QAction(self.tr("Cancel step"), window)
        self.action_cancel_work.setObjectName("actionCancelWork")
        self.action_cancel_work.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.action_cancel_work.setToolTip(self.tr("Cancel the step under way (Esc)"))
        self.action_cancel_work.setEnabled(False)
        self.action_quit = QAction("Quit", window, objectName="actionQuit")
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
        self.action_play.setText("Pause" if running else "Play")

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
