"""View > Language, one part of the main window (``window.appearance.language``): follow
the system, English or 日本語 (radio actions ``actionLanguageSystem``, ``actionLanguageEn``,
``actionLanguageJa``). The choice is remembered (``settings.language_choice``) and applies
at once: :func:`gui.i18n.apply_language` installs the catalogues and every part of the
window retranslates itself (``QEvent.LanguageChange``, ``i18n.notifier.languageChanged``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from .. import i18n
from .. import settings as user


def apply_chosen_language() -> str:
    """Speak the language the user chose (or the system's): what ``gui.app.start`` does
    before it builds the window. Returns the language code applied."""
    code = i18n.language_for(user.language_choice())
    i18n.apply_language(code)
    return code


class LanguageMenu(QObject):
    """The View > Language submenu of one window (see the module docstring)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        chosen = user.language_choice()
        chosen = chosen if chosen in i18n.CHOICES else "system"
        for choice in i18n.CHOICES:
            a = QAction(window, objectName=f"actionLanguage{choice.capitalize()}")
            a.setCheckable(True)
            a.setData(choice)
            a.setChecked(choice == chosen)
            a.triggered.connect(self._on_choice)
            self.group.addAction(a)
            self.actions[choice] = a
        self.menu = QMenu(window.menus.view, objectName="menuLanguage")
        self.menu.addActions(list(self.actions.values()))
        window.menus.add_menu("view", "appearance", self.menu)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    @Slot()
    def retranslate(self) -> None:
        """The menu's texts in the current language; each language keeps its own name."""
        self.menu.setTitle(self.tr("&Language"))
        self.actions["system"].setText(self.tr("Follow the System"))
        for code, name in i18n.LANGUAGES.items():
            self.actions[code].setText(name)

    def choose(self, choice: str) -> None:
        """Speak ``choice`` ("system" or a code of ``i18n.LANGUAGES``) from now on,
        remember it, and check its action."""
        if choice not in i18n.CHOICES:
            raise ValueError(f"unknown language choice {choice!r}")
        self.actions[choice].setChecked(True)
        user.set_language_choice(choice)
        i18n.apply_language(i18n.language_for(choice))

    @Slot()
    def _on_choice(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.choose(str(action.data()))


__all__ = ["LanguageMenu", "apply_chosen_language"]
