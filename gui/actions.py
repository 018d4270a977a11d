"""A factory for the window's actions: objectName (the automation interface), text, key
bindings without duplicates, and the slot - used by the menus of every room (files,
window), so it lives below them."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def make_action(parent: QWidget, text: str, name: str, slot, keys=()) -> QAction:
    """An action ``name`` with ``text``, every key binding of ``keys`` (standard keys
    or key strings, without duplicates) and ``slot`` connected to ``triggered``."""
    action = QAction(text, parent, objectName=name)
    shortcuts = []
    for k in keys:
        seqs = (
            QKeySequence.keyBindings(k)
            if isinstance(k, QKeySequence.StandardKey)
            else [QKeySequence(k)]
        )
        shortcuts += [s for s in seqs if not s.isEmpty() and s not in shortcuts]
    if shortcuts:
        action.setShortcuts(shortcuts)
    action.triggered.connect(slot)
    return action


__all__ = ["make_action"]
