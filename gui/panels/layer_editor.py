"""The network builder: hidden layers edited one by one, the output layer and its loss,
bias, initialisation and seed. Input and output widths follow from the data.

Every edit - by the user or through the programmatic API (``add_layer``, ``insert_layer``,
``remove_layer``, ``move_layer``, ``set_layer``, ``set_output``, ``set_bias``,
``set_init``, ``set_seed``) - emits :attr:`LayerEditor.architectureChanged` with the new
:class:`NetworkSpec` and leaves a readable description in :attr:`LayerEditor.last_edit`
(e.g. "layer 2 width 8 -> 16", for undo labels). :meth:`set_spec` and
:meth:`set_dataset` change the editor without emitting (the window uses them to revert an
edit the user declined, to show an imported network and to follow new data).

Only valid networks can be entered: widths are spin boxes (1..``engine.network.MAX_UNITS``),
activations and initialisations are lists, and the loss list offers only pairs that make
sense for the output activation and the data. Those rules are the engine's, shared with
the command line: ``engine.losses.losses_for`` / ``output_activations_for`` /
``default_output`` and ``engine.network.fit_problem``; the builder's own limits and edit
rules are in :mod:`.layer_edits`, the hidden-layer rows in :mod:`.layer_table`.

(Over 400 lines: the programmatic edits, the widgets and their texts in both languages -
``retranslate`` - are one panel; the rules live in :mod:`.layer_edits`.)
"""

from __future__ import annotations

from backprop_lab.engine import defaults
from backprop_lab.engine.data import Dataset, make_dataset
from backprop_lab.engine.losses import default_output, losses_for, output_activations_for
from backprop_lab.engine.network import INITS, Architecture, LayerSpec
from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..model import labels
from ..model.labels import EditLabel, fill, init_name
from ..model.records import NetworkSpec
from ..training.background import SYNC_LIMIT_S, format_seconds, network_step_seconds
from .counts import counted
from .layer_edits import (
    MAX_HIDDEN,
    MAX_SEED,
    change_description,
    check_index,
    default_loss,
    hidden_layer,
    limits_text,
    new_layer_at,
    output_for_data,
    output_loss,
    possible_hidden,
    spec_problem,
    with_inserted,
    with_moved,
)
from .layer_table import LayerTable, layer_button_texts, layer_buttons


