"""Helpers shared by the issue-5 tests (sessions, undo, settings and theme, recovery)."""

from __future__ import annotations

import re

import numpy as np
from backprop_lab.engine.trainer import TrainerState
from backprop_lab.gui import MainWindow
from backprop_lab.gui import questions as questions_hook

WAIT_MS = 30_000


def make_window(qtbot, monkeypatch=None, *, questions: list | None = None) -> MainWindow:
    """A window whose messages are recorded (not shown); from now on (until the test
    ends: tests/gui/conftest.py restores the hook) yes/no questions answer yes and Save /
    Discard / Cancel answers Discard, each question's text recorded in ``questions`` if
    given."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.quiet_messages = True
    answer_questions(yes=True, asked=questions)
    return w


def answer_questions(unsaved: str = "discard", *, yes: bool = False, asked=None) -> None:
    """Answer every question from now on (until the test ends) with ``unsaved`` /
    ``yes``, recording their texts in ``asked`` if given."""
    questions_hook.show = questions_hook.answer_with(unsaved, yes=yes, asked=asked)


def unsaved_doings(asked: list[str]) -> list[str]:
    """What each recorded Save / Discard / Cancel question was asked before ("closing",
    "opening another session", ...), read from its text."""
    found = [re.fullmatch(r"Save the changes to .+ before (.+)\?", text) for text in asked]
    assert all(found), asked
    return [m.group(1) for m in found]


def play_until(qtbot, w: MainWindow, condition) -> None:
    """Play until ``condition()`` holds, then pause (exact state in the trainer)."""
    w.action_play.trigger()
    qtbot.waitUntil(lambda: w.controller.is_running or condition(), timeout=WAIT_MS)
    qtbot.waitUntil(condition, timeout=WAIT_MS)
    if w.controller.is_running:
        w.action_play.trigger()
    qtbot.waitUntil(lambda: not w.controller.is_running, timeout=WAIT_MS)


def steps(w: MainWindow, n: int) -> list[float]:
    """``n`` Step iterations through the controller; their losses."""
    return [w.controller.step().loss.value for _ in range(n)]


def assert_states_equal(a: TrainerState, b: TrainerState) -> None:
    """Bit-identical trainer states: weights, optimiser buffers, counters, batch order,
    random generator."""
    assert a.network.architecture == b.network.architecture
    assert a.network.flat.dtype == b.network.flat.dtype
    assert a.network.flat.tobytes() == b.network.flat.tobytes()
    assert a.optimizer_state.t == b.optimizer_state.t
    assert set(a.optimizer_state.buffers) == set(b.optimizer_state.buffers)
    for k, v in a.optimizer_state.buffers.items():
        assert v.tobytes() == b.optimizer_state.buffers[k].tobytes(), k
    assert (a.step, a.epoch, a.cursor) == (b.step, b.epoch, b.cursor)
    # the order matters while the epoch is under way (a finished epoch's order is
    # dropped by Trainer.set_state: the next batch begins a new epoch either way)
    order_a = a.order if a.order is not None and a.cursor < len(a.order) else None
    order_b = b.order if b.order is not None and b.cursor < len(b.order) else None
    if order_a is None:
        assert order_b is None
    else:
        np.testing.assert_array_equal(order_a, order_b)
    assert a.rng_state == b.rng_state


def assert_histories_equal(a: dict, b: dict) -> None:
    """Same named arrays, bit for bit (NaN where NaN)."""
    assert set(a) == set(b)
    for k in a:
        assert a[k].dtype == b[k].dtype, k
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def history(w: MainWindow) -> dict:
    return {**w.loss_plot.history_state(), **w.grad_norm_plot.history_state()}


def curve(w: MainWindow) -> tuple[np.ndarray, np.ndarray]:
    """The loss plot's first data item's data (the training loss by iteration) - all of
    it, not what getData() gives: the part drawn, clipped and downsampled."""
    x, y = w.loss_plot.getPlotItem().listDataItems()[0].getOriginalDataset()
    return np.asarray(x if x is not None else []), np.asarray(y if y is not None else [])
