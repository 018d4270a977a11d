"""Opening is all or nothing (issue 13): a session the engine would not continue from is
refused with one line naming what is wrong, and the model, every panel, the controller
and the undo stack are exactly as before - for every refusal case, through File > Open
(a hostile Session behind the reader) and through the file itself. The window's
controls allow exactly the engine's ranges (engine.limits), which the readers check."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from backprop_lab.engine import limits
from backprop_lab.engine.data import load_csv
from backprop_lab.engine.formats.session import Session, data_for_session, save_session
from backprop_lab.engine.network import Network
from backprop_lab.gui.files import session_files as session_files_module
from backprop_lab.gui.model.session_file import session_of

from ..engine.test_session import _set, rewrite
from .session_util import assert_histories_equal, assert_states_equal, make_window, steps

BIG = 2**63 - 1


def _state(session: Session, **changes) -> Session:
    state = dataclasses.replace(session.trainer_state, **changes)
    return dataclasses.replace(session, trainer_state=state)


def _optimizer(session: Session, **changes) -> Session:
    return dataclasses.replace(session, optimizer={**session.optimizer, **changes})


def _weights(session: Session, value: float) -> Session:
    net = session.trainer_state.network
    flat = net.flat.copy()
    flat[1] = value
    return _state(session, network=Network.from_flat(net.architecture, flat))


def _csv(session: Session, tmp_path, change) -> Session:
    """The session on CSV data (the default example's rows written to a file), its arrays
    changed by ``change(arrays)``."""
    lines = ["a,b,label"] + [
        f"{float(x0)!r},{float(x1)!r},{int(k)}"
        for (x0, x1), k in zip(
            np.random.default_rng(0).normal(size=(60, 2)), np.arange(60) % 2, strict=True
        )
    ]
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(lines) + "\n")
    ds = load_csv(path, 1, 0.25, 0)
    recipe = {
        "kind": "csv",
        "path": str(path),
        "targets": 1,
        "val_split": 0.25,
        "seed": 0,
        "standardize": False,
    }
    data, arrays = data_for_session(ds, recipe)
    arrays = {k: np.array(v) for k, v in arrays.items()}
    change(arrays)
    s = dataclasses.replace(session, data=data, data_arrays=arrays)
    return _state(s, order=None, cursor=0)


def _no_rows(arrays):
    for k in ("x", "t", "labels"):
        arrays[k] = arrays[k][:0]


def _huge_row(arrays):
    arrays["x"][0, 0] = 1e308


def _far_curve(session: Session) -> Session:
    history = dict(session.history)
    recent = np.array(history["train-recent"])
    recent[-1, 0] = 1e306
    return dataclasses.replace(session, history={**history, "train-recent": recent})


#: name -> (how to make the hostile session from a good one, a word of the message)
HOSTILE = {
    "no training rows": (lambda s, p: _csv(s, p, _no_rows), "no training rows"),
    "data of 1e308": (lambda s, p: _csv(s, p, _huge_row), "at most 1e+150"),
    "adam beta1 = 1": (lambda s, p: _optimizer(s, beta1=1.0), "beta1"),
    "adam beta2 = 2": (lambda s, p: _optimizer(s, beta2=2.0), "beta2"),
    "eps = 0": (lambda s, p: _optimizer(s, eps=0.0), "eps"),
    "lr 1e300": (lambda s, p: _optimizer(s, lr=1e300), "lr"),
    "batch size 2**31-1": (lambda s, p: dataclasses.replace(s, batch_size=2**31 - 1), "batch"),
    "step 2**63-1": (lambda s, p: _state(s, step=BIG), "step"),
    "epoch 2**63-1": (lambda s, p: _state(s, epoch=BIG), "epoch"),
    "optimizer_t 2**63-1": (
        lambda s, p: _state(s, optimizer_state=s.trainer_state.optimizer_state._replace(t=BIG)),
        "optimizer_t",
    ),
    "weights of 1e308": (lambda s, p: _weights(s, 1e308), "at most 1e+154"),
    "curve x of 1e306": (lambda s, p: _far_curve(s), "x values"),
    "too wide for the builder": (None, "too wide"),
}


def what_the_window_shows(w) -> dict:
    """Everything a refused open must leave alone: the model, every panel's values, the
    controller's trainer and the undo stack."""
    lab, stack = w.lab, w.undo.stack
    return {
        "model": (
            lab.choice,
            lab.dataset,
            lab.spec,
            lab.dtype,
            lab.settings,
            lab.speed,
            lab.sample_index,
            lab.loss_log_scale,
        ),
        "data panel": (w.data_panel.choice, w.data_panel.dataset),
        "layer editor": (w.layer_editor.spec(), w.layer_editor.dataset),
        "training panel": (w.training_panel.settings(), w.training_panel.speed()),
        "trainer": (w.controller.trainer, w.controller.trainer.config),
        "undo": (
            stack.count(),
            stack.index(),
            stack.isClean(),
            [stack.text(i) for i in range(stack.count())],
        ),
        "title": (w.windowTitle(), w.session.path),
    }


def worked_window(qtbot, tmp_path):
    """A window with work in it: a saved session, Adam at 0.05, trained, an undoable
    edit (the learning rate) since the save."""
    w = make_window(qtbot)
    w.training_panel.optimizer_combo.setCurrentText("adam")
    steps(w, 6)
    assert w.save_session(tmp_path / "current.bplab")
    w.training_panel.lr_spin.setValue(0.05)
    steps(w, 2)
    assert w.undo.stack.count() >= 1
    return w


def assert_refused_and_unchanged(w, before: dict, state, history, word: str, opened) -> None:
    messages = []
    w.messageShown.connect(lambda title, text: messages.append((title, text)))
    assert not opened()
    assert messages and messages[-1][0] == "Cannot open the session", messages
    assert "\n" not in messages[-1][1] and word in messages[-1][1], messages[-1]
    assert what_the_window_shows(w) == before
    assert_states_equal(w.controller.trainer.get_state(), state)
    assert_histories_equal(w.lab.histories.state(), history)
    w.messageShown.disconnect()


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_refused_session_changes_nothing(qtbot, tmp_path, monkeypatch, case):
    make, word = HOSTILE[case]
    w = worked_window(qtbot, tmp_path)
    good = session_of(w.lab)
    if make is None:  # a network the builder cannot show
        monkeypatch.setattr(w.layer_editor, "fits", lambda spec, data=None: "too wide")
        hostile = good
    else:
        hostile = make(good, tmp_path)
    before = what_the_window_shows(w)
    state, history = w.controller.trainer.get_state(), w.lab.histories.state()

    monkeypatch.setattr(session_files_module, "load_session", lambda path: hostile)
    path = tmp_path / "hostile.bplab"
    assert_refused_and_unchanged(w, before, state, history, word, lambda: w.open_session(path))

    # and the window still works: Step, Save
    steps(w, 1)
    assert w.save_session(tmp_path / "after.bplab")


FILE_CASES = {
    "adam beta1 = 1": (_set("training", "optimizer", "beta1", 1.0), "beta1"),
    "lr 1e300": (_set("training", "optimizer", "lr", 1e300), "lr"),
    "batch size 2**31-1": (_set("training", "batch_size", 2**31 - 1), "batch_size"),
    "step 2**63-1": (_set("state", "step", BIG), "step"),
    "noise 5": (_set("data", "noise", 5.0), "noise"),
}


def test_hostile_files_are_refused_and_change_nothing(qtbot, tmp_path):
    w = worked_window(qtbot, tmp_path)
    good = tmp_path / "good.bplab"
    save_session(good, session_of(w.lab))
    before = what_the_window_shows(w)
    state, history = w.controller.trainer.get_state(), w.lab.histories.state()
    for name, (mutate, word) in FILE_CASES.items():
        path = rewrite(good, tmp_path / f"{name}.bplab", doc=mutate)
        assert_refused_and_unchanged(
            w, before, state, history, word, lambda p=path: w.open_session(p)
        )


def test_the_controls_allow_exactly_the_engines_ranges(qtbot):
    w = make_window(qtbot)
    p = w.training_panel
    assert (p.lr_spin.minimum(), p.lr_spin.maximum()) == limits.LEARNING_RATE
    assert (p.batch_spin.minimum(), p.batch_spin.maximum()) == (0, limits.BATCH_SIZE[1])
    assert limits.BATCH_SIZE[0] == 1  # 0 is "full"
    for spin in (p.l2_spin, p.l1_spin):
        assert (spin.minimum(), spin.maximum()) == limits.PENALTY
    d = w.data_panel
    assert (d.noise_spin.minimum(), d.noise_spin.maximum()) == limits.NOISE
    assert (d.seed_spin.minimum(), d.seed_spin.maximum()) == (0, limits.MAX_SEED)
    assert d.targets_spin.maximum() == limits.MAX_TARGETS
    assert w.layer_editor._seed_spin.maximum() == limits.MAX_SEED


def test_what_the_window_trains_with_is_what_the_session_said(qtbot, tmp_path):
    """Momentum, betas and eps have no control: a reopened session's values are trained
    with, and stay after the learning rate is edited (they used to fall back to the
    defaults silently at the next settings edit)."""
    w = worked_window(qtbot, tmp_path)
    chosen = {"lr": 0.003, "momentum": 0.8, "beta1": 0.5, "beta2": 0.99, "eps": 1e-6}
    path = tmp_path / "betas.bplab"
    save_session(path, _optimizer(session_of(w.lab), **chosen))
    assert w.open_session(path)
    assert w.training_panel.lr_spin.value() == 0.003

    def trained_with() -> dict:
        o = w.controller.trainer.config.optimizer
        return {k: getattr(o, k) for k in chosen}

    assert trained_with() == chosen
    w.training_panel.lr_spin.setValue(0.01)
    assert trained_with() == {**chosen, "lr": 0.01}
    assert session_of(w.lab).optimizer == {"name": "adam", **chosen, "lr": 0.01}
