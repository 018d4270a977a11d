"""The Session record - a training run as saved in a ``.bplab`` file (see
:mod:`.session` for the file itself) - how one is made from a Trainer and its data and
turned back into a Trainer, and how a checked document and its arrays become a Session
(the checks that depend on the values: finite weights and buffers, data that fit the
network, order a permutation, cursor in range). Nothing here reads or writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import limits
from ..data import Dataset, make_dataset
from ..errors import kind_of
from ..network import Network
from ..optimizers import Optimizer, OptimizerState
from ..trainer import Trainer, TrainerState, TrainingConfig, check_targets
from .common import ModelFileError
from .session_schema import BUFFERS, ArraySpec, Document


@dataclass(frozen=True, eq=False)
class Session:
    """A training run as saved: see the module docstring for what each part becomes.

    ``optimizer`` is {"name", "lr", "momentum", "beta1", "beta2", "eps"}; ``data`` the
    recipe ({"kind": "builtin", "name", "n", "noise", "seed", "val_split", "standardize"}
    or {"kind": "csv", "path", "targets", "val_split", "seed", "standardize", "name",
    "task", "n_classes", "feature_names", "target_names"} - :func:`data_for_session`
    makes both); ``data_arrays`` the CSV rows ("x", "t", "x_val", "t_val", "labels",
    "labels_val", "mean", "std"), empty for built-in data; ``history`` named float64/int64
    1-D/2-D arrays; ``settings`` a small plain-JSON dict."""

    trainer_state: TrainerState
    loss: str
    optimizer: dict
    batch_size: int | None
    l2: float
    l1: float
    train_seed: int
    init: str
    init_seed: int
    dtype: str
    data: dict
    data_arrays: dict[str, np.ndarray] = field(default_factory=dict)
    history: dict[str, np.ndarray] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    app_version: str = ""


# ---------------------------------------------------------------- building sessions


def data_for_session(dataset: Dataset, recipe: dict) -> tuple[dict, dict[str, np.ndarray]]:
    """(``data``, ``data_arrays``) for a Session from the Dataset in use and the recipe
    that made it: {"kind": "builtin", "name", "n", "noise", "seed", "val_split",
    "standardize"} (no arrays) or {"kind": "csv", "path", "targets", "val_split", "seed",
    "standardize"} (the rows, names and classes are taken from ``dataset``)."""
    data = dict(recipe)
    if data.get("kind") != "csv":
        return data, {}
    data.update(
        name=dataset.name,
        task=dataset.task,
        n_classes=dataset.n_classes,
        feature_names=list(dataset.feature_names),
        target_names=list(dataset.target_names),
    )
    arrays = {k: getattr(dataset, k) for k in ("x", "t", "x_val", "t_val")}
    for pair in (("labels", "labels_val"), ("mean", "std")):
        if getattr(dataset, pair[0]) is not None:
            arrays.update({k: getattr(dataset, k) for k in pair})
    return data, arrays


def session_from_trainer(
    trainer: Trainer,
    data: dict,
    data_arrays: dict[str, np.ndarray] | None = None,
    *,
    init: str = "xavier",
    init_seed: int = 0,
    history: dict[str, np.ndarray] | None = None,
    settings: dict | None = None,
    app_version: str = "",
) -> Session:
    """A Session of ``trainer``'s current position and configuration."""
    c = trainer.config
    o = c.optimizer
    return Session(
        trainer_state=trainer.get_state(),
        loss=c.loss,
        optimizer={k: getattr(o, k) for k in ("name", "lr", "momentum", "beta1", "beta2", "eps")},
        batch_size=None if c.batch_size is None else int(c.batch_size),
        l2=c.l2,
        l1=c.l1,
        train_seed=c.seed,
        init=init,
        init_seed=init_seed,
        dtype=trainer.network.dtype.name,
        data=data,
        data_arrays=dict(data_arrays or {}),
        history=dict(history or {}),
        settings=dict(settings or {}),
        app_version=app_version,
    )


def session_config(session: Session) -> TrainingConfig:
    """The session's TrainingConfig (loss, optimiser, batch size, l2, l1, seed)."""
    return TrainingConfig(
        session.loss, Optimizer(**session.optimizer), session.batch_size,
        session.l2, session.l1, session.train_seed,
    )  # fmt: skip


def session_dataset(session: Session) -> Dataset:
    """The session's data: regenerated from a built-in recipe, or the embedded CSV rows."""
    return _dataset(session.data, session.data_arrays, "<session>")


def restore_trainer(session: Session) -> Trainer:
    """A Trainer on the session's data and configuration, positioned at its saved state:
    its next iteration gives the same numbers as the saved trainer's would have."""
    ds = session_dataset(session)
    loss = session.loss
    t_val = ds.targets(loss, "val") if len(ds.x_val) else None
    trainer = Trainer(
        session.trainer_state.network, ds.x, ds.targets(loss, "train"),
        session_config(session), ds.x_val, t_val,
    )  # fmt: skip
    trainer.set_state(session.trainer_state)
    return trainer


def _dataset(data: dict, arrays: dict, source: str) -> Dataset:
    try:
        if data["kind"] == "builtin":
            ds = make_dataset(data["name"], data["n"], data["noise"], data["seed"],
                              data["val_split"])  # fmt: skip
            return ds.standardized() if data["standardize"] else ds
        return Dataset(
            name=data["name"], x=arrays["x"], t=arrays["t"], x_val=arrays["x_val"],
            t_val=arrays["t_val"], labels=arrays.get("labels"),
            labels_val=arrays.get("labels_val"), task=data["task"],
            n_classes=data["n_classes"], feature_names=tuple(data["feature_names"]),
            target_names=tuple(data["target_names"]), mean=arrays.get("mean"),
            std=arrays.get("std"),
        )  # fmt: skip
    except (ValueError, TypeError, KeyError) as e:
        raise _data_error(source, e) from None


