"""The model of the lab without any window: build it, edit it, train a little with the
engine, save a session file and reopen it, undo and redo edits.

No MainWindow and no widget is created here (a QApplication exists: pytest-qt's)."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.formats.session import load_session, save_session
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.trainer import Trainer
from backprop_lab.engine.transport.snapshot import make_snapshot
from backprop_lab.gui.model.lab import ASPECTS, LabModel, training_config
from backprop_lab.gui.model.records import DataChoice, NetworkSpec, Problem, TrainingSettings
from backprop_lab.gui.model.session_file import (
    apply_problem,
    apply_session,
    progress_of,
    session_of,
)
from backprop_lab.gui.model.undo import UndoRecorder

CHOICE = DataChoice(
    source="circles", noise=0.1, samples=80, val_split=0.25, seed=3, standardize=False
)
SPEC = NetworkSpec(Architecture.build(2, [6], 1, "tanh", "sigmoid"), "bce", "xavier", 5)
SETTINGS = TrainingSettings(learning_rate=0.3, optimizer="sgd", batch_size=16)


def dataset(choice: DataChoice = CHOICE):
    return make_dataset(choice.source, choice.samples, choice.noise, choice.seed, choice.val_split)


class FakeTrainingProcess:
    """What the controller does for the model, with the engine in the test's thread:
    (re)build the trainer from the model's problem, train, report snapshots and state."""

    def __init__(self, lab: LabModel) -> None:
        self.lab = lab
        self.trainer: Trainer | None = None
        lab.changed.connect(self.on_changed)
        lab.attach_run(self.run, settle=lambda: None)
        self.rebuild()

    def run(self):
        t = self.trainer
        return (None, None) if t is None else (t.get_state(), t.config)

    def rebuild(self) -> None:
        lab = self.lab
        d, spec = lab.dataset, lab.spec
        self.trainer = Trainer(
            init_network(spec.architecture, spec.init, spec.seed, lab.dtype),
            d.x, d.targets(spec.loss), lab.training_config(),
            d.x_val, d.targets(spec.loss, "val"),
        )  # fmt: skip

    def on_changed(self, aspect: str) -> None:
        if aspect in ("problem", "data", "spec"):
            self.lab.announce_clear()
            self.lab.clear_history()
            self.rebuild()
        elif aspect == "settings":
            self.trainer.set_config(self.lab.training_config())
        elif aspect == "run":
            state, config = self.lab.given_run
            if config is not None:
                self.trainer.set_config(config)
            if state is not None:
                self.trainer.set_state(state)

    def train(self, iterations: int) -> None:
        steps, losses, norms, rec = [], [], [], None
        for _ in range(iterations):
            rec = self.trainer.step()
            steps.append(rec.step)
            losses.append(rec.loss.value)
            norms.append(rec.backward.grad_norms)
        depth = self.trainer.network.depth
        snap = make_snapshot(self.trainer, steps, losses, np.reshape(norms, (-1, depth)), rec)
        self.lab.record(snap)


@pytest.fixture
def lab(qapp):
    return LabModel(CHOICE, dataset(), SPEC, SETTINGS)


def test_edits_emit_the_aspect_that_changed(lab):
    seen: list[str] = []
    lab.changed.connect(seen.append)
    lab.set_settings(SETTINGS)  # the same: nothing changes
    lab.set_speed(None)
    lab.set_sample_index(0)
    assert seen == []
    wider = NetworkSpec(Architecture.build(2, [12], 1, "tanh", "sigmoid"), "bce", "xavier", 5)
    lab.set_spec(wider, edit="layer 1 width 6 -> 12")
    lab.set_settings(TrainingSettings(learning_rate=0.1, optimizer="adam", batch_size=None))
    lab.set_speed(30.0)
    lab.set_sample_index(4)
    lab.select_weight((1, 2, 0))
    lab.set_loss_log_scale(True)
    assert seen == ["spec", "settings", "speed", "sample", "selection", "view"]
    assert set(seen) <= set(ASPECTS)
    assert lab.spec == wider and lab.last_edit == "layer 1 width 6 -> 12"
    assert lab.problem == Problem(CHOICE, lab.dataset, wider, "float64")
    assert lab.training_config() == training_config(lab.settings, wider)
    assert lab.training_config().batch_size is None
    assert lab.selected == (1, 2, 0) and lab.speed == 30.0 and lab.loss_log_scale


