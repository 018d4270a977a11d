"""The phase indicator (objectName ``phaseIndicator``): one line saying where the
iteration stands and what the next press does, e.g. "Backward: layer 2 of 3 done - next:
backward layer 1"; "Ready - next: forward layer 1" between iterations. Its tooltip says
which data the iteration runs on. On a language change it says the same in the new
language at once."""

from __future__ import annotations

from backprop_lab.engine.stepper import PhaseStepper
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ..model.live_text import reworded
from ..model.phase_frame import phase_text

RUNNING_TEXT = "Training runs - F11 pauses, then: forward layer 1"


def running_text() -> str:
    """:data:`RUNNING_TEXT` in the current language."""
    return QCoreApplication.translate(
        "PhaseIndicator", "Training runs - F11 pauses, then: forward layer 1"
    )


class PhaseIndicator(QLabel):
    """Where the stepped iteration stands (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(phase_text(None), parent)
        self.setObjectName("phaseIndicator")
        self._shown: tuple[PhaseStepper | None, str, bool] = (None, "", False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        # bold by its font, not a style sheet: a style sheet fixes the label's palette when
        # it is polished, and the text stayed black on the dark theme's grey
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.setContentsMargins(6, 0, 6, 0)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 28))

    def show_phase(
        self, stepper: PhaseStepper | None, detail: str = "", running: bool = False
    ) -> None:
        """Show ``stepper``'s position (None: between iterations); ``detail`` (which
        data) goes to the tooltip; ``running``: training plays."""
        self._shown = (stepper, detail, running)
        self.retranslate()

    def retranslate(self) -> None:
        """Say what is shown in the current language."""
        stepper, detail, running = self._shown
        self.setText(running_text() if running else phase_text(stepper))
        self.setToolTip(reworded(detail))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
