"""The window's keys (issue 12): Undo, Redo, Export weights, Play... work while a number
box has the keyboard focus - right after the user typed a value, which Undo then undoes -
in every dock and the step toolbar; Help > Keyboard Shortcuts lists each command once
under a stable name with the keys every keyboard has.

The offscreen platform uses Qt's Windows key scheme, under which a line edit does not
claim Ctrl+E; with the X11 scheme it does (end of line). :class:`X11LineEditKeys` makes a
box claim it as it would there, installed before the box gets the focus, so that it
answers after any filter installed later, as the box's own ``event()`` does."""

from __future__ import annotations

import pytest
from backprop_lab.gui import file_dialogs
from backprop_lab.gui.window.shortcuts_dialog import portable_keys
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QDoubleValidator, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QDockWidget, QLineEdit, QMainWindow

from .session_util import make_window

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


class X11LineEditKeys(QObject):
    """What a QLineEdit does with Ctrl+E under the X11 key scheme (MoveToEndOfLine):
    it claims the shortcut and moves the cursor to the end."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if event.key() != Qt.Key.Key_E or event.modifiers() != CTRL:
            return False
        event.accept()
        return event.type() == QEvent.Type.KeyPress  # the box "moves to the end"


def shown_window(qtbot) -> QMainWindow:
    w = make_window(qtbot)
    w.show()
    w.activateWindow()
    qtbot.waitExposed(w)
    qtbot.waitUntil(w.isActiveWindow)
    return w


def focus(qtbot, w: QMainWindow, box) -> None:
    """Give ``box`` the keyboard focus (raising its dock if it is tabbed)."""
    parent = box.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    if parent is not None and not parent.isFloating():
        parent.show()
        parent.raise_()  # its tab, if tabbed
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(box.hasFocus)


def press(qtbot, w: QMainWindow, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """The key, pressed on the widget that has the focus (as a user's key press is)."""
    qtbot.keyClick(w.focusWidget(), key, modifiers)


def type_into(qtbot, w: QMainWindow, box, text: str) -> None:
    box.selectAll()
    qtbot.keyClicks(w.focusWidget(), text)


def width(w, layer: int = 0) -> int:
    return w.lab.spec.architecture.layers[layer].units


# ---------------------------------------------------------------- keys in number boxes
def test_undo_and_redo_keys_undo_the_width_just_typed(qtbot):
    w = shown_window(qtbot)
    spin = w.layer_editor._table.cellWidget(0, 0)
    focus(qtbot, w, spin)
    type_into(qtbot, w, spin, "16")
    assert spin.text() == "16" and width(w) == 8  # typed, not yet committed
    press(qtbot, w, Qt.Key.Key_Z, CTRL)
    # the typed value became an edit, and Undo undid it (not the box's text undo)
    assert w.undo.stack.count() == 1 and w.undo.stack.index() == 0
    assert w.action_redo.text() == "Redo: layer 1 width 8 -> 16"
    assert width(w) == 8 and spin.value() == 8 and spin.hasFocus()
    press(qtbot, w, Qt.Key.Key_Z, CTRL | SHIFT)
    assert width(w) == 16 and spin.value() == 16
    press(qtbot, w, Qt.Key.Key_Z, CTRL)
    assert width(w) == 8
    press(qtbot, w, Qt.Key.Key_Y, CTRL)  # the standard Redo key too
    assert width(w) == 16


def test_undo_keys_undo_the_learning_rate_just_typed(qtbot):
    w = shown_window(qtbot)
    lr = w.training_panel.lr_spin
    focus(qtbot, w, lr)
    type_into(qtbot, w, lr, "0.1")
    press(qtbot, w, Qt.Key.Key_Z, CTRL)
    assert w.action_redo.text() == "Redo: learning rate 0.5 -> 0.1"
    assert w.lab.settings.learning_rate == 0.5 and lr.value() == 0.5
    press(qtbot, w, Qt.Key.Key_Z, CTRL | SHIFT)
    assert w.lab.settings.learning_rate == 0.1
    assert w.controller.trainer.config.optimizer.lr == 0.1


def number_boxes(w: QMainWindow) -> list[QAbstractSpinBox]:
    return [b for b in w.findChildren(QAbstractSpinBox) if b.isEnabled() and not b.isReadOnly()]


def test_the_window_keys_win_in_every_number_box(qtbot, monkeypatch):
    """Every number box of the window (every dock, the step toolbar): Ctrl+Z undoes and
    Ctrl+Shift+Z redoes the last edit, Ctrl+E exports the weights - also where the box
    claims Ctrl+E for itself (X11)."""
    monkeypatch.setattr(file_dialogs, "show", file_dialogs.answer_with(None))
    w = shown_window(qtbot)
    exported = []
    w.action_export.triggered.connect(lambda: exported.append(1))
    boxes = number_boxes(w)
    names = {b.objectName() for b in boxes}
    assert {"learningRateSpin", "noiseSpin", "seedSpin", "sampleSpin"} <= names
    assert sum(1 for b in boxes if not b.objectName()) == 2  # the two width boxes
    x11 = X11LineEditKeys()
    for n, box in enumerate(boxes):
        for target in (box, *box.findChildren(QLineEdit)):
            target.installEventFilter(x11)
        w.layer_editor.set_seed(100 + n)  # something to undo
        focus(qtbot, w, box)
        label = box.objectName() or "a width box"
        index = w.undo.stack.index()
        press(qtbot, w, Qt.Key.Key_Z, CTRL)
        assert w.undo.stack.index() == index - 1, label
        assert w.layer_editor.spec().seed == (99 + n if n else 0), label
        press(qtbot, w, Qt.Key.Key_Z, CTRL | SHIFT)
        assert w.undo.stack.index() == index and w.layer_editor.spec().seed == 100 + n, label
        press(qtbot, w, Qt.Key.Key_E, CTRL)
        assert len(exported) == n + 1, label
        assert box.hasFocus(), label


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen, floating
def test_the_window_keys_win_in_a_floating_dock(qtbot):
    w = shown_window(qtbot)
    dock = w.docks["dockTraining"]
    dock.setFloating(True)
    dock.activateWindow()
    qtbot.waitUntil(dock.isActiveWindow)
    lr = w.training_panel.lr_spin
    focus(qtbot, w, lr)
    lr.selectAll()
    qtbot.keyClicks(dock.focusWidget(), "0.1")
    qtbot.keyClick(dock.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert w.action_redo.text() == "Redo: learning rate 0.5 -> 0.1"
    assert w.lab.settings.learning_rate == 0.5


def test_keys_that_edit_the_number_stay_with_the_box_and_space_plays(qtbot):
    w = shown_window(qtbot)
    spin = w.layer_editor._table.cellWidget(1, 0)
    focus(qtbot, w, spin)
    type_into(qtbot, w, spin, "123")
    press(qtbot, w, Qt.Key.Key_Backspace)
    press(qtbot, w, Qt.Key.Key_Home)
    press(qtbot, w, Qt.Key.Key_Delete)
    assert spin.text() == "2" and w.undo.stack.count() == 0
    played = []
    w.action_play.toggled.connect(played.append)
    press(qtbot, w, Qt.Key.Key_Space)  # not a number's character: Play, with width 2
    w.controller.pause()
    assert played == [True]
    assert width(w, 1) == 2 and w.undo.stack.count() == 1


def test_a_window_key_with_nothing_to_do_does_not_edit_the_box(qtbot):
    """Nothing to undo: Ctrl+Z enters the sample typed and leaves it (the box's own text
    undo would put the old number back without the window knowing)."""
    w = shown_window(qtbot)
    spin = w.sample_chooser.spin
    spin.setMaximum(max(spin.maximum(), 10))
    focus(qtbot, w, spin)
    type_into(qtbot, w, spin, "7")
    press(qtbot, w, Qt.Key.Key_Z, CTRL)
    assert not w.action_undo.isEnabled()
    assert spin.text() == "7" and spin.value() == 7


def test_a_number_line_edit_commits_then_the_window_undoes(qtbot):
    """A QLineEdit with a number validator in a dock counts as a number box: Ctrl+Z
    first finishes the edit (editingFinished), then undoes."""
    w = shown_window(qtbot)
    w.layer_editor.set_seed(5)
    edit = QLineEdit()
    edit.setValidator(QDoubleValidator())
    w.training_panel.layout().addWidget(edit)
    order = []
    edit.editingFinished.connect(lambda: order.append(("finished", edit.text())))
    w.undo.stack.indexChanged.connect(lambda i: order.append(("undo", i)))
    focus(qtbot, w, edit)
    qtbot.keyClicks(edit, "2.5")
    press(qtbot, w, Qt.Key.Key_Z, CTRL)
    assert order == [("finished", "2.5"), ("undo", 0)]
    assert edit.text() == "2.5"  # not the line edit's own undo
    assert w.layer_editor.spec().seed == 0


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
