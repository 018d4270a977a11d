"""What an engine error says, for a reader in any language: a stable ``kind`` (a
dotted name such as ``"csv.not_a_number"``) and its ``params`` (the numbers and names the
message is made of), beside the English message ``str(error)`` that the command line
prints.

The engine never translates: the window renders ``kind`` and ``params`` from its own
catalogue (``gui.messages.render``) and falls back to ``str(error)`` for a kind it does
not know. Every kind raised anywhere in the engine is a string literal passed as
``kind=`` (or a class's ``kind`` default), so a test can collect them all.
"""

from __future__ import annotations

from typing import Any

#: The kind of an error that gave none (its English message is all there is).
UNKNOWN_KIND = "other"


class Explained:
    """Mixin of the engine's errors: ``kind`` (str) and ``params`` (dict of plain values:
    str, int, float, bool or None)."""

    kind: str = UNKNOWN_KIND
    params: dict[str, Any]

    def explain(self, kind: str, params: dict[str, Any]) -> None:
        """Set ``kind`` and ``params`` (a copy)."""
        self.kind, self.params = kind, dict(params)


class EngineValueError(Explained, ValueError):
    """A ValueError that says its kind: ``EngineValueError(message, kind, **params)``;
    ``str(e)`` is ``message``."""

    def __init__(self, message: str, kind: str = UNKNOWN_KIND, **params: Any) -> None:
        super().__init__(message)
        self.explain(kind, params)


def kind_of(error: BaseException) -> tuple[str, dict[str, Any]]:
    """``(kind, params)`` of an engine error; ``(UNKNOWN_KIND, {})`` for any other."""
    if isinstance(error, Explained):
        return error.kind, dict(getattr(error, "params", {}))
    return UNKNOWN_KIND, {}


__all__ = ["UNKNOWN_KIND", "EngineValueError", "Explained", "kind_of"]
