"""The model and the session file (``.bplab``, :mod:`engine.formats.session`): what a
session file, an autosave and an undo step hold, read from and written to a
:class:`~gui.model.lab.LabModel` - never from widgets.

:func:`session_of` turns the model into an ``engine.formats.Session``;
:func:`apply_session` puts one back so that the next iteration gives the numbers it
would have given had the window never closed. :func:`apply_problem` does the same for
a Problem and an optional Progress (undo/redo); :func:`progress_of` is where the run
stands (its exact trainer state and histories).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

from backprop_lab.engine import __version__
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.formats import Session
from backprop_lab.engine.formats.session import (
    check_session,
    data_for_session,
    session_config,
    session_dataset,
)
from backprop_lab.engine.trainer import TrainerState

from .lab import LabModel
from .records import DataChoice, NetworkSpec, Problem, Progress, TrainingSettings

#: settings["gui"] keys of a session file (besides what the engine's fields hold)
GUI_KEY = "gui"

#: checks that a spec fits the data: (spec, dataset) -> why not, or None
FitCheck = Callable[[NetworkSpec, Dataset], str | None]


def progress_of(lab: LabModel, *, always: bool = False) -> Progress | None:
    """The exact progress of the run (training is paused first), or None when nothing
    has been trained since the network was initialised (unless ``always``)."""
    lab.settle()
    state = lab.run
    if state is None or (state.step == 0 and not always):
        return None
    return Progress(state, lab.histories.state())


def data_recipe(choice: DataChoice) -> dict:
    """The session file's data recipe for the data panel's ``choice``."""
    if choice.source == "csv":
        return {
            "kind": "csv",
            "path": choice.csv_path,
            "targets": int(choice.targets),
            "val_split": float(choice.val_split),
            "seed": int(choice.seed),
            "standardize": bool(choice.standardize),
        }
    return {
        "kind": "builtin",
        "name": choice.source,
        "n": int(choice.samples),
        "noise": float(choice.noise),
        "seed": int(choice.seed),
        "val_split": float(choice.val_split),
        "standardize": False,
    }


def choice_from_recipe(data: dict) -> DataChoice:
    """The data panel's choice for a session file's data recipe."""
    if data.get("kind") == "csv":
        return DataChoice(
            source="csv",
            csv_path=str(data.get("path", "")),
            targets=int(data.get("targets", 1)),
            val_split=float(data["val_split"]),
            seed=int(data["seed"]),
            # a recipe always names it (the schema requires the key); were it missing, it
            # would be from before the default changed to off, when CSV data was
            # standardised unless the user said otherwise: keep that file's meaning
            standardize=bool(data.get("standardize", True)),
        )
    return DataChoice(
        source=str(data["name"]),
        noise=float(data["noise"]),
        samples=int(data["n"]),
        val_split=float(data["val_split"]),
        seed=int(data["seed"]),
        standardize=False,
    )


def gui_settings(lab: LabModel) -> dict:
    """The settings a session keeps besides the engine's (plain JSON)."""
    return {
        "speed": None if lab.speed is None else float(lab.speed),
        "sample_index": int(lab.sample_index),
        "loss_log_scale": bool(lab.loss_log_scale),
    }


def session_of(
    lab: LabModel, state: TrainerState | None = None, *, source_path: str = ""
) -> Session | None:
    """The model's work as a Session: ``state`` (default: the run's newest exact state,
    which pauses nothing while playing - then it is the worker's last checkpoint) with
    the problem, the configuration, the settings and the histories. None if there is no
    run yet."""
    config = lab.config
    if state is None:
        state = lab.run
    if config is None or state is None:
        return None
    problem = lab.problem
    data, arrays = data_for_session(problem.dataset, data_recipe(problem.choice))
    settings = {GUI_KEY: gui_settings(lab)}
    if source_path:
        settings[GUI_KEY]["source_path"] = os.fspath(source_path)
    o = config.optimizer
    return Session(
        trainer_state=state,
        loss=config.loss,
        optimizer={k: getattr(o, k) for k in ("name", "lr", "momentum", "beta1", "beta2", "eps")},
        batch_size=None if config.batch_size is None else int(config.batch_size),
        l2=config.l2,
        l1=config.l1,
        train_seed=config.seed,
        init=problem.spec.init,
        init_seed=problem.spec.seed,
        dtype=state.network.dtype.name,
        data=data,
        data_arrays=dict(arrays or {}),
        history=lab.histories.state(),
        settings=settings,
        app_version=__version__,
    )


def apply_problem(lab: LabModel, problem: Problem, progress: Progress | None = None) -> None:
    """Make ``problem`` the model's (the network is re-initialised from its spec);
    then continue from ``progress`` (exact state and histories) if given."""
    lab.set_problem(problem)
    if progress is not None:
        lab.set_run(progress.state, lab.config)
        lab.restore_history(progress.history)


def check_session_fits(session: Session, fits: FitCheck | None = None) -> Problem:
    """The Problem ``session`` makes, after checking all of it the way the engine checks
    a file (:func:`engine.formats.session.check_session`: every value in the window's
    ranges, data that fit the network, at least one training row, a state the trainer
    can continue from) and that ``fits`` (the builder) can show its network. Raises
    ValueError (one line) for the first problem; changes nothing."""
    check_session(session)
    dataset = session_dataset(session)
    arch = session.trainer_state.network.architecture
    spec = NetworkSpec(arch, session.loss, session.init, int(session.init_seed))
    problem = fits(spec, dataset) if fits is not None else None
    if problem:
        raise ValueError(problem)
    return Problem(choice_from_recipe(session.data), dataset, spec, session.dtype)


def apply_session(lab: LabModel, session: Session, fits: FitCheck | None = None) -> list[str]:
    """Put ``session`` into the model: data, spec, training settings, the exact trainer
    state, the histories and the gui settings. Returns what could not be restored
    (normally nothing). All or nothing: the whole session is checked first
    (:func:`check_session_fits`) and ValueError (one line) leaves the model - and so the
    panels and the controller that follow it - exactly as it was."""
    problem = check_session_fits(session, fits)
    config = session_config(session)
    gui = session.settings.get(GUI_KEY, {}) if isinstance(session.settings, dict) else {}
    gui = gui if isinstance(gui, dict) else {}
    opt = session.optimizer
    lab.set_settings(
        TrainingSettings(
            learning_rate=float(opt["lr"]),
            optimizer=str(opt["name"]),
            batch_size=session.batch_size,
            l2=float(session.l2),
            l1=float(session.l1),
            **{k: float(opt[k]) for k in ("momentum", "beta1", "beta2", "eps")},
        )
    )
    lab.set_problem(problem)
    sample = gui.get("sample_index")
    if isinstance(sample, int) and not isinstance(sample, bool) and sample >= 0:
        lab.set_sample_index(min(sample, len(problem.dataset.x) - 1))
    lab.set_run(session.trainer_state, config)
    problems = lab.restore_history(session.history)
    speed = gui.get("speed")
    if speed is None or (isinstance(speed, int | float) and math.isfinite(speed)):
        lab.set_speed(None if speed is None else float(speed))
    log = gui.get("loss_log_scale")
    if isinstance(log, bool):
        lab.set_loss_log_scale(log)
    return problems


__all__ = [
    "GUI_KEY",
    "apply_problem",
    "apply_session",
    "check_session_fits",
    "choice_from_recipe",
    "data_recipe",
    "gui_settings",
    "progress_of",
    "session_of",
]
