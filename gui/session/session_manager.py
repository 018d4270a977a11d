"""The window as a document: sessions, undo, autosave and recovery, the remembered layout,
the theme, plot export and the Help menu - everything issue 5 adds, attached to a
:class:`~gui.main_window.MainWindow` by one line (``self.session = SessionManager(self)``).

Sessions (``.bplab``, see :mod:`engine.formats.session`): File > New / Open... / Open
Recent / Save / Save As...; :meth:`SessionManager.open` and :meth:`SessionManager.save_to`
do what the menu items do without the file dialog. The title says the session's name,
the data and the network, with Qt's modified mark (``[*]``). The work is *modified* when
the undo stack is not at its saved point or the iteration count differs from the saved
one. Closing, New and Open ask Save / Discard / Cancel first (:meth:`ask_unsaved`, which
tests may replace). Saving pauses training for the exact state and resumes it; reading
and writing run on a worker thread behind :func:`gui.progress.run_with_progress`, so a
large session never freezes the window and a broken or hostile file is refused with the
engine's message while the current session stays as it was.

Autosave (:mod:`.autosave`): while training plays, every :data:`AUTOSAVE_RUNNING_MS`
(the worker's latest exact checkpoint); when it pauses; and :data:`AUTOSAVE_IDLE_MS`
after any other change - only while there is unsaved work. Saving, New, Open and a clean
exit remove the autosave. :meth:`offer_recovery` (called by ``gui.app.run`` once the
window is up) asks through ``MainWindow.ask`` whether to restore a crashed window's work.
"""

from __future__ import annotations

import os
from pathlib import Path

from backprop_lab.engine.formats import ModelFileError
from backprop_lab.engine.formats.session import SUFFIX, load_session, save_session
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from .. import settings as user
from ..progress import run_with_progress
from .about import show_about
from .autosave import Autosaver, orphaned_autosaves
from .document import apply_problem, apply_session, current_problem, session_of
from .layout import hide_stale_tab_bars
from .shortcuts_dialog import ShortcutsDialog
from .theme import CHOICES, Theme
from .undo import UndoRecorder

AUTOSAVE_RUNNING_MS = 3000
AUTOSAVE_IDLE_MS = 1000
SESSION_FILTER = f"Backprop Lab sessions (*{SUFFIX})"
PLOT_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
UNTITLED = "Untitled"

#: (menu text, window attribute) of the views File > Export Plot offers
PLOTS = (
    ("Network view", "network_view"),
    ("Decision boundary / fit", "decision_view"),
    ("Loss curve", "loss_plot"),
    ("Gradient norms", "grad_norm_plot"),
    ("Weights and gradients", "heatmaps"),
)


def _menu(window, title: str) -> QMenu | None:
    """The window's top-level menu called ``title`` (ignoring the & mnemonic)."""
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


def _describe(error: BaseException, path: str) -> str:
    if isinstance(error, ModelFileError):
        return str(error)
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return f"{os.path.basename(path)}: {reason}"


