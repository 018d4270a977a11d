"""The data panel: a built-in data set (noise, size, validation share, seed, Regenerate)
or a CSV file (a file dialog, or a file dropped on the window; ``targets`` = how many of
the last columns are targets).

Built-in sets are generated at once (milliseconds). A CSV file is read by
``engine.data.load_csv`` as a background task (:mod:`gui.tasks`) - a 100 MB file takes
seconds - while a busy bar runs; the result comes back to a ``@Slot`` in the GUI thread.
One file is read at a time: a newer request cancels the read in progress (its result is
dropped) and starts when it ends. A file that cannot be loaded emits
:attr:`DataPanel.loadFailed` with the engine's one-line message (file, row, column,
reason) and leaves the current data as it was.

:attr:`DataPanel.datasetChanged` carries each new ``engine.data.Dataset``. The window may
decline it (to keep training progress); :meth:`DataPanel.revert` then shows the previous
choice again without emitting.

(Over 400 lines: the panel's widgets, their texts in both languages - ``retranslate`` - and
the background read belong together; the reading itself is ``engine.data``'s.)
"""

from __future__ import annotations

import gc
import os
from dataclasses import replace

from backprop_lab.engine import limits
from backprop_lab.engine.data import BUILTIN_DATASETS, CSVError, Dataset, load_csv, make_dataset
from backprop_lab.engine.data.builtin import MAX_SAMPLES, MIN_SAMPLES
from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .. import file_dialogs
from ..messages import render
from ..model.labels import dataset_name, fill
from ..model.records import DataChoice
from ..tasks import Task, start_task
from .counts import counted

MAX_SEED = limits.MAX_SEED  # the ranges of engine.limits, which the session file checks
MAX_TARGETS = limits.MAX_TARGETS
DEFAULT_CHOICE = DataChoice()


def _read_csv(c: DataChoice) -> Dataset:
    """The CSV file of ``c`` as a Dataset (on a task's thread; raises CSVError)."""
    return load_csv(c.csv_path, c.targets, c.val_split, c.seed, standardize=c.standardize)


