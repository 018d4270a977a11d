"""Test-wide setup: offscreen Qt, row-major pyqtgraph images, settings and data folders
isolated in a temporary directory (nothing a test does touches the user's files), and an
English system language (the texts tests compare are English; tests of the Japanese
window choose it themselves)."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_isolated = tempfile.mkdtemp(prefix="backprop-lab-tests-")
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[var] = os.path.join(_isolated, var.lower())
# the system language is English whatever the developer's LANG (gui.app.start follows it)
for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(var, None)
os.environ["LANG"] = "C.UTF-8"