class SessionManager(QObject):
    """Sessions, undo, autosave, layout, theme and Help for one window (see the module
    docstring)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        user.ensure_app_names()
        self.window = window
        self.path: str | None = None
        self._saved_step = self.current_step()
        self._autosaved_key: tuple | None = None
        self._shut_down = False
        self.undo = UndoRecorder(window, self)
        self.autosaver = Autosaver(parent=self)
        self.theme = Theme(window, user.theme_choice())
        self._default_problem = current_problem(window)
        self._default_settings = window.training_panel.settings()

        self._run_timer = QTimer(self)
        self._run_timer.setInterval(AUTOSAVE_RUNNING_MS)
        self._run_timer.timeout.connect(self.autosave)
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(AUTOSAVE_IDLE_MS)
        self._idle_timer.timeout.connect(self.autosave)

        self._create_actions()
        self._create_menus()
        self._default_state = window.saveState(user.LAYOUT_VERSION)
        self._restore_layout()
        window.installEventFilter(self)
        self.theme.apply()
        self._connect()
        self.update_title()

    # ------------------------------------------------------------ building
    def _action(self, text: str, name: str, slot, keys=()) -> QAction:
        action = QAction(text, self.window, objectName=name)
        shortcuts = []
        for k in keys:
            seqs = (
                QKeySequence.keyBindings(k)
                if isinstance(k, QKeySequence.StandardKey)
                else [QKeySequence(k)]
            )
            shortcuts += [s for s in seqs if not s.isEmpty() and s not in shortcuts]
        if shortcuts:
            action.setShortcuts(shortcuts)
        action.triggered.connect(slot)
        return action

    def _create_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.action_new = self._action("&New", "actionNew", self._on_new, [K.New])
        self.action_open = self._action("&Open...", "actionOpen", self._on_open, [K.Open])
        self.action_save = self._action("&Save", "actionSave", self._on_save, [K.Save])
        self.action_save_as = self._action(
            "Save &As...", "actionSaveAs", self._on_save_as, [K.SaveAs, "Ctrl+Shift+S"]
        )
        self.action_undo = self._action("Undo", "actionUndo", self.undo.stack.undo, [K.Undo])
        self.action_redo = self._action(
            "Redo", "actionRedo", self.undo.stack.redo, [K.Redo, "Ctrl+Shift+Z"]
        )
        self.action_undo.setEnabled(False)
        self.action_redo.setEnabled(False)
        # F11 is the debugger's step-into (Step phase); full screen takes the platform's
        # other keys
        full = [
            k
            for k in QKeySequence.keyBindings(K.FullScreen)
            if k != QKeySequence("F11") and not k.isEmpty()
        ] or [QKeySequence("Ctrl+Shift+F")]
        self.action_full_screen = self._action(
            "&Full Screen", "actionFullScreen", self._on_full_screen, full
        )
        self.action_full_screen.setCheckable(True)
        self.action_reset_layout = self._action(
            "Reset &Layout", "actionResetLayout", self.reset_layout
        )
        self.action_shortcuts = self._action(
            "&Keyboard Shortcuts", "actionShortcuts", self.show_shortcuts, [K.HelpContents]
        )
        self.action_about = self._action("&About Backprop Lab", "actionAbout", self.show_about)
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.action_export_csv = self._action(
            "Export Loss History as &CSV...", "actionExportLossCsv", self._on_export_csv
        )
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for choice in CHOICES:
            a = self._action(
                choice.capitalize() if choice != "system" else "Follow the System",
                f"actionTheme{choice.capitalize()}",
                self._on_theme,
            )
            a.setCheckable(True)
            a.setData(choice)
            a.setChecked(choice == self.theme.choice)
            self.theme_group.addAction(a)
            self.theme_actions[choice] = a
        quit_action = getattr(self.window, "action_quit", None)
        if quit_action is not None and not quit_action.shortcuts():
            quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # platforms without a standard

    def _create_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        file_menu = _menu(w, "File") or bar.addMenu("&File")
        first = file_menu.actions()[0] if file_menu.actions() else None
        self.recent_menu = QMenu("Open &Recent", file_menu, objectName="menuOpenRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.insertAction(first, self.action_new)
        file_menu.insertAction(first, self.action_open)
        file_menu.insertMenu(first, self.recent_menu)
        file_menu.insertSeparator(first)
        file_menu.insertAction(first, self.action_save)
        file_menu.insertAction(first, self.action_save_as)
        file_menu.insertSeparator(first)
        self.export_plot_menu = QMenu("Export &Plot", file_menu, objectName="menuExportPlot")
        for text, attr in PLOTS:
            a = self._action(f"{text}...", f"actionExportPlot_{attr}", self._on_export_plot)
            a.setData(attr)
            self.export_plot_menu.addAction(a)
        import_action = getattr(w, "action_import", None)
        actions = file_menu.actions()
        after = actions[actions.index(import_action) + 1] if import_action in actions else None
        file_menu.insertMenu(after, self.export_plot_menu)
        file_menu.insertAction(after, self.action_export_csv)

        self.edit_menu = QMenu("&Edit", bar, objectName="menuEdit")
        self.edit_menu.addAction(self.action_undo)
        self.edit_menu.addAction(self.action_redo)
        file_action = file_menu.menuAction()
        tops = bar.actions()
        before = tops[tops.index(file_action) + 1] if file_action in tops[:-1] else None
        bar.insertMenu(before, self.edit_menu)

        view_menu = _menu(w, "View") or bar.addMenu("&View")
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        theme_menu.setObjectName("menuTheme")
        for a in self.theme_actions.values():
            theme_menu.addAction(a)
        view_menu.addAction(self.action_full_screen)
        view_menu.addAction(self.action_reset_layout)

        help_menu = _menu(w, "Help") or bar.addMenu("&Help")
        help_menu.addAction(self.action_shortcuts)
        help_menu.addAction(self.action_about)

    def _connect(self) -> None:
        w, c, stack = self.window, self.window.controller, self.undo.stack
        stack.canUndoChanged.connect(self.action_undo.setEnabled)
        stack.canRedoChanged.connect(self.action_redo.setEnabled)
        stack.undoTextChanged.connect(self._on_undo_text)
        stack.redoTextChanged.connect(self._on_redo_text)
        stack.indexChanged.connect(self._on_changed)
        stack.cleanChanged.connect(self._on_changed)
        c.snapshotReady.connect(self._on_snapshot)
        c.runningChanged.connect(self._on_running_changed)
        w.viewsInstalled.connect(self._on_views_installed)
        self.autosaver.failed.connect(self._on_autosave_failed)

    # ------------------------------------------------------------ state
    def current_step(self) -> int:
        """The iteration the window shows."""
        snap = self.window.last_snapshot
        return 0 if snap is None else int(snap.step)

    def is_modified(self) -> bool:
        """True when there is work that is not in the session file (or any file)."""
        return not self.undo.stack.isClean() or self.current_step() != self._saved_step

    @property
    def name(self) -> str:
        """The session's file name, or "Untitled"."""
        return os.path.basename(self.path) if self.path else UNTITLED

    def update_title(self) -> None:
        """Title: session name, modified mark, data and network."""
        w = self.window
        problem = current_problem(w)
        title = (
            f"{self.name}[*] - {problem.dataset.name}, "
            f"{problem.spec.architecture.describe()} - Backprop Lab"
        )
        if w.windowTitle() != title:
            w.setWindowTitle(title)
        modified = self.is_modified()
        if w.isWindowModified() != modified:
            w.setWindowModified(modified)

    def _mark_saved(self, path: str | None, step: int) -> None:
        self.path = os.path.abspath(path) if path else None
        self._saved_step = step
        self.undo.stack.setClean()
        self.autosaver.discard()
        self._autosaved_key = None
        if path:
            user.add_recent_file(path)
            user.remember_folder(path)
        self.update_title()

    # ------------------------------------------------------------ questions
    def ask_unsaved(self, doing: str) -> str:
        """Ask whether to save the work before ``doing`` (e.g. "closing"): "save",
        "discard" or "cancel". Tests replace this method."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Unsaved changes",
            f"Save the changes to {self.name} before {doing}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("unsavedChangesBox")
        box.setInformativeText(
            "Training progress and edits since the last save are lost if you discard them."
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        box.deleteLater()
        return {
            QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard",
        }.get(QMessageBox.StandardButton(answer), "cancel")

    def resolve_unsaved(self, doing: str) -> bool:
        """True if the work may be replaced: nothing unsaved, or saved, or discarded."""
        if not self.is_modified():
            return True
        answer = self.ask_unsaved(doing)
        if answer == "save":
            return self.save()
        return answer == "discard"

    # ------------------------------------------------------------ New / Open / Save
    def new(self) -> bool:
        """Start afresh with the default example (asks about unsaved work first)."""
        if not self.resolve_unsaved("starting a new session"):
            return False
        w = self.window
        w.training_panel.set_settings(self._default_settings)
        w.training_panel.set_speed(None)
        apply_problem(w, self._default_problem)
        self.undo.resync()
        self._mark_saved(None, self.current_step())
        w.statusBar().showMessage("New session", 3000)
        return True

    def open(self, path: str | os.PathLike | None = None) -> bool:
        """Open a session file (asks about unsaved work first; ``path`` None: a file
        dialog). A broken file shows the engine's message and changes nothing."""
        if not self.resolve_unsaved("opening another session"):
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.window, "Open session", user.last_folder(),
                f"{SESSION_FILTER};;All files (*)",
            )  # fmt: skip
            if not path:
                return False
        return self._load(os.fspath(path))

    def _load(self, path: str) -> bool:
        w = self.window
        name = os.path.basename(path)
        try:
            session = run_with_progress(w, f"Opening {name}...", load_session, path)
        except (ModelFileError, OSError, MemoryError) as e:
            w.show_error("Cannot open the session", _describe(e, path))
            return False
        try:
            problems = apply_session(w, session)
        except (ValueError, ModelFileError) as e:
            w.show_error("Cannot open the session", f"{name}: {e}")
            return False
        self.undo.resync()
        self._mark_saved(path, session.trainer_state.step)
        note = f"Opened {name} at iteration {session.trainer_state.step:,}"
        if problems:
            note += " (loss curves not restored: " + "; ".join(problems) + ")"
        w.statusBar().showMessage(note, 5000)
        return True

    def save(self) -> bool:
        """Save to the session's file, or ask for one (Save As) if it has none."""
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        """Ask for a file name, then save there."""
        start = self.path or os.path.join(user.last_folder(), f"session{SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save session", start, f"{SESSION_FILTER};;All files (*)"
        )
        return bool(path) and self.save_to(path)

    def save_to(self, path: str | os.PathLike) -> bool:
        """Save the session to ``path`` (``.bplab`` added if it has no suffix) atomically:
        training pauses for the exact state and resumes. False and a message if it
        failed (an existing file stays as it was)."""
        w, c = self.window, self.window.controller
        path = os.fspath(path)
        if not Path(path).suffix:
            path += SUFFIX
        was_running = c.is_running
        c.pause()
        session = session_of(w)
        try:
            if session is None:
                w.show_error("Cannot save the session", "there is no network to save yet")
                return False
            try:
                run_with_progress(
                    w, f"Saving {os.path.basename(path)}...", save_session, path, session
                )
            except (ModelFileError, OSError, MemoryError) as e:
                w.show_error("Cannot save the session", _describe(e, path))
                return False
        finally:
            if was_running and not self._shut_down:
                c.play()
        self._mark_saved(path, session.trainer_state.step)
        w.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # ------------------------------------------------------------ autosave and recovery
    @Slot()
    def autosave(self) -> None:
        """Autosave now (in the background) if there is unsaved work; otherwise remove
        the autosave."""
        if self._shut_down:
            return
        if not self.is_modified():
            if self._autosaved_key is not None or self.autosaver.last_saved_step is not None:
                self.autosaver.discard()
                self._autosaved_key = None
            return
        session = session_of(self.window, source_path=self.path or "")
        if session is None:
            return
        s = session.trainer_state
        key = (s.step, id(s.network), self.undo.stack.index(), session.optimizer["lr"])
        if key == self._autosaved_key:
            return
        self._autosaved_key = key
        self.autosaver.write(session)

    def offer_recovery(self) -> bool:
        """If a window did not exit cleanly, offer (``MainWindow.ask``) to restore its
        newest autosave. True if one was restored."""
        orphans = orphaned_autosaves()
        for k, orphan in enumerate(orphans):
            try:
                session = load_session(orphan.path)
            except (ModelFileError, OSError, MemoryError):
                orphan.release(remove=True)
                continue
            gui = session.settings.get("gui", {}) if isinstance(session.settings, dict) else {}
            source = gui.get("source_path") if isinstance(gui, dict) else None
            name = os.path.basename(source) if isinstance(source, str) and source else UNTITLED
            question = (
                f"Backprop Lab did not close normally. Restore the unsaved work of "
                f"{name} (iteration {session.trainer_state.step:,})?"
            )
            if not self.window.ask("Restore unsaved work?", question):
                orphan.release(remove=True)
                continue
            try:
                apply_session(self.window, session)
            except (ValueError, ModelFileError) as e:
                self.window.show_error("Cannot restore the unsaved work", str(e))
                orphan.release(remove=True)
                continue
            self.undo.resync()
            self.path = os.path.abspath(source) if isinstance(source, str) and source else None
            self._saved_step = -1  # restored work is unsaved work
            self.autosaver.adopt(orphan)
            for rest in orphans[k + 1 :]:
                rest.release(remove=False)  # offered again at the next start
            self.update_title()
            self.window.statusBar().showMessage(
                f"Restored unsaved work at iteration {session.trainer_state.step:,}", 5000
            )
            return True
        return False

    @Slot(str)
    def _on_autosave_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(f"Autosave skipped: {message}", 5000)

    # ------------------------------------------------------------ layout and theme
    def _restore_layout(self) -> None:
        saved = user.saved_layout()
        if saved is not None:
            geometry, state = saved
            self.window.restoreGeometry(geometry)
            self.window.restoreState(state, user.LAYOUT_VERSION)

    @Slot()
    def reset_layout(self) -> None:
        """Every dock and toolbar back where it was at the first start."""
        self.window.restoreState(self._default_state, user.LAYOUT_VERSION)
        for dock in getattr(self.window, "docks", {}).values():
            dock.setFloating(False)
        user.forget_layout()
        QTimer.singleShot(0, self.tidy_tab_bars)

    @Slot()
    def tidy_tab_bars(self) -> None:
        """Hide the dead dock tab bars Qt leaves behind (see gui.session.layout)."""
        hide_stale_tab_bars(self.window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self.tidy_tab_bars)  # once the layout has been made
        return False

    @Slot()
    def _on_views_installed(self) -> None:
        self.theme.apply_to_plots()

    @Slot()
    def _on_theme(self) -> None:
        action = self.sender()
        choice = action.data() if isinstance(action, QAction) else None
        if choice in CHOICES:
            self.set_theme(choice)

    def set_theme(self, choice: str) -> str:
        """Use and remember a theme: "system", "light" or "dark"; returns the scheme."""
        scheme = self.theme.set_choice(choice)
        user.set_theme_choice(choice)
        self.theme_actions[choice].setChecked(True)
        return scheme

    @Slot(bool)
    def _on_full_screen(self, on: bool) -> None:
        if on:
            self.window.showFullScreen()
        else:
            self.window.showNormal()

    # ------------------------------------------------------------ export and help
    def export_plot(self, attr: str, path: str | os.PathLike) -> bool:
        """Export the view ``attr`` (e.g. "loss_plot") as PNG or SVG; False + message."""
        from .plot_export import export_plot

        w = self.window
        try:
            written = export_plot(getattr(w, attr), path)
        except (OSError, ValueError) as e:
            w.show_error("Cannot export the plot", _describe(e, os.fspath(path)))
            return False
        w.statusBar().showMessage(f"Plot saved to {written}", 5000)
        return True

    def export_loss_csv(self, path: str | os.PathLike) -> bool:
        """Export the loss history as CSV; False and a message if it failed."""
        from .plot_export import export_loss_csv

        w = self.window
        try:
            written = export_loss_csv(w.loss_plot, path)
        except (OSError, ValueError, AttributeError) as e:
            w.show_error("Cannot export the loss history", _describe(e, os.fspath(path)))
            return False
        w.statusBar().showMessage(f"Loss history saved to {written}", 5000)
        return True

    @Slot()
    def _on_export_plot(self) -> None:
        action = self.sender()
        attr = action.data() if isinstance(action, QAction) else None
        if attr is None:
            return
        start = os.path.join(user.last_folder(), f"{attr.replace('_', '-')}.png")
        path, chosen = QFileDialog.getSaveFileName(self.window, "Export plot", start, PLOT_FILTER)
        if not path:
            return
        if not Path(path).suffix:
            path += ".svg" if "svg" in chosen.lower() else ".png"
        user.remember_folder(path)
        self.export_plot(attr, path)

    @Slot()
    def _on_export_csv(self) -> None:
        start = os.path.join(user.last_folder(), "loss-history.csv")
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export loss history", start, "CSV table (*.csv)"
        )
        if path:
            user.remember_folder(path)
            self.export_loss_csv(path)

    @Slot()
    def show_shortcuts(self) -> ShortcutsDialog:
        """Open Help > Keyboard Shortcuts (non-blocking) and return the dialog."""
        dialog = ShortcutsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @Slot()
    def show_about(self) -> QMessageBox:
        """Open Help > About (non-blocking) and return the box."""
        return show_about(self.window)

    # ------------------------------------------------------------ menu slots
    @Slot()
    def _on_new(self) -> None:
        self.new()

    @Slot()
    def _on_open(self) -> None:
        self.open()

    @Slot()
    def _on_save(self) -> None:
        self.save()

    @Slot()
    def _on_save_as(self) -> None:
        self.save_as()

    @Slot()
    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = user.recent_files()
        for k, path in enumerate(files, start=1):
            shown = f"{os.path.basename(path)}  ({os.path.dirname(path)})".replace("&", "&&")
            a = menu.addAction(f"&{k % 10} {shown}")
            a.setData(path)
            a.triggered.connect(self._on_recent)
        if not files:
            menu.addAction("No recent sessions").setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction("Clear Menu")
        clear.setEnabled(bool(files))
        clear.triggered.connect(self._on_clear_recent)

    @Slot()
    def _on_recent(self) -> None:
        action = self.sender()
        if isinstance(action, QAction) and action.data():
            self.open(str(action.data()))

    @Slot()
    def _on_clear_recent(self) -> None:
        user.clear_recent_files()

    @Slot(str)
    def _on_undo_text(self, text: str) -> None:
        self.action_undo.setText(f"Undo: {text}" if text else "Undo")

    @Slot(str)
    def _on_redo_text(self, text: str) -> None:
        self.action_redo.setText(f"Redo: {text}" if text else "Redo")

    # ------------------------------------------------------------ reacting to the window
    @Slot()
    def _on_changed(self) -> None:
        self.update_title()
        if not self.window.controller.is_running and not self.undo.applying:
            self._idle_timer.start()

    @Slot(object)
    def _on_snapshot(self, snap) -> None:
        self._on_changed()

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        if running:
            self._idle_timer.stop()
            self._run_timer.start()
        else:
            self._run_timer.stop()
            self.autosave()  # the exact state on pause
        self.update_title()

    # ------------------------------------------------------------ closing
    def confirm_close(self) -> bool:
        """Called when the window is asked to close: False to keep it open (Cancel)."""
        return self.resolve_unsaved("closing")

    def shutdown(self) -> None:
        """A clean exit: remember the layout, stop autosaving, remove the autosave."""
        if self._shut_down:
            return
        self._shut_down = True
        self._run_timer.stop()
        self._idle_timer.stop()
        w = self.window
        if w.isFullScreen():
            w.showNormal()
        user.save_layout(w.saveGeometry(), w.saveState(user.LAYOUT_VERSION))
        self.autosaver.close()


__all__ = ["AUTOSAVE_IDLE_MS", "AUTOSAVE_RUNNING_MS", "SessionManager"]
