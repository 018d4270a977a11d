"""The ``session.json`` document of a ``.bplab`` session file: building it and checking it.

Every check here works on plain JSON values, never on array bytes; what a value is
checked against is named in the message. Hyper-parameters, counters, seeds and the data
recipe's numbers must lie in the ranges of :mod:`engine.limits` - the window's controls'
ranges - so a file never carries a value the window cannot show. Anything wrong becomes a one-line
:class:`ModelFileError`. :func:`member_specs` says which ``.npy`` members the document
calls for and what dtype and shape each may have, so the container can refuse a member
from its header alone, before reading its data.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

import numpy as np

from .. import limits
from ..data.builtin import BUILTIN_DATASETS, MAX_SAMPLES, MIN_SAMPLES
from ..losses import LOSSES, check_pairing
from ..network import DTYPES, INITS, MAX_INPUTS, Architecture
from ..optimizers import OPTIMIZERS
from .architecture_doc import _describe, header_dict, parse_header
from .common import ModelFileError

SESSION_FORMAT = "backprop-lab.session"
SESSION_VERSION = 1

MAX_SETTINGS_BYTES = 64 * 1024
MAX_SETTINGS_NODES = 4096
MAX_SETTINGS_DEPTH = 16
MAX_HISTORY_ARRAYS = 64
MAX_TEXT = 4096  # app version, CSV path, data set name
HISTORY_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")

TOP_KEYS = ("format", "version", "app_version", "model", "training", "state", "data",
            "history", "settings")  # fmt: skip
TRAINING_KEYS = ("loss", "optimizer", "batch_size", "l2", "l1", "train_seed", "init",
                 "init_seed", "dtype")  # fmt: skip
STATE_KEYS = ("step", "epoch", "cursor", "optimizer_t", "order", "rng_state")
OPTIMIZER_KEYS = ("name", "lr", "momentum", "beta1", "beta2", "eps")
BUFFERS = {"sgd": (), "momentum": ("velocity",), "adam": ("m", "v")}
BUILTIN_KEYS = ("kind", "name", "n", "noise", "seed", "val_split", "standardize")
CSV_KEYS = ("kind", "path", "targets", "val_split", "seed", "standardize", "name", "task",
            "n_classes", "feature_names", "target_names")  # fmt: skip
RNG_KEYS = ("bit_generator", "state", "has_uint32", "uinteger")
BIG = 2**63


@dataclass(frozen=True)
class ArraySpec:
    """What a member may hold: one of ``dtypes`` ("f8", "f4", "i8") and a shape matching
    one of ``shapes`` (None = any length along that axis)."""

    dtypes: tuple[str, ...]
    shapes: tuple[tuple[int | None, ...], ...]

    def fits(self, dtype: np.dtype, shape: tuple[int, ...]) -> bool:
        if f"{dtype.kind}{dtype.itemsize}" not in self.dtypes:
            return False
        return any(
            len(p) == len(shape) and all(d is None or d == s for d, s in zip(p, shape, strict=True))
            for p in self.shapes
        )

    def describe(self) -> str:
        names = {"f8": "float64", "f4": "float32", "i8": "int64"}
        shapes = " or ".join(
            "("
            + ", ".join("N" if d is None else str(d) for d in p)
            + ("," if len(p) == 1 else "")
            + ")"
            for p in self.shapes
        )
        return f"{'/'.join(names[d] for d in self.dtypes)} {shapes}"


@dataclass(frozen=True)
class Document:
    """A checked ``session.json``: everything of a session except the arrays."""

    app_version: str
    architecture: Architecture
    dtype: str
    training: dict  # TRAINING_KEYS, normalised (floats as float)
    step: int
    epoch: int
    cursor: int
    optimizer_t: int
    has_order: bool
    rng_state: dict
    data: dict
    history: tuple[str, ...]
    settings: dict


# ---------------------------------------------------------------- building


def build_document(doc: Document) -> dict:
    """The JSON object written as ``session.json``."""
    t = doc.training
    return {
        "format": SESSION_FORMAT,
        "version": SESSION_VERSION,
        "app_version": doc.app_version,
        "model": header_dict(doc.architecture, np.dtype(doc.dtype)),
        "training": {k: t[k] for k in TRAINING_KEYS},
        "state": {
            "step": doc.step,
            "epoch": doc.epoch,
            "cursor": doc.cursor,
            "optimizer_t": doc.optimizer_t,
            "order": doc.has_order,
            "rng_state": doc.rng_state,
        },
        "data": doc.data,
        "history": list(doc.history),
        "settings": doc.settings,
    }


# ---------------------------------------------------------------- checking values


def _keys(d: object, keys: tuple[str, ...], what: str, source: str) -> dict:
    if not isinstance(d, dict):
        raise ModelFileError(source, f"{what} must be an object, got {_describe(d)}")
    for k in d:
        if k not in keys:
            raise ModelFileError(source, f"{what}: unknown key {k!r} (known: {', '.join(keys)})")
    for k in keys:
        if k not in d:
            raise ModelFileError(source, f'{what}: missing "{k}"')
    return d


def whole(v: object, what: str, source: str, lo: int = 0, hi: int = BIG) -> int:
    """``v`` as an int in [lo, hi) (numpy integers accepted, bools not)."""
    if isinstance(v, bool) or not isinstance(v, int | np.integer):
        raise ModelFileError(source, f"{what} must be a whole number, got {_describe(v)}")
    if not lo <= int(v) < hi:
        raise ModelFileError(source, f"{what} must be between {lo} and {hi - 1}, got {int(v)}")
    return int(v)


def number(v: object, what: str, source: str, lo: float = -math.inf) -> float:
    """``v`` as a finite float >= lo."""
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        raise ModelFileError(source, f"{what} must be a number, got {_describe(v)}")
    f = float(v)
    if not math.isfinite(f) or f < lo:
        raise ModelFileError(source, f"{what} must be a finite number >= {lo:g}, got {v!r}")
    return f


def text(v: object, what: str, source: str, choices: tuple[str, ...] = ()) -> str:
    if not isinstance(v, str) or len(v) > MAX_TEXT:
        raise ModelFileError(source, f"{what} must be a text of at most {MAX_TEXT} characters")
    if choices and v not in choices:
        raise ModelFileError(
            source, f"{what} must be one of {', '.join(choices)}, got {_describe(v)}"
        )
    return v


def flag(v: object, what: str, source: str) -> bool:
    if not isinstance(v, bool | np.bool_):
        raise ModelFileError(source, f"{what} must be true or false, got {_describe(v)}")
    return bool(v)


def within(check, v: object, what: str, source: str, *args) -> float | int:
    """``check(v, what, *args)`` (an :mod:`engine.limits` check) with its ValueError as a
    ModelFileError naming ``what``."""
    try:
        return check(v, what, *args)
    except ValueError as e:
        raise ModelFileError(source, str(e), inner=e) from None


def _lr(v, what):
    return limits.check_number(v, what, *limits.LEARNING_RATE)


def _batch(v, what):
    return limits.check_whole(v, what, *limits.BATCH_SIZE)


def _eps(v, what):
    return limits.check_number(v, what, *limits.EPS, lo_open=True)


def check_optimizer(d: object, source: str) -> dict:
    """{"name", "lr", "momentum", "beta1", "beta2", "eps"} in the ranges of
    :mod:`engine.limits`: lr in [1e-6, 1e6], momentum and betas in [0, 1), eps in (0, 1]."""
    d = _keys(d, OPTIMIZER_KEYS, "optimizer", source)
    out = {"name": text(d["name"], "optimizer name", source, OPTIMIZERS)}
    out["lr"] = within(_lr, d["lr"], "optimizer lr", source)
    for k in ("momentum", "beta1", "beta2"):
        out[k] = within(limits.check_decay, d[k], f"optimizer {k}", source)
    out["eps"] = within(_eps, d["eps"], "optimizer eps", source)
    return out


def check_training(d: object, arch: Architecture, source: str) -> dict:
    d = _keys(d, TRAINING_KEYS, "training", source)
    loss = text(d["loss"], "loss", source, LOSSES)
    try:
        check_pairing(loss, arch.output_activation)
    except ValueError as e:
        raise ModelFileError(source, str(e)) from None
    b = d["batch_size"]
    return {
        "loss": loss,
        "optimizer": check_optimizer(d["optimizer"], source),
        "batch_size": None if b is None else within(_batch, b, "batch_size", source),
        "l2": within(limits.check_penalty, d["l2"], "l2", source),
        "l1": within(limits.check_penalty, d["l1"], "l1", source),
        "train_seed": within(limits.check_seed, d["train_seed"], "train_seed", source),
        "init": text(d["init"], "init", source, INITS),
        "init_seed": within(limits.check_seed, d["init_seed"], "init_seed", source),
        "dtype": text(d["dtype"], "dtype", source, tuple(DTYPES)),
    }


def check_rng_state(d: object, source: str) -> dict:
    """NumPy's PCG64 state dict, checked so that assigning it cannot fail."""
    d = _keys(d, RNG_KEYS, "rng_state", source)
    if d["bit_generator"] != "PCG64":
        raise ModelFileError(
            source, f'rng_state: bit_generator must be "PCG64", got {_describe(d["bit_generator"])}'
        )
    inner = _keys(d["state"], ("state", "inc"), "rng_state.state", source)
    out = {
        "bit_generator": "PCG64",
        "state": {k: whole(inner[k], f"rng_state.state.{k}", source, 0, 2**128) for k in inner},
        "has_uint32": whole(d["has_uint32"], "rng_state.has_uint32", source, 0, 2),
        "uinteger": whole(d["uinteger"], "rng_state.uinteger", source, 0, 2**32),
    }
    try:
        np.random.PCG64().state = out
    except (ValueError, TypeError, OverflowError) as e:
        raise ModelFileError(source, f"rng_state is not a valid PCG64 state: {e}") from None
    return out