class DataPanel(QWidget):
    """Data choice (objectName ``dataPanel``)."""

    datasetChanged = Signal(object)
    loadFailed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, choice: DataChoice = DEFAULT_CHOICE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPanel")
        self._updating = False
        self._read: Task | None = None  # the CSV read in progress (maybe cancelled)
        self._queued: DataChoice | None = None  # the read to start when it ends
        self._pending = choice  # the CSV request whose answer is wanted
        self._last_csv: tuple[DataChoice, Dataset] | None = None  # to switch back to it

        self.source_combo = QComboBox(objectName="datasetCombo")
        for name in BUILTIN_DATASETS:  # the data key is the engine's name
            self.source_combo.addItem(dataset_name(name).text(), name)
        self.noise_spin = QDoubleSpinBox(objectName="noiseSpin")
        self.noise_spin.setRange(*limits.NOISE)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setDecimals(3)
        self.samples_spin = QSpinBox(objectName="samplesSpin")
        self.samples_spin.setRange(MIN_SAMPLES, MAX_SAMPLES)
        self.samples_spin.setSingleStep(50)
        self.val_spin = QDoubleSpinBox(objectName="valSplitSpin")
        self.val_spin.setRange(0.0, 0.9)
        self.val_spin.setSingleStep(0.05)
        self.val_spin.setDecimals(2)
        self.seed_spin = QSpinBox(objectName="dataSeedSpin")
        self.seed_spin.setRange(0, MAX_SEED)
        for spin in (self.noise_spin, self.samples_spin, self.val_spin, self.seed_spin):
            spin.setKeyboardTracking(False)
        self.regenerate_button = QPushButton(objectName="regenerateButton")
        self.import_button = QPushButton(objectName="importCsvButton")
        self.targets_spin = QSpinBox(objectName="targetsSpin")
        self.targets_spin.setRange(1, MAX_TARGETS)
        self.standardize_check = QCheckBox(objectName="standardizeCheck")
        self.busy_bar = QProgressBar(objectName="csvBusyBar")
        self.busy_bar.setRange(0, 0)  # indeterminate
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.summary_label = QLabel(objectName="dataSummary")
        self.summary_label.setWordWrap(True)

        self._form = form = QFormLayout()
        for field in (self.source_combo, self.noise_spin, self.samples_spin, self.val_spin,
                      self.seed_spin):  # fmt: skip
            form.addRow(QLabel(), field)
        csv_row = QHBoxLayout()
        csv_row.addWidget(self.import_button)
        self._targets_title = QLabel()
        csv_row.addWidget(self._targets_title)
        csv_row.addWidget(self.targets_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.regenerate_button)
        layout.addLayout(csv_row)
        layout.addWidget(self.standardize_check)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.summary_label)
        layout.addStretch(1)

        self._choice = choice
        self._dataset = self._generate(choice)
        self._previous: tuple[DataChoice, Dataset] = (choice, self._dataset)
        self._reading: str | None = None  # the CSV file being read, for the summary
        self.retranslate()

        self.source_combo.currentIndexChanged.connect(self._on_widgets)
        self.noise_spin.valueChanged.connect(self._on_widgets)
        self.samples_spin.valueChanged.connect(self._on_widgets)
        self.val_spin.valueChanged.connect(self._on_widgets)
        self.seed_spin.valueChanged.connect(self._on_widgets)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.import_button.clicked.connect(self._on_import_clicked)

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        """Set every text in the window's language (at construction and on a language
        change): labels, tooltips, the data set names, the summary; values stay."""
        rows = (
            (self.source_combo, self.tr("Data set:")),
            (self.noise_spin, self.tr("Noise:")),
            (self.samples_spin, self.tr("Samples:")),
            (self.val_spin, self.tr("Validation share:")),
            (self.seed_spin, self.tr("Seed:")),
        )
        for field, text in rows:
            self._form.labelForField(field).setText(text)
        self._targets_title.setText(self.tr("Targets:"))
        self.val_spin.setToolTip(self.tr("Share of the samples held out for validation (0 - 0.9)"))
        self.seed_spin.setToolTip(self.tr("Same seed, same samples and the same split"))
        self.regenerate_button.setToolTip(self.tr("Draw new samples (next seed)"))
        self.import_button.setText(self.tr("Import CSV..."))
        self.import_button.setToolTip(
            self.tr("Load a CSV file of numbers (or drop one on the window)")
        )
        self.targets_spin.setToolTip(self.tr("How many of the last columns are targets"))
        self.standardize_check.setText(self.tr("Standardise features"))
        self.standardize_check.setToolTip(
            self.tr(
                "Scale every input column to mean 0, standard deviation 1 (training rows'"
                " statistics)"
            )
        )
        self._show_choice(self._choice)
        if self._reading is not None:
            self._show_reading()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ state
    @property
    def dataset(self) -> Dataset:
        """The current data set."""
        return self._dataset

    @property
    def choice(self) -> DataChoice:
        return self._choice

    @property
    def busy(self) -> bool:
        """True while a CSV file is being read."""
        return not self.busy_bar.isHidden()

    def _show_choice(self, c: DataChoice) -> None:
        self._updating = True
        try:
            for i in range(self.source_combo.count()):
                key = self.source_combo.itemData(i)
                if key != "csv":
                    self.source_combo.setItemText(i, dataset_name(key).text())
            csv_index = self.source_combo.findData("csv")
            if c.source == "csv":
                label = fill(self.tr("CSV: %1"), os.path.basename(c.csv_path))
                if csv_index < 0:
                    self.source_combo.addItem(label, "csv")
                    csv_index = self.source_combo.count() - 1
                else:
                    self.source_combo.setItemText(csv_index, label)
                self.source_combo.setCurrentIndex(csv_index)
            else:
                self.source_combo.setCurrentIndex(self.source_combo.findData(c.source))
            self.noise_spin.setValue(c.noise)
            self.samples_spin.setValue(c.samples)
            self.val_spin.setValue(c.val_split)
            self.seed_spin.setValue(c.seed)
            self.targets_spin.setValue(c.targets)
            self.standardize_check.setChecked(c.standardize)
            builtin = c.source != "csv"
            self.noise_spin.setEnabled(builtin)
            self.samples_spin.setEnabled(builtin)
            self.regenerate_button.setText(self.tr("Regenerate") if builtin else self.tr("Reload"))
        finally:
            self._updating = False
        self._show_summary()

    def _show_summary(self) -> None:
        """E.g. "circles: 160 training and 40 validation samples, 2 inputs, 1 target
        column, 2 classes"."""
        d = self._dataset
        n_train, n_val, n_in, n_t = len(d.x), len(d.x_val), d.input_size, d.t.shape[1]
        if d.task == "classification":
            n = d.n_classes
            kind = self.tr("%n class(es)", "", n).replace("(es)", "" if n == 1 else "es")
        else:
            kind = self.tr("regression")
        samples = fill(
            counted(self.tr("%1 training and %n validation sample(s)", "", n_val), n_val),
            f"{n_train:,}",
        )
        inputs = counted(self.tr("%n input(s)", "", n_in), n_in)
        targets = counted(self.tr("%n target column(s)", "", n_t), n_t)
        name = dataset_name(d.name).text()
        text = fill(self.tr("%1: %2, %3, %4, %5"), name, samples, inputs, targets, kind)
        self.summary_label.setText(text)

    def _widget_choice(self) -> DataChoice:
        data = self.source_combo.currentData()
        source = data if data else self.source_combo.currentText()
        return replace(
            self._choice,
            source=source,
            noise=self.noise_spin.value(),
            samples=self.samples_spin.value(),
            val_split=round(self.val_spin.value(), 2),
            seed=self.seed_spin.value(),
            targets=self.targets_spin.value(),
            standardize=self.standardize_check.isChecked(),
        )

    @staticmethod
    def _generate(c: DataChoice) -> Dataset:
        return make_dataset(c.source, c.samples, c.noise, c.seed, c.val_split)

    # ------------------------------------------------------------------ changes
    def apply(self, choice: DataChoice) -> None:
        """Switch to ``choice``: a built-in set is generated now and datasetChanged emitted;
        a CSV file is read in the background (datasetChanged or loadFailed later)."""
        if choice.source == "csv":
            self._start_csv(choice)
            return
        self._drop_reads()  # a pending CSV answer is no longer wanted
        self._set_busy(False)
        self._accept(choice, self._generate(choice))

    def _accept(self, choice: DataChoice, data: Dataset) -> None:
        if choice.source == "csv":
            self._last_csv = (choice, data)
        self._previous = (self._choice, self._dataset)
        self._choice, self._dataset = choice, data
        self._show_choice(choice)
        self.datasetChanged.emit(data)

    def set_data(self, choice: DataChoice, dataset: Dataset) -> None:
        """Show ``choice`` with the Dataset already made from it (a reopened session, an
        undone edit) without emitting datasetChanged; a pending CSV read is dropped."""
        self._drop_reads()
        self._set_busy(False)
        if choice.source == "csv":
            self._last_csv = (choice, dataset)
        self._choice, self._dataset = choice, dataset
        self._previous = (choice, dataset)
        self._show_choice(choice)

    def revert(self) -> None:
        """Go back to the data before the last datasetChanged (emits nothing)."""
        self._choice, self._dataset = self._previous
        self._show_choice(self._choice)

    @Slot()
    def regenerate(self) -> None:
        """Built-in: new samples from the next seed. CSV: read the file again with the
        current targets, validation share and seed."""
        c = self._widget_choice()
        if c.source != "csv":
            c = replace(c, seed=(c.seed + 1) % (MAX_SEED + 1))
        self.apply(c)

    def load_csv_file(self, path: str) -> None:
        """Read the CSV file ``path`` in the background with the panel's targets,
        validation share, seed and standardisation."""
        self._start_csv(replace(self._widget_choice(), source="csv", csv_path=str(path)))

    @Slot()
    def _on_widgets(self) -> None:
        if self._updating:
            return
        c = self._widget_choice()
        if c.source == "csv" and self._choice.source != "csv":
            # the loaded CSV file was picked again from the list
            if self._last_csv is not None:
                self._drop_reads()
                self._accept(*self._last_csv)
            return
        if c.source == "csv":
            # split settings of a CSV apply on Reload (reading a big file takes a while)
            self._choice = c
            return
        self.apply(c)

    @Slot()
    def _on_import_clicked(self) -> None:
        from .. import settings as user  # the folder the last file dialog used

        file_dialogs.ask_open_file(
            self,
            self.tr("Import CSV"),
            user.last_folder(),
            self.tr("CSV files (*.csv);;All files (*)"),
            self._import_csv_from,
        )

    def _import_csv_from(self, path: str, _filter: str) -> None:
        from .. import settings as user

        user.remember_folder(path)
        self.load_csv_file(path)

    # ------------------------------------------------------------------ background load
    def _start_csv(self, choice: DataChoice) -> None:
        self._set_busy(True)
        self._reading = os.path.basename(choice.csv_path)
        self._show_reading()
        self._pending = choice
        if self._read is not None:
            self._read.cancel()  # its answer is no longer wanted; this one follows it
            self._queued = choice
        else:
            self._start_read(choice)

    def _show_reading(self) -> None:
        self.summary_label.setText(fill(self.tr("Reading %1..."), self._reading))

    def _start_read(self, choice: DataChoice) -> None:
        # collect Qt wrappers here, in the GUI thread: the cyclic GC could otherwise run
        # in the task's thread and free widgets there, which can deadlock against Qt's locks
        gc.collect()
        self._read = start_task(_read_csv, choice)
        self._read.returned.connect(self._on_loaded)
        self._read.errored.connect(self._on_failed)
        self._read.finished.connect(self._on_read_finished)

    def _drop_reads(self) -> None:
        self._queued = None
        if self._read is not None:
            self._read.cancel()

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._reading = None
        if busy != self.busy:
            self.busy_bar.setVisible(busy)
            self.import_button.setEnabled(not busy)
            self.busyChanged.emit(busy)

    @Slot(object)
    def _on_loaded(self, data: Dataset) -> None:
        self._set_busy(False)
        self._accept(self._pending, data)

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, CSVError):
            message = render(error)  # in the window's language
        else:  # e.g. MemoryError: say what happened
            name = os.path.basename(self._pending.csv_path)
            message = f"{name}: {type(error).__name__}: {error}"
        self._set_busy(False)
        self._show_summary()
        self.loadFailed.emit(message)

    @Slot()
    def _on_read_finished(self) -> None:
        self._read = None
        queued, self._queued = self._queued, None
        if queued is not None:
            self._start_read(queued)

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Forget any pending CSV answer and wait up to ``timeout_ms`` for a read in
        progress. True if no read is left running."""
        self._drop_reads()
        self._set_busy(False)
        return self._read is None or self._read.wait(timeout_ms)


__all__ = ["DataChoice", "DataPanel"]
