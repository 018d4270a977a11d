"""Before/after: the engine's speed in two checkouts, measured interleaved.

    python benchmarks/bench_ab.py BEFORE_DIR AFTER_DIR [--rounds 8] [--cases ac]

Each directory is a checkout with its own ``.venv`` (``pip install -e .`` there). Every
round runs, for each case, a fresh process of each checkout's Python - before and after
in alternating order - that times ``Trainer.run`` (float32 SGD, the cases of
bench_engine.py) for ``--seconds``. Interleaving makes both see the same machine state
(it switches between fast and slow states every few seconds to minutes); the report
gives each side's median steps/s and the median of the per-round after/before ratios.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Run inside the checkout's interpreter: bench_engine.time_engine of THAT checkout.
PROBE = """
import sys
sys.path.insert(0, {bench!r})
from bench_engine import time_engine
print(time_engine({case!r}, "float32", "sgd", {seconds!r}))
"""


def measure(checkout: Path, case: str, seconds: float) -> float:
    """Steps/s of ``case`` in a fresh process of ``checkout``'s virtual environment."""
    python = checkout / ".venv" / "bin" / "python"
    code = PROBE.format(bench=str(checkout / "benchmarks"), case=case, seconds=seconds)
    out = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--cases", default="ac")
    ap.add_argument("--seconds", type=float, default=1.5)
    args = ap.parse_args()
    for case in args.cases:
        before, after, ratios = [], [], []
        for r in range(args.rounds):
            order = (args.before, args.after) if r % 2 == 0 else (args.after, args.before)
            got = {side: measure(side, case, args.seconds) for side in order}
            before.append(got[args.before])
            after.append(got[args.after])
            ratios.append(got[args.after] / got[args.before])
        print(
            f"({case}) float32 SGD, {args.rounds} rounds: before {statistics.median(before):,.0f}"
            f" steps/s, after {statistics.median(after):,.0f} steps/s, median after/before"
            f" {statistics.median(ratios):.3f} (range {min(ratios):.3f}-{max(ratios):.3f})"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
