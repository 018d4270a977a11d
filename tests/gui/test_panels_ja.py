"""The Training, Network builder and Data panels and the undo labels in Japanese: nothing
left in English (identifiers aside), English back exactly when switched back, switched at
run time without rebuilding the widgets; the catalogue "panels" complete."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from backprop_lab.engine.data import make_dataset
from backprop_lab.gui import i18n
from backprop_lab.gui.model.lab import LabModel
from backprop_lab.gui.model.labels import EditLabel, Phrase, fill
from backprop_lab.gui.model.records import DataChoice, TrainingSettings
from backprop_lab.gui.model.undo import UndoRecorder
from backprop_lab.gui.panels.data_panel import DataPanel
from backprop_lab.gui.panels.layer_editor import LayerEditor
from backprop_lab.gui.panels.training_panel import TrainingPanel
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QSpinBox,
    QTableWidget,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "panels_ja.ts"
QM = ROOT / "resources" / "i18n" / "panels_ja.qm"

# identifiers that stay as they are in Japanese (glossary: technical identifiers)
ALLOWED = {
    "tanh", "sigmoid", "relu", "leaky_relu", "identity", "softmax", "mse", "bce", "sgd",
    "momentum", "adam", "xavier", "xor", "csv", "sign", "esc",  # the Escape key
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")


def english_words(text: str) -> list[str]:
    """The ASCII words of 3+ letters in ``text`` that are not identifiers."""
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED]


@pytest.fixture
def japanese(qapp):
    """Japanese for the test, English again afterwards."""
    assert "panels" in i18n.apply_language("ja")
    yield
    i18n.apply_language("en")
    QApplication.processEvents()


def switch(code: str) -> None:
    """Switch the language and let the posted LanguageChange events arrive."""
    i18n.apply_language(code)
    QApplication.processEvents()


def texts(widget: QWidget) -> dict[str, str]:
    """Every user-visible text of ``widget`` and its children, by a stable key."""
    out: dict[str, str] = {}
    for i, w in enumerate([widget, *widget.findChildren(QWidget)]):
        key = f"{type(w).__name__}{i}:{w.objectName()}"
        if w.toolTip():
            out[key + ":tip"] = w.toolTip()
        if isinstance(w, (QLabel, QAbstractButton)) and w.text():
            out[key + ":text"] = w.text()
        if isinstance(w, QGroupBox):
            out[key + ":title"] = w.title()
        if isinstance(w, QSpinBox) and w.specialValueText():
            out[key + ":special"] = w.specialValueText()
        if isinstance(w, QComboBox):
            for j in range(w.count()):
                out[f"{key}:item{j}"] = w.itemText(j)
        if isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                out[f"{key}:col{c}"] = w.horizontalHeaderItem(c).text()
            for r in range(w.rowCount()):
                out[f"{key}:row{r}"] = w.verticalHeaderItem(r).text()
    return out


@pytest.fixture
def panels(qtbot):
    editor, data, training = LayerEditor(), DataPanel(), TrainingPanel()
    for w in (editor, data, training):
        qtbot.addWidget(w)
    return editor, data, training


def test_panels_show_no_english_in_japanese(panels, japanese):
    QApplication.processEvents()
    for panel in panels:
        for key, text in texts(panel).items():
            assert not english_words(text), (key, text)


def test_switching_at_run_time_re_renders_the_same_widgets(panels, qapp):
    before = [texts(p) for p in panels]
    widgets = [set(map(id, p.findChildren(QWidget))) for p in panels]
    editor, data, training = panels
    switch("ja")
    try:
        assert [set(map(id, p.findChildren(QWidget))) for p in panels] == widgets
        japanese = [texts(p) for p in panels]
        assert all(j.keys() == b.keys() for j, b in zip(japanese, before, strict=True))
        assert data.summary_label.text().startswith("円: 訓練データ")
        assert editor._table.horizontalHeaderItem(0).text() == "幅"
        assert editor._table.verticalHeaderItem(0).text() == "第1層"
        assert training.batch_spin.specialValueText() == "全件"
        assert training.speed_combo.itemText(0) == "最高速度"
    finally:
        switch("en")
    assert [texts(p) for p in panels] == before


def test_data_keys_stay_while_the_names_are_translated(panels, japanese):
    editor, data, training = panels
    data.source_combo.setCurrentIndex(data.source_combo.findData("circles"))
    assert data.source_combo.currentText() == "円"
    assert data.choice.source == "circles" and data.dataset.name == "circles"
    editor._init_combo.setCurrentIndex(editor._init_combo.findData("uniform"))
    assert editor._init_combo.currentText() == "一様分布" and editor.spec().init == "uniform"
    assert training.settings().optimizer == "sgd"


def test_counts_read_right_in_english(qtbot):
    panel = DataPanel(DataChoice(source="circles", samples=200))
    qtbot.addWidget(panel)
    summary = panel.summary_label.text()
    assert summary == (
        "circles: 160 training and 40 validation samples, 2 inputs, 1 target column, 2 classes"
    )
    editor = LayerEditor()
    qtbot.addWidget(editor)
    assert editor._summary.text().endswith(": 105 parameters")


def test_width_edit_undo_label_in_japanese(qtbot, japanese):
    editor = LayerEditor()
    qtbot.addWidget(editor)
    editor.set_layer(0, width=16)
    assert editor.last_edit == "layer 1 width 8 -> 16"  # the English text, as before
    assert editor.last_edit.text() == "第1層の幅 8 → 16"
    editor.set_layer(0, width=4, activation="relu")
    assert editor.last_edit.text() == "第1層の幅 16 → 4、活性化関数 tanh → relu"


def _recorder() -> tuple[LabModel, UndoRecorder]:
    choice = DataChoice()
    data = make_dataset(choice.source, choice.samples, choice.noise, choice.seed)
    editor = LayerEditor(data)
    lab = LabModel(choice, data, editor.spec(), TrainingSettings())
    return lab, UndoRecorder(lab)


def test_undo_labels_follow_a_language_change(qapp):
    lab, recorder = _recorder()
    stack = recorder.stack
    editor = LayerEditor(lab.dataset)
    editor.set_layer(0, width=16)
    lab.set_spec(editor.spec(), edit=editor.last_edit)
    lab.set_settings(replace(lab.settings, learning_rate=0.1))
    assert stack.undoText() == "learning rate 0.5 -> 0.1"
    seen: list[str] = []
    stack.undoTextChanged.connect(seen.append)
    try:
        switch("ja")
        recorder.retranslate()
        assert stack.undoText() == "学習率 η 0.5 → 0.1"
        assert seen[-1] == "学習率 η 0.5 → 0.1"  # the Undo action's listeners are told
        stack.undo()
        assert stack.undoText() == "第1層の幅 8 → 16"
        switch("en")
        recorder.retranslate()
        assert stack.undoText() == "layer 1 width 8 -> 16"
        assert stack.redoText() == "learning rate 0.5 -> 0.1"
    finally:
        switch("en")


def test_every_undo_label_is_japanese(qapp, japanese):
    from backprop_lab.gui.model.undo import data_label, replacement_label, settings_label

    a, b = TrainingSettings(), TrainingSettings(0.1, "adam", 16, l2=0.01, l1=0.001)
    labels = [
        settings_label(a, b),
        settings_label(a, a),
        data_label(DataChoice(), DataChoice(source="circles"), "circles"),
        data_label(DataChoice(), DataChoice(noise=0.2, samples=300, val_split=0.3, seed=4), "x"),
        replacement_label("reset"),
    ]
    editor = LayerEditor()
    for edit in (
        lambda: editor.add_layer(),
        lambda: editor.remove_layer(0),
        lambda: editor.move_layer(0, 1),
        lambda: editor.set_output("identity", "mse"),
        lambda: editor.set_bias(False),
        lambda: editor.set_init("normal"),
        lambda: editor.set_seed(7),
    ):
        edit()
        labels.append(editor.last_edit)
    for label in labels:
        assert isinstance(label, EditLabel)
        assert not english_words(label.text()), (str(label), label.text())
    assert replacement_label("import net.json").text() == "「net.json」の読み込み"


def test_fill_replaces_each_marker_once():
    assert fill("%1 -> %2", "%2", 5) == "%2 -> 5"
    assert Phrase("seed %1 -> %2", 1, 2).english() == "seed 1 -> 2"


def test_catalogue_is_complete_and_compiled():
    root = ET.parse(TS).getroot()
    messages = root.findall("context/message")
    assert len(messages) > 100
    for m in messages:
        tr = m.find("translation")
        assert tr.get("type") not in ("unfinished", "obsolete", "vanished"), m.findtext("source")
        text = "".join(tr.itertext()).strip()
        assert text, m.findtext("source")
    assert QM.stat().st_mtime >= TS.stat().st_mtime - 1


def test_the_builders_refusals_in_japanese(japanese):
    from backprop_lab.gui.panels.layer_edits import spec_problem

    editor = LayerEditor()
    bad_init = replace(editor.spec(), init="bogus")
    bad_seed = replace(editor.spec(), seed=-1)
    assert spec_problem(bad_init, editor.dataset) == "不明な初期化 'bogus'"
    assert spec_problem(bad_seed, editor.dataset).startswith("シードは 0 から ")
    i18n.apply_language("en")
    assert spec_problem(bad_init, editor.dataset) == "unknown initialisation 'bogus'"
