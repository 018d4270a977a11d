"""Session files, autosave and crash recovery, timed (issue 5). Not a test: it reports
medians on this machine.

* save and open in the window (``MainWindow.save_session`` / ``open_session``: pause,
  encode or read and check on a worker thread, put back) for the default example and for
  a large session (784-256-128-10 with adam and 10,000 embedded CSV rows of 784
  features, ~70 MB);
* broken and hostile files refused by ``open_session`` (worst case over the kinds);
* one background autosave write of the large session;
* crash recovery through the real entry point: ``play-until-killed`` until the first
  autosave, SIGKILL, then ``recover-and-close`` - the time from launch to the
  ``restored`` line.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_sessions.py [--repeats N]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import signal
import statistics
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = tempfile.mkdtemp(prefix="bench-sessions-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")

import numpy as np  # noqa: E402
from bench_startup import start_app  # noqa: E402 (this folder: the script's sys.path[0])
from PySide6.QtWidgets import QApplication  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _ms(t: float) -> str:
    return f"{t * 1000:8.1f} ms"


def _median(fn, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


def _window():
    from backprop_lab.gui import questions
    from backprop_lab.gui.window.main_window import MainWindow

    w = MainWindow()
    w.quiet_messages = True
    questions.show = questions.answer_with("discard", yes=True)  # nothing waits
    return w


def large_session_file(folder: Path) -> Path:
    """A ~70 MB session file made with the engine (what the window would save)."""
    from backprop_lab.engine.data.dataset import Dataset
    from backprop_lab.engine.formats.session import (
        data_for_session,
        save_session,
        session_from_trainer,
    )
    from backprop_lab.engine.network import Architecture, LayerSpec, init_network
    from backprop_lab.engine.optimizers import Optimizer
    from backprop_lab.engine.trainer import Trainer, TrainingConfig

    rng = np.random.default_rng(0)
    n, d, k = 10_000, 784, 10
    x = rng.random((n, d))
    labels = rng.integers(0, k, n)
    t = np.eye(k)[labels]
    ds = Dataset(
        name="digits.csv", x=x[:9000], t=t[:9000], x_val=x[9000:], t_val=t[9000:],
        labels=labels[:9000], labels_val=labels[9000:], task="classification", n_classes=k,
        feature_names=tuple(f"p{i}" for i in range(d)),
        target_names=tuple(f"digit {i}" for i in range(k)),
    )  # fmt: skip
    arch = Architecture(
        d, (LayerSpec(256, "relu"), LayerSpec(128, "relu"), LayerSpec(k, "softmax"))
    )
    config = TrainingConfig("ce", Optimizer("adam", 1e-3), 128)
    trainer = Trainer(init_network(arch, "he", 0), ds.x, ds.targets("ce"), config,
                      ds.x_val, ds.targets("ce", "val"))  # fmt: skip
    trainer.run(20)
    recipe = {"kind": "csv", "path": "digits.csv", "targets": 1, "val_split": 0.1,
              "seed": 0, "standardize": False}  # fmt: skip
    data, arrays = data_for_session(ds, recipe)
    session = session_from_trainer(trainer, data, arrays, init="he", init_seed=0)
    path = folder / "large.bplab"
    save_session(path, session)
    return path


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def hostile_files(folder: Path, good: bytes) -> dict[str, Path]:
    def zipped(members: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        return buf.getvalue()

    kinds = {
        "garbage (10 MB)": os.urandom(10 * 1024 * 1024),
        "truncated large session": good[: len(good) // 2],
        "zip bomb (50 MB of spaces)": zipped({"session.json": b" " * 50_000_000}),
        "flipped byte near the start": good[:5000] + bytes([good[5000] ^ 0xFF]) + good[5001:],
        "flipped byte deep in the data": _flip(good, int(len(good) * 0.9)),
        "bad JSON": zipped({"session.json": b"{not json"}),
    }
    paths = {}
    for i, (name, data) in enumerate(kinds.items()):
        p = folder / f"hostile{i}.bplab"
        p.write_bytes(data)
        paths[name] = p
    return paths


def bench_window(repeats: int, folder: Path) -> None:
    from backprop_lab.gui.app import configure_pyqtgraph

    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    w = _window()
    for _ in range(200):
        w.controller.step()
    small = folder / "small.bplab"
    med, worst = _median(lambda: w.save_session(small), repeats)
    print(f"save, default example ({small.stat().st_size // 1024} KB):  median {_ms(med)}"
          f"   max {_ms(worst)}")  # fmt: skip
    other = _window()
    med, worst = _median(lambda: other.open_session(small), repeats)
    print(f"open, default example:                 median {_ms(med)}   max {_ms(worst)}")

    large = large_session_file(folder)
    size_mb = large.stat().st_size / 1e6
    med, worst = _median(lambda: other.open_session(large), max(3, repeats // 3))
    print(f"open, large session ({size_mb:.0f} MB):          median {_ms(med)}   max {_ms(worst)}")
    med, worst = _median(lambda: other.save_session(folder / "large2.bplab"), max(3, repeats // 3))
    print(f"save, large session:                   median {_ms(med)}   max {_ms(worst)}")

    from backprop_lab.gui.files.autosave import Autosaver
    from backprop_lab.gui.model.session_file import session_of

    session = session_of(other.lab)
    saver = Autosaver(folder / "autosave-bench")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        saver.write(replace(session))
        while saver.busy:
            app.processEvents()
            time.sleep(0.001)
        times.append(time.perf_counter() - t)
    saver.close()
    print(f"autosave write, large (background):    median {_ms(statistics.median(times))}")

    good = large.read_bytes()
    worst_name, worst_t = "", 0.0
    for name, path in hostile_files(folder, good).items():
        t = time.perf_counter()
        ok = other.open_session(path)
        dt = time.perf_counter() - t
        assert not ok, name
        print(f"  refused {name:32s} {_ms(dt)}   ({other.last_message[1][:70]})")
        if dt > worst_t:
            worst_name, worst_t = name, dt
    print(f"hostile files refused: worst {_ms(worst_t)} ({worst_name})")
    w.close()
    other.close()


def bench_recovery(folder: Path) -> None:
    home = str(folder / "recovery")  # both launches share the settings and data folders
    t0 = time.perf_counter()
    proc = start_app("play-until-killed", home)
    first = None
    for line in proc.stdout:
        if line.startswith("autotest: autosaved iteration"):
            first = time.perf_counter() - t0
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    proc.stdout.close()
    t0 = time.perf_counter()
    proc = start_app("recover-and-close", home)
    restored = None
    for line in proc.stdout:
        if re.match(r"autotest: restored iteration \d+", line):
            restored = time.perf_counter() - t0
            print(f"recovery: {line.strip()[:60]}...")
    proc.wait(60)
    total = time.perf_counter() - t0
    proc.stdout.close()
    print(f"first autosave after launch + Play:    {_ms(first)}")
    print(f"launch -> recovery restored:           {_ms(restored)}   (whole run {_ms(total)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-sessions-files-"))
    bench_window(args.repeats, folder)
    bench_recovery(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
