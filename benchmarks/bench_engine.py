"""Engine speed: steps/s on four networks, float32/float64, SGD/Adam, against a minimal
hand-written NumPy loop and the machine's own matmul peak, all measured in this run.

    python benchmarks/bench_engine.py [--quick] [--repeats 5]

(a) 2-8-8-1 tanh, mse, batch 32      (b) 2-16-16-16-16-2 relu + ce, batch 64
(c) 784-256-128-10 relu + ce, batch 128   (d) 1024-1024-1024-10 relu + ce, batch 256
Reported: median steps/s over the repeats (each repeat runs the engine and the minimal
loop back to back, so both see the same machine load), the median of the per-repeat
ratios, GFLOP/s, and float32 SGD against the figures filed with the issue - the engine's
share and, as a yardstick of how fast the machine runs now, the minimal loop's.

    python benchmarks/bench_engine.py --pairs 60 [--cases c]

float32 SGD only, as 60 short engine/loop pairs (0.5 s each): this machine switches between
a fast and a slow state every few seconds to minutes (the same loop runs (c) at 380 or at
600 steps/s), so the script also reports the third of the pairs in which the loop ran
fastest - the state that matches the issue's figures - next to the median of all.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backprop_lab.engine import Architecture, Optimizer, Trainer, TrainingConfig, init_network
from backprop_lab.engine.trainer import GATHER_BYTES
from minimal_loop import make_minimal_step

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
    ap.add_argument("--pairs", type=int, default=0, help="float32 SGD as N short pairs")
    args = ap.parse_args()
    if args.pairs:
        pairs(args.cases, args.pairs)
        return
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
                    summary.append((case, e, m))
    print("\nfloat32 SGD against the issue's figures (bar 80%):")
    for case, e, m in summary:
        print("  " + verdict(case, e, m))


def share(case: str, steps_per_s: float) -> float:
    """steps/s as a share of the issue's figure for ``case`` ((d) compares GFLOP/s)."""
    sizes, *_rest, batch = CASES[case]
    got = steps_per_s * flops_per_step(sizes, batch) / 1e9 if case == "d" else steps_per_s
    return got / ISSUE_FIGURES[case]


def verdict(case: str, engine: float, loop: float) -> str:
    unit = "GFLOP/s" if case == "d" else "steps/s"
    e, m = share(case, engine), share(case, loop)
    ok = "ok" if e >= BAR else "SHORT"
    return (
        f"({case}) engine {100 * e:4.0f}% of {ISSUE_FIGURES[case]:,} {unit}  {ok:5}"
        f"  (the minimal loop, same run: {100 * m:4.0f}%)"
    )


def pairs(cases: str, n: int, seconds: float = 0.5) -> None:
    """n interleaved engine/loop pairs per case, float32 SGD; all pairs and the fastest
    third by the loop's speed."""
    for case in cases:
        got = []  # (engine, loop) steps/s; who goes first alternates
        for i in range(n):
            if i % 2:
                e = time_engine(case, "float32", "sgd", seconds)
                m = time_minimal(case, "float32", "sgd", seconds)
            else:
                m = time_minimal(case, "float32", "sgd", seconds)
                e = time_engine(case, "float32", "sgd", seconds)
            got.append((e, m))
        fast = sorted(got, key=lambda p: -p[1])[: max(1, n // 3)]
        print(f"({case}) float32 SGD, {n} pairs of {seconds} s:")
        for label, sel in (("all pairs", got), ("loop's fastest third", fast)):
            e = statistics.median(p[0] for p in sel)
            m = statistics.median(p[1] for p in sel)
            r = statistics.median(p[0] / p[1] for p in sel)
            print(f"  {label:21} engine {e:9,.0f}  loop {m:9,.0f}  ratio {r:4.2f}")
            print("    " + verdict(case, e, m))


if __name__ == "__main__":
    main()
