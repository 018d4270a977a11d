"""Help > Keyboard Shortcuts: every command of the window that has a shortcut, once, under
a stable name (Undo, not "Undo: layer 1 width 8 -> 16"), with the keys any keyboard has,
as the platform writes them, grouped by the menu it lives in.

A command's name is its action's text without "&" and "...", unless the action names
itself with :func:`set_command_name` - for actions whose text follows the state (Undo's
label, Play / Pause). Keys only some keyboards have (F13 and above, the Undo, Save,
Help... keys) are left out (:func:`portable_keys`): they are still bound, but a user
reading the list looks for keys on their keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: the dynamic property holding an action's stable command name
COMMAND_NAME = "commandName"
#: the last key every keyboard has: Escape .. F12 (and printable keys below them)
_LAST_PORTABLE_KEY = Qt.Key.Key_F12.value


def set_command_name(action: QAction, name: str) -> None:
    """Name ``action`` in the shortcuts list by ``name`` whatever its text says later."""
    action.setProperty(COMMAND_NAME, name)


def command_name(action: QAction) -> str:
    """The name the shortcuts list gives ``action``: its :func:`set_command_name`, else
    its text without mnemonics and a trailing "..."."""
    name = action.property(COMMAND_NAME)
    return name if isinstance(name, str) and name else _plain(action.text())


def portable_keys(action: QAction) -> list[QKeySequence]:
    """``action``'s shortcuts that every keyboard can type: each key of each chord is a
    printable key or one of Escape .. F12 (arrows, Backspace, Enter, Home...), modifiers
    allowed. Left out: F13-F35 (e.g. the Sun Undo key, F14) and the dedicated keys
    (Undo, Redo, Save, Open, New, Help...) that platforms add to standard shortcuts."""
    keys = []
    for seq in action.shortcuts():
        chords = [seq[i].key().value for i in range(seq.count())]
        if chords and all(k <= _LAST_PORTABLE_KEY for k in chords):
            keys.append(seq)
    return keys


def key_text(keys: list[QKeySequence]) -> str:
    """``keys`` as the platform writes them (QKeySequence NativeText), comma-separated,
    each once."""
    texts: list[str] = []
    for k in keys:
        text = k.toString(QKeySequence.SequenceFormat.NativeText)
        if text and text not in texts:
            texts.append(text)
    return ", ".join(texts)


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every window command with a portable shortcut, once,
    menu order first (commands outside the menus under "Window"), then the mouse
    gestures of the views."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def add(path: str, action: QAction) -> None:
        keys = key_text(portable_keys(action))
        if id(action) in seen or not keys:
            return
        seen.add(id(action))
        row = (path, command_name(action), keys)
        if row not in rows:
            rows.append(row)

    def visit(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if sub is not None:
                visit(sub, f"{path} > {_plain(action.text())}")
            elif action.shortcuts():
                add(path, action)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            visit(top.menu(), _plain(top.text()))
    outside = QCoreApplication.translate("ShortcutsDialog", "Window")
    for action in window.findChildren(QAction):
        if action.shortcuts():
            add(outside, action)
    rows.append(
        (
            QCoreApplication.translate("ShortcutsDialog", "Network view"),
            QCoreApplication.translate("ShortcutsDialog", "Inspect a weight"),
            QCoreApplication.translate("ShortcutsDialog", "Click its edge"),
        )
    )
    return rows


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".")


class ShortcutsDialog(QDialog):
    """A table of the window's keyboard shortcuts (objectName ``shortcutsDialog``)."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        rows = shortcut_rows(window)
        table = QTableWidget(len(rows), 3, self, objectName="shortcutsTable")
        table.setHorizontalHeaderLabels([self.tr("Menu"), self.tr("Command"), self.tr("Keys")])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(r, c, item)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def rows(self) -> list[tuple[str, str, str]]:
        """The table's rows (menu, command, keys)."""
        t = self.table
        return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]


__all__ = [
    "ShortcutsDialog",
    "command_name",
    "key_text",
    "portable_keys",
    "set_command_name",
    "shortcut_rows",
]
