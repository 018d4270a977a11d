"""GUI test setup shared by every tests/gui module."""

from __future__ import annotations

import pyqtgraph as pg
import pytest


@pytest.fixture(scope="session", autouse=True)
def pyqtgraph_config() -> None:
    """The pyqtgraph options gui.app.run() sets at start-up: images indexed [row, column]
    (W[j, i] is drawn at row j, column i) and no antialiasing (the fast drawing path)."""
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
