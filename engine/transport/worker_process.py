"""``python -m backprop_lab.engine.transport.worker_process``: the training loop in a child
process.

Why a process: a Python thread running NumPy iterations flat out holds the GIL so much
that the GUI thread stalls; a child process trains at full speed on its own core while
the GUI only reads frames from a pipe (blocking reads release the GIL).

Protocol (frames of :mod:`engine.transport.stream`; commands on stdin, replies on stdout)::

    start   {problem_id, config, speed, sample_index, grid_spec, state...}
            + the state's arrays, + the data arrays when problem_id is new to this process
    config  {config}        new hyper-parameters from the next iteration on
    speed   {ips}           iterations per second, null = full speed
    sample  {index}         which training sample snapshots carry activations of
    pause                   stop after the running iteration
    quit                    exit (so does the end of stdin)

    snapshot    engine.transport.snapshot.Snapshot, at most ~30 Hz (fewer when making one is slow,
                so snapshots cost at most ~10% of the time), plus a final one
    checkpoint  the full TrainerState, about once a second (for recovery after a crash)
    stopped     {diverged, has_state, final_snapshot} + the final TrainerState (if the
                start frame was usable); the process is then idle. When a snapshot
                would take longer than FINAL_SNAPSHOT_S (a big network) no final
                snapshot is sent (final_snapshot false) and the frame carries the
                losses since the last one instead (pending.steps, pending.losses,
                pending.norms): the window makes that snapshot off its GUI thread, and
                a Pause is answered an iteration sooner
    error       {message}  an unexpected exception (a "stopped" frame follows when possible)
    alive       {step, stalled}  a heartbeat, every HEARTBEAT_SECONDS from "start" to
                "stopped", sent by a thread of its own: silence means the process is
                frozen (SIGSTOP, the GIL held); ``stalled`` means the training loop has
                spent far longer in one iteration than ever before (a stuck BLAS call)

The loop is the engine's own :meth:`Trainer.run` with a per-iteration callback that
collects the losses, applies commands and sends snapshots, so playing here gives the very
same numbers as stepping the same TrainerState in the GUI process.

The process ends with its parent: the end of stdin makes it quit after the running
iteration, and a watchdog thread ends it at once (``os._exit``) when its parent process
is gone (``os.getppid()`` changes), even in the middle of a long iteration and even if
something else still holds its stdin open - so a window killed with SIGKILL leaves no
training process behind for more than :data:`PARENT_POLL_SECONDS`.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import time
import traceback
from typing import BinaryIO

import numpy as np

from .. import cost
from ..phases import IterationRecord
from ..trainer import Trainer, TrainingDiverged
from .snapshot import GridSpec, make_snapshot
from .snapshot_sample import evaluated_rows
from .stream import (
    Frame,
    config_from_dict,
    data_from_frame,
    read_frame,
    snapshot_to_frame,
    state_from_frame,
    state_to_frame,
    write_frame,
)

MAX_SNAPSHOT_HZ = 30.0
SNAPSHOT_SHARE = 0.1  # snapshots may take at most this share of the time
CHECKPOINT_SECONDS = 1.0
HEARTBEAT_SECONDS = 0.4
# the parent's pid, set by the parent (gui.training.process): a parent that died while
# this process was still starting is noticed too (os.getppid() would already be another)
PARENT_VARIABLE = "BACKPROP_LAB_PARENT_PID"
PARENT_POLL_SECONDS = 0.2
# an iteration is "stalled" after STALL_FACTOR times the slowest one so far, and at
# least STALL_MIN_SECONDS (before the first has finished: STALL_FIRST_SECONDS)
STALL_FACTOR = 20.0
STALL_MIN_SECONDS = 2.0
STALL_FIRST_SECONDS = 30.0


def stalled(running_for: float | None, slowest: float | None) -> bool:
    """True if an iteration that has run ``running_for`` seconds (None: none is running)
    is stuck, given the slowest finished iteration (None: none has finished yet)."""
    if running_for is None:
        return False
    if slowest is None:
        return running_for > STALL_FIRST_SECONDS
    return running_for > max(STALL_MIN_SECONDS, STALL_FACTOR * slowest)


def error_meta() -> dict:
    """The "error" frame's meta for the exception being handled: ``message`` one line
    (what the window shows), ``details`` the traceback (what its error log keeps)."""
    exc = sys.exc_info()[1]
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return {
        "message": f"unexpected error in the training process: {text}"[:300],
        "details": traceback.format_exc(limit=8),
    }


FINAL_SNAPSHOT_S = 0.25  # a final snapshot estimated slower than this is left to the window


class WorkerLoop:
    """Serves commands read (by a reader thread) into ``commands``; writes to ``out``."""

    def __init__(self, commands: queue.SimpleQueue, out: BinaryIO) -> None:
        self.commands = commands
        self.out = out
        self.trainer: Trainer | None = None
        self.problem_id: object = None
        self.speed: float | None = None
        self.sample_index = 0
        self.grid_spec: GridSpec | None = None
        self.quit = self.stop = self.restart = False
        self._write_lock = threading.Lock()  # the heartbeat thread writes too
        self.beating = False  # from "start" to "stopped": heartbeats are sent
        self.iteration_began: float | None = None  # perf_counter; None between iterations
        self.slowest: float | None = None  # the slowest finished iteration, in seconds
        self.step = 0

    def heartbeat(self) -> None:
        """Send one "alive" frame if a session is under way (the heartbeat thread)."""
        began, slowest = self.iteration_began, self.slowest
        running_for = None if began is None else time.perf_counter() - began
        with self._write_lock:
            if self.beating:
                meta = {"step": int(self.step), "stalled": stalled(running_for, slowest)}
                write_frame(self.out, "alive", meta)

    # ------------------------------------------------------------ commands
    def serve(self) -> None:
        """Handle commands until "quit" or the end of stdin."""
        while not self.quit:
            frame = self.commands.get()
            if frame is not None and frame.kind == "start":
                self.session(frame)
            else:
                self.apply(frame)

    def apply(self, frame: Frame | None) -> None:
        """Apply one command; sets ``stop`` / ``restart`` flags for the running loop."""
        kind = "quit" if frame is None else frame.kind
        if kind in ("quit", "pause"):
            self.stop = True
            self.quit = self.quit or kind == "quit"
        elif kind == "config":
            if self.trainer is not None:
                self.trainer.set_config(config_from_dict(frame.meta["config"]))
            self.restart = True  # Trainer.run reads its config once per call
        elif kind == "speed":
            ips = frame.meta["ips"]
            self.speed = None if ips is None else float(ips)
            self.due = time.perf_counter()
        elif kind == "sample":
            self.sample_index = int(frame.meta["index"])

    def drain(self) -> None:
        while not self.commands.empty():
            self.apply(self.commands.get())

    # ------------------------------------------------------------ a play session
    def session(self, frame: Frame) -> None:
        """Run from the TrainerState in a "start" frame until paused or diverged."""
        self.stop = self.restart = False
        self.beating = True
        diverged = None
        try:
            self.setup(frame)
        except Exception:
            self.send("error", error_meta())
            self.send("stopped", {"diverged": None, "has_state": False})
            return
        finally:
            # the frame's arrays are views of its payload, which holds the data: let it go,
            # so that the data is held once (by the trainer) while the run lasts
            frame.arrays.clear()
        try:
            self.begin()
            while not self.stop:
                self.restart = False
                self.drain()
                if self.stop:
                    break
                self.trainer.run(1 << 62, self.after_step)
        except TrainingDiverged as e:
            diverged = e
        except Exception:
            self.send("error", error_meta())
        self.finish(diverged)

    def setup(self, frame: Frame) -> None:
        m = frame.meta
        state = state_from_frame(m, frame.arrays)
        config = config_from_dict(m["config"])
        if m["problem_id"] != self.problem_id or self.trainer is None:
            x, t, x_val, t_val = data_from_frame(frame.arrays)
            self.trainer = Trainer(state.network, x, t, config, x_val, t_val)
            self.problem_id = m["problem_id"]
        self.trainer.set_config(config)
        self.trainer.set_state(state)
        self.speed = None if m["speed"] is None else float(m["speed"])
        self.sample_index = int(m["sample_index"])
        self.grid_spec = None if m["grid_spec"] is None else GridSpec(**m["grid_spec"])

    def begin(self) -> None:
        now = time.perf_counter()
        self.iteration_began = now
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.norms: list[tuple[float, ...]] = []
        self.last_snapshot = self.due = now
        self.snapshot_interval = 1.0 / MAX_SNAPSHOT_HZ
        self.next_checkpoint = now + CHECKPOINT_SECONDS

    def after_step(self, rec: IterationRecord) -> bool:
        """Trainer.run's callback after every iteration; False ends the run."""
        if self.iteration_began is not None:
            took = time.perf_counter() - self.iteration_began
            self.slowest = took if self.slowest is None else max(self.slowest, took)
        self.iteration_began = None  # snapshots and waiting are not the iteration
        self.step = rec.step
        self.steps.append(rec.step)
        self.losses.append(rec.loss.value)
        self.norms.append(rec.backward.grad_norms)
        if not self.commands.empty():
            self.drain()
        now = time.perf_counter()
        if now - self.last_snapshot >= self.snapshot_interval:
            self.send_snapshot(now)
            now = time.perf_counter()
        if now >= self.next_checkpoint:
            self.send("checkpoint", *state_to_frame(self.trainer.get_state()))
            self.next_checkpoint = time.perf_counter() + CHECKPOINT_SECONDS
        if self.speed is not None and not (self.stop or self.restart):
            self.wait_for_turn()
        self.iteration_began = time.perf_counter()
        return not (self.stop or self.restart)

    def wait_for_turn(self) -> None:
        """Sleep until the next iteration is due, handling commands meanwhile."""
        self.due = max(self.due + 1.0 / self.speed, time.perf_counter())
        while not (self.stop or self.restart) and self.speed is not None:
            remaining = self.due - time.perf_counter()
            if remaining <= 0:
                return
            try:
                self.apply(self.commands.get(timeout=remaining))
            except queue.Empty:
                return

    def send_snapshot(self, now: float, final: bool = False, diverged: str | None = None):
        t = self.trainer
        elapsed = now - self.last_snapshot
        snap = make_snapshot(
            t, self.steps, self.losses, np.array(self.norms, dtype=np.float64),
            t.last, self.sample_index, self.grid_spec, final, diverged,
            len(self.steps) / elapsed if elapsed > 0 else 0.0,
        )  # fmt: skip
        self.steps, self.losses, self.norms = [], [], []
        self.send("snapshot", *snapshot_to_frame(snap))
        done = time.perf_counter()
        cost = done - now
        # at full speed snapshots may take SNAPSHOT_SHARE of the time; with a speed limit
        # the loop idles anyway, so every iteration is shown unless snapshots are slow
        share = SNAPSHOT_SHARE if self.speed is None else 0.5
        self.snapshot_interval = max(1.0 / MAX_SNAPSHOT_HZ, cost / share)
        self.last_snapshot = now

    def finish(self, diverged: TrainingDiverged | None) -> None:
        self.iteration_began = None
        message = None if diverged is None else str(diverged)
        final = self.snapshot_seconds() <= FINAL_SNAPSHOT_S
        if final:
            self.send_snapshot(time.perf_counter(), final=True, diverged=message)
        meta, arrays = state_to_frame(self.trainer.get_state())
        meta.update(diverged=message, has_state=True, final_snapshot=final)
        if not final:
            depth = self.trainer.network.depth
            arrays["pending.steps"] = np.array(self.steps, dtype=np.int64)
            arrays["pending.losses"] = np.array(self.losses, dtype=np.float64)
            arrays["pending.norms"] = np.array(self.norms, dtype=np.float64).reshape(-1, depth)
            self.steps, self.losses, self.norms = [], [], []
        self.send("stopped", meta, arrays)

    def snapshot_seconds(self) -> float:
        """The engine's estimate of one snapshot of the trainer now."""
        t = self.trainer
        rows = evaluated_rows(len(t.x)) + (0 if t.x_val is None else evaluated_rows(len(t.x_val)))
        grid = 0 if self.grid_spec is None else self.grid_spec.size
        return cost.snapshot_seconds(t.network.architecture, rows, grid)

    def send(self, kind: str, meta: dict | None = None, arrays: dict | None = None) -> None:
        """Write one reply frame (whole, also with the heartbeat thread writing); no
        heartbeat follows a "stopped" frame until the next "start"."""
        with self._write_lock:
            if kind == "stopped":
                self.beating = False
            write_frame(self.out, kind, meta, arrays)


