"""Plot export timed: is it fast enough to stay in the GUI thread?

For each view at its largest (the loss curve with 1,000,000 iterations of history, the
network view and heatmaps of 784-256-128-10, the decision view's grid), as PNG and SVG at
1920x1080 (at device pixel ratio 2 with ``--scale 2``), it times the parts of
``gui.files.plot_export.export_plot``: drawing the view (``render_plot``, which paints
widgets and so must run in the GUI thread), then encoding (``encode_plot``: PNG) and
writing the file (``atomic_write``), which a background task could take over; plus the
loss history as CSV.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_plot_export.py [--repeats N]
      [--scale 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "--scale" in sys.argv:
    os.environ["QT_SCALE_FACTOR"] = sys.argv[sys.argv.index("--scale") + 1]

import numpy as np
import pyqtgraph as pg
from bench_views import loss_frames, snapshots
from PySide6.QtWidgets import QApplication


def _median_ms(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)) * 1e3, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scale", default="1", help="device pixel ratio (QT_SCALE_FACTOR)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
    from backprop_lab.engine.data import make_dataset
    from backprop_lab.engine.formats.atomic import atomic_write
    from backprop_lab.gui.files.plot_export import encode_plot, loss_csv_bytes, render_plot
    from backprop_lab.gui.views import (
        DecisionView,
        GradientHeatmaps,
        GradNormPlot,
        LossPlot,
        NetworkView,
    )

    big = snapshots((784, 256, 128, 10), 2)
    small = snapshots((2, 8, 8, 1), 3)
    history = loss_frames(1_000_000, 1)
    views = {}
    loss = LossPlot()
    for f in history:
        loss.show_snapshot(f)
    views["loss curve, 1e6 iterations"] = loss
    net = NetworkView()
    net.show_snapshot(big[-1])
    views["network view 784-256-128-10"] = net
    maps = GradientHeatmaps()
    for s in big:
        maps.show_snapshot(s)
    views["heatmaps 784-256-128-10"] = maps
    dv = DecisionView()
    dv.set_dataset(make_dataset("circles", 400))
    for s in small:
        dv.show_snapshot(s)
    views["decision view 2-8-8-1"] = dv
    gn = GradNormPlot()
    for s in small:
        gn.show_snapshot(s)
    views["gradient norms"] = gn
    for v in views.values():
        v.resize(1920, 1080)
        v.show()
    for _ in range(3):
        app.processEvents()

    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    ratio = next(iter(views.values())).devicePixelRatioF()
    print(f"plot export at 1920x1080, device pixel ratio {ratio:g}, median of {args.repeats}")
    print(f"{'view':32} {'fmt':4} {'draw ms (GUI)':>14} {'encode ms':>10} {'write ms':>9} "
          f"{'size':>9}")  # fmt: skip
    worst = 0.0
    for name, view in views.items():
        for suffix in (".png", ".svg"):
            draw, drawn = _median_ms(lambda v=view, s=suffix: render_plot(v, s), args.repeats)
            encode, data = _median_ms(lambda d=drawn: encode_plot(d), args.repeats)
            path = folder / f"plot{suffix}"
            write, _ = _median_ms(lambda p=path, d=data: atomic_write(p, d), args.repeats)
            worst = max(worst, draw + encode + write)
            print(f"{name:32} {suffix[1:]:4} {draw:14.1f} {encode:10.1f} {write:9.1f} "
                  f"{len(data) / 1e6:8.2f}M")  # fmt: skip
    state = loss.history_state()
    make, data = _median_ms(lambda: loss_csv_bytes(state), args.repeats)
    write, _ = _median_ms(lambda: atomic_write(folder / "loss.csv", data), args.repeats)
    print(f"{'loss history CSV, 1e6 iterations':32} {'csv':4} {make:14.1f} {0:10.1f} "
          f"{write:9.1f} {len(data) / 1e6:8.2f}M")  # fmt: skip
    print(f"slowest export: {max(worst, make + write):.0f} ms")


if __name__ == "__main__":
    main()
