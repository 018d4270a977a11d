"""Autosave and crash recovery, one part of the main window (``window.recovery``).

Autosave (:mod:`.autosave`): while training plays, every :data:`AUTOSAVE_RUNNING_MS`
(the worker's latest exact checkpoint); when it pauses; and :data:`AUTOSAVE_IDLE_MS`
after any other change - only while there is unsaved work (``window.session``). Saving,
New, Open and a clean exit remove the autosave; closing without asking (a logout,
SIGTERM, Ctrl+C: :meth:`Recovery.keep_for_next_start`) autosaves and keeps it.
:meth:`Recovery.offer_recovery` (called by ``gui.app.run`` once the window is up) asks
(:func:`gui.questions.ask_yes_no`, no nested event loop) whether to restore a crashed window's work.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

from backprop_lab.engine.formats import ModelFileError
from backprop_lab.engine.formats.session import load_session
from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QMainWindow

from .. import questions
from ..messages import render
from ..model.session_file import apply_session, session_of
from .autosave import Autosaver, orphaned_autosaves
from .session_files import untitled

AUTOSAVE_RUNNING_MS = 3000
AUTOSAVE_IDLE_MS = 1000


class Recovery(QObject):
    """Autosave and recovery for one window (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._autosaved_key: tuple | None = None
        self._shut_down = False
        self._keep = False  # keep the autosave at shutdown (closed without asking)
        self.autosaver = Autosaver(parent=self)
        self._run_timer = QTimer(self)
        self._run_timer.setInterval(AUTOSAVE_RUNNING_MS)
        self._run_timer.timeout.connect(self.autosave)
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(AUTOSAVE_IDLE_MS)
        self._idle_timer.timeout.connect(self.autosave)
        window.undo.historyChanged.connect(self._on_changed)
        window.controller.snapshotReady.connect(self._on_snapshot)
        window.controller.runningChanged.connect(self._on_running_changed)
        self.autosaver.failed.connect(self._on_autosave_failed)

    def discard(self) -> None:
        """Remove the autosave (the work is in a file now, or was thrown away)."""
        self.autosaver.discard()
        self._autosaved_key = None

    @Slot()
    def autosave(self) -> None:
        """Autosave now (in the background) if there is unsaved work; otherwise remove
        the autosave."""
        if self._shut_down:
            return
        if self.window.file_operations.busy:  # the session is being opened or saved
            self._idle_timer.start()  # try again later
            return
        files = self.window.session
        if not files.is_modified():
            if self._autosaved_key is not None or self.autosaver.last_saved_step is not None:
                self.autosaver.discard()
                self._autosaved_key = None
            return
        session = session_of(self.window.lab, source_path=files.path or "")
        if session is None:
            return
        s = session.trainer_state
        key = (s.step, id(s.network), self.window.undo.stack.index(), session.optimizer["lr"])
        if key == self._autosaved_key:
            return
        self._autosaved_key = key
        self.autosaver.write(session)

    def offer_recovery(self, then: Callable[[bool], object] | None = None) -> bool:
        """If a window did not exit cleanly, offer to restore its newest autosave (a yes/no
        question, :func:`gui.questions.ask_yes_no`, that does not block; declined, the
        next newest is offered). ``then(restored)`` runs once it is decided. Returns True
        if work was restored before this returns (a test's answer). Nothing is offered
        while a file operation is under way."""
        restored: list[bool] = []

        def decided(ok: bool) -> None:
            restored.append(ok)
            if then is not None:
                then(ok)

        if self.window.file_operations.busy:
            decided(False)
        else:
            self._offer(orphaned_autosaves(), decided)
        return any(restored)

    def _offer(self, orphans: list, decided: Callable[[bool], object]) -> None:
        """Offer ``orphans[0]`` (newest first); on no, the rest; ``decided(restored)``."""
        while orphans:
            orphan, rest = orphans[0], orphans[1:]
            try:
                session = load_session(orphan.path)
            except (ModelFileError, OSError, MemoryError):
                orphan.release(remove=True)
                orphans = rest
                continue
            gui = session.settings.get("gui", {}) if isinstance(session.settings, dict) else {}
            source = gui.get("source_path") if isinstance(gui, dict) else None
            source = source if isinstance(source, str) and source else None
            name = os.path.basename(source) if source else untitled()
            question = self.tr(
                "Backprop Lab did not close normally. Restore the unsaved work of "
                "{0} (iteration {1})?"
            ).format(name, f"{session.trainer_state.step:,}")
            questions.ask_yes_no(
                self.window,
                self.tr("Restore unsaved work?"),
                question,
                partial(self._answered, orphan, session, source, rest, decided),
            )
            return
        decided(False)

    def _answered(self, orphan, session, source, rest, decided, yes: bool) -> None:
        if not yes:
            orphan.release(remove=True)
            self._offer(rest, decided)
            return
        w = self.window
        try:
            apply_session(w.lab, session, w.layer_editor.fits)
        except (ValueError, ModelFileError) as e:
            w.show_error(self.tr("Cannot restore the unsaved work"), render(e))
            orphan.release(remove=True)
            self._offer(rest, decided)
            return
        w.undo.recorder.resync()
        w.session.mark_unsaved(source)  # restored work is unsaved work
        self.autosaver.adopt(orphan)
        for other in rest:
            other.release(remove=False)  # offered again at the next start
        w.statusBar().showMessage(
            self.tr("Restored unsaved work at iteration {0}").format(
                f"{session.trainer_state.step:,}"
            ),
            5000,
        )
        decided(True)

    @Slot(str)
    def _on_autosave_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(self.tr("Autosave skipped: {0}").format(message), 5000)

    @Slot()
    def _on_changed(self) -> None:
        if not self.window.controller.is_running and not self.window.undo.recorder.applying:
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

    def keep_for_next_start(self) -> bool:
        """The window is about to close without asking (a logout, SIGTERM, Ctrl+C): if
        there is unsaved work, autosave it now, in this thread (the caller has paused
        training, so it is the exact state), and let :meth:`shutdown` keep it - the next
        start offers it as it offers a crashed window's work. True if work was kept."""
        if self._shut_down or not self.window.session.is_modified():
            return False
        session = session_of(self.window.lab, source_path=self.window.session.path or "")
        if session is None:
            return False
        self._keep = self.autosaver.write_now(session) or self.autosaver.path.is_file()
        return self._keep

    def shutdown(self) -> None:
        """The window's end: stop autosaving; remove the autosave unless
        :meth:`keep_for_next_start` kept it."""
        if self._shut_down:
            return
        self._shut_down = True
        self._run_timer.stop()
        self._idle_timer.stop()
        self.autosaver.close(keep=self._keep)


__all__ = ["AUTOSAVE_IDLE_MS", "AUTOSAVE_RUNNING_MS", "Recovery"]
