"""Help > Keyboard Shortcuts: every action of the window that has a shortcut, with its
keys as the platform writes them, grouped by the menu it lives in."""

from __future__ import annotations

from PySide6.QtCore import Qt
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

#: Keys handled by widgets rather than by actions, listed too.
EXTRA_ROWS = (
    ("Builder", "Remove a hidden layer: select it, then Remove", ""),
    ("Network view", "Inspect a weight", "click its edge"),
)


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every window action with a shortcut, menu order first."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def visit(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if sub is not None:
                visit(sub, f"{path} > {_plain(action.text())}")
            elif action.shortcuts() and id(action) not in seen:
                seen.add(id(action))
                rows.append((path, _plain(action.text()), _keys(action)))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            visit(top.menu(), _plain(top.text()))
    for action in window.findChildren(QAction):
        if action.shortcuts() and id(action) not in seen:
            seen.add(id(action))
            rows.append(("Window", _plain(action.text()), _keys(action)))
    return rows


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".")


def _keys(action: QAction) -> str:
    fmt = QKeySequence.SequenceFormat.NativeText
    return ", ".join(k.toString(fmt) for k in action.shortcuts() if not k.isEmpty())


class ShortcutsDialog(QDialog):
    """A table of the window's keyboard shortcuts (objectName ``shortcutsDialog``)."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(window)
        table = QTableWidget(len(rows), 3, self, objectName="shortcutsTable")
        table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
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


__all__ = ["ShortcutsDialog", "shortcut_rows"]
