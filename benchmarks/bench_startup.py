"""Launch time of the desktop app, against the GUI issue's bar (window shown within 1.5 s).

Starts the real entry point (``python -m backprop_lab.gui``) in a fresh process with fresh settings
folders and ``BACKPROP_LAB_AUTOTEST=play-and-close`` (see gui/app.py), and times, from
just before the process is started, the ``autotest: window shown`` line (the window is
laid out and painted) and the ``autotest: views ready`` line (the plots are created and
the default example is drawn). The app then presses Play and closes itself; its exit code
must be 0.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BAR_S = 1.5


def start_app(mode: str, folder: str | None = None) -> subprocess.Popen:
    """``python -m backprop_lab.gui`` from this checkout, offscreen, with ``BACKPROP_LAB_AUTOTEST=mode``
    (gui/app.py) and its settings and data folders under ``folder`` (fresh when None; pass
    the same folder to a second launch that must find the first one's autosave). Its
    stdout (the ``autotest:`` lines) is a text pipe."""
    folder = folder or tempfile.mkdtemp(prefix="bplab-bench-")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["BACKPROP_LAB_AUTOTEST"] = mode
    env["XDG_CONFIG_HOME"] = os.path.join(folder, "config")
    env["XDG_DATA_HOME"] = os.path.join(folder, "data")
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen(
        [sys.executable, "-m", "backprop_lab.gui"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def launch() -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = start_app("play-and-close")
    shown = ready = float("nan")
    for line in proc.stdout:
        if line.startswith("autotest: window shown"):
            shown = time.perf_counter() - t0
        elif line.startswith("autotest: views ready"):
            ready = time.perf_counter() - t0
    code = proc.wait(timeout=60)
    if code != 0:
        raise SystemExit(f"the app exited with code {code}")
    return shown, ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    launch()  # warm the file cache: a user's second launch, not the first after a boot
    runs = [launch() for _ in range(args.runs)]
    shown = [s for s, _ in runs]
    ready = [r for _, r in runs]
    med = statistics.median(shown)
    print(
        f"load average {os.getloadavg()[0]:.2f}; {args.runs} launches of python -m backprop_lab.gui"
    )
    print(f"window shown: median {med:.2f} s (min {min(shown):.2f}, max {max(shown):.2f}) "
          f"- bar {BAR_S} s: {'ok' if med <= BAR_S else 'MISSED'}")  # fmt: skip
    print(f"views ready:  median {statistics.median(ready):.2f} s "
          f"(min {min(ready):.2f}, max {max(ready):.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
