"""gui.app.start: the window as ``backprop-lab`` starts it is ready for a Play pressed at
once - its views already painted, the training process already running - so the first
seconds of Play carry no start-up work (timings: benchmarks/bench_gui_responsiveness.py
--cold)."""

from __future__ import annotations

import gc
import os

import pyqtgraph as pg
import pytest
from backprop_lab.gui import app as gui_app
from backprop_lab.gui.training.process import NICENESS


@pytest.fixture
def started(qapp, monkeypatch):
    """gui.app.start()'s window, with the plot widgets it painted while starting."""
    painted: set[int] = set()
    paint = pg.GraphicsView.paintEvent

    def recording_paint(self, event):
        painted.add(id(self))
        return paint(self, event)

    monkeypatch.setattr(pg.GraphicsView, "paintEvent", recording_paint)
    frozen = gc.get_freeze_count()
    app, window = gui_app.start(["backprop-lab"])
    window.frozen_by_start = gc.get_freeze_count() - frozen
    window.quiet_messages = True
    during_start = set(painted)
    painted.clear()
    app.processEvents()  # what start() left to paint
    window.painted_after_start = set(painted)
    yield window, during_start
    gui_app.stop_catching(window)  # as run() does after the event loop
    window.controller.shutdown()
    window.close()
    window.deleteLater()
    del window
    # start() froze the window with everything else: let this test's objects be
    # collected again, then freeze what is left, as tests/gui/conftest.py does
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def plot_widgets(view) -> list[pg.GraphicsView]:
    """The pyqtgraph widgets that draw ``view``."""
    own = [view] if isinstance(view, pg.GraphicsView) else []
    return own + view.findChildren(pg.GraphicsView)


def test_start_paints_every_view_before_returning(started):
    window, painted = started
    assert window.views_installed
    for view in window.views:
        widgets = plot_widgets(view)
        assert widgets, view.objectName()
        if not view.visibleRegion().isEmpty():  # on screen (not a background tab)
            assert any(id(w) in painted for w in widgets), view.objectName()
    assert any(not v.visibleRegion().isEmpty() for v in window.views)


def test_start_leaves_no_view_to_paint(started):
    window, _ = started
    assert window.painted_after_start == set()


def test_start_has_the_training_process_running_before_play(started):
    window, _ = started
    pid = window.controller.worker_pid
    assert pid is not None
    window.action_play.trigger()
    assert window.controller.worker_pid == pid  # Play used it, started none
    window.controller.pause()


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no nice values here")
def test_the_training_process_yields_the_cpu_to_the_window(started):
    window, _ = started
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    child = os.getpriority(os.PRIO_PROCESS, window.controller.worker_pid)
    assert child == min(mine + NICENESS, 19)
    assert NICENESS > 0


def test_start_hides_what_it_made_from_the_garbage_collector(started):
    window, _ = started
    # the window and its views: thousands of objects a full collection no longer scans
    assert window.frozen_by_start > 1000
    assert gc.is_tracked(window.lab)
    assert not any(obj is window.lab for obj in gc.get_objects())  # frozen: not scanned