class LayerEditor(QWidget):
    """The network builder panel (objectName ``layerEditor``)."""

    architectureChanged = Signal(object)

    def __init__(self, dataset: Dataset | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerEditor")
        self._dataset = dataset if dataset is not None else make_dataset(defaults.DATA)
        self._hidden = [LayerSpec(w, defaults.HIDDEN_ACTIVATION) for w in defaults.HIDDEN_LAYERS]
        self._output, self._loss = default_output(self._dataset)
        self._bias = defaults.BIAS
        self._init = defaults.INIT
        self._seed = defaults.INIT_SEED
        self._updating = False  # True while widgets are being filled from the model
        self.last_edit: EditLabel | str = ""  # an EditLabel once edited
        self._build()
        self.retranslate()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self._input_label = QLabel(objectName="inputLabel")
        self._table = LayerTable(self)
        self._table.itemSelectionChanged.connect(self._update_buttons)
        self._table.widthEdited.connect(self._on_width_edited)
        self._table.activationEdited.connect(self._on_activation_edited)

        self._add, self._insert, self._remove, self._up, self._down = layer_buttons()
        self._add.clicked.connect(self._on_add)
        self._insert.clicked.connect(self._on_insert)
        self._remove.clicked.connect(self._on_remove)
        self._up.clicked.connect(self._on_up)
        self._down.clicked.connect(self._on_down)
        buttons = QHBoxLayout()
        for b in (self._add, self._insert, self._remove, self._up, self._down):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self._output_label = QLabel(objectName="outputLabel")
        self._output_combo = QComboBox(objectName="outputActivationCombo")
        self._loss_combo = QComboBox(objectName="lossCombo")
        self._output_combo.currentTextChanged.connect(self._on_output_changed)
        self._loss_combo.currentTextChanged.connect(self._on_loss_changed)
        self._out_box = out_box = QGroupBox()
        self._out_form = out_form = QFormLayout(out_box)
        out_form.addRow(QLabel(), self._output_label)
        out_form.addRow(QLabel(), self._output_combo)
        out_form.addRow(QLabel(), self._loss_combo)

        self._bias_check = QCheckBox(objectName="biasCheck")
        self._bias_check.toggled.connect(self._on_bias)
        self._init_combo = QComboBox(objectName="initCombo")
        for init in INITS:
            self._init_combo.addItem(init, init)  # the shown name follows the language
        self._init_combo.currentIndexChanged.connect(self._on_init)
        self._seed_spin = QSpinBox(objectName="seedSpin")
        self._seed_spin.setRange(0, MAX_SEED)
        self._seed_spin.setKeyboardTracking(False)
        self._seed_spin.valueChanged.connect(self._on_seed)
        self._init_form = init_form = QFormLayout()
        init_form.addRow(QLabel(), self._init_combo)
        init_form.addRow(QLabel(), self._seed_spin)
        init_form.addRow(self._bias_check)

        self._summary = QLabel(objectName="architectureSummary")
        self._summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self._input_label)
        self._hidden_title = QLabel()
        layout.addWidget(self._hidden_title)
        layout.addWidget(self._table, 1)
        layout.addLayout(buttons)
        layout.addWidget(out_box)
        layout.addLayout(init_form)
        layout.addWidget(self._summary)

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        """Set every text in the window's language (at construction and on a language
        change); the widgets and their values stay."""
        self._hidden_title.setText(self.tr("Hidden layers:"))
        self._summary.setToolTip(limits_text())
        self._out_box.setTitle(self.tr("Output layer"))
        for form, field, text in (
            (self._out_form, self._output_label, self.tr("Units:")),
            (self._out_form, self._output_combo, self.tr("Activation:")),
            (self._out_form, self._loss_combo, self.tr("Loss:")),
            (self._init_form, self._init_combo, self.tr("Initialisation:")),
            (self._init_form, self._seed_spin, self.tr("Seed:")),
        ):
            form.labelForField(field).setText(text)
        self._bias_check.setText(self.tr("Biases"))
        self._bias_check.setToolTip(
            self.tr("Without biases every layer computes z = W a (the article)")
        )
        self._seed_spin.setToolTip(self.tr("Same seed, same initial weights"))
        for i in range(self._init_combo.count()):
            self._init_combo.setItemText(i, init_name(self._init_combo.itemData(i)).text())
        self._table.retranslate()
        for button, (text, tip) in zip(
            (self._add, self._insert, self._remove, self._up, self._down),
            layer_button_texts(),
            strict=True,
        ):
            button.setText(text)
            button.setToolTip(tip)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ model -> widgets
    def _refresh(self) -> None:
        """Fill every widget from the model (never emits)."""
        self._updating = True
        try:
            ds = self._dataset
            features = ", ".join(ds.feature_names[:4]) + (", ..." if ds.input_size > 4 else "")
            self._input_label.setText(
                fill(self.tr("Input: %1 (%2) - from the data"), ds.input_size, features)
            )
            self._table.show_layers(self._hidden)
            _fill_combo(self._output_combo, output_activations_for(ds), self._output)
            _fill_combo(self._loss_combo, losses_for(ds, self._output), self._loss)
            units = ds.output_size(self._loss)
            self._output_label.setText(fill(self.tr("%1 - from the data"), units))
            self._bias_check.setChecked(self._bias)
            self._init_combo.setCurrentIndex(self._init_combo.findData(self._init))
            self._seed_spin.setValue(self._seed)
            arch = self.architecture()
            summary = self._summary_text(arch)
            seconds = network_step_seconds(arch, ds)
            if seconds > SYNC_LIMIT_S:
                summary += "\n" + self.tr("This network is large: each step takes ~{0}.").format(
                    format_seconds(seconds)
                )
            self._summary.setText(summary)
        finally:
            self._updating = False
        self._update_buttons()

    def _summary_text(self, arch: Architecture) -> str:
        """E.g. "2 -> 8 tanh -> 1 sigmoid, loss bce: 33 parameters"."""
        sizes = [str(arch.input_size)] + [f"{ly.units} {ly.activation}" for ly in arch.layers]
        shape = self.tr(" -> ").join(sizes) + ("" if arch.bias else self.tr(" (no bias)"))
        n = arch.parameter_count
        count = counted(self.tr("%n parameter(s)", "", n), n)
        return fill(self.tr("%1, loss %2: %3"), shape, self._loss, count)

    @Slot()
    def _update_buttons(self) -> None:
        n, row = len(self._hidden), self.current_row()
        self._add.setEnabled(n < MAX_HIDDEN)
        self._insert.setEnabled(n < MAX_HIDDEN)
        self._remove.setEnabled(n > 0)
        self._up.setEnabled(row > 0)
        self._down.setEnabled(0 <= row < n - 1)

    # ------------------------------------------------------------------ read
    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def hidden_layers(self) -> tuple[LayerSpec, ...]:
        """The hidden layers, input side first."""
        return tuple(self._hidden)

    def current_row(self) -> int:
        """The selected hidden layer's 0-based index, or -1."""
        return self._table.current_row()

    def architecture(self) -> Architecture:
        """The architecture the builder shows: data width in, hidden layers, output layer."""
        units = self._dataset.output_size(self._loss)
        layers = (*self._hidden, LayerSpec(units, self._output))
        return Architecture(self._dataset.input_size, layers, self._bias)

    def spec(self) -> NetworkSpec:
        """Architecture, loss, initialisation and seed."""
        return NetworkSpec(self.architecture(), self._loss, self._init, self._seed)

    def fits(self, spec: NetworkSpec, dataset: Dataset | None = None) -> str | None:
        """None if ``spec`` can be shown and trained on ``dataset`` (default: the current
        data), else a one-line reason."""
        return spec_problem(spec, dataset if dataset is not None else self._dataset)

    # ------------------------------------------------------------------ write, silently
    def set_spec(self, spec: NetworkSpec) -> None:
        """Show ``spec`` (it must fit the data: see :meth:`fits`); emits nothing."""
        problem = self.fits(spec)
        if problem:
            raise ValueError(problem)
        arch = spec.architecture
        self._hidden = list(arch.layers[:-1])
        self._output, self._loss = arch.output_activation, spec.loss
        self._bias, self._init, self._seed = arch.bias, spec.init, int(spec.seed)
        self._refresh()

    def set_architecture(self, architecture: Architecture, loss: str | None = None) -> None:
        """Show ``architecture`` (with ``loss``, default: the current one if it suits the
        output layer, else the conventional one), keeping initialisation and seed; emits
        nothing. ValueError if it does not fit the data."""
        if loss is None:
            loss = default_loss(self._dataset, architecture.output_activation, self._loss)
        self.set_spec(NetworkSpec(architecture, loss, self._init, self._seed))

    def set_dataset(self, dataset: Dataset) -> None:
        """Follow new data: input and output widths change. The output activation and loss
        are kept when the new data is of the same kind (same default pair, e.g. two
        classes -> two classes) and they still make sense; otherwise the new data's
        defaults are taken. Emits nothing: the caller re-initialises with :meth:`spec`."""
        pair = output_for_data(self._dataset, dataset, self._output, self._loss)
        self._dataset = dataset
        self._output, self._loss = pair
        self._refresh()

    # ------------------------------------------------------------------ edits (emit)
    def _edited(self, description: EditLabel) -> None:
        self.last_edit = description
        self._refresh()
        self.architectureChanged.emit(self.spec())

    def add_layer(self, width: int | None = None, activation: str | None = None) -> None:
        """Append a hidden layer just before the output layer; what is not given is
        copied from its neighbour (:func:`.layer_edits.new_layer_at`)."""
        self.insert_layer(len(self._hidden), width, activation)

    def insert_layer(
        self, index: int, width: int | None = None, activation: str | None = None
    ) -> None:
        """Insert a hidden layer so that it becomes hidden layer ``index`` (0-based); what
        is not given is copied from its neighbour (:func:`.layer_edits.new_layer_at`: the
        layer it is inserted after, or before at the front)."""
        like = new_layer_at(self._hidden, index)
        width = like.units if width is None else width
        activation = activation or like.activation
        self._hidden = self._possible(with_inserted(self._hidden, index, width, activation))
        self._select_after(index)
        self._edited(EditLabel.of(labels.INSERT_LAYER, index + 1, width, activation))

    def remove_layer(self, index: int) -> None:
        """Remove hidden layer ``index`` (0-based)."""
        spec = self._hidden.pop(check_index(self._hidden, index))
        self._select_after(min(index, len(self._hidden) - 1))
        self._edited(EditLabel.of(labels.REMOVE_LAYER, index + 1, spec.units, spec.activation))

    def move_layer(self, index: int, delta: int) -> None:
        """Move hidden layer ``index`` by ``delta`` places (-1 = towards the input)."""
        self._hidden, target = with_moved(self._hidden, index, delta)
        self._select_after(target)
        self._edited(EditLabel.of(labels.MOVE_LAYER, index + 1, target + 1))

    def set_layer(
        self, index: int, width: int | None = None, activation: str | None = None
    ) -> None:
        """Change hidden layer ``index``'s width and/or activation."""
        old = self._hidden[check_index(self._hidden, index)]
        new = hidden_layer(old.units if width is None else width, activation or old.activation)
        if new == old:
            return
        hidden = list(self._hidden)
        hidden[index] = new
        self._hidden = self._possible(hidden)
        self._edited(change_description(index, old, new))

    def set_output(self, activation: str, loss: str | None = None) -> None:
        """Choose the output activation and (optionally) the loss; ValueError for a pair
        that does not suit the data."""
        loss = output_loss(self._dataset, activation, loss, self._loss)
        if (activation, loss) == (self._output, self._loss):
            return
        old = (self._output, self._loss)
        self._output, self._loss = activation, loss
        self._edited(EditLabel.of(labels.OUTPUT, *old, activation, loss))

    def set_bias(self, on: bool) -> None:
        """Give every layer a bias (True) or none (z = W a)."""
        if bool(on) != self._bias:
            self._bias = bool(on)
            self._edited(EditLabel.of(labels.BIASES_ON if on else labels.BIASES_OFF))

    def set_init(self, init: str) -> None:
        """Choose the initialisation (one of ``engine.network.INITS``, else ValueError)."""
        if init not in INITS:
            raise ValueError(f"unknown initialisation {init!r}")
        if init != self._init:
            old, self._init = self._init, init
            self._edited(EditLabel.of(labels.INIT, init_name(old), init_name(init)))

    def set_seed(self, seed: int) -> None:
        """Choose the initialisation seed (0..MAX_SEED, else ValueError)."""
        if not 0 <= int(seed) <= MAX_SEED:
            raise ValueError(f"the seed must be between 0 and {MAX_SEED}")
        if int(seed) != self._seed:
            old, self._seed = self._seed, int(seed)
            self._edited(EditLabel.of(labels.SEED, old, seed))

    def _possible(self, hidden: list[LayerSpec]) -> list[LayerSpec]:
        """``hidden``, if a network with these hidden layers can exist on the current data;
        else ValueError with the engine's reason (e.g. too many parameters: wide layers
        are allowed one by one, but not all of them at once)."""
        return possible_hidden(self._dataset, hidden, self._output, self._loss, self._bias)

    def _select_after(self, row: int) -> None:
        self._table.select_after(len(self._hidden), row)

    # ------------------------------------------------------------------ widget slots
    @Slot(int, int)
    def _on_width_edited(self, row: int, value: int) -> None:
        if not self._updating:
            try:
                self.set_layer(row, width=value)
            except ValueError as e:  # too many parameters: put the old width back
                self._refresh()
                self._summary.setText(fill(self.tr("Not possible: %1"), e))

    @Slot(int, str)
    def _on_activation_edited(self, row: int, text: str) -> None:
        if not self._updating:
            self.set_layer(row, activation=text)

    @Slot(str)
    def _on_output_changed(self, text: str) -> None:
        if not self._updating and text:
            self.set_output(text)

    @Slot(str)
    def _on_loss_changed(self, text: str) -> None:
        if not self._updating and text:
            self.set_output(self._output, text)

    @Slot(bool)
    def _on_bias(self, on: bool) -> None:
        if not self._updating:
            self.set_bias(on)

    @Slot(int)
    def _on_init(self, index: int) -> None:
        if not self._updating and index >= 0:
            self.set_init(self._init_combo.itemData(index))

    @Slot(int)
    def _on_seed(self, value: int) -> None:
        if not self._updating:
            self.set_seed(value)

    @Slot()
    def _on_add(self) -> None:
        self.add_layer()

    @Slot()
    def _on_insert(self) -> None:
        row = self.current_row()
        self.insert_layer(row if row >= 0 else len(self._hidden))

    @Slot()
    def _on_remove(self) -> None:
        row = self.current_row()
        self.remove_layer(row if row >= 0 else len(self._hidden) - 1)

    @Slot()
    def _on_up(self) -> None:
        self.move_layer(self.current_row(), -1)

    @Slot()
    def _on_down(self) -> None:
        self.move_layer(self.current_row(), +1)


def _fill_combo(combo: QComboBox, items: tuple[str, ...], current: str) -> None:
    if tuple(combo.itemText(i) for i in range(combo.count())) != items:
        combo.clear()
        combo.addItems(items)
    combo.setCurrentText(current)


__all__ = ["LayerEditor", "NetworkSpec"]
