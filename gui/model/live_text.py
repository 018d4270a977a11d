"""A text that can say itself again in the language of the moment.

A view that keeps a text made elsewhere (the phase frame's "which data" sentence, the
inspector's label of a request) must show it in the new language when the user switches
(gui.i18n): :class:`LiveText` is that text - a ``str``, so it goes wherever a str goes -
that remembers how it was made; :func:`reworded` makes it again in today's language
(a plain str is returned as it is).
"""

from __future__ import annotations

from collections.abc import Callable


class LiveText(str):
    """``render()``'s text now; :meth:`again` renders it once more (after a language
    change). ``render`` takes no arguments and returns the text in the current language."""

    _render: Callable[[], str]

    def __new__(cls, render: Callable[[], str]) -> LiveText:
        text = super().__new__(cls, render())
        text._render = render
        return text

    def again(self) -> LiveText:
        """The same text in the current language."""
        return LiveText(self._render)


def reworded(text: str) -> str:
    """``text`` in the current language if it is a :class:`LiveText`, else ``text``."""
    return text.again() if isinstance(text, LiveText) else text


__all__ = ["LiveText", "reworded"]
