"""Counted phrases in English without a catalogue.

A phrase with a count is marked ``self.tr("%n parameter(s)", "", n)`` (Qt's numerus form,
which ``pyside6-lupdate`` finds in ``self.tr`` calls); the Japanese catalogue translates it
(「33 個のパラメーター」). No English catalogue is shipped, so in English Qt returns the
source with ``%n`` filled in - "1 parameter(s)" - and :func:`counted` makes it read right.
The same rule as ``gui.inspector.wording.counted`` (the inspector's room, which the panels
may not import).
"""

from __future__ import annotations

UNTRANSLATED_PLURAL = "(s)"  # Qt's convention in numerus source texts


def counted(translated: str, n: int) -> str:
    """``translated`` - what ``self.tr("... %n thing(s) ...", "", n)`` returned - made to
    read right in English when no catalogue translated it: "(s)" dropped for n == 1, "s"
    otherwise, and the count written with thousands separators ("1,280 samples"). A
    translated count gets the separators too; its words are kept as they are."""
    if abs(n) >= 1000:
        translated = translated.replace(str(n), f"{n:,}", 1)
    if UNTRANSLATED_PLURAL not in translated:
        return translated
    return translated.replace(UNTRANSLATED_PLURAL, "" if n == 1 else "s")


__all__ = ["counted"]
