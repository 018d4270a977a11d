"""How the window words an edit (undo labels: "layer 2 width 8 -> 16") and names the
engine's keys that are words (data sets "circles", initialisations "uniform"), in the
window's language at the time they are shown.

An :class:`EditLabel` keeps the parts of an edit's description - a phrase template and its
values - instead of finished text, so an undo command's label can be rendered again after
a language change (:meth:`EditLabel.text`). It *is* the English text (a ``str`` equal to
today's label: "layer 2 width 8 -> 16, activation tanh -> relu"), so code that compares
or logs it sees what it always saw.

Templates are marked with ``QT_TRANSLATE_NOOP("EditLabel", ...)`` (``pyside6-lupdate``
finds them; the catalogue "panels" of :data:`gui.i18n.CATALOGUES` holds them) and use Qt's
place markers ``%1``, ``%2``, ... (:func:`fill`); a value is a string, a number (``%g``
for floats) or another :class:`Phrase`, rendered in the same language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "EditLabel"
_MARKER = re.compile(r"%(\d)")

# ---------------------------------------------------------------- templates
LAYER = QT_TRANSLATE_NOOP("EditLabel", "layer %1 ")  # the prefix of a layer's change
WIDTH = QT_TRANSLATE_NOOP("EditLabel", "width %1 -> %2")
ACTIVATION = QT_TRANSLATE_NOOP("EditLabel", "activation %1 -> %2")
INSERT_LAYER = QT_TRANSLATE_NOOP("EditLabel", "insert layer %1 (%2 %3)")
REMOVE_LAYER = QT_TRANSLATE_NOOP("EditLabel", "remove layer %1 (%2 %3)")
MOVE_LAYER = QT_TRANSLATE_NOOP("EditLabel", "move layer %1 to %2")
OUTPUT = QT_TRANSLATE_NOOP("EditLabel", "output %1/%2 -> %3/%4")
BIASES_ON = QT_TRANSLATE_NOOP("EditLabel", "biases on")
BIASES_OFF = QT_TRANSLATE_NOOP("EditLabel", "biases off")
INIT = QT_TRANSLATE_NOOP("EditLabel", "initialisation %1 -> %2")
SEED = QT_TRANSLATE_NOOP("EditLabel", "seed %1 -> %2")
NETWORK = QT_TRANSLATE_NOOP("EditLabel", "network")
LEARNING_RATE = QT_TRANSLATE_NOOP("EditLabel", "learning rate %1 -> %2")
OPTIMISER = QT_TRANSLATE_NOOP("EditLabel", "optimiser %1 -> %2")
BATCH_SIZE = QT_TRANSLATE_NOOP("EditLabel", "batch size %1 -> %2")
FULL_BATCH = QT_TRANSLATE_NOOP("EditLabel", "full")
L2 = QT_TRANSLATE_NOOP("EditLabel", "L2 %1 -> %2")
L1 = QT_TRANSLATE_NOOP("EditLabel", "L1 %1 -> %2")
SETTINGS = QT_TRANSLATE_NOOP("EditLabel", "training settings")
DATA_FILE = QT_TRANSLATE_NOOP("EditLabel", "data %1")
DATA_SWITCH = QT_TRANSLATE_NOOP("EditLabel", "data %1 -> %2")
NOISE = QT_TRANSLATE_NOOP("EditLabel", "noise %1 -> %2")
SAMPLES = QT_TRANSLATE_NOOP("EditLabel", "samples %1 -> %2")
VAL_SHARE = QT_TRANSLATE_NOOP("EditLabel", "validation share %1 -> %2")
DATA_SEED = QT_TRANSLATE_NOOP("EditLabel", "data seed %1 -> %2")
RESET = QT_TRANSLATE_NOOP("EditLabel", "reset")
IMPORT = QT_TRANSLATE_NOOP("EditLabel", "import %1")
SEPARATOR = QT_TRANSLATE_NOOP("EditLabel", ", ")  # between the parts of one edit

# the engine's keys that are words: data sets, initialisations (the others - tanh, relu,
# sgd, adam, mse, bce, xavier, he, xor - are identifiers and stay as they are)
DATASET_NAMES = {
    "circles": QT_TRANSLATE_NOOP("EditLabel", "circles"),
    "gaussians": QT_TRANSLATE_NOOP("EditLabel", "gaussians"),
    "spiral": QT_TRANSLATE_NOOP("EditLabel", "spiral"),
    "spiral3": QT_TRANSLATE_NOOP("EditLabel", "spiral3"),
    "sine": QT_TRANSLATE_NOOP("EditLabel", "sine"),
    "plane": QT_TRANSLATE_NOOP("EditLabel", "plane"),
}
INIT_NAMES = {
    "uniform": QT_TRANSLATE_NOOP("EditLabel", "uniform"),
    "normal": QT_TRANSLATE_NOOP("EditLabel", "normal"),
}


def tr(text: str) -> str:
    """``text`` (a template of this module) in the window's language."""
    return QCoreApplication.translate(CONTEXT, text)


