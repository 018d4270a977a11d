"""Big networks in the window: how long the GUI thread freezes.

The largest network the builder offers for the default example (2 inputs, 63 hidden
layers of 512 tanh units, 1 sigmoid output: 16.3M parameters) is set on the controller
of a shown MainWindow (offscreen), then Step is pressed ``--steps`` times, each time
waiting for its snapshot. A 5 ms ``Qt.PreciseTimer`` ticks in the GUI thread throughout;
the longest gap between ticks is reported for each phase (applying the network, each
Step), with the time each took and the engine's estimate (``controller.step_seconds``).

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_big.py [--steps 2] [--layers 63]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-config-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-data-")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from backprop_lab.engine import Architecture, Optimizer, TrainingConfig
from backprop_lab.engine.data import make_dataset


class GapMeter:
    """The longest gap between the ticks of a 5 ms GUI-thread timer since reset()."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.tick)
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def gap_ms(self) -> float:
        self.tick()
        return 1000 * self.longest


class StallSampler:
    """With --trace: a thread that, while the GUI thread has not ticked for 200 ms,
    samples its stack every 50 ms; :meth:`report` prints the most frequent frames."""

    def __init__(self, meter: GapMeter) -> None:
        import collections
        import threading

        self.meter, self.counts = meter, collections.Counter()
        self.main = threading.main_thread().ident
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        import traceback

        while True:
            time.sleep(0.05)
            if time.perf_counter() - self.meter.last > 0.2:
                frame = sys._current_frames().get(self.main)
                if frame is not None:
                    stack = traceback.extract_stack(frame)[-6:]
                    self.counts[" <- ".join(f"{f.name}@{os.path.basename(f.filename)}:{f.lineno}"
                                            for f in reversed(stack))] += 1  # fmt: skip

    def report(self) -> None:
        for stack, n in self.counts.most_common(8):
            print(f"{n * 50:6d} ms  {stack}")


def main() -> None:
    """Measure and print one table row per phase."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--layers", type=int, default=63)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--trace", action="store_true", help="sample the GUI thread's stalls")
    ap.add_argument("--play", type=float, default=0.0, help="then Play this long and Pause")
    ap.add_argument(
        "--builder", action="store_true",
        help="apply the network through the builder, then save and reopen the session",
    )  # fmt: skip
    args = ap.parse_args()

    from backprop_lab.gui import MainWindow
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    w = MainWindow()
    w.quiet_messages = True
    w.show()
    c = w.controller
    ds = make_dataset("circles", n=200, noise=0.1, seed=0, val_split=0.2)
    arch = Architecture.build(2, [args.width] * args.layers, 1, "tanh", "sigmoid")
    config = TrainingConfig("bce", Optimizer("sgd", 0.5), batch_size=32)
    meter = GapMeter()
    sampler = StallSampler(meter) if args.trace else None

    def settle(timeout: float = 600.0) -> None:
        end = time.perf_counter() + timeout
        while c.busy and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)

    settle()
    print(f"{arch.parameter_count:,} parameters, load {os.getloadavg()[0]:.1f}")
    print("| phase | took (s) | longest GUI gap (ms) | estimate (s) |")
    print("|---|---:|---:|---:|")
    meter.reset()
    t0 = time.perf_counter()
    if args.builder:
        w.layer_editor.set_architecture(arch)  # as the builder's edit: the session knows it
        w.layer_editor.architectureChanged.emit(w.layer_editor.spec())
    else:
        c.set_problem(ds, arch, config)
    settle()
    print(f"| apply the network | {time.perf_counter() - t0:.1f} | {meter.gap_ms():.0f} | |")
    for i in range(args.steps):
        meter.reset()
        t0 = time.perf_counter()
        estimate = c.step_seconds()
        w.step()
        settle()
        took = time.perf_counter() - t0
        print(f"| Step {i + 1} | {took:.1f} | {meter.gap_ms():.0f} | {estimate:.1f} |")
    if args.play:  # Play for a while, then Pause: how long Pause takes, and its outcome
        errors: list[str] = []
        c.errorOccurred.connect(errors.append)
        c.play()
        end = time.perf_counter() + args.play
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)
        pid = c.worker_pid
        meter.reset()
        t0 = time.perf_counter()
        c.pause()
        took = time.perf_counter() - t0
        settle()
        killed = "killed the process" if errors or c.worker_pid != pid else "process kept"
        print(f"| Pause after {args.play:g} s of Play ({killed}) | {took:.1f} | "
              f"{meter.gap_ms():.0f} | |")  # fmt: skip
    if args.builder:  # save, then reopen the session
        path = os.path.join(tempfile.mkdtemp(prefix="bplab-bench-big-"), "big.bplab")
        busy = w.file_operations

        def settle_files() -> None:
            end = time.perf_counter() + 600
            while (busy.busy or c.busy) and time.perf_counter() < end:
                app.processEvents()
                time.sleep(0.002)

        for what, fn in (("save the session", w.save_session), ("reopen it", w.open_session)):
            meter.reset()
            t0 = time.perf_counter()
            fn(path)
            settle_files()
            print(f"| {what} | {time.perf_counter() - t0:.1f} | {meter.gap_ms():.0f} | |")
        print(f"session file: {os.path.getsize(path) / 1e6:.0f} MB")
    if sampler is not None:
        sampler.report()
    w.close()
    c.shutdown(10_000)


if __name__ == "__main__":
    main()
