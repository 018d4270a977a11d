"""The worker process as seen from the GUI process: start it, send it commands, read its
frames, stop it. No Qt here; :mod:`gui.training.worker` reads the frames on a QThread.

The child is ``python -m backprop_lab.engine.transport.worker_process`` started with
:class:`subprocess.Popen`
(no multiprocessing: it pickles). Its stderr goes to an anonymous temporary file, so it
can never block on a full pipe, and the tail is quoted when the process dies.

The child runs at a lower scheduling priority than the window (:data:`NICENESS` added
to ours, set right after it starts, so its imports count too; Unix): when every core is
busy the GUI thread gets one first and the window stays smooth, while on an idle core
training runs at full speed all the same.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Mapping

import numpy as np
from backprop_lab.engine.transport.stream import Frame, read_frame, write_frame
from backprop_lab.engine.transport.worker_process import PARENT_VARIABLE

PIPE_SIZE = 1 << 20  # bigger pipe buffers: fewer wake-ups per large frame
# nice value added for the child. Measured with bench_gui_responsiveness.py --cold on the
# shared 2-core machine at load ~7.5: 99th-percentile 10 ms-timer gap 80-195 ms with the
# child at the window's priority, 22-66 ms with 10
NICENESS = 10
_live: weakref.WeakSet[WorkerProcess] = weakref.WeakSet()


def lower_priority(pid: int, increment: int = NICENESS) -> bool:
    """Give process ``pid`` our nice value plus ``increment`` (capped by the system at its
    lowest priority). False where there are no nice values or the system refuses."""
    if not hasattr(os, "setpriority"):
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, pid, os.getpriority(os.PRIO_PROCESS, 0) + increment)
    except OSError:
        return False
    return True


def child_environment() -> dict[str, str]:
    """The child's environment: ours, with one BLAS thread unless the user chose otherwise
    (on a 2-core machine a second, spinning BLAS thread fights the GUI thread for the
    other core and makes both slower), and our pid, so that the child ends as soon as
    this process has gone (``engine.transport.worker_process.PARENT_VARIABLE``)."""
    env = dict(os.environ)
    env[PARENT_VARIABLE] = str(os.getpid())
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


class WorkerProcess:
    """One child process running :mod:`engine.transport.worker_process`.

    ``send`` may be called from any thread (a lock keeps frames whole); ``read`` only from
    the one thread that consumes replies. ``sent_problem`` records which problem's data the
    child already holds, so a new play run sends the data only when it changed."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the child)
        self._popen = subprocess.Popen(
            [sys.executable, "-m", "backprop_lab.engine.transport.worker_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            close_fds=True,
            env=child_environment(),
        )
        lower_priority(self._popen.pid)
        for f in (self._popen.stdin, self._popen.stdout):
            with contextlib.suppress(OSError, AttributeError, ImportError):
                import fcntl  # Linux only; elsewhere the default pipe size is used

                fcntl.fcntl(f.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        self._lock = threading.Lock()
        self.sent_problem: object = None
        _live.add(self)

    @property
    def pid(self) -> int:
        return self._popen.pid

    def alive(self) -> bool:
        """True while the child has not exited."""
        return self._popen.poll() is None

    def send(
        self, kind: str, meta: Mapping | None = None, arrays: Mapping[str, np.ndarray] | None = None
    ) -> None:
        """Write one command frame; raises OSError (e.g. BrokenPipeError) if the child is gone."""
        with self._lock:
            write_frame(self._popen.stdin, kind, meta, arrays)

    def read(self) -> Frame | None:
        """The next reply frame (blocks, without holding the GIL); None when the child's
        output ended. Raises engine.transport.stream.FrameError on a malformed frame."""
        return read_frame(self._popen.stdout)

    def exit_code(self, timeout: float = 1.0) -> int | None:
        """The exit code once the child has exited (waiting up to ``timeout`` s), else None."""
        try:
            return self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stderr_tail(self, limit: int = 2000) -> str:
        """The last ``limit`` characters the child wrote to stderr."""
        try:
            size = os.fstat(self._stderr.fileno()).st_size
            data = os.pread(self._stderr.fileno(), limit, max(size - limit, 0))
        except (OSError, ValueError):
            return ""
        return data.decode("utf-8", "replace").strip()

    def kill(self) -> None:
        """SIGKILL the child (its pipes then report end of stream)."""
        with contextlib.suppress(OSError):
            self._popen.kill()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the child to quit, then terminate and finally kill it; always reaps it.
        True if it exited by itself within ``timeout`` seconds."""
        p = self._popen
        clean = True
        if p.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                if self._lock.acquire(timeout=max(timeout / 2, 0.01)):
                    try:
                        write_frame(p.stdin, "quit")
                    finally:
                        self._lock.release()
            with contextlib.suppress(OSError, ValueError):
                p.stdin.close()  # end of stdin also makes the child quit
            try:
                p.wait(max(timeout, 0.01))
            except subprocess.TimeoutExpired:
                clean = False
                p.terminate()
                try:
                    p.wait(1.0)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        else:
            p.wait()
        for f in (p.stdin, p.stdout, self._stderr):
            with contextlib.suppress(OSError, ValueError):
                f.close()
        _live.discard(self)
        return clean


@atexit.register
def _kill_leftovers() -> None:
    """Last resort at interpreter exit: no child outlives its GUI process."""
    for proc in list(_live):
        proc.stop(0.5)
