"""The worker process's life signs (issue 13): it ends with its parent, and while a
session runs it sends a heartbeat that says when an iteration is stuck."""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import sys
import time

import pytest
from backprop_lab.engine.transport import worker_process as wp
from backprop_lab.engine.transport.stream import read_frame

# a parent that starts the worker process with a stdin pipe someone else also holds
# open (here: the test), so the end of stdin never comes; prints the worker's pid
PARENT = """
import os, subprocess, sys, time
env = dict(os.environ, BACKPROP_LAB_PARENT_PID=str(os.getpid()))
child = subprocess.Popen(
    [sys.executable, "-m", "backprop_lab.engine.transport.worker_process"],
    stdin=int(sys.argv[1]), stdout=subprocess.DEVNULL, env=env,
)
print(child.pid, flush=True)
time.sleep(600)
"""


def process_gone(pid: int) -> bool:
    """True if ``pid`` no longer runs (gone, or a zombie nobody has reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True
    except OSError:  # no /proc: ask the process table
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


def wait_gone(pid: int, seconds: float = 15.0) -> bool:
    """Poll until ``pid`` is gone (a generous bound: this is not a timing check)."""
    deadline = time.monotonic() + seconds
    while not process_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return process_gone(pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and POSIX signals")
def test_the_worker_ends_when_its_parent_is_killed_even_with_its_stdin_open(tmp_path):
    read_end, write_end = os.pipe()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(read_end)], stdout=subprocess.PIPE, text=True,
        pass_fds=(read_end,),
    )  # fmt: skip
    os.close(read_end)
    child = None
    try:
        child = int(parent.stdout.readline())
        parent.send_signal(signal.SIGKILL)  # as a window killed with kill -9
        parent.wait(30)
        assert wait_gone(child, 30), "the worker process outlived its parent"
    finally:
        os.close(write_end)
        parent.stdout.close()
        if parent.poll() is None:
            parent.kill()
            parent.wait(30)
        if child is not None and not process_gone(child):
            os.kill(child, signal.SIGKILL)


def test_stalled_means_far_longer_than_any_iteration_so_far():
    assert not wp.stalled(None, 0.01)  # between iterations
    assert not wp.stalled(1.0, 0.01)  # under the minimum
    assert wp.stalled(wp.STALL_MIN_SECONDS + 0.1, 0.01)
    assert not wp.stalled(5.0, 1.0)  # a slow network: 20 x its slowest iteration
    assert wp.stalled(21.0, 1.0)
    assert not wp.stalled(10.0, None)  # the first iteration may be slow
    assert wp.stalled(wp.STALL_FIRST_SECONDS + 1, None)


def _frames(buf: io.BytesIO) -> list:
    buf.seek(0)
    frames = []
    while (frame := read_frame(buf)) is not None:
        frames.append(frame)
    return frames


def test_the_heartbeat_is_sent_only_during_a_session_and_says_when_it_is_stuck():
    out = io.BytesIO()
    loop = wp.WorkerLoop(queue.SimpleQueue(), out)
    loop.heartbeat()  # idle: nobody is waiting for a sign of life
    assert _frames(out) == []

    loop.beating, loop.step = True, 41
    loop.slowest = 0.01
    loop.iteration_began = time.perf_counter()
    loop.heartbeat()
    loop.iteration_began = time.perf_counter() - wp.STALL_MIN_SECONDS - 1  # stuck
    loop.heartbeat()
    out.seek(0, io.SEEK_END)
    loop.send("stopped", {"diverged": None, "has_state": False})
    loop.heartbeat()  # after "stopped": silent again
    frames = _frames(out)
    assert [f.kind for f in frames] == ["alive", "alive", "stopped"]
    assert [f.meta for f in frames[:2]] == [
        {"step": 41, "stalled": False},
        {"step": 41, "stalled": True},
    ]
    assert not loop.beating
