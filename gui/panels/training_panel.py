"""Training controls: Play/Pause, Step and Reset (buttons for the window's actions), the
hyper-parameters (learning rate, optimiser, batch size, L2/L1), the iteration and epoch
counters and a speed control from full speed down to one iteration per second.

The panel holds no training state of its own: it turns its widgets into an
``engine.trainer.TrainingConfig`` (:meth:`TrainingPanel.training_config`), emits
:attr:`TrainingPanel.configChanged` when one of them changes and
:attr:`TrainingPanel.speedChanged` with iterations per second (None = full speed), and shows
the counters of the snapshots it is given.
"""

from __future__ import annotations

from dataclasses import replace

from backprop_lab.engine import limits
from backprop_lab.engine.optimizers import OPTIMIZERS
from backprop_lab.engine.trainer import TrainingConfig
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..model.lab import optimizer_of
from ..model.records import TrainingSettings
from .log_spin_box import LogSpinBox

#: (label, iterations per second or None for full speed); the labels are English, the
#: combo shows them in the window's language (:func:`speed_text`)
SPEEDS: tuple[tuple[str, float | None], ...] = (
    ("Full speed", None),
    ("1000 / s", 1000.0),
    ("100 / s", 100.0),
    ("30 / s", 30.0),
    ("10 / s", 10.0),
    ("3 / s", 3.0),
    ("1 / s", 1.0),
)
FULL_SPEED = QT_TRANSLATE_NOOP("TrainingPanel", "Full speed")
PER_SECOND = QT_TRANSLATE_NOOP("TrainingPanel", "%1 / s")


def speed_text(iterations_per_second: float | None) -> str:
    """A speed entry's text in the window's language ("Full speed", "30 / s")."""
    if iterations_per_second is None:
        return QCoreApplication.translate("TrainingPanel", FULL_SPEED)
    text = QCoreApplication.translate("TrainingPanel", PER_SECOND)
    return text.replace("%1", f"{iterations_per_second:g}")


DEFAULT_SETTINGS = TrainingSettings()
#: the spin boxes' ranges are engine.limits', which every file reader and the command line
#: check too: a file never carries a value these controls cannot show


