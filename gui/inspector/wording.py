"""How the inspector writes numbers and counts.

Numbers: :func:`fmt`, the engine's :func:`~backprop_lab.engine.chainrule.number_text` (6
significant digits, never "-0"), so the inspector and the Markdown export agree.

Counts: a phrase with a count is translated with Qt's numerus form, ``self.tr`` of a
QObject with the literal and the count at the call site - the form ``pyside6-lupdate``
finds and marks numerus, so a ``.ts`` catalogue gets one entry per plural form (it
marks no ``QCoreApplication.translate`` call so)::

    counted(self.tr("%n path(s) from %1 to the loss.", "", n), n)

No English catalogue is shipped, and without one Qt returns the source text with ``%n``
filled in - "1 path(s)". :func:`counted` turns what came back untranslated into English
("1 path", "2 paths"); a catalogue's translation (Japanese, or an English one with numerus
forms) is kept as it is. Source texts therefore put the counted noun in Qt's "(s)" form and
avoid verbs that agree with it.
"""

from __future__ import annotations

from backprop_lab.engine.chainrule import number_text

UNTRANSLATED_PLURAL = "(s)"  # Qt's convention in numerus source texts


def fmt(v: float) -> str:
    """How every number is written (the same as the Markdown export): 6 significant
    digits, and a zero always as "0" (never "-0")."""
    return number_text(v)


def counted(translated: str, n: int) -> str:
    """``translated`` - what ``self.tr("... %n thing(s) ...", "", n)`` returned - made to
    read right in English when no catalogue translated it: "(s)" dropped for n == 1, "s"
    otherwise, and the count written with thousands separators like every other count in
    the window ("1,280 paths"). A translation is returned unchanged."""
    if UNTRANSLATED_PLURAL not in translated:
        return translated
    text = translated.replace(UNTRANSLATED_PLURAL, "" if n == 1 else "s")
    return text.replace(str(n), f"{n:,}", 1) if abs(n) >= 1000 else text


def grouped(text: str, n: int) -> str:
    """``text`` - a counted phrase, translated or not - with its count ``n`` written with
    thousands separators as in English ("1,280 paths", 「1,280 本の経路」), so that a
    translation shows the same numbers as the English text."""
    return text.replace(str(n), f"{n:,}", 1) if abs(n) >= 1000 else text


__all__ = ["counted", "fmt", "grouped"]
