"""Time and peak memory of reading large and hostile data and weight files.

Each case runs in a fresh Python process (so the peak of one cannot hide another's) and
reports the wall time of the operation and the process's peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, which includes the interpreter and NumPy,
about 30-40 MB). The files are built once in a temporary folder. Cases and their bars
(issue 13):

* ``csv-line``   a 60 MB CSV file of ``0,`` without a line end is refused:
                 well under 5 s, below 500 MB;
* ``csv-train``  ``backprop-lab train --data FILE --steps 3`` on a 60 MB CSV file of
                 10,000,000 rows of two columns (one input, a 0/1 class): loading, 3 steps
                 and the final evaluation of every row in under 15 s, below 1.2 GB;
* ``csv-wide``   a 4 MB CSV file of two rows of 1,000,000 columns is refused (the window's
                 case): no bar, it should be instant;
* ``json-refused`` a 100 MB ``.json`` weight file whose declared network is 2-2-1 but
                 whose first weight row holds 20,000,001 short numbers ("0.37,") is
                 refused: under 3 s,
                 below 500 MB;
* ``json-valid`` a valid 82 MB ``.json`` weight file (784-2048-1024-10, 3.7M weights)
                 loads: no bar, for comparison with the refused case.

``--big`` adds the issue's original sizes: ``csv-line-190`` (a 190 MB line, refused) and
``csv-load-190`` (a valid 190 MB file of 47.5M rows "d,c" loaded with ``load_csv``).

Run:  python benchmarks/bench_csv_limits.py [--repeats 3] [--cases csv-line,json-refused]
      [--big] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = 1024 * 1024

BARS = {  # case: (seconds, peak MB) or None
    "csv-line": (5.0, 500),
    "csv-train": (15.0, 1200),
    "csv-wide": None,
    "json-refused": (3.0, 500),
    "json-valid": None,
    "csv-line-190": None,
    "csv-load-190": None,
}


# ---------------------------------------------------------------- the files


def _write_csv_line(path: str, size: int) -> None:
    with open(path, "wb") as f:
        f.write(b"0," * (size // 2))


def _write_csv_rows(path: str, rows: int, fmt: str = "0.{d},{c}\n") -> None:
    """``rows`` rows of ``fmt`` (by default "0.d,c", six bytes) for random digits d,
    c = 1 when d >= 5."""
    import numpy as np

    pairs = np.array([fmt.format(d=d, c=int(d >= 5)).encode() for d in range(10)])
    digits = np.random.default_rng(0).integers(0, 10, rows)
    with open(path, "wb") as f:
        for start in range(0, rows, 1_000_000):
            f.write(b"".join(pairs[digits[start : start + 1_000_000]].tolist()))


def _write_csv_wide(path: str) -> None:
    row = b"0," * 999_999 + b"1\n"
    with open(path, "wb") as f:
        f.write(row + row)


def _write_json_refused(path: str) -> None:
    import numpy as np

    cells = np.array([f"0.{d:02d},".encode() for d in range(100)])
    picks = np.random.default_rng(0).integers(0, 100, 20_000_000)
    row = "[" + b"".join(cells[picks].tolist()).decode() + "0.5]"
    head = (
        '{"format": "backprop-lab.model", "version": 1, "input_size": 2, "bias": true,\n'
        ' "layers": [{"units": 2, "activation": "tanh", "weight": [\n'
    )
    tail = (
        ', [0.1, 0.2]], "bias": [0.0, 0.0]},\n'
        ' {"units": 1, "activation": "sigmoid", "weight": [[0.1, 0.2]], "bias": [0.0]}]}\n'
    )
    with open(path, "w") as f:
        f.write(head + row + tail)


def _write_json_valid(path: str) -> None:
    from backprop_lab.engine import Architecture, init_network
    from backprop_lab.engine.formats import save_model

    arch = Architecture.build(784, [2048, 1024], 10, "relu", "softmax")
    save_model(init_network(arch, "he", 0, "float64"), path)


FILES = {
    "csv-line": ("line.csv", lambda p: _write_csv_line(p, 60 * 10**6)),
    "csv-train": ("rows.csv", lambda p: _write_csv_rows(p, 10_000_000)),
    "csv-wide": ("wide.csv", _write_csv_wide),
    "json-refused": ("refused.json", _write_json_refused),
    "json-valid": ("valid.json", _write_json_valid),
    "csv-line-190": ("line190.csv", lambda p: _write_csv_line(p, 190 * 10**6)),
    "csv-load-190": ("rows190.csv", lambda p: _write_csv_rows(p, 47_500_000, "{d},{c}\n")),
}


# ---------------------------------------------------------------- one case, in a child


def _child(case: str, path: str) -> dict:
    """Run ``case`` on ``path`` in this (fresh) process; its time, peak and outcome."""
    from backprop_lab.engine.data import CSVError, load_csv
    from backprop_lab.engine.formats import ModelFileError, load_model

    start = time.perf_counter()
    outcome = "ok"
    if case == "csv-train":
        import contextlib
        import io

        from backprop_lab.engine.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["train", "--data", path, "--steps", "3"])
        outcome = f"exit {code}: " + " | ".join(
            line for line in out.getvalue().splitlines() if "loss" in line or "rows" in line
        )
        if code:
            outcome += " " + err.getvalue().strip()
    elif case.startswith("csv"):
        try:
            data = load_csv(path)
            outcome = f"loaded {len(data.x) + len(data.x_val):,} rows"
        except CSVError as e:
            outcome = f"refused: {e}"
    else:
        try:
            net = load_model(path)
            outcome = f"loaded {net.architecture.describe()}"
        except ModelFileError as e:
            outcome = f"refused: {e}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return {"seconds": seconds, "peak_mb": peak, "outcome": outcome[:160]}


def _run_child(case: str, path: str) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", case, path],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": done.stderr[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--cases", default="csv-line,csv-train,csv-wide,json-refused,json-valid")
    p.add_argument("--big", action="store_true", help="add the 190 MB cases")
    p.add_argument("--keep", help="build (or reuse) the files in this folder")
    p.add_argument("--child", nargs=2, metavar=("CASE", "FILE"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    cases = [c for c in args.cases.split(",") if c]
    if args.big:
        cases += ["csv-line-190", "csv-load-190"]
    folder = args.keep or tempfile.mkdtemp(prefix="bench-csv-")
    os.makedirs(folder, exist_ok=True)
    print(f"{'case':<14}{'median s':>9}{'median MB':>10}  bar         runs (s / MB)   outcome")
    for case in cases:
        name, write = FILES[case]
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            write(path)
        runs = [_run_child(case, path) for _ in range(args.repeats)]
        secs = statistics.median(r["seconds"] for r in runs)
        peak = statistics.median(r["peak_mb"] for r in runs)
        bar = BARS[case]
        bar_text = "-" if bar is None else f"<{bar[0]:g}s <{bar[1]}MB"
        each = ", ".join(f"{r['seconds']:.2f}/{r['peak_mb']:.0f}" for r in runs)
        size = os.path.getsize(path) / 10**6
        print(f"{case:<14}{secs:>9.2f}{peak:>10.0f}  {bar_text:<12}{each}")
        print(f"{'':<14}{size:.0f} MB file; {runs[-1]['outcome']}")
    if not args.keep:
        for name, _ in FILES.values():
            path = os.path.join(folder, name)
            if os.path.exists(path):
                os.remove(path)
        os.rmdir(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
