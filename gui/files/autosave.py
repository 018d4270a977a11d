"""Autosave and crash recovery.

Every running window owns a folder ``<AppDataLocation>/autosave/run-<pid>-<random>/``
and holds the lock file ``run-....lock`` beside it (``QLockFile``: a lock whose process
has died - a crash, ``kill -9`` - is stale and can be taken; a live window's lock
cannot, so two windows never offer each other's work). :class:`Autosaver` writes the
window's session there (``engine.formats.session.write_autosave``: checked first, so
diverged weights never replace the last finite autosave; the previous autosave is kept
until the new one is complete) on a background thread, one write at a time (a request
while one is running waits and only the newest waiting request is written). The writer
thread makes no Qt calls: a GUI-thread timer notices when it is done.

At start-up :func:`orphaned_autosaves` finds the folders of windows that did not exit
cleanly; :meth:`Autosaver.adopt` moves a restored autosave into this window's folder. A
clean exit removes the folder and the lock (:meth:`Autosaver.close`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from backprop_lab.engine.formats import ModelFileError, Session
from backprop_lab.engine.formats.session import (
    autosave_path,
    find_autosave,
    remove_autosave,
    write_autosave,
)
from PySide6.QtCore import QLockFile, QObject, QTimer, Signal, Slot

from ..settings import data_folder

FOLDER_PREFIX = "run-"
LOCK_SUFFIX = ".lock"
POLL_MS = 25  # how often the GUI thread looks whether a write is done


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
    removed on the way."""
    root = autosave_root() if root is None else root
    found = []
    with contextlib.suppress(OSError):
        for folder in root.iterdir():
            if not folder.is_dir() or not folder.name.startswith(FOLDER_PREFIX):
                continue
            lock = _lock(folder)
            if not lock.tryLock(0):
                continue  # a live window's folder
            path = find_autosave(folder)
            if path is None:
                shutil.rmtree(folder, ignore_errors=True)
                lock.unlock()
                continue
            found.append((path.stat().st_mtime_ns, Orphan(folder, path, lock)))
    found.sort(key=lambda item: item[0], reverse=True)
    return [orphan for _, orphan in found]


class _Write(threading.Thread):
    """One autosave on its own thread; ``step`` (-1: failed) and ``error`` when done."""

    def __init__(self, folder: Path, session: Session) -> None:
        super().__init__(name="backprop-lab-autosave", daemon=True)
        self.folder, self.session = folder, session
        self.step, self.error = -1, ""

    def run(self) -> None:
        try:
            write_autosave(self.folder, self.session)
        except (ModelFileError, OSError, MemoryError, ValueError) as e:
            self.error = str(e)
        else:
            self.step = int(self.session.trainer_state.step)
        self.session = None  # let the arrays go


class Autosaver(QObject):
    """This window's autosave folder and its background writer."""

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
        self._thread: _Write | None = None
        self._waiting: Session | None = None
        self._closed = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check)
        self.last_saved_step: int | None = None

    @property
    def path(self) -> Path:
        """Where the newest autosave is written."""
        return autosave_path(self.folder)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def write(self, session: Session) -> None:
        """Autosave ``session`` in the background (after the write in progress)."""
        if self._closed:
            return
        if self._thread is not None:
            self._waiting = session
            return
        self._thread = _Write(self.folder, session)
        self._thread.start()
        self._poll.start()

    @Slot()
    def _check(self) -> None:
        thread = self._thread
        if thread is None or thread.is_alive():
            return
        self._thread = None
        self._poll.stop()
        if self._closed:
            return
        if thread.step >= 0:
            self.last_saved_step = thread.step
            self.saved.emit(thread.step)
        else:
            self.failed.emit(thread.error)
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.write(waiting)

    def wait(self, timeout_s: float = 5.0) -> bool:
        """Wait for the write in progress (the waiting one is dropped). True if done."""
        self._waiting = None
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout_s)
        return not thread.is_alive()

    def discard(self) -> None:
        """Delete this window's autosaves (nothing unsaved is left to recover)."""
        if self.wait():
            self._thread = None
            self._poll.stop()
            remove_autosave(self.folder)
            self.last_saved_step = None

    def adopt(self, orphan: Orphan) -> None:
        """Make a restored orphan's autosave this window's own (it stays recoverable
        until this window saves or exits cleanly) and release the orphan."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            os.replace(orphan.path, self.path)
        orphan.release(remove=True)

    def close(self) -> None:
        """A clean exit: wait for the writer, remove the folder and the lock."""
        if self._closed:
            return
        finished = self.wait()
        self._closed = True
        self._poll.stop()
        if finished:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self._locked:
            self._lock.unlock()
            self._locked = False


__all__ = ["Autosaver", "Orphan", "autosave_root", "orphaned_autosaves"]
