"""How long the first Play takes to show training: from pressing Play to the first
snapshot of a trained iteration (step > 0) reaching the window.

The training process is started by the app once its window is up (``gui/app.py`` calls
``TrainingController.warm_up``), not when a problem is set, so a window nobody plays
(most GUI tests) never starts one. Cases, each ``--runs`` times with a fresh window:

* **app, Play after 300 ms**: as ``gui.app.run`` starts the window (shown, views
  installed, the training process warmed up), Play pressed 300 ms later (the
  ``play-and-close`` autotest's delay; a person is slower);
* **app, Play at once**: the same, Play pressed on the event loop's first turn;
* **no warm-up, Play at once**: a bare ``MainWindow()`` (as the tests make them), Play
  at once - the child is started by Play itself;
* **second Play**: Pause, then Play again (the child is running and holds the data).

Medians and maxima in ms. Other load on the machine skews them.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_first_play.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-config-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bplab-bench-data-")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

TIMEOUT_S = 30.0


def wait(app: QApplication, condition, timeout_s: float = TIMEOUT_S) -> None:
    """Run the event loop until ``condition()`` holds (SystemExit after ``timeout_s``)."""
    end = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > end:
            raise SystemExit("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.0005)


def idle(app: QApplication, ms: float) -> None:
    """Run the event loop for ``ms`` milliseconds."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def make_window(as_the_app: bool):
    """A shown window: as ``gui.app.run`` makes it (deferred views, warmed up) or bare."""
    from backprop_lab.gui import MainWindow, questions

    w = MainWindow(defer_views=as_the_app)
    w.quiet_messages = True
    questions.show = questions.answer_with("discard")  # closing never asks
    w.show()
    QApplication.processEvents()
    if as_the_app:
        w.install_views()
        warm_up = getattr(w.controller, "warm_up", None)  # absent before the lazy start
        if warm_up is not None:
            warm_up()
    return w


def play_to_first_snapshot_ms(app: QApplication, w) -> float:
    """Press Play; ms until a snapshot of a trained iteration is the window's latest."""
    before = w.last_snapshot.step if w.last_snapshot is not None else 0
    clock = QElapsedTimer()
    clock.start()
    w.action_play.trigger()
    wait(app, lambda: w.last_snapshot is not None and w.last_snapshot.step > before)
    return clock.nsecsElapsed() / 1e6


def run_case(app: QApplication, case: str) -> tuple[float, float]:
    """One measurement of ``case`` (ms) and, for the app cases, the second Play's (ms)."""
    w = make_window(as_the_app=case.startswith("app"))
    try:
        if case == "app, Play after 300 ms":
            idle(app, 300)
        first = play_to_first_snapshot_ms(app, w)
        w.action_play.trigger()  # pause
        wait(app, lambda: not w.controller.is_running)
        second = play_to_first_snapshot_ms(app, w)
        w.action_play.trigger()
        wait(app, lambda: not w.controller.is_running)
        return first, second
    finally:
        w.close()
        w.deleteLater()
        idle(app, 50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from backprop_lab.gui.app import configure_pyqtgraph

    configure_pyqtgraph()
    cases = ["app, Play after 300 ms", "app, Play at once", "no warm-up, Play at once"]
    results: dict[str, list[float]] = {c: [] for c in [*cases, "second Play"]}
    run_case(app, cases[0])  # warm-up: imports, first paint
    for _ in range(args.runs):
        for case in cases:  # interleaved: load changes hit every case alike
            first, second = run_case(app, case)
            results[case].append(first)
            results["second Play"].append(second)
    print(f"{'case':<28} {'median ms':>10} {'max ms':>8}  (runs: {args.runs})")
    for case, values in results.items():
        print(f"{case:<28} {statistics.median(values):>10.0f} {max(values):>8.0f}")


if __name__ == "__main__":
    main()
