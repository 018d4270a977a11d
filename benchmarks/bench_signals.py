"""Signals and hangs (issue 13): how long the window takes to close on SIGINT / SIGTERM
while training, how long its training process outlives a window killed with SIGKILL,
and, with the training process frozen (SIGSTOP), how long until the window notices and
how long Pause blocks the GUI thread.

The first three start the real entry point (``BACKPROP_LAB_AUTOTEST=play-until-killed``,
gui/window/autotest.py prints the training process's pid once it trains) and time from
the signal to the window's exit, and to the training process's end (polled every 10 ms
in /proc). The frozen-process figures run a window in this process.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_signals.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time

from bench_startup import start_app


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def signal_run(signum: int) -> tuple[float, float, int]:
    """(seconds to the window's exit, seconds to the training process's end, exit code)."""
    proc = start_app("play-until-killed")
    child = None
    for line in proc.stdout:
        if line.startswith("autotest: training process "):
            child = int(line.split()[-1])
            break
    time.sleep(1.0)  # training for a while
    t0 = time.perf_counter()
    proc.send_signal(signum)
    code = proc.wait(60)
    t_exit = time.perf_counter() - t0
    while not _gone(child) and time.perf_counter() - t0 < 30:
        time.sleep(0.01)
    t_child = time.perf_counter() - t0
    proc.stdout.close()
    return t_exit, t_child, code


def _frozen_window():
    """A window in this process, playing, whose training process has just been frozen
    (SIGSTOP) after its first checkpoint; questions are answered no."""
    from backprop_lab.gui import questions
    from backprop_lab.gui.window.main_window import MainWindow
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    questions.show = questions.answer_with("discard", yes=False)
    w = MainWindow()
    w.quiet_messages = True
    w.action_play.trigger()
    while w.controller.latest_state() is None:
        app.processEvents()
        time.sleep(0.005)
    os.kill(w.controller.worker_pid, signal.SIGSTOP)
    return app, w


def _timed_pause(app, w) -> float:
    """Seconds Pause blocks; then the window is closed."""
    t0 = time.perf_counter()
    w.controller.pause()
    blocked = time.perf_counter() - t0
    w.session.close_without_asking()
    w.close()
    w.deleteLater()
    app.processEvents()
    return blocked


def frozen_run() -> tuple[float, float]:
    """(seconds until workerStalled, seconds Pause blocks then) with the child frozen."""
    app, w = _frozen_window()
    t0 = time.perf_counter()
    while not w.controller.worker_stalled:
        app.processEvents()
        time.sleep(0.005)
    return time.perf_counter() - t0, _timed_pause(app, w)


def frozen_pause_run() -> float:
    """Seconds Pause blocks when pressed right after the child froze (not yet noticed)."""
    return _timed_pause(*_frozen_window())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for name, signum in (("SIGINT", signal.SIGINT), ("SIGTERM", signal.SIGTERM),
                         ("SIGKILL", signal.SIGKILL)):  # fmt: skip
        runs = [signal_run(signum) for _ in range(args.runs)]
        rows.append((name, runs))
    print(f"{'signal while training':<24}{'window exits (s)':>18}{'child ends (s)':>16}  codes")
    for name, runs in rows:
        exits = statistics.median(r[0] for r in runs)
        child = statistics.median(r[1] for r in runs)
        codes = sorted({r[2] for r in runs})
        print(f"{name:<24}{exits:>18.2f}{child:>16.2f}  {codes}")
    frozen = [frozen_run() for _ in range(args.runs)]
    early = [frozen_pause_run() for _ in range(args.runs)]
    print()
    print(f"frozen training process (SIGSTOP), median of {args.runs}:")
    print(f"  noticed after             {statistics.median(f[0] for f in frozen):6.2f} s")
    print(f"  Pause blocks, once noticed {statistics.median(f[1] for f in frozen):5.2f} s")
    print(f"  Pause blocks, at once      {statistics.median(early):5.2f} s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
