"""The window's keys win over number boxes, one part of the main window
(``window.shortcut_focus``).

A spin box claims some of the window's keys for its own text editing: Ctrl+Z and
Ctrl+Shift+Z (its text undo), Space, and with the X11 key scheme Ctrl+E (end of line)
and F14 (the Sun Undo key). It has the keyboard focus right after the user typed a
value, so Edit > Undo, Redo, File > Export weights or Play would do nothing just when
the user wants them. The text undo of a number box is not what a user means.

:class:`ShortcutFocus` puts an event filter on each number box of the window (a
``QAbstractSpinBox``, or a ``QLineEdit`` with a number validator) when it gets the
focus. For a key that is a shortcut of one of the window's actions and does not edit the
number (:func:`edits_the_number`: digits, signs, point, letters, Backspace, Delete,
arrows, Home, End, Enter, Escape, Tab stay with the box):

1. **ShortcutOverride**: the box's pending edit is committed first (``interpretText()``,
   or ``editingFinished`` for a line edit), so that Ctrl+Z undoes the value the user
   just typed instead of losing it; then the box is not asked, so Qt runs the shortcut.
2. **KeyPress** of such a key (Qt did not run the shortcut, e.g. Undo is disabled): the
   box does not get it either.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QAction, QDoubleValidator, QIntValidator, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QMainWindow, QWidget

#: keys that move the cursor or delete in a box's text (they stay with the box)
_EDITING_KEYS = frozenset(
    k.value
    for k in (
        Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right,
        Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End,
        Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Return, Qt.Key.Key_Enter,
        Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab,
    )
)  # fmt: skip
_TYPING_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
_SHORTCUT_CONTEXTS = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def edits_the_number(event: QKeyEvent) -> bool:
    """True for a key that types or moves in a number box's text and so stays with the
    box: without Ctrl, Alt or Meta, a printable character other than Space, or one of
    Backspace, Delete, the arrows, Home, End, Page Up/Down, Enter, Escape, Tab."""
    if event.modifiers() & ~_TYPING_MODIFIERS:
        return False
    key = event.key()
    if key in _EDITING_KEYS:
        return True
    return key < Qt.Key.Key_Escape.value and key != Qt.Key.Key_Space.value


def key_sequence(event: QKeyEvent) -> QKeySequence:
    """The one-chord key sequence ``event`` types (the keypad modifier dropped)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return QKeySequence(event.key() | modifiers.value)


def number_box(widget: QWidget | None) -> QAbstractSpinBox | QLineEdit | None:
    """``widget`` if it is a number box (a spin box, or a line edit with an int or double
    validator); the spin box for a spin box's own line edit; else None."""
    if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QAbstractSpinBox):
        return widget.parentWidget()
    if isinstance(widget, QAbstractSpinBox):
        return widget
    if isinstance(widget, QLineEdit) and isinstance(
        widget.validator(), QIntValidator | QDoubleValidator
    ):
        return widget
    return None


def commit_edit(box: QAbstractSpinBox | QLineEdit) -> None:
    """Make the value typed in ``box`` its value now, as Enter would: a spin box
    interprets its text (``valueChanged`` if it differs); a line edit whose acceptable
    text was modified emits ``editingFinished``."""
    if isinstance(box, QAbstractSpinBox):
        box.interpretText()
    elif box.isModified() and box.hasAcceptableInput():
        box.setModified(False)
        box.editingFinished.emit()


class ShortcutFocus(QObject):
    """Lets the window's shortcuts through the number boxes of ``window`` - those in its
    docks, floating or not (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def window_keys(self) -> list[QKeySequence]:
        """Every shortcut of the window's actions (window- or application-wide)."""
        return [
            k
            for action in self.window.findChildren(QAction)
            if action.shortcutContext() in _SHORTCUT_CONTEXTS
            for k in action.shortcuts()
        ]

    def owns(self, widget: QWidget) -> bool:
        """True if ``widget`` is in the window itself or in one of its floating docks
        (not in a dialog over it, where the window's shortcuts do not apply)."""
        top = widget.window()
        if top is self.window:
            return True
        return top.windowType() == Qt.WindowType.Tool and top.parentWidget() is self.window

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        box = number_box(now)
        if box is not None and self.owns(box):
            # again at every focus: that moves this filter in front of any other. A spin
            # box's line edit too: key events may be sent to it directly (QTest does)
            for target in (box, *box.findChildren(QLineEdit)):
                target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """For a window key in a number box: on ShortcutOverride commit the box's edit and
        leave the key to the window's shortcut; on KeyPress swallow it. Other events and
        keys go on to the box (False)."""
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if edits_the_number(event) or key_sequence(event) not in self.window_keys():
            return False
        if kind == QEvent.Type.ShortcutOverride:
            box = number_box(watched)
            if box is not None:
                commit_edit(box)
            event.ignore()  # not the box's: Qt looks for the window's shortcut
        return True


__all__ = ["ShortcutFocus", "commit_edit", "edits_the_number", "key_sequence", "number_box"]
