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
from PySide6.QtCore import Qt, Signal, Slot
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

#: (label, iterations per second or None for full speed)
SPEEDS: tuple[tuple[str, float | None], ...] = (
    ("Full speed", None),
    ("1000 / s", 1000.0),
    ("100 / s", 100.0),
    ("30 / s", 30.0),
    ("10 / s", 10.0),
    ("3 / s", 3.0),
    ("1 / s", 1.0),
)

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
        self.lr_spin.setToolTip("Learning rate eta in w <- w - eta * dL/dw (arrows: 1-2-5 steps)")
        self.optimizer_combo = QComboBox(objectName="optimizerCombo")
        self.optimizer_combo.addItems(OPTIMIZERS)
        self.batch_spin = QSpinBox(objectName="batchSizeSpin")
        self.batch_spin.setRange(0, limits.BATCH_SIZE[1])  # 0: full; 1.. : engine.limits
        self.batch_spin.setSpecialValueText("full")  # shown at 0: the whole training set
        self.batch_spin.setKeyboardTracking(False)
        self.batch_spin.setToolTip("Samples per iteration; 'full' (0) = the whole training set")
        self.l2_spin = _rate_spin("l2Spin", "L2 penalty: adds l2 * w to every weight's gradient")
        self.l1_spin = _rate_spin("l1Spin", "L1 penalty: adds l1 * sign(w) to every gradient")
        self.speed_combo = QComboBox(objectName="speedCombo")
        for label, _ in SPEEDS:
            self.speed_combo.addItem(label)
        self.speed_combo.setToolTip("Slow training down to watch it learn")

        self.iteration_label = QLabel("0", objectName="iterationLabel")
        self.epoch_label = QLabel("0", objectName="epochLabel")

        form = QFormLayout()
        form.addRow("Learning rate:", self.lr_spin)
        form.addRow("Optimiser:", self.optimizer_combo)
        form.addRow("Batch size:", self.batch_spin)
        form.addRow("L2:", self.l2_spin)
        form.addRow("L1:", self.l1_spin)
        form.addRow("Speed:", self.speed_combo)
        form.addRow("Iteration:", self.iteration_label)
        form.addRow("Epoch:", self.epoch_label)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(phase_buttons)
        layout.addLayout(form)
        layout.addStretch(1)

        self.set_settings(settings)
        self.lr_spin.valueChanged.connect(self._on_changed)
        self.optimizer_combo.currentIndexChanged.connect(self._on_changed)
        self.batch_spin.valueChanged.connect(self._on_changed)
        self.l2_spin.valueChanged.connect(self._on_changed)
        self.l1_spin.valueChanged.connect(self._on_changed)
        self.speed_combo.currentIndexChanged.connect(self._on_speed)

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


def _rate_spin(name: str, tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(objectName=name)
    spin.setDecimals(6)
    spin.setRange(*limits.PENALTY)
    spin.setSingleStep(1e-4)
    spin.setKeyboardTracking(False)
    spin.setToolTip(tip)
    return spin


__all__ = ["SPEEDS", "TrainingPanel", "TrainingSettings"]
