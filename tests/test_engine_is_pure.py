"""The engine never imports Qt, pyqtgraph or the gui package (it must run headless)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = """
import sys
import backprop_lab.engine, backprop_lab.engine.data, backprop_lab.engine.formats
import backprop_lab.engine.cli, backprop_lab.engine.cli.explain, backprop_lab.engine.cli.train
import backprop_lab.engine.transport.history, backprop_lab.engine.transport.snapshot
import backprop_lab.engine.transport.stream, backprop_lab.engine.transport.worker_process
bad = sorted(
    m for m in sys.modules
    if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "gui")
    or m.startswith("backprop_lab.gui")
)
print(",".join(bad))
"""


def test_engine_imports_no_qt_and_no_gui():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"engine imported: {proc.stdout.strip()}"
