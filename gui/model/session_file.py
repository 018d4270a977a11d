"""The window's work as data: what a session file, an autosave and an undo step hold.

* :class:`Problem` - the data (the panel's choice and the Dataset made from it) and the
  builder's network spec: what training starts from.
* :class:`Progress` - where training stands: the exact ``TrainerState`` and the plotted
  histories (loss curves, gradient norms) as named arrays.

:func:`session_of` turns the window into an ``engine.formats.Session`` (the ``.bplab``
file); :func:`apply_session` puts one back so that the next iteration gives the numbers
it would have given had the window never closed. :func:`apply_problem` does the same for
a Problem and an optional Progress (undo/redo).

The window computes nothing here: states come from the controller, histories from the
views, data from the engine.
"""

from __future__ import annotations

import contextlib
import math
import os
from dataclasses import replace

import numpy as np
from backprop_lab.engine import __version__
from backprop_lab.engine.formats import Session
from backprop_lab.engine.formats.session import (
    data_for_session,
    session_config,
    session_dataset,
    session_from_trainer,
)
from backprop_lab.engine.trainer import TrainerState

from .records import DataChoice, NetworkSpec, Problem, Progress, TrainingSettings

#: settings["gui"] keys of a session file (besides what the engine's fields hold)
GUI_KEY = "gui"


# ---------------------------------------------------------------- reading the window


def current_problem(window) -> Problem:
    """The problem the window trains now."""
    dataset = window.controller.dataset or window.data_panel.dataset
    dtype = "float64"
    net = window.controller.network
    if net is not None:
        dtype = net.dtype.name
    return Problem(window.data_panel.choice, dataset, window.layer_editor.spec(), dtype)


def current_history(window) -> dict[str, np.ndarray]:
    """The loss-curve and gradient-norm histories the views hold (fresh arrays)."""
    history: dict[str, np.ndarray] = {}
    for view in (window.loss_plot, window.grad_norm_plot):
        get = getattr(view, "history_state", None)  # placeholders before the views load
        if get is not None:
            history.update(get())
    return history


def current_progress(window, *, always: bool = False) -> Progress | None:
    """The exact progress of the (paused) window, or None when nothing has been trained
    since the network was initialised (unless ``always``). Pauses training first."""
    c = window.controller
    c.pause()
    state = c.latest_state()
    if state is None or (state.step == 0 and not always):
        return None
    return Progress(state, current_history(window))


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


def gui_settings(window) -> dict:
    """The window settings a session keeps besides the engine's (plain JSON)."""
    speed = window.controller.speed
    plot = window.loss_plot
    log = plot.is_log_scale() if hasattr(plot, "is_log_scale") else False
    return {
        "speed": None if speed is None else float(speed),
        "sample_index": int(window.controller.sample_index),
        "loss_log_scale": bool(log),
    }


def session_of(
    window, state: TrainerState | None = None, *, source_path: str = ""
) -> Session | None:
    """The window's work as a Session: ``state`` (default: the controller's latest exact
    state, which pauses nothing while playing - then it is the worker's last checkpoint)
    with the current problem, settings and histories. None if there is no state yet."""
    c = window.controller
    trainer = c.trainer
    if state is None:
        state = c.latest_state()
    if trainer is None or state is None:
        return None
    problem = current_problem(window)
    data, arrays = data_for_session(problem.dataset, data_recipe(problem.choice))
    settings = {GUI_KEY: gui_settings(window)}
    if source_path:
        settings[GUI_KEY]["source_path"] = os.fspath(source_path)
    session = session_from_trainer(
        trainer, data, arrays,
        init=problem.spec.init, init_seed=problem.spec.seed,
        history=current_history(window), settings=settings, app_version=__version__,
    )  # fmt: skip
    return replace(session, trainer_state=state)


# ---------------------------------------------------------------- writing the window


def apply_problem(window, problem: Problem, progress: Progress | None = None) -> None:
    """Show ``problem`` and re-initialise the network from its spec, without asking;
    then continue from ``progress`` (exact state and histories) if given."""
    window.data_panel.set_data(problem.choice, problem.dataset)
    window.layer_editor.set_dataset(problem.dataset)
    window.apply_spec(problem.spec, problem.dtype)
    if progress is not None:
        window.controller.restore_state(progress.state)
        restore_history(window, progress.history)


def restore_history(window, history: dict[str, np.ndarray]) -> list[str]:
    """Give the views their saved histories; returns the problems (a history that does
    not fit is left out, with the reason)."""
    problems = []
    for view in (window.loss_plot, window.grad_norm_plot):
        restore = getattr(view, "restore_history", None)
        if restore is None:
            continue
        try:
            restore(history)
        except ValueError as e:
            problems.append(str(e))
    return problems


def apply_session(window, session: Session) -> list[str]:
    """Put ``session`` into the window: data, builder, training settings, the exact
    trainer state and the histories. Returns what could not be restored (normally
    nothing). Raises ValueError (nothing useful changed) if the session does not fit
    the window's builder (e.g. a layer wider than the builder allows)."""
    dataset = session_dataset(session)
    arch = session.trainer_state.network.architecture
    spec = NetworkSpec(arch, session.loss, session.init, int(session.init_seed))
    choice = choice_from_recipe(session.data)
    problem = window.layer_editor.fits(spec, dataset)
    if problem:
        raise ValueError(problem)
    gui = session.settings.get(GUI_KEY, {}) if isinstance(session.settings, dict) else {}
    gui = gui if isinstance(gui, dict) else {}
    opt = session.optimizer
    window.training_panel.set_settings(
        TrainingSettings(
            learning_rate=float(opt["lr"]),
            optimizer=str(opt["name"]),
            batch_size=session.batch_size,
            l2=float(session.l2),
            l1=float(session.l1),
        )
    )
    apply_problem(window, Problem(choice, dataset, spec, session.dtype))
    window.controller.set_config(session_config(session))
    sample = gui.get("sample_index")
    if isinstance(sample, int) and not isinstance(sample, bool) and sample >= 0:
        window.controller.set_sample_index(sample)
    window.controller.restore_state(session.trainer_state)
    problems = restore_history(window, session.history)
    speed = gui.get("speed")
    if speed is None or (isinstance(speed, int | float) and math.isfinite(speed)):
        with contextlib.suppress(ValueError):  # a speed this version does not offer
            window.training_panel.set_speed(speed)
    log = gui.get("loss_log_scale")
    if isinstance(log, bool) and hasattr(window.loss_plot, "set_log_scale"):
        window.loss_plot.set_log_scale(log)
    return problems


__all__ = [
    "Problem",
    "Progress",
    "apply_problem",
    "apply_session",
    "choice_from_recipe",
    "current_history",
    "current_problem",
    "current_progress",
    "data_recipe",
    "session_of",
]
