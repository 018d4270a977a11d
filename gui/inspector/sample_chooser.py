"""What phase stepping runs on (objectName ``sampleChooser``): the current mini-batch or
one chosen training sample (the article's x^(i)). The sample spin box also picks whose
values the views show in a mini-batch (and whose activations snapshots carry)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QRadioButton, QSpinBox, QWidget


class SampleChooser(QWidget):
    """Mini-batch or one sample, and the sample's index (see the module docstring)."""

    changed = Signal()  # the mode or the index changed (not emitted by the setters)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sampleChooser")
        self._updating = False
        self.batch_button = QRadioButton(objectName="stepOnBatch")
        self.sample_button = QRadioButton(objectName="stepOnSample")
        self._group = QButtonGroup(self)
        self._group.addButton(self.batch_button)
        self._group.addButton(self.sample_button)
        self.batch_button.setChecked(True)
        self.spin = QSpinBox(objectName="sampleSpin")
        self.spin.setRange(0, 0)
        self.spin.setKeyboardTracking(False)
        self.step_on_label = QLabel()
        self.sample_label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.step_on_label)
        layout.addWidget(self.batch_button)
        layout.addWidget(self.sample_button)
        layout.addWidget(self.sample_label)
        layout.addWidget(self.spin)
        self.retranslate()
        self._group.buttonToggled.connect(self._on_toggled)
        self.spin.valueChanged.connect(self._on_value)

    def retranslate(self) -> None:
        """Every text in the current language."""
        self.batch_button.setText(self.tr("mini-batch"))
        self.batch_button.setToolTip(self.tr("Step on the next mini-batch, as Play does"))
        self.sample_button.setText(self.tr("one sample"))
        self.sample_button.setToolTip(self.tr("Step on the chosen training sample alone: x^(i)"))
        self.spin.setToolTip(
            self.tr(
                "Training sample i: stepped alone in 'one sample' mode; in a mini-batch its "
                "values are shown. Clicking a training point in the decision view picks it too."
            )
        )
        self.step_on_label.setText(self.tr("Step on:"))
        self.sample_label.setText(self.tr("sample"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def use_batch(self) -> bool:
        """True: step on the mini-batch; False: on the chosen sample alone."""
        return self.batch_button.isChecked()

    @property
    def sample_index(self) -> int:
        return self.spin.value()

    @property
    def step_sample(self) -> int | None:
        """What to pass to the controller: the sample, or None for a mini-batch."""
        return None if self.use_batch else self.sample_index

    def set_sample_count(self, n: int) -> None:
        """The training set has ``n`` samples (silent; the index is clamped)."""
        self._updating = True
        try:
            self.spin.setRange(0, max(int(n) - 1, 0))
        finally:
            self._updating = False

    def set_sample_index(self, i: int) -> None:
        """Choose sample ``i`` (emits ``changed`` if it differs)."""
        self.spin.setValue(int(i))

    def set_use_batch(self, batch: bool) -> None:
        """Step on the mini-batch (True) or the chosen sample (False); emits ``changed``."""
        (self.batch_button if batch else self.sample_button).setChecked(True)

    @Slot(object, bool)
    def _on_toggled(self, button, checked: bool) -> None:
        if checked and not self._updating:
            self.changed.emit()

    @Slot(int)
    def _on_value(self, value: int) -> None:
        if not self._updating:
            self.changed.emit()