class TrainingPanel(QWidget):
    """Training controls (objectName ``trainingPanel``)."""

    configChanged = Signal()
    speedChanged = Signal(object)  # float iterations/s, or None = full speed

    def __init__(
        self, settings: TrainingSettings = DEFAULT_SETTINGS, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self._updating = False

        self.play_button = QToolButton(objectName="playButton")
        self.step_button = QToolButton(objectName="stepButton")
        self.reset_button = QToolButton(objectName="resetButton")
        buttons = QHBoxLayout()
        for b in (self.play_button, self.step_button, self.reset_button):
            b.setMinimumWidth(64)
            buttons.addWidget(b)
        buttons.addStretch(1)
        # step-by-step mode (issue 4): one phase / finish the iteration
        self.step_phase_button = QToolButton(objectName="stepPhaseButton")
        self.finish_button = QToolButton(objectName="finishIterationButton")
        phase_buttons = QHBoxLayout()
        for b in (self.step_phase_button, self.finish_button):
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            phase_buttons.addWidget(b)
        phase_buttons.addStretch(1)

        self.lr_spin = LogSpinBox(*limits.LEARNING_RATE)
        self.lr_spin.setObjectName("learningRateSpin")
        self.optimizer_combo = QComboBox(objectName="optimizerCombo")
        self.optimizer_combo.addItems(OPTIMIZERS)
        self.batch_spin = QSpinBox(objectName="batchSizeSpin")
        self.batch_spin.setRange(0, limits.BATCH_SIZE[1])  # 0: full; 1.. : engine.limits
        self.batch_spin.setKeyboardTracking(False)
        self.l2_spin = _rate_spin("l2Spin")
        self.l1_spin = _rate_spin("l1Spin")
        self.speed_combo = QComboBox(objectName="speedCombo")
        for _, value in SPEEDS:
            self.speed_combo.addItem(speed_text(value))

        self.iteration_label = QLabel("0", objectName="iterationLabel")
        self.epoch_label = QLabel("0", objectName="epochLabel")

        self._form = form = QFormLayout()
        s = self
        fields = (s.lr_spin, s.optimizer_combo, s.batch_spin, s.l2_spin, s.l1_spin,
                  s.speed_combo, s.iteration_label, s.epoch_label)  # fmt: skip
        for field in fields:
            form.addRow(QLabel(), field)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(phase_buttons)
        layout.addLayout(form)
        layout.addStretch(1)

        self.retranslate()
        self.set_settings(settings)
        self.lr_spin.valueChanged.connect(self._on_changed)
        self.optimizer_combo.currentIndexChanged.connect(self._on_changed)
        self.batch_spin.valueChanged.connect(self._on_changed)
        self.l2_spin.valueChanged.connect(self._on_changed)
        self.l1_spin.valueChanged.connect(self._on_changed)
        self.speed_combo.currentIndexChanged.connect(self._on_speed)

    def retranslate(self) -> None:
        """Set every text in the window's language (at construction and on a language
        change); values and the chosen entries stay."""
        rows = (
            (self.lr_spin, self.tr("Learning rate:")),
            (self.optimizer_combo, self.tr("Optimiser:")),
            (self.batch_spin, self.tr("Batch size:")),
            (self.l2_spin, self.tr("L2:")),
            (self.l1_spin, self.tr("L1:")),
            (self.speed_combo, self.tr("Speed:")),
            (self.iteration_label, self.tr("Iteration:")),
            (self.epoch_label, self.tr("Epoch:")),
        )
        for field, text in rows:
            self._form.labelForField(field).setText(text)
        self.lr_spin.setToolTip(
            self.tr("Learning rate eta in w <- w - eta * dL/dw (arrows: 1-2-5 steps)")
        )
        self.batch_spin.setSpecialValueText(self.tr("full"))  # shown at 0: the whole set
        self.batch_spin.setToolTip(
            self.tr("Samples per iteration; 'full' (0) = the whole training set")
        )
        self.l2_spin.setToolTip(self.tr("L2 penalty: adds l2 * w to every weight's gradient"))
        self.l1_spin.setToolTip(self.tr("L1 penalty: adds l1 * sign(w) to every gradient"))
        for i, (_, value) in enumerate(SPEEDS):
            self.speed_combo.setItemText(i, speed_text(value))
        self.speed_combo.setToolTip(self.tr("Slow training down to watch it learn"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_actions(self, play: QAction, step: QAction, reset: QAction) -> None:
        """Make the buttons trigger (and mirror) the window's actions."""
        self.play_button.setDefaultAction(play)
        self.step_button.setDefaultAction(step)
        self.reset_button.setDefaultAction(reset)

    def set_phase_actions(self, step_phase: QAction, finish: QAction) -> None:
        """Make the step-by-step buttons trigger (and mirror) the window's actions."""
        self.step_phase_button.setDefaultAction(step_phase)
        self.finish_button.setDefaultAction(finish)

    # ------------------------------------------------------------------ settings
    def settings(self) -> TrainingSettings:
        """The settings the controls show (the hyper-parameters without a control of their
        own - momentum, betas, eps - as last given to :meth:`set_settings`)."""
        batch = self.batch_spin.value()
        return replace(
            self._shown,
            learning_rate=self.lr_spin.value(),
            optimizer=self.optimizer_combo.currentText(),
            batch_size=batch or None,
            l2=self.l2_spin.value(),
            l1=self.l1_spin.value(),
        )

    def set_settings(self, s: TrainingSettings) -> None:
        """Show ``s`` without emitting configChanged."""
        self._shown = s
        self._updating = True
        try:
            self.lr_spin.setValue(s.learning_rate)
            self.optimizer_combo.setCurrentText(s.optimizer)
            self.batch_spin.setValue(s.batch_size or 0)
            self.l2_spin.setValue(s.l2)
            self.l1_spin.setValue(s.l1)
        finally:
            self._updating = False

    def training_config(self, loss: str, seed: int = 0) -> TrainingConfig:
        """The engine configuration for ``loss`` (from the builder); ``seed`` orders the
        mini-batches."""
        s = self.settings()
        return TrainingConfig(
            loss=loss,
            optimizer=optimizer_of(s),
            batch_size=s.batch_size,
            l2=s.l2,
            l1=s.l1,
            seed=seed,
        )

    def speed(self) -> float | None:
        """Iterations per second, or None for full speed."""
        return SPEEDS[self.speed_combo.currentIndex()][1]

    def set_speed(self, iterations_per_second: float | None) -> None:
        """Choose the speed entry for ``iterations_per_second`` (emits speedChanged)."""
        for i, (_, value) in enumerate(SPEEDS):
            if value == iterations_per_second:
                self.speed_combo.setCurrentIndex(i)
                return
        raise ValueError(f"no speed entry for {iterations_per_second!r}")

    # ------------------------------------------------------------------ slots
    @Slot()
    def _on_changed(self) -> None:
        if not self._updating:
            self.configChanged.emit()

    @Slot(int)
    def _on_speed(self, index: int) -> None:
        self.speedChanged.emit(SPEEDS[index][1])

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Show the snapshot's iteration and epoch counters."""
        self.iteration_label.setText(f"{snap.step:,}")
        self.epoch_label.setText(f"{snap.epoch:,}")

    def clear(self) -> None:
        self.iteration_label.setText("0")
        self.epoch_label.setText("0")


def _rate_spin(name: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(objectName=name)
    spin.setDecimals(6)
    spin.setRange(*limits.PENALTY)
    spin.setSingleStep(1e-4)
    spin.setKeyboardTracking(False)
    return spin


__all__ = ["SPEEDS", "TrainingPanel", "TrainingSettings", "speed_text"]