# ---------------------------------------------------------------- checking the contents


def check_names(specs: dict[str, ArraySpec], found, source: str) -> None:
    """The members ``found`` are exactly the ones ``specs`` calls for."""
    for name in found:
        if name not in specs:
            raise ModelFileError(
                source, f"unexpected member {name!r} (this session has no such array)"
            )
    for name in specs:
        if name not in found:
            raise ModelFileError(source, f"missing member {name!r}")


def check_spec(spec: ArraySpec, dtype: np.dtype, shape: tuple, what: str, source: str) -> None:
    if not spec.fits(dtype, tuple(shape)):
        raise ModelFileError(
            source, f"{what}: {dtype} array of shape {tuple(shape)}, expected {spec.describe()}"
        )


def _finite(a: np.ndarray, what: str, source: str) -> None:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ModelFileError(source, f"{what} contains NaN or infinite values")


def _bounded(a: np.ndarray, what: str, source: str, limit: float) -> None:
    try:
        limits.check_array(a, what, limit)
    except ValueError as e:
        raise ModelFileError(source, str(e), inner=e) from None


def check_history(history: dict[str, np.ndarray], source: str) -> None:
    """The loss curves' x values (the iterations: column 0 of a ``<curve>-recent`` array,
    the first half of the columns of ``<curve>-bins`` and of the filled rows of
    ``<curve>-partial``, as ``LossHistory.get_state`` lays them out) are finite
    iterations, 0..:data:`engine.limits.MAX_COUNTER`. (Not bounded by the state's
    iteration: an autosave made while playing pairs the worker's last checkpoint with
    the newer curves.)"""
    top = limits.MAX_COUNTER
    for name, a in history.items():
        curve, _, part = name.rpartition("-")
        if a.dtype.kind != "f" or a.ndim != 2 or part not in ("recent", "bins", "partial"):
            continue
        x = a[:, :1] if part == "recent" else a[:, : a.shape[1] // 2]
        if part == "partial":  # only the first min(filled, 2) rows hold points
            counters = history.get(f"{curve}-counters")
            filled = int(counters[6]) if counters is not None and counters.shape == (8,) else 0
            x = x[: max(0, min(filled, 2))]
        if not np.isfinite(x).all():
            raise ModelFileError(source, f"history {name}: x values must be finite")
        if x.size and not (float(x.min()) >= 0 and float(x.max()) <= top):
            raise ModelFileError(
                source,
                f"history {name}: x values must be iterations between 0 and {top:,}, got "
                f"{float(x.min()):g}..{float(x.max()):g}",
            )


def assemble_session(doc: Document, arrays: dict[str, np.ndarray], source: str) -> Session:
    """The Session of a checked document and its arrays (dtypes and shapes already
    checked), after checking what depends on the values."""
    arch = doc.architecture
    _finite(arrays["network.npy"], "the network", source)
    _bounded(arrays["network.npy"], "the network", source, limits.MAX_WEIGHT)
    net = Network.from_flat(arch, arrays["network.npy"])
    tr = doc.training
    buffers = {}
    for b in BUFFERS[tr["optimizer"]["name"]]:
        a = arrays[f"optimizer.{b}.npy"]
        _finite(a, f"the optimizer's {b!r} buffer", source)
        buffers[b] = a
    data_arrays = {n[5:-4]: a for n, a in arrays.items() if n.startswith("data.")}
    for name, a in data_arrays.items():
        _finite(a, f"data {name}", source)
    ds = _dataset(doc.data, data_arrays, source)
    try:
        outputs = ds.output_size(tr["loss"])
        if ds.input_size != arch.input_size or outputs != arch.layers[-1].units:
            raise ValueError(
                f"the data has {ds.input_size} inputs and {outputs} outputs for the "
                f"{tr['loss']!r} loss, the network is {arch.describe()}"
            )
        check_targets(tr["loss"], ds.targets(tr["loss"]))
    except ValueError as e:
        raise _data_error(source, e) from None
    n = len(ds.x)
    if n == 0:
        raise ModelFileError(source, "data: no training rows (nothing to train on)")
    order = arrays.get("order.npy")
    if order is not None and (
        order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n))
    ):
        raise ModelFileError(source, f"order is not a permutation of the {n} training rows")
    if doc.cursor > 2 * n:
        raise ModelFileError(source, f"cursor {doc.cursor} is out of range for {n} rows")
    history = {name: arrays[f"history.{name}.npy"] for name in doc.history}
    check_history(history, source)
    state = TrainerState(
        net, OptimizerState(doc.optimizer_t, buffers), doc.step, doc.epoch, doc.cursor,
        order, doc.rng_state,
    )  # fmt: skip
    return Session(
        trainer_state=state,
        **{k: tr[k] for k in ("loss", "optimizer", "batch_size", "l2", "l1", "train_seed")},
        init=tr["init"],
        init_seed=tr["init_seed"],
        dtype=doc.dtype,
        data=doc.data,
        data_arrays=data_arrays,
        history=history,
        settings=doc.settings,
        app_version=doc.app_version,
    )


def _data_error(source: str, e: BaseException) -> ModelFileError:
    """A session's data refused: "data: <the engine's reason>" (kind "file.data", the
    reason's own kind as ``inner_kind``)."""
    inner_kind, inner_params = kind_of(e)
    return ModelFileError(
        source, f"data: {e}", kind="file.data", detail=str(e), inner_kind=inner_kind,
        inner_params=inner_params,
    )  # fmt: skip
