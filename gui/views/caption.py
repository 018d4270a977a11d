"""A caption above a drawing: a word-wrapped label that takes the height of its lines up
to a limit and scrolls beyond it, so that a long caption in a narrow dock wraps above
the drawing without squeezing it (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

MAX_LINES = 4


class CaptionArea(QScrollArea):
    """Holds ``label`` (word wrap on): as tall as its wrapped text at the width it is
    given, at most ``max_lines`` lines of its font; longer text scrolls vertically."""

    def __init__(self, label: QLabel, max_lines: int = MAX_LINES, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = label
        self.max_lines = int(max_lines)
        label.setWordWrap(True)
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.viewport().setAutoFillBackground(False)
        label.setAutoFillBackground(False)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # the label's text changed
            self.updateGeometry()
        return super().viewportEvent(event)

    def _max_height(self) -> int:
        return self.max_lines * self.label.fontMetrics().lineSpacing() + 2

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """The wrapped text's height at ``width``, at most :attr:`max_lines` lines; 0
        when there is no text."""
        if not self.label.text():
            return 0
        return min(self.label.heightForWidth(max(1, width)), self._max_height())

    def sizeHint(self) -> QSize:
        width = max(1, self.width())
        return QSize(self.label.sizeHint().width(), self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)


__all__ = ["MAX_LINES", "CaptionArea"]
