"""File dialogs without a nested event loop: the one way the app asks for a file name.

:func:`ask_open_file` and :func:`ask_save_file` open a window-modal :class:`QFileDialog`
with ``open()`` and return at once; the operation continues in ``then(path, filter)``
when the user chooses a file (in the GUI thread, from the event loop that was already
running). Cancelling calls nothing. The dialogs are the ones the static
``QFileDialog.getOpenFileName`` / ``getSaveFileName`` showed (title, start folder or
file, filters; Save asks before replacing a file); callers keep their own suffix
handling and remember the folder (``gui.settings.remember_folder``) as before.

Tests answer the dialogs through the replaceable hook :data:`show` (it is called with
the dialog instead of ``dialog.open()``); see :func:`answer_with`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

DIALOG_NAME = "fileDialog"

#: ``then(path, chosen_filter)``: the continuation of the operation that asked.
Continuation = Callable[[str, str], object]


def all_files_filter() -> str:
    """The "All files (*)" filter every dialog ends with, in the current language."""
    return QCoreApplication.translate("file_dialogs", "All files (*)")


def _open(dialog: QFileDialog) -> None:
    dialog.open()  # window-modal; returns at once


#: How a prepared dialog is shown: ``show(dialog)``. Tests replace it (see
#: :func:`answer_with`); the app's is ``dialog.open()``.
show: Callable[[QFileDialog], object] = _open


def ask_open_file(
    parent: QWidget, title: str, start: str, filters: str, then: Continuation
) -> QFileDialog:
    """Ask for an existing file to open (window-modal over ``parent``'s window, starting
    in the folder ``start``, offering ``filters`` - ``;;``-separated as Qt's); return the
    dialog at once. ``then(path, chosen_filter)`` runs when a file is chosen; nothing
    runs on cancel. The dialog deletes itself when it closes."""
    return _ask(parent, title, start, filters, then, save=False)


def ask_save_file(
    parent: QWidget, title: str, start: str, filters: str, then: Continuation
) -> QFileDialog:
    """Ask for a file name to save under (window-modal, starting at ``start`` - a folder
    or a proposed file path, offering ``filters``); return the dialog at once. Choosing an
    existing file asks before replacing it, as Qt's save dialog does.
    ``then(path, chosen_filter)`` runs when a name is chosen (the path as typed: callers
    add a default suffix); nothing runs on cancel. The dialog deletes itself."""
    return _ask(parent, title, start, filters, then, save=True)


def _ask(
    parent: QWidget, title: str, start: str, filters: str, then: Continuation, *, save: bool
) -> QFileDialog:
    dialog = QFileDialog(parent, title, start, filters)  # a file in ``start`` is selected
    dialog.setObjectName(DIALOG_NAME)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen(path: str) -> None:
        if path:
            then(path, dialog.selectedNameFilter())

    dialog.fileSelected.connect(chosen)
    show(dialog)
    return dialog


def answer_with(path: str | None) -> Callable[[QFileDialog], None]:
    """A :data:`show` for tests: answer every dialog at once with ``path`` (chosen as the
    user would: selected, then accepted; an existing file is replaced without asking) or,
    for None, cancel it."""

    def answer(dialog: QFileDialog) -> None:
        if path is None:
            dialog.reject()
            return
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
        dialog.selectFile(str(path))
        dialog.accept()

    return answer


__all__ = [
    "DIALOG_NAME",
    "Continuation",
    "all_files_filter",
    "answer_with",
    "ask_open_file",
    "ask_save_file",
    "show",
]