def _beat(loop: WorkerLoop) -> None:
    """Heartbeat thread: an "alive" frame every HEARTBEAT_SECONDS while a session runs."""
    try:
        while True:
            time.sleep(HEARTBEAT_SECONDS)
            loop.heartbeat()
    except (OSError, ValueError):
        return  # the parent went away (or the stream is closed): nobody to tell


def _watch_parent(parent: int) -> None:
    """Watchdog thread: end this process at once when its parent ``parent`` has gone."""
    while True:
        time.sleep(PARENT_POLL_SECONDS)
        if os.getppid() != parent:
            os._exit(0)


def _read_commands(inp: BinaryIO, commands: queue.SimpleQueue) -> None:
    """Reader thread: stdin frames into the queue up to "quit"; None at the end (parent
    gone). Nothing is read after "quit": a daemon thread still blocked reading stdin when
    the interpreter exits holds the buffer's lock, and the interpreter then waits a second
    for it and aborts (SIGABRT, "could not acquire lock ... at interpreter shutdown")."""
    try:
        while (frame := read_frame(inp)) is not None:
            commands.put(frame)
            if frame.kind == "quit":
                break
    except Exception:
        traceback.print_exc()
    finally:
        commands.put(None)


def main() -> int:
    """Entry point of the worker process; returns the exit code."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    commands: queue.SimpleQueue = queue.SimpleQueue()
    reader = threading.Thread(target=_read_commands, args=(sys.stdin.buffer, commands), daemon=True)
    reader.start()
    parent = os.environ.get(PARENT_VARIABLE, "")
    parent_pid = int(parent) if parent.isdigit() else os.getppid()
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    loop = WorkerLoop(commands, out)
    threading.Thread(target=_beat, args=(loop,), daemon=True).start()
    try:
        loop.serve()
    except (BrokenPipeError, ConnectionResetError):
        return 0  # the parent went away
    return 0


if __name__ == "__main__":
    sys.exit(main())