def test_histories_grow_with_snapshots_and_clear(lab):
    run = FakeTrainingProcess(lab)
    run.train(5)
    run.train(3)
    x, y = lab.histories.train.arrays()
    assert list(x) == list(range(1, 9)) and np.all(np.isfinite(y))
    assert lab.histories.norms.columns == 2  # one line per layer
    assert len(lab.histories.eval) == 2  # one evaluation per snapshot
    state = lab.histories.state()
    assert {k.split("-")[0] for k in state} == {"train", "eval", "norms"}
    lab.clear_history()
    assert len(lab.histories.train) == 0 and len(lab.histories.norms) == 0


def test_save_and_reopen_a_session_file_without_a_window(lab, tmp_path):
    run = FakeTrainingProcess(lab)
    lab.set_settings(TrainingSettings(learning_rate=0.2, optimizer="adam", batch_size=8))
    lab.set_speed(10.0)
    lab.set_sample_index(7)
    lab.set_loss_log_scale(True)
    run.train(12)
    session = session_of(lab, source_path="/somewhere/work.bplab")
    assert session.trainer_state.step == 12
    path = tmp_path / "work.bplab"
    save_session(path, session)

    other = LabModel(DataChoice(source="spiral"), dataset(DataChoice(source="spiral")),
                     NetworkSpec(Architecture.build(2, [3], 1, "tanh", "sigmoid"), "bce"),
                     TrainingSettings())  # fmt: skip
    other_run = FakeTrainingProcess(other)
    problems = apply_session(other, load_session(path))
    assert problems == []
    assert other.problem.choice == CHOICE and other.spec == SPEC
    assert np.array_equal(other.dataset.x, lab.dataset.x)
    assert other.settings == lab.settings
    assert (other.speed, other.sample_index, other.loss_log_scale) == (10.0, 7, True)
    for name, a in lab.histories.state().items():
        assert np.array_equal(other.histories.state()[name], a), name
    # the reopened run continues with exactly the numbers the first would have given
    run.train(4)
    other_run.train(4)
    assert other.run.step == lab.run.step == 16
    assert np.array_equal(other.run.network.flat, lab.run.network.flat)
    assert np.array_equal(other.histories.train.arrays()[1], lab.histories.train.arrays()[1])


def test_a_session_that_does_not_fit_changes_nothing(lab):
    FakeTrainingProcess(lab)
    session = session_of(lab)
    before = (lab.problem, lab.settings)
    with pytest.raises(ValueError, match="too wide"):
        apply_session(lab, session, fits=lambda spec, data: "too wide")
    assert (lab.problem, lab.settings) == before


def test_undo_and_redo_edits_of_the_model(lab):
    run = FakeTrainingProcess(lab)
    undo = UndoRecorder(lab)
    stack = undo.stack
    run.train(10)
    trained = lab.run.network.flat.copy()
    trained_curve = lab.histories.train.arrays()[1].copy()
    # an edit that re-initialises the network keeps the progress it replaced
    wider = NetworkSpec(Architecture.build(2, [9], 1, "tanh", "sigmoid"), "bce", "xavier", 5)
    lab.set_spec(wider, edit="layer 1 width 6 -> 9")
    assert stack.count() == 1 and stack.undoText() == "layer 1 width 6 -> 9"
    assert lab.run.step == 0 and len(lab.histories.train) == 0
    new = TrainingSettings(learning_rate=1.0, optimizer="sgd", batch_size=16)
    lab.set_settings(new)
    assert stack.count() == 2 and stack.undoText() == "learning rate 0.3 -> 1"
    assert run.trainer.config.optimizer.lr == 1.0

    stack.undo()
    assert lab.settings == SETTINGS and run.trainer.config.optimizer.lr == 0.3
    stack.undo()
    assert lab.spec == SPEC and lab.run.step == 10
    assert np.array_equal(lab.run.network.flat, trained)  # the trained network is back
    assert np.array_equal(lab.histories.train.arrays()[1], trained_curve)
    stack.redo()
    assert lab.spec == wider and lab.run.step == 0
    stack.redo()
    assert lab.settings == new
    assert not stack.canRedo()


def test_data_edits_are_labelled_and_undone(lab):
    FakeTrainingProcess(lab)
    undo = UndoRecorder(lab)
    spiral = DataChoice(source="spiral", noise=0.1, samples=80, val_split=0.25, seed=3)
    before = lab.problem
    lab.set_problem(Problem(spiral, dataset(spiral), SPEC), aspect="data")
    assert undo.stack.undoText() == "data circles -> spiral"
    undo.stack.undo()
    assert lab.problem == before
    # programmatic changes (a file, undo itself) are not edits
    apply_problem(lab, Problem(spiral, dataset(spiral), SPEC))
    assert undo.stack.count() == 1


def test_progress_of_is_none_before_training(lab):
    FakeTrainingProcess(lab)
    assert progress_of(lab) is None
    assert progress_of(lab, always=True).step == 0
