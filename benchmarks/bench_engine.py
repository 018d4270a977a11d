"""Engine speed: steps/s on four networks, float32/float64, SGD/Adam, against a minimal
hand-written NumPy loop and the machine's own matmul peak, all measured in this run.

    python benchmarks/bench_engine.py [--quick] [--repeats 5]

(a) 2-8-8-1 tanh, mse, batch 32      (b) 2-16-16-16-16-2 relu + ce, batch 64
(c) 784-256-128-10 relu + ce, batch 128   (d) 1024-1024-1024-10 relu + ce, batch 256
Reported: median steps/s over the repeats (each repeat runs the engine and the minimal
loop back to back, so both see the same machine load), the median of the per-repeat
ratios, GFLOP/s, and float32 SGD against the figures filed with the issue.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from minimal_loop import make_minimal_step

from engine import Architecture, Optimizer, Trainer, TrainingConfig, init_network
from engine.trainer import GATHER_BYTES

CASES = {
    "a": ((2, 8, 8, 1), "tanh", "identity", "mse", 32),
    "b": ((2, 16, 16, 16, 16, 2), "relu", "softmax", "ce", 64),
    "c": ((784, 256, 128, 10), "relu", "softmax", "ce", 128),
    "d": ((1024, 1024, 1024, 10), "relu", "softmax", "ce", 256),
}


# The issue's figures for a carefully written NumPy step on this machine (float32, SGD):
# steps/s for (a)-(c), GFLOP/s for (d). The engine must stay within 80% of them.
ISSUE_FIGURES = {"a": 14_000, "b": 4_800, "c": 620, "d": 109.0}
BAR = 0.8


def flops_per_step(sizes, batch) -> float:
    """Multiply-adds x2 of forward (x @ W.T), dW (delta.T @ a) and delta (delta @ W)."""
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    fwd = sum(i * o for i, o in pairs)
    back = fwd + sum(i * o for i, o in pairs[1:])
    return 2.0 * batch * (fwd + back)


def matmul_peak(dtype, n=1024, repeats=7) -> float:
    a = np.random.default_rng(0).standard_normal((n, n)).astype(dtype)
    b = a.T.copy()
    a @ b
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    return 2 * n**3 / statistics.median(times) / 1e9


def data_for(sizes, batch, dtype, loss):
    rng = np.random.default_rng(0)
    n = batch * 50
    x = rng.standard_normal((n, sizes[0])).astype(dtype)
    k = sizes[-1]
    t = (
        np.eye(k, dtype=dtype)[rng.integers(0, k, n)]
        if loss == "ce"
        else rng.standard_normal((n, k)).astype(dtype)
    )
    return x, t


def time_engine(case, dtype, opt, seconds) -> float:
    sizes, hidden, out, loss, batch = CASES[case]
    arch = Architecture.build(sizes[0], sizes[1:-1], sizes[-1], hidden, out)
    x, t = data_for(sizes, batch, dtype, loss)
    lr = 0.01 if opt == "sgd" else 0.001
    tr = Trainer(
        init_network(arch, "he", 0, dtype), x, t, TrainingConfig(loss, Optimizer(opt, lr), batch)
    )
    tr.run(3)
    n, t0 = 0, time.perf_counter()
    chunk = 1
    while time.perf_counter() - t0 < seconds:
        tr.run(chunk)
        n += chunk
        chunk = min(chunk * 2, 256)
    return n / (time.perf_counter() - t0)


def time_minimal(case, dtype, opt, seconds) -> float:
    sizes, hidden, out, loss, batch = CASES[case]
    x, t = data_for(sizes, batch, dtype, loss)
    lr = 0.01 if opt == "sgd" else 0.001
    step, _ = make_minimal_step(sizes, hidden, out, loss, opt, lr, np.dtype(dtype))
    nb = len(x) // batch
    rng = np.random.default_rng(0)
    gather = x.nbytes + t.nbytes > GATHER_BYTES  # batches as the trainer makes them
    step(x[:batch], t[:batch])
    n, t0 = 0, time.perf_counter()
    with np.errstate(all="ignore"):
        while time.perf_counter() - t0 < seconds:
            for _ in range(64):
                j = (n % nb) * batch
                if j == 0:  # a new epoch: a new order (and a shuffled copy of small data)
                    order = rng.permutation(len(x))
                    if not gather:
                        xs, ts = x.take(order, axis=0), t.take(order, axis=0)
                if gather:
                    idx = order[j : j + batch]
                    step(x.take(idx, axis=0), t.take(idx, axis=0))
                else:
                    step(xs[j : j + batch], ts[j : j + batch])
                n += 1
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="shorter runs, (d) in float32 only")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cases", default="abcd")
    args = ap.parse_args()
    seconds = 0.4 if args.quick else 1.0
    peaks = {d: matmul_peak(d) for d in ("float32", "float64")}
    print(
        f"matmul peak (1024^3, median): float32 {peaks['float32']:.1f} GFLOP/s, float64 {peaks['float64']:.1f} GFLOP/s"
    )
    print(
        f"{'case':4} {'dtype':7} {'opt':4} {'engine steps/s':>15} {'minimal':>10} {'ratio':>6} {'GFLOP/s':>8} {'% peak':>7}"
    )
    summary = []
    for case in args.cases:
        sizes, *_rest, batch = CASES[case]
        for dtype in ("float32", "float64"):
            if case == "d" and dtype == "float64" and args.quick:
                continue
            for opt in ("sgd", "adam"):
                eng, mini = [], []
                for _ in range(args.repeats):
                    eng.append(time_engine(case, dtype, opt, seconds))
                    mini.append(time_minimal(case, dtype, opt, seconds))
                e, m = statistics.median(eng), statistics.median(mini)
                ratio = statistics.median(a / b for a, b in zip(eng, mini, strict=True))
                gf = e * flops_per_step(sizes, batch) / 1e9
                print(
                    f"{case:4} {dtype:7} {opt:4} {e:15,.0f} {m:10,.0f} {ratio:6.2f} {gf:8.1f} {100 * gf / peaks[dtype]:6.0f}%",
                    flush=True,
                )
                if dtype == "float32" and opt == "sgd":
                    got = gf if case == "d" else e
                    summary.append((case, got / ISSUE_FIGURES[case]))
    print("\nfloat32 SGD against the issue's figures (bar 80%):")
    for case, share in summary:
        unit = "GFLOP/s" if case == "d" else "steps/s"
        verdict = "ok" if share >= BAR else "SHORT"
        print(f"  ({case}) {100 * share:4.0f}% of {ISSUE_FIGURES[case]:,} {unit}  {verdict}")


if __name__ == "__main__":
    main()
