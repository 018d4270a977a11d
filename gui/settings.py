"""What the app remembers between runs, in the standard per-user places (QStandardPaths):

* the settings file ``<AppConfigLocation>/settings.ini`` (``$XDG_CONFIG_HOME/Backprop
  Lab/Backprop Lab/settings.ini`` on Linux): window geometry and dock layout, the last
  folder, the recent session files, the theme, the language;
* the autosaves under ``<AppDataLocation>/autosave`` (``$XDG_DATA_HOME/...``).

Both locations are looked up on every use, so setting ``XDG_CONFIG_HOME`` /
``XDG_DATA_HOME`` (as the tests do, per test) moves them. The settings file is an INI file
opened by path rather than through QSettings' default constructor, whose search paths are
fixed once per process.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QStandardPaths

APP_NAME = "Backprop Lab"
ORGANIZATION = "Backprop Lab"
MAX_RECENT = 10
SETTINGS_FILE = "settings.ini"
# bump when the docks or the first-start layout change, so that a layout saved by an
# earlier version is ignored (2: network view and inspector side by side, issue 12)
LAYOUT_VERSION = 2

KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_LAYOUT_VERSION = "window/layoutVersion"
KEY_LAST_FOLDER = "lastFolder"  # the key MainWindow's weight dialogs use too
KEY_RECENT = "recentFiles"
KEY_THEME = "theme"
KEY_LANGUAGE = "language"


def ensure_app_names() -> None:
    """Make the application Backprop Lab's (tests build windows without gui.app.run, and
    Qt's default name depends on the interpreter): the standard locations derive from
    the organisation and application names."""
    if QCoreApplication.organizationName() != ORGANIZATION:
        QCoreApplication.setOrganizationName(ORGANIZATION)
    if QCoreApplication.applicationName() != APP_NAME:
        QCoreApplication.setApplicationName(APP_NAME)


def config_folder() -> Path:
    """Where the settings file lives (``AppConfigLocation``)."""
    ensure_app_names()
    loc = QStandardPaths.StandardLocation.AppConfigLocation
    return Path(QStandardPaths.writableLocation(loc))


def data_folder() -> Path:
    """The per-user application-data folder (``AppDataLocation``)."""
    ensure_app_names()
    loc = QStandardPaths.StandardLocation.AppDataLocation
    return Path(QStandardPaths.writableLocation(loc))


def user_settings() -> QSettings:
    """The app's settings (an INI file in :func:`config_folder`)."""
    return QSettings(str(config_folder() / SETTINGS_FILE), QSettings.Format.IniFormat)


# ---------------------------------------------------------------- folders and files


def last_folder() -> str:
    """The folder of the last file opened or saved (home at first)."""
    folder = str(user_settings().value(KEY_LAST_FOLDER, "") or "")
    return folder if folder and os.path.isdir(folder) else os.path.expanduser("~")


def remember_folder(path: str | os.PathLike) -> None:
    """Remember the folder of ``path`` for the next file dialog."""
    user_settings().setValue(KEY_LAST_FOLDER, os.path.dirname(os.path.abspath(path)))


def recent_files() -> list[str]:
    """The recent session files, newest first; files that no longer exist are dropped
    (and forgotten). At most :data:`MAX_RECENT`."""
    s = user_settings()
    stored = _string_list(s.value(KEY_RECENT, []))
    existing = [p for p in stored if os.path.isfile(p)][:MAX_RECENT]
    if existing != stored:
        s.setValue(KEY_RECENT, existing)
    return existing


def add_recent_file(path: str | os.PathLike) -> list[str]:
    """Put ``path`` first in the recent files; returns the new list."""
    path = os.path.abspath(path)
    files = [path] + [p for p in recent_files() if p != path]
    files = files[:MAX_RECENT]
    user_settings().setValue(KEY_RECENT, files)
    return files


def clear_recent_files() -> None:
    user_settings().setValue(KEY_RECENT, [])


def _string_list(value: object) -> list[str]:
    """QSettings gives a str for a one-element list and None/"" for an empty one."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if isinstance(v, str) and v]


# ---------------------------------------------------------------- window layout


def save_layout(geometry: QByteArray, state: QByteArray) -> None:
    """Store the window's saveGeometry() and saveState()."""
    s = user_settings()
    s.setValue(KEY_GEOMETRY, geometry)
    s.setValue(KEY_STATE, state)
    s.setValue(KEY_LAYOUT_VERSION, LAYOUT_VERSION)
    s.sync()


def saved_layout() -> tuple[QByteArray, QByteArray] | None:
    """(geometry, state) saved by :func:`save_layout` for this layout version, or None."""
    s = user_settings()
    try:
        version = int(s.value(KEY_LAYOUT_VERSION, 0))
    except (TypeError, ValueError):
        return None
    geometry, state = s.value(KEY_GEOMETRY), s.value(KEY_STATE)
    if version != LAYOUT_VERSION or not isinstance(geometry, QByteArray):
        return None
    if not isinstance(state, QByteArray):
        return None
    return geometry, state


def forget_layout() -> None:
    s = user_settings()
    for key in (KEY_GEOMETRY, KEY_STATE, KEY_LAYOUT_VERSION):
        s.remove(key)


# ---------------------------------------------------------------- theme


def theme_choice() -> str:
    """ "system", "light" or "dark"."""
    value = str(user_settings().value(KEY_THEME, "system") or "system")
    return value if value in ("system", "light", "dark") else "system"


def set_theme_choice(choice: str) -> None:
    if choice not in ("system", "light", "dark"):
        raise ValueError(f"unknown theme {choice!r}")
    user_settings().setValue(KEY_THEME, choice)


# ---------------------------------------------------------------- language


def language_choice() -> str:
    """The language the user chose in View > Language: "system" (the default: follow
    the system) or a language code ("en", "ja"); gui.i18n.language_for reads it."""
    return str(user_settings().value(KEY_LANGUAGE, "system") or "system")


def set_language_choice(choice: str) -> None:
    """Remember View > Language's choice ("system" or a language code)."""
    user_settings().setValue(KEY_LANGUAGE, choice)


__all__ = [
    "APP_NAME",
    "MAX_RECENT",
    "ORGANIZATION",
    "add_recent_file",
    "clear_recent_files",
    "config_folder",
    "data_folder",
    "ensure_app_names",
    "forget_layout",
    "language_choice",
    "last_folder",
    "recent_files",
    "remember_folder",
    "save_layout",
    "saved_layout",
    "set_language_choice",
    "set_theme_choice",
    "theme_choice",
    "user_settings",
]
