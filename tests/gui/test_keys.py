"""The window's keys (issue 12): Help > Keyboard Shortcuts lists each command once under a
stable name with the keys every keyboard has."""

from __future__ import annotations

import pytest
from backprop_lab.gui.window.shortcuts_dialog import portable_keys
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from .session_util import make_window


# ---------------------------------------------------------------- the shortcuts list
def test_the_shortcuts_list_names_each_command_once_with_portable_keys(qtbot):
    w = make_window(qtbot)
    # the keys some platforms add to the standard ones (X11: F14 is Undo on Sun keyboards)
    w.action_undo.setShortcuts([*w.action_undo.shortcuts(), QKeySequence(Qt.Key.Key_F14)])
    w.layer_editor.set_layer(0, width=16)
    w.layer_editor.set_layer(0, width=4)
    w.action_undo.trigger()  # Undo: layer 1 width 8 -> 16, Redo: layer 1 width 16 -> 4
    w.training.on_running_changed(True)  # Play reads Pause
    assert w.action_redo.text().startswith("Redo: layer 1")
    rows = w.help.show_shortcuts().rows()
    commands = [command for _, command, _ in rows]
    assert len(commands) == len(set(commands)), commands
    keys = {command: k for _, command, k in rows}
    native = QKeySequence.SequenceFormat.NativeText
    ctrl_z = QKeySequence("Ctrl+Z").toString(native)
    assert ctrl_z in keys["Undo"].split(", ")
    assert QKeySequence("Ctrl+Shift+Z").toString(native) in keys["Redo"].split(", ")
    assert keys["Play / Pause"] == QKeySequence(Qt.Key.Key_Space).toString(native)
    assert keys["Save As"] == QKeySequence("Ctrl+Shift+S").toString(native)
    assert keys["Export weights"] == QKeySequence("Ctrl+E").toString(native)
    assert not any(c.startswith(("Undo:", "Redo:")) or c == "Pause" for c in commands)
    platform_keys = {"F14", "Undo", "Redo", "Save", "Open", "New", "Help"}
    for command, text in keys.items():
        for k in text.split(", "):
            assert k.split("+")[-1] not in platform_keys, (command, text)
    # every action with a shortcut anyone can type is listed, with exactly those keys
    for action in w.findChildren(QAction):
        portable = portable_keys(action)
        if portable:
            listed = ", ".join(k.toString(native) for k in portable)
            assert listed in keys.values(), action.objectName()
    w.training.on_running_changed(False)


@pytest.mark.parametrize(
    "keys, portable",
    [
        ("Ctrl+Z", True), ("Alt+Backspace", True), ("F12", True), ("Shift+F11", True),
        ("Space", True), ("F13", False), ("F14", False),
    ],
)  # fmt: skip
def test_portable_keys_are_the_keys_every_keyboard_has(qtbot, keys, portable):
    action = QAction()
    action.setShortcuts([QKeySequence(keys)])
    assert bool(portable_keys(action)) == portable
    action.setShortcuts([QKeySequence(k) for k in (Qt.Key.Key_Undo, Qt.Key.Key_Save)])
    assert portable_keys(action) == []
