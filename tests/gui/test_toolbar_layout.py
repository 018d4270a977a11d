"""The step toolbar keeps still while stepping (issue 12): the phase indicator's sentence
changes length with every phase ("Ready - next: forward layer 1", "Backward: layer 3 of
3 done - next: backward layer 2", ...); the "Step on" group used to sit after it and
jumped sideways at each press."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint


@pytest.mark.parametrize("size", [(1400, 900), (1280, 800)])
def test_the_step_on_group_stays_put_through_an_iteration(window, qtbot, size):
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    chooser, indicator = window.sample_chooser, window.phase_indicator

    def where() -> tuple[int, int]:
        qtbot.wait(1)  # the toolbar's layout follows the new text
        x = chooser.mapTo(window, QPoint(0, 0)).x()
        return x, chooser.width()

    seen = {window.phase_indicator.text(): where()}
    widths = {indicator.sizeHint().width()}
    for _ in range(2 * 3 + 2):  # forward x3, loss, backward x3, update
        window.step_phase()
        seen[indicator.text()] = where()
        widths.add(indicator.sizeHint().width())
    indicator.show_phase(None, "", running=True)  # the sentence while training runs
    seen[indicator.text()] = where()
    widths.add(indicator.sizeHint().width())
    assert len(seen) >= 8 and len(widths) >= 3  # the sentence did change length
    assert len(set(seen.values())) == 1, seen
    assert chooser.isVisible() and indicator.isVisible()
