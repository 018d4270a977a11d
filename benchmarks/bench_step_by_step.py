"""Step-by-step mode and the chain-rule inspector: how long a press and a derivation take.

What is timed (medians over --repeats, offscreen, the full MainWindow shown at 1400x900):

* ``explain``: ``engine.chainrule.explain`` alone for a weight of every layer of
  784-256-128-10 (relu, softmax, ce) on one sample, a mini-batch of 128 and a batch of
  5,000, and the first layer of 784-512-512-512-10 (2.6 million paths) - what decides
  whether the inspector may run in the GUI thread;
* ``phase step``: one Step phase (F11) press - the engine phase, the phase frame, the
  network view's redraw and the repaint (``QApplication.processEvents``) - on the default
  2-8-8-1 example and on 784-256-128-10, each phase kind separately, with a weight under
  inspection (the inspector re-derives once per iteration, when it begins);
* ``inspect``: ``MainWindow.inspect_weight`` of a first-layer weight (derivation + the
  inspector's text + the orange paths + repaint), paused between iterations (so on the
  chosen sample alone: in the GUI thread).

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_step_by_step.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
from backprop_lab.engine.chainrule import explain
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.engine.trainer import TrainingConfig
from PySide6.QtWidgets import QApplication


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def bench_explain(repeats: int) -> None:
    rng = np.random.default_rng(0)
    arch = Architecture.build(784, [256, 128], 10, "relu", "softmax")
    net = init_network(arch, "he", 0)
    x = rng.random((5000, 784))
    t = np.eye(10)[rng.integers(0, 10, 5000)]
    opt = Optimizer("sgd", 0.1)
    print("explain (engine.chainrule.explain), 784-256-128-10:")
    for n in (1, 128, 5000):
        reps = repeats if n < 5000 else max(2, repeats // 3)
        for layer in (1, 2, 3):
            ms = median_ms(
                lambda n=n, layer=layer: explain(net, x[:n], t[:n], "ce", layer, 3, 5, opt),
                reps,
            )
            print(f"  batch {n:>5}  layer {layer}: {ms:8.1f} ms")
    deep = init_network(Architecture.build(784, [512, 512, 512], 10, "relu", "softmax"), "he")
    ms = median_ms(lambda: explain(deep, x[:1], t[:1], "ce", 1, 3, 5, opt), max(2, repeats // 3))
    print(f"  784-512-512-512-10, layer 1 (2,621,440 paths), one sample: {ms:8.1f} ms")


def _mnist_like(n: int) -> Dataset:
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 10, n)
    x = rng.random((n, 784))
    return Dataset(
        "random784", x, labels[:, None].astype(float), x[:0], np.zeros((0, 1)), labels,
        labels[:0], "classification", 10, tuple(f"p{i}" for i in range(784)), ("digit",),
    )  # fmt: skip


def bench_window(app: QApplication, repeats: int) -> None:
    from backprop_lab.gui import MainWindow

    w = MainWindow()
    w.quiet_messages = True
    w.resize(1400, 900)
    w.show()
    app.processEvents()
    cases = [("2-8-8-1 (default example)", None)]
    cases.append(("784-256-128-10, batch 128", _mnist_like(1000)))
    for name, data in cases:
        if data is not None:
            arch = Architecture.build(784, [256, 128], 10, "relu", "softmax")
            w.controller.set_problem(data, arch, TrainingConfig("ce", Optimizer("sgd", 0.1), 128))
            app.processEvents()
        w.inspect_weight(1, 0, 0)
        app.processEvents()
        depth = w.controller.network.depth
        per_kind: dict[str, list[float]] = {}
        for _ in range(repeats):
            for _ in range(2 * depth + 2):
                t0 = time.perf_counter()
                w.action_step_phase.trigger()
                app.processEvents()
                dt = time.perf_counter() - t0
                kind = w.controller.phase_stepper.current.kind
                per_kind.setdefault(kind, []).append(dt)
        print(f"phase step (F11 + redraw + repaint), {name}:")
        for kind, ts in per_kind.items():
            print(
                f"  {kind:<9} median {statistics.median(ts) * 1000:7.1f} ms  max {max(ts) * 1000:7.1f} ms"
            )
        steps = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            w.action_step.trigger()
            app.processEvents()
            steps.append(time.perf_counter() - t0)
        print(f"  for comparison, Step (F10): median {statistics.median(steps) * 1000:7.1f} ms")
        ms = []
        for k in range(repeats):
            t0 = time.perf_counter()
            w.inspect_weight(1, (k % 7) + 1, 1)
            while w.chain_rule_view.derivation is None:  # a large one: on the worker
                app.processEvents()
            app.processEvents()
            ms.append(time.perf_counter() - t0)
        d = w.chain_rule_view.derivation
        print(
            f"inspect_weight (layer 1, {d.path_count:,} paths, {len(d.paths)} listed): "
            f"median {statistics.median(ms) * 1000:.1f} ms"
        )
    w.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
    bench_explain(args.repeats)
    bench_window(app, args.repeats)


if __name__ == "__main__":
    main()