def check_settings(v: object, source: str) -> dict:
    """A small plain-JSON object: str keys; dict, list, str, int, finite float, bool, None."""
    if not isinstance(v, dict):
        raise ModelFileError(source, f"settings must be an object, got {_describe(v)}")
    count = 0
    stack = [(v, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_SETTINGS_NODES or depth > MAX_SETTINGS_DEPTH:
            raise ModelFileError(
                source, f"settings: more than {MAX_SETTINGS_NODES} values or nested too deeply"
            )
        if isinstance(node, dict):
            for k, child in node.items():
                if not isinstance(k, str):
                    raise ModelFileError(source, f"settings: key {k!r} is not a text")
                stack.append((child, depth + 1))
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
        elif isinstance(node, float):
            if not math.isfinite(node):
                raise ModelFileError(source, f"settings: {node!r} is not a finite number")
        elif node is not None and not isinstance(node, str | int):  # bool is an int
            raise ModelFileError(
                source, f"settings: {type(node).__name__} values are not plain JSON"
            )
    if len(json.dumps(v)) > MAX_SETTINGS_BYTES:
        raise ModelFileError(source, f"settings take more than {MAX_SETTINGS_BYTES} bytes")
    return v


def _names(v: object, what: str, source: str) -> list[str]:
    if not isinstance(v, list | tuple) or len(v) > MAX_INPUTS:
        raise ModelFileError(source, f"{what} must be a list of texts")
    return [text(s, what, source) for s in v]


def _noise(v, what):
    return limits.check_number(v, what, *limits.NOISE)


def check_data(d: object, source: str) -> dict:
    """The data recipe: ``kind`` "builtin" (regenerated on load) or "csv" (rows embedded)."""
    if not isinstance(d, dict) or d.get("kind") not in ("builtin", "csv"):
        kind = d.get("kind") if isinstance(d, dict) else d
        raise ModelFileError(
            source, f'data: "kind" must be "builtin" or "csv", got {_describe(kind)}'
        )
    d = _keys(d, BUILTIN_KEYS if d["kind"] == "builtin" else CSV_KEYS, "data", source)
    common = {
        "val_split": number(d["val_split"], "data val_split", source, 0.0),
        "seed": within(limits.check_seed, d["seed"], "data seed", source),
        "standardize": flag(d["standardize"], "data standardize", source),
    }
    if common["val_split"] > 0.9:
        raise ModelFileError(source, f"data val_split must be at most 0.9, got {d['val_split']}")
    if d["kind"] == "builtin":
        return {
            "kind": "builtin",
            "name": text(d["name"], "data name", source, BUILTIN_DATASETS),
            "n": whole(d["n"], "data n", source, MIN_SAMPLES, MAX_SAMPLES + 1),
            "noise": within(_noise, d["noise"], "data noise", source),
            **common,
        }
    return {
        "kind": "csv",
        "path": text(d["path"], "data path", source),
        "targets": whole(d["targets"], "data targets", source, 1, limits.MAX_TARGETS + 1),
        **common,
        "name": text(d["name"], "data name", source),
        "task": text(d["task"], "data task", source, ("classification", "regression")),
        "n_classes": whole(d["n_classes"], "data n_classes", source, 0, 2**31),
        "feature_names": _names(d["feature_names"], "data feature_names", source),
        "target_names": _names(d["target_names"], "data target_names", source),
    }


def parse_document(obj: object, source: str) -> Document:
    """Check a parsed ``session.json`` (structure, types, ranges, the PCG64 state)."""
    if not isinstance(obj, dict):
        raise ModelFileError(source, f"session.json must be an object, got {_describe(obj)}")
    if obj.get("format") != SESSION_FORMAT:
        raise ModelFileError(
            source,
            f'not a Backprop Lab session: "format" is {_describe(obj.get("format"))}, '
            f'not "{SESSION_FORMAT}"',
        )
    version = obj.get("version")
    if type(version) is not int or version != SESSION_VERSION:
        raise ModelFileError(
            source,
            f"session version {_describe(version)} is not supported (this Backprop Lab reads "
            f"version {SESSION_VERSION}; a newer app may have written it)",
        )
    obj = _keys(obj, TOP_KEYS, "session", source)
    try:
        header = parse_header(obj["model"], source, with_arrays=False)
    except ModelFileError as e:
        raise ModelFileError(source, f"model: {e.problem}") from None
    arch = header.architecture(True if header.bias is None else header.bias, source)
    training = check_training(obj["training"], arch, source)
    if header.dtype is None or header.dtype.name != training["dtype"]:
        raise ModelFileError(source, "model dtype and training dtype differ")
    state = _keys(obj["state"], STATE_KEYS, "state", source)
    history = obj["history"]
    if not isinstance(history, list) or len(history) > MAX_HISTORY_ARRAYS:
        raise ModelFileError(source, f"history must list at most {MAX_HISTORY_ARRAYS} names")
    for name in history:
        if not isinstance(name, str) or not HISTORY_NAME.fullmatch(name):
            raise ModelFileError(
                source, f"history name {_describe(name)} is not 1-64 letters, digits, _ or -"
            )
    if len(set(history)) != len(history):
        raise ModelFileError(source, "history lists a name twice")
    return Document(
        app_version=text(obj["app_version"], "app_version", source),
        architecture=arch,
        dtype=training["dtype"],
        training=training,
        step=within(limits.check_counter, state["step"], "step", source),
        epoch=within(limits.check_counter, state["epoch"], "epoch", source),
        cursor=whole(state["cursor"], "cursor", source),
        optimizer_t=within(limits.check_counter, state["optimizer_t"], "optimizer_t", source),
        has_order=flag(state["order"], "state order", source),
        rng_state=check_rng_state(state["rng_state"], source),
        data=check_data(obj["data"], source),
        history=tuple(history),
        settings=check_settings(obj["settings"], source),
    )


def member_specs(doc: Document) -> dict[str, ArraySpec]:
    """The ``.npy`` members ``doc`` calls for: member name -> allowed dtype and shape."""
    p, d = doc.architecture.parameter_count, doc.architecture.input_size
    weights = ArraySpec(("f8" if doc.dtype == "float64" else "f4",), ((p,),))
    specs = {"network.npy": weights}
    for b in BUFFERS[doc.training["optimizer"]["name"]]:
        specs[f"optimizer.{b}.npy"] = weights
    if doc.has_order:
        specs["order.npy"] = ArraySpec(("i8",), ((None,),))
    if doc.data["kind"] == "csv":
        specs["data.x.npy"] = specs["data.x_val.npy"] = ArraySpec(("f8",), ((None, d),))
        specs["data.t.npy"] = specs["data.t_val.npy"] = ArraySpec(("f8",), ((None, None),))
        if doc.data["task"] == "classification":
            specs["data.labels.npy"] = specs["data.labels_val.npy"] = ArraySpec(("i8",), ((None,),))
        if doc.data["standardize"]:
            specs["data.mean.npy"] = specs["data.std.npy"] = ArraySpec(("f8",), ((d,),))
    for name in doc.history:
        specs[f"history.{name}.npy"] = ArraySpec(("f8", "i8"), ((None,), (None, None)))
    return specs
