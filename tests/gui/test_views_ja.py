"""The views and the chain-rule inspector in Japanese (issue 14, the "views" catalogue):
after a step and inspect_weight, and through a whole phase-stepped iteration, every text
of the network view, the plots, the heatmaps, the decision view, the phase indicator,
the sample chooser and the inspector is Japanese (no English word beyond an allow-list
of identifiers and symbols); the inspector's numbers are the same in both languages;
switching back gives today's English exactly; the catalogue is complete and compiled."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from backprop_lab.gui import MainWindow, i18n
from backprop_lab.gui.inspector.wording import counted
from backprop_lab.gui.model.phase_frame import data_text, phase_text
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "views_ja.ts"
QM = ROOT / "resources" / "i18n" / "views_ja.qm"
WAIT_MS = 30_000
PHASES = 2 * 3 + 2  # the default example 2-8-8-1: forward x3, loss, backward x3, update

#: ASCII words a Japanese text may keep: identifiers (activations, losses, optimisers,
#: the JSON model's weight[j][i] / bias[j]) and the names of math symbols
ALLOWED = {
    "tanh", "sigmoid", "relu", "ReLU", "identity", "softmax", "leaky_relu", "lrelu",
    "sigm", "smax", "mse", "bce", "sgd", "momentum", "adam", "Adam", "eta", "delta",
    "deltak", "sqrt", "m_hat", "v_hat", "sign", "EMA",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
JSON_NOTATION = re.compile(r"\b(weight|bias)(\[\d+\])+")
NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?(?:e[+-]?\d+)?")


def english_words(text: str) -> list[str]:
    """The ASCII words of 3+ letters in ``text`` that are not on the allow-list."""
    return [w for w in WORD.findall(JSON_NOTATION.sub("", text)) if w not in ALLOWED]


def switch(code: str) -> None:
    """Speak ``code`` and let every widget handle its LanguageChange."""
    i18n.apply_language(code)
    QApplication.processEvents()


@pytest.fixture
def japanese():
    """Switch to Japanese for a test when it asks (``japanese()``); English afterwards."""
    yield lambda: switch("ja")
    switch("en")


def view_texts(w: MainWindow) -> dict[str, str]:
    """Every text the views, the phase indicator and the sample chooser show now."""
    out: dict[str, str] = {}
    nv = w.network_view
    out["network legend"] = nv.legend.text()
    out["network subset"] = nv.subset_label.text()
    out["network info"] = nv.info_label.text()
    for mode, b in nv._mode_buttons.items():
        out[f"network button {mode}"] = b.text() + " | " + b.toolTip()
    out["network captions"] = " | ".join(c.toPlainText() for c in nv._captions)
    out["network labels"] = " | ".join(nv.node_labels())
    out["network node"] = nv.node_info(3, 0) + " | " + nv.node_info(0, 1)
    frame = nv.phase_frame
    if frame is not None:
        out["network edge hover"] = frame.edge_info(1, 1, 3)
    for name, plot in (("loss", w.loss_plot), ("norms", w.grad_norm_plot)):
        pi = plot.getPlotItem()
        for axis in ("bottom", "left"):
            out[f"{name} axis {axis}"] = pi.getAxis(axis).labelText
        out[f"{name} legend"] = " | ".join(label.text for _, label in plot._legend.items)
        out[f"{name} hint"] = plot.hint.text()
        out[f"{name} key"] = plot._legend.button.text() + " | " + plot._legend.button.toolTip()
    lp = w.loss_plot
    out["loss accuracy axis"] = lp._acc_axis.labelText
    out["loss accuracy names"] = " | ".join(name for _, name in lp._acc_entries)
    out["loss log"] = " | ".join(
        (lp.log_action.text(), lp.log_action.iconText(), lp.log_action.toolTip())
    )
    out["loss hover"] = lp.hover_at(1.0)
    hm = w.heatmaps
    for row in hm.rows:
        out[f"heatmap {row.layer} title"] = row.title.text
        for kind, plot in row.plots.items():
            out[f"heatmap {row.layer} {kind}"] = " | ".join(
                (plot.titleLabel.text, plot.getAxis("left").labelText,
                 plot.getAxis("bottom").labelText, row.text_at(kind, 0.2, 0.2))
            )  # fmt: skip
    out["heatmap hover"] = hm.hover_label.text()
    dv = w.decision_view
    out["decision"] = dv.show_validation.text() + " | " + dv.message.text()
    out["phase indicator"] = w.phase_indicator.text()
    sc = w.sample_chooser
    out["sample chooser"] = " | ".join(
        (sc.step_on_label.text(), sc.batch_button.text(), sc.batch_button.toolTip(),
         sc.sample_button.text(), sc.sample_button.toolTip(), sc.sample_label.text(),
         sc.spin.toolTip())
    )  # fmt: skip
    return out


def inspector_text(w: MainWindow) -> str:
    v = w.chain_rule_view
    return v.plain_text() + "\n" + v.badge.toolTip()


def untranslated(texts: dict[str, str]) -> dict[str, list[str]]:
    return {k: english_words(t) for k, t in texts.items() if english_words(t)}


def inspect(w: MainWindow, qtbot, layer: int, row: int, col: int | None) -> None:
    with qtbot.waitSignal(w.chain_rule_view.derivationShown, timeout=WAIT_MS):
        w.inspect_weight(layer, row, col)


# ---------------------------------------------------------------------- the window
@pytest.mark.parametrize(("layer", "row", "col"), [(2, 1, 3), (3, 0, 6), (1, 2, None)])
def test_views_and_inspector_speak_japanese_and_switch_back_exactly(
    window, qtbot, japanese, layer, row, col
):
    window.resize(1280, 800)
    window.show()
    window.step()
    inspect(window, qtbot, layer, row, col)
    window.loss_plot.hover_at(1.0)
    english, english_inspector = view_texts(window), inspector_text(window)
    assert "AGREE" in english_inspector  # the English it was

    japanese()  # the same screen, re-worded at once (nothing new computed)
    ja, ja_inspector = view_texts(window), inspector_text(window)
    assert untranslated(ja) == {}
    assert english_words(ja_inspector) == [], ja_inspector
    assert "一致" in ja_inspector
    assert "入力層 (2)" in ja["network captions"] and "tanh (8)" in ja["network captions"]
    assert "訓練損失(ミニバッチ)" in ja["loss legend"]
    assert sorted(NUMBER.findall(ja_inspector)) == sorted(NUMBER.findall(english_inspector))

    switch("en")
    assert view_texts(window) == english
    assert inspector_text(window) == english_inspector


def test_a_phase_stepped_iteration_in_japanese(window, qtbot, japanese):
    window.show()
    window.step()
    inspect(window, qtbot, 2, 1, 3)
    japanese()
    seen = set()
    for _ in range(PHASES):
        window.step_phase()
        qtbot.waitUntil(lambda: window.chain_rule_view.derivation is not None, timeout=WAIT_MS)
        texts = view_texts(window)
        seen.add(texts["phase indicator"])
        assert untranslated(texts) == {}, texts["phase indicator"]
        assert english_words(inspector_text(window)) == []
    assert len(seen) == PHASES  # every state said, and said differently
    assert texts["phase indicator"].startswith("更新完了")
    switch("en")
    assert window.phase_indicator.text().startswith("Update done: iteration")
    assert window.network_view.legend.text().startswith("Iteration ")


def test_the_phase_texts_and_counts_in_japanese(japanese):
    assert phase_text(None) == "Ready - next: forward layer 1"
    english = data_text(32, 4, 9, single=False)
    japanese()
    assert phase_text(None) == "準備完了 - 次: 第1層の順伝播"
    assert data_text(32, 4, 9, single=False).startswith("32 件のミニバッチで")
    assert english.again().startswith("32 件のミニバッチで")  # made again, in Japanese
    from backprop_lab.gui.inspector.chain_rule_html import ChainRuleWords

    words = ChainRuleWords()
    assert words.paths_from(8).replace("%1", "w") == "w から損失へ 8 本の経路があります。"
    assert "1,280 本の経路" in words.largest_listed(1280, 24)
    switch("en")
    assert words.paths_from(1).replace("%1", "w") == "1 path from w to the loss."
    assert counted(words.tr("%n path(s) from %1 to the loss.", "", 1280), 1280).startswith(
        "1,280 paths"
    )


# ---------------------------------------------------------------------- the catalogue
def test_the_views_catalogue_is_complete_and_compiled(tmp_path):
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert len(messages) > 100
    for m in messages:
        t = m.find("translation")
        assert t.get("type") is None, m.find("source").text  # not unfinished, not obsolete
        forms = [f.text for f in t.iter("numerusform")] if m.get("numerus") else [t.text]
        assert all(forms), m.find("source").text
    # every marked string of the catalogue's sources is in the .ts
    fresh = tmp_path / "views_ja.ts"
    fresh.write_bytes(TS.read_bytes())
    bin_dir = Path(sys.executable).parent
    gui = ROOT / "gui"
    files = [
        str(p.relative_to(gui))
        for s in i18n.CATALOGUES["views"]
        for p in (sorted((gui / s).rglob("*.py")) if (gui / s).is_dir() else [gui / s])
    ]
    subprocess.run(
        [str(bin_dir / "pyside6-lupdate"), *files, "-ts", str(fresh), "-no-obsolete",
         "-locations", "none", "-source-language", "en", "-target-language", "ja", "-silent"],
        cwd=gui, check=True, timeout=300,
    )  # fmt: skip
    assert fresh.read_text(encoding="utf-8") == TS.read_text(encoding="utf-8")
    qm = tmp_path / "views_ja.qm"
    subprocess.run(
        [str(bin_dir / "pyside6-lrelease"), "-silent", "-removeidentical", str(TS), "-qm", str(qm)],
        check=True, timeout=300,
    )  # fmt: skip
    assert qm.read_bytes() == QM.read_bytes()


# ---------------------------------------------------------------------- the engine's words
def test_the_inspector_rewrites_the_engines_english_exactly():
    """The factor meanings, the paths note and the reuse note the inspector writes from
    the derivation's fields are, in English, the engine's own words - for listed, too
    many (the largest listed) and beam-searched paths."""
    from dataclasses import replace

    import numpy as np
    from backprop_lab.engine.chainrule import explain
    from backprop_lab.engine.chainrule_paths import MAX_ENUMERATED_PATHS
    from backprop_lab.engine.network import Architecture, init_network
    from backprop_lab.gui.inspector.chain_rule_html import meaning, paths_note, reuse_note

    rng = np.random.default_rng(3)
    complete = []
    for input_size, hidden, loss, out, bias in (
        (2, (20, 20, 20), "mse", "identity", True),  # layer 1: 400 paths, the largest listed
        (3, (5,), "bce", "sigmoid", False),  # from the logits; no biases
    ):
        net = init_network(Architecture.build(input_size, hidden, 1, "tanh", out, bias), seed=1)
        x, t = rng.normal(size=(4, input_size)), rng.integers(0, 2, size=(4, 1)).astype(float)
        for layer in range(1, len(hidden) + 2):
            for col in (0, None) if bias else (0,):
                d = explain(net, x, t, loss, layer, 0, col, sample=1)
                complete.append(d.paths_complete)
                for p in d.paths:
                    for f in p.factors:
                        assert meaning(f) == f.meaning
                assert paths_note(d) == ("" if d.paths_complete else d.paths_note)
                if "reuse_note" in d.recursive:
                    assert reuse_note(d) == d.recursive["reuse_note"]
    assert False in complete and True in complete
    beam = replace(d, path_count=MAX_ENUMERATED_PATHS + 1, paths_complete=False)
    count = f"{MAX_ENUMERATED_PATHS + 1:,}"
    assert paths_note(beam) == (
        f"{count} paths: the {len(d.paths)} largest found by beam search are listed"
    )


def test_a_closed_plot_is_not_reworded(qtbot):
    """close() deletes a pyqtgraph widget's items while the widget lives on: a language
    change then must not touch them (it raised in changeEvent)."""
    from backprop_lab.engine.network import Architecture
    from backprop_lab.gui.views import GradNormPlot, LossPlot
    from backprop_lab.gui.views.heatmaps import LayerHeatmaps

    plots = [LossPlot(), GradNormPlot(), LayerHeatmaps(0, Architecture.build(2, (3,), 1))]
    for p in plots:
        qtbot.addWidget(p)
        p.close()
    switch("ja")
    switch("en")
