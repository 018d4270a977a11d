"""Update cost of each view, offscreen, against the budgets of the GUI issue.

What is timed, per update: ``view.show_snapshot(snap)`` followed by
``QApplication.processEvents()``, which runs the repaint Qt scheduled (the script checks
that the view's plot was actually painted inside the timed region, by counting its paint
events). Widgets are shown at 700x500 (the heatmaps at 700x700); pyqtgraph is configured
as gui.app does (row-major images, no antialiasing). Snapshots are real
``engine.transport.snapshot.make_snapshot`` frames of a real Trainer; only the loss plot's first
frame carries a made-up history of 1,000,000 iterations (as a resumed long run would).

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_views.py [--repeats N]
Prints a table: median and minimum milliseconds per update, and the budget.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
from backprop_lab.engine import Architecture, Optimizer, Trainer, TrainingConfig
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.network import init_network
from backprop_lab.engine.transport.snapshot import GridSpec, Snapshot, make_snapshot
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget


class PaintCounter(QObject):
    """Counts paint events of the widgets it is installed on."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def trainer_for(sizes: tuple[int, ...]) -> Trainer:
    if sizes[0] == 2:
        d = make_dataset("circles", 400)
        x, t, xv, tv = d.x, d.t, d.x_val, d.t_val
        loss, out, batch = "bce", "sigmoid", 32
    else:
        rng = np.random.default_rng(0)
        x = rng.standard_normal((512, sizes[0]))
        t = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 512)]
        xv, tv = x[:64], t[:64]
        loss, out, batch = "ce", "softmax", 128
    arch = Architecture.build(sizes[0], sizes[1:-1], sizes[-1], "tanh", out)
    config = TrainingConfig(loss=loss, optimizer=Optimizer("sgd", 0.05), batch_size=batch)
    return Trainer(init_network(arch), x, t, config, xv, tv)


def snapshots(sizes: tuple[int, ...], count: int, per_frame: int = 3) -> list[Snapshot]:
    tr = trainer_for(sizes)
    grid = GridSpec.around(tr.x) if sizes[0] == 2 else None
    out = []
    for _ in range(count):
        steps, losses, norms, rec = [], [], [], None
        for _ in range(per_frame):
            rec = tr.step()
            steps.append(rec.step)
            losses.append(rec.loss.value)
            norms.append(rec.backward.grad_norms)
        out.append(make_snapshot(tr, steps, losses, norms, rec, grid_spec=grid))
    return out


def loss_frames(history: int, count: int, per_frame: int = 1000) -> list[Snapshot]:
    """A first frame with ``history`` iterations of losses, then ``count`` frames of
    ``per_frame`` iterations each (30 frames/s at 30k iterations/s)."""
    tr = trainer_for((2, 8, 8, 1))
    rec = tr.step()
    rng = np.random.default_rng(0)

    def frame(start: int, n: int) -> Snapshot:
        steps = np.arange(start, start + n)
        losses = np.exp(-steps / 3e5) + 0.05 * rng.random(n)
        norms = rng.random((n, 3))
        return make_snapshot(tr, steps, losses, norms, rec)

    frames = [frame(1, history)]
    for k in range(count):
        frames.append(frame(history + 1 + k * per_frame, per_frame))
    return frames


