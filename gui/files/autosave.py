"""Autosave and crash recovery.

Every running window owns a folder ``<AppDataLocation>/autosave/run-<pid>-<random>/``
and holds the lock file ``run-....lock`` beside it (``QLockFile``: a lock whose process
has died - a crash, ``kill -9`` - is stale and can be taken; a live window's lock
cannot, so two windows never offer each other's work). :class:`Autosaver` writes the
window's session there (``engine.formats.session.write_autosave``: checked first, so
diverged weights never replace the last finite autosave; the previous autosave is kept
until the new one is complete) as a background task (:mod:`gui.tasks`), one write at a
time (a request while one is running waits and only the newest waiting request is
written).

At start-up :func:`orphaned_autosaves` finds the folders of windows that did not exit
cleanly (and removes the temporary files that a write killed midway left in them,
``engine.formats.atomic.remove_stale_temps``); :meth:`Autosaver.adopt` moves a restored
autosave into this window's folder. A clean exit removes the folder and the lock
(:meth:`Autosaver.close`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from backprop_lab.engine.formats import ModelFileError, Session
from backprop_lab.engine.formats.atomic import remove_stale_temps
from backprop_lab.engine.formats.session import (
    autosave_path,
    find_autosave,
    remove_autosave,
    write_autosave,
)
from PySide6.QtCore import QLockFile, QObject, Signal, Slot

from ..messages import render
from ..settings import data_folder
from ..tasks import Task, start_task

FOLDER_PREFIX = "run-"
LOCK_SUFFIX = ".lock"
WRITE_ERRORS = (ModelFileError, OSError, MemoryError, ValueError)  # reported by message


def autosave_root() -> Path:
    """``<AppDataLocation>/autosave``: one sub-folder per window that ran."""
    return data_folder() / "autosave"


def _lock(folder: Path) -> QLockFile:
    lock = QLockFile(str(folder) + LOCK_SUFFIX)
    lock.setStaleLockTime(0)  # never stale by age: only when its process is gone
    return lock


@dataclass
class Orphan:
    """A crashed window's autosave: ``path`` loads; ``lock`` is held until released."""

    folder: Path
    path: Path
    lock: QLockFile

    def release(self, remove: bool) -> None:
        """Give the folder up; ``remove`` deletes it (and its autosaves) first."""
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.lock.unlock()


def orphaned_autosaves(root: Path | None = None) -> list[Orphan]:
    """Autosaves of windows that did not exit cleanly, newest first, their locks held
    by the caller (release them). Folders of dead windows without a usable autosave are
    removed on the way, and so are killed writes' temporary files in the others."""
    root = autosave_root() if root is None else root
    found = []
    remove_stale_temps(root)
    with contextlib.suppress(OSError):
        for folder in root.iterdir():
            if not folder.is_dir() or not folder.name.startswith(FOLDER_PREFIX):
                continue
            lock = _lock(folder)
            if not lock.tryLock(0):
                continue  # a live window's folder
            remove_stale_temps(folder)
            path = find_autosave(folder)
            if path is None:
                shutil.rmtree(folder, ignore_errors=True)
                lock.unlock()
                continue
            found.append((path.stat().st_mtime_ns, Orphan(folder, path, lock)))
    found.sort(key=lambda item: item[0], reverse=True)
    return [orphan for _, orphan in found]


def _write(folder: Path, session: Session) -> int:
    """Autosave ``session`` in ``folder`` (on a task's thread); returns its iteration."""
    write_autosave(folder, session)
    return int(session.trainer_state.step)


class Autosaver(QObject):
    """This window's autosave folder and its background writes."""

    saved = Signal(int)  # the iteration of a completed autosave
    failed = Signal(str)  # why an autosave was not written

    def __init__(self, root: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        root = autosave_root() if root is None else root
        self.folder = root / f"{FOLDER_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._lock = _lock(self.folder)
        self._locked = False
        with contextlib.suppress(OSError):
            root.mkdir(parents=True, exist_ok=True)
            self._locked = self._lock.tryLock(0)
        self._task: Task | None = None  # the write in progress (maybe cancelled)
        self._waiting: Session | None = None
        self._closed = False
        self.last_saved_step: int | None = None

    @property
    def path(self) -> Path:
        """Where the newest autosave is written."""
        return autosave_path(self.folder)

    @property
    def busy(self) -> bool:
        """True until the write in progress has been reported (or dropped)."""
        return self._task is not None

    def write(self, session: Session) -> None:
        """Autosave ``session`` in the background (after the write in progress)."""
        if self._closed:
            return
        if self._task is not None:
            self._waiting = session
            return
        self._task = start_task(_write, self.folder, session)
        self._task.returned.connect(self._on_written)
        self._task.errored.connect(self._on_failed)
        self._task.finished.connect(self._on_finished)

    @Slot(object)
    def _on_written(self, step: int) -> None:
        self.last_saved_step = step
        self.saved.emit(step)

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        known = isinstance(error, WRITE_ERRORS)
        self.failed.emit(render(error) if known else f"{type(error).__name__}: {error}")

    @Slot()
    def _on_finished(self) -> None:
        self._task = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.write(waiting)

    def wait(self, timeout_s: float = 5.0) -> bool:
        """Wait (without an event loop) for the write in progress; the waiting one is
        dropped. True if no write is left running."""
        self._waiting = None
        return self._task is None or self._task.wait(round(timeout_s * 1000))

    def discard(self) -> None:
        """Delete this window's autosaves (nothing unsaved is left to recover); the
        write in progress, if any, is not reported."""
        if self.wait():
            if self._task is not None:
                self._task.cancel()
            remove_autosave(self.folder)
            self.last_saved_step = None

    def adopt(self, orphan: Orphan) -> None:
        """Make a restored orphan's autosave this window's own (it stays recoverable
        until this window saves or exits cleanly) and release the orphan."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            os.replace(orphan.path, self.path)
        orphan.release(remove=True)

    def write_now(self, session: Session) -> bool:
        """Autosave ``session`` in this thread, after the write in progress (the waiting
        one is dropped): for the last autosave before the process ends. True if it was
        written; a refused session (diverged) or a failed write keeps the previous one."""
        if self._closed or not self.wait():
            return False
        try:
            self.last_saved_step = _write(self.folder, session)
        except WRITE_ERRORS:
            return False
        return True

    def close(self, keep: bool = False) -> None:
        """The window's end: wait for the writer and release the lock. A clean exit
        removes the folder; ``keep`` leaves its autosave for the next start to offer (a
        logout that cannot ask about unsaved work)."""
        if self._closed:
            return
        finished = self.wait()
        self._closed = True
        if self._task is not None:
            self._task.cancel()  # not reported: the window is going
        if finished and not keep:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self._locked:
            self._lock.unlock()
            self._locked = False


__all__ = ["Autosaver", "Orphan", "autosave_root", "orphaned_autosaves"]
