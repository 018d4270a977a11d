"""The file dialogs (gui/file_dialogs.py) run no nested event loop: every menu item or
button that asks for a file opens a window-modal QFileDialog and returns at once; the
operation continues when a file is chosen, and a cancelled dialog does nothing.

Each case answers the real dialog as the user would (select a file, accept) after the
triggering call has returned."""

from __future__ import annotations

import os

import pytest
from backprop_lab.gui import file_dialogs
from backprop_lab.gui import settings as user
from backprop_lab.gui.files.session_files import SESSION_FILTER
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from .session_util import make_window


def open_dialog(w) -> QFileDialog:
    dialogs = [d for d in w.findChildren(QFileDialog, file_dialogs.DIALOG_NAME) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def trigger_export_plot(w):
    next(a for a in w.findChildren(type(w.action_open)) if a.data() == "loss_plot").trigger()


# (how to ask, title, filters offered, proposed file name or None, save dialog?,
#  the method the choice continues in: (object path from the window, attribute))
CASES = {
    "open session": (
        lambda w: w.action_open.trigger(),
        "Open session", SESSION_FILTER, None, False,
        ("file_operations", "start"),
    ),
    "save session as": (
        lambda w: w.action_save_as.trigger(),
        "Save session", SESSION_FILTER, "session.bplab", True,
        ("session", "_start_save_to"),
    ),
    "export weights": (
        lambda w: w.action_export.trigger(),
        "Export weights", None, "network.json", True,
        ("weight_files", "start_export"),
    ),
    "import weights": (
        lambda w: w.action_import.trigger(),
        "Import weights", None, None, False,
        ("weight_files", "start_import"),
    ),
    "export plot": (
        trigger_export_plot,
        "Export plot", None, "loss-plot.png", True,
        ("plot_files", "start_export_plot"),
    ),
    "export loss csv": (
        lambda w: w.plot_files.action_export_csv.trigger(),
        "Export loss history", "CSV table (*.csv)", "loss-history.csv", True,
        ("plot_files", "export_loss_csv"),
    ),
    "export derivation": (
        lambda w: w.stepping._on_export_derivation(),
        "Export derivation", "Markdown (*.md)", "derivation.md", True,
        ("stepping", "export_derivation"),
    ),
    "import csv": (
        lambda w: w.data_panel.import_button.click(),
        "Import CSV", "CSV files (*.csv)", None, False,
        ("data_panel", "load_csv_file"),
    ),
}  # fmt: skip


def record_continuation(w, monkeypatch, where):
    owner_name, attr = where
    owner = getattr(w, owner_name)
    calls = []
    monkeypatch.setattr(owner, attr, lambda *a, **k: calls.append(a) or True)
    return calls


def mark_modified_session(w):
    w.controller.step()  # something to save


@pytest.mark.parametrize("case", list(CASES))
def test_the_dialog_is_window_modal_and_the_call_returns_before_it_is_answered(
    qtbot, monkeypatch, tmp_path, case
):
    ask, title, filters, proposed, save, where = CASES[case]
    monkeypatch.setattr(user, "last_folder", lambda: str(tmp_path))
    w = make_window(qtbot)
    w.show()
    calls = record_continuation(w, monkeypatch, where)
    ask(w)  # returns: no nested event loop ran the dialog
    d = open_dialog(w)
    assert d.windowModality() == Qt.WindowModality.WindowModal
    assert d.window() is d and d.parentWidget().window() is w
    assert d.windowTitle() == title
    assert d.acceptMode() == (
        QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen
    )
    if filters is not None:
        assert d.nameFilters()[0] == filters
    assert os.path.samefile(d.directory().path(), tmp_path)  # the remembered folder
    if proposed is not None:
        assert [os.path.basename(f) for f in d.selectedFiles()] == [proposed]
    assert calls == []  # nothing happens until the user answers

    d.reject()
    qtbot.waitUntil(lambda: not d.isVisible())
    assert calls == []  # cancelled: nothing happens


@pytest.mark.parametrize("case", list(CASES))
def test_choosing_a_file_continues_the_operation_with_it(qtbot, monkeypatch, tmp_path, case):
    ask, _title, _filters, _proposed, save, where = CASES[case]
    monkeypatch.setattr(user, "last_folder", lambda: str(tmp_path))
    w = make_window(qtbot)
    w.show()
    calls = record_continuation(w, monkeypatch, where)
    target = tmp_path / ("chosen.csv" if not save else "chosen.out")
    if not save:
        target.write_text("x,y\n1,2\n")
    ask(w)
    d = open_dialog(w)
    d.selectFile(str(target))
    d.accept()
    assert len(calls) == 1
    args = calls[0]
    chosen = [a for a in args if isinstance(a, str) and a.startswith(str(tmp_path))]
    if case == "open session":
        chosen = [args[0].label]  # a FileOperation: its label names the file
        assert "chosen.csv" in chosen[0]
    else:
        assert chosen and chosen[0] == str(target)


def test_a_save_dialog_adds_the_default_suffix_of_the_chosen_filter(qtbot, monkeypatch, tmp_path):
    w = make_window(qtbot)
    calls = record_continuation(w, monkeypatch, ("weight_files", "start_export"))
    monkeypatch.setattr(file_dialogs, "show", file_dialogs.answer_with(tmp_path / "net"))
    w.action_export.trigger()
    assert calls == [(str(tmp_path / "net") + ".json",)]
    assert user.last_folder() == str(tmp_path)  # remembered for the next dialog


def test_answer_with_none_cancels(qtbot, monkeypatch):
    w = make_window(qtbot)
    calls = record_continuation(w, monkeypatch, ("weight_files", "start_import"))
    monkeypatch.setattr(file_dialogs, "show", file_dialogs.answer_with(None))
    w.action_import.trigger()
    assert calls == []
