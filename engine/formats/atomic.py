"""Atomic file writes: the file is either the complete new version or untouched.

The temporary file is recognisably ours: ``.<name>.<pid>-<random>.bplab-tmp`` in the
target's folder, ``<pid>`` the writing process. A writer killed midway (SIGKILL, a
power cut) leaves it behind; the next write to the same folder removes such leftovers
(:func:`remove_stale_temps`: only those whose writer is gone, or untouched for
:data:`STALE_TEMP_SECONDS` - never a live writer's file in progress).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".bplab-tmp"
# a temporary file of ours: .<name>.<pid>-<8 random characters of mkstemp>.bplab-tmp
_TEMP_NAME = re.compile(r"\A\..*\.(\d+)-[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + r"\Z", re.S)
STALE_TEMP_SECONDS = 600  # a live writer touches its file far more often than this
MAX_NAME_IN_TEMP = 120  # characters of the target's name kept in the temporary name


def temp_writer_pid(name: str) -> int | None:
    """The pid of the process that wrote the temporary file called ``name``, or None if
    ``name`` is not one of :func:`atomic_write`'s temporary files."""
    m = _TEMP_NAME.match(name)
    return int(m.group(1)) if m else None


def _process_alive(pid: int) -> bool:
    """True if a process ``pid`` exists on this machine (POSIX; elsewhere: assume so)."""
    if pid <= 0:
        return False
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, it is someone else's
        return True
    return True


def remove_stale_temps(folder: str | os.PathLike, now: float | None = None) -> list[Path]:
    """Remove the temporary files that killed writers left in ``folder``; returns them.

    A file is removed only if its name is one of :func:`atomic_write`'s temporary names
    and its writer (the pid in the name) is no longer running, or it has not been
    written to for :data:`STALE_TEMP_SECONDS` (a reused pid). Another live writer's file
    in progress is never touched; this process's own files are removed only by age.
    Best effort: errors (a vanished file, no permission) are ignored."""
    now = time.time() if now is None else now
    removed = []
    me = os.getpid()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            pid = temp_writer_pid(entry.name)
            if pid is None:
                continue
            with contextlib.suppress(OSError):
                if not entry.is_file(follow_symlinks=False):
                    continue
                old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS
                if old or (pid != me and not _process_alive(pid)):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _default_mode() -> int:
    """0o666 minus the umask, read without changing it (os.umask is not thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o644


def atomic_write(path: str | os.PathLike, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write ``data`` to ``path`` atomically. ``data`` is the bytes, or a function that
    writes them to the (binary, seekable) temporary file it is given - so that a large
    file (a session with its data set) is written as it is made, never held in memory
    whole.

    A temporary file in the same folder is written, flushed and fsync'ed, then moved over
    ``path`` with :func:`os.replace`. On any failure the temporary file is removed, an
    existing file at ``path`` is left byte-for-byte untouched, and an :class:`OSError`
    (the original one, or one wrapping the unexpected exception) is raised.

    A new file gets the usual permissions (0o666 minus the umask); an existing file keeps
    its permissions. If ``path`` is a symbolic link, the link itself is replaced.

    Leftover temporary files of killed writers in the folder are removed first
    (:func:`remove_stale_temps`)."""
    if not isinstance(data, bytes | bytearray | memoryview) and not callable(data):
        raise TypeError(f"atomic_write needs bytes or a writer, got {type(data).__name__}")
    target = Path(os.fspath(path))
    folder = target.parent
    name = target.name
    if not name:
        raise IsADirectoryError(f"cannot save to {str(path)!r}: it names a folder, not a file")
    if not folder.is_dir():
        raise FileNotFoundError(2, f"cannot save {name}: the folder {str(folder)!r} does not exist")
    try:
        existing = os.stat(target)
        mode = stat.S_IMODE(existing.st_mode) if stat.S_ISREG(existing.st_mode) else None
    except OSError:
        mode = None
    if mode is None:
        mode = _default_mode()

    remove_stale_temps(folder)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{name[:MAX_NAME_IN_TEMP]}.{os.getpid()}-", suffix=TEMP_SUFFIX, dir=folder
        )
    except OSError as e:
        raise type(e)(e.errno, f"cannot save {name} in {str(folder)!r}: {e.strerror}") from e
    try:
        try:
            f = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        with f:
            if callable(data):
                data(f)
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # e.g. file systems without permissions
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) or not isinstance(e, Exception):
            raise
        raise OSError(f"cannot save {name}: {type(e).__name__}: {e}") from e
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); best effort, a no-op where folders can't be opened."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
