"""GUI responsiveness while training at full speed, against the bar of the GUI issue.

(Longer than our usual 400 lines: the warm and the cold mode share the cases, the timer
probe and the bar, and are one script so that both are run and read the same way.)

For each case the script alternates, ``--runs`` times:

* **headless**: the engine's ``Trainer.run`` alone in a fresh process, with the worker
  process's environment (one BLAS thread), for ``--seconds`` after a warm-up;
* **with the GUI**: ``gui.MainWindow`` shown (offscreen) with all its views, the case's
  problem set on its controller, Play at full speed. A 10 ms ``Qt.PreciseTimer`` runs in
  the GUI thread; after a 1 s warm-up the longest gap between its ticks over ``--seconds``
  is recorded, and the training rate is read from the snapshots' iteration numbers.

Bar: longest gap <= 50 ms; GUI/headless iterations/s >= 50% for 2-8-8-1 (batch 32) and
>= 80% for 784-256-128-10 (batch 128, synthetic 784-dimensional data). The table shows
medians over the runs (and every run's gap). Other load on the machine skews both.

**Cold** (``--cold``): the first seconds of Play, as a user meets them. Each of ``--runs``
runs (default 5) is a fresh process that starts the window as ``backprop-lab`` does
(``gui.app.start``: shown, views installed, training process warmed up), presses Play at
once and records the 10 ms precise timer's ticks for ``--seconds`` (default 4) from that
press; per run: the median, 99th percentile and longest gap. Bar: longest gap <= 50 ms in
every run. ``--trace`` adds, for every gap over ``--trace-ms``, where the GUI thread was
(its Python stack sampled every millisecond by a second thread) and the garbage
collections inside it.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_responsiveness.py [--runs 3]
      QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_responsiveness.py --cold [--trace]
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# a fresh settings/data folder: a layout the user saved (hidden docks) must not change
# what is measured - the bar is "the window showing all views"
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-config-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-data-")
# run from a checkout: this repository's packages first
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
from backprop_lab.engine import Architecture, Optimizer, Trainer, TrainingConfig
from backprop_lab.engine.data import Dataset, make_dataset
from backprop_lab.engine.network import init_network

CASES = {
    "2-8-8-1 b32": dict(sizes=(2, 8, 8, 1), bar=0.5),
    "784-256-128-10 b128": dict(sizes=(784, 256, 128, 10), bar=0.8),
}
GAP_BAR_MS = 50.0
WARMUP_S = 1.0


def problem(case: str) -> tuple[Dataset, Architecture, TrainingConfig]:
    """The data, architecture and config of a case (same in every process)."""
    sizes = CASES[case]["sizes"]
    if sizes[0] == 2:  # the window's default example
        ds = make_dataset("circles", n=200, noise=0.1, seed=0, val_split=0.2)
        arch = Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
        return ds, arch, TrainingConfig("bce", Optimizer("sgd", 0.5), batch_size=32)
    rng = np.random.default_rng(0)
    n, m, d, k = 1000, 200, sizes[0], sizes[-1]
    centres = rng.standard_normal((k, d))
    labels = rng.integers(0, k, n + m)
    x = centres[labels] + 2.0 * rng.standard_normal((n + m, d))
    t = np.eye(k)[labels]
    ds = Dataset(
        "synthetic784", x[:n], t[:n], x[n:], t[n:], labels[:n], labels[n:],
        "classification", k, [f"x{i}" for i in range(d)], [f"class {c}" for c in range(k)],
    )  # fmt: skip
    arch = Architecture.build(d, sizes[1:-1], k, "relu", "softmax")
    return ds, arch, TrainingConfig("ce", Optimizer("sgd", 0.01), batch_size=128)


# ---------------------------------------------------------------- headless


def headless_main(case: str, seconds: float) -> None:
    ds, arch, config = problem(case)
    tr = Trainer(init_network(arch), ds.x, ds.targets(config.loss), config, ds.x_val,
                 ds.targets(config.loss, "val"))  # fmt: skip
    chunk = 200 if arch.input_size == 2 else 5
    end = time.perf_counter() + WARMUP_S
    while time.perf_counter() < end:
        tr.run(chunk)
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        tr.run(chunk)
        done += chunk
    print(done / (time.perf_counter() - t0))


def headless_rate(case: str, seconds: float, blas_threads: str | None = "1") -> float:
    env = dict(os.environ)
    if blas_threads is not None:
        env.update(OPENBLAS_NUM_THREADS=blas_threads, OMP_NUM_THREADS=blas_threads)
    out = subprocess.run(
        [sys.executable, __file__, "--headless", case, "--seconds", str(seconds)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return float(out.stdout.strip())


# ---------------------------------------------------------------- with the GUI


def minimal_front():
    """The controller and one pyqtgraph PlotWidget redrawing the loss of every snapshot:
    the training machinery's own share of the GUI thread, without the app's views."""
    import pyqtgraph as pg
    from backprop_lab.gui.training import TrainingController
    from PySide6.QtCore import QObject, Slot

    class LossCurve(pg.PlotWidget):
        def __init__(self) -> None:
            super().__init__()
            self.curve = self.plot()
            self.clear_history()

        def clear_history(self) -> None:
            self.steps, self.losses = np.zeros(0), np.zeros(0)

        @Slot(object)
        def show_snapshot(self, snap) -> None:
            self.steps = np.concatenate([self.steps, snap.steps])[-100_000:]
            self.losses = np.concatenate([self.losses, snap.losses])[-100_000:]
            self.curve.setData(self.steps, self.losses)

    class Front(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.controller = TrainingController(self)
            self.plot = LossCurve()
            self.plot.resize(700, 500)
            self.plot.show()
            self.controller.snapshotReady.connect(self.plot.show_snapshot)
            self.docks = {}
            self.views = ()
            self.decision_view = self

        def set_dataset(self, ds) -> None:
            self.plot.clear_history()

        def close(self) -> None:
            self.controller.shutdown()
            self.plot.close()

    return Front()


def gui_run(window, case: str, seconds: float) -> dict:
    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot
    from PySide6.QtWidgets import QApplication

    class Probe(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.ticks: list[float] = []
            self.snaps: list[tuple[float, int]] = []

        @Slot()
        def tick(self) -> None:
            self.ticks.append(time.perf_counter())

        @Slot(object)
        def snapshot(self, snap) -> None:
            self.snaps.append((time.perf_counter(), snap.step))

    app = QApplication.instance()
    c = window.controller
    ds, arch, config = problem(case)
    window.decision_view.set_dataset(ds)
    for view in window.views:
        view.clear()
    c.set_problem(ds, arch, config)
    app.processEvents()
    probe = Probe()
    c.snapshotReady.connect(probe.snapshot)
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(probe.tick)
    loop = QEventLoop()
    timer.start()
    c.play()
    start = time.perf_counter() + WARMUP_S
    end = start + seconds
    QTimer.singleShot(int((WARMUP_S + seconds) * 1000) + 20, loop.quit)
    loop.exec()
    timer.stop()
    c.pause()
    c.snapshotReady.disconnect(probe.snapshot)
    ticks = np.array([t for t in probe.ticks if start <= t <= end])
    snaps = [(t, s) for t, s in probe.snaps if start <= t <= end]
    (t0, s0), (t1, s1) = snaps[0], snaps[-1]
    views = [d.objectName() for d in window.docks.values() if d.isVisible()]
    return {
        "gap_ms": float(np.diff(ticks).max() * 1e3),
        "rate": (s1 - s0) / (t1 - t0),
        "snapshots_per_s": (len(snaps) - 1) / (t1 - t0),
        "docks": views,
    }


# ---------------------------------------------------------------- cold: the first seconds


class StackSampler(threading.Thread):
    """Samples the GUI thread's Python stack every ``interval`` s (``--trace``), and
    times every garbage collection; :meth:`report` says what filled a gap."""

    def __init__(self, interval: float = 0.001) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.main = threading.main_thread().ident
        self.samples: list[tuple[float, tuple[str, ...]]] = []
        self.collections: list[tuple[float, float, int]] = []  # start, end, generation
        self._gc_start = 0.0
        self.running = True
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            self.collections.append((self._gc_start, time.perf_counter(), info["generation"]))

    def run(self) -> None:
        while self.running:
            frame = sys._current_frames().get(self.main)
            stack = []
            while frame is not None and len(stack) < 40:
                code = frame.f_code
                name = os.path.basename(code.co_filename)
                stack.append(f"{name}:{code.co_name}:{frame.f_lineno}")
                frame = frame.f_back
            self.samples.append((time.perf_counter(), tuple(stack)))
            time.sleep(self.interval)

    def report(self, start: float, end: float, depth: int = 4, top: int = 4) -> list[str]:
        """Lines on the gap from ``start`` to ``end``: collections, commonest stacks."""
        lines = [
            f"  gc gen {g}: {(e - s) * 1e3:.1f} ms at +{(s - start) * 1e3:.0f} ms"
            for s, e, g in self.collections
            if s < end and e > start and e - s > 0.002
        ]
        stacks = collections.Counter(
            " < ".join(st[:depth]) for t, st in self.samples if start <= t <= end
        )
        lines += [f"  {n:3d} x {st}" for st, n in stacks.most_common(top)]
        return lines


def cold_main(seconds: float, trace_ms: float | None) -> None:
    """One cold run (in a fresh process): start the app as ``backprop-lab`` does, press
    Play at once, print the timer gaps (ms) of the first ``seconds`` as one JSON line."""
    from backprop_lab.gui import app as gui_app
    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot

    class Ticks(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.times: list[float] = []
            self.cpu: list[float] = []  # the GUI thread's CPU time at each tick

        @Slot()
        def tick(self) -> None:
            self.times.append(time.perf_counter())
            self.cpu.append(time.thread_time())

    sampler = StackSampler() if trace_ms is not None else None
    if sampler is not None:
        sampler.start()
    app, window = gui_app.start([sys.argv[0]])
    window.session.ask_unsaved = lambda doing: "discard"  # closing never asks
    QTimer.singleShot(0, window.recovery.offer_recovery)  # as gui.app.run does
    ticks = Ticks()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(ticks.tick)
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    timer.start()
    pressed, pressed_cpu = time.perf_counter(), time.thread_time()
    window.action_play.trigger()
    loop.exec()
    timer.stop()
    n = sum(t <= pressed + seconds for t in ticks.times)
    times = np.array([pressed, *ticks.times[:n]])
    gaps = np.diff(times) * 1e3
    cpu = np.diff([pressed_cpu, *ticks.cpu[:n]]) * 1e3
    step = window.last_snapshot.step if window.last_snapshot is not None else 0
    out = {"gaps": gaps.tolist(), "cpu": cpu.tolist(), "step": step, "trace": []}
    if sampler is not None:
        sampler.running = False
        for i in np.flatnonzero(gaps > trace_ms):
            a, b = times[i], times[i + 1]
            out["trace"].append(
                f"gap {gaps[i]:.0f} ms at +{(a - pressed) * 1e3:.0f} ms "
                f"(GUI thread on a core {cpu[i]:.0f} ms of it):"
            )
            out["trace"] += sampler.report(a, b)
    window.controller.pause()
    window.close()
    app.processEvents()
    print(json.dumps(out))


def cold_runs(runs: int, seconds: float, trace_ms: float | None) -> None:
    """``runs`` cold runs, each in a fresh process; prints one row per run."""
    print(f"cold: {runs} runs, {seconds:g} s of Play each from the first press; "
          f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")  # fmt: skip
    print()
    print("run | median gap ms | p99 ms | longest ms (GUI thread's CPU ms in it) | "
          "first gap ms (CPU) | gaps > 50 ms | iteration reached")  # fmt: skip
    print("--- | --- | --- | --- | --- | --- | ---")
    longest = []
    traces = []
    for k in range(runs):
        cmd = [sys.executable, __file__, "--cold-run", "--seconds", str(seconds)]
        if trace_ms is not None:
            cmd += ["--trace-ms", str(trace_ms)]
        env = dict(os.environ)  # every run its own fresh settings folders
        env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-config-")
        env["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-data-")
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        gaps, cpu = np.array(res["gaps"]), np.array(res["cpu"])
        longest.append(gaps.max())
        i = int(gaps.argmax())
        print(f"{k + 1} | {np.median(gaps):.1f} | {np.percentile(gaps, 99):.1f} | "
              f"{gaps[i]:.1f} ({cpu[i]:.0f}) | {gaps[0]:.1f} ({cpu[0]:.0f}) | "
              f"{int((gaps > GAP_BAR_MS).sum())} | "
              f"{res['step']}")  # fmt: skip
        if res["trace"]:
            traces.append((k + 1, res["trace"]))
    ok = all(g <= GAP_BAR_MS for g in longest)
    print()
    print(f"longest gap per run: {', '.join(f'{g:.0f}' for g in longest)} ms "
          f"({'ok' if ok else 'MISSED'}: bar {GAP_BAR_MS:g} ms in every run); "
          f"load average after: {os.getloadavg()[0]:.2f}")  # fmt: skip
    for k, lines in traces:
        print(f"\nrun {k}:")
        print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None, help="default 3; cold: 5")
    parser.add_argument("--seconds", type=float, default=4.0, help="measured time per run")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument(
        "--front",
        choices=("window", "plot"),
        default="window",
        help="window: gui.MainWindow with all views; plot: the controller and one PlotWidget",
    )
    parser.add_argument("--cold", action="store_true", help="the first seconds of Play")
    parser.add_argument("--trace", action="store_true", help="cold: where long gaps went")
    parser.add_argument("--trace-ms", type=float, default=None, help="cold: gaps to trace")
    parser.add_argument("--headless", help=argparse.SUPPRESS)
    parser.add_argument("--cold-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.headless:
        headless_main(args.headless, args.seconds)
        return
    args.runs_given = args.runs is not None
    args.runs = 3 if args.runs is None else args.runs
    if args.cold_run:
        cold_main(args.seconds, args.trace_ms)
        return
    if args.cold:
        trace_ms = args.trace_ms if args.trace_ms is not None else (30.0 if args.trace else None)
        cold_runs(args.runs if args.runs_given else 5, args.seconds, trace_ms)
        return

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
    if args.front == "window":
        from backprop_lab.gui import MainWindow, questions

        window = MainWindow()
        window.resize(1400, 900)
        window.show()
        from PySide6.QtWidgets import QDockWidget

        docks = window.findChildren(QDockWidget)
        hidden = [d.objectName() for d in docks if not d.isVisible()]
        print(f"docks shown: {len(docks) - len(hidden)} of {len(docks)}"
              + (f" (hidden: {', '.join(hidden)})" if hidden else ""))  # fmt: skip
    else:
        window = minimal_front()
    app.processEvents()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores); "
          f"{args.runs} runs x {args.seconds:g} s per case")  # fmt: skip
    rows = []
    for case in args.cases:
        heads, runs = [], []
        for _ in range(args.runs):
            heads.append(headless_rate(case, args.seconds))
            runs.append(gui_run(window, case, args.seconds))
        blas_default = headless_rate(case, args.seconds, None)
        head = statistics.median(heads)
        gaps = [r["gap_ms"] for r in runs]
        ratios = [r["rate"] / h for r, h in zip(runs, heads, strict=True)]
        rows.append((case, head, blas_default, statistics.median(r["rate"] for r in runs),
                     statistics.median(ratios), statistics.median(gaps), gaps,
                     statistics.median(r["snapshots_per_s"] for r in runs),
                     CASES[case]["bar"]))  # fmt: skip
        docks = runs[-1]["docks"]
    if hasattr(window, "session"):  # no Save/Discard/Cancel box: it would block offscreen
        questions.show = questions.answer_with("discard")
    window.close()
    app.processEvents()
    print(f"front: {args.front}; docks showing: {', '.join(docks) or '-'}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    header = ("case", "headless it/s", "(default BLAS)", "GUI it/s", "ratio", "bar",
              "longest gap ms", "per run", "snapshots/s")  # fmt: skip
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for case, head, blas, rate, ratio, gap, gaps, sps, bar in rows:
        ok_ratio = "ok" if ratio >= bar else "MISSED"
        ok_gap = "ok" if gap <= GAP_BAR_MS else "MISSED"
        print(f"{case} | {head:,.0f} | {blas:,.0f} | {rate:,.0f} | {ratio:.0%} ({ok_ratio}) | "
              f">= {bar:.0%} | {gap:.1f} ({ok_gap}) | {', '.join(f'{g:.0f}' for g in gaps)} | "
              f"{sps:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
