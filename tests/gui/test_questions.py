"""The questions (gui/questions.py) run no nested event loop: closing, New and Open with
unsaved work and the crash-recovery offer open a window-modal QMessageBox and return at
once; the operation goes on when the real box is answered as the user would (a click on
its button, or Escape) after the triggering call has returned. (Each test shows the
boxes as the app does, ``questions.open_box``; tests/gui/conftest.py restores the
answering hook afterwards.) Edits of the network or
the data ask nothing: they are undoable, and the status bar says how."""

from __future__ import annotations

import pytest
from backprop_lab.engine.formats.session import load_session
from backprop_lab.gui import questions
from backprop_lab.gui.files.autosave import autosave_root
from backprop_lab.gui.model.session_file import session_of
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from .session_util import WAIT_MS, assert_states_equal, make_window, steps
from .test_crash_recovery import write_autosave

B = QMessageBox.StandardButton


def open_box(w, name: str) -> QMessageBox:
    """The one visible question box ``name`` of window ``w``."""
    boxes = [b for b in w.findChildren(QMessageBox, name) if b.isVisible()]
    assert len(boxes) == 1, boxes
    return boxes[0]


def unsaved_window(qtbot, tmp_path):
    w = make_window(qtbot)
    questions.show = questions.open_box  # as the app shows them (make_window answers)
    path = tmp_path / "s.bplab"
    assert w.save_session(path)
    steps(w, 4)
    w.show()
    qtbot.waitExposed(w)
    return w, path


@pytest.mark.parametrize("answer", ["discard", "save", "cancel"])
def test_closing_with_unsaved_work_asks_without_blocking(qtbot, tmp_path, answer):
    w, path = unsaved_window(qtbot, tmp_path)
    before = path.read_bytes()
    assert not w.close()  # returned at once: the box is open, the close event ignored
    box = open_box(w, questions.UNSAVED_BOX)
    assert box.isModal() and box.windowModality() == Qt.WindowModality.WindowModal
    assert box.text() == "Save the changes to s.bplab before closing?"
    assert box.defaultButton() is box.button(B.Save)
    assert w.isVisible()
    box.button({"discard": B.Discard, "save": B.Save, "cancel": B.Cancel}[answer]).click()
    if answer == "cancel":
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT_MS)
        assert w.isVisible() and w.session.is_modified()
        steps(w, 1)  # still alive and usable
        return
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT_MS)
    if answer == "save":
        assert load_session(path).trainer_state.step == 4
    else:
        assert path.read_bytes() == before


def test_escape_on_the_unsaved_question_cancels(qtbot, tmp_path):
    w, _ = unsaved_window(qtbot, tmp_path)
    assert not w.close()
    box = open_box(w, questions.UNSAVED_BOX)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT_MS)
    assert w.isVisible() and w.controller.trainer.step_count == 4
    assert not w.close()  # asked again
    open_box(w, questions.UNSAVED_BOX).button(B.Discard).click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT_MS)


def test_closing_twice_asks_once(qtbot, tmp_path):
    w, _ = unsaved_window(qtbot, tmp_path)
    assert not w.close()
    assert not w.close()
    assert len([b for b in w.findChildren(QMessageBox) if b.isVisible()]) == 1
    open_box(w, questions.UNSAVED_BOX).button(B.Discard).click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT_MS)


def test_new_asks_without_blocking_and_goes_on_after_discard(qtbot, tmp_path):
    w, _ = unsaved_window(qtbot, tmp_path)
    w.action_new.trigger()  # returns at once
    box = open_box(w, questions.UNSAVED_BOX)
    assert box.text() == "Save the changes to s.bplab before starting a new session?"
    assert w.controller.trainer.step_count == 4  # nothing done yet
    box.button(B.Discard).click()
    qtbot.waitUntil(lambda: w.controller.trainer.step_count == 0, timeout=WAIT_MS)
    assert w.session.name == "Untitled" and not w.session.is_modified()


def test_open_session_cancelled_changes_nothing(qtbot, tmp_path):
    w, path = unsaved_window(qtbot, tmp_path)
    assert not w.open_session(path)  # the question is open: not opened (yet)
    open_box(w, questions.UNSAVED_BOX).button(B.Cancel).click()
    qtbot.waitUntil(lambda: not w.findChildren(QMessageBox), timeout=WAIT_MS)
    assert w.controller.trainer.step_count == 4
    assert w.session.is_modified()


def test_recovery_offer_asks_without_blocking(qtbot):
    donor = make_window(qtbot)
    steps(donor, 9)
    expected = donor.controller.trainer.get_state()
    write_autosave(autosave_root() / "run-99998-dead", session_of(donor.lab))
    w = make_window(qtbot)
    questions.show = questions.open_box
    w.show()
    qtbot.waitExposed(w)
    decided = []
    assert not w.recovery.offer_recovery(decided.append)  # returned at once
    box = open_box(w, questions.QUESTION_BOX)
    assert "iteration 9" in box.text()
    assert box.defaultButton() is box.button(B.No)
    assert decided == [] and w.controller.trainer.step_count == 0
    box.button(B.Yes).click()
    qtbot.waitUntil(lambda: decided == [True], timeout=WAIT_MS)
    assert_states_equal(w.controller.trainer.get_state(), expected)


def test_answer_with_checks_its_answer():
    with pytest.raises(ValueError, match="unsaved must be one of"):
        questions.answer_with("yes")


# ------------------------------------------------------------ edits ask nothing
@pytest.mark.parametrize("edit", ["architecture", "data"])
def test_an_edit_asks_nothing_and_says_how_to_undo_it(qtbot, edit):
    w = make_window(qtbot)
    questions.show = questions.open_box
    w.show()
    qtbot.waitExposed(w)
    steps(w, 5)
    trained = w.controller.trainer.get_state()
    if edit == "architecture":
        w.layer_editor.set_layer(0, width=3)
        assert w.controller.network.architecture.sizes == (2, 3, 8, 1)
    else:
        combo = w.data_panel.source_combo
        combo.setCurrentIndex(combo.findText("xor"))
        qtbot.waitUntil(lambda: w.lab.dataset.name.startswith("xor"), timeout=WAIT_MS)
    assert not [b for b in w.findChildren(QMessageBox) if b.isVisible()]  # nothing asked
    assert w.controller.trainer.step_count == 0
    message = w.statusBar().currentMessage()
    keys = w.action_undo.shortcut().toString()
    assert "starts afresh" in message and f"Edit > Undo ({keys})" in message, message
    w.action_undo.trigger()
    assert_states_equal(w.controller.trainer.get_state(), trained)


def test_an_edit_before_training_says_undo_takes_it_back(qtbot):
    w = make_window(qtbot)
    w.layer_editor.set_layer(0, width=5)
    message = w.statusBar().currentMessage()
    assert message.startswith("Changed the network (") and "takes it back" in message
    assert "afresh" not in message
