"""Big data in the window: a ROWS x 784 CSV (MNIST-like: 784 pixel columns 0..255 and a
class label 0..9 last), generated in a temporary folder.

Measured in a shown MainWindow (offscreen): how long the background read takes, the
longest GUI-thread gap from the start of the read until the data is in the window (the
read and its arrival), the longest gap while playing ``--seconds`` (a 784-32-10 network, batch 32),
and the resident memory (VmRSS of /proc/<pid>/status) of the window and of the training
process against the size of the data as float64. Bars: gaps while playing <= 100 ms,
window memory <= 2x the data.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_big_data.py [--rows 100000]
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

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_big import GapMeter

COLUMNS = 784


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of process ``pid`` in MB (VmRSS), nan if unknown."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def write_csv(path: str, rows: int) -> None:
    """``rows`` lines of 784 integers 0..255 (80% of them 0, as in MNIST, which keeps
    100,000 rows under the 200 MB CSV limit) and a label 0..9, with a header."""
    rng = np.random.default_rng(0)
    with open(path, "w") as f:
        f.write(",".join([f"p{i}" for i in range(COLUMNS)] + ["label"]) + "\n")
        for start in range(0, rows, 5000):
            n = min(5000, rows - start)
            pixels = rng.integers(1, 256, (n, COLUMNS)) * (rng.random((n, COLUMNS)) < 0.2)
            block = np.column_stack([pixels, rng.integers(0, 10, (n, 1))])
            np.savetxt(f, block, fmt="%d", delimiter=",")


def main() -> None:
    """Generate, load, play; print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="bplab-bench-csv-")
    path = os.path.join(folder, f"big{args.rows}.csv")
    t0 = time.perf_counter()
    write_csv(path, args.rows)
    size_mb = os.path.getsize(path) / 1e6
    data_mb = args.rows * (COLUMNS + 1) * 8 / 2**20
    print(f"{args.rows:,} x {COLUMNS} CSV: {size_mb:.0f} MB written in "
          f"{time.perf_counter() - t0:.0f} s; as float64 {data_mb:.0f} MB; "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip

    from backprop_lab.engine import Architecture, Optimizer, TrainingConfig
    from backprop_lab.gui import MainWindow, questions
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    w = MainWindow()
    w.quiet_messages = True
    w.show()
    app.processEvents()
    c = w.controller
    before = rss_mb()
    meter = GapMeter()

    def pump(until, timeout: float = 900.0) -> None:
        end = time.perf_counter() + timeout
        while not until() and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)

    meter.reset()
    t0 = time.perf_counter()
    w.data_panel.load_csv_file(path)
    pump(lambda: not w.data_panel.busy)
    read_s = time.perf_counter() - t0
    pump(
        lambda: c.dataset is not None and len(c.dataset.x) + len(c.dataset.x_val) == args.rows,
        timeout=120,
    )
    if c.dataset is None or len(c.dataset.x) + len(c.dataset.x_val) != args.rows:
        print("the data did not arrive:", w.data_panel.summary_label.text())
        return
    pump(lambda: not c.busy)
    arrival = meter.gap_ms()
    print(f"read in the background: {read_s:.1f} s; longest gap while reading and on "
          f"arrival: {arrival:.0f} ms")  # fmt: skip
    ds = c.dataset
    arch = Architecture.build(COLUMNS, [32], 10, "relu", "softmax")
    c.set_problem(ds, arch, TrainingConfig("ce", Optimizer("sgd", 0.01), batch_size=32))
    pump(lambda: not c.busy)
    meter.reset()
    c.play()
    end = time.perf_counter() + args.seconds
    pump(lambda: time.perf_counter() > end)
    gap = meter.gap_ms()
    window_mb, child_mb = rss_mb(), rss_mb(c.worker_pid) if c.worker_pid else float("nan")
    c.pause()
    print(f"playing {args.seconds:g} s: longest gap {gap:.0f} ms (bar 100 ms)")
    print(f"memory: window {window_mb:.0f} MB ({before:.0f} MB before the data; "
          f"{window_mb / data_mb:.2f}x the data, bar 2x), training process {child_mb:.0f} MB "
          f"({child_mb / data_mb:.2f}x)")  # fmt: skip
    questions.show = questions.answer_with("discard")
    w.close()
    os.remove(path)


if __name__ == "__main__":
    main()
