"""Atomic file writes: the file is either the complete new version or untouched."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


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


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically.

    A temporary file in the same folder is written, flushed and fsync'ed, then moved over
    ``path`` with :func:`os.replace`. On any failure the temporary file is removed, an
    existing file at ``path`` is left byte-for-byte untouched, and an :class:`OSError`
    (the original one, or one wrapping the unexpected exception) is raised.

    A new file gets the usual permissions (0o666 minus the umask); an existing file keeps
    its permissions. If ``path`` is a symbolic link, the link itself is replaced."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"atomic_write needs bytes, got {type(data).__name__}")
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

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise type(e)(e.errno, f"cannot save {name} in {str(folder)!r}: {e.strerror}") from e
    try:
        try:
            f = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        with f:
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
