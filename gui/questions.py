"""Questions without a nested event loop: the one way the app asks the user something.

:func:`ask_unsaved` (Save / Discard / Cancel) and :func:`ask_yes_no` open a window-modal
:class:`QMessageBox` with ``open()`` and return at once; the operation that asked goes
on in ``then(answer)`` when the user answers (in the GUI thread, from the event loop that
was already running). Every answer calls ``then`` - closing the box with Escape or its
title bar's close button answers "cancel" / no - exactly once.

Tests (and the automation modes, the screenshot tool and the benchmarks) answer through
the replaceable hook :data:`show`, called with the prepared box instead of
``box.open()``; see :func:`answer_with`. This mirrors :mod:`gui.file_dialogs`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

UNSAVED_BOX = "unsavedChangesBox"
QUESTION_BOX = "questionBox"

#: The answers of the Save / Discard / Cancel question.
UNSAVED_ANSWERS = ("save", "discard", "cancel")

_B = QMessageBox.StandardButton
_NAMES = {_B.Save: "save", _B.Discard: "discard", _B.Cancel: "cancel", _B.Yes: "yes", _B.No: "no"}


def open_box(box: QMessageBox) -> None:
    """The app's way to show a question: ``box.open()`` (window-modal; returns at once)."""
    box.open()


#: How a prepared box is shown: ``show(box)``. Tests replace it (see :func:`answer_with`);
#: the app's is ``box.open()``.
show: Callable[[QMessageBox], object] = open_box


def ask_unsaved(
    parent: QWidget, name: str, doing: str, then: Callable[[str], object]
) -> QMessageBox:
    """Ask whether to save the work of the session ``name`` before ``doing`` (e.g.
    "closing"); return the box at once. ``then(answer)`` runs once with "save",
    "discard" or "cancel" (Escape and closing the box: "cancel"). Save is the default
    button. The box deletes itself when it closes."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("questions", "Unsaved changes"),
        QCoreApplication.translate(
            "questions", "Save the changes to {name} before {doing}?"
        ).format(name=name, doing=doing),
        _B.Save | _B.Discard | _B.Cancel,
        parent,
    )
    box.setObjectName(UNSAVED_BOX)
    box.setInformativeText(
        QCoreApplication.translate(
            "questions",
            "Training progress and edits since the last save are lost if you discard them.",
        )
    )
    box.setDefaultButton(_B.Save)
    box.setEscapeButton(_B.Cancel)
    _finish(box, lambda answer: then(answer if answer in UNSAVED_ANSWERS else "cancel"))
    return box


def ask_yes_no(
    parent: QWidget, title: str, text: str, then: Callable[[bool], object]
) -> QMessageBox:
    """A yes/no question (window-modal over ``parent``'s window; No is the default and the
    Escape answer); return the box at once. ``then(True)`` runs once for yes,
    ``then(False)`` for no or a closed box. The box deletes itself when it closes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, _B.Yes | _B.No, parent)
    box.setObjectName(QUESTION_BOX)
    box.setDefaultButton(_B.No)
    box.setEscapeButton(_B.No)
    _finish(box, lambda answer: then(answer == "yes"))
    return box


def _finish(box: QMessageBox, then: Callable[[str], object]) -> None:
    """Show ``box`` (through :data:`show`) and call ``then`` with the name of the button
    that closed it ("cancel" if none did) when it finishes."""
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(_result: int) -> None:
        clicked = box.clickedButton()
        button = box.standardButton(clicked) if clicked is not None else _B.NoButton
        then(_NAMES.get(button, "cancel"))

    box.finished.connect(finished)
    show(box)


def answer_with(
    unsaved: str = "discard", yes: bool = False, asked: list[str] | None = None
) -> Callable[[QMessageBox], None]:
    """A :data:`show` for tests: answer every box at once, as the user would by clicking
    a button - the Save / Discard / Cancel question with ``unsaved``, a yes/no question
    with ``yes``. The text of each box asked is appended to ``asked`` if given."""
    if unsaved not in UNSAVED_ANSWERS:
        raise ValueError(f"unsaved must be one of {UNSAVED_ANSWERS}, not {unsaved!r}")

    def answer(box: QMessageBox) -> None:
        if asked is not None:
            asked.append(box.text())
        if box.objectName() == UNSAVED_BOX:
            button = {"save": _B.Save, "discard": _B.Discard, "cancel": _B.Cancel}[unsaved]
        else:
            button = _B.Yes if yes else _B.No
        box.button(button).click()

    return answer


__all__ = [
    "QUESTION_BOX",
    "UNSAVED_ANSWERS",
    "UNSAVED_BOX",
    "answer_with",
    "ask_unsaved",
    "ask_yes_no",
    "open_box",
    "show",
]
