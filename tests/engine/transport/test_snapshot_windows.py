"""The input windows a snapshot's decision boundary and fitted curve are evaluated on."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.transport.snapshot import CurveSpec, GridSpec


def test_one_row_gets_a_window_of_a_unit_not_of_2e_9() -> None:
    """The 2-2-2 worked example has one row (0.05, 0.10): the window was 2e-9 wide."""
    spec = GridSpec.around(np.array([[0.05, 0.10]]))
    assert (spec.x_min, spec.x_max) == pytest.approx((-0.45, 0.55))
    assert (spec.y_min, spec.y_max) == pytest.approx((-0.40, 0.60))
    big = GridSpec.around(np.array([[300.0, -8.0], [300.0, 2.0]]))  # one constant column
    assert (big.x_min, big.x_max) == pytest.approx((150.0, 450.0))  # half its magnitude
    assert (big.y_min, big.y_max) == pytest.approx((-9.5, 3.5))  # 15 % of the span
    curve = CurveSpec.around(np.array([2.0]))
    assert (curve.x_min, curve.x_max) == pytest.approx((1.0, 3.0))
    assert CurveSpec.around(np.array([0.0, 10.0])).x_max == pytest.approx(10.5)
