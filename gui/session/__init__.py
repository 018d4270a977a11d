"""Issue 5's desktop conventions, attached to the main window by
:class:`~gui.session.session_manager.SessionManager`: session files, undo/redo, autosave
and crash recovery, remembered layout and settings, themes, plot export, Help."""

from __future__ import annotations

__all__ = ["SessionManager"]


def __getattr__(name: str):
    if name == "SessionManager":
        from .session_manager import SessionManager

        return SessionManager
    raise AttributeError(f"module 'gui.session' has no attribute {name!r}")
