"""The session file (``.bplab``, see :mod:`engine.formats.session`), one part of the main
window (``window.session``): File > New / Open... / Open Recent / Save / Save As....

:meth:`SessionFiles.open` and :meth:`SessionFiles.save_to` do what the menu items do,
here and now, without the file dialog (the automation methods ``MainWindow.open_session``
and ``save_session``). The menu items run the same operations through
:mod:`.operations`: the file is read or written by a background task behind a busy
dialog, and the session is applied (or marked saved) when it is done, so a large
session never freezes the window. A broken or hostile file is refused with the engine's
message while the current session stays as it was. The title says the session's name,
the data and the network, with Qt's modified mark (``[*]``). The work is *modified* when
the undo stack is not at its saved point or the iteration count differs from the saved
one. Closing, New and Open ask Save / Discard / Cancel first, without blocking
(:func:`gui.questions.ask_unsaved`; tests answer it through ``questions.show``); from a
menu item or the close button, Save writes in the background and the New, Open or close
follows once it has succeeded.
Saving pauses training for the exact state and resumes it. Saving, New and Open remove
the autosave (:mod:`gui.files.recovery`).

(Over 400 lines: the two ways - here and now, and from the menu - of the same three
operations, kept side by side so that they stay the same.)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from backprop_lab.engine.formats import ModelFileError, Session
from backprop_lab.engine.formats.session import SUFFIX, load_session, save_session
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from .. import file_dialogs, i18n, questions
from .. import settings as user
from ..actions import make_action
from ..model.session_file import apply_problem, apply_session, session_of
from .errors import describe_error
from .operations import FileOperation, FileOperations

#: the English texts (shown translated: :func:`session_filter`, :func:`untitled`)
SESSION_FILTER = f"Backprop Lab sessions (*{SUFFIX})"
UNTITLED = QT_TRANSLATE_NOOP("SessionFiles", "Untitled")
FILE_ERRORS = (ModelFileError, OSError, MemoryError)  # a session file that failed


def session_filter() -> str:
    """The file dialogs' filter for session files, in the current language."""
    return QCoreApplication.translate("SessionFiles", "Backprop Lab sessions ({0})").format(
        f"*{SUFFIX}"
    )


def untitled() -> str:
    """The name of a session that has no file yet, in the current language."""
    return QCoreApplication.translate("SessionFiles", UNTITLED)


