"""The window's languages: English (the source texts) and Japanese, from Qt Linguist
catalogues, switched at run time.

Catalogues: one per room of the GUI (:data:`CATALOGUES`: a name and the source folders
``pyside6-lupdate`` reads), kept as ``resources/i18n/<name>_<lang>.ts`` (the sources,
in the repository) and compiled to ``<name>_<lang>.qm`` beside them (shipped in the
package; ``python tools/i18n.py`` updates and compiles them, see DEVELOPERS.md). Qt's
own catalogue (``qtbase_<lang>.qm``, shipped by PySide6) translates Qt's buttons and
dialogs.

Marking: ``self.tr("...")`` in a QObject subclass (the class name is the context), or
``QCoreApplication.translate("Context", "...")`` elsewhere - both forms
``pyside6-lupdate`` finds. A counted phrase is ``self.tr("%n path(s)", "", n)`` (see
``gui.inspector.wording.counted`` for English without a catalogue).

Switching: :func:`apply_language` removes the translators of the previous language and
installs the new ones; Qt then sends ``QEvent.LanguageChange`` to every widget, and
:data:`notifier`'s ``languageChanged`` signal tells every other object (the parts of the
window that own actions and menus). A widget or part sets its texts in a ``retranslate()``
method, called once when it is built and again on every language change.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

#: The languages offered (code -> the language's own name, as View > Language shows it).
LANGUAGES = {"en": "English", "ja": "日本語"}
SOURCE_LANGUAGE = "en"
#: The user's choices: follow the system, or one of :data:`LANGUAGES`.
CHOICES = ("system", *LANGUAGES)

#: The GUI's catalogues: name -> the source paths (relative to the repository's gui/
#: folder) whose marked strings it holds. Every marked string is in exactly one.
CATALOGUES: dict[str, tuple[str, ...]] = {
    "window": ("app.py", "main.py", "actions.py", "questions.py", "file_dialogs.py",
               "window", "files"),
    "panels": ("panels", "model/lab.py", "model/records.py", "model/histories.py",
               "model/undo.py", "model/labels.py", "model/session_file.py", "training",
               "tasks.py", "settings.py"),
    "views": ("views", "inspector", "model/phase_frame.py"),
    "messages": ("messages.py", "fonts.py"),  # the engine's errors; the CJK font notice
}  # fmt: skip

QT_CATALOGUE = "qtbase"


def catalogue_folder() -> Path:
    """Where the compiled catalogues are installed: ``backprop_lab.resources``'s
    ``i18n`` folder."""
    from backprop_lab import resources

    return Path(resources.__file__).resolve().parent / "i18n"


def system_language() -> str:
    """The language of the system (``QLocale.system()``: ``LANG`` / ``LC_ALL`` on Linux)
    if the app speaks it, else English."""
    name = QLocale.system().name()  # e.g. "ja_JP"
    code = name.split("_", 1)[0].lower()
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def language_for(choice: str) -> str:
    """The language a choice of :data:`CHOICES` means now ("system" follows the system;
    anything unknown is "system")."""
    return choice if choice in LANGUAGES else system_language()


class LanguageNotifier(QObject):
    """Says when the language has changed (``languageChanged(code)``), after the new
    translators are installed."""

    languageChanged = Signal(str)


notifier = LanguageNotifier()
_installed: list[QTranslator] = []
_current = SOURCE_LANGUAGE


def current_language() -> str:
    """The language the window speaks now (a code of :data:`LANGUAGES`)."""
    return _current


def apply_language(code: str) -> list[str]:
    """Speak ``code`` from now on: remove the previous language's translators, install
    Qt's and every catalogue of :data:`CATALOGUES` for ``code`` (none for English, the
    source language), then emit ``notifier.languageChanged``. Returns the catalogues
    loaded; a missing compiled catalogue is skipped (its strings stay English)."""
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; the languages are {', '.join(LANGUAGES)}")
    app = QCoreApplication.instance()
    for t in _installed:
        if app is not None:
            app.removeTranslator(t)
    _installed.clear()
    loaded: list[str] = []
    if code != SOURCE_LANGUAGE and app is not None:
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        sources = [(QT_CATALOGUE, qt_folder)] + [(n, str(catalogue_folder())) for n in CATALOGUES]
        for name, folder in sources:
            t = QTranslator(app)
            if t.load(f"{name}_{code}", folder):
                app.installTranslator(t)
                _installed.append(t)
                loaded.append(name)
    _current = code
    notifier.languageChanged.emit(code)
    return loaded


__all__ = [
    "CATALOGUES",
    "CHOICES",
    "LANGUAGES",
    "SOURCE_LANGUAGE",
    "LanguageNotifier",
    "apply_language",
    "catalogue_folder",
    "current_language",
    "language_for",
    "notifier",
    "system_language",
]
