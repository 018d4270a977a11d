"""How the inspector writes numbers.

Numbers: :func:`fmt`, the engine's :func:`~backprop_lab.engine.chainrule.number_text` (6
significant digits, never "-0"), so the inspector and the Markdown export agree.
"""

from __future__ import annotations

from backprop_lab.engine.chainrule import number_text


def fmt(v: float) -> str:
    """How every number is written (the same as the Markdown export): 6 significant
    digits, and a zero always as "0" (never "-0")."""
    return number_text(v)


__all__ = ["fmt"]
