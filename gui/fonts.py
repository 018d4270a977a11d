"""Whether the window can draw Japanese: Japanese text needs a CJK font (Qt falls back to
any installed family that supports :attr:`QFontDatabase.WritingSystem.Japanese`). Where
none is installed, :class:`FontNotice` says once in the status bar what to install - in
English and in Japanese, since the Japanese half may show as boxes. The README's
"Fonts" section says the same.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QStatusBar

from . import i18n

#: The source text of the notice (translated in the "messages" catalogue).
NEEDS_CJK_FONT = QT_TRANSLATE_NOOP(
    "messages",
    "Japanese text needs a CJK font: install fonts-noto-cjk (Debian, Ubuntu) or "
    "google-noto-sans-cjk-fonts (Fedora)",
)
#: Languages whose text needs a CJK font.
CJK_LANGUAGES = ("ja",)


def japanese_families() -> list[str]:
    """The installed font families that can draw Japanese (empty: Japanese shows as boxes)."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))


def add_font_file(path: str) -> list[str]:
    """Make the font file at ``path`` available to this process only (nothing is installed);
    returns its families (empty if Qt cannot read it). For the screenshot tool."""
    font_id = QFontDatabase.addApplicationFont(str(path))
    return [] if font_id < 0 else list(QFontDatabase.applicationFontFamilies(font_id))


def font_notice(language: str) -> str | None:
    """The status-bar notice for ``language`` if it needs a CJK font and none is installed,
    else None. English first, then the current language's text (when it differs)."""
    if language not in CJK_LANGUAGES or japanese_families():
        return None
    translated = QCoreApplication.translate("messages", NEEDS_CJK_FONT)
    return NEEDS_CJK_FONT if translated == NEEDS_CJK_FONT else f"{NEEDS_CJK_FONT} / {translated}"


class FontNotice(QObject):
    """Shows :func:`font_notice` in ``status_bar`` the first time the window speaks a
    language that needs a font it does not have (at construction and on every language
    change); once per run."""

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self._status_bar = status_bar
        self.shown: str | None = None
        i18n.notifier.languageChanged.connect(self._on_language)
        self._on_language(i18n.current_language())

    @Slot(str)
    def _on_language(self, language: str) -> None:
        if self.shown is not None:
            return
        text = font_notice(language)
        if text is not None:
            self.shown = text
            self._status_bar.showMessage(text, 15_000)


__all__ = ["NEEDS_CJK_FONT", "FontNotice", "add_font_file", "font_notice", "japanese_families"]
