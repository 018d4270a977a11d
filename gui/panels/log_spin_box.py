"""A spin box for positive rates that span decades (learning rates): the arrows step
through 1, 2, 5, 10, 20, 50, ... and any positive number can be typed."""

from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

_MANTISSAS = (1.0, 2.0, 5.0)


def log_step(value: float, steps: int) -> float:
    """``value`` moved ``steps`` places along the 1-2-5 series (1e-3, 2e-3, 5e-3, 1e-2, ...).
    A value between two series points first snaps to the neighbour in the step's direction."""
    exponent = math.floor(math.log10(value))
    series = [m * 10.0**e for e in range(exponent - 1, exponent + 2) for m in _MANTISSAS]
    # the index of the largest series point <= value (with a little tolerance)
    below = max(i for i, s in enumerate(series) if s <= value * (1 + 1e-9))
    on_point = math.isclose(series[below], value, rel_tol=1e-9)
    index = below + steps if steps > 0 else below + steps + (0 if on_point else 1)
    e, m = divmod(index, 3)
    return float(f"{_MANTISSAS[m] * 10.0 ** (exponent - 1 + e):.12g}")


class LogSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox that shows numbers compactly (``0.5``, ``1e-05``), steps on a
    1-2-5 scale and accepts only values in its (positive) range."""

    def __init__(
        self, minimum: float = 1e-6, maximum: float = 1e6, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if not 0 < minimum < maximum:
            raise ValueError("LogSpinBox needs 0 < minimum < maximum")
        self.setDecimals(12)  # the displayed text comes from textFromValue
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        stripped = text.strip()
        if stripped in ("", ".", "-", "+") or stripped.lower().endswith(("e", "e-", "e+")):
            return QValidator.State.Intermediate, text, pos
        try:
            value = float(stripped)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        if not math.isfinite(value) or value < 0:
            return QValidator.State.Invalid, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        try:
            value = float(text)
        except ValueError:
            return self.textFromValue(self.value())
        return self.textFromValue(min(max(value, self.minimum()), self.maximum()))

    def stepBy(self, steps: int) -> None:
        value = log_step(self.value(), steps)
        self.setValue(min(max(value, self.minimum()), self.maximum()))
