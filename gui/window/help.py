"""Help, one part of the main window (``window.help``): Help > Keyboard Shortcuts (F1)
and Help > About Backprop Lab."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from .. import i18n
from ..actions import make_action
from .about import show_about
from .shortcuts_dialog import ShortcutsDialog


class Help(QObject):
    """The Help menu of one window."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.action_shortcuts = make_action(
            window, "", "actionShortcuts", self.show_shortcuts,
            [QKeySequence.StandardKey.HelpContents],
        )  # fmt: skip
        self.action_about = make_action(window, "", "actionAbout", self.show_about)
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        window.menus.add("help", "help", self.action_shortcuts, self.action_about)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    @Slot()
    def retranslate(self) -> None:
        """The Help menu's entries in the current language."""
        self.action_shortcuts.setText(self.tr("&Keyboard Shortcuts"))
        self.action_about.setText(self.tr("&About Backprop Lab"))

    @Slot()
    def show_shortcuts(self) -> ShortcutsDialog:
        """Open Help > Keyboard Shortcuts (non-blocking) and return the dialog."""
        dialog = ShortcutsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @Slot()
    def show_about(self) -> QMessageBox:
        """Open Help > About (non-blocking) and return the box."""
        return show_about(self.window)


__all__ = ["Help"]
