"""Desktop conventions (issue 5): remembered geometry, dock layout and last folder
(QSettings under QStandardPaths, isolated per test by tests/gui/conftest.py), Reset
Layout, standard shortcuts and the Keyboard Shortcuts list, themes (palette, pyqtgraph,
colour maps), About and --version, plot export (PNG, SVG, loss CSV), crisp rendering at
200 % (QT_SCALE_FACTOR=2). Long file operations behind a busy dialog are tested in
test_file_operations.py."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from backprop_lab.engine import __version__
from backprop_lab.gui import settings as user
from backprop_lab.gui.files.plot_export import CSV_COLUMNS
from backprop_lab.gui.views import colormaps
from backprop_lab.gui.window import theme as theme_module
from backprop_lab.gui.window.shortcuts_dialog import command_name, portable_keys
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget

from .session_util import make_window, play_until, steps


# ---------------------------------------------------------------- settings
def test_settings_live_under_the_xdg_folders(qtbot, tmp_path):
    w = make_window(qtbot)
    assert str(user.config_folder()).startswith(os.environ["XDG_CONFIG_HOME"])
    assert str(user.data_folder()).startswith(os.environ["XDG_DATA_HOME"])
    assert str(w.recovery.autosaver.folder).startswith(os.environ["XDG_DATA_HOME"])
    assert w.close()
    ini = user.config_folder() / "settings.ini"
    assert ini.is_file()  # the layout was saved on close
    assert QSettings(str(ini), QSettings.Format.IniFormat).value(user.KEY_STATE) is not None


def test_geometry_and_dock_layout_are_remembered_and_reset(qtbot):
    w = make_window(qtbot)
    w.resize(720, 540)  # fits the offscreen screen: restoreGeometry keeps it
    w.show()
    qtbot.waitExposed(w)
    heatmaps = w.findChild(QDockWidget, "dockHeatmaps")
    heatmaps.hide()
    w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, w.findChild(QDockWidget, "dockGradNorms"))
    assert w.close()

    again = make_window(qtbot)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (720, 540)
    assert again.findChild(QDockWidget, "dockHeatmaps").isHidden()
    grad = again.findChild(QDockWidget, "dockGradNorms")
    assert again.dockWidgetArea(grad) == Qt.DockWidgetArea.LeftDockWidgetArea

    again.action_reset_layout.trigger()
    assert not again.findChild(QDockWidget, "dockHeatmaps").isHidden()
    assert not grad.isHidden()
    assert again.dockWidgetArea(grad) == Qt.DockWidgetArea.RightDockWidgetArea
    assert user.saved_layout() is None  # forgotten until the next close


def test_every_dock_and_toolbar_has_an_object_name(qtbot):
    from PySide6.QtWidgets import QToolBar

    w = make_window(qtbot)
    for widget in w.findChildren(QDockWidget) + w.findChildren(QToolBar):
        assert widget.objectName(), widget.windowTitle()


def test_stale_dock_tab_bars_are_hidden(qtbot):
    from PySide6.QtWidgets import QTabBar

    w = make_window(qtbot)
    w.show()
    qtbot.waitExposed(w)
    w.appearance.reset_layout()
    qtbot.wait(50)
    groups = [
        frozenset(b.tabText(i) for i in range(b.count()))
        for b in w.findChildren(QTabBar)
        if b.parent() is w and b.isVisible()
    ]
    assert groups and len(groups) == len(set(groups))  # one bar per group of tabs


# ---------------------------------------------------------------- shortcuts and help
def test_standard_shortcuts_and_the_shortcuts_list(qtbot):
    w = make_window(qtbot)
    s = w  # every part's actions are window attributes too
    K = QKeySequence.StandardKey
    for action, key in (
        (s.action_new, K.New),
        (s.action_open, K.Open),
        (s.action_save, K.Save),
        (s.action_undo, K.Undo),
    ):
        assert set(QKeySequence.keyBindings(key)) <= set(action.shortcuts()), action.text()
    assert QKeySequence("Ctrl+Shift+S") in s.action_save_as.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in s.action_redo.shortcuts()
    assert w.action_quit.shortcuts()  # Ctrl+Q where the platform has no standard key
    assert w.action_play.shortcut() == QKeySequence(Qt.Key.Key_Space)
    all_keys = {}
    for a in w.findChildren(type(w.action_play)):
        for k in a.shortcuts():
            assert k not in all_keys, f"{k.toString()} is both {all_keys[k]} and {a.text()}"
            all_keys[k] = a.text()
    assert QKeySequence("F11") not in s.action_full_screen.shortcuts()  # F11 = Step phase

    dialog = w.help.show_shortcuts()
    rows = {(cmd, keys) for _, cmd, keys in dialog.rows()}
    native = QKeySequence.SequenceFormat.NativeText
    for action in (w.action_play, w.action_step, w.action_step_phase, w.action_finish,
                   s.action_open, s.action_save, s.action_undo, s.action_redo):  # fmt: skip
        keys = ", ".join(k.toString(native) for k in portable_keys(action))  # issue 12
        assert keys and (command_name(action), keys) in rows, action.text()
    assert ("Step", "F10") in rows
    dialog.close()


def test_about_names_the_version_and_the_cli_prints_it(qtbot):
    w = make_window(qtbot)
    box = w.help.show_about()
    assert __version__ in box.text()
    box.close()
    out = subprocess.run(
        [sys.executable, "-m", "backprop_lab.gui", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"backprop-lab {__version__}"


# ---------------------------------------------------------------- themes
def test_themes_switch_palette_plots_and_colour_maps(qtbot):
    w = make_window(qtbot)
    steps(w, 3)
    app = QApplication.instance()
    assert w.appearance.set_theme("dark") == "dark"
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert pg.mkColor(pg.getConfigOption("background")).lightness() < 20
    assert w.loss_plot.backgroundBrush().color().lightness() < 20
    assert colormaps.is_dark()
    centre = colormaps.diverging().map([0.5], mode="qcolor")[0]
    assert centre.lightness() < 80  # 0 recedes into the dark background
    bar = next(iter(w.heatmaps.findChildren(pg.GraphicsView)))
    assert bar.backgroundBrush().color().lightness() < 20
    assert user.theme_choice() == "dark"

    captions = w.network_view._captions  # "input (2)", "tanh (8)", ...
    assert captions
    assert all(c.textItem.defaultTextColor().lightness() > 150 for c in captions)

    assert w.appearance.set_theme("light") == "light"
    # a live switch recolours the captions already drawn
    assert all(c.textItem.defaultTextColor().lightness() < 120 for c in captions)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
    assert w.loss_plot.backgroundBrush().color().lightness() > 230
    train_curve = w.loss_plot.getPlotItem().listDataItems()[0]
    assert train_curve.opts["pen"].color().lightness() < 80  # visible on white
    axis = w.loss_plot.getPlotItem().getAxis("left")
    assert axis.textPen().color().lightness() < 80
    assert not colormaps.is_dark()
    assert colormaps.diverging().map([0.5], mode="qcolor")[0].lightness() > 180
    assert w.appearance.theme_actions["light"].isChecked()

    again = make_window(qtbot)  # the choice is remembered
    assert again.appearance.theme.choice == "light"
    steps(again, 1)
    captions = again.network_view._captions  # "input (2)", "tanh (8)", ...
    assert captions
    assert all(c.textItem.defaultTextColor().lightness() < 120 for c in captions)


def test_system_theme_follows_the_colour_scheme(qtbot, monkeypatch):
    w = make_window(qtbot)
    monkeypatch.setattr(theme_module, "system_scheme", lambda: "dark")
    assert w.appearance.set_theme("system") == "dark"
    monkeypatch.setattr(theme_module, "system_scheme", lambda: "light")
    w.appearance.theme._on_system_changed()  # what QStyleHints.colorSchemeChanged calls
    assert w.appearance.theme.scheme == "light"
    assert w.loss_plot.backgroundBrush().color().lightness() > 230
    hints = QGuiApplication.styleHints()
    assert hasattr(hints, "colorScheme") and hasattr(hints, "colorSchemeChanged")


# ---------------------------------------------------------------- export
def test_every_plot_exports_as_png_and_svg(qtbot, tmp_path):
    w = make_window(qtbot)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    play_until(qtbot, w, lambda: w.last_snapshot.step >= 40)
    for attr in ("network_view", "decision_view", "loss_plot", "grad_norm_plot", "heatmaps"):
        png, svg = tmp_path / f"{attr}.png", tmp_path / f"{attr}.svg"
        assert w.plot_files.export_plot(attr, png), w.last_message
        assert w.plot_files.export_plot(attr, svg), w.last_message
        image = QImage(str(png))
        assert not image.isNull() and image.width() > 50 and image.height() > 50, attr
        assert len(np.unique(_pixels(image))) > 4, attr  # not blank
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg"), attr
        assert len(list(root.iter())) > 10, attr
    assert not w.plot_files.export_plot("loss_plot", tmp_path / "x.bmp")
    assert w.last_message[0] == "Cannot export the plot"
    assert not (tmp_path / "x.bmp").exists()


def _pixels(image: QImage) -> np.ndarray:
    img = image.convertToFormat(QImage.Format.Format_Grayscale8)
    a = np.frombuffer(img.constBits(), np.uint8)
    return a.reshape(img.height(), img.bytesPerLine())[:, : img.width()]


def test_loss_history_exports_as_csv(qtbot, tmp_path):
    w = make_window(qtbot)
    losses = steps(w, 25)
    path = tmp_path / "loss.csv"
    assert w.plot_files.export_loss_csv(path)
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert tuple(rows[0]) == CSV_COLUMNS
    table = {int(r[0]): r for r in rows[1:]}
    assert sorted(table) == list(range(26))  # every iteration (the history is exact)
    assert table[0][1] == "" and table[0][2] != ""  # before training: validation only
    for k, loss in enumerate(losses, start=1):
        assert float(table[k][1]) == loss  # full precision
    assert table[25][2] != "" and table[25][4] != ""  # validation loss and accuracy


# ---------------------------------------------------------------- 200 % scaling
GRAB_SCRIPT = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from backprop_lab.gui.app import configure_pyqtgraph
configure_pyqtgraph()
from backprop_lab.gui.window.main_window import MainWindow
w = MainWindow()
from backprop_lab.gui import questions
questions.show = questions.answer_with("discard")
w.resize(900, 600)
w.show()
for _ in range(40):
    app.processEvents()
    time.sleep(0.01)
pm = w.grab()
pm.toImage().save(sys.argv[1])
print(json.dumps({"ratio": pm.devicePixelRatio(), "size": [pm.width(), pm.height()],
                  "logical": [w.width(), w.height()]}))
w.close()
"""


def _grab(tmp_path, scale: str) -> tuple[dict, QImage]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale)
    path = tmp_path / f"grab-{scale}.png"
    out = subprocess.run(
        [sys.executable, "-c", GRAB_SCRIPT, str(path)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1]), QImage(str(path))


@pytest.mark.slow
def test_crisp_at_200_percent(tmp_path):
    info1, img1 = _grab(tmp_path, "1")
    info2, img2 = _grab(tmp_path, "2")
    assert info1["logical"] == info2["logical"] == [900, 600]
    assert info2["ratio"] == 2.0
    assert info2["size"] == [2 * s for s in info1["size"]]
    # rendered at 2x, not scaled up: many more sharp edges than the 1x image smoothed up
    up = img1.scaled(
        img2.width(), img2.height(), Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )  # fmt: skip

    def sharp_edges(image: QImage) -> int:
        a = _pixels(image).astype(np.int16)
        return int((np.abs(np.diff(a, axis=1)) > 96).sum())

    assert sharp_edges(img2) > 2 * sharp_edges(up)
