"""The window's menu bar: File, Edit, Train, View and Help, created once, in that order,
each cut into named sections so that every part of the window adds its own entries
where they belong - whatever order the parts are built in - without looking menus up
by their text.

    window.menus.add("file", "weights", action_export, action_import)
    window.menus.add_menu("file", "weights", export_plot_menu)

Sections (top to bottom; Qt collapses the separators of empty ones):

* file: ``session`` (New, Open, Open Recent, Save, Save As), ``weights`` (weight files,
  plot export), ``derivation`` (the chain-rule worked example), ``quit``;
* edit: ``undo``;  train: ``training``;  view: ``docks``, ``appearance``;  help: ``help``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from .. import i18n

#: (key, title, objectName, sections) of every top-level menu, in menu-bar order; the
#: titles are translated in the context "Menus"
MENUS = (
    ("file", QT_TRANSLATE_NOOP("Menus", "&File"), "menuFile",
     ("session", "weights", "derivation", "quit")),
    ("edit", QT_TRANSLATE_NOOP("Menus", "&Edit"), "menuEdit", ("undo",)),
    ("train", QT_TRANSLATE_NOOP("Menus", "&Train"), "menuTrain", ("training",)),
    ("view", QT_TRANSLATE_NOOP("Menus", "&View"), "menuView", ("docks", "appearance")),
    ("help", QT_TRANSLATE_NOOP("Menus", "&Help"), "menuHelp", ("help",)),
)  # fmt: skip


class Menus(QObject):
    """The menus of one window (see the module docstring); ``menus.file`` etc. are the
    QMenus themselves. Their titles follow the language."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        bar = window.menuBar()
        self._ends: dict[tuple[str, str], QAction] = {}
        self._menus: dict[str, QMenu] = {}
        for key, _, name, sections in MENUS:
            menu = bar.addMenu("")
            menu.setObjectName(name)
            menu.setSeparatorsCollapsible(True)
            for section in sections:
                self._ends[key, section] = menu.addSeparator()  # the section ends here
            self._menus[key] = menu
            setattr(self, key, menu)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    @Slot()
    def retranslate(self) -> None:
        """The menu titles in the current language."""
        for key, title, _, _ in MENUS:
            self._menus[key].setTitle(QCoreApplication.translate("Menus", title))

    def menu(self, key: str) -> QMenu:
        """The top-level menu ``key`` ("file", "edit", "train", "view", "help")."""
        return self._menus[key]

    def add(self, key: str, section: str, *actions: QAction, before: QAction | None = None) -> None:
        """Append ``actions`` to the end of ``section`` of menu ``key`` (or put them
        before ``before``, an entry of that section)."""
        end = self._ends[key, section] if before is None else before
        self._menus[key].insertActions(end, list(actions))

    def add_menu(self, key: str, section: str, menu: QMenu) -> None:
        """Append the submenu ``menu`` to the end of ``section`` of menu ``key``."""
        self._menus[key].insertMenu(self._ends[key, section], menu)

    def add_separator(self, key: str, section: str) -> None:
        """A separator at the end of ``section`` (between two groups of one part)."""
        self._menus[key].insertSeparator(self._ends[key, section])


__all__ = ["MENUS", "Menus"]
