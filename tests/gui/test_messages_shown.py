"""Where the window shows an engine error, it shows it in the window's language: the data
panel's CSV failure, a refused weight file (describe_error), a divergence."""

from __future__ import annotations

import pytest
from backprop_lab.engine.formats import load_model
from backprop_lab.engine.training_state import TrainingDiverged
from backprop_lab.gui import i18n
from backprop_lab.gui.files.errors import describe_error
from backprop_lab.gui.model.records import DataChoice
from backprop_lab.gui.panels.data_panel import DataPanel


@pytest.fixture
def japanese(qapp):
    i18n.apply_language("ja")
    yield
    i18n.apply_language("en")


def test_the_data_panel_says_why_a_csv_was_refused_in_japanese(japanese, qtbot, tmp_path):
    panel = DataPanel(DataChoice("circles", 0.1, 200, 0.2, 0))
    qtbot.addWidget(panel)
    path = tmp_path / "bad.csv"
    path.write_text("x,y,t\n1,2,0\n3,abc,1\n")
    with qtbot.waitSignal(panel.loadFailed, timeout=20_000) as blocker:
        panel.load_csv_file(str(path))
    panel.shutdown(5000)
    assert blocker.args[0] == "bad.csv の 3 行目、2 列目: 'abc' は数値ではありません"


def test_a_refused_weight_file_is_described_in_japanese(japanese, tmp_path):
    folder = tmp_path / "weights.json"
    folder.mkdir()
    with pytest.raises(ValueError) as info:
        load_model(folder)
    assert describe_error(info.value, folder) == "weights.json: 通常のファイルではありません"


def test_a_refused_weight_file_is_described_in_english_by_default(qapp, tmp_path):
    folder = tmp_path / "weights.json"
    folder.mkdir()
    with pytest.raises(ValueError) as info:
        load_model(folder)
    assert describe_error(info.value, folder) == str(info.value)


def test_the_divergence_message_box_is_in_japanese(japanese, window):
    window._on_diverged(str(TrainingDiverged(17, 2, "weight")))
    _title, text = window.last_message
    assert text.startswith("イテレーション 17 で学習が発散しました: 第2層の重みが")


def test_invalid_training_settings_are_shown_in_japanese(qtbot):
    """The window's other engine-error boxes render through gui.messages too: settings
    the engine refuses (here a learning rate past engine.limits, which no control allows
    but the model can be given) read Japanese, with the same numbers."""
    from dataclasses import replace

    from backprop_lab.gui import MainWindow, i18n

    w = MainWindow()
    qtbot.addWidget(w)
    w.quiet_messages = True
    i18n.apply_language("ja")
    try:
        w.lab.set_settings(replace(w.lab.settings, learning_rate=1e7))
        title, text = w.last_message
        assert title == "学習の設定が正しくありません", title
        assert "learning rate" not in text and "学習率" in text, text
        assert "1e+06" in text or "1000000" in text or "1,000,000" in text, text
    finally:
        i18n.apply_language("en")
