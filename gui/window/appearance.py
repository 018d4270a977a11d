"""The window's appearance, one part of the main window (``window.appearance``): the
remembered layout (restored at start, saved on a clean exit; a layout saved by an
earlier layout version is ignored: see ``settings.LAYOUT_VERSION``), the first-start
size on the screen (:mod:`.layout`), View > Reset Layout,
View > Theme (follow the system, light, dark; see :mod:`.theme`), View > Language
(:mod:`.language_menu`) and View > Full Screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from .. import i18n
from .. import settings as user
from ..actions import make_action
from .language_menu import LanguageMenu
from .layout import fit_to_screen, hide_stale_tab_bars, size_docks
from .theme import CHOICES, Theme


class Appearance(QObject):
    """Layout, theme and full screen of one window (see the module docstring). Made
    after every other part: it remembers the first-start layout of all the docks and
    toolbars."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._shut_down = False
        self.theme = Theme(window, user.theme_choice())
        K = QKeySequence.StandardKey
        # F11 is the debugger's step-into (Step phase); full screen takes the platform's
        # other keys
        full = [
            k
            for k in QKeySequence.keyBindings(K.FullScreen)
            if k != QKeySequence("F11") and not k.isEmpty()
        ] or [QKeySequence("Ctrl+Shift+F")]
        self.action_full_screen = make_action(
            window, "", "actionFullScreen", self._on_full_screen, full
        )
        self.action_full_screen.setCheckable(True)
        self.action_reset_layout = make_action(window, "", "actionResetLayout", self.reset_layout)
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for choice in CHOICES:
            a = make_action(window, "", f"actionTheme{choice.capitalize()}", self._on_theme)
            a.setCheckable(True)
            a.setData(choice)
            a.setChecked(choice == self.theme.choice)
            self.theme_group.addAction(a)
            self.theme_actions[choice] = a
        self.theme_menu = theme_menu = QMenu(window.menus.view, objectName="menuTheme")
        for a in self.theme_actions.values():
            theme_menu.addAction(a)
        window.menus.add_menu("view", "appearance", theme_menu)
        self.language = LanguageMenu(window)
        window.menus.add("view", "appearance", self.action_full_screen, self.action_reset_layout)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)
        self._default_state = window.saveState(user.LAYOUT_VERSION)
        self._layout_restored = self._restore_layout()
        self._shown = False
        window.installEventFilter(self)
        self.theme.apply()
        window.viewsInstalled.connect(self._on_views_installed)

    @Slot()
    def retranslate(self) -> None:
        """The texts of the part's menu entries in the current language."""
        self.action_full_screen.setText(self.tr("&Full Screen"))
        self.action_reset_layout.setText(self.tr("Reset &Layout"))
        self.theme_menu.setTitle(self.tr("&Theme"))
        names = {"system": self.tr("Follow the System"), "light": self.tr("Light"),
                 "dark": self.tr("Dark")}  # fmt: skip
        for choice, action in self.theme_actions.items():
            action.setText(names.get(choice, choice.capitalize()))

    def _restore_layout(self) -> bool:
        saved = user.saved_layout()
        if saved is None:
            return False
        geometry, state = saved
        self.window.restoreGeometry(geometry)
        return self.window.restoreState(state, user.LAYOUT_VERSION)

    @property
    def layout_restored(self) -> bool:
        """True when the layout the user left at the last exit was restored (it has this
        layout version); False at a first start or after a stale layout was ignored."""
        return self._layout_restored

    def show_window(self) -> None:
        """Show the window: where the user left it, or at a first start fitted to its
        screen (maximised on a laptop; see :func:`.layout.fitted_geometry`)."""
        if not self._layout_restored and fit_to_screen(self.window):
            self.window.showMaximized()
        else:
            self.window.show()

    @Slot()
    def reset_layout(self) -> None:
        """Every dock and toolbar back where it was at the first start."""
        self.window.restoreState(self._default_state, user.LAYOUT_VERSION)
        for dock in getattr(self.window, "docks", {}).values():
            dock.setFloating(False)
        user.forget_layout()
        self._size_docks()
        QTimer.singleShot(0, self.tidy_tab_bars)

    def _size_docks(self) -> None:
        if getattr(self.window, "docks", None):
            size_docks(self.window)

    @Slot()
    def tidy_tab_bars(self) -> None:
        """Hide the dead dock tab bars Qt leaves behind (see gui.window.layout)."""
        hide_stale_tab_bars(self.window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            if not self._shown and not self._layout_restored:
                self._size_docks()  # the first-start shares of the size it is shown at
            self._shown = True
            QTimer.singleShot(0, self.tidy_tab_bars)  # once the layout has been made
        return False

    @Slot()
    def _on_views_installed(self) -> None:
        self.theme.apply_to_plots()

    @Slot()
    def _on_theme(self) -> None:
        action = self.sender()
        choice = action.data() if isinstance(action, QAction) else None
        if choice in CHOICES:
            self.set_theme(choice)

    def set_theme(self, choice: str) -> str:
        """Use and remember a theme: "system", "light" or "dark"; returns the scheme."""
        scheme = self.theme.set_choice(choice)
        user.set_theme_choice(choice)
        self.theme_actions[choice].setChecked(True)
        return scheme

    @Slot(bool)
    def _on_full_screen(self, on: bool) -> None:
        if on:
            self.window.showFullScreen()
        else:
            self.window.showNormal()

    def shutdown(self) -> None:
        """A clean exit: leave full screen and remember the layout."""
        if self._shut_down:
            return
        self._shut_down = True
        w = self.window
        if w.isFullScreen():
            w.showNormal()
        user.save_layout(w.saveGeometry(), w.saveState(user.LAYOUT_VERSION))


__all__ = ["Appearance"]
