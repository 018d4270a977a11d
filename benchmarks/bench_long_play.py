"""GUI responsiveness over minutes: the longest gap per 10 s window while playing.

``gui.MainWindow`` (offscreen, all views) plays the default example (2-8-8-1, circles,
batch 32) at full speed for ``--seconds`` (200 by default). A 10 ms ``Qt.PreciseTimer``
ticks in the GUI thread; for every 10 s window the longest gap between ticks is printed,
with Python's generation-2 garbage collections in that window (count, longest) and the
load average. Bar: <= 50 ms in every window (the first seconds' bar, over minutes).

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_long_play.py [--seconds 200]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-config-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-data-")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
from backprop_lab.engine import Architecture, Optimizer, TrainingConfig
from backprop_lab.engine.data import make_dataset

GAP_BAR_MS = 50.0
WARMUP_S = 1.0


class Gen2Log:
    """Start and duration of every generation-2 collection while installed."""

    def __init__(self) -> None:
        self.runs: list[tuple[float, float]] = []
        self._began: float | None = None

    def __call__(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._began = time.perf_counter()
        elif self._began is not None:
            self.runs.append((self._began, time.perf_counter() - self._began))
            self._began = None


class SlowCalls:
    """With --trace: wraps the GUI thread's per-snapshot work (each view's show_snapshot
    and repaint, the model's record, autosave) and times every call."""

    def __init__(self, window) -> None:
        self.calls: list[tuple[float, float, str]] = []
        for view in window._fanout._views:
            self.wrap(view, "show_snapshot", type(view).__name__)
            for obj in [view, *view.findChildren(object)]:
                if hasattr(obj, "paintEvent") and hasattr(obj, "viewport"):
                    self.wrap(obj, "paintEvent", f"paint {type(view).__name__}")
        self.wrap(window.lab, "record", "lab.record")
        self.wrap(window.recovery, "autosave", "autosave")
        self.wrap(window, "_on_snapshot", "window._on_snapshot (all)")

    def wrap(self, obj, name: str, label: str) -> None:
        fn = getattr(obj, name)

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.calls.append((t0, time.perf_counter() - t0, label))

        setattr(obj, name, timed)

    def report(self, start: float, seconds: float, window_s: float) -> None:
        """Per call: how many took over 10 ms, the longest, and the mean in the first and
        the last window (a mean that grows means work that grows with the run)."""
        import collections

        by = collections.defaultdict(list)
        for t0, d, label in self.calls:
            by[label].append((t0 - start, d * 1e3))
        last = seconds - window_s
        print(
            "| GUI-thread call | calls | over 10 ms | longest (ms) | mean first / last window (ms) |"
        )
        print("|---|---:|---:|---:|---|")
        for label, ds in sorted(by.items(), key=lambda kv: -max(d for _, d in kv[1])):
            first = [d for t, d in ds if 0 <= t < window_s]
            end = [d for t, d in ds if t >= last]
            mean = lambda v: f"{np.mean(v):.1f}" if v else "-"  # noqa: E731
            print(f"| {label} | {len(ds)} | {sum(d > 10 for _, d in ds)} | "
                  f"{max(d for _, d in ds):.1f} | {mean(first)} / {mean(end)} |")  # fmt: skip


def long_run(window, seconds: float, window_s: float) -> tuple[float, float]:
    """Play for ``seconds``; print one row per ``window_s``; return the longest gap (ms)
    and when the measured time began (perf_counter)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    c = window.controller
    ds = make_dataset("circles", n=200, noise=0.1, seed=0, val_split=0.2)
    arch = Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
    c.set_problem(ds, arch, TrainingConfig("bce", Optimizer("sgd", 0.5), batch_size=32))
    app.processEvents()
    ticks: list[float] = []
    log = Gen2Log()
    gc.callbacks.append(log)
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    timer.start()
    c.play()
    start = time.perf_counter() + WARMUP_S
    QTimer.singleShot(int((WARMUP_S + seconds) * 1000) + 20, loop.quit)
    loop.exec()
    timer.stop()
    c.pause()
    gc.callbacks.remove(log)
    t = np.array([x for x in ticks if x >= start])
    gaps, ends = np.diff(t), t[1:]
    print("| window (s) | longest gap (ms) | gen-2 collections | longest gen-2 (ms) |")
    print("|---|---:|---:|---:|")
    worst = 0.0
    for k in range(int(seconds // window_s)):
        lo, hi = start + k * window_s, start + (k + 1) * window_s
        sel = (ends >= lo) & (ends < hi)
        gap = float(gaps[sel].max() * 1e3) if sel.any() else float("nan")
        worst = max(worst, gap)
        gcs = [d for w, d in log.runs if lo <= w < hi]
        print(f"| {k * window_s:.0f}-{(k + 1) * window_s:.0f} | {gap:.1f} | {len(gcs)} | "
              f"{max(gcs, default=0.0) * 1e3:.1f} |")  # fmt: skip
    return worst, start


def main() -> None:
    """Build the window, play, print the table and the verdict."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=200.0)
    ap.add_argument("--window", type=float, default=10.0, help="seconds per row")
    ap.add_argument("--trace", action="store_true", help="list the slow GUI-thread calls")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from backprop_lab.gui import MainWindow, questions

    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    app.processEvents()
    load0 = os.getloadavg()[0]
    slow = SlowCalls(w) if args.trace else None
    worst, start = long_run(w, args.seconds, args.window)
    if slow is not None:
        slow.report(start, args.seconds, args.window)
    verdict = "ok" if worst <= GAP_BAR_MS else "MISSED"
    print(f"longest gap over {args.seconds:g} s: {worst:.1f} ms ({verdict}, bar "
          f"{GAP_BAR_MS:g} ms); load average {load0:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after (2 cores)")  # fmt: skip
    questions.show = questions.answer_with("discard")
    w.close()


if __name__ == "__main__":
    main()
