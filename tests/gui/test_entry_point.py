"""The real entry point in a subprocess: ``backprop-lab`` (no arguments) and
``python -m backprop_lab.gui`` open the window offscreen, press Play, close ~2 s later
(BACKPROP_LAB_AUTOTEST=play-and-close, see gui/app.py) and exit with code 0 and nothing
from Qt on stderr."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

IGNORED_STDERR = ("This plugin does not support propagateSizeHints()",)


def entry_point_command(how: str = "script") -> list[str]:
    """The ``backprop-lab`` console script next to this Python (``how="script"``, when it
    is installed there), else ``python -m backprop_lab.gui``."""
    script = Path(sys.executable).with_name("backprop-lab")
    if how == "script" and script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "backprop_lab.gui"]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["script", "module"])
def test_entry_point_plays_and_closes_cleanly(tmp_path, how):
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", BACKPROP_LAB_AUTOTEST="play-and-close")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(tmp_path / var.lower())
    result = subprocess.run(
        entry_point_command(how),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    stderr = [ln for ln in result.stderr.splitlines() if ln.strip()]
    unexpected = [ln for ln in stderr if not any(ig in ln for ig in IGNORED_STDERR)]
    assert result.returncode == 0, result.stderr
    assert unexpected == [], "\n".join(unexpected)
    lines = result.stdout.splitlines()
    assert "autotest: window shown" in lines
    assert "autotest: views ready" in lines
    closing = [
        m for ln in lines if (m := re.fullmatch(r"autotest: closing at iteration (\d+)", ln))
    ]
    assert len(closing) == 1, result.stdout
    assert int(closing[0].group(1)) > 0  # Play really trained