def fill(template: str, *values: object) -> str:
    """``template`` with Qt's markers ``%1``..``%9`` replaced by ``values`` in one pass (a
    value that contains "%2" is not filled again); a marker without a value stays."""

    def value(m: re.Match) -> str:
        i = int(m.group(1)) - 1
        return str(values[i]) if 0 <= i < len(values) else m.group(0)

    return _MARKER.sub(value, template)


class Phrase:
    """A template with its values, rendered in English (:meth:`english`) or in the
    window's language (:meth:`text`)."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, *values: object) -> None:
        self.template, self.values = template, values

    def english(self) -> str:
        """The phrase as the source text says it."""
        return fill(self.template, *(_value(v, english=True) for v in self.values))

    def text(self) -> str:
        """The phrase in the window's language now."""
        return fill(tr(self.template), *(_value(v, english=False) for v in self.values))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.template, self.values) == (
            other.template,
            other.values,
        )

    def __hash__(self) -> int:
        return hash((self.template, self.values))

    def __repr__(self) -> str:
        return f"Phrase({self.english()!r})"


def _value(v: object, english: bool) -> str:
    if isinstance(v, Phrase):
        return v.english() if english else v.text()
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def dataset_name(name: str) -> Phrase:
    """How the window names the data set ``name`` (a built-in's word, translated; any
    other name - "xor", a CSV file - as it is)."""
    return Phrase(DATASET_NAMES[name]) if name in DATASET_NAMES else Phrase("%1", name)


def init_name(name: str) -> Phrase:
    """How the window names the initialisation ``name`` ("uniform" is a word; "xavier"
    and "he" are names and stay)."""
    return Phrase(INIT_NAMES[name]) if name in INIT_NAMES else Phrase("%1", name)


class EditLabel(str):
    """An edit's description: its English text as a ``str``, and its parts (an optional
    prefix phrase and the phrases joined by ", ") to render it in the window's language
    with :meth:`text` - at any time, so an undo label follows a language change."""

    prefix: Phrase | None
    parts: tuple[Phrase, ...]

    def __new__(cls, parts: Sequence[Phrase], prefix: Phrase | None = None) -> EditLabel:
        parts = tuple(parts)
        head = prefix.english() if prefix is not None else ""
        self = super().__new__(cls, head + ", ".join(p.english() for p in parts))
        self.prefix, self.parts = prefix, parts
        return self

    @classmethod
    def of(cls, template: str, *values: object) -> EditLabel:
        """A one-phrase label."""
        return cls([Phrase(template, *values)])

    def text(self) -> str:
        """The label in the window's language now (English without a catalogue)."""
        head = self.prefix.text() if self.prefix is not None else ""
        return head + tr(SEPARATOR).join(p.text() for p in self.parts)


def label_text(label: str) -> str:
    """``label`` in the window's language: an :class:`EditLabel` rendered now, any other
    string as it is."""
    return label.text() if isinstance(label, EditLabel) else label


__all__ = [
    "DATASET_NAMES",
    "INIT_NAMES",
    "EditLabel",
    "Phrase",
    "dataset_name",
    "fill",
    "init_name",
    "label_text",
    "tr",
]