class SessionFiles(QObject):
    """The session file of one window (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        user.ensure_app_names()
        self.window = window
        self.path: str | None = None
        self._saved_step = self.current_step()
        self._shut_down = False
        self._close_when_idle = False
        self._may_close = False  # Discard was the answer to closing
        self._close_question: QMessageBox | None = None
        self.operations: FileOperations = window.file_operations
        self._default_problem = window.lab.problem
        self._default_settings = window.lab.settings
        K = QKeySequence.StandardKey
        self.action_new = make_action(window, "", "actionNew", self._on_new, [K.New])
        self.action_open = make_action(window, "", "actionOpen", self._on_open, [K.Open])
        self.action_save = make_action(window, "", "actionSave", self._on_save, [K.Save])
        self.action_save_as = make_action(
            window, "", "actionSaveAs", self._on_save_as, [K.SaveAs, "Ctrl+Shift+S"]
        )
        self.recent_menu = QMenu(window.menus.file, objectName="menuOpenRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menus = window.menus
        menus.add("file", "session", self.action_new, self.action_open)
        menus.add_menu("file", "session", self.recent_menu)
        menus.add_separator("file", "session")
        menus.add("file", "session", self.action_save, self.action_save_as)
        window.undo.historyChanged.connect(self.update_title)
        window.controller.snapshotReady.connect(self._on_snapshot)
        window.controller.runningChanged.connect(self._on_running_changed)
        self.operations.busyChanged.connect(self._on_busy_changed)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    # ------------------------------------------------------------ state
    def current_step(self) -> int:
        """The iteration the window shows."""
        snap = self.window.last_snapshot
        return 0 if snap is None else int(snap.step)

    def is_modified(self) -> bool:
        """True when there is work that is not in the session file (or any file)."""
        return not self.window.undo.stack.isClean() or self.current_step() != self._saved_step

    @Slot()
    def retranslate(self) -> None:
        """The File menu's session entries and the title in the current language."""
        self.action_new.setText(self.tr("&New"))
        self.action_open.setText(self.tr("&Open..."))
        self.action_save.setText(self.tr("&Save"))
        self.action_save_as.setText(self.tr("Save &As..."))
        self.recent_menu.setTitle(self.tr("Open &Recent"))
        self.update_title()

    @property
    def name(self) -> str:
        """The session's file name, or "Untitled" (in the current language)."""
        return os.path.basename(self.path) if self.path else untitled()

    @Slot()
    def update_title(self) -> None:
        """Title: session name, modified mark, data and network."""
        w = self.window
        problem = w.lab.problem
        title = (
            f"{self.name}[*] - {problem.dataset.name}, "
            f"{problem.spec.architecture.describe()} - Backprop Lab"
        )
        if w.windowTitle() != title:
            w.setWindowTitle(title)
        modified = self.is_modified()
        if w.isWindowModified() != modified:
            w.setWindowModified(modified)

    def mark_unsaved(self, path: str | None) -> None:
        """Take the work as unsaved work of the session file ``path`` (None: Untitled),
        e.g. work restored from an autosave."""
        self.path = os.path.abspath(path) if path else None
        self._saved_step = -1
        self.update_title()

    def _mark_saved(self, path: str | None, step: int, undo_index: int | None = None) -> None:
        """The work is in ``path`` as of iteration ``step`` and, if given, the undo
        stack's index ``undo_index`` (an edit made since then stays unsaved)."""
        self.path = os.path.abspath(path) if path else None
        self._saved_step = step
        stack = self.window.undo.stack
        if undo_index is None or stack.index() == undo_index:
            stack.setClean()
        else:
            stack.resetClean()
        self.window.recovery.discard()
        if path:
            user.add_recent_file(path)
            user.remember_folder(path)
        self.update_title()

    # ------------------------------------------------------------ questions
    def when_resolved(
        self, doing: str, then: Callable[[], object], *, background: bool = True
    ) -> None:
        """``then()`` once the work may be replaced: at once if nothing is unsaved;
        otherwise after the Save / Discard / Cancel question (:func:`gui.questions.
        ask_unsaved`, which does not block) is answered Discard, or Save and the save has
        succeeded - in the background behind the busy dialog (``background``, the menu
        items' way) or here and now. Cancel, a failed save or a cancelled Save As
        dialog: nothing. Refused (nothing) while a file operation is under way."""
        if self.operations.refuse_if_busy():
            return
        if not self.is_modified():
            then()
            return

        def answered(answer: str) -> None:
            if answer == "discard":
                then()
            elif answer == "save" and background:
                self.start_save(then=lambda saved: saved and then())
            elif answer == "save" and self.save():
                then()

        questions.ask_unsaved(self.window, self.name, doing, answered)

    # ------------------------------------------------------------ New / Open / Save
    # ------------------------------------------------------------ New / Open / Save
    def new(self) -> bool:
        """Start afresh with the default example, here and now (asks about unsaved work
        first: a Save answer saves here and now). True only if that happened before this
        returns (nothing unsaved, or a test's answer)."""
        done: list[bool] = []
        self.when_resolved(
            self.tr("starting a new session"), lambda: done.append(self._new()), background=False
        )
        return any(done)

    def _new(self) -> bool:
        w = self.window
        w.lab.set_settings(self._default_settings)
        w.lab.set_speed(None)
        apply_problem(w.lab, self._default_problem)
        self.window.undo.recorder.resync()
        self._mark_saved(None, self.current_step())
        w.statusBar().showMessage(self.tr("New session"), 3000)
        return True

    def open(self, path: str | os.PathLike | None = None) -> bool:
        """Open a session file here and now (asks about unsaved work first, without
        blocking); True if it was opened before this returns - with nothing unsaved and a
        ``path``, at once; after a question or the file dialog (``path`` None) only if a
        test answered it. A broken file shows the engine's message and changes nothing."""
        opened: list[bool] = []

        def read(chosen: str) -> None:
            opened.append(self.operations.run(self._open_operation(chosen)))

        def resolved() -> None:
            if path is None:
                self._ask_open_path(read)
            else:
                read(os.fspath(path))

        self.when_resolved(self.tr("opening another session"), resolved, background=False)
        return any(opened)

    def start_open(self, path: str | os.PathLike | None = None) -> None:
        """File > Open's way: ask about unsaved work, then read ``path`` (None: a file
        dialog) in the background behind the busy dialog and apply it when it is read."""

        def start(chosen: str) -> None:
            self.operations.start(self._open_operation(chosen))

        def read() -> None:
            if path is None:
                self._ask_open_path(start)
            else:
                start(os.fspath(path))

        self.when_resolved(self.tr("opening another session"), read)

    def _ask_open_path(self, then: Callable[[str], object]) -> None:
        """The Open dialog (window-modal); ``then(path)`` once a file is chosen."""
        file_dialogs.ask_open_file(
            self.window,
            self.tr("Open session"),
            user.last_folder(),
            f"{session_filter()};;{file_dialogs.all_files_filter()}",
            lambda path, _filter: then(path),
        )

    def _open_operation(self, path: str) -> FileOperation:
        def failed(error: BaseException) -> None:
            self.window.show_error(self.tr("Cannot open the session"), describe_error(error, path))

        return FileOperation(
            self.tr("Opening {0}...").format(os.path.basename(path)),
            partial(load_session, path),
            partial(self._end_open, path),
            failed,
            FILE_ERRORS,
        )

    def _end_open(self, path: str, session: Session) -> bool:
        w = self.window
        name = os.path.basename(path)
        try:
            problems = apply_session(w.lab, session, w.layer_editor.fits)
        except (ValueError, ModelFileError) as e:
            w.show_error(self.tr("Cannot open the session"), f"{name}: {e}")
            return False
        self.window.undo.recorder.resync()
        self._mark_saved(path, session.trainer_state.step)
        note = self.tr("Opened {0} at iteration {1}").format(
            name, f"{session.trainer_state.step:,}"
        )
        if problems:
            note += self.tr(" (loss curves not restored: {0})").format("; ".join(problems))
        w.statusBar().showMessage(note, 5000)
        return True

    def save(self) -> bool:
        """Save here and now to the session's file, or ask for one (Save As) if it has
        none."""
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        """Ask for a file name (a window-modal dialog), then save there, here and now, once
        it is chosen. True only if that happened before this returns (a test's answer)."""
        saved: list[bool] = []
        self._ask_save_path(lambda path: saved.append(self.save_to(path)))
        return any(saved)

    def _ask_save_path(self, then: Callable[[str], object]) -> None:
        """The Save As dialog (window-modal, proposing the session's file or
        ``session.bplab`` in the last folder); ``then(path)`` once a name is chosen."""
        start = self.path or os.path.join(user.last_folder(), f"session{SUFFIX}")
        file_dialogs.ask_save_file(
            self.window,
            self.tr("Save session"),
            start,
            f"{session_filter()};;{file_dialogs.all_files_filter()}",
            lambda path, _filter: then(path),
        )

    def save_to(self, path: str | os.PathLike) -> bool:
        """Save the session to ``path`` (``.bplab`` added if it has no suffix)
        atomically, here and now: training pauses for the exact state and resumes.
        False and a message if it failed (an existing file stays as it was)."""
        if self.operations.refuse_if_busy():
            return False
        op = self._save_operation(os.fspath(path))
        return op is not None and self.operations.run(op)

    def start_save(
        self, then: Callable[[bool], object] | None = None, *, as_new: bool = False,
        resume: bool = True,
    ) -> bool:  # fmt: skip
        """File > Save's way (``as_new``: Save As): write in the background behind the
        busy dialog, then ``then(saved)``. ``resume`` False: training stays paused after
        a successful save (the window is closing). Without a file (or ``as_new``) a
        window-modal Save As dialog asks first and the save starts when a name is chosen;
        a cancelled dialog calls nothing. False if no save started and no dialog is
        asking (nothing to save, another operation runs)."""
        if self.operations.refuse_if_busy():
            return False
        if self.path and not as_new:
            return self._start_save_to(self.path, then, resume)
        started: list[bool] = []
        self._ask_save_path(lambda path: started.append(self._start_save_to(path, then, resume)))
        return not started or started[0]

    def _start_save_to(
        self, path: str, then: Callable[[bool], object] | None, resume: bool
    ) -> bool:
        if self.operations.refuse_if_busy():
            return False
        op = self._save_operation(path, resume)
        return op is not None and self.operations.start(op, then)

    def _save_operation(self, path: str, resume: bool = True) -> FileOperation | None:
        """Begin a save: pause training and take the session; None (and a message) if
        there is nothing to save."""
        w, c = self.window, self.window.controller
        if not Path(path).suffix:
            path += SUFFIX
        was_running = c.is_running
        c.pause()
        session = session_of(w.lab)
        if session is None:
            self._resume(was_running)
            w.show_error(
                self.tr("Cannot save the session"), self.tr("there is no network to save yet")
            )
            return None
        step, undo_index = session.trainer_state.step, w.undo.stack.index()

        def end(_written: object) -> bool:
            self._resume(was_running and resume)
            self._mark_saved(path, step, undo_index)
            w.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
            return True

        def failed(error: BaseException) -> None:
            self._resume(was_running)
            w.show_error(self.tr("Cannot save the session"), describe_error(error, path))

        return FileOperation(
            self.tr("Saving {0}...").format(os.path.basename(path)),
            partial(save_session, path, session),
            end,
            failed,
            FILE_ERRORS,
        )

    def _resume(self, play: bool) -> None:
        if play and not self._shut_down:
            self.window.controller.play()

    # ------------------------------------------------------------ menu slots
    @Slot()
    def _on_new(self) -> None:
        self.when_resolved(self.tr("starting a new session"), self._new)

    @Slot()
    def _on_open(self) -> None:
        self.start_open()

    @Slot()
    def _on_save(self) -> None:
        self.start_save()

    @Slot()
    def _on_save_as(self) -> None:
        self.start_save(as_new=True)

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        for action in (self.action_new, self.action_open, self.action_save, self.action_save_as):
            action.setEnabled(not busy)
        self.recent_menu.setEnabled(not busy)
        if not busy and self._close_when_idle:
            self._close_when_idle = False
            self.window.close()

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
            menu.addAction(self.tr("No recent sessions")).setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction(self.tr("Clear Menu"))
        clear.setEnabled(bool(files))
        clear.triggered.connect(self._on_clear_recent)

    @Slot()
    def _on_recent(self) -> None:
        action = self.sender()
        if isinstance(action, QAction) and action.data():
            self.start_open(str(action.data()))

    @Slot()
    def _on_clear_recent(self) -> None:
        user.clear_recent_files()

    @Slot(object)
    def _on_snapshot(self, snap) -> None:
        self.update_title()

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        self.update_title()

    # ------------------------------------------------------------ closing
    def confirm_close(self) -> bool:
        """Called when the window is asked to close: True to close now. With unsaved work
        it asks Save / Discard / Cancel without blocking and returns False (the close
        event is ignored); Discard then closes the window, Save saves in the background
        and closes it once the save has succeeded (a failed save or a cancelled Save As
        dialog leaves it open), Cancel leaves it open. A file operation under way: False,
        and the window closes when it ends."""
        if self._may_close:
            return True
        if self.operations.busy:
            self._close_when_idle = True
            self.window.statusBar().showMessage(self.tr("Closing when the file operation ends..."))
            return False
        if not self.is_modified():
            return True
        if self._close_question is not None:  # already asking
            return False
        asking = [True]

        def answered(answer: str) -> None:
            self._close_question = None
            if answer == "discard":
                self._may_close = True
                if not asking[0]:  # answered later: close again (answered at once: now)
                    self.window.close()
            elif answer == "save":
                self.start_save(self._close_after_save, resume=False)

        self._close_question = questions.ask_unsaved(
            self.window, self.name, self.tr("closing"), answered
        )
        asking[0] = False
        if self._may_close:
            self._close_question = None
        return self._may_close

    def close_without_asking(self) -> None:
        """The next close does not ask about unsaved work (a logout cannot answer; the
        caller keeps the work in the autosave, ``Recovery.keep_for_next_start``)."""
        self._may_close = True

    def _close_after_save(self, saved: bool) -> None:
        if saved:
            self.window.close()

    def shutdown(self) -> None:
        """The window closes: a save no longer resumes training."""
        self._shut_down = True


__all__ = [
    "SESSION_FILTER",
    "UNTITLED",
    "SessionFiles",
    "session_filter",
    "untitled",
]