def measure(app: QApplication, view: QWidget, frames: list[Snapshot], painted: QWidget) -> tuple:
    counter = PaintCounter()
    painted.installEventFilter(counter)
    times, missed = [], 0
    for snap in frames:
        before = counter.count
        t0 = time.perf_counter()
        view.show_snapshot(snap)
        app.processEvents()
        times.append(time.perf_counter() - t0)
        missed += counter.count == before
    painted.removeEventFilter(counter)
    return float(np.median(times)) * 1e3, float(np.min(times)) * 1e3, missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="updates timed per row")
    args = parser.parse_args()
    n = args.repeats

    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
    from backprop_lab.gui.views import (
        DecisionView,
        GradientHeatmaps,
        GradNormPlot,
        LossPlot,
        NetworkView,
    )

    def shown(widget: QWidget, w: int = 700, h: int = 500) -> QWidget:
        widget.resize(w, h)
        widget.show()
        app.processEvents()
        return widget

    rows = []

    plot = shown(LossPlot())
    frames = loss_frames(1_000_000, n + 3)
    plot.show_snapshot(frames[0])  # the 1e6-iteration history (not timed)
    app.processEvents()
    for f in frames[1:3]:  # warm-up
        plot.show_snapshot(f)
        app.processEvents()
    stored = len(plot.history())
    med, low, missed = measure(app, plot, frames[3:], plot.viewport())
    rows.append(
        ("loss curve, 1e6 iterations of history", f"+1000 its/frame, {stored:,} pts kept",
         med, low, 20.0, missed)
    )  # fmt: skip

    big = snapshots((784, 256, 10), n + 3)
    maps = shown(GradientHeatmaps(), 700, 700)
    for snap in big[:3]:  # builds the rows; their first paint comes a frame later
        maps.show_snapshot(snap)
        app.processEvents()
    painted = maps.rows[0]
    med, low, missed = measure(app, maps, big[3:], painted.viewport())
    rows.append(
        ("heatmaps 784-256-10 (all 4)", "2 of 256x784 + 2 of 10x256", med, low, 16.0, missed)
    )
    rows.append(("  per 256x784 heatmap", "half the row above", med / 2, low / 2, 8.0, missed))
    # a new architecture of the same depth on every frame: the rows are refitted, not rebuilt
    other = snapshots((784, 200, 10), n // 2 + 1)
    mixed = [s for pair in zip(big[3:], other, strict=False) for s in pair][:n]
    med, low, missed = measure(app, maps, mixed, painted.viewport())
    rows.append(
        (
            "heatmaps, new architecture each frame",
            "784-256-10 <-> 784-200-10",
            med,
            low,
            None,
            missed,
        )
    )

    for sizes, budget in (((2, 8, 8, 1), 8.0), ((784, 256, 128, 10), 33.0)):
        frames = snapshots(sizes, n + 2)
        for mode in ("weights", "gradients"):
            view = shown(NetworkView())
            view.set_mode(mode)
            view.show_snapshot(frames[0])
            app.processEvents()
            med, low, missed = measure(app, view, frames[1:], view.plot.viewport())
            what = f"{mode}, {view.segment_count():,} edges drawn"
            name = "network view " + "-".join(map(str, sizes))
            rows.append((name, what, med, low, budget, missed))
            view.close()

    frames = snapshots((2, 8, 8, 1), n + 2)
    gn = shown(GradNormPlot())
    med, low, missed = measure(app, gn, frames, gn.viewport())
    rows.append(("gradient norms 2-8-8-1", "3 iterations/frame", med, low, None, missed))
    gn.close()
    gn = shown(GradNormPlot())  # raw and smoothed (EMA) lines over a long history
    med, low, missed = measure(app, gn, loss_frames(20_000, n, per_frame=300), gn.viewport())
    rows.append(("gradient norms, 20,000 its of history", "+300 its/frame, raw + EMA", med, low,
                 None, missed))  # fmt: skip
    dv = shown(DecisionView())
    dv.set_dataset(make_dataset("circles", 400))
    med, low, missed = measure(app, dv, frames, dv.plot.viewport())
    rows.append(("decision view 2-8-8-1", "96x96 grid + 320 points", med, low, None, missed))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"view update cost: show_snapshot + processEvents (repaint), {n} updates, "
          f"load average {load:.2f} on {os.cpu_count()} CPUs")  # fmt: skip
    print(f"{'view':40} {'what':36} {'median ms':>9} {'min ms':>7} {'budget':>7}  verdict")
    for name, what, med, low, budget, missed in rows:
        b = "-" if budget is None else f"{budget:.0f}"
        verdict = "" if budget is None else ("ok" if med <= budget else "OVER")
        if missed:
            verdict += f" ({missed} updates without a repaint)"
        print(f"{name:40} {what:36} {med:9.2f} {low:7.2f} {b:>7}  {verdict}")


if __name__ == "__main__":
    main()
